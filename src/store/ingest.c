/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ingest.c - source files -> pipeline -> identification -> events engine ->
 * store; see ingest.h for the idempotency and crash-safety contract and
 * docs/store.md for the design.
 *
 * Per observation the hot path is: identification cache, events engine,
 * then one open-addressing hash probe for the asset and a minute-bucket
 * comparison. Only a position that opens a new minute for its asset (or is
 * earlier than the one kept for that minute) reaches the store, with its raw
 * message; identity is written when identification changes.
 *
 * Two threads per source: a reader thread reads and decodes (input ->
 * pipeline) into batches of observations, each with a copy of its raw
 * bytes, handed over through a small bounded queue; the calling thread takes
 * them in order and runs identification, the events engine and the store.
 * The observations, their order and so everything stored are the same as
 * with one thread; decoding just runs on the second core.
 */
#include "store/ingest.h"

#include "orbat/orbat.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "events/events.h"
#include "registry/identify.h"
#include "store/sha256.h"
#include "util/input.h"

#define ING_CHUNK       (1 << 17)
#define ING_MAX_SOURCES 1024
/* Minutes known to be held in the store, (asset, minute) -> earliest time
 * kept: a cache that saves the database round trip for a message the
 * store would not keep (same minute, not earlier), as in repeated or
 * overlapping input. It starts small (so that it stays in the CPU caches),
 * doubles when 3/4 full up to ING_KEPT_CAP entries and is cleared when that
 * is 3/4 full; correctness never depends on it. 16 bytes per entry. */
#define ING_KEPT_MIN_BITS 14
#define ING_KEPT_CAP      (1u << 20)

struct ing_asset {
    uint64_t key; /* kind << 32 | id; 0 marks an empty slot (kind >= 1) */
    uint32_t seq; /* 1, 2, ... in order of creation: the writer's name for it */
    int64_t first_ms, last_ms;
    uint32_t evals; /* identification evaluations already written */
    bool written;   /* identity written (queued) at least once */
    bool dirty;     /* identity to (re)write */
    bool touched;   /* seen since the last flush of first/last times */
    /* aircraft: the last velocity (see ING_VEL_MAX_AGE_MS); vel_ms 0: none */
    int64_t sog_ms, cog_ms;
    double sog_kn, cog_deg;
};

/* The events engines: ships and aircraft each get their own, as the NATS
 * shard workers have (src/nats/nats_worker.c). An engine's clock is the
 * newest time it has seen (dark, expiry and gap checks run on it), and the
 * sources of one run are read one after another: with one engine, a
 * 10-day AIS file read first would put the clock days ahead of an SBS file
 * read next, so its aircraft would never go "dark" and their spans would
 * merge across flights, and the result would depend on file order. No
 * event involves a ship and an aircraft together (encounters are between
 * two ships), so nothing needs both in one engine. Within a class, the
 * sources should still come in time order (docs/events.md). */
enum {
    ING_EV_SHIP,
    ING_EV_AIR,
    ING_NEV
};

/* An observation this much older than the newest of its class from the
 * sources read before is counted as out of order (ingest_stats.behind):
 * its class's clock is ahead of it, so its track expiries, dark and gap
 * events are not what the data in time order gives. */
#define ING_BEHIND_MS 3600000

/* The last velocity of an aircraft (ADS-B sends it in messages of its own:
 * SBS MSG,4, DF17/18 TC 19) is carried into its next position observations
 * while at most ING_VEL_MAX_AGE_MS old: readsb (wiedehopf) keeps gs and
 * track valid for TRACK_EXPIRE = 60 s after the last velocity message, and
 * so do its aircraft.json and traces. The store has no vertical rate. */
#define ING_VEL_MAX_AGE_MS 60000

struct kept_ent {
    uint64_t key; /* asset seq << 26 | minute; 0: empty */
    int64_t t_ms;
};

struct ing_source {
    char *name;
    int64_t id;
};

/* Reader thread batches: RD_OBS observations and their raw bytes (a raw
 * message is at most one input line, LINEBUF_CAP bytes). */
#define RD_OBS    4096
#define RD_RAW    (1u << 19)
#define RD_NBATCH 6

struct rd_batch {
    size_t n, raw_used;
    uint64_t pos; /* input position (raw bytes) when it was handed over */
    struct obs o[RD_OBS];
    char raw[RD_RAW];
};

/* A bounded queue of batches between a producer and a consumer thread:
 * each of its n batches is free, being filled (the producer's), queued, or
 * being consumed. The consumer can ask the producer to stop (an error). */
#define BQ_MAX 8

struct bq {
    pthread_mutex_t mu;
    pthread_cond_t cv_full, cv_free;
    void *freeb[BQ_MAX];
    size_t nfree;
    void *full[BQ_MAX];
    size_t fhead, fcount;
    bool done;
    int stop; /* the consumer's error (a negative enum orbat_err), 0 if none */
};

struct reader {
    struct bq q;
    struct rd_batch *all[RD_NBATCH];
    struct rd_batch *cur;
    int rerr;    /* errno of a read error, 0 if none */
    double cpu;  /* CPU seconds of the reader threads */
    bool direct; /* no thread: the pipeline calls obs_cb itself */
    struct input *in;
    unsigned char *buf;
    /* a producer source (ingest_source) instead of input + pipeline */
    ingest_produce_fn produce;
    void *pctx;
    uint64_t ppos; /* the producer's position (ingest_emit_pos) */
    int perr;      /* the producer's return value */
};

/* The writer thread owns the store connection while a source is read: the
 * producer (ingest_file's thread) appends write records to chunks that
 * the writer executes in order. Assets are named by their seq; the writer
 * maps it to the store's row id and to the raw message of the last
 * identification change. Without the writer (ingest_finish, or if the
 * thread could not start) each record is executed when it is made. */
#define WR_CHUNK   (1u << 18)
#define WR_NCHUNK  4
#define WR_REC_MAX (sizeof(struct wrec) + sizeof(struct store_asset) + 8192)

enum wr_type {
    WR_ASSET_RAW,
    WR_ASSET,
    WR_EVENT,
    WR_OBS,
    WR_COMMIT
};

struct wrec {
    uint32_t type; /* enum wr_type */
    uint32_t seq;  /* the asset */
    uint32_t size; /* of the whole record, a multiple of 8 */
    uint32_t raw_len;
    int64_t raw_source; /* source id of the raw message that follows; 0: none */
    uint64_t raw_offset;
    /* then the payload (struct store_asset / store_event / store_obs), then
     * raw_len bytes */
};

struct wr_chunk {
    size_t used;
    uint64_t data[WR_CHUNK / 8];
};

struct wr_ids {
    int64_t id;     /* store row id */
    int64_t raw_id; /* the raw message that last changed its identification */
};

struct writer {
    struct bq q;
    struct wr_chunk *all[WR_NCHUNK];
    struct wr_chunk *cur; /* NULL: no thread, records run at once */
    uint64_t scratch[WR_REC_MAX / 8 + 1];
    pthread_t th;
    /* the writer's side */
    struct wr_ids *ids;
    size_t nids;
    uint64_t raw, kept, events;
    double cpu; /* CPU seconds of the writer threads */
};

