/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_worker.c - the shard worker of `orbat ingest --nats`: fetch,
 * decode, ingest in one transaction, then acknowledge (see nats_worker.h).
 */
#include "nats/nats_worker.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/pipeline.h"
#include "nats/nats_client.h"
#include "nats/nats_lease.h"
#include "nats/nats_msg.h"
#include "nats/nats_stream.h"

struct wctx {
    struct ingest *g; /* the one being fed */
    int cls;          /* its class: NW_SHIPS or NW_AIRCRAFT */
    const char *src;  /* its store source's name (event points find their raw by it) */
    struct pipeline *pipe[NMSG_NKINDS];
    struct nmsg_hdr h; /* of the message being fed */
    natsMsgList *list;
    struct nworker_stats *st;
};

static int class_of(enum nmsg_kind k)
{
    return k == NMSG_AIS ? NW_SHIPS : NW_AIRCRAFT;
}

/* A decoded observation: its raw offset becomes the message's (receiver,
 * seq, position), then it goes to the ingest library. */
static void on_obs(void *ctx, const struct obs *o)
{
    struct wctx *w = ctx;
    struct obs c = *o;
    c.source_offset = nmsg_raw_offset(&w->h, o->source_offset);
    ingest_emit(w->g, &c);
}

/* The producer of one batch (runs on the ingest library's reader thread). */
static int produce(void *pctx, struct ingest *g)
{
    static const char sim_line[] = "# " PIPELINE_SIM_MARK "\n";
    struct wctx *w = pctx;
    uint64_t pos = 0;
    for (int i = 0; i < w->list->Count && !ingest_emit_stopped(g); i++) {
        natsMsg *m = w->list->Msgs[i];
        if (nmsg_get_header(m, &w->h)) {
            if (w->cls == NW_SHIPS)
                w->st->bad++;
            continue;
        }
        if (class_of(w->h.kind) != w->cls)
            continue;
        struct pipeline *p = w->pipe[w->h.kind];
        // The publisher saw the source's SIMULATION mark: say it again here,
        // each message being a pipeline source of its own.
        if (w->h.simulated)
            pipeline_feed(p, (const uint8_t *)sim_line, sizeof sim_line - 1, w->src);
        int len = natsMsg_GetDataLength(m);
        pipeline_feed(p, (const uint8_t *)natsMsg_GetData(m), (size_t)(len > 0 ? len : 0), w->src);
        pipeline_end_source(p);
        w->st->lines += w->h.lines;
        pos += (uint64_t)(len > 0 ? len : 0);
        ingest_emit_pos(g, pos);
    }
    return 0;
}

#define SETUP_RETRY_MS 250

/* How long the start-up requests are retried (leader elections). */
static int64_t setup_wait(const struct nworker_opts *o)
{
    return o->connect_wait_ms > 30000 ? o->connect_wait_ms : 30000;
}

/* One fetched batch through the two ingest objects (AIS, then Mode S), each
 * in one transaction. 0, or -1 with a message in err. */
static int process_batch(struct wctx *w, struct ingest *const g[NW_NCLASSES],
                         char srcname[NW_NCLASSES][160], natsMsgList *list, const char *durable,
                         char *err, size_t errlen)
{
    // Which classes the batch has (a malformed header counts as ships,
    // where it is counted and skipped).
    bool has[NW_NCLASSES] = {false, false};
    for (int i = 0; i < list->Count; i++) {
        struct nmsg_hdr h;
        has[nmsg_get_header(list->Msgs[i], &h) ? NW_SHIPS : class_of(h.kind)] = true;
    }
    w->list = list;
    int rc = ORBAT_OK;
    for (int k = 0; k < NW_NCLASSES && (rc == ORBAT_OK || rc == ORBAT_AGAIN); k++) {
        if (!has[k])
            continue;
        w->g = g[k];
        w->cls = k;
        w->src = srcname[k];
        struct ingest_source_desc d = {.name = srcname[k], .sha256 = srcname[k]};
        rc = ingest_source(g[k], &d, produce, w);
    }
    if (rc != ORBAT_OK && rc != ORBAT_AGAIN) {
        snprintf(err, errlen, "%s: batch not stored (%s); it will be redelivered", durable,
                 orbat_strerror(rc));
        return -1;
    }
    return 0;
}

