/* SPDX-License-Identifier: BSD-2-Clause
 *
 * import.c - `orbat import`: units (PATH arguments), archives (libarchive
 * over the parts of a split tar, read in order as one stream), directory
 * trees, format detection per member, and readsb trace files; see
 * import.h. AIS CSV and aircraft.json snapshots are in import_csv.c and
 * import_snap.c.
 *
 * Trace members are read whole (their size is in the tar header) and
 * inflated with libdeflate (Debian libdeflate0), which inflates about twice
 * as fast as zlib; bench/RESULTS.md has the figures against `zcat` of the
 * same members. With --mil or --hex a member is decided before its points
 * are inflated: from its name (the address), orbat's own tables and
 * registry, and else from the header keys (dbFlags) in the first
 * kilobytes, inflated with zlib, which can stop early.
 *
 * Area filter: a trace is cut into legs (readsb's new-leg flag, or a gap
 * of pass_gap_ms); a leg with one position inside the area is kept whole,
 * so approaches, orbits and departures are complete.
 */
#define _GNU_SOURCE 1 /* FNM_CASEFOLD, memmem */
#include "archive/import.h"

#include "orbat/trace.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libdeflate.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "archive/gfw.h"
#include "archive/import_int.h"
#include "archive/obs_sort.h"
#include "registry/tables.h"
#include "store/sha256.h"
#include "store/store.h"

#define IMP_MAX_PARTS     64
#define IMP_MAX_MEMBER    (1ull << 30) /* a member's inflated JSON, at most */
#define IMP_PEEK          4096         /* inflated bytes looked at for --mil */
#define ORBAT_TOOLONG_OUT 2            /* peek_trace_header: its output was full */
#define IMP_HEAD          65536        /* bytes read to tell a file's format */
#define IMP_RAW_MAX       4000         /* a raw message stored as provenance */
#define IMP_DIR_DEPTH     16
#define IMP_DIR_MAXFILE   2000000

/* ---- small helpers ---- */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

void imp_member_error(struct importer *im, const char *member, int err, const char *fmt, ...)
{
    im->st.members_bad++;
    if (!im->err)
        im->err = err;
    if (im->o.quiet)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%sorbat import: %s: %s%s%s\n", im->o.progress ? "\r\033[K" : "", im->unit,
            member ? member : "", member ? ": " : "", msg);
}

bool imp_has_area(const struct importer *im)
{
    return im->o.area || im->o.has_bbox;
}

bool imp_in_area(const struct importer *im, double lat, double lon)
{
    if (im->o.has_bbox) {
        if (lat < im->o.south || lat > im->o.north)
            return false;
        bool in_lon = im->o.west <= im->o.east ? (lon >= im->o.west && lon <= im->o.east)
                                               : (lon >= im->o.west || lon <= im->o.east);
        if (!in_lon)
            return false;
    }
    if (im->o.area && im->o.area->nzones && im->o.area->zones[0].layer)
        return geo_layer_contains(im->o.area->zones[0].layer, lat, lon);
    return true;
}

