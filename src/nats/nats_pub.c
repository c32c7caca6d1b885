/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_pub.c - batching, asynchronous JetStream publisher with retries and
 * a bounded buffer (see nats_pub.h).
 */
#include "nats/nats_pub.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nats/nats_client.h"
#include "nats/nats_msg.h"
#include "nats/nats_shard.h"

#define PUB_LINE_MAX 4096 /* longer lines are not published (counted as other) */

struct obatch {
    char *buf;
    size_t len, cap;
    uint32_t lines;
    int64_t t0; /* wall ms of the first line */
    bool more;  /* the last line is a non-final AIS part */
};

struct qent {
    natsMsg *m;
    uint64_t seq;
    uint32_t lines;
};

struct npub {
    struct npub_opts o;
    struct ncl *c;
    uint64_t run, seq;
    bool sim;
    struct obatch *open; /* [NMSG_NKINDS * nshards] */
    unsigned ais_shard;
    /* shared with the ack handler */
    pthread_mutex_t mu;
    struct qent *q; /* unsent batches, ascending seq */
    size_t qn, qcap;
    int64_t inflight;
    int64_t inflight_lines; /* lines of the batches in flight */
    int64_t last_progress;  /* monotonic ms of the last ack (or of the start) */
    int64_t last_reclaim;   /* monotonic ms of the last take-back of unanswered batches */
    int64_t hold_until;     /* monotonic ms: no sends before (after an error) */
    struct npub_stats st;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool contains(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (!memcmp(s + i, word, w))
            return true;
    return false;
}

static uint64_t hdr_u64(natsMsg *m, const char *key)
{
    const char *v = NULL;
    if (natsMsgHeader_Get(m, key, &v) != NATS_OK || !v)
        return 0;
    return strtoull(v, NULL, 10);
}

/* Put a batch into the queue in sequence order; caller holds mu. False
 * when the queue is full (the caller drops it). */
static bool q_insert(struct npub *p, natsMsg *m)
{
    if (p->qn == p->qcap)
        return false;
    struct qent e = {m, hdr_u64(m, "Orbat-Seq"), (uint32_t)hdr_u64(m, "Orbat-Lines")};
    size_t i = p->qn;
    while (i > 0 && p->q[i - 1].seq > e.seq)
        i--;
    memmove(p->q + i + 1, p->q + i, (p->qn - i) * sizeof *p->q);
    p->q[i] = e;
    p->qn++;
    return true;
}

static void drop_oldest(struct npub *p)
{
    // caller holds mu
    if (!p->qn)
        return;
    p->st.dropped++;
    p->st.dropped_lines += p->q[0].lines;
    natsMsg_Destroy(p->q[0].m);
    memmove(p->q, p->q + 1, (p->qn - 1) * sizeof *p->q);
    p->qn--;
}

static void ack_cb(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
    (void)js;
    struct npub *p = closure;
    pthread_mutex_lock(&p->mu);
    p->inflight--;
    p->inflight_lines -= (int64_t)hdr_u64(msg, "Orbat-Lines");
    if (pa) {
        p->st.acked++;
        p->st.acked_lines += hdr_u64(msg, "Orbat-Lines");
        p->st.duplicates += pa->Duplicate;
        p->last_progress = mono_ms();
        pthread_mutex_unlock(&p->mu);
        natsMsg_Destroy(msg);
        return;
    }
    (void)pae;
    // No stream leader (election), timeout, ...: send it again later, with
    // the same Nats-Msg-Id.
    p->st.retried++;
    p->hold_until = mono_ms() + 100;
    if (!q_insert(p, msg)) {
        p->st.dropped++;
        p->st.dropped_lines += hdr_u64(msg, "Orbat-Lines");
        natsMsg_Destroy(msg);
    }
    pthread_mutex_unlock(&p->mu);
}

struct npub *npub_open(const struct npub_opts *o, char *err, size_t errlen)
{
    struct npub *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->o = *o;
    if (!p->o.nshards)
        p->o.nshards = 1;
    if (!p->o.batch_lines || p->o.batch_lines > NMSG_LINES_MAX)
        p->o.batch_lines = p->o.batch_lines ? NMSG_LINES_MAX : 500;
    if (p->o.batch_ms <= 0)
        p->o.batch_ms = 100;
    if (!p->o.max_buffer)
        p->o.max_buffer = 1024;
    if (p->o.give_up_ms <= 0)
        p->o.give_up_ms = 30000;
    if (p->o.ack_wait_ms <= 0)
        p->o.ack_wait_ms = 2000;
    pthread_mutex_init(&p->mu, NULL);
    p->qcap = p->o.max_buffer + 1;
    p->q = calloc(p->qcap, sizeof *p->q);
    p->open = calloc((size_t)NMSG_NKINDS * p->o.nshards, sizeof *p->open);
    if (!p->q || !p->open) {
        snprintf(err, errlen, "out of memory");
        npub_close(p);
        return NULL;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    p->run = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
    p->ais_shard = nshard_ais(p->o.receiver, p->o.nshards);
    p->last_progress = mono_ms();
    int64_t pending = (int64_t)p->o.max_buffer < 256 ? (int64_t)p->o.max_buffer : 256;
    struct ncl_opts co = {.urls = o->urls,
                          .name = o->receiver,
                          .ack = ack_cb,
                          .ack_closure = p,
                          .max_pending = pending,
                          .connect_wait_ms = o->connect_wait_ms};
    if (!(p->c = ncl_open(&co, err, errlen))) {
        npub_close(p);
        return NULL;
    }
    return p;
}

/* Send queued batches while the library takes them. */
static void pump(struct npub *p)
{
    jsCtx *js = ncl_js(p->c);
    pthread_mutex_lock(&p->mu);
    while (p->qn && mono_ms() >= p->hold_until) {
        natsMsg *m = p->q[0].m;
        int64_t lines = p->q[0].lines;
        memmove(p->q, p->q + 1, (p->qn - 1) * sizeof *p->q);
        p->qn--;
        p->inflight++;
        p->inflight_lines += lines;
        pthread_mutex_unlock(&p->mu);
        natsStatus s = js_PublishMsgAsync(js, &m, NULL);
        pthread_mutex_lock(&p->mu);
        if (s != NATS_OK) {
            // Not taken (too many in flight, disconnected beyond the
            // reconnect buffer): back to the front, try again later.
            p->inflight--;
            p->inflight_lines -= lines;
            if (m && !q_insert(p, m))
                natsMsg_Destroy(m);
            if (s != NATS_TIMEOUT)
                p->hold_until = mono_ms() + 100;
            break;
        }
    }
    pthread_mutex_unlock(&p->mu);
}

/* Batches in flight with no answer for ack_wait_ms: take them back and
 * resend (the stream drops a second copy by its Nats-Msg-Id). */
static void reclaim(struct npub *p, bool now)
{
    pthread_mutex_lock(&p->mu);
    int64_t since = p->last_progress > p->last_reclaim ? p->last_progress : p->last_reclaim;
    bool stale = p->inflight > 0 && (now || mono_ms() - since >= p->o.ack_wait_ms);
    pthread_mutex_unlock(&p->mu);
    if (!stale)
        return;
    natsMsgList l = {0};
    if (js_PublishAsyncGetPendingList(&l, ncl_js(p->c)) != NATS_OK)
        return;
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < l.Count; i++) {
        p->inflight--;
        p->inflight_lines -= (int64_t)hdr_u64(l.Msgs[i], "Orbat-Lines");
        p->st.retried++;
        if (q_insert(p, l.Msgs[i]))
            l.Msgs[i] = NULL;
    }
    // Wait another ack_wait before reclaiming again.
    p->last_reclaim = mono_ms();
    pthread_mutex_unlock(&p->mu);
    natsMsgList_Destroy(&l);
}

static void close_batch(struct npub *p, enum nmsg_kind k, unsigned shard, int64_t now_ms)
{
    struct obatch *b = &p->open[(size_t)k * p->o.nshards + shard];
    if (!b->lines)
        return;
    char subj[64];
    nmsg_subject(subj, sizeof subj, k, shard);
    struct nmsg_hdr h = {.run = p->run,
                         .seq = ++p->seq,
                         .kind = k,
                         .recv_ms = now_ms,
                         .lines = b->lines,
                         .simulated = p->sim};
    snprintf(h.receiver, sizeof h.receiver, "%s", p->o.receiver);
    natsMsg *m = NULL;
    if (natsMsg_Create(&m, subj, NULL, b->buf, (int)b->len) != NATS_OK ||
        nmsg_put_header(m, &h) != NATS_OK) {
        natsMsg_Destroy(m);
        pthread_mutex_lock(&p->mu);
        p->st.dropped++;
        p->st.dropped_lines += b->lines;
        pthread_mutex_unlock(&p->mu);
    } else {
        pthread_mutex_lock(&p->mu);
        p->st.batches++;
        p->st.bytes += b->len;
        // Full buffer: wait for acknowledgements; once none has come for
        // give_up_ms, drop the oldest unsent batch.
        while ((int64_t)p->qn + p->inflight >= (int64_t)p->o.max_buffer) {
            if (mono_ms() - p->last_progress >= p->o.give_up_ms) {
                if (!p->qn) {
                    // All of it in the library: take it back to drop.
                    pthread_mutex_unlock(&p->mu);
                    reclaim(p, true);
                    pthread_mutex_lock(&p->mu);
                }
                if (p->qn) {
                    drop_oldest(p);
                } else {
                    // The library keeps them and gives nothing back:
                    // count them as lost and stop waiting for them.
                    p->st.dropped += (uint64_t)p->inflight;
                    p->st.dropped_lines += (uint64_t)p->inflight_lines;
                    p->inflight = p->inflight_lines = 0;
                }
                break;
            }
            pthread_mutex_unlock(&p->mu);
            pump(p);
            reclaim(p, false);
            nats_Sleep(5);
            pthread_mutex_lock(&p->mu);
        }
        if (!q_insert(p, m)) {
            p->st.dropped++;
            p->st.dropped_lines += b->lines;
            natsMsg_Destroy(m);
        }
        pthread_mutex_unlock(&p->mu);
    }
    b->len = 0;
    b->lines = 0;
    b->more = false;
    pump(p);
}

/* Append one line to the open batch of (k, shard); close it when full. */
static void add_line(struct npub *p, enum nmsg_kind k, unsigned shard, const char *line, size_t len,
                     int64_t now_ms)
{
    struct obatch *b = &p->open[(size_t)k * p->o.nshards + shard];
    if (b->len + len + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 65536;
        while (nc < b->len + len + 1)
            nc *= 2;
        char *nb = realloc(b->buf, nc);
        if (!nb) {
            p->st.other++;
            return;
        }
        b->buf = nb;
        b->cap = nc;
    }
    if (!b->lines)
        b->t0 = now_ms;
    memcpy(b->buf + b->len, line, len);
    b->buf[b->len + len] = '\n';
    b->len += len + 1;
    b->lines++;
    p->st.lines++;
    b->more = k == NMSG_AIS && nshard_ais_more(line, len);
    if (b->lines >= p->o.batch_lines && !b->more)
        close_batch(p, k, shard, now_ms);
}

void npub_line(struct npub *p, const char *line, size_t len, int64_t now_ms)
{
    while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    enum nline_kind lk = nshard_classify(line, len);
    if (lk == NLINE_COMMENT) {
        if (contains(line, len, "SIMULATION"))
            p->sim = true;
        return;
    }
    enum nmsg_kind k;
    unsigned shard;
    uint32_t icao = 0;
    if (lk == NLINE_AIS) {
        k = NMSG_AIS;
        shard = p->ais_shard;
    } else if (lk == NLINE_SBS) {
        k = NMSG_SBS;
        shard = nshard_sbs_icao(line, len, &icao) ? 0 : nshard_icao(icao, p->o.nshards);
    } else if (lk == NLINE_AVR) {
        k = NMSG_AVR;
        shard = nshard_avr_icao(line, len, &icao) ? 0 : nshard_icao(icao, p->o.nshards);
    } else {
        p->st.other++;
        return;
    }
    if (len > PUB_LINE_MAX) {
        p->st.other++;
        return;
    }
    add_line(p, k, shard, line, len, now_ms);
}

void npub_frame(struct npub *p, const struct orbat_modes_frame *f, int64_t t_ms, int64_t now_ms)
{
    // "<unix ms> <TTTTTTTTTTTTSS<hex>;": the AVR form that keeps the
    // counter and the signal level.
    static const char hex[] = "0123456789abcdef";
    char line[96];
    int sp = snprintf(line, sizeof line, "%lld ", (long long)t_ms);
    int n = sp + snprintf(line + sp, sizeof line - (size_t)sp, "<%012llx%02x",
                          (unsigned long long)(f->ts_12mhz & 0xFFFFFFFFFFFFull),
                          (unsigned)(f->has_signal ? f->signal : 0));
    if (sp < 2 || (size_t)n + 2u * f->len + 1 >= sizeof line) {
        p->st.other++;
        return;
    }
    size_t len = (size_t)n;
    for (unsigned i = 0; i < f->len && i < ORBAT_FRAME_MAX; i++) {
        line[len++] = hex[f->data[i] >> 4];
        line[len++] = hex[f->data[i] & 15];
    }
    line[len++] = ';';
    uint32_t icao = 0;
    unsigned shard =
        nshard_avr_icao(line + sp, len - (size_t)sp, &icao) ? 0 : nshard_icao(icao, p->o.nshards);
    add_line(p, NMSG_MODES, shard, line, len, now_ms);
}

void npub_tick(struct npub *p, int64_t now_ms)
{
    for (unsigned k = 0; k < NMSG_NKINDS; k++)
        for (unsigned s = 0; s < p->o.nshards; s++) {
            struct obatch *b = &p->open[(size_t)k * p->o.nshards + s];
            if (b->lines && !b->more && now_ms - b->t0 >= p->o.batch_ms)
                close_batch(p, (enum nmsg_kind)k, s, now_ms);
        }
    pump(p);
    reclaim(p, false);
}

int npub_finish(struct npub *p, int64_t wait_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    for (unsigned k = 0; k < NMSG_NKINDS; k++)
        for (unsigned s = 0; s < p->o.nshards; s++)
            close_batch(p, (enum nmsg_kind)k, s, now);
    for (;;) {
        pump(p);
        reclaim(p, false);
        pthread_mutex_lock(&p->mu);
        bool done = p->qn == 0 && p->inflight <= 0;
        bool late = mono_ms() - p->last_progress >= wait_ms;
        if (!done && late) {
            // Give up: what is left is dropped and counted.
            while (p->qn)
                drop_oldest(p);
        }
        bool ok = p->st.acked + p->st.dropped >= p->st.batches && p->st.dropped == 0;
        int64_t inflight = p->inflight;
        pthread_mutex_unlock(&p->mu);
        if (done || (late && inflight <= 0))
            return ok ? 0 : -1;
        if (late) {
            // In flight with no answer and nothing to resend: count them.
            pthread_mutex_lock(&p->mu);
            p->st.dropped += (uint64_t)inflight;
            p->st.dropped_lines += (uint64_t)p->inflight_lines;
            pthread_mutex_unlock(&p->mu);
            return -1;
        }
        nats_Sleep(5);
    }
}

void npub_get_stats(struct npub *p, struct npub_stats *st)
{
    pthread_mutex_lock(&p->mu);
    *st = p->st;
    pthread_mutex_unlock(&p->mu);
}

void npub_close(struct npub *p)
{
    if (!p)
        return;
    ncl_close(p->c);
    for (size_t i = 0; p->q && i < p->qn; i++)
        natsMsg_Destroy(p->q[i].m);
    for (size_t i = 0; p->open && i < (size_t)NMSG_NKINDS * p->o.nshards; i++)
        free(p->open[i].buf);
    free(p->open);
    free(p->q);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