/* Warm-up after a restart: the shard's messages up to the durable's ack
 * floor are read again (a temporary consumer from sequence 1) through the
 * same ingest objects, so that the events engines hold the track state
 * they had; the writes are no-ops (natural keys). Messages the stream no
 * longer has (max age) cannot be replayed. 0, or -1 with err set. */
static int warm_up(jsCtx *js, const char *stream, const char *filter, const char *durable,
                   struct wctx *w, struct ingest *const g[NW_NCLASSES],
                   char srcname[NW_NCLASSES][160], const struct nworker_opts *o,
                   struct nlease *lease, char *err, size_t errlen)
{
    jsConsumerInfo *ci = NULL;
    jsErrCode je = 0;
    char b[256], name[128];
    natsStatus s;
    for (int64_t t = 0; (s = js_GetConsumerInfo(&ci, js, stream, durable, NULL, &je)) != NATS_OK;
         t += SETUP_RETRY_MS) {
        if (t >= setup_wait(o)) {
            snprintf(err, errlen, "consumer %s: %s", durable, ncl_errtext(s, je, b, sizeof b));
            return -1;
        }
        nats_Sleep(SETUP_RETRY_MS);
    }
    uint64_t floor = ci->AckFloor.Stream;
    jsConsumerInfo_Destroy(ci);
    if (floor == 0)
        return 0;
    snprintf(name, sizeof name, "warm-%s-%ld", durable, (long)getpid());
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = stream;
    so.Config.DeliverPolicy = js_DeliverAll;
    // Acknowledged as it goes (AckAll, the last message of each batch):
    // unacknowledged, the messages would come again after the AckWait while
    // the replay runs.
    so.Config.AckPolicy = js_AckAll;
    so.Config.MaxAckPending = 1 << 30;
    natsSubscription *ws = NULL;
    je = 0;
    for (int64_t t = 0; (s = js_PullSubscribe(&ws, js, filter, name, NULL, &so, &je)) != NATS_OK;
         t += SETUP_RETRY_MS) {
        if (t >= setup_wait(o)) {
            snprintf(err, errlen, "warm-up consumer: %s", ncl_errtext(s, je, b, sizeof b));
            return -1;
        }
        nats_Sleep(SETUP_RETRY_MS);
    }
    int ret = 0;
    bool done = false;
    int fetch = o->fetch > 0 ? o->fetch : 64;
    int64_t idle = 0;
    while (!done && !(o->stop && *o->stop)) {
        enum nlease_state ls = nlease_keep(lease, err, errlen);
        if (ls == NLEASE_LOST) {
            ret = -1;
            break;
        }
        if (ls == NLEASE_UNSURE) {
            nats_Sleep(200);
            continue;
        }
        natsMsgList list = {0};
        s = natsSubscription_Fetch(&list, ws, fetch, 1000, &je);
        if (s != NATS_OK || list.Count == 0) {
            // A leader election, or the stream no longer has the messages
            // (max age): try again for a while, then go on without them.
            natsMsgList_Destroy(&list);
            idle += 1000;
            if (idle >= setup_wait(o)) {
                if (o->log)
                    fprintf(o->log, "orbat ingest: %s: warm-up stopped before sequence %llu: %s\n",
                            durable, (unsigned long long)floor, ncl_errtext(s, je, b, sizeof b));
                break;
            }
            continue;
        }
        idle = 0;
        // Up to the floor, or to the shard's last message when the floor
        // lies beyond it (a consumer that read everything has its floor at
        // the stream's last sequence, which may be another shard's).
        int keep = 0;
        for (; keep < list.Count; keep++) {
            jsMsgMetaData *md = NULL;
            bool ok = natsMsg_GetMetaData(&md, list.Msgs[keep]) == NATS_OK;
            bool past = !ok || md->Sequence.Stream > floor;
            bool last = ok && md->NumPending == 0;
            jsMsgMetaData_Destroy(md);
            if (past) {
                done = true;
                break;
            }
            if (last) {
                done = true;
                keep++;
                break;
            }
        }
        int count = list.Count;
        list.Count = keep;
        if (keep && process_batch(w, g, srcname, &list, durable, err, errlen))
            ret = -1;
        w->st->warmup += (uint64_t)keep;
        natsMsg_Ack(list.Msgs[count - 1], NULL);
        list.Count = count;
        natsMsgList_Destroy(&list);
        if (ret)
            break;
    }
    natsSubscription_Unsubscribe(ws);
    natsSubscription_Destroy(ws);
    return ret;
}