bool imp_hex_ok(const struct importer *im, uint32_t id)
{
    if (!im->o.hex)
        return true;
    size_t lo = 0, hi = im->o.nhex;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (im->o.hex[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < im->o.nhex && im->o.hex[lo] == id;
}

bool imp_callsign_ok(const struct importer *im, const char *cs)
{
    if (!im->o.callsign)
        return true;
    if (!cs || !*cs)
        return false;
    for (size_t i = 0; i < im->o.ncallsign; i++)
        if (fnmatch(im->o.callsign[i], cs, FNM_CASEFOLD) == 0)
            return true;
    return false;
}

bool imp_time_ok(const struct importer *im, int64_t t_ms)
{
    return (!im->o.from_ms || t_ms >= im->o.from_ms) && (!im->o.to_ms || t_ms < im->o.to_ms);
}

bool imp_mil_icao(const struct importer *im, uint32_t icao)
{
    const struct icao_mil_block *mb = tables_icao_military(icao);
    if (mb && mb->enabled)
        return true;
    const struct reg_aircraft *a = im->reg ? registry_find_icao(im->reg, icao) : NULL;
    return a && (a->category == CAT_MILITARY_AIRCRAFT || a->category == CAT_LAW_ENFORCEMENT);
}

bool imp_mil_mmsi(const struct importer *im, uint32_t mmsi)
{
    const struct reg_ship *s = im->reg ? registry_find_mmsi(im->reg, mmsi) : NULL;
    return s && (s->category == CAT_WARSHIP || s->category == CAT_LAW_ENFORCEMENT);
}

void imp_emit(struct importer *im, struct obs *o, const char *member, uint64_t offset,
              const char *what, uint64_t index, const char *text, size_t text_len)
{
    char raw[IMP_RAW_MAX + 1];
    int n = snprintf(raw, sizeof raw, "%s %s %llu: ", member, what, (unsigned long long)index);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof raw)
        n = (int)sizeof raw - 1;
    size_t room = sizeof raw - 1 - (size_t)n;
    if (text_len > room)
        text_len = room;
    memcpy(raw + n, text, text_len);
    o->source_offset = offset;
    // Kept in time order (obs_sort.h), handed to the ingest at the end of
    // the source.
    if (!im->sort_err && obs_sort_add(im->sort, o, raw, (size_t)n + text_len) != 0)
        im->sort_err = errno ? errno : ENOMEM;
    im->st.kept++;
}

static int drain_cb(void *ctx, struct obs *o)
{
    struct importer *im = ctx;
    o->source = im->unit;
    ingest_emit(im->g, o);
    if ((++im->drained & 4095) == 0) {
        imp_progress(im, false);
        if (ingest_emit_stopped(im->g))
            return 1;
    }
    return 0;
}

void imp_progress(struct importer *im, bool final)
{
    if (!im->o.progress)
        return;
    int64_t now = mono_ms();
    if (!final && now - im->prog_last < 250)
        return;
    im->prog_last = now;
    double secs = (double)(now - im->prog_t0) / 1000.0;
    double mbs = secs > 0 ? (double)im->unit_pos / 1e6 / secs : 0;
    char eta[32] = "";
    if (!final && im->unit_size && im->unit_pos && secs > 1 && im->unit_pos < im->unit_size)
        snprintf(eta, sizeof eta, "  ETA %.0fs",
                 secs * (double)(im->unit_size - im->unit_pos) / (double)im->unit_pos);
    fprintf(stderr,
            "\r\033[K%.32s  %.0f/%.0f MB  %llu members  %llu points  %llu kept  %.1f MB/s%s",
            base_name(im->unit), (double)im->unit_pos / 1e6, (double)im->unit_size / 1e6,
            (unsigned long long)im->st.members, (unsigned long long)im->st.points,
            (unsigned long long)im->st.kept, mbs, eta);
    if (final)
        fputc('\n', stderr);
    ingest_emit_pos(im->g, im->unit_pos);
}

/* ---- buffers ---- */

static int grow_buf(void *pp, size_t *cap, size_t need, size_t elem)
{
    void **p = pp;
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 4096;
    while (nc < need)
        nc *= 2;
    void *n = realloc(*p, nc * elem);
    if (!n)
        return -1;
    *p = n;
    *cap = nc;
    return 0;
}

/* ---- traces ---- */

/* Parse the hex of "trace_full_<hex>.json" / "trace_recent_<hex>.json";
 * *anon for a '~' address. */
static bool trace_name(const char *path, uint32_t *hex, bool *anon)
{
    const char *b = base_name(path);
    const char *p;
    if (!strncmp(b, "trace_full_", 11))
        p = b + 11;
    else if (!strncmp(b, "trace_recent_", 13))
        p = b + 13;
    else
        return false;
    *anon = *p == '~';
    if (*anon)
        p++;
    uint32_t v = 0;
    int n = 0;
    for (; n < 6 && isxdigit((unsigned char)p[n]); n++)
        v = v << 4 |
            (uint32_t)(isdigit((unsigned char)p[n]) ? p[n] - '0'
                                                    : (tolower((unsigned char)p[n]) - 'a' + 10));
    if (n != 6 || strncmp(p + 6, ".json", 5))
        return false;
    *hex = v;
    return true;
}

struct tp_vec {
    struct orbat_trace_point *p;
    size_t n, cap;
};

static int collect_point(void *ctx, const struct orbat_trace_point *p)
{
    struct tp_vec *v = ctx;
    if (v->n == v->cap && grow_buf(&v->p, &v->cap, v->n + 1, sizeof *v->p))
        return 1;
    v->p[v->n++] = *p;
    return 0;
}

/* Inflate a gzip member whole with libdeflate; a plain member is used as
 * it is. Returns the JSON text or NULL (error reported). */
static const char *member_json(struct importer *im, const char *member, const unsigned char *data,
                               size_t len, size_t *outlen)
{
    if (len < 2 || data[0] != 0x1f || data[1] != 0x8b) {
        *outlen = len;
        return (const char *)data;
    }
    if (len < 18) {
        imp_member_error(im, member, ORBAT_E_TRUNCATED, "truncated gzip data");
        return NULL;
    }
    // ISIZE (the last 4 bytes) is the inflated size mod 2^32: a first guess.
    size_t guess = (size_t)data[len - 4] | (size_t)data[len - 3] << 8 |
                   (size_t)data[len - 2] << 16 | (size_t)data[len - 1] << 24;
    // A cut or corrupt member has no real ISIZE: deflate does not expand
    // beyond 1032:1, and JSON traces inflate about 5-10 times.
    if (guess < len || guess / 1032 > len)
        guess = len * 8;
    for (;;) {
        if (guess > IMP_MAX_MEMBER) {
            imp_member_error(im, member, ORBAT_E_TOOLONG, "inflates to more than %llu bytes",
                             (unsigned long long)IMP_MAX_MEMBER);
            return NULL;
        }
        if (grow_buf(&im->jbuf, &im->jcap, guess + 1, 1)) {
            imp_member_error(im, member, ORBAT_E_NOMEM, "out of memory");
            return NULL;
        }
        size_t in_used = 0, out = 0;
        enum libdeflate_result r = libdeflate_gzip_decompress_ex(im->dd, data, len, im->jbuf,
                                                                 im->jcap - 1, &in_used, &out);
        if (r == LIBDEFLATE_SUCCESS) {
            if (in_used < len && data[in_used] == 0x1f) {
                // Concatenated gzip members (rare in traces): zlib does it.
                break;
            }
            im->st.bytes_inflated += out;
            *outlen = out;
            return im->jbuf;
        }
        if (r == LIBDEFLATE_INSUFFICIENT_SPACE && im->jcap / 1032 <= len) {
            guess = im->jcap * 2;
            continue;
        }
        imp_member_error(im, member, ORBAT_E_FORMAT, "corrupt or truncated gzip data");
        return NULL;
    }
    // Fallback: zlib over the whole multi-member stream.
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return NULL;
    size_t out = 0, in = 0;
    int zr = Z_OK;
    while (in < len) {
        if (out + 65536 > im->jcap && grow_buf(&im->jbuf, &im->jcap, out + 65537, 1))
            break;
        z.next_in = (unsigned char *)(uintptr_t)(data + in);
        z.avail_in = (uInt)(len - in);
        z.next_out = (unsigned char *)im->jbuf + out;
        z.avail_out = (uInt)(im->jcap - 1 - out);
        zr = inflate(&z, Z_NO_FLUSH);
        in = len - z.avail_in;
        out = im->jcap - 1 - z.avail_out;
        if (zr == Z_STREAM_END) {
            if (in < len && data[in] == 0x1f) {
                inflateReset(&z);
                continue;
            }
            break;
        }
        if (zr != Z_OK || out > IMP_MAX_MEMBER)
            break;
    }
    inflateEnd(&z);
    if (zr != Z_STREAM_END) {
        imp_member_error(im, member, ORBAT_E_FORMAT, "corrupt or truncated gzip data");
        return NULL;
    }
    im->st.bytes_inflated += out;
    *outlen = out;
    return im->jbuf;
}

/* Is the aircraft of this header kept by --mil? */
static bool trace_mil(const struct importer *im, const struct orbat_trace_hdr *h, uint32_t hex)
{
    return (h->have_dbflags && (h->dbflags & ORBAT_TRACE_DB_MILITARY)) || imp_mil_icao(im, hex);
}

/* The header of a (possibly gzip) member from its first bytes, inflated
 * with a z_stream kept across members (inflateReset is far cheaper than
 * inflateInit2 + inflateEnd for 40,000 members). Returns ORBAT_OK (read up
 * to "trace"), ORBAT_AGAIN (need more input) or an error. */
static int peek_trace_header(struct importer *im, const unsigned char *data, size_t len,
                             struct orbat_trace_hdr *h, size_t outcap)
{
    char out[IMP_PEEK];
    size_t n;
    if (outcap > sizeof out)
        outcap = sizeof out;
    if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        z_stream *z = im->pz;
        if (!z) {
            if (!(z = calloc(1, sizeof *z)) || inflateInit2(z, 15 + 16) != Z_OK) {
                free(z);
                return ORBAT_E_NOMEM;
            }
            im->pz = z;
        } else if (inflateReset(z) != Z_OK) {
            return ORBAT_E_FORMAT;
        }
        z->next_in = (unsigned char *)(uintptr_t)data;
        z->avail_in = (uInt)len;
        z->next_out = (unsigned char *)out;
        z->avail_out = (uInt)outcap;
        int zr = inflate(z, Z_SYNC_FLUSH);
        n = outcap - z->avail_out;
        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
            return ORBAT_E_FORMAT;
    } else {
        n = len < outcap ? len : outcap;
        memcpy(out, data, n);
    }
    memset(h, 0, sizeof *h);
    int rc = orbat_trace_peek_header(out, n, h);
    if (rc == ORBAT_AGAIN && n == sizeof out)
        return ORBAT_OK; // a header longer than IMP_PEEK: decide on what was read
    if (rc == ORBAT_AGAIN && n == outcap)
        return ORBAT_TOOLONG_OUT; // inflate more of the same input
    return rc;
}

