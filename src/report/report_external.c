/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report_external.c - external events (Global Fishing Watch ...) beside
 * orbat's own: `orbat events --external` lists both in one table with a
 * source column, `orbat events --compare` matches them per vessel.
 *
 * The two kinds are never merged in the store: external events live in
 * their own table with their provider and licence (store.h, struct
 * store_ext_event), and every line printed here says where it came from.
 *
 * Comparison (docs/events.md): for each vessel that has external events of
 * a comparable type and is an orbat ship asset, an external event "agrees"
 * when an orbat event of the corresponding type (encounter - encounter,
 * loitering - loiter, port_visit - arrival/departure, gap - ais_gap) of the
 * same vessel overlaps it in time, its interval widened by the tolerance on
 * both sides; otherwise it is "GFW only". An orbat event of a comparable
 * type that no external event overlaps is "orbat only". An orbat encounter
 * belongs to both its ships. orbat stores the start of an event and its
 * length in the detail ("duration 3.0 h"); that gives its interval.
 */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/rtime.h"

/* What the table's source column and the JSON say about licensed data. */
#define EXT_ATTRIBUTION                                                                            \
    "external events: Global Fishing Watch (globalfishingwatch.org), CC BY-NC 4.0"

/* One orbat event, with the vessel and interval the comparison needs. */
struct rx_own {
    struct store_event e;
    struct store_asset a;
    int64_t t1;     /* end of the interval (t_ms + duration) */
    uint32_t other; /* encounter: the other ship, from the detail */
    bool ship;
};

struct rx_ext {
    struct store_ext_event x; /* raw is not kept (NULL) */
};

struct rx_lists {
    struct rx_own *own;
    size_t nown, capown;
    struct rx_ext *ext;
    size_t next, capext;
    int err;
};

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t nc = *cap ? *cap * 2 : 256;
    void *q = realloc(p, nc * size);
    if (q)
        *cap = nc;
    return q;
}

/* "duration 3.5 h" in orbat's detail, in ms; 0 when absent. */
static int64_t detail_duration_ms(const char *d)
{
    const char *p = strstr(d, "duration ");
    if (!p)
        return 0;
    char *end;
    double h = strtod(p + 9, &end);
    if (end == p + 9 || !isfinite(h) || h < 0 || h > 1e6)
        return 0;
    return (int64_t)llround(h * 3.6e6);
}

/* "with 123456789" in an orbat encounter's detail. */
static uint32_t detail_with(const char *d)
{
    const char *p = strstr(d, "with ");
    if (!p)
        return 0;
    p += 5;
    uint32_t v = 0;
    int n = 0;
    for (; n < 9 && p[n] >= '0' && p[n] <= '9'; n++)
        v = v * 10 + (uint32_t)(p[n] - '0');
    return n == 9 ? v : 0;
}

static int own_cb(void *ctx, const struct store_event *e, const struct store_asset *a)
{
    struct rx_lists *l = ctx;
    struct rx_own *o = grow(l->own, &l->capown, l->nown, sizeof *o);
    if (!o)
        return l->err = ORBAT_E_NOMEM;
    l->own = o;
    o = &l->own[l->nown++];
    memset(o, 0, sizeof *o);
    o->e = *e;
    o->a = *a;
    o->t1 = e->t_ms + detail_duration_ms(e->detail);
    o->ship = a->kind == STORE_SHIP;
    if (!strcmp(e->type, "encounter"))
        o->other = detail_with(e->detail);
    return 0;
}

static int ext_cb(void *ctx, const struct store_ext_event *x)
{
    struct rx_lists *l = ctx;
    struct rx_ext *r = grow(l->ext, &l->capext, l->next, sizeof *r);
    if (!r)
        return l->err = ORBAT_E_NOMEM;
    l->ext = r;
    r = &l->ext[l->next++];
    r->x = *x;
    r->x.raw = NULL;
    r->x.raw_len = 0;
    return 0;
}

static void lists_free(struct rx_lists *l)
{
    free(l->own);
    free(l->ext);
    memset(l, 0, sizeof *l);
}