/* The last stream sequence of the shard's subjects into *last (0: none),
 * from the stream leader. false when it cannot be known: an error (an
 * election: a timeout) is not "no message" (JetStream error 10037). */
static bool shard_last_seq(jsCtx *js, const char *stream, unsigned shard, uint64_t *last)
{
    *last = 0;
    static const enum nmsg_kind subjects[] = {NMSG_AIS, NMSG_AVR}; // ais, adsb
    for (size_t k = 0; k < sizeof subjects / sizeof *subjects; k++) {
        char subj[64];
        nmsg_subject(subj, sizeof subj, subjects[k], shard);
        natsMsg *m = NULL;
        jsErrCode je = 0;
        natsStatus s = js_GetLastMsg(&m, js, stream, subj, NULL, &je);
        if (s == NATS_OK && m) {
            uint64_t q = natsMsg_GetSequence(m);
            if (q > *last)
                *last = q;
        }
        natsMsg_Destroy(m);
        if (s != NATS_OK && !(s == NATS_NOT_FOUND && je == JSNoMessageFoundErr))
            return false;
    }
    return true;
}

#define DEAD_PEER_NS (5 * (int64_t)1000000000)

/* What a drain check saw: exits need two equal looks a while apart. */
struct drain_view {
    uint64_t stream_last, shard_last, floor;
    char leader[64];
};

/* One look: nothing pending, nothing unacknowledged, the ack floor at the
 * last message of the shard's subjects, and the stream's leader with every
 * replica that is online "current" (none catching up). The consumer's own
 * counts are computed on its leader's copy of the stream, which can be
 * behind just after a failure (a restarted server catching up), and so can
 * the answers of a stream leader elected then: docs/scale-out.md. */
static bool drain_look(jsCtx *js, const char *stream, unsigned shard, const char *durable,
                       struct drain_view *v)
{
    jsConsumerInfo *ci = NULL;
    jsErrCode je = 0;
    memset(v, 0, sizeof *v);
    if (js_GetConsumerInfo(&ci, js, stream, durable, NULL, &je) != NATS_OK)
        return false;
    bool idle = ci->NumPending == 0 && ci->NumAckPending == 0;
    v->floor = ci->AckFloor.Stream;
    jsConsumerInfo_Destroy(ci);
    if (!idle)
        return false;
    jsStreamInfo *si = NULL;
    je = 0;
    if (js_GetStreamInfo(&si, js, stream, NULL, &je) != NATS_OK)
        return false;
    bool settled = si->Cluster == NULL; // a single server
    if (si->Cluster && si->Cluster->Leader && *si->Cluster->Leader) {
        snprintf(v->leader, sizeof v->leader, "%s", si->Cluster->Leader);
        settled = true;
        for (int i = 0; i < si->Cluster->ReplicasLen; i++) {
            const jsPeerInfo *p = si->Cluster->Replicas[i];
            // A dead server stays listed "not current" (Offline comes
            // late): one not heard from for DEAD_PEER_NS is not waited for.
            if (!p->Offline && !p->Current && p->Active < DEAD_PEER_NS)
                settled = false;
        }
    }
    v->stream_last = si->State.LastSeq;
    jsStreamInfo_Destroy(si);
    if (!settled)
        return false;
    return shard_last_seq(js, stream, shard, &v->shard_last) && v->floor >= v->shard_last;
}

static bool same_view(const struct drain_view *a, const struct drain_view *b)
{
    return a->stream_last == b->stream_last && a->shard_last == b->shard_last &&
           a->floor == b->floor && !strcmp(a->leader, b->leader);
}

