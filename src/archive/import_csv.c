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
        bool pos = false;
        if (orbat_aiscsv_pos(&p->map, s, n, &id, &pos, &la, &lo) == ORBAT_OK) {
            im->st.points++;
            if (pos && imp_hex_ok(im, id) && imp_in_area(im, la, lo) && ids_add(p->keep, id))
                p->err = ORBAT_E_NOMEM;
            return;
        }
    }
    // Second pass: most rows belong to vessels that never entered the
    // area; their MMSI (read from its column alone) is enough to drop them.
    uint32_t quick = 0;
    double qla, qlo;
    bool qpos;
    if (p->pass == 2 && orbat_aiscsv_pos(&p->map, s, n, &quick, &qpos, &qla, &qlo) == ORBAT_OK &&
        !ids_has(p->keep, quick))
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
