/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_stream.c - create/check the raw stream and the per-shard durable
 * consumers (see nats_stream.h).
 */
#include "nats/nats_stream.h"

#include <inttypes.h>
#include <string.h>

#include "nats/nats_client.h"

#define MS_NS ((int64_t)1000000)
#define S_NS  ((int64_t)1000000000)

/* JetStream error codes (nats-server jsErrCodes). */
#define JSERR_STREAM_NOT_FOUND   10059
#define JSERR_CONSUMER_NOT_FOUND 10014

void nstream_durable_name(char *buf, size_t cap, unsigned shard, unsigned nshards)
{
    snprintf(buf, cap, "shard-%u-of-%u", shard, nshards);
}

static const char *sname(const char *s)
{
    return s && *s ? s : NSTREAM_DEFAULT;
}

int nstream_ensure(jsCtx *js, const struct nstream_cfg *c, FILE *log, char *err, size_t errlen)
{
    static const char *subjects[] = {"orbat.raw.>"};
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    sc.Name = sname(c->stream);
    sc.Subjects = subjects;
    sc.SubjectsLen = 1;
    sc.Storage = c->memory ? js_MemoryStorage : js_FileStorage;
    sc.Replicas = c->replicas > 0 ? c->replicas : 3;
    sc.MaxAge = (c->max_age_ms > 0 ? c->max_age_ms : 7LL * 86400 * 1000) * MS_NS;
    sc.Duplicates = (c->dedup_ms > 0 ? c->dedup_ms : 600000) * MS_NS;
    sc.Retention = js_LimitsPolicy;
    sc.Discard = js_DiscardOld;
    jsStreamInfo *si = NULL;
    jsErrCode je = 0;
    char b[256];
    natsStatus s = js_GetStreamInfo(&si, js, sc.Name, NULL, &je);
    if (s == NATS_NOT_FOUND || je == JSERR_STREAM_NOT_FOUND) {
        je = 0;
        if ((s = js_AddStream(&si, js, &sc, NULL, &je)) != NATS_OK) {
            snprintf(err, errlen, "creating stream %s: %s", sc.Name,
                     ncl_errtext(s, je, b, sizeof b));
            return -1;
        }
        if (log)
            fprintf(
                log,
                "stream %s created: subjects orbat.raw.>, %s storage, %d replicas, max age %" PRId64
                " s, dedup window %" PRId64 " s\n",
                sc.Name, c->memory ? "memory" : "file", (int)sc.Replicas, sc.MaxAge / S_NS,
                sc.Duplicates / S_NS);
        jsStreamInfo_Destroy(si);
        return 0;
    }
    if (s != NATS_OK) {
        snprintf(err, errlen, "stream %s: %s", sc.Name, ncl_errtext(s, je, b, sizeof b));
        return -1;
    }
    const jsStreamConfig *have = si->Config;
    bool subj_ok = have->SubjectsLen == 1 && !strcmp(have->Subjects[0], subjects[0]);
    bool storage_ok = have->Storage == sc.Storage;
    if (!subj_ok || !storage_ok) {
        snprintf(err, errlen,
                 "stream %s exists with %s%s; delete it (nats stream rm) or use --stream", sc.Name,
                 subj_ok ? "" : "other subjects", storage_ok ? "" : " another storage type");
        jsStreamInfo_Destroy(si);
        return -1;
    }
    bool same = have->Replicas == sc.Replicas && have->MaxAge == sc.MaxAge &&
                have->Duplicates == sc.Duplicates;
    jsStreamInfo_Destroy(si);
    si = NULL;
    if (same) {
        if (log)
            fprintf(log, "stream %s exists with this configuration\n", sc.Name);
        return 0;
    }
    if ((s = js_UpdateStream(&si, js, &sc, NULL, &je)) != NATS_OK) {
        snprintf(err, errlen, "updating stream %s: %s", sc.Name, ncl_errtext(s, je, b, sizeof b));
        return -1;
    }
    jsStreamInfo_Destroy(si);
    if (log)
        fprintf(log,
                "stream %s updated: %d replicas, max age %" PRId64 " s, dedup window %" PRId64
                " s\n",
                sc.Name, (int)sc.Replicas, sc.MaxAge / S_NS, sc.Duplicates / S_NS);
    return 0;
}