struct ingest {
    struct store *s;
    struct theatre *th;
    struct ident_cache *ident;
    /* one events engine per class (ING_EV_SHIP, ING_EV_AIR), each on its
     * own data clock: see ev_of */
    struct ev_engine *ev[ING_NEV];
    /* the newest observation time per class, and its value when the
     * current source began */
    int64_t cls_clock[ING_NEV], cls_clock0[ING_NEV];
    struct pipeline *pipe;
    struct ingest_opts opts;
    struct ingest_stats st;
    /* (asset, minute) cache, see ING_KEPT_CAP */
    struct kept_ent *kept;
    size_t kept_count;
    unsigned kept_bits; /* capacity 1 << kept_bits */
    /* asset hash */
    struct ing_asset *tab;
    size_t cap, count;
    /* sources of this run, for provenance of event points */
    struct ing_source src[ING_MAX_SOURCES];
    size_t nsrc;
    /* the source being ingested */
    struct store_source cur;
    bool in_source;
    /* batching */
    bool in_tx;
    uint32_t pending;
    uint64_t tick;
    int64_t batch_t0;
    int err; /* first store error; later writes are skipped */
    /* progress */
    int64_t prog_t0, prog_last;
    uint64_t prog_x0;
    uint64_t prog_size, prog_obs, prog_pos;
    /* the reader thread of the current source */
    struct reader rd;
    uint64_t xobs, xbytes; /* observations and bytes of producer sources */
    uint32_t next_seq;
    struct writer wr;
};

/* CPU seconds of the calling thread. */
static double thread_cpu_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t akey(enum obs_kind kind, uint32_t id)
{
    return (uint64_t)kind << 32 | id;
}

static size_t ahash(uint64_t k, size_t cap)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k & (cap - 1);
}

static int amap_grow(struct ingest *g)
{
    size_t ncap = g->cap ? g->cap * 2 : 4096;
    struct ing_asset *nt = calloc(ncap, sizeof *nt);
    if (!nt)
        return ORBAT_E_NOMEM;
    for (size_t i = 0; i < g->cap; i++) {
        if (!g->tab[i].key)
            continue;
        size_t j = ahash(g->tab[i].key, ncap);
        while (nt[j].key)
            j = (j + 1) & (ncap - 1);
        nt[j] = g->tab[i];
    }
    free(g->tab);
    g->tab = nt;
    g->cap = ncap;
    return ORBAT_OK;
}

/* Find or create. The pointer is valid until the next creation. */
static struct ev_engine *ev_of(struct ingest *g, enum obs_kind kind)
{
    return g->ev[kind == OBS_AIRCRAFT ? ING_EV_AIR : ING_EV_SHIP];
}

/* An aircraft's observation at t_ms with its own ground speed and track
 * (NAN where it has none): remember them as the last velocity, or fill
 * them in from the last one when it is at most ING_VEL_MAX_AGE_MS older
 * (never from a later one: a source read out of order carries nothing). */
static void carry_velocity(struct ing_asset *a, int64_t t_ms, double *sog, double *cog)
{
    if (!isnan(*sog)) {
        a->sog_kn = *sog;
        a->sog_ms = t_ms;
    } else if (a->sog_ms && t_ms >= a->sog_ms && t_ms - a->sog_ms <= ING_VEL_MAX_AGE_MS) {
        *sog = a->sog_kn;
    }
    if (!isnan(*cog)) {
        a->cog_deg = *cog;
        a->cog_ms = t_ms;
    } else if (a->cog_ms && t_ms >= a->cog_ms && t_ms - a->cog_ms <= ING_VEL_MAX_AGE_MS) {
        *cog = a->cog_deg;
    }
}

static struct ing_asset *amap_get(struct ingest *g, enum obs_kind kind, uint32_t id)
{
    if ((g->count + 1) * 10 > g->cap * 7 && amap_grow(g) != ORBAT_OK)
        return NULL;
    uint64_t k = akey(kind, id);
    size_t j = ahash(k, g->cap);
    while (g->tab[j].key && g->tab[j].key != k)
        j = (j + 1) & (g->cap - 1);
    struct ing_asset *a = &g->tab[j];
    if (!a->key) {
        memset(a, 0, sizeof *a);
        a->key = k;
        a->seq = ++g->next_seq;
        a->dirty = true;
        g->count++;
    }
    return a;
}

static void db_error(struct ingest *g, int rc)
{
    g->st.db_errors++;
    if (!g->err)
        g->err = rc;
}

static int64_t source_id_of(struct ingest *g, const char *name)
{
    if (!name)
        return 0;
    if (g->in_source && !strcmp(name, g->cur.name))
        return g->cur.id;
    for (size_t i = 0; i < g->nsrc; i++)
        if (!strcmp(g->src[i].name, name))
            return g->src[i].id;
    return 0;
}

