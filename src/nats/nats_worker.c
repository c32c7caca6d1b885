/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_worker.c - the shard worker of `orbat ingest --nats`: fetch,
 * decode, ingest in one transaction, then acknowledge (see nats_worker.h).
 */
#include "nats/nats_worker.h"

#include <inttypes.h>
#include <string.h>

#include "core/pipeline.h"
#include "nats/nats_client.h"
#include "nats/nats_msg.h"
#include "nats/nats_stream.h"

struct wctx {
    struct ingest *g;
    struct pipeline *pipe[NMSG_NKINDS];
    struct nmsg_hdr h; /* of the message being fed */
    natsMsgList *list;
    struct nworker_stats *st;
    const char *srcname; /* the store source of the shard */
};

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
            w->st->bad++;
            continue;
        }
        struct pipeline *p = w->pipe[w->h.kind];
        // The publisher saw the source's SIMULATION mark: say it again here,
        // each message being a pipeline source of its own.
        if (w->h.simulated)
            pipeline_feed(p, (const uint8_t *)sim_line, sizeof sim_line - 1, w->srcname);
        int len = natsMsg_GetDataLength(m);
        pipeline_feed(p, (const uint8_t *)natsMsg_GetData(m), (size_t)(len > 0 ? len : 0),
                      w->srcname);
        pipeline_end_source(p);
        w->st->lines += w->h.lines;
        pos += (uint64_t)(len > 0 ? len : 0);
        ingest_emit_pos(g, pos);
    }
    return 0;
}

static bool drained(jsCtx *js, const struct nworker_opts *o, const char *durable)
{
    uint64_t pending = 0;
    int64_t ack_pending = 0;
    char e[256];
    if (nconsumer_lag(js, o->stream, durable, &pending, &ack_pending, e, sizeof e))
        return false;
    return pending == 0 && ack_pending == 0;
}

int nworker_run(struct ingest *g, const struct nworker_opts *o, struct nworker_stats *st, char *err,
                size_t errlen)
{
    char durable[96], filter[64], srcname[160], b[256];
    if (o->durable && *o->durable)
        snprintf(durable, sizeof durable, "%s", o->durable);
    else
        nstream_durable_name(durable, sizeof durable, o->shard, o->nshards);
    snprintf(filter, sizeof filter, "orbat.raw.*.%u", o->shard);
    const char *stream = o->stream && *o->stream ? o->stream : NSTREAM_DEFAULT;
    snprintf(srcname, sizeof srcname, "nats:%s/shard-%u", stream, o->shard);

    struct wctx w = {.g = g, .st = st, .srcname = srcname};
    static const enum pipeline_input inputs[NMSG_NKINDS] = {PIPE_NMEA, PIPE_SBS, PIPE_AVR};
    int ret = -1;
    struct ncl *c = NULL;
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
    struct nconsumer_cfg cc = {.shard = o->shard,
                               .nshards = o->nshards,
                               .durable = durable,
                               .ack_wait_ms = o->ack_wait_ms};
    if (nconsumer_ensure(js, stream, &cc, o->log, err, errlen))
        goto out;
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = stream;
    so.Consumer = durable;
    jsErrCode je = 0;
    natsStatus s = js_PullSubscribe(&sub, js, filter, durable, NULL, &so, &je);
    if (s != NATS_OK) {
        snprintf(err, errlen, "subscribing to %s: %s", durable, ncl_errtext(s, je, b, sizeof b));
        goto out;
    }
    int fetch = o->fetch > 0 ? o->fetch : 64;
    int64_t wait = o->fetch_wait_ms > 0 ? o->fetch_wait_ms : 500;
    // A drain with everything already done returns at once.
    bool check_drain = o->drain;
    while (!(o->stop && *o->stop)) {
        if (check_drain && drained(js, o, durable)) {
            ret = 0;
            break;
        }
        natsMsgList list = {0};
        je = 0;
        s = natsSubscription_Fetch(&list, sub, fetch, wait, &je);
        if (s == NATS_TIMEOUT || (s == NATS_OK && list.Count == 0)) {
            natsMsgList_Destroy(&list);
            check_drain = o->drain;
            continue;
        }
        if (s != NATS_OK) {
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
        w.list = &list;
        struct ingest_source_desc d = {.name = srcname, .sha256 = srcname};
        int rc = ingest_source(g, &d, produce, &w);
        if (rc != ORBAT_OK && rc != ORBAT_AGAIN) {
            snprintf(err, errlen, "%s: batch not stored (%s); it will be redelivered", durable,
                     orbat_strerror(rc));
            natsMsgList_Destroy(&list);
            goto out;
        }
        st->fetches++;
        st->messages += (uint64_t)list.Count;
        // Ack policy all: acknowledging the last message acknowledges the
        // batch. Synchronously, so a lost ack is seen (and counted: the
        // batch comes again, and is a no-op in the store).
        je = 0;
        if ((s = natsMsg_AckSync(list.Msgs[list.Count - 1], NULL, &je)) != NATS_OK) {
            st->ack_errors++;
            if (o->log)
                fprintf(o->log, "orbat ingest: %s: ack: %s (the batch will be redelivered)\n",
                        durable, ncl_errtext(s, je, b, sizeof b));
        }
        natsMsgList_Destroy(&list);
        check_drain = false;
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
    ncl_close(c);
    return ret;
}