static void trace_obs(struct importer *im, const struct orbat_trace_hdr *h, uint32_t hex,
                      const struct orbat_trace_point *p, int64_t t_ms, struct obs *o)
{
    memset(o, 0, sizeof *o);
    o->kind = OBS_AIRCRAFT;
    o->id = hex;
    o->t_ms = t_ms;
    o->has = OBS_HAS_POS;
    o->lat = p->lat;
    o->lon = p->lon;
    if (p->ground) {
        o->flags |= OBS_F_SURFACE;
    } else if (p->has_alt) {
        o->has |= OBS_HAS_ALT;
        o->alt_ft = p->alt_ft;
    }
    if (p->has_gs) {
        o->has |= OBS_HAS_SOG;
        o->sog_kn = p->gs_kt;
    }
    if (p->has_track) {
        o->has |= OBS_HAS_COG;
        o->cog_deg = p->track_deg;
    }
    if (p->has_vrate) {
        o->has |= OBS_HAS_VR;
        o->vr_fpm = p->vrate_fpm;
    }
    if (p->has_obj) {
        o->flags |= OBS_F_STATIC;
        if (p->flight[0]) {
            o->has |= OBS_HAS_CALLSIGN;
            store_strlcpy(o->callsign, p->flight, sizeof o->callsign);
        }
        if (p->has_squawk) {
            o->has |= OBS_HAS_SQUAWK;
            o->squawk = p->squawk;
            if (p->squawk == 7500 || p->squawk == 7600 || p->squawk == 7700)
                o->flags |= OBS_F_EMERGENCY;
        }
        if (p->category) {
            o->has |= OBS_HAS_CATEGORY;
            o->category = p->category;
        }
    }
    if (h->r[0] || h->t[0] || h->desc[0] || h->ownop[0] || h->have_dbflags) {
        o->has |= OBS_HAS_ACDB;
        store_strlcpy(o->acdb.reg, h->r, sizeof o->acdb.reg);
        store_strlcpy(o->acdb.type, h->t, sizeof o->acdb.type);
        store_strlcpy(o->acdb.desc, h->desc, sizeof o->acdb.desc);
        store_strlcpy(o->acdb.ownop, h->ownop, sizeof o->acdb.ownop);
        o->acdb.flags = h->dbflags;
        o->acdb.has_flags = h->have_dbflags;
    }
    if (h->simulated)
        o->flags |= OBS_F_SIMULATED;
    (void)im;
}

static int64_t point_ms(const struct orbat_trace_hdr *h, const struct orbat_trace_point *p)
{
    double t = (h->timestamp + p->dt) * 1000.0;
    if (!(t > 0 && t < 7258118400000.0)) // 1970 .. 2200
        return 0;
    return (int64_t)llround(t);
}

/* One trace document (JSON text): parse, cut into legs, filter, emit. */
static int trace_doc(struct importer *im, const char *member, uint64_t offset, const char *json,
                     size_t len, uint32_t name_hex, bool have_name_hex)
{
    struct orbat_trace_hdr h;
    memset(&h, 0, sizeof h);
    struct tp_vec v = {im->pts, 0, im->cappts};
    uint32_t bad = 0;
    int rc = orbat_trace_parse(json, len, &h, collect_point, &v, &bad);
    im->pts = v.p;
    im->cappts = v.cap;
    im->st.traces++;
    im->st.points += v.n + bad;
    im->st.bad_points += bad;
    im->seen |= SEEN_TRACE | (h.simulated ? SEEN_SIM : 0);
    if (rc != ORBAT_OK)
        imp_member_error(im, member, rc, "%s after %zu points (those are kept)",
                         rc == ORBAT_E_TRUNCATED ? "document cut short" : "malformed trace JSON",
                         v.n);
    if (!h.have_icao && have_name_hex)
        h.icao = name_hex, h.have_icao = true;
    if (!h.have_icao || !h.have_timestamp) {
        if (rc == ORBAT_OK)
            imp_member_error(im, member, ORBAT_E_FORMAT, "no %s in the trace header",
                             h.have_icao ? "timestamp" : "icao");
        return ORBAT_E_FORMAT;
    }
    if (h.non_icao || !imp_hex_ok(im, h.icao) || (im->o.mil && !trace_mil(im, &h, h.icao))) {
        im->st.members_skipped++;
        return rc;
    }
    struct orbat_trace_point *P = v.p;
    size_t n = v.n;
    bool area = imp_has_area(im), cs = im->o.callsign != NULL;
    const char *last_flight = "";
    size_t a = 0;
    while (a < n) {
        // The leg [a, b).
        size_t b = a + 1;
        int64_t prev = point_ms(&h, &P[a]);
        while (b < n) {
            int64_t t = point_ms(&h, &P[b]);
            if ((P[b].flags & ORBAT_TRACE_F_NEW_LEG) || t - prev > im->o.pass_gap_ms)
                break;
            prev = t;
            b++;
        }
        bool keep_area = !area, keep_cs = !cs;
        const char *flight = last_flight;
        for (size_t i = a; i < b && (!keep_area || !keep_cs); i++) {
            if (!keep_area && imp_in_area(im, P[i].lat, P[i].lon) &&
                imp_time_ok(im, point_ms(&h, &P[i])))
                keep_area = true;
            if (P[i].flight[0])
                flight = P[i].flight;
            if (!keep_cs && imp_callsign_ok(im, flight))
                keep_cs = true;
        }
        for (size_t i = a; i < b; i++)
            if (P[i].flight[0])
                last_flight = P[i].flight;
        if (keep_area && keep_cs) {
            bool first = true;
            for (size_t i = a; i < b; i++) {
                int64_t t = point_ms(&h, &P[i]);
                if (!t || !imp_time_ok(im, t))
                    continue;
                trace_obs(im, &h, h.icao, &P[i], t, &im->ob);
                if (first)
                    im->ob.flags |= OBS_F_STATIC; // carries the archive's identity
                first = false;
                imp_emit(im, &im->ob, member, offset, "point", P[i].index, P[i].text,
                         P[i].text_len);
            }
        }
        a = b;
        if (ingest_emit_stopped(im->g))
            return ORBAT_E_DB;
    }
    return rc;
}