static int lists_load(struct store *s, const char *type, int64_t from_ms, int64_t to_ms, bool own,
                      struct rx_lists *l)
{
    memset(l, 0, sizeof *l);
    int rc = own ? store_events(s, type, from_ms, to_ms, own_cb, l) : ORBAT_OK;
    struct store_ext_filter f = {.from_ms = from_ms, .to_ms = to_ms, .provider = "", .type = type};
    if (!rc)
        rc = store_ext_events(s, &f, ext_cb, l);
    if (l->err)
        rc = l->err;
    if (rc)
        lists_free(l);
    return rc;
}

/* "GFW (CC BY-NC 4.0)" for provider gfw; "PROVIDER (LICENCE)" otherwise. */
static void ext_source(const struct store_ext_event *x, char *buf, size_t size)
{
    snprintf(buf, size, "%s (%s)", !strcmp(x->provider, "gfw") ? "GFW" : x->provider, x->licence);
}

static void mmsi_str(uint32_t m, char *buf, size_t size)
{
    if (m)
        snprintf(buf, size, "%09u", m);
    else
        snprintf(buf, size, "-");
}

/* ---- --external: one list, two sources ---------------------------------- */

struct list_out {
    FILE *out;
    enum report_format f;
    size_t n;
};

static void own_line(struct list_out *c, const struct rx_own *o)
{
    char t[32], id[16], lb[64];
    const struct store_event *e = &o->e;
    rtime_format(e->t_ms, t, sizeof t);
    report_asset_ident(&o->a, id, sizeof id);
    const char *label = report_asset_label(&o->a, lb, sizeof lb);
    FILE *out = c->out;
    if (c->f == RFMT_JSON) {
        fprintf(out, "%s{\"source\":\"orbat\",\"id\":%lld,\"time\":\"%s\",\"type\":",
                c->n ? ",\n" : "\n", (long long)e->id, t);
        report_json_str(out, e->type);
        fputs(",\"theatre\":", out);
        report_json_str(out, e->theatre);
        if (!isnan(e->lat))
            fprintf(out, ",\"lat\":%.6f,\"lon\":%.6f", e->lat, e->lon);
        fputs(",\"detail\":", out);
        report_json_str(out, e->detail);
        fputs(",\"asset\":{", out);
        report_json_asset_fields(out, &o->a);
        fputs("}}", out);
    } else if (c->f == RFMT_CSV) {
        fprintf(out, "orbat,%lld,%s,,", (long long)e->id, t);
        report_csv_str(out, e->type);
        fputc(',', out);
        report_csv_str(out, e->theatre);
        fprintf(out, ",%lld,", (long long)o->a.id);
        report_csv_str(out, label);
        fprintf(out, ",%s,", id);
        if (!isnan(e->lat))
            fprintf(out, "%.6f,%.6f,", e->lat, e->lon);
        else
            fputs(",,", out);
        report_csv_str(out, e->detail);
        fputs(",,\n", out);
    } else if (c->f == RFMT_MARKDOWN) {
        fprintf(out, "| %s | orbat | ", t);
        report_md_str(out, e->type);
        fputs(" | ", out);
        report_md_str(out, e->theatre[0] ? e->theatre : "-");
        fputs(" | ", out);
        report_md_str(out, label);
        fprintf(out, " | %s | ", id);
        report_md_str(out, e->detail);
        fputs(" |\n", out);
    } else {
        fprintf(out, "%s  %-18s %-12s %-10s %-24.24s %-9s %s\n", t, "orbat", e->type,
                e->theatre[0] ? e->theatre : "-", label, id, e->detail);
    }
    c->n++;
}

