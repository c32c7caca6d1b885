/* SPDX-License-Identifier: BSD-2-Clause
 *
 * import_csv.c - AIS CSV archives (NOAA MarineCadastre, both layouts, and
 * DMA aisdk) into the ingest path, one observation per row; the row parser
 * is the pure src/decode/archive/aiscsv.c.
 *
 * Area filter: a vessel is kept whole for the file (a day in both
 * archives) when one of its rows lies inside the area. That takes two
 * passes over the file: the first finds the vessels, the second emits
 * their rows. A stream that cannot be read twice (a member of a zip) is
 * filtered row by row instead, and the summary says so.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "archive/import_int.h"

#include "orbat/aiscsv.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define CSV_BUF  (1u << 20)
#define CSV_LINE 65536 /* longer lines are errors */
#define CSV_ERRS 5     /* malformed rows reported per file */

/* A set of MMSIs (open addressing; 0 is empty). */
struct idset {
    uint32_t *v;
    size_t cap, n;
};

static size_t ids_slot(const struct idset *s, uint32_t id)
{
    size_t m = s->cap - 1, j = (size_t)((id * 2654435761u) & m);
    while (s->v[j] && s->v[j] != id)
        j = (j + 1) & m;
    return j;
}

static int ids_add(struct idset *s, uint32_t id)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 1024;
        uint32_t *nv = calloc(nc, sizeof *nv);
        if (!nv)
            return -1;
        struct idset t = {nv, nc, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i])
                nv[ids_slot(&t, s->v[i])] = s->v[i];
        free(s->v);
        s->v = nv;
        s->cap = nc;
    }
    size_t j = ids_slot(s, id);
    if (!s->v[j]) {
        s->v[j] = id;
        s->n++;
    }
    return 0;
}

static bool ids_has(const struct idset *s, uint32_t id)
{
    return s->cap && s->v[ids_slot(s, id)] == id;
}

bool imp_csv_header(const char *line, size_t len)
{
    struct orbat_aiscsv c;
    return orbat_aiscsv_header(&c, line, len) == ORBAT_OK;
}

/* The MMSI field of a row, when it can be read without the full parser
 * (no quote before it, digits only). */
static bool quick_mmsi(const struct orbat_aiscsv *m, const char *s, size_t n, uint32_t *mmsi)
{
    unsigned col = m->col[ORBAT_AISCSV_F_MMSI];
    if (col == ORBAT_AISCSV_NONE)
        return false;
    size_t i = 0;
    for (unsigned c = 0; c < col; c++) {
        while (i < n && s[i] != ',' && s[i] != '"')
            i++;
        if (i >= n || s[i] == '"')
            return false;
        i++;
    }
    uint32_t v = 0;
    size_t d = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9' && d < 9; i++, d++)
        v = v * 10 + (uint32_t)(s[i] - '0');
    if (!d || (i < n && s[i] != ','))
        return false;
    *mmsi = v;
    return true;
}

/* A plain decimal ("-12.34567"): digits, one optional '.', an optional
 * leading '-'; at most 15 significant digits (MarineCadastre writes 5
 * decimals). Anything else: false (the full parser decides). */
static bool quick_dec(const char *s, size_t n, double *v)
{
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    size_t i = 0;
    bool neg = n && s[0] == '-';
    i += neg;
    uint64_t m = 0;
    int digits = 0, frac = -1;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            m = m * 10 + (uint64_t)(s[i] - '0');
            if (++digits > 15)
                return false;
            if (frac >= 0)
                frac++;
        } else if (s[i] == '.' && frac < 0) {
            frac = 0;
        } else {
            return false;
        }
    }
    if (!digits || frac > 8)
        return false;
    // m < 2^53 and p10 exact: one correctly rounded division, as strtod.
    double d = (double)m / p10[frac > 0 ? frac : 0];
    *v = neg ? -d : d;
    return true;
}

/* MMSI, latitude and longitude of a row from their columns alone (no
 * quotes in the row; plain numbers; not the 91/181 sentinels). */