/* ---- members ---- */

/* Where a member's bytes come from: an archive entry or a file. */
struct msrc {
    struct archive *a;
    int fd;
    int64_t size; /* -1: unknown */
};

static ssize_t msrc_read(struct msrc *m, void *buf, size_t n)
{
    if (m->a) {
        la_ssize_t k = archive_read_data(m->a, buf, n);
        return k < 0 ? -1 : (ssize_t)k;
    }
    ssize_t k;
    do
        k = read(m->fd, buf, n);
    while (k < 0 && errno == EINTR);
    return k;
}

static const char *msrc_err(const struct msrc *m)
{
    return m->a ? archive_error_string(m->a) : strerror(errno);
}

/* Read the rest of a member into im->mbuf after `have` bytes. */
static int read_rest(struct importer *im, struct msrc *m, size_t have, size_t *total,
                     const char *member)
{
    for (;;) {
        if (have + 65536 > im->mcap && grow_buf(&im->mbuf, &im->mcap, have + 65536, 1)) {
            imp_member_error(im, member, ORBAT_E_NOMEM, "out of memory");
            return ORBAT_E_NOMEM;
        }
        ssize_t k = msrc_read(m, im->mbuf + have, im->mcap - have);
        if (k < 0) {
            imp_member_error(im, member, ORBAT_E_IO, "read error: %s", msrc_err(m));
            *total = have;
            return ORBAT_E_IO;
        }
        if (k == 0)
            break;
        have += (size_t)k;
        if (have > IMP_MAX_MEMBER) {
            imp_member_error(im, member, ORBAT_E_TOOLONG, "larger than %llu bytes",
                             (unsigned long long)IMP_MAX_MEMBER);
            return ORBAT_E_TOOLONG;
        }
    }
    *total = have;
    return ORBAT_OK;
}

/* A trace member: decided by name and header before its points are
 * inflated when --mil / --hex ask for it. */
static int member_trace(struct importer *im, struct msrc *m, const char *member, uint64_t offset,
                        uint32_t hex, bool anon)
{
    if (anon || !imp_hex_ok(im, hex)) {
        im->st.members_skipped++;
        return ORBAT_OK;
    }
    size_t have = 0;
    if (im->o.mil && !imp_mil_icao(im, hex)) {
        // Read the first bytes only (1 KiB, more while the header is not
        // complete) and look at the header keys.
        if (grow_buf(&im->mbuf, &im->mcap, IMP_HEAD, 1))
            return ORBAT_E_NOMEM;
        size_t want = 1024;
        bool eof = false;
        for (;;) {
            if (m->size >= 0 && (size_t)m->size < want)
                want = (size_t)m->size;
            while (have < want) {
                ssize_t k = msrc_read(m, im->mbuf + have, want - have);
                if (k < 0) {
                    imp_member_error(im, member, ORBAT_E_IO, "read error: %s", msrc_err(m));
                    return ORBAT_E_IO;
                }
                if (k == 0) {
                    eof = true;
                    break;
                }
                have += (size_t)k;
            }
            // The header is a few hundred bytes: inflate 512 first (inflate
            // time follows its output), the whole peek only if needed.
            struct orbat_trace_hdr h;
            int rc = peek_trace_header(im, im->mbuf, have, &h, 512);
            if (rc == ORBAT_TOOLONG_OUT)
                rc = peek_trace_header(im, im->mbuf, have, &h, IMP_PEEK);
            if (rc == ORBAT_OK && !trace_mil(im, &h, hex)) {
                im->st.members_skipped++;
                return ORBAT_OK; // the archive skips the rest of the member
            }
            if (rc != ORBAT_AGAIN || eof || have < want || want >= IMP_HEAD)
                break;
            want *= 8;
            if (want > IMP_HEAD)
                want = IMP_HEAD;
        }
        // Military, or undecided from the first bytes: read it all.
    }
    size_t total = 0;
    int rc = read_rest(im, m, have, &total, member);
    if (rc != ORBAT_OK && rc != ORBAT_E_IO)
        return rc;
    size_t jlen = 0;
    const char *json = member_json(im, member, im->mbuf, total, &jlen);
    if (!json)
        return ORBAT_E_FORMAT;
    int prc = trace_doc(im, member, offset, json, jlen, hex, true);
    return rc ? rc : prc;
}

/* What the first inflated bytes of a document are. */
enum doc_kind {
    DOC_UNKNOWN,
    DOC_TRACE,
    DOC_SNAPSHOT,
    DOC_GFW,
    DOC_CSV,
    DOC_TAR,
    DOC_ZIP
};

static bool has_key(const char *s, size_t n, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; i + k <= n; i++)
        if (s[i] == '"' && !memcmp(s + i, key, k))
            return true;
    return false;
}

