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
 */
#include "store/ingest.h"

#include "orbat/orbat.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
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
 * overlapping input. Cleared when 3/4 full; correctness never depends on
 * it. 16 bytes per entry. */
#define ING_KEPT_CAP (1u << 20)

struct ing_asset {
    uint64_t key; /* kind << 32 | id; 0 marks an empty slot (kind >= 1) */
    int64_t store_id;
    int64_t first_ms, last_ms;
    int64_t raw_id; /* the raw message that last changed its identification */
    uint32_t evals; /* identification evaluations already written */
    bool dirty;     /* identity to (re)write */
    bool touched;   /* seen since the last flush of first/last times */
};

struct kept_ent {
    uint64_t key; /* store asset id << 26 | minute; 0: empty */
    int64_t t_ms;
};

struct ing_source {
    char *name;
    int64_t id;
};

struct ingest {
    struct store *s;
    struct theatre *th;
    struct ident_cache *ident;
    struct ev_engine *ev;
    struct pipeline *pipe;
    struct ingest_opts opts;
    struct ingest_stats st;
    /* (asset, minute) cache, see ING_KEPT_CAP */
    struct kept_ent *kept;
    size_t kept_count;
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
    uint64_t prog_size, prog_obs0;
};

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

static int64_t put_raw(struct ingest *g, int64_t source_id, uint64_t offset, const char *raw,
                       size_t len)
{
    if (g->err || !source_id)
        return 0;
    struct store_raw r = {
        .source_id = source_id, .offset = offset, .data = raw ? raw : "", .len = raw ? len : 0};
    int rc = store_raw_put(g->s, &r);
    if (rc) {
        db_error(g, rc);
        return 0;
    }
    g->st.raw++;
    g->pending++;
    return r.id;
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
    if (g->err)
        return;
    struct store_asset sa;
    memset(&sa, 0, sizeof sa);
    sa.kind = kind == OBS_SHIP ? STORE_SHIP : STORE_AIRCRAFT;
    sa.ident = id;
    sa.first_ms = a->first_ms;
    sa.last_ms = a->last_ms;
    sa.raw_id = a->raw_id;
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
    int rc = store_asset_put(g->s, &sa);
    if (rc) {
        db_error(g, rc);
        return;
    }
    a->store_id = sa.id;
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
    int rc = store_commit(g->s);
    if (rc) {
        db_error(g, rc);
        g->in_tx = false;
        return;
    }
    g->st.commits++;
    g->pending = 0;
    g->batch_t0 = mono_ms();
    if ((rc = store_begin(g->s)) != ORBAT_OK) {
        db_error(g, rc);
        g->in_tx = false;
    }
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
    if (a->dirty || !a->store_id)
        asset_write(g, e->kind, e->id, a);
    if (g->err)
        return;
    struct store_event se;
    memset(&se, 0, sizeof se);
    se.asset_id = a->store_id;
    se.t_ms = e->t_start_ms;
    store_strlcpy(se.type, ev_type_name(e->type), sizeof se.type);
    if (g->th)
        store_strlcpy(se.theatre, g->th->name, sizeof se.theatre);
    se.lat = se.lon = NAN;
    const struct ev_point *p = &e->p[0];
    if (!p->valid && e->p[1].valid)
        p = &e->p[1];
    if (p->valid) {
        se.lat = p->lat;
        se.lon = p->lon;
        se.raw_id =
            put_raw(g, source_id_of(g, p->ref.source), p->ref.offset, p->ref.raw, p->ref.raw_len);
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
    int rc = store_event_put(g->s, &se);
    if (rc) {
        db_error(g, rc);
        return;
    }
    g->st.events++;
    g->pending++;
}

static bool usable_pos(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 &&
           !(lat == 0 && lon == 0);
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
    if (g->cur.t_first_ms == 0 || o->t_ms < g->cur.t_first_ms)
        g->cur.t_first_ms = o->t_ms;
    if (o->t_ms > g->cur.t_last_ms)
        g->cur.t_last_ms = o->t_ms;
    const struct ident_asset *ia = ident_observe(g->ident, o);
    ev_engine_obs(g->ev, o);

    // The position: AIS and SBS carry one; Mode S CPR frames get the one the
    // tracker resolved from this very frame, if it did.
    double lat = NAN, lon = NAN;
    if (o->has & OBS_HAS_POS) {
        lat = o->lat;
        lon = o->lon;
    } else if (o->has & OBS_HAS_CPR) {
        const struct track_asset *ta = track_find(ev_engine_tracks(g->ev), o->kind, o->id);
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
    if (ia && ia->evaluations != a->evals) {
        a->dirty = true;
        if (o->flags & OBS_F_STATIC)
            a->raw_id = put_raw(g, g->cur.id, o->source_offset, o->raw, o->raw_len);
    }
    if (!isnan(lat) && !usable_pos(lat, lon)) {
        g->st.skipped[ING_SKIP_BAD_POS]++;
        lat = NAN;
    }
    if (a->dirty || !a->store_id)
        asset_write(g, o->kind, o->id, a);
    if (g->err || isnan(lat))
        goto done;
    g->st.positions++;
    int64_t bucket = o->t_ms / STORE_BUCKET_MS;
    // Thinning: the earliest position of each minute, decided by the store
    // (so file order does not matter); the cache answers for minutes this
    // run has seen.
    uint64_t kkey = (uint64_t)a->store_id << 26 | ((uint64_t)bucket & ((1u << 26) - 1));
    size_t kj = (size_t)((kkey * 0x9e3779b97f4a7c15ULL) >> 44) & (ING_KEPT_CAP - 1);
    while (g->kept[kj].key && g->kept[kj].key != kkey)
        kj = (kj + 1) & (ING_KEPT_CAP - 1);
    if (g->kept[kj].key && o->t_ms >= g->kept[kj].t_ms)
        goto done;
    if (!g->kept[kj].key) {
        if (g->kept_count >= ING_KEPT_CAP / 4 * 3) {
            memset(g->kept, 0, ING_KEPT_CAP * sizeof *g->kept);
            g->kept_count = 0;
            kj = (size_t)((kkey * 0x9e3779b97f4a7c15ULL) >> 44) & (ING_KEPT_CAP - 1);
        }
        g->kept[kj].key = kkey;
        g->kept_count++;
    }
    // Kept now, or the store holds this minute at an earlier time already.
    g->kept[kj].t_ms = o->t_ms;
    struct store_obs so = {.asset_id = a->store_id,
                           .t_ms = o->t_ms,
                           .lat = lat,
                           .lon = lon,
                           .sog_kn = (o->has & OBS_HAS_SOG) ? o->sog_kn : NAN,
                           .cog_deg = (o->has & OBS_HAS_COG) ? o->cog_deg : NAN,
                           .alt_ft = (o->has & OBS_HAS_ALT) ? o->alt_ft : INT32_MIN,
                           .source_id = g->cur.id};
    if (g->th && theatre_in_zone(g->th, 0, lat, lon))
        store_strlcpy(so.theatre, g->th->name, sizeof so.theatre);
    struct store_raw raw = {.source_id = g->cur.id,
                            .offset = o->source_offset,
                            .data = o->raw ? o->raw : "",
                            .len = o->raw ? o->raw_len : 0};
    int rc = store_obs_put(g->s, &so, &raw);
    if (rc == ORBAT_OK) {
        g->st.kept++;
        g->st.raw++;
        g->pending += 2;
    } else if (rc != ORBAT_AGAIN) {
        db_error(g, rc);
        return;
    }
done:
    maybe_commit(g, false);
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
    g->ev = ev_engine_new(th, &cfg, event_cb, g);
    g->pipe = pipeline_new(&po, obs_cb, g);
    g->kept = calloc(ING_KEPT_CAP, sizeof *g->kept);
    if (!g->ident || !g->ev || !g->pipe || !g->kept || amap_grow(g) != ORBAT_OK) {
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
    ev_engine_free(g->ev);
    ident_cache_free(g->ident);
    for (size_t i = 0; i < g->nsrc; i++)
        free(g->src[i].name);
    free(g->tab);
    free(g->kept);
    free(g);
}

/* SHA-256 of the file's bytes as stored (compressed files are not
 * decompressed: the checksum names the file, not its content). */
static int file_sha256(const char *path, char hex[65], uint64_t *size)
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

static void progress(struct ingest *g, const struct input *in, bool final)
{
    int64_t now = mono_ms();
    if (!final && now - g->prog_last < 200)
        return;
    g->prog_last = now;
    double secs = (double)(now - g->prog_t0) / 1000.0;
    uint64_t pos = input_raw_pos(in);
    uint64_t msgs = pipeline_get_stats(g->pipe)->obs - g->prog_obs0;
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
    g->st.obs = ps->obs;
    g->st.rejected = ps->rejected;
    memcpy(g->st.rejected_by, ps->by_reason, sizeof g->st.rejected_by);
    g->st.unverified = ps->unverified;
    g->st.modeac = ps->modeac;
    g->st.other_lines = ps->other_lines;
    g->st.bytes = ps->bytes;
}

int ingest_file(struct ingest *g, const char *path)
{
    if (g->err)
        return g->err;
    memset(&g->cur, 0, sizeof g->cur);
    store_strlcpy(g->cur.name, path, sizeof g->cur.name);
    bool is_stdin = !strcmp(path, "-");
    if (is_stdin) {
        // A stream cannot be read twice: it is named by the time of ingest.
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(g->cur.sha256, sizeof g->cur.sha256, "stdin-%lld.%09ld", (long long)ts.tv_sec,
                 ts.tv_nsec);
    } else if (file_sha256(path, g->cur.sha256, &g->prog_size) != 0) {
        g->st.sources_failed++;
        return ORBAT_E_IO;
    }
    struct input *in = input_open(path);
    if (!in) {
        g->st.sources_failed++;
        return ORBAT_E_IO;
    }
    int rc = store_begin(g->s);
    if (rc) {
        input_close(in);
        db_error(g, rc);
        return rc;
    }
    g->in_tx = true;
    g->batch_t0 = mono_ms();
    if ((rc = store_source_begin(g->s, &g->cur)) != ORBAT_OK) {
        db_error(g, rc);
        input_close(in);
        return rc;
    }
    if (g->cur.complete && !g->opts.force) {
        g->st.sources_skipped++;
        input_close(in);
        rc = store_commit(g->s);
        g->in_tx = false;
        return rc ? rc : ORBAT_AGAIN;
    }
    if (g->nsrc < ING_MAX_SOURCES && (g->src[g->nsrc].name = strdup(path)) != NULL)
        g->src[g->nsrc++].id = g->cur.id;
    g->in_source = true;
    g->prog_t0 = g->prog_last = mono_ms();
    g->prog_obs0 = pipeline_get_stats(g->pipe)->obs;
    if (is_stdin)
        g->prog_size = 0;
    const struct pipeline_stats *ps = pipeline_get_stats(g->pipe);
    uint64_t obs0 = ps->obs, bytes0 = ps->bytes;
    unsigned char *buf = malloc(ING_CHUNK);
    ssize_t n = -1;
    int rerr = 0;
    if (buf) {
        while ((n = input_read(in, buf, ING_CHUNK)) > 0 && !g->err) {
            pipeline_feed(g->pipe, buf, (size_t)n, g->cur.name);
            if (g->opts.progress)
                progress(g, in, false);
        }
        rerr = n < 0 ? errno : 0;
        pipeline_end_source(g->pipe);
    } else {
        rerr = ENOMEM;
    }
    if (g->opts.progress)
        progress(g, in, true);
    free(buf);
    input_close(in);
    g->cur.messages = ps->obs - obs0;
    g->cur.bytes = ps->bytes - bytes0;
    add_pipeline_stats(g);
    flush_assets(g);
    g->in_source = false;
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
    if (g->err)
        return g->err;
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
    ev_engine_finish(g->ev);
    flush_assets(g);
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