int nconsumer_ensure(jsCtx *js, const char *stream, const struct nconsumer_cfg *c, FILE *log,
                     char *err, size_t errlen)
{
    char durable[96], filter[64], b[256];
    if (c->durable && *c->durable)
        snprintf(durable, sizeof durable, "%s", c->durable);
    else
        nstream_durable_name(durable, sizeof durable, c->shard, c->nshards);
    snprintf(filter, sizeof filter, "orbat.raw.*.%u", c->shard);
    jsConsumerInfo *ci = NULL;
    jsErrCode je = 0;
    natsStatus s = js_GetConsumerInfo(&ci, js, sname(stream), durable, NULL, &je);
    if (s == NATS_OK) {
        bool ok =
            ci->Config && ci->Config->FilterSubject && !strcmp(ci->Config->FilterSubject, filter);
        jsConsumerInfo_Destroy(ci);
        if (!ok) {
            snprintf(err, errlen, "consumer %s exists with another filter than %s", durable,
                     filter);
            return -1;
        }
        if (log)
            fprintf(log, "consumer %s exists (filter %s)\n", durable, filter);
        return 0;
    }
    if (s != NATS_NOT_FOUND && je != JSERR_CONSUMER_NOT_FOUND) {
        snprintf(err, errlen, "consumer %s: %s", durable, ncl_errtext(s, je, b, sizeof b));
        return -1;
    }
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = durable;
    cc.FilterSubject = filter;
    cc.AckPolicy = js_AckExplicit;
    cc.DeliverPolicy = js_DeliverAll;
    cc.AckWait = (c->ack_wait_ms > 0 ? c->ack_wait_ms : 30000) * MS_NS;
    cc.MaxAckPending = c->max_ack_pending > 0 ? c->max_ack_pending : 1000;
    je = 0;
    if ((s = js_AddConsumer(&ci, js, sname(stream), &cc, NULL, &je)) != NATS_OK) {
        snprintf(err, errlen, "creating consumer %s: %s", durable, ncl_errtext(s, je, b, sizeof b));
        return -1;
    }
    jsConsumerInfo_Destroy(ci);
    if (log)
        fprintf(log, "consumer %s created (filter %s, explicit ack, ack wait %" PRId64 " ms)\n",
                durable, filter, cc.AckWait / MS_NS);
    return 0;
}

int nconsumer_lag(jsCtx *js, const char *stream, const char *durable, uint64_t *pending,
                  int64_t *ack_pending, char *err, size_t errlen)
{
    jsConsumerInfo *ci = NULL;
    jsErrCode je = 0;
    char b[256];
    natsStatus s = js_GetConsumerInfo(&ci, js, sname(stream), durable, NULL, &je);
    if (s != NATS_OK) {
        snprintf(err, errlen, "consumer %s: %s", durable, ncl_errtext(s, je, b, sizeof b));
        return -1;
    }
    *pending = ci->NumPending;
    *ack_pending = ci->NumAckPending;
    jsConsumerInfo_Destroy(ci);
    return 0;
}

int nstream_status(jsCtx *js, const char *stream, FILE *out, char *err, size_t errlen)
{
    jsStreamInfo *si = NULL;
    jsErrCode je = 0;
    char b[256];
    natsStatus s = js_GetStreamInfo(&si, js, sname(stream), NULL, &je);
    if (s != NATS_OK) {
        snprintf(err, errlen, "stream %s: %s", sname(stream), ncl_errtext(s, je, b, sizeof b));
        return -1;
    }
    fprintf(out,
            "stream %s: %" PRIu64 " messages, %" PRIu64 " bytes, seq %" PRIu64 "..%" PRIu64
            ", %s storage, %d replicas, %d consumers\n",
            si->Config->Name, si->State.Msgs, si->State.Bytes, si->State.FirstSeq,
            si->State.LastSeq, si->Config->Storage == js_MemoryStorage ? "memory" : "file",
            (int)si->Config->Replicas, (int)si->State.Consumers);
    if (si->Cluster) {
        fprintf(out, "cluster %s: leader %s", si->Cluster->Name ? si->Cluster->Name : "-",
                si->Cluster->Leader ? si->Cluster->Leader : "(none)");
        for (int i = 0; i < si->Cluster->ReplicasLen; i++) {
            jsPeerInfo *p = si->Cluster->Replicas[i];
            fprintf(out, ", replica %s %s", p->Name, p->Current ? "current" : "behind");
        }
        fprintf(out, "\n");
    }
    jsStreamInfo_Destroy(si);
    jsConsumerInfoList *cl = NULL;
    je = 0;
    if ((s = js_Consumers(&cl, js, sname(stream), NULL, &je)) != NATS_OK && s != NATS_NOT_FOUND) {
        snprintf(err, errlen, "consumers of %s: %s", sname(stream),
                 ncl_errtext(s, je, b, sizeof b));
        return -1;
    }
    fprintf(out, "%-24s %-18s %10s %12s %11s %12s\n", "consumer", "filter", "pending",
            "ack-pending", "redelivered", "ack-floor");
    for (int i = 0; cl && i < cl->Count; i++) {
        jsConsumerInfo *ci = cl->List[i];
        fprintf(out, "%-24s %-18s %10" PRIu64 " %12" PRId64 " %11" PRId64 " %12" PRIu64 "\n",
                ci->Name, ci->Config && ci->Config->FilterSubject ? ci->Config->FilterSubject : "-",
                ci->NumPending, ci->NumAckPending, ci->NumRedelivered, ci->AckFloor.Stream);
    }
    // Active/standby leases (nats_lease.h): who holds each shard.
    char bucket[96];
    snprintf(bucket, sizeof bucket, "%s_LEASES", sname(stream));
    kvStore *kv = NULL;
    kvKeysList keys = {0};
    if (js_KeyValue(&kv, js, bucket) == NATS_OK && kvStore_Keys(&keys, kv, NULL) == NATS_OK) {
        for (int i = 0; i < keys.Count; i++) {
            kvEntry *e = NULL;
            if (kvStore_Get(&e, kv, keys.Keys[i]) == NATS_OK)
                fprintf(out, "lease %s: held by %.*s (revision %" PRIu64 ")\n", keys.Keys[i],
                        kvEntry_ValueLen(e), (const char *)kvEntry_Value(e), kvEntry_Revision(e));
            kvEntry_Destroy(e);
        }
    }
    kvKeysList_Destroy(&keys);
    kvStore_Destroy(kv);
    jsConsumerInfoList_Destroy(cl);
    return 0;
}