static enum doc_kind sniff(const unsigned char *b, size_t n)
{
    if (n >= 262 && !memcmp(b + 257, "ustar", 5))
        return DOC_TAR;
    if (n >= 4 && !memcmp(b, "PK\3\4", 4))
        return DOC_ZIP;
    size_t i = 0;
    if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
        i = 3;
    while (i < n && isspace(b[i]))
        i++;
    const char *s = (const char *)b + i;
    size_t m = n - i;
    if (m && *s == '{') {
        if (has_key(s, m, "\"trace\"") || has_key(s, m, "\"icao\""))
            return DOC_TRACE;
        if ((has_key(s, m, "\"aircraft\"") || has_key(s, m, "\"ac\"")) && has_key(s, m, "\"now\""))
            return DOC_SNAPSHOT;
        if (gfw_looks_like(s, m))
            return DOC_GFW;
        if (has_key(s, m, "\"aircraft\"") || has_key(s, m, "\"ac\""))
            return DOC_SNAPSHOT;
        return DOC_UNKNOWN;
    }
    // A CSV header, possibly after '#' comment lines (the simulator's
    // "# SIMULATION" line; DMA's header itself starts with "# ").
    for (int lines = 0; m && lines < 8; lines++) {
        const char *nl = memchr(s, '\n', m);
        size_t ll = nl ? (size_t)(nl - s) : m;
        if (imp_csv_header(s, ll))
            return DOC_CSV;
        if (*s != '#' || !nl)
            break;
        m -= ll + 1;
        s = nl + 1;
    }
    return DOC_UNKNOWN;
}

/* A file member's descriptor, for reading it a second time (-1: an archive
 * member, which cannot be). */
struct reopen_ctx {
    struct importer *im;
    int fd;
};

static struct rstream *reopen_file(void *ctx)
{
    struct reopen_ctx *c = ctx;
    if (c->fd < 0 || lseek(c->fd, 0, SEEK_SET) != 0)
        return NULL;
    unsigned char head[8];
    ssize_t k = read(c->fd, head, sizeof head);
    if (k < 0)
        return NULL;
    return rs_open_fd(c->fd, head, (size_t)k);
}

/* Any member that is not named as a trace: look at its content. */
static int member_generic(struct importer *im, struct msrc *m, const char *member, uint64_t offset)
{
    unsigned char head[512];
    ssize_t k = msrc_read(m, head, sizeof head);
    if (k < 0) {
        imp_member_error(im, member, ORBAT_E_IO, "read error: %s", msrc_err(m));
        return ORBAT_E_IO;
    }
    if (k == 0) {
        im->st.members_other++;
        return ORBAT_OK;
    }
    struct rstream *rs =
        m->a ? rs_open_member(m->a, head, (size_t)k) : rs_open_fd(m->fd, head, (size_t)k);
    if (!rs)
        return ORBAT_E_NOMEM;
    // The first inflated bytes tell the format.
    if (grow_buf(&im->jbuf, &im->jcap, IMP_HEAD + 1, 1)) {
        rs_close(rs);
        return ORBAT_E_NOMEM;
    }
    size_t have = 0;
    while (have < IMP_HEAD) {
        ssize_t r = rs_read(rs, im->jbuf + have, IMP_HEAD - have);
        if (r < 0) {
            imp_member_error(im, member, ORBAT_E_FORMAT, "%s", rs_error(rs));
            rs_close(rs);
            return ORBAT_E_FORMAT;
        }
        if (r == 0)
            break;
        have += (size_t)r;
    }
    enum doc_kind kind = sniff((const unsigned char *)im->jbuf, have);
    int rc = ORBAT_OK;
    if (kind == DOC_TRACE || kind == DOC_SNAPSHOT) {
        // A JSON document: read it whole.
        for (;;) {
            if (have + 65536 > im->jcap && grow_buf(&im->jbuf, &im->jcap, have + 65537, 1)) {
                rc = ORBAT_E_NOMEM;
                break;
            }
            ssize_t r = rs_read(rs, im->jbuf + have, im->jcap - 1 - have);
            if (r < 0) {
                imp_member_error(im, member, ORBAT_E_FORMAT, "%s (what was read is kept)",
                                 rs_error(rs));
                rc = ORBAT_E_FORMAT;
                break;
            }
            if (r == 0)
                break;
            have += (size_t)r;
            if (have > IMP_MAX_MEMBER) {
                imp_member_error(im, member, ORBAT_E_TOOLONG, "larger than %llu bytes",
                                 (unsigned long long)IMP_MAX_MEMBER);
                rc = ORBAT_E_TOOLONG;
                break;
            }
        }
        if (rc != ORBAT_E_NOMEM && rc != ORBAT_E_TOOLONG) {
            int prc;
            if (kind == DOC_TRACE) {
                uint32_t hex = 0;
                bool anon = false;
                bool named = trace_name(member, &hex, &anon);
                prc = trace_doc(im, member, offset, im->jbuf, have, hex, named && !anon);
            } else {
                prc = imp_snapshot(im, im->jbuf, have, member, offset);
            }
            if (!rc)
                rc = prc;
        }
    } else if (kind == DOC_CSV) {
        struct reopen_ctx rc_ctx = {im, m->a ? -1 : m->fd};
        // imp_csv reads the head we took, then the rest of the stream.
        rc = imp_csv(im, im->jbuf, have, rs, member, offset, m->a ? NULL : reopen_file, &rc_ctx);
    } else if (kind == DOC_GFW) {
        imp_member_error(im, member, ORBAT_E_UNSUPPORTED,
                         "Global Fishing Watch events inside an archive or directory: give "
                         "the file itself to orbat import");
    } else if (kind == DOC_TAR || kind == DOC_ZIP) {
        imp_member_error(im, member, ORBAT_E_UNSUPPORTED,
                         "an archive inside an archive or directory: give it to orbat import "
                         "as its own PATH");
    } else {
        im->st.members_other++;
        if (!im->o.quiet)
            fprintf(stderr, "%sorbat import: %s: %s: no known format, skipped\n",
                    im->o.progress ? "\r\033[K" : "", im->unit, member);
    }
    rs_close(rs);
    return rc;
}

/* Members under these top-level directories of a globe_history day are
 * not position data (heatmap slices, ACAS reports). */
static bool skip_member(const char *path)
{
    const char *p = path;
    if (!strncmp(p, "./", 2))
        p += 2;
    const char *s = strstr(p, "heatmap/");
    if (s && (s == p || s[-1] == '/'))
        return true;
    s = strstr(p, "acas/");
    return s && (s == p || s[-1] == '/');
}

static int member(struct importer *im, struct msrc *m, const char *path, uint64_t offset)
{
    im->st.members++;
    if (skip_member(path)) {
        im->st.members_other++;
        return ORBAT_OK;
    }
    uint32_t hex;
    bool anon;
    int rc = trace_name(path, &hex, &anon) ? member_trace(im, m, path, offset, hex, anon)
                                           : member_generic(im, m, path, offset);
    imp_progress(im, false);
    return rc;
}

/* ---- units ---- */