static bool quick_pos(const struct orbat_aiscsv *m, const char *s, size_t n, uint32_t *mmsi,
                      double *lat, double *lon)
{
    unsigned cm = m->col[ORBAT_AISCSV_F_MMSI], ca = m->col[ORBAT_AISCSV_F_LAT],
             co = m->col[ORBAT_AISCSV_F_LON];
    if (cm == ORBAT_AISCSV_NONE || ca == ORBAT_AISCSV_NONE || co == ORBAT_AISCSV_NONE ||
        memchr(s, '"', n))
        return false;
    bool got_m = false, got_a = false, got_o = false;
    size_t i = 0;
    for (unsigned c = 0; i <= n && !(got_m && got_a && got_o); c++) {
        const char *f = s + i;
        const char *e = memchr(f, ',', n - i);
        size_t len = e ? (size_t)(e - f) : n - i;
        double v;
        if (c == cm) {
            if (!quick_dec(f, len, &v) || v < 1 || v > 999999999 || memchr(f, '.', len))
                return false;
            *mmsi = (uint32_t)v;
            got_m = true;
        } else if (c == ca || c == co) {
            if (!quick_dec(f, len, &v))
                return false;
            if (c == ca) {
                *lat = v;
                got_a = true;
            } else {
                *lon = v;
                got_o = true;
            }
        }
        if (!e)
            break;
        i += len + 1;
    }
    return got_m && got_a && got_o && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180;
}

static bool ship_mil(const struct importer *im, const struct orbat_aiscsv_row *r)
{
    return r->ship_type == 35 || imp_mil_mmsi(im, r->mmsi);
}

static void row_obs(const struct orbat_aiscsv_row *r, bool sim, struct obs *o)
{
    memset(o, 0, sizeof *o);
    o->kind = OBS_SHIP;
    o->id = r->mmsi;
    o->t_ms = r->t_ms;
    o->msg_type = r->class_b ? 18 : 1;
    if (r->has_pos) {
        o->has |= OBS_HAS_POS;
        o->lat = r->lat;
        o->lon = r->lon;
    }
    if (r->has_sog) {
        o->has |= OBS_HAS_SOG;
        o->sog_kn = r->sog_kn;
    }
    if (r->has_cog) {
        o->has |= OBS_HAS_COG;
        o->cog_deg = r->cog_deg;
    }
    if (r->has_hdg) {
        o->has |= OBS_HAS_HDG;
        o->hdg_deg = r->hdg_deg;
    }
    if (r->name[0]) {
        o->has |= OBS_HAS_NAME;
        store_strlcpy(o->name, r->name, sizeof o->name);
    }
    if (r->callsign[0]) {
        o->has |= OBS_HAS_CALLSIGN;
        store_strlcpy(o->callsign, r->callsign, sizeof o->callsign);
    }
    if (r->ship_type >= 0 && r->ship_type <= 99) {
        o->has |= OBS_HAS_SHIPTYPE;
        o->ship_type = (uint8_t)r->ship_type;
    }
    if (r->imo) {
        o->has |= OBS_HAS_IMO;
        o->imo = r->imo;
    }
    if (r->destination[0]) {
        o->has |= OBS_HAS_DEST;
        store_strlcpy(o->destination, r->destination, sizeof o->destination);
    }
    if (r->nav_status >= 0) {
        o->has |= OBS_HAS_NAVSTATUS;
        o->nav_status = (uint8_t)r->nav_status;
    }
    if (r->length_m || r->width_m) {
        o->has |= OBS_HAS_DIM;
        o->length_m = r->length_m;
        o->beam_m = r->width_m;
    }
    if (o->has & (OBS_HAS_NAME | OBS_HAS_CALLSIGN | OBS_HAS_SHIPTYPE | OBS_HAS_IMO))
        o->flags |= OBS_F_STATIC;
    if (r->class_b)
        o->flags |= OBS_F_CLASS_B;
    if (r->base_station)
        o->flags |= OBS_F_BASE;
    if (sim)
        o->flags |= OBS_F_SIMULATED;
}