static void ext_line(struct list_out *c, const struct store_ext_event *x)
{
    char t[32], t1[32], id[16], other[16], src[64], det[320];
    rtime_format(x->t_start_ms, t, sizeof t);
    rtime_format(x->t_end_ms, t1, sizeof t1);
    mmsi_str(x->mmsi, id, sizeof id);
    mmsi_str(x->other_mmsi, other, sizeof other);
    ext_source(x, src, sizeof src);
    const char *label = x->name[0] ? x->name : id;
    FILE *out = c->out;
    if (c->f == RFMT_JSON) {
        fprintf(out, "%s{\"source\":", c->n ? ",\n" : "\n");
        report_json_str(out, src);
        fputs(",\"provider\":", out);
        report_json_str(out, x->provider);
        fputs(",\"licence\":", out);
        report_json_str(out, x->licence);
        fputs(",\"file\":", out);
        report_json_str(out, x->source);
        fputs(",\"ext_id\":", out);
        report_json_str(out, x->ext_id);
        fprintf(out, ",\"time\":\"%s\",\"end\":\"%s\",\"type\":", t, t1);
        report_json_str(out, x->type);
        if (!isnan(x->lat))
            fprintf(out, ",\"lat\":%.6f,\"lon\":%.6f", x->lat, x->lon);
        fprintf(out, ",\"mmsi\":\"%s\",\"name\":", x->mmsi ? id : "");
        report_json_str(out, x->name);
        fputs(",\"flag\":", out);
        report_json_str(out, x->flag);
        fprintf(out, ",\"other_mmsi\":\"%s\",\"detail\":", x->other_mmsi ? other : "");
        report_json_str(out, x->detail);
        fprintf(out, ",\"asset_id\":%lld}", (long long)x->asset_id);
        c->n++;
        return;
    }
    if (x->t_end_ms > x->t_start_ms)
        snprintf(det, sizeof det, "until %s%s%s", t1, x->detail[0] ? "; " : "", x->detail);
    else
        snprintf(det, sizeof det, "%s", x->detail);
    if (c->f == RFMT_CSV) {
        report_csv_str(out, src);
        fputc(',', out);
        report_csv_str(out, x->ext_id);
        fprintf(out, ",%s,%s,", t, t1);
        report_csv_str(out, x->type);
        fprintf(out, ",,%lld,", (long long)x->asset_id);
        report_csv_str(out, label);
        fprintf(out, ",%s,", x->mmsi ? id : "");
        if (!isnan(x->lat))
            fprintf(out, "%.6f,%.6f,", x->lat, x->lon);
        else
            fputs(",,", out);
        report_csv_str(out, x->detail);
        fputc(',', out);
        report_csv_str(out, x->licence);
        fputc(',', out);
        report_csv_str(out, x->source);
        fputc('\n', out);
    } else if (c->f == RFMT_MARKDOWN) {
        fprintf(out, "| %s | ", t);
        report_md_str(out, src);
        fputs(" | ", out);
        report_md_str(out, x->type);
        fputs(" | - | ", out);
        report_md_str(out, label);
        fprintf(out, " | %s | ", id);
        report_md_str(out, det);
        fputs(" |\n", out);
    } else {
        fprintf(out, "%s  %-18s %-12s %-10s %-24.24s %-9s %s\n", t, src, x->type, "-", label, id,
                det);
    }
    c->n++;
}

int report_external_write(struct store *s, const char *type, int64_t from_ms, int64_t to_ms,
                          enum report_format f, FILE *out)
{
    if (f != RFMT_JSON && f != RFMT_CSV && f != RFMT_MARKDOWN && f != RFMT_TABLE)
        return ORBAT_E_INVAL;
    struct rx_lists l;
    int rc = lists_load(s, type ? type : "", from_ms, to_ms, true, &l);
    if (rc)
        return rc;
    struct list_out c = {.out = out, .f = f};
    if (f == RFMT_JSON)
        fputs("{\"attribution\":\"" EXT_ATTRIBUTION "\",\"events\":[", out);
    else if (f == RFMT_CSV)
        fputs("source,id,time,end,type,theatre,asset_id,name,ident,lat,lon,detail,licence,file\n",
              out);
    else if (f == RFMT_MARKDOWN)
        fputs("| time | source | type | theatre | asset | id | detail |\n"
              "|---|---|---|---|---|---|---|\n",
              out);
    else
        fprintf(out, "%-20s  %-18s %-12s %-10s %-24s %-9s %s\n", "TIME", "SOURCE", "TYPE",
                "THEATRE", "ASSET", "ID", "DETAIL");
    // Both lists are in time order: merge them (orbat first on equal times).
    size_t i = 0, j = 0;
    while (i < l.nown || j < l.next) {
        if (j >= l.next || (i < l.nown && l.own[i].e.t_ms <= l.ext[j].x.t_start_ms))
            own_line(&c, &l.own[i++]);
        else
            ext_line(&c, &l.ext[j++].x);
    }
    if (f == RFMT_JSON)
        fputs("]}\n", out);
    else if (f == RFMT_TABLE)
        fprintf(out, "%zu orbat event%s, %zu external event%s (%s)\n", l.nown,
                l.nown == 1 ? "" : "s", l.next, l.next == 1 ? "" : "s", EXT_ATTRIBUTION);
    else if (f == RFMT_MARKDOWN)
        fputs("\n" EXT_ATTRIBUTION "\n", out);
    lists_free(&l);
    return ferror(out) ? ORBAT_E_IO : ORBAT_OK;
}