struct unit {
    char *paths[IMP_MAX_PARTS]; /* the parts of one archive, or one path */
    size_t nparts;
    bool dir;
    bool archive; /* read with libarchive */
    char name[256];
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t importer_split_parts(const char *path, char **out, size_t max)
{
    size_t len = strlen(path);
    // "<stem>.tar.a?" with ? a letter
    if (len < 7 || strncmp(path + len - 7, ".tar.a", 6) || !islower((unsigned char)path[len - 1]))
        return 0;
    char stem[4096];
    if (len - 1 >= sizeof stem)
        return 0;
    memcpy(stem, path, len - 1);
    stem[len - 1] = '\0';
    size_t n = 0;
    for (char c = 'a'; c <= 'z' && n < max; c++) {
        char p[4100];
        snprintf(p, sizeof p, "%s%c", stem, c);
        if (access(p, F_OK) != 0) {
            if (c == 'a')
                continue; // .tar.aa missing: still try the rest (reported later)
            break;
        }
        out[n] = strdup(p);
        if (!out[n])
            break;
        n++;
    }
    return n;
}

/* Files of a directory tree, relative paths, sorted (depth-first, names in
 * byte order at each level). */
struct flist {
    char **v;
    size_t n, cap;
};

static int walk(const char *root, const char *rel, int depth, struct flist *fl)
{
    if (depth > IMP_DIR_DEPTH)
        return 0;
    char dirp[4096];
    snprintf(dirp, sizeof dirp, "%s%s%s", root, *rel ? "/" : "", rel);
    struct dirent **ents;
    int ne = scandir(dirp, &ents, NULL, alphasort);
    if (ne < 0)
        return -1;
    for (int i = 0; i < ne; i++) {
        const char *nm = ents[i]->d_name;
        if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) {
            free(ents[i]);
            continue;
        }
        char r[4096], full[8200];
        snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", nm);
        snprintf(full, sizeof full, "%s/%s", root, r);
        struct stat st;
        if (lstat(full, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                walk(root, r, depth + 1, fl);
            } else if (S_ISREG(st.st_mode) && fl->n < IMP_DIR_MAXFILE) {
                if (!grow_buf(&fl->v, &fl->cap, fl->n + 1, sizeof *fl->v) &&
                    (fl->v[fl->n] = strdup(r)) != NULL)
                    fl->n++;
            }
        }
        free(ents[i]);
    }
    free(ents);
    return 0;
}

static void flist_free(struct flist *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        free(fl->v[i]);
    free(fl->v);
}

/* The SHA-256 of a unit: its parts' bytes in order, or for a directory its
 * files' relative paths and bytes in walk order. */
static int unit_hash(const struct unit *u, const struct flist *fl, char hex[65], uint64_t *size)
{
    struct sha256 c;
    sha256_init(&c);
    unsigned char *buf = malloc(1 << 20);
    if (!buf)
        return -1;
    uint64_t total = 0;
    size_t n = u->dir ? fl->n : u->nparts;
    for (size_t i = 0; i < n; i++) {
        char full[8200];
        if (u->dir) {
            snprintf(full, sizeof full, "%s/%s", u->paths[0], fl->v[i]);
            sha256_update(&c, fl->v[i], strlen(fl->v[i]) + 1);
        } else {
            snprintf(full, sizeof full, "%s", u->paths[i]);
        }
        int fd = open(full, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            if (u->dir)
                continue; // vanished: the walk will report it
            free(buf);
            return -1;
        }
        ssize_t k;
        while ((k = read(fd, buf, 1 << 20)) > 0) {
            sha256_update(&c, buf, (size_t)k);
            total += (uint64_t)k;
        }
        int e = errno;
        close(fd);
        if (k < 0) {
            free(buf);
            errno = e;
            return -1;
        }
    }
    free(buf);
    sha256_final_hex(&c, hex);
    *size = total;
    return 0;
}

struct unit_run {
    struct importer *im;
    struct unit *u;
    struct flist *fl;
};

static int produce_archive(struct importer *im, struct unit *u)
{
    struct archive *a = archive_read_new();
    if (!a)
        return ORBAT_E_NOMEM;
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    archive_read_support_format_zip(a);
    const char *names[IMP_MAX_PARTS + 1];
    for (size_t i = 0; i < u->nparts; i++)
        names[i] = u->paths[i];
    names[u->nparts] = NULL;
    int rc = ORBAT_OK;
    if (archive_read_open_filenames(a, names, 1 << 20) != ARCHIVE_OK) {
        imp_member_error(im, NULL, ORBAT_E_IO, "%s", archive_error_string(a));
        archive_read_free(a);
        return ORBAT_E_IO;
    }
    struct archive_entry *e;
    int ar;
    while ((ar = archive_read_next_header(a, &e)) == ARCHIVE_OK || ar == ARCHIVE_WARN) {
        if (archive_entry_filetype(e) != AE_IFREG)
            continue;
        const char *path = archive_entry_pathname(e);
        uint64_t off = (uint64_t)archive_read_header_position(a);
        struct msrc m = {a, -1, archive_entry_size_is_set(e) ? archive_entry_size(e) : -1};
        char pathc[1024];
        snprintf(pathc, sizeof pathc, "%s", path ? path : "?");
        int mrc = member(im, &m, pathc, off);
        im->unit_pos = (uint64_t)archive_filter_bytes(a, -1);
        if (mrc == ORBAT_E_DB || ingest_emit_stopped(im->g)) {
            rc = ORBAT_E_DB;
            break;
        }
        if (mrc == ORBAT_E_NOMEM) {
            rc = mrc;
            break;
        }
    }
    if (rc == ORBAT_OK && ar != ARCHIVE_EOF) {
        const char *why = archive_error_string(a);
        char msg[400];
        snprintf(msg, sizeof msg, "%s", why ? why : "read error");
        if (u->nparts >= 1 && strstr(u->paths[u->nparts - 1], ".tar.a"))
            imp_member_error(
                im, u->nparts > 1 ? "(parts)" : base_name(u->paths[0]), ORBAT_E_TRUNCATED,
                "%s after %llu members; what was read is kept (is a part of the "
                "split tar missing? found %zu part%s)",
                msg, (unsigned long long)im->st.members, u->nparts, u->nparts == 1 ? "" : "s");
        else
            imp_member_error(im, NULL, ORBAT_E_TRUNCATED,
                             "%s after %llu members; what was read is kept", msg,
                             (unsigned long long)im->st.members);
        rc = ORBAT_E_TRUNCATED;
    }
    im->unit_pos = (uint64_t)archive_filter_bytes(a, -1);
    archive_read_free(a);
    return rc;
}