struct csv_pass {
    struct importer *im;
    const char *member;
    uint64_t offset;
    struct orbat_aiscsv map;
    bool have_map, sim;
    int pass;           /* 0: one pass, row by row; 1: find vessels; 2: emit them */
    struct idset *keep; /* passes 1 and 2 */
    uint64_t line;
    uint64_t bad;
    int err;
};

static void csv_line(struct csv_pass *p, const char *s, size_t n)
{
    struct importer *im = p->im;
    p->line++;
    if (n && s[n - 1] == '\r')
        n--;
    if (!n)
        return;
    if (!p->have_map) {
        // Comment lines before the header ("# SIMULATION ..."); DMA's own
        // header starts with "# Timestamp".
        if (orbat_aiscsv_header(&p->map, s, n) == ORBAT_OK) {
            p->have_map = true;
            im->seen |= p->map.layout == ORBAT_AISCSV_DMA ? SEEN_DMA : SEEN_MC;
        } else if (s[0] == '#') {
            if (memmem(s, n, "SIMULATION", 10)) {
                p->sim = true;
                im->seen |= SEEN_SIM;
            }
        } else {
            imp_member_error(im, p->member, ORBAT_E_FORMAT,
                             "line %llu: not an AIS CSV header (MarineCadastre or DMA aisdk)",
                             (unsigned long long)p->line);
            p->err = ORBAT_E_FORMAT;
        }
        return;
    }
    if (s[0] == '#')
        return;
    // First pass without other filters: MMSI, latitude and longitude are
    // all it needs, read from their columns alone.
    if (p->pass == 1 && !im->o.mil && !im->o.callsign && !im->o.from_ms && !im->o.to_ms) {
        uint32_t id = 0;
        double la = 0, lo = 0;
        if (quick_pos(&p->map, s, n, &id, &la, &lo)) {
            im->st.points++;
            if (imp_hex_ok(im, id) && imp_in_area(im, la, lo) && ids_add(p->keep, id))
                p->err = ORBAT_E_NOMEM;
            return;
        }
    }
    // Second pass: most rows belong to vessels that never entered the
    // area; their MMSI (read from its column alone) is enough to drop them.
    uint32_t quick;
    if (p->pass == 2 && quick_mmsi(&p->map, s, n, &quick) && !ids_has(p->keep, quick))
        return;
    struct orbat_aiscsv_row r;
    int rc = orbat_aiscsv_row(&p->map, s, n, &r);
    if (p->pass != 2) {
        im->st.points++;
        if (rc != ORBAT_OK) {
            im->st.bad_points++;
            if (++p->bad <= CSV_ERRS && !im->o.quiet)
                fprintf(stderr, "%sorbat import: %s: %s: line %llu: %s, skipped%s\n",
                        im->o.progress ? "\r\033[K" : "", im->unit, p->member,
                        (unsigned long long)p->line, orbat_strerror(rc),
                        p->bad == CSV_ERRS ? " (further bad lines are only counted)" : "");
            return;
        }
    } else if (rc != ORBAT_OK) {
        return;
    }
    if (!imp_time_ok(im, r.t_ms) || !imp_hex_ok(im, r.mmsi) || (im->o.mil && !ship_mil(im, &r)) ||
        (im->o.callsign && !imp_callsign_ok(im, r.callsign)))
        return;
    if (p->pass == 1) {
        if (r.has_pos && imp_in_area(im, r.lat, r.lon) && ids_add(p->keep, r.mmsi))
            p->err = ORBAT_E_NOMEM;
        return;
    }
    if (p->pass == 2 && !ids_has(p->keep, r.mmsi))
        return;
    if (p->pass == 0 && imp_has_area(im) && !(r.has_pos && imp_in_area(im, r.lat, r.lon)))
        return;
    row_obs(&r, p->sim, &im->ob);
    imp_emit(im, &im->ob, p->member, p->offset, "line", p->line, s, n);
}