/* The bounded queue (see struct bq). */
static int bq_init(struct bq *q, void *const *items, size_t n)
{
    memset(q, 0, sizeof *q);
    if (pthread_mutex_init(&q->mu, NULL))
        return -1;
    if (pthread_cond_init(&q->cv_full, NULL)) {
        pthread_mutex_destroy(&q->mu);
        return -1;
    }
    if (pthread_cond_init(&q->cv_free, NULL)) {
        pthread_cond_destroy(&q->cv_full);
        pthread_mutex_destroy(&q->mu);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        q->freeb[q->nfree++] = items[i];
    return 0;
}

static void bq_destroy(struct bq *q)
{
    pthread_cond_destroy(&q->cv_free);
    pthread_cond_destroy(&q->cv_full);
    pthread_mutex_destroy(&q->mu);
}

/* Producer: queue a filled batch (NULL: none), mark the end when `last`;
 * otherwise wait for and return a free batch. *stop receives the consumer's
 * error, if any. */
static void *bq_put(struct bq *q, void *b, bool last, int *stop)
{
    void *next = NULL;
    pthread_mutex_lock(&q->mu);
    if (b) {
        q->full[(q->fhead + q->fcount) % BQ_MAX] = b;
        q->fcount++;
    }
    if (last)
        q->done = true;
    pthread_cond_signal(&q->cv_full);
    if (!last) {
        while (!q->nfree)
            pthread_cond_wait(&q->cv_free, &q->mu);
        next = q->freeb[--q->nfree];
    }
    *stop = q->stop;
    pthread_mutex_unlock(&q->mu);
    return next;
}

static int bq_stopped(struct bq *q)
{
    pthread_mutex_lock(&q->mu);
    int stop = q->stop;
    pthread_mutex_unlock(&q->mu);
    return stop;
}

/* Consumer: the next batch in order, NULL at the end. */
static void *bq_pop(struct bq *q)
{
    pthread_mutex_lock(&q->mu);
    while (!q->fcount && !q->done)
        pthread_cond_wait(&q->cv_full, &q->mu);
    void *b = NULL;
    if (q->fcount) {
        b = q->full[q->fhead];
        q->fhead = (q->fhead + 1) % BQ_MAX;
        q->fcount--;
    }
    pthread_mutex_unlock(&q->mu);
    return b;
}

/* Consumer: give a batch back; a non-zero stop asks the producer to stop. */
static void bq_release(struct bq *q, void *b, int stop)
{
    pthread_mutex_lock(&q->mu);
    q->freeb[q->nfree++] = b;
    if (stop && !q->stop)
        q->stop = stop;
    pthread_cond_signal(&q->cv_free);
    pthread_mutex_unlock(&q->mu);
}

/* The writer's map from asset seq to store ids. */
static struct wr_ids *wr_ids(struct writer *w, uint32_t seq)
{
    if (seq >= w->nids) {
        size_t n = w->nids ? w->nids : 4096;
        while (n <= seq)
            n *= 2;
        struct wr_ids *ni = realloc(w->ids, n * sizeof *ni);
        if (!ni)
            return NULL;
        memset(ni + w->nids, 0, (n - w->nids) * sizeof *ni);
        w->ids = ni;
        w->nids = n;
    }
    return &w->ids[seq];
}

/* Execute one write record on the store (the writer thread, or the caller
 * when there is none). Returns ORBAT_OK or the store's error. */
static int wr_exec(struct store *s, struct writer *w, const struct wrec *r)
{
    const void *payload = r + 1;
    size_t psize = r->type == WR_ASSET   ? sizeof(struct store_asset)
                   : r->type == WR_EVENT ? sizeof(struct store_event)
                   : r->type == WR_OBS   ? sizeof(struct store_obs)
                                         : 0;
    struct store_raw raw = {.source_id = r->raw_source,
                            .offset = r->raw_offset,
                            .data = (const char *)payload + psize,
                            .len = r->raw_len};
    struct wr_ids *ids = r->type == WR_COMMIT ? NULL : wr_ids(w, r->seq);
    if (r->type != WR_COMMIT && !ids)
        return ORBAT_E_NOMEM;
    int rc = ORBAT_OK;
    switch ((enum wr_type)r->type) {
    case WR_ASSET_RAW:
        // The raw message that changed the identification (0 without a
        // source, as the identity's raw_id then stays what it was).
        ids->raw_id = 0;
        if (r->raw_source && (rc = store_raw_put(s, &raw)) == ORBAT_OK) {
            ids->raw_id = raw.id;
            w->raw++;
        }
        break;
    case WR_ASSET: {
        struct store_asset sa;
        memcpy(&sa, payload, sizeof sa);
        sa.raw_id = ids->raw_id;
        if ((rc = store_asset_put(s, &sa)) == ORBAT_OK)
            ids->id = sa.id;
        break;
    }
    case WR_EVENT: {
        struct store_event se;
        memcpy(&se, payload, sizeof se);
        se.asset_id = ids->id;
        if (r->raw_source) {
            if ((rc = store_raw_put(s, &raw)) != ORBAT_OK)
                break;
            se.raw_id = raw.id;
            w->raw++;
        }
        if ((rc = store_event_put(s, &se)) == ORBAT_OK)
            w->events++;
        break;
    }
    case WR_OBS: {
        struct store_obs so;
        memcpy(&so, payload, sizeof so);
        so.asset_id = ids->id;
        rc = store_obs_put(s, &so, &raw);
        if (rc == ORBAT_OK) {
            w->kept++;
            w->raw++;
        } else if (rc == ORBAT_AGAIN) {
            rc = ORBAT_OK;
        }
        break;
    }
    case WR_COMMIT:
        if ((rc = store_commit(s)) == ORBAT_OK)
            rc = store_begin(s);
        break;
    }
    return rc;
}

static void *wr_main(void *arg)
{
    struct ingest *g = arg;
    struct writer *w = &g->wr;
    struct wr_chunk *c;
    int err = 0;
    while ((c = bq_pop(&w->q)) != NULL) {
        for (size_t at = 0; at < c->used && !err;) {
            const struct wrec *r = (const struct wrec *)((const char *)c->data + at);
            err = wr_exec(g->s, w, r);
            at += r->size;
        }
        c->used = 0;
        bq_release(&w->q, c, err);
    }
    w->cpu += thread_cpu_s();
    return NULL;
}

static void db_error(struct ingest *g, int rc);

/* A new write record with room for psize + raw_len bytes after its header;
 * finished by wr_done. NULL after a store error. */
static struct wrec *wr_new(struct ingest *g, enum wr_type type, uint32_t seq, size_t psize,
                           size_t raw_len)
{
    struct writer *w = &g->wr;
    if (g->err)
        return NULL;
    if (raw_len > 8192) // a raw message is at most one input line
        raw_len = 8192;
    size_t size = (sizeof(struct wrec) + psize + raw_len + 7) & ~(size_t)7;
    struct wrec *r;
    if (!w->cur) {
        r = (struct wrec *)w->scratch;
    } else {
        if (w->cur->used + size > WR_CHUNK) {
            int stop = 0;
            w->cur = bq_put(&w->q, w->cur, false, &stop);
            w->cur->used = 0;
            if (stop) {
                db_error(g, stop);
                return NULL;
            }
        }
        r = (struct wrec *)((char *)w->cur->data + w->cur->used);
    }
    memset(r, 0, sizeof *r);
    r->type = type;
    r->seq = seq;
    r->size = (uint32_t)size;
    r->raw_len = (uint32_t)raw_len;
    return r;
}

static void *wr_payload(struct wrec *r)
{
    return r + 1;
}

static void wr_set_raw(struct wrec *r, size_t psize, int64_t source_id, uint64_t offset,
                       const char *raw)
{
    r->raw_source = source_id;
    r->raw_offset = offset;
    if (r->raw_len)
        memcpy((char *)(r + 1) + psize, raw, r->raw_len);
}

static void wr_done(struct ingest *g, struct wrec *r)
{
    struct writer *w = &g->wr;
    if (w->cur) {
        w->cur->used += r->size;
        return;
    }
    int rc = wr_exec(g->s, w, r);
    if (rc)
        db_error(g, rc);
}

/* Hand the filled chunk to the writer now (a commit should not wait). */
static void wr_flush(struct ingest *g)
{
    struct writer *w = &g->wr;
    if (!w->cur || !w->cur->used)
        return;
    int stop = 0;
    w->cur = bq_put(&w->q, w->cur, false, &stop);
    w->cur->used = 0;
    if (stop)
        db_error(g, stop);
}

/* Start the writer thread; without it records run at once. */
static void wr_start(struct ingest *g)
{
    struct writer *w = &g->wr;
    if (w->cur || g->err || g->opts.single_thread ||
        bq_init(&w->q, (void *const *)w->all, WR_NCHUNK))
        return;
    int stop;
    w->cur = bq_put(&w->q, NULL, false, &stop);
    w->cur->used = 0;
    if (pthread_create(&w->th, NULL, wr_main, g)) {
        w->cur = NULL;
        bq_destroy(&w->q);
    }
}

/* Hand over the rest, wait for the writer to finish, take back the store. */
static void wr_stop(struct ingest *g)
{
    struct writer *w = &g->wr;
    if (!w->cur)
        return;
    int stop = 0;
    bq_put(&w->q, w->cur->used ? w->cur : NULL, true, &stop);
    pthread_join(w->th, NULL);
    w->cur = NULL;
    stop = bq_stopped(&w->q);
    bq_destroy(&w->q);
    if (stop && !g->err) // (already counted when the producer saw it)
        db_error(g, stop);
}

/* A raw message that changed an asset's identification. */
static void put_asset_raw(struct ingest *g, const struct ing_asset *a, int64_t source_id,
                          uint64_t offset, const char *raw, size_t len)
{
    struct wrec *r = wr_new(g, WR_ASSET_RAW, a->seq, 0, raw && source_id ? len : 0);
    if (!r)
        return;
    wr_set_raw(r, 0, source_id, offset, raw);
    wr_done(g, r);
    g->pending++;
}

/* Which identification categories make the order of battle, and from what
 * confidence: warships, military aircraft and law-enforcement (coast guard)
 * assets identified at least "likely". */
static bool is_military(const struct ident_result *r)
{
    return (r->category == CAT_WARSHIP || r->category == CAT_MILITARY_AIRCRAFT ||
            r->category == CAT_LAW_ENFORCEMENT) &&
           r->confidence >= CONF_LIKELY;
}

static double conf_value(enum ident_confidence c)
{
    switch (c) {
    case CONF_CONFIRMED:
        return 0.9;
    case CONF_LIKELY:
        return 0.7;
    case CONF_POSSIBLE:
        return 0.4;
    default:
        return 0.0;
    }
}

/* Write the asset's identity (and first/last times). */
static void asset_write(struct ingest *g, enum obs_kind kind, uint32_t id, struct ing_asset *a)
{
    struct wrec *rec = wr_new(g, WR_ASSET, a->seq, sizeof(struct store_asset), 0);
    if (!rec)
        return;
    struct store_asset sa;
    memset(&sa, 0, sizeof sa);
    sa.kind = kind == OBS_SHIP ? STORE_SHIP : STORE_AIRCRAFT;
    sa.ident = id;
    sa.first_ms = a->first_ms;
    sa.last_ms = a->last_ms;
    const struct ident_asset *ia = ident_cache_find(g->ident, kind, id, false);
    if (ia) {
        const struct ident_result *r = &ia->res;
        store_strlcpy(sa.name, r->name[0] ? r->name : ia->in.name, sizeof sa.name);
        store_strlcpy(sa.callsign, ia->in.callsign, sizeof sa.callsign);
        store_strlcpy(sa.hull, r->hull, sizeof sa.hull);
        store_strlcpy(sa.country, r->country, sizeof sa.country);
        store_strlcpy(sa.category, registry_category_name(r->category), sizeof sa.category);
        store_strlcpy(sa.role, registry_role_name(r->role), sizeof sa.role);
        sa.confidence = conf_value(r->confidence);
        sa.military = is_military(r);
        size_t n = 0;
        for (int i = 0; i < r->nreasons && n + 1 < sizeof sa.reasons; i++)
            n += (size_t)snprintf(sa.reasons + n, sizeof sa.reasons - n, "%s%s: %s", i ? "; " : "",
                                  r->reasons[i].rule, r->reasons[i].evidence);
        if (n >= sizeof sa.reasons)
            sa.reasons[sizeof sa.reasons - 1] = '\0';
        a->evals = ia->evaluations;
    }
    memcpy(wr_payload(rec), &sa, sizeof sa);
    wr_done(g, rec);
    a->written = true;
    a->dirty = false;
    g->pending++;
}

static void maybe_commit(struct ingest *g, bool force)
{
    if (!g->in_tx || g->err)
        return;
    bool due = force || g->pending >= g->opts.batch_rows;
    if (!due && (++g->tick & 1023) == 0)
        due = mono_ms() - g->batch_t0 >= g->opts.batch_ms;
    if (!due)
        return;
    // Commit and begin the next transaction, in order with the writes
    // before it (by the writer thread when there is one).
    struct wrec *r = wr_new(g, WR_COMMIT, 0, 0, 0);
    if (!r) {
        g->in_tx = false;
        return;
    }
    wr_done(g, r);
    wr_flush(g);
    if (g->err) {
        g->in_tx = false;
        return;
    }
    g->st.commits++;
    g->pending = 0;
    g->batch_t0 = mono_ms();
}

static void event_cb(void *ctx, const struct event *e)
{
    struct ingest *g = ctx;
    // last_seen marks the end of the data, not of the asset's presence: a
    // later source would move it, so it is not stored.
    if (e->type == EV_LAST_SEEN || g->err || !g->in_tx)
        return;
    struct ing_asset *a = amap_get(g, e->kind, e->id);
    if (!a)
        return;
    if (a->dirty || !a->written)
        asset_write(g, e->kind, e->id, a);
    if (g->err)
        return;
    struct store_event se;
    memset(&se, 0, sizeof se);
    se.t_ms = e->t_start_ms;
    store_strlcpy(se.type, ev_type_name(e->type), sizeof se.type);
    if (g->th)
        store_strlcpy(se.theatre, g->th->name, sizeof se.theatre);
    se.lat = se.lon = NAN;
    const struct ev_point *p = &e->p[0];
    if (!p->valid && e->p[1].valid)
        p = &e->p[1];
    int64_t raw_source = 0;
    if (p->valid) {
        se.lat = p->lat;
        se.lon = p->lon;
        raw_source = source_id_of(g, p->ref.source);
    }
    size_t n = 0;
    char *d = se.detail;
    size_t dz = sizeof se.detail;
#define DETAIL(...)                                                                                \
    do {                                                                                           \
        if (n < dz)                                                                                \
            n += (size_t)snprintf(d + n, dz - n, __VA_ARGS__);                                     \
    } while (0)
    if (e->where && *e->where)
        DETAIL("%s", e->where);
    if (e->site_id && *e->site_id)
        DETAIL(" (%s)", e->site_id);
    if (e->other_id)
        DETAIL("%swith %09u", n ? "; " : "", e->other_id);
    if (e->t_end_ms > e->t_start_ms)
        DETAIL("%sduration %.1f h", n ? "; " : "", (double)(e->t_end_ms - e->t_start_ms) / 3.6e6);
    for (int i = 0; i < e->nval; i++)
        DETAIL("%s%s=%.6g", n ? "; " : "", e->val[i].name, e->val[i].v);
    if (e->open)
        DETAIL("%sopen at end of data", n ? "; " : "");
    if (e->approx)
        DETAIL("%sapproximate zone", n ? "; " : "");
#undef DETAIL
    // The event with the raw message of its point (stored with it).
    size_t raw_len = raw_source && p->ref.raw ? p->ref.raw_len : 0;
    struct wrec *r = wr_new(g, WR_EVENT, a->seq, sizeof se, raw_len);
    if (!r)
        return;
    memcpy(wr_payload(r), &se, sizeof se);
    wr_set_raw(r, sizeof se, raw_source, p->ref.offset, p->ref.raw);
    wr_done(g, r);
    g->pending += raw_source ? 2 : 1;
}

static bool usable_pos(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 &&
           !(lat == 0 && lon == 0);
}

static size_t kept_slot(const struct kept_ent *t, unsigned bits, uint64_t key)
{
    size_t mask = ((size_t)1 << bits) - 1;
    size_t j = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
    while (t[j].key && t[j].key != key)
        j = (j + 1) & mask;
    return j;
}

/* Double the minute cache, or clear it at its largest size (or when memory
 * is short). */
static void kept_grow(struct ingest *g)
{
    size_t cap = (size_t)1 << g->kept_bits;
    struct kept_ent *nt = NULL;
    if (cap < ING_KEPT_CAP && (nt = calloc(cap * 2, sizeof *nt)) != NULL) {
        for (size_t i = 0; i < cap; i++)
            if (g->kept[i].key)
                nt[kept_slot(nt, g->kept_bits + 1, g->kept[i].key)] = g->kept[i];
        free(g->kept);
        g->kept = nt;
        g->kept_bits++;
        return;
    }
    memset(g->kept, 0, cap * sizeof *g->kept);
    g->kept_count = 0;
}

static void obs_cb(void *ctx, const struct obs *o)
{
    struct ingest *g = ctx;
    if (o->flags & OBS_F_SIMULATED)
        g->cur.simulated = true;
    if (o->kind == OBS_SHIP)
        g->st.ship_obs++;
    else
        g->st.aircraft_obs++;
    if (o->flags & OBS_F_BASE) {
        g->st.skipped[ING_SKIP_BASE]++;
        return;
    }
    if (o->flags & (OBS_F_ANON | OBS_F_TISB)) {
        g->st.skipped[ING_SKIP_ANON]++;
        return;
    }
    if (o->flags & OBS_F_UNVERIFIED) {
        g->st.skipped[ING_SKIP_UNVERIFIED]++;
        return;
    }
    if (o->t_ms <= 0 || (o->flags & OBS_F_RELTIME)) {
        g->st.skipped[ING_SKIP_NO_TIME]++;
        return;
    }
    int cls = o->kind == OBS_AIRCRAFT ? ING_EV_AIR : ING_EV_SHIP;
    if (o->t_ms < g->cls_clock0[cls] - ING_BEHIND_MS)
        g->st.behind[cls]++;
    if (o->t_ms > g->cls_clock[cls])
        g->cls_clock[cls] = o->t_ms;
    if (g->cur.t_first_ms == 0 || o->t_ms < g->cur.t_first_ms)
        g->cur.t_first_ms = o->t_ms;
    if (o->t_ms > g->cur.t_last_ms)
        g->cur.t_last_ms = o->t_ms;
    const struct ident_asset *ia = ident_observe(g->ident, o);
    ev_engine_obs(ev_of(g, o->kind), o);

    // The position: AIS and SBS carry one; Mode S CPR frames get the one the
    // tracker resolved from this very frame, if it did.
    double lat = NAN, lon = NAN;
    if (o->has & OBS_HAS_POS) {
        lat = o->lat;
        lon = o->lon;
    } else if (o->has & OBS_HAS_CPR) {
        const struct track_asset *ta =
            track_find(ev_engine_tracks(ev_of(g, o->kind)), o->kind, o->id);
        if (ta && (ta->flags & TRACK_AF_HAS_POS) && ta->pos.t_ms == o->t_ms &&
            ta->pos.offset == o->source_offset) {
            lat = ta->pos.lat;
            lon = ta->pos.lon;
        }
    }
    struct ing_asset *a = amap_get(g, o->kind, o->id);
    if (!a || g->err)
        return;
    if (!a->first_ms || o->t_ms < a->first_ms)
        a->first_ms = o->t_ms;
    if (o->t_ms > a->last_ms)
        a->last_ms = o->t_ms;
    a->touched = true;
    double sog = (o->has & OBS_HAS_SOG) ? o->sog_kn : NAN;
    double cog = (o->has & OBS_HAS_COG) ? o->cog_deg : NAN;
    if (o->kind == OBS_AIRCRAFT)
        carry_velocity(a, o->t_ms, &sog, &cog);
    if (ia && ia->evaluations != a->evals) {
        a->dirty = true;
        if (o->flags & OBS_F_STATIC)
            put_asset_raw(g, a, g->cur.id, o->source_offset, o->raw, o->raw_len);
    }
    if (!isnan(lat) && !usable_pos(lat, lon)) {
        g->st.skipped[ING_SKIP_BAD_POS]++;
        lat = NAN;
    }
    if (a->dirty || !a->written)
        asset_write(g, o->kind, o->id, a);
    if (g->err || isnan(lat))
        goto done;
    g->st.positions++;
    int64_t bucket = o->t_ms / STORE_BUCKET_MS;
    // Thinning: the earliest position of each minute, decided by the store
    // (so file order does not matter); the cache answers for minutes this
    // run has seen.
    uint64_t kkey = (uint64_t)a->seq << 26 | ((uint64_t)bucket & ((1u << 26) - 1));
    size_t kj = kept_slot(g->kept, g->kept_bits, kkey);
    if (g->kept[kj].key && o->t_ms >= g->kept[kj].t_ms)
        goto done;
    if (!g->kept[kj].key) {
        if (g->kept_count >= ((size_t)3 << g->kept_bits) / 4) {
            kept_grow(g);
            kj = kept_slot(g->kept, g->kept_bits, kkey);
        }
        g->kept[kj].key = kkey;
        g->kept_count++;
    }
    // Kept now, or the store holds this minute at an earlier time already.
    g->kept[kj].t_ms = o->t_ms;
    struct store_obs so = {.t_ms = o->t_ms,
                           .lat = lat,
                           .lon = lon,
                           .sog_kn = sog,
                           .cog_deg = cog,
                           .alt_ft = (o->has & OBS_HAS_ALT) ? o->alt_ft : INT32_MIN,
                           .source_id = g->cur.id};
    if (g->th && theatre_in_zone(g->th, 0, lat, lon))
        store_strlcpy(so.theatre, g->th->name, sizeof so.theatre);
    // The observation with its raw message: kept by the store if its minute
    // is new or it is earlier than the one held.
    struct wrec *r = wr_new(g, WR_OBS, a->seq, sizeof so, o->raw ? o->raw_len : 0);
    if (!r)
        return;
    memcpy(wr_payload(r), &so, sizeof so);
    wr_set_raw(r, sizeof so, g->cur.id, o->source_offset, o->raw);
    wr_done(g, r);
    g->pending += 2;
done:
    maybe_commit(g, false);
}

static void progress(struct ingest *g, bool final);

/* Reader side: the pipeline's callback copies the observation and its raw
 * bytes into the batch being filled; a full batch is queued, waiting for a
 * free one when the consumer is behind (the queue is bounded). */
static void rd_push(struct reader *r, bool last)
{
    int stop;
    r->cur->pos = r->in ? input_raw_pos(r->in) : r->ppos;
    r->cur = bq_put(&r->q, r->cur, last, &stop);
    if (r->cur)
        r->cur->n = r->cur->raw_used = 0;
}

static void rd_obs_cb(void *ctx, const struct obs *o)
{
    struct reader *r = &((struct ingest *)ctx)->rd;
    if (r->direct) {
        obs_cb(ctx, o);
        return;
    }
    size_t len = o->raw ? o->raw_len : 0;
    if (len > RD_RAW) // cannot happen (a line is at most LINEBUF_CAP bytes)
        len = RD_RAW;
    if (r->cur->n == RD_OBS || r->cur->raw_used + len > RD_RAW)
        rd_push(r, false);
    struct rd_batch *b = r->cur;
    struct obs *c = &b->o[b->n++];
    *c = *o;
    if (o->raw) {
        memcpy(b->raw + b->raw_used, o->raw, len);
        c->raw = b->raw + b->raw_used;
        c->raw_len = len;
        b->raw_used += len;
    }
}

/* The reader thread: read and decode the whole source (or until the
 * consumer asks it to stop), then hand over the last batch. */
static void *rd_main(void *arg)
{
    struct ingest *g = arg;
    struct reader *r = &g->rd;
    if (r->produce) {
        r->perr = r->produce(r->pctx, g);
        pipeline_end_source(g->pipe);
        r->cpu += thread_cpu_s();
        rd_push(r, true);
        return NULL;
    }
    ssize_t n = 0;
    while (!bq_stopped(&r->q) && (n = input_read(r->in, r->buf, ING_CHUNK)) > 0)
        pipeline_feed(g->pipe, r->buf, (size_t)n, g->cur.name);
    r->rerr = n < 0 ? errno : 0;
    pipeline_end_source(g->pipe);
    r->cpu += thread_cpu_s();
    rd_push(r, true);
    return NULL;
}

/* Read, decode and process the open source `in` with the reader thread
 * (or, if it cannot start, on this one). Returns 0 or the errno of a read
 * error. */
static int run_source(struct ingest *g, struct input *in)
{
    struct reader *r = &g->rd;
    r->in = in;
    r->rerr = 0;
    pthread_t th;
    bool threaded = !g->opts.single_thread && !bq_init(&r->q, (void *const *)r->all, RD_NBATCH);
    if (threaded) {
        int stop;
        r->cur = bq_put(&r->q, NULL, false, &stop);
        r->cur->n = r->cur->raw_used = 0;
        threaded = !pthread_create(&th, NULL, rd_main, g);
        if (!threaded)
            bq_destroy(&r->q);
    }
    if (!threaded) {
        // One thread: the pipeline calls obs_cb directly.
        r->direct = true;
        if (r->produce) {
            r->perr = r->produce(r->pctx, g);
            pipeline_end_source(g->pipe);
            r->direct = false;
            return 0;
        }
        ssize_t n;
        uint64_t obs0 = pipeline_get_stats(g->pipe)->obs;
        while ((n = input_read(in, r->buf, ING_CHUNK)) > 0 && !g->err) {
            pipeline_feed(g->pipe, r->buf, (size_t)n, g->cur.name);
            g->prog_obs = pipeline_get_stats(g->pipe)->obs - obs0;
            g->prog_pos = input_raw_pos(in);
            if (g->opts.progress)
                progress(g, false);
        }
        int e = n < 0 ? errno : 0;
        pipeline_end_source(g->pipe);
        r->direct = false;
        r->in = NULL;
        return e;
    }
    struct rd_batch *b;
    while ((b = bq_pop(&r->q)) != NULL) {
        for (size_t i = 0; i < b->n && !g->err; i++)
            obs_cb(g, &b->o[i]);
        g->prog_obs += b->n;
        g->prog_pos = b->pos;
        bq_release(&r->q, b, g->err);
        if (g->opts.progress)
            progress(g, false);
    }
    pthread_join(th, NULL);
    bq_destroy(&r->q);
    r->in = NULL;
    return r->rerr;
}

struct ingest *ingest_new(struct store *s, const struct registry *reg,
                          const struct callsign_rules *rules, struct theatre *th,
                          const struct ingest_opts *opts)
{
    struct ingest *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->s = s;
    g->th = th;
    if (opts)
        g->opts = *opts;
    if (g->opts.batch_ms <= 0)
        g->opts.batch_ms = 1000;
    if (!g->opts.batch_rows)
        g->opts.batch_rows = 200000;
    struct ev_config cfg;
    ev_config_default(&cfg);
    struct pipeline_opts po = {
        .input = g->opts.input, .fix1bit = g->opts.fix1bit, .start_ms = g->opts.start_ms};
    g->ident = ident_cache_new(reg, rules);
    for (int k = 0; k < ING_NEV; k++)
        g->ev[k] = ev_engine_new(th, &cfg, event_cb, g);
    g->pipe = pipeline_new(&po, rd_obs_cb, g);
    g->kept_bits = ING_KEPT_MIN_BITS;
    g->kept = calloc((size_t)1 << g->kept_bits, sizeof *g->kept);
    bool rd_ok = true;
    for (size_t i = 0; i < RD_NBATCH; i++)
        rd_ok &= (g->rd.all[i] = malloc(sizeof *g->rd.all[i])) != NULL;
    for (size_t i = 0; i < WR_NCHUNK; i++)
        rd_ok &= (g->wr.all[i] = malloc(sizeof *g->wr.all[i])) != NULL;
    g->rd.buf = malloc(ING_CHUNK);
    if (!g->ident || !g->ev[ING_EV_SHIP] || !g->ev[ING_EV_AIR] || !g->pipe || !g->kept || !rd_ok ||
        !g->rd.buf || amap_grow(g) != ORBAT_OK) {
        ingest_free(g);
        return NULL;
    }
    return g;
}

void ingest_free(struct ingest *g)
{
    if (!g)
        return;
    pipeline_free(g->pipe);
    for (int k = 0; k < ING_NEV; k++)
        ev_engine_free(g->ev[k]);
    ident_cache_free(g->ident);
    for (size_t i = 0; i < g->nsrc; i++)
        free(g->src[i].name);
    free(g->tab);
    free(g->kept);
    for (size_t i = 0; i < RD_NBATCH; i++)
        free(g->rd.all[i]);
    for (size_t i = 0; i < WR_NCHUNK; i++)
        free(g->wr.all[i]);
    free(g->wr.ids);
    free(g->rd.buf);
    free(g);
}

/* SHA-256 of the file's bytes as stored (compressed files are not
 * decompressed: the checksum names the file, not its content). */
int ingest_source_sha256(const char *path, char hex[65], uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    unsigned char *buf = malloc(ING_CHUNK);
    if (!buf) {
        close(fd);
        errno = ENOMEM;
        return -1;
    }
    struct sha256 c;
    sha256_init(&c);
    ssize_t n;
    *size = 0;
    while ((n = read(fd, buf, ING_CHUNK)) > 0) {
        sha256_update(&c, buf, (size_t)n);
        *size += (uint64_t)n;
    }
    int e = errno;
    free(buf);
    close(fd);
    if (n < 0) {
        errno = e;
        return -1;
    }
    sha256_final_hex(&c, hex);
    return 0;
}

static void progress(struct ingest *g, bool final)
{
    int64_t now = mono_ms();
    if (!final && now - g->prog_last < 200)
        return;
    g->prog_last = now;
    double secs = (double)(now - g->prog_t0) / 1000.0;
    uint64_t pos = g->prog_pos;
    uint64_t msgs = g->prog_obs;
    double rate = secs > 0 ? (double)msgs / secs : 0;
    char eta[32] = "";
    if (g->prog_size && pos && secs > 0.2 && !final) {
        double left =
            secs * (double)(g->prog_size - (pos < g->prog_size ? pos : g->prog_size)) / (double)pos;
        snprintf(eta, sizeof eta, "  ETA %.0fs", left);
    }
    fprintf(stderr, "\r\033[K%.40s  %.1f/%.1f MB  %llu msgs  %.0f msg/s%s", g->cur.name,
            (double)pos / 1e6, (double)(g->prog_size ? g->prog_size : pos) / 1e6,
            (unsigned long long)msgs, rate, eta);
    if (final)
        fputc('\n', stderr);
}

static void flush_assets(struct ingest *g)
{
    for (size_t i = 0; i < g->cap && !g->err; i++) {
        struct ing_asset *a = &g->tab[i];
        if (!a->key || (!a->touched && !a->dirty))
            continue;
        asset_write(g, (enum obs_kind)(a->key >> 32), (uint32_t)a->key, a);
        a->touched = false;
    }
}

static void add_pipeline_stats(struct ingest *g)
{
    const struct pipeline_stats *ps = pipeline_get_stats(g->pipe);
    g->st.ais_messages = ps->ais_messages;
    g->st.modes_frames = ps->modes_frames;
    g->st.obs = ps->obs + g->xobs;
    g->st.rejected = ps->rejected;
    memcpy(g->st.rejected_by, ps->by_reason, sizeof g->st.rejected_by);
    g->st.unverified = ps->unverified;
    g->st.modeac = ps->modeac;
    g->st.other_lines = ps->other_lines;
    g->st.bytes = ps->bytes + g->xbytes;
    g->st.raw = g->wr.raw;
    g->st.kept = g->wr.kept;
    g->st.events = g->wr.events;
    g->st.cpu_read = g->rd.cpu;
    g->st.cpu_write = g->wr.cpu;
}

int ingest_file(struct ingest *g, const char *path)
{
    return ingest_file_hashed(g, path, NULL, 0);
}

static int run_any(struct ingest *g, struct input *in, bool is_stdin);

int ingest_file_hashed(struct ingest *g, const char *path, const char *sha256_hex, uint64_t size)
{
    return ingest_file_licensed(g, path, sha256_hex, size, NULL);
}

int ingest_file_licensed(struct ingest *g, const char *path, const char *sha256_hex, uint64_t size,
                         const char *licence)
{
    if (g->err)
        return g->err;
    memset(&g->cur, 0, sizeof g->cur);
    store_strlcpy(g->cur.name, path, sizeof g->cur.name);
    if (licence)
        store_strlcpy(g->cur.licence, licence, sizeof g->cur.licence);
    bool is_stdin = !strcmp(path, "-");
    if (is_stdin) {
        // A stream cannot be read twice: it is named by the time of ingest.
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(g->cur.sha256, sizeof g->cur.sha256, "stdin-%lld.%09ld", (long long)ts.tv_sec,
                 ts.tv_nsec);
    } else if (sha256_hex) {
        store_strlcpy(g->cur.sha256, sha256_hex, sizeof g->cur.sha256);
        g->prog_size = size;
    } else if (ingest_source_sha256(path, g->cur.sha256, &g->prog_size) != 0) {
        g->st.sources_failed++;
        return ORBAT_E_IO;
    }
    struct input *in = input_open(path);
    if (!in) {
        g->st.sources_failed++;
        return ORBAT_E_IO;
    }
    return run_any(g, in, is_stdin);
}

void ingest_emit(struct ingest *g, const struct obs *o)
{
    g->xobs++;
    rd_obs_cb(g, o);
}

void ingest_emit_pos(struct ingest *g, uint64_t pos)
{
    struct reader *r = &g->rd;
    r->ppos = pos;
    if (r->direct) {
        g->prog_obs = g->xobs - g->prog_x0;
        g->prog_pos = pos;
        if (g->opts.progress)
            progress(g, false);
    }
}

void ingest_source_licence(struct ingest *g, const char *licence)
{
    store_strlcpy(g->cur.licence, licence ? licence : "", sizeof g->cur.licence);
}

bool ingest_emit_stopped(struct ingest *g)
{
    struct reader *r = &g->rd;
    return r->direct ? g->err != 0 : bq_stopped(&r->q) != 0;
}

int ingest_source(struct ingest *g, const struct ingest_source_desc *d, ingest_produce_fn produce,
                  void *pctx)
{
    if (g->err)
        return g->err;
    memset(&g->cur, 0, sizeof g->cur);
    store_strlcpy(g->cur.name, d->name, sizeof g->cur.name);
    store_strlcpy(g->cur.sha256, d->sha256, sizeof g->cur.sha256);
    if (d->licence)
        store_strlcpy(g->cur.licence, d->licence, sizeof g->cur.licence);
    g->prog_size = d->size;
    g->rd.produce = produce;
    g->rd.pctx = pctx;
    g->rd.ppos = 0;
    g->rd.perr = 0;
    uint64_t x0 = g->xobs;
    g->prog_x0 = x0;
    int rc = run_any(g, NULL, false);
    g->rd.produce = NULL;
    g->rd.pctx = NULL;
    if (rc == ORBAT_OK || rc == ORBAT_E_IO)
        g->xbytes += g->rd.ppos;
    if (rc == ORBAT_OK && g->rd.perr) {
        // The producer failed part-way (a read or format error): what it
        // delivered is stored (see run_any for completeness).
        g->st.sources_failed++;
        g->st.sources--;
        return g->rd.perr;
    }
    return rc;
}

/* The common part of ingest_file and ingest_source: `in` is the open input
 * of a file source, NULL for a producer source (g->rd.produce). */
static int run_any(struct ingest *g, struct input *in, bool is_stdin)
{
    int rc = store_begin(g->s);
    if (rc) {
        if (in)
            input_close(in);
        db_error(g, rc);
        g->st.sources_failed++;
        return rc;
    }
    g->in_tx = true;
    g->batch_t0 = mono_ms();
    if ((rc = store_source_begin(g->s, &g->cur)) != ORBAT_OK) {
        db_error(g, rc);
        g->st.sources_failed++;
        if (in)
            input_close(in);
        return rc;
    }
    if (g->cur.complete && !g->opts.force) {
        g->st.sources_skipped++;
        if (in)
            input_close(in);
        rc = store_commit(g->s);
        g->in_tx = false;
        return rc ? rc : ORBAT_AGAIN;
    }
    if (g->nsrc < ING_MAX_SOURCES && (g->src[g->nsrc].name = strdup(g->cur.name)) != NULL)
        g->src[g->nsrc++].id = g->cur.id;
    g->in_source = true;
    memcpy(g->cls_clock0, g->cls_clock, sizeof g->cls_clock0);
    g->prog_t0 = g->prog_last = mono_ms();
    g->prog_obs = g->prog_pos = 0;
    if (is_stdin)
        g->prog_size = 0;
    const struct pipeline_stats *ps = pipeline_get_stats(g->pipe);
    uint64_t obs0 = ps->obs + g->xobs, bytes0 = ps->bytes;
    // Three threads: reading and decoding, then this one (identification,
    // events, thinning), then the writer with the store.
    double cpu0 = thread_cpu_s();
    wr_start(g);
    int rerr = run_source(g, in);
    if (g->opts.progress)
        progress(g, true);
    if (in)
        input_close(in);
    g->cur.messages = ps->obs + g->xobs - obs0;
    g->cur.bytes = in ? ps->bytes - bytes0 : g->rd.ppos;
    flush_assets(g);
    wr_stop(g);
    g->st.cpu_main += thread_cpu_s() - cpu0;
    add_pipeline_stats(g);
    g->in_source = false;
    if (!in && (g->rd.perr == ORBAT_E_IO || g->rd.perr == ORBAT_E_NOMEM) && !rerr) {
        // A producer that could not read all of its source: keep what it
        // delivered, but the source is not complete (a re-run redoes it).
        // Errors in the content (a corrupt member, a cut archive) are
        // final for these bytes: such a source is complete, and the caller
        // reports the error.
        maybe_commit(g, true);
        if (!g->err && (rc = store_source_finish(g->s, &g->cur)) != ORBAT_OK)
            db_error(g, rc);
        if (g->in_tx && !g->err)
            store_commit(g->s);
        g->in_tx = false;
        g->st.sources++;
        return ORBAT_OK;
    }
    if (rerr) {
        // Keep what was read (committed batches stay), but do not mark the
        // source complete: a re-run will redo it.
        maybe_commit(g, true);
        if (g->in_tx && !g->err)
            store_commit(g->s);
        g->in_tx = false;
        g->st.sources_failed++;
        errno = rerr;
        return ORBAT_E_IO;
    }
    g->cur.complete = true;
    if (!g->err && (rc = store_source_finish(g->s, &g->cur)) != ORBAT_OK)
        db_error(g, rc);
    if (g->in_tx && !g->err) {
        if ((rc = store_commit(g->s)) != ORBAT_OK)
            db_error(g, rc);
        else
            g->st.commits++;
    }
    g->in_tx = false;
    g->pending = 0;
    if (g->err) {
        g->st.sources_failed++;
        return g->err;
    }
    g->st.sources++;
    return ORBAT_OK;
}

int ingest_finish(struct ingest *g)
{
    if (g->err)
        return g->err;
    int rc = store_begin(g->s);
    if (rc) {
        db_error(g, rc);
        return rc;
    }
    g->in_tx = true;
    // The events engine's last events, written by the writer thread.
    wr_start(g);
    for (int k = 0; k < ING_NEV; k++)
        ev_engine_finish(g->ev[k]);
    flush_assets(g);
    wr_stop(g);
    g->in_tx = false;
    if (!g->err && (rc = store_commit(g->s)) != ORBAT_OK)
        db_error(g, rc);
    else if (!g->err)
        g->st.commits++;
    add_pipeline_stats(g);
    return g->err;
}

const struct ingest_stats *ingest_get_stats(const struct ingest *g)
{
    return &g->st;
}

void ingest_order_warning(const struct ingest *g, const char *prefix, FILE *out)
{
    const struct ingest_stats *s = &g->st;
    if (s->behind[0] || s->behind[1])
        fprintf(out,
                "%sout of order: %llu ship and %llu aircraft observations over 1 h older than "
                "their class's data of the sources read before; their events (expiry, dark, "
                "AIS gaps, spans) are not those of the data in time order: give the sources "
                "of one class in time order\n",
                prefix, (unsigned long long)s->behind[0], (unsigned long long)s->behind[1]);
}

void ingest_summary(const struct ingest *g, FILE *out)
{
    const struct ingest_stats *s = &g->st;
    fprintf(out, "sources: %llu ingested, %llu skipped (already ingested), %llu failed; %.1f MB\n",
            (unsigned long long)s->sources, (unsigned long long)s->sources_skipped,
            (unsigned long long)s->sources_failed, (double)s->bytes / 1e6);
    fprintf(out,
            "messages: %llu AIS, %llu Mode S frames -> %llu observations (%llu ship, %llu "
            "aircraft)\n",
            (unsigned long long)s->ais_messages, (unsigned long long)s->modes_frames,
            (unsigned long long)s->obs, (unsigned long long)s->ship_obs,
            (unsigned long long)s->aircraft_obs);
    fprintf(out,
            "not used: %llu lines/frames rejected by the decoders (bad checksum, framing, CRC, "
            "...), %llu Mode S frames with an unconfirmed address, %llu Mode A/C replies, %llu "
            "other text lines\n",
            (unsigned long long)s->rejected, (unsigned long long)s->unverified,
            (unsigned long long)s->modeac, (unsigned long long)s->other_lines);
    if (s->rejected) {
        fprintf(out, "rejected by reason:");
        for (int i = 1; i < PIPELINE_REASONS; i++)
            if (s->rejected_by[i])
                fprintf(out, " %s %llu", orbat_err_name((enum orbat_err) - i),
                        (unsigned long long)s->rejected_by[i]);
        fprintf(out, "\n");
    }
    fprintf(out,
            "skipped: %llu without absolute time, %llu base station/AtoN, %llu anonymous/TIS-B, "
            "%llu unconfirmed Mode S address, %llu bad position\n",
            (unsigned long long)s->skipped[ING_SKIP_NO_TIME],
            (unsigned long long)s->skipped[ING_SKIP_BASE],
            (unsigned long long)s->skipped[ING_SKIP_ANON],
            (unsigned long long)s->skipped[ING_SKIP_UNVERIFIED],
            (unsigned long long)s->skipped[ING_SKIP_BAD_POS]);
    fprintf(out,
            "stored: %llu of %llu positions (earliest per asset per minute), %llu raw messages, "
            "%llu events, %llu commits%s\n",
            (unsigned long long)s->kept, (unsigned long long)s->positions,
            (unsigned long long)s->raw, (unsigned long long)s->events,
            (unsigned long long)s->commits, s->db_errors ? "; DATABASE ERRORS" : "");
    if (s->cpu_read > 0 || s->cpu_write > 0)
        fprintf(out,
                "threads: %.2f s CPU reading+decoding, %.2f s identification+events, %.2f s "
                "database writer\n",
                s->cpu_read, s->cpu_main, s->cpu_write);
    // Assets by category from the identification cache.
    uint64_t bycat[8] = {0}, mil = 0;
    size_t n = ident_cache_count(g->ident);
    for (size_t i = 0; i < n; i++) {
        const struct ident_asset *a = ident_cache_at(g->ident, i);
        if (a->in.flags & (OBS_F_ANON | OBS_F_TISB))
            continue;
        bycat[a->res.category < 8 ? a->res.category : 0]++;
        mil += is_military(&a->res);
    }
    fprintf(out, "assets: %zu", n);
    const char *sep = " (";
    for (int c = 7; c >= 0; c--) {
        if (!bycat[c])
            continue;
        const char *name = registry_category_name((enum reg_category)c);
        fprintf(out, "%s%llu %s", sep, (unsigned long long)bycat[c], *name ? name : "unknown");
        sep = ", ";
    }
    fprintf(out, "%s; %llu in the order of battle\n", n ? ")" : "", (unsigned long long)mil);
}