/* ---- --compare ------------------------------------------------------------ */

/* Whether an orbat event type corresponds to an external one. */
static bool own_type_matches(const char *ext_type, const char *own_type)
{
    if (!strcmp(ext_type, "encounter"))
        return !strcmp(own_type, "encounter");
    if (!strcmp(ext_type, "loitering"))
        return !strcmp(own_type, "loiter");
    if (!strcmp(ext_type, "port_visit"))
        return !strcmp(own_type, "arrival") || !strcmp(own_type, "departure");
    if (!strcmp(ext_type, "gap"))
        return !strcmp(own_type, "ais_gap");
    return false;
}

static bool ext_comparable(const char *t)
{
    return !strcmp(t, "encounter") || !strcmp(t, "loitering") || !strcmp(t, "port_visit") ||
           !strcmp(t, "gap");
}

static bool own_comparable(const char *t)
{
    return !strcmp(t, "encounter") || !strcmp(t, "loiter") || !strcmp(t, "arrival") ||
           !strcmp(t, "departure") || !strcmp(t, "ais_gap");
}

/* An orbat event as seen from one vessel (an encounter is seen from both). */
struct vref {
    uint32_t mmsi;
    size_t own; /* index into own[] */
};

static int vref_cmp(const void *pa, const void *pb)
{
    const struct vref *a = pa, *b = pb;
    if (a->mmsi != b->mmsi)
        return a->mmsi < b->mmsi ? -1 : 1;
    return a->own < b->own ? -1 : a->own > b->own;
}

struct ext_ref {
    uint32_t mmsi;
    size_t ext;
};

static int ext_ref_cmp(const void *pa, const void *pb)
{
    const struct ext_ref *a = pa, *b = pb;
    if (a->mmsi != b->mmsi)
        return a->mmsi < b->mmsi ? -1 : 1;
    return a->ext < b->ext ? -1 : a->ext > b->ext;
}

enum cmp_result {
    CMP_AGREE,
    CMP_EXT_ONLY,
    CMP_OWN_ONLY
};

struct cmp_row {
    enum cmp_result r;
    int64_t t;              /* sort key: the row's first time */
    const struct rx_ext *x; /* NULL for orbat only */
    const struct rx_own *o; /* NULL for GFW only */
};

static int row_cmp(const void *pa, const void *pb)
{
    const struct cmp_row *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (int)a->r - (int)b->r;
}

struct cmp_out {
    FILE *out;
    enum report_format f;
    size_t n[3];
    size_t lines;
};

static const char *const result_name[3] = {"agree", "GFW only", "orbat only"};
static const char *const result_key[3] = {"agree", "gfw_only", "orbat_only"};

static void json_ext(FILE *out, const struct store_ext_event *x)
{
    char t0[32], t1[32], src[64];
    rtime_format(x->t_start_ms, t0, sizeof t0);
    rtime_format(x->t_end_ms, t1, sizeof t1);
    ext_source(x, src, sizeof src);
    fputs("{\"source\":", out);
    report_json_str(out, src);
    fputs(",\"ext_id\":", out);
    report_json_str(out, x->ext_id);
    fputs(",\"type\":", out);
    report_json_str(out, x->type);
    fprintf(out, ",\"start\":\"%s\",\"end\":\"%s\",\"detail\":", t0, t1);
    report_json_str(out, x->detail);
    fputs(",\"file\":", out);
    report_json_str(out, x->source);
    fputc('}', out);
}