/* Split a stream into lines and hand them to csv_line. */
static int csv_read(struct csv_pass *p, const char *prefix, size_t nprefix, struct rstream *rs,
                    uint64_t pos0, uint64_t scale_num, uint64_t scale_den)
{
    struct importer *im = p->im;
    char *buf = malloc(CSV_BUF);
    if (!buf)
        return ORBAT_E_NOMEM;
    size_t have = 0;
    bool skipping = false; /* inside an over-long line */
    if (nprefix > CSV_BUF)
        nprefix = CSV_BUF;
    memcpy(buf, prefix, nprefix);
    have = nprefix;
    int rc = ORBAT_OK;
    bool eof = false;
    while (!p->err) {
        // Lines in buf[0..have).
        size_t start = 0;
        for (;;) {
            char *nl = memchr(buf + start, '\n', have - start);
            if (!nl)
                break;
            size_t end = (size_t)(nl - buf);
            if (skipping)
                skipping = false;
            else
                csv_line(p, buf + start, end - start);
            start = end + 1;
            if (p->err || ingest_emit_stopped(im->g))
                break;
        }
        if (eof) {
            if (start < have && !skipping)
                csv_line(p, buf + start, have - start);
            break;
        }
        memmove(buf, buf + start, have - start);
        have -= start;
        if (have >= CSV_LINE) {
            // An over-long line: count it, drop it up to its end.
            p->line++;
            im->st.bad_points++;
            have = 0;
            skipping = true;
        }
        ssize_t k = rs_read(rs, buf + have, CSV_BUF - have);
        if (k < 0) {
            imp_member_error(im, p->member, ORBAT_E_FORMAT,
                             "%s at line %llu (the rows before it are kept)", rs_error(rs),
                             (unsigned long long)p->line);
            rc = ORBAT_E_FORMAT;
            eof = true;
            continue;
        }
        if (k == 0)
            eof = true;
        have += (size_t)k;
        im->unit_pos = pos0 + rs_raw_pos(rs) * scale_num / scale_den;
        imp_progress(im, false);
        if (ingest_emit_stopped(im->g)) {
            rc = ORBAT_E_DB;
            break;
        }
    }
    free(buf);
    return rc ? rc : p->err;
}

int imp_csv(struct importer *im, const char *prefix, size_t nprefix, struct rstream *rs,
            const char *member, uint64_t offset, imp_reopen_fn again, void *again_ctx)
{
    im->st.csv_files++;
    struct csv_pass p = {.im = im, .member = member, .offset = offset};
    struct idset keep = {0};
    uint64_t pos0 = im->unit_pos;
    int rc;
    if (!imp_has_area(im) || !again) {
        rc = csv_read(&p, prefix, nprefix, rs, pos0, 1, 1);
        if (imp_has_area(im) && !im->o.quiet)
            fprintf(stderr,
                    "%sorbat import: %s: %s: read once, so the area filter kept rows inside the "
                    "area only (not whole tracks)\n",
                    im->o.progress ? "\r\033[K" : "", im->unit, member);
        return rc;
    }
    // Pass 1: the vessels with a row inside the area.
    p.pass = 1;
    p.keep = &keep;
    rc = csv_read(&p, prefix, nprefix, rs, pos0, 1, 2);
    if (rc == ORBAT_OK) {
        struct rstream *rs2 = again(again_ctx);
        if (!rs2) {
            imp_member_error(im, member, ORBAT_E_IO, "cannot read it a second time");
            rc = ORBAT_E_IO;
        } else {
            struct csv_pass p2 = {
                .im = im, .member = member, .offset = offset, .pass = 2, .keep = &keep};
            uint64_t half = (im->unit_pos - pos0);
            rc = csv_read(&p2, "", 0, rs2, pos0 + half, 1, 2);
            rs_close(rs2);
        }
    }
    free(keep.v);
    return rc;
}