static int produce_dir(struct importer *im, struct unit *u, struct flist *fl)
{
    int rc = ORBAT_OK;
    uint64_t off = 0;
    for (size_t i = 0; i < fl->n && rc != ORBAT_E_DB; i++) {
        char full[8200];
        snprintf(full, sizeof full, "%s/%s", u->paths[0], fl->v[i]);
        int fd = open(full, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            imp_member_error(im, fl->v[i], ORBAT_E_IO, "%s", strerror(errno));
            continue;
        }
        struct stat st;
        int64_t size = fstat(fd, &st) == 0 ? (int64_t)st.st_size : -1;
        struct msrc m = {NULL, fd, size};
        int mrc = member(im, &m, fl->v[i], off);
        close(fd);
        off += size > 0 ? (uint64_t)size : 0;
        im->unit_pos = off;
        if (mrc == ORBAT_E_DB || mrc == ORBAT_E_NOMEM || ingest_emit_stopped(im->g))
            rc = mrc ? mrc : ORBAT_E_DB;
    }
    return rc;
}

static int produce_file(struct importer *im, struct unit *u)
{
    int fd = open(u->paths[0], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        imp_member_error(im, base_name(u->paths[0]), ORBAT_E_IO, "%s", strerror(errno));
        return ORBAT_E_IO;
    }
    struct stat st;
    int64_t size = fstat(fd, &st) == 0 ? (int64_t)st.st_size : -1;
    struct msrc m = {NULL, fd, size};
    int rc = member(im, &m, base_name(u->paths[0]), 0);
    im->unit_pos = size > 0 ? (uint64_t)size : 0;
    close(fd);
    return rc;
}

/* The attribution line of what the unit held, into the importer's buffer. */
static const char *licence_for(struct importer *im, const struct unit *u)
{
    if (im->o.licence)
        return im->o.licence;
    if (im->seen & SEEN_SIM)
        return "SIMULATION: written by orbat simulate, not real data";
    char *buf = im->licence;
    const size_t bufsz = sizeof im->licence;
    buf[0] = '\0';
    size_t n = 0;
    bool adsblol = strstr(u->name, "planes-readsb") != NULL;
    if (im->seen & SEEN_TRACE)
        n += (size_t)snprintf(buf + n, bufsz - n, "%s",
                              adsblol ? "adsb.lol globe_history, ODbL 1.0 (c) adsb.lol contributors"
                                      : "readsb traces: provider's licence (adsb.lol: ODbL 1.0)");
    if ((im->seen & SEEN_SNAP) && n < bufsz)
        n += (size_t)snprintf(buf + n, bufsz - n, "%sreadsb snapshots: provider's licence",
                              n ? "; " : "");
    if ((im->seen & SEEN_MC) && n < bufsz)
        n += (size_t)snprintf(buf + n, bufsz - n,
                              "%sNOAA/BOEM MarineCadastre AIS, public domain (CC0)", n ? "; " : "");
    if ((im->seen & SEEN_DMA) && n < bufsz)
        snprintf(buf + n, bufsz - n, "%sDanish Maritime Authority AIS (aisdk)", n ? "; " : "");
    return buf;
}

static int produce(void *ctx, struct ingest *g)
{
    struct unit_run *r = ctx;
    struct importer *im = r->im;
    (void)g;
    im->prog_t0 = im->prog_last = mono_ms();
    im->sort_err = 0;
    if (!(im->sort = obs_sort_new(im->o.sort_mem ? im->o.sort_mem : (size_t)64 << 20)))
        return ORBAT_E_NOMEM;
    int rc;
    if (r->u->dir)
        rc = produce_dir(im, r->u, r->fl);
    else if (r->u->archive)
        rc = produce_archive(im, r->u);
    else
        rc = produce_file(im, r->u);
    // Everything kept, in time order, to identification, events and store.
    im->drained = 0;
    if (im->sort_err) {
        errno = im->sort_err;
        imp_member_error(im, NULL, ORBAT_E_IO, "time-ordering the observations: %s",
                         strerror(errno));
    } else if (rc != ORBAT_E_DB && obs_sort_drain(im->sort, drain_cb, im) < 0) {
        imp_member_error(im, NULL, ORBAT_E_IO, "reading back sorted observations: %s",
                         strerror(errno));
    }
    im->st.sort_runs += obs_sort_runs(im->sort);
    obs_sort_free(im->sort);
    im->sort = NULL;
    imp_progress(im, true);
    ingest_emit_pos(im->g, im->unit_pos);
    ingest_source_licence(im->g, licence_for(im, r->u));
    if (rc == ORBAT_E_DB)
        return rc;
    if (im->sort_err)
        return ORBAT_E_IO;
    return rc ? rc : im->err;
}

/* Read the first bytes of a file (inflated when gzip/zstd); err gets the
 * decompression error when nothing could be inflated. */
static int head_of(const char *path, unsigned char *buf, size_t cap, size_t *n, bool *compressed,
                   char *err, size_t errsz)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    unsigned char raw[512];
    ssize_t k = read(fd, raw, sizeof raw);
    if (k < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    *compressed =
        k >= 2 &&
        ((raw[0] == 0x1f && raw[1] == 0x8b) ||
         (k >= 4 && raw[0] == 0x28 && raw[1] == 0xb5 && raw[2] == 0x2f && raw[3] == 0xfd));
    struct rstream *rs = rs_open_fd(fd, raw, (size_t)k);
    size_t have = 0;
    while (rs && have < cap) {
        ssize_t r = rs_read(rs, buf + have, cap - have);
        if (r < 0 && !have)
            snprintf(err, errsz, "%s", rs_error(rs));
        if (r <= 0)
            break;
        have += (size_t)r;
    }
    rs_close(rs);
    close(fd);
    *n = have;
    return 0;
}