static void json_own(FILE *out, const struct rx_own *o)
{
    char t0[32], t1[32];
    rtime_format(o->e.t_ms, t0, sizeof t0);
    rtime_format(o->t1, t1, sizeof t1);
    fprintf(out, "{\"source\":\"orbat\",\"id\":%lld,\"type\":", (long long)o->e.id);
    report_json_str(out, o->e.type);
    fprintf(out, ",\"start\":\"%s\",\"end\":\"%s\",\"detail\":", t0, t1);
    report_json_str(out, o->e.detail);
    fputc('}', out);
}

static void cmp_line(struct cmp_out *c, uint32_t mmsi, const char *name, const struct cmp_row *w)
{
    char id[16], g0[32] = "-", g1[32] = "-", o0[32] = "-", o1[32] = "-";
    mmsi_str(mmsi, id, sizeof id);
    if (w->x) {
        rtime_format(w->x->x.t_start_ms, g0, sizeof g0);
        rtime_format(w->x->x.t_end_ms, g1, sizeof g1);
    }
    if (w->o) {
        rtime_format(w->o->e.t_ms, o0, sizeof o0);
        rtime_format(w->o->t1, o1, sizeof o1);
    }
    const char *gt = w->x ? w->x->x.type : "-", *ot = w->o ? w->o->e.type : "-";
    FILE *out = c->out;
    if (c->f == RFMT_JSON) {
        fprintf(out, "%s{\"result\":\"%s\",\"mmsi\":\"%s\",\"name\":", c->lines ? ",\n" : "\n",
                result_key[w->r], id);
        report_json_str(out, name);
        fputs(",\"gfw\":", out);
        if (w->x)
            json_ext(out, &w->x->x);
        else
            fputs("null", out);
        fputs(",\"orbat\":", out);
        if (w->o)
            json_own(out, w->o);
        else
            fputs("null", out);
        fputc('}', out);
    } else {
        fprintf(out, "%-10s  %-9s %-20.20s %-10s %-20s %-20s %-9s %-20s %s\n", result_name[w->r],
                id, name[0] ? name : "-", gt, g0, g1, ot, o0, o1);
    }
    c->n[w->r]++;
    c->lines++;
}