int nworker_run(struct ingest *const g[NW_NCLASSES], const struct nworker_opts *o,
                struct nworker_stats *st, char *err, size_t errlen)
{
    char durable[96], filter[64], srcname[NW_NCLASSES][160], b[256];
    if (o->durable && *o->durable)
        snprintf(durable, sizeof durable, "%s", o->durable);
    else
        nstream_durable_name(durable, sizeof durable, o->shard, o->nshards);
    snprintf(filter, sizeof filter, "orbat.raw.*.%u", o->shard);
    const char *stream = o->stream && *o->stream ? o->stream : NSTREAM_DEFAULT;
    for (int k = 0; k < NW_NCLASSES; k++)
        snprintf(srcname[k], sizeof srcname[k], "nats:%s/shard-%u/%s", stream, o->shard,
                 k == NW_SHIPS ? "ais" : "adsb");
    const char *die_env = getenv("ORBAT_NATS_DIE_BEFORE_ACK");
    uint64_t die_after = die_env ? strtoull(die_env, NULL, 10) : 0;

    struct wctx w = {.st = st};
    static const enum pipeline_input inputs[NMSG_NKINDS] = {PIPE_NMEA, PIPE_SBS, PIPE_AVR,
                                                            PIPE_TIMED};
    int ret = -1;
    struct ncl *c = NULL;
    struct nlease *lease = NULL;
    natsSubscription *sub = NULL;
    for (int k = 0; k < NMSG_NKINDS; k++) {
        struct pipeline_opts po = {.input = inputs[k]};
        if (!(w.pipe[k] = pipeline_new(&po, on_obs, &w))) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    struct ncl_opts co = {.urls = o->urls, .name = durable, .connect_wait_ms = o->connect_wait_ms};
    if (!(c = ncl_open(&co, err, errlen)))
        goto out;
    jsCtx *js = ncl_js(c);
    // Active/standby: only the lease holder goes on.
    if (!(lease =
              nlease_open(js, stream, durable, o->lease_ms, setup_wait(o), o->log, err, errlen)))
        goto out;
    if (nlease_acquire(lease, o->stop)) {
        ret = 0;
        goto out;
    }
    struct nconsumer_cfg cc = {.shard = o->shard,
                               .nshards = o->nshards,
                               .durable = durable,
                               .ack_wait_ms = o->ack_wait_ms};
    // The consumer and the subscription, retried while the cluster elects
    // a leader (API requests time out meanwhile).
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = stream;
    so.Consumer = durable;
    jsErrCode je = 0;
    natsStatus s = NATS_OK;
    for (int64_t t = 0;; t += SETUP_RETRY_MS) {
        if (!nconsumer_ensure(js, stream, &cc, o->log, err, errlen)) {
            je = 0;
            if ((s = js_PullSubscribe(&sub, js, filter, durable, NULL, &so, &je)) == NATS_OK)
                break;
            snprintf(err, errlen, "subscribing to %s: %s", durable,
                     ncl_errtext(s, je, b, sizeof b));
        }
        if (t >= setup_wait(o) || (o->stop && *o->stop))
            goto out;
        if (o->log && t == 0)
            fprintf(o->log, "orbat ingest: %s (retrying)\n", err);
        nats_Sleep(SETUP_RETRY_MS);
    }
    int fetch = o->fetch > 0 ? o->fetch : 64;
    int64_t wait = o->fetch_wait_ms > 0 ? o->fetch_wait_ms : 500;
    if (!o->no_warmup &&
        warm_up(js, stream, filter, durable, &w, g, srcname, o, lease, err, errlen))
        goto out;
    // Messages a dead worker fetched and did not acknowledge come again
    // after the AckWait, and before newer ones only if nothing is fetched
    // until then: wait for it, so that the shard is read in stream order.
    {
        jsConsumerInfo *ci = NULL;
        je = 0;
        if (js_GetConsumerInfo(&ci, js, stream, durable, NULL, &je) == NATS_OK &&
            ci->NumAckPending > 0 && ci->Config) {
            int64_t ms = ci->Config->AckWait / 1000000 + 200;
            if (ms > 120000)
                ms = 120000;
            if (o->log)
                fprintf(o->log,
                        "orbat ingest: %s: %lld messages delivered before and not acknowledged: "
                        "waiting %lld ms (AckWait) for their redelivery\n",
                        durable, (long long)ci->NumAckPending, (long long)ms);
            nats_Sleep(ms);
        }
        jsConsumerInfo_Destroy(ci);
    }
    // A drain ends after two equal looks at least drain_ms apart with
    // only empty fetches between them.
    bool check_drain = o->drain;
    struct drain_view first = {0};
    int64_t first_at = -1, drain_ms = 2 * wait > 1000 ? 2 * wait : 1000;
    while (!(o->stop && *o->stop)) {
        enum nlease_state ls = nlease_keep(lease, err, errlen);
        if (ls == NLEASE_LOST)
            goto out;
        if (ls == NLEASE_UNSURE) {
            nats_Sleep(200);
            continue;
        }
        if (check_drain) {
            struct drain_view v;
            if (!drain_look(js, stream, o->shard, durable, &v)) {
                first_at = -1;
            } else if (first_at < 0 || !same_view(&first, &v)) {
                first = v;
                first_at = nats_Now();
            } else if (nats_Now() - first_at >= drain_ms) {
                if (o->log)
                    fprintf(o->log,
                            "orbat ingest: %s: drained: ack floor %llu, shard's last message "
                            "%llu, stream's %llu (leader %s), unchanged for %lld ms\n",
                            durable, (unsigned long long)v.floor, (unsigned long long)v.shard_last,
                            (unsigned long long)v.stream_last, *v.leader ? v.leader : "-",
                            (long long)(nats_Now() - first_at));
                ret = 0;
                break;
            }
        }
        natsMsgList list = {0};
        je = 0;
        s = natsSubscription_Fetch(&list, sub, fetch, wait, &je);
        if (list.Count == 0 && (s == NATS_TIMEOUT || s == NATS_OK)) {
            natsMsgList_Destroy(&list);
            check_drain = o->drain;
            continue;
        }
        if (s != NATS_OK && list.Count == 0) {
            // Leader change, reconnect: the next fetch tries again.
            natsMsgList_Destroy(&list);
            if (o->log)
                fprintf(o->log, "orbat ingest: %s: fetch: %s (retrying)\n", durable,
                        ncl_errtext(s, je, b, sizeof b));
            nats_Sleep(200);
            continue;
        }
        for (int i = 0; i < list.Count; i++) {
            jsMsgMetaData *md = NULL;
            if (natsMsg_GetMetaData(&md, list.Msgs[i]) == NATS_OK && md->NumDelivered > 1)
                st->redelivered++;
            jsMsgMetaData_Destroy(md);
        }
        if (process_batch(&w, g, srcname, &list, durable, err, errlen)) {
            natsMsgList_Destroy(&list);
            goto out;
        }
        st->fetches++;
        if (die_after && st->fetches == die_after)
            raise(SIGKILL);
        st->messages += (uint64_t)list.Count;
        // Each message acknowledged on its own (explicit acks): with "ack
        // all", acknowledging a later message would also acknowledge earlier
        // ones another (dead) worker had fetched and never stored. The
        // last one synchronously, so a lost ack is seen (the batch then
        // comes again, and is a no-op in the store).
        je = 0;
        for (int i = 0; i < list.Count - 1; i++)
            if (natsMsg_Ack(list.Msgs[i], NULL) != NATS_OK)
                st->ack_errors++;
        if ((s = natsMsg_AckSync(list.Msgs[list.Count - 1], NULL, &je)) != NATS_OK) {
            st->ack_errors++;
            if (o->log)
                fprintf(o->log, "orbat ingest: %s: ack: %s (the batch will be redelivered)\n",
                        durable, ncl_errtext(s, je, b, sizeof b));
        }
        natsMsgList_Destroy(&list);
        check_drain = false;
        first_at = -1;
    }
    if (o->stop && *o->stop)
        ret = 0;
out:
    for (int k = 0; k < NMSG_NKINDS; k++) {
        if (w.pipe[k]) {
            const struct pipeline_stats *ps = pipeline_get_stats(w.pipe[k]);
            st->ais_messages += ps->ais_messages;
            st->modes_frames += ps->modes_frames;
            st->obs += ps->obs;
            st->rejected += ps->rejected;
        }
        pipeline_free(w.pipe[k]);
    }
    natsSubscription_Destroy(sub);
    nlease_close(lease);
    ncl_close(c);
    return ret;
}