int importer_classify(const char *path, enum import_kind *kind)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (S_ISDIR(st.st_mode)) {
        *kind = IMPORT_ARCHIVE;
        return 0;
    }
    char *parts[2];
    size_t np = importer_split_parts(path, parts, 1);
    for (size_t i = 0; i < np; i++)
        free(parts[i]);
    if (np) {
        *kind = IMPORT_ARCHIVE;
        return 0;
    }
    unsigned char *buf = malloc(IMP_HEAD);
    if (!buf)
        return -1;
    size_t n = 0;
    bool comp = false;
    char err[160] = "";
    if (head_of(path, buf, IMP_HEAD, &n, &comp, err, sizeof err) != 0) {
        free(buf);
        return -1;
    }
    enum doc_kind d = sniff(buf, n);
    free(buf);
    if (comp && !n && err[0]) {
        *kind = IMPORT_BROKEN;
        return 0;
    }
    switch (d) {
    case DOC_TAR:
    case DOC_ZIP:
        *kind = IMPORT_ARCHIVE;
        break;
    case DOC_TRACE:
        *kind = IMPORT_TRACE;
        break;
    case DOC_SNAPSHOT:
        *kind = IMPORT_SNAPSHOT;
        break;
    case DOC_GFW:
        *kind = IMPORT_GFW;
        break;
    case DOC_CSV:
        *kind = IMPORT_CSV;
        break;
    default:
        *kind = IMPORT_FEED;
    }
    return 0;
}

int importer_path(struct importer *im, const char *path)
{
    enum import_kind kind;
    if (importer_classify(path, &kind) != 0)
        return ORBAT_E_IO;
    if (kind == IMPORT_GFW)
        return ORBAT_E_UNSUPPORTED;
    if (kind == IMPORT_BROKEN) {
        unsigned char head[64];
        size_t n = 0;
        bool comp = false;
        char err[160] = "cannot be inflated";
        head_of(path, head, sizeof head, &n, &comp, err, sizeof err);
        if (!im->o.quiet)
            fprintf(stderr, "orbat import: %s: %s: nothing could be read\n", path, err);
        return ORBAT_E_FORMAT;
    }
    if (kind == IMPORT_FEED) {
        // NMEA, Beast, AVR or SBS, as `orbat ingest`; a file in which the
        // decoders find nothing at all is no known format.
        const struct ingest_stats *gs = ingest_get_stats(im->g);
        uint64_t m0 = gs->ais_messages + gs->modes_frames + gs->obs;
        int rc = ingest_file(im->g, path);
        if (rc == ORBAT_OK && gs->ais_messages + gs->modes_frames + gs->obs == m0) {
            if (!im->o.quiet)
                fprintf(stderr,
                        "orbat import: %s: no known format found in it (not a readsb trace, "
                        "snapshot, AIS CSV, GFW file, tar, NMEA, Beast, AVR or SBS): nothing "
                        "stored\n",
                        path);
            return ORBAT_E_FORMAT;
        }
        return rc;
    }
    struct unit u;
    memset(&u, 0, sizeof u);
    struct flist fl = {0};
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        u.dir = true;
        u.paths[0] = strdup(path);
        u.nparts = 1;
        walk(path, "", 0, &fl);
        size_t pl = strlen(path);
        snprintf(u.name, sizeof u.name, "%s%s", path, pl && path[pl - 1] == '/' ? "" : "/");
    } else if ((u.nparts = importer_split_parts(path, u.paths, IMP_MAX_PARTS)) > 0) {
        u.archive = true;
        // "x.tar.aa+ab+ac"
        size_t n = (size_t)snprintf(u.name, sizeof u.name, "%s", u.paths[0]);
        for (size_t i = 1; i < u.nparts && n < sizeof u.name; i++)
            n += (size_t)snprintf(u.name + n, sizeof u.name - n, "+%s",
                                  u.paths[i] + strlen(u.paths[i]) - 2);
    } else {
        u.paths[0] = strdup(path);
        u.nparts = 1;
        u.archive = kind == IMPORT_ARCHIVE;
        snprintf(u.name, sizeof u.name, "%s", path);
    }
    if (!u.paths[0]) {
        flist_free(&fl);
        errno = ENOMEM;
        return ORBAT_E_IO;
    }
    qsort(u.paths, u.nparts, sizeof u.paths[0], cmp_str);
    char hex[65];
    uint64_t size = 0;
    int rc;
    if (unit_hash(&u, &fl, hex, &size) != 0) {
        rc = ORBAT_E_IO;
    } else {
        im->unit = u.name;
        im->unit_size = size;
        im->unit_pos = 0;
        im->seen = 0;
        im->err = 0;
        im->st.units++;
        struct unit_run r = {im, &u, &fl};
        struct ingest_source_desc d = {u.name, hex, size, NULL};
        rc = ingest_source(im->g, &d, produce, &r);
        im->st.bytes_in += im->unit_pos;
        im->unit = NULL;
    }
    for (size_t i = 0; i < u.nparts; i++)
        free(u.paths[i]);
    flist_free(&fl);
    return rc;
}

struct importer *importer_new(struct ingest *g, const struct registry *reg,
                              const struct import_opts *o)
{
    struct importer *im = calloc(1, sizeof *im);
    if (!im)
        return NULL;
    im->g = g;
    im->reg = reg;
    if (o)
        im->o = *o;
    if (im->o.pass_gap_ms <= 0)
        im->o.pass_gap_ms = 30 * 60 * 1000;
    if (!(im->dd = libdeflate_alloc_decompressor())) {
        free(im);
        return NULL;
    }
    return im;
}

void importer_free(struct importer *im)
{
    if (!im)
        return;
    libdeflate_free_decompressor(im->dd);
    if (im->pz) {
        inflateEnd(im->pz);
        free(im->pz);
    }
    free(im->mbuf);
    free(im->jbuf);
    free(im->pts);
    free(im);
}

const struct import_stats *importer_stats(const struct importer *im)
{
    return &im->st;
}

void importer_summary(const struct importer *im, FILE *out)
{
    const struct import_stats *s = &im->st;
    fprintf(out,
            "import: %llu archive/file sources, %llu members (%llu traces, %llu CSV, %llu "
            "snapshots; %llu left out by --mil/--hex before inflating, %llu not position data, "
            "%llu unreadable)\n",
            (unsigned long long)s->units, (unsigned long long)s->members,
            (unsigned long long)s->traces, (unsigned long long)s->csv_files,
            (unsigned long long)s->snapshots, (unsigned long long)s->members_skipped,
            (unsigned long long)s->members_other, (unsigned long long)s->members_bad);
    fprintf(out,
            "import: %llu points/rows read (%llu malformed), %llu kept by the filters; %.1f MB "
            "read, %.1f MB inflated\n",
            (unsigned long long)s->points, (unsigned long long)s->bad_points,
            (unsigned long long)s->kept, (double)s->bytes_in / 1e6,
            (double)s->bytes_inflated / 1e6);
}