int report_compare_write(struct store *s, const char *type, int64_t from_ms, int64_t to_ms,
                         int64_t tol_ms, enum report_format f, FILE *out)
{
    if (f != RFMT_JSON && f != RFMT_TABLE)
        return ORBAT_E_INVAL;
    if (tol_ms < 0)
        return ORBAT_E_INVAL;
    // orbat events that overlap the window widened by the tolerance: an
    // event just outside can still be the partner of one inside. Their
    // stored time is the start, so reach back by a day for long events.
    struct rx_lists own, ext;
    int64_t lo = from_ms - tol_ms - STORE_DAY_MS, hi = to_ms + tol_ms;
    int rc = lists_load(s, "", lo, hi, true, &own);
    if (rc)
        return rc;
    if ((rc = lists_load(s, type ? type : "", from_ms, to_ms, false, &ext)) != ORBAT_OK) {
        lists_free(&own);
        return rc;
    }
    struct vref *vr = calloc(own.nown * 2 + 1, sizeof *vr);
    struct ext_ref *er = calloc(ext.next + 1, sizeof *er);
    struct cmp_row *rows = NULL;
    bool *used = NULL;
    size_t nvr = 0, ner = 0;
    if (!vr || !er) {
        rc = ORBAT_E_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < own.nown; i++) {
        const struct rx_own *o = &own.own[i];
        if (!o->ship || !own_comparable(o->e.type))
            continue;
        vr[nvr++] = (struct vref){o->a.ident, i};
        if (o->other && o->other != o->a.ident)
            vr[nvr++] = (struct vref){o->other, i};
    }
    qsort(vr, nvr, sizeof *vr, vref_cmp);
    for (size_t j = 0; j < ext.next; j++) {
        const struct store_ext_event *x = &ext.ext[j].x;
        if (x->mmsi && x->asset_id && ext_comparable(x->type))
            er[ner++] = (struct ext_ref){x->mmsi, j};
    }
    qsort(er, ner, sizeof *er, ext_ref_cmp);
    rows = calloc(ner + nvr + 1, sizeof *rows);
    used = calloc(nvr + 1, sizeof *used);
    if (!rows || !used) {
        rc = ORBAT_E_NOMEM;
        goto out;
    }
    struct cmp_out c = {.out = out, .f = f};
    if (f == RFMT_JSON)
        fprintf(out, "{\"attribution\":\"" EXT_ATTRIBUTION "\",\"tolerance_s\":%lld,\"rows\":[",
                (long long)(tol_ms / 1000));
    else
        fprintf(out, "%-10s  %-9s %-20s %-10s %-20s %-20s %-9s %-20s %s\n", "RESULT", "MMSI",
                "VESSEL (GFW)", "GFW TYPE", "GFW START", "GFW END", "ORBAT", "ORBAT START",
                "ORBAT END");
    size_t a = 0, vi = 0;
    while (a < ner) {
        uint32_t m = er[a].mmsi;
        size_t b = a;
        while (b < ner && er[b].mmsi == m)
            b++;
        while (vi < nvr && vr[vi].mmsi < m)
            vi++;
        size_t v0 = vi, v1 = vi;
        while (v1 < nvr && vr[v1].mmsi == m)
            v1++;
        size_t nrows = 0;
        for (size_t k = a; k < b; k++) {
            const struct rx_ext *x = &ext.ext[er[k].ext];
            int64_t g0 = x->x.t_start_ms - tol_ms, g1 = x->x.t_end_ms + tol_ms;
            const struct rx_own *first = NULL;
            for (size_t q = v0; q < v1; q++) {
                const struct rx_own *o = &own.own[vr[q].own];
                if (!own_type_matches(x->x.type, o->e.type) || o->e.t_ms > g1 || o->t1 < g0)
                    continue;
                used[q] = true;
                if (!first || o->e.t_ms < first->e.t_ms)
                    first = o;
            }
            rows[nrows++] =
                (struct cmp_row){first ? CMP_AGREE : CMP_EXT_ONLY, x->x.t_start_ms, x, first};
        }
        for (size_t q = v0; q < v1; q++) {
            const struct rx_own *o = &own.own[vr[q].own];
            // Only those inside the asked window are reported as orbat only.
            if (!used[q] && o->t1 >= from_ms && o->e.t_ms <= to_ms)
                rows[nrows++] = (struct cmp_row){CMP_OWN_ONLY, o->e.t_ms, NULL, o};
        }
        qsort(rows, nrows, sizeof *rows, row_cmp);
        const char *name = ext.ext[er[a].ext].x.name;
        for (size_t k = 0; k < nrows; k++)
            cmp_line(&c, m, name, &rows[k]);
        a = b;
        vi = v1;
    }
    if (f == RFMT_JSON) {
        fprintf(out, "],\"summary\":{\"agree\":%zu,\"gfw_only\":%zu,\"orbat_only\":%zu}}\n", c.n[0],
                c.n[1], c.n[2]);
    } else {
        char tol[32];
        if (tol_ms % 3600000 == 0)
            snprintf(tol, sizeof tol, "%lld h", (long long)(tol_ms / 3600000));
        else
            snprintf(tol, sizeof tol, "%lld s", (long long)(tol_ms / 1000));
        fprintf(out, "%zu agree, %zu GFW only, %zu orbat only (tolerance %s; %s)\n", c.n[0], c.n[1],
                c.n[2], tol, EXT_ATTRIBUTION);
    }
    rc = ferror(out) ? ORBAT_E_IO : ORBAT_OK;
out:
    free(vr);
    free(er);
    free(rows);
    free(used);
    lists_free(&own);
    lists_free(&ext);
    return rc;
}
