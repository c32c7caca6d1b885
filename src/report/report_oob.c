/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report_oob.c - the order of battle: the assets present in a theatre in
 * the window before an as-of time, from transponder presence and manual
 * sightings, grouped by category and role with counts; and the diff of two
 * orders of battle (arrivals and departures). See report.h.
 */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/rtime.h"

static int oob_push(struct report_oob *r, const struct report_entry *e)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        struct report_entry *ne = realloc(r->e, cap * sizeof *ne);
        if (!ne)
            return ORBAT_E_NOMEM;
        r->e = ne;
        r->cap = cap;
    }
    r->e[r->n++] = *e;
    return ORBAT_OK;
}

static int presence_cb(void *ctx, const struct store_presence *p)
{
    struct report_entry e;
    memset(&e, 0, sizeof e);
    e.asset = p->asset;
    e.first_ms = p->first_ms;
    e.last_ms = p->last_ms;
    e.last_lat = p->last_lat;
    e.last_lon = p->last_lon;
    e.n_obs = p->n_obs;
    e.confidence = p->asset.confidence;
    e.basis = "transponder";
    return oob_push(ctx, &e);
}

struct sight_ctx {
    struct store *s;
    struct report_oob *r;
    int err;
};

static int sighting_cb(void *ctx, const struct store_sighting *sg)
{
    struct sight_ctx *c = ctx;
    struct report_oob *r = c->r;
    struct report_entry *e = NULL;
    for (size_t i = 0; i < r->n; i++)
        if (r->e[i].asset.id == sg->asset_id) {
            e = &r->e[i];
            break;
        }
    if (!e) {
        struct report_entry ne;
        memset(&ne, 0, sizeof ne);
        int rc = store_asset_get(c->s, sg->asset_id, &ne.asset);
        if (rc == ORBAT_E_NOTFOUND) { // asset row lost: show the sighting as given
            ne.asset.kind = STORE_SIGHTED;
            ne.asset.id = sg->asset_id;
            store_strlcpy(ne.asset.name, sg->name, sizeof ne.asset.name);
            store_strlcpy(ne.asset.category, sg->category, sizeof ne.asset.category);
            store_strlcpy(ne.asset.role, sg->role, sizeof ne.asset.role);
            store_strlcpy(ne.asset.country, sg->country, sizeof ne.asset.country);
        } else if (rc) {
            c->err = rc;
            return rc;
        }
        ne.first_ms = ne.last_ms = sg->t_ms;
        ne.last_lat = sg->lat;
        ne.last_lon = sg->lon;
        ne.basis = "sighting";
        ne.confidence = 0;
        if ((rc = oob_push(r, &ne)) != ORBAT_OK) {
            c->err = rc;
            return rc;
        }
        e = &r->e[r->n - 1];
    } else {
        e->basis = "transponder+sighting";
    }
    e->n_sightings++;
    if (e->n_obs == 0) {
        // Only sighted: the confidence is the best sighting's, never the
        // transponder identification's.
        double conf = sg->confidence > 0 ? sg->confidence : REPORT_SIGHTING_CONFIDENCE;
        if (conf > e->confidence)
            e->confidence = conf;
    }
    if (sg->t_ms < e->first_ms)
        e->first_ms = sg->t_ms;
    if (sg->t_ms >= e->last_ms) {
        e->last_ms = sg->t_ms;
        e->last_lat = sg->lat;
        e->last_lon = sg->lon;
    }
    store_strlcpy(e->sighting_url, sg->source_url, sizeof e->sighting_url);
    return 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const struct report_entry *a = pa, *b = pb;
    int ra = report_category_rank(a->asset.category), rb = report_category_rank(b->asset.category);
    if (ra != rb)
        return ra - rb;
    int c = strcmp(a->asset.category, b->asset.category);
    if (c)
        return c;
    // Unclassified roles after the named ones.
    if (!a->asset.role[0] != !b->asset.role[0])
        return a->asset.role[0] ? -1 : 1;
    if ((c = strcmp(a->asset.role, b->asset.role)) != 0)
        return c;
    char ba[16], bb[16];
    if ((c = strcmp(report_asset_label(&a->asset, ba, sizeof ba),
                    report_asset_label(&b->asset, bb, sizeof bb))) != 0)
        return c;
    // Then by identity, not row id, so that two databases holding the same
    // data list it in the same order.
    if (a->asset.kind != b->asset.kind)
        return a->asset.kind - b->asset.kind;
    if (a->asset.ident != b->asset.ident)
        return a->asset.ident < b->asset.ident ? -1 : 1;
    return a->asset.id < b->asset.id ? -1 : a->asset.id > b->asset.id;
}

int report_oob_build(struct store *s, const struct report_opts *o, struct report_oob *r)
{
    memset(r, 0, sizeof *r);
    store_strlcpy(r->theatre, o->theatre && *o->theatre ? o->theatre : "*", sizeof r->theatre);
    r->to_ms = o->as_of_ms;
    r->from_ms = o->as_of_ms - (o->window_ms > 0 ? o->window_ms : REPORT_DEFAULT_WINDOW_MS);
    int rc = store_presence(s, r->theatre, r->from_ms, r->to_ms, !o->all, presence_cb, r);
    if (rc) {
        report_oob_free(r);
        return rc;
    }
    struct sight_ctx sc = {.s = s, .r = r};
    rc = store_sightings(s, r->theatre, r->from_ms, r->to_ms, sighting_cb, &sc);
    if (sc.err || rc) {
        report_oob_free(r);
        return sc.err ? sc.err : rc;
    }
    if (r->n)
        qsort(r->e, r->n, sizeof *r->e, entry_cmp);
    // Only the sources: counting the observations would read the whole table.
    if ((rc = store_source_counts(s, &r->sources, &r->simulated_sources)) != ORBAT_OK ||
        (rc = store_source_licences(s, r->licences, sizeof r->licences)) != ORBAT_OK) {
        report_oob_free(r);
        return rc;
    }
    return ORBAT_OK;
}

void report_oob_free(struct report_oob *r)
{
    free(r->e);
    r->e = NULL;
    r->n = r->cap = 0;
}

struct role_count {
    const char *role;
    unsigned long n;
};

static int role_count_cmp(const void *pa, const void *pb)
{
    const struct role_count *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->role, b->role);
}

/* The counts line of the category starting at entry i (entries sorted);
 * returns the index after the category. */
static size_t category_line(const struct report_oob *r, size_t i, char *buf, size_t size)
{
    const char *cat = r->e[i].asset.category;
    size_t j = i;
    while (j < r->n && !strcmp(r->e[j].asset.category, cat))
        j++;
    struct role_count *rc = calloc(j - i, sizeof *rc);
    size_t nr = 0;
    if (rc) {
        for (size_t k = i; k < j; k++) {
            const char *role = r->e[k].asset.role[0] ? r->e[k].asset.role : "";
            size_t m = 0;
            while (m < nr && strcmp(rc[m].role, role))
                m++;
            if (m == nr)
                rc[nr++].role = role;
            rc[m].n++;
        }
        qsort(rc, nr, sizeof *rc, role_count_cmp);
    }
    char phrase[128], noun[64];
    report_category_noun(cat, noun, sizeof noun);
    report_count_phrase((unsigned long)(j - i), noun, phrase, sizeof phrase);
    size_t len = (size_t)snprintf(buf, size, "%s", phrase);
    for (size_t m = 0; m < nr && len < size; m++) {
        report_count_phrase(rc[m].n, rc[m].role[0] ? rc[m].role : "unclassified", phrase,
                            sizeof phrase);
        len += (size_t)snprintf(buf + len, size - len, "%s%s", m ? ", " : ": ", phrase);
    }
    free(rc);
    return j;
}

size_t report_oob_counts(const struct report_oob *r, char *buf, size_t size)
{
    size_t lines = 0, len = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < r->n && len + 1 < size;) {
        char line[1024];
        i = category_line(r, i, line, sizeof line);
        len += (size_t)snprintf(buf + len, size - len, "%s%s", lines ? "\n" : "", line);
        lines++;
    }
    return lines;
}

static void fmt_pos(char *buf, size_t size, double lat, double lon)
{
    if (isnan(lat) || isnan(lon))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.4f%c %.4f%c", fabs(lat), lat < 0 ? 'S' : 'N', fabs(lon),
                 lon < 0 ? 'W' : 'E');
}

static void fmt_evidence(char *buf, size_t size, const struct report_entry *e)
{
    if (e->n_sightings && e->n_obs)
        snprintf(buf, size, "%llu obs + %u sighting%s", (unsigned long long)e->n_obs,
                 e->n_sightings, e->n_sightings == 1 ? "" : "s");
    else if (e->n_sightings)
        snprintf(buf, size, "%u sighting%s", e->n_sightings, e->n_sightings == 1 ? "" : "s");
    else
        snprintf(buf, size, "%llu obs", (unsigned long long)e->n_obs);
}

static void json_entry(FILE *out, const struct report_entry *e)
{
    char t1[32], t2[32];
    rtime_format(e->first_ms, t1, sizeof t1);
    rtime_format(e->last_ms, t2, sizeof t2);
    fputc('{', out);
    report_json_asset_fields(out, &e->asset);
    fprintf(out, ",\"confidence\":%.2f,\"basis\":\"%s\",\"first_seen\":\"%s\",\"last_seen\":\"%s\"",
            e->confidence, e->basis, t1, t2);
    fprintf(out, ",\"last_position\":{\"lat\":%.5f,\"lon\":%.5f}", e->last_lat, e->last_lon);
    fprintf(out,
            ",\"observations\":%llu,\"sightings\":%u,\"reasons\":", (unsigned long long)e->n_obs,
            e->n_sightings);
    report_json_reasons(out, e->asset.reasons);
    if (e->sighting_url[0]) {
        fputs(",\"sighting_source\":", out);
        report_json_str(out, e->sighting_url);
    }
    fputc('}', out);
}

static const char csv_header[] = "category,role,name,id,kind,callsign,hull,country,confidence,"
                                 "basis,first_seen,last_seen,last_lat,last_lon,observations,"
                                 "sightings,reasons\n";

static void csv_entry(FILE *out, const struct report_entry *e)
{
    char id[16], t1[32], t2[32];
    report_asset_ident(&e->asset, id, sizeof id);
    rtime_format(e->first_ms, t1, sizeof t1);
    rtime_format(e->last_ms, t2, sizeof t2);
    report_csv_str(out, e->asset.category);
    fputc(',', out);
    report_csv_str(out, e->asset.role);
    fputc(',', out);
    report_csv_str(out, e->asset.name);
    fprintf(out, ",%s,%s,", id, report_kind_name(e->asset.kind));
    report_csv_str(out, e->asset.callsign);
    fputc(',', out);
    report_csv_str(out, e->asset.hull);
    fputc(',', out);
    report_csv_str(out, e->asset.country);
    fprintf(out, ",%.2f,%s,%s,%s,%.5f,%.5f,%llu,%u,", e->confidence, e->basis, t1, t2, e->last_lat,
            e->last_lon, (unsigned long long)e->n_obs, e->n_sightings);
    report_csv_str(out, e->asset.reasons);
    fputc('\n', out);
}

/* Table column widths, sized to the longest value of the whole report so
 * that no name is cut and every category's table lines up. */
struct oob_widths {
    int role, name, hull, country;
};

static int wmax(int w, const char *s)
{
    int n = (int)strlen(s);
    return n > w ? n : w;
}

static void oob_widths(const struct report_oob *r, struct oob_widths *w)
{
    *w = (struct oob_widths){4, 4, 8, 7}; // the headers' widths
    for (size_t i = 0; i < r->n; i++) {
        const struct store_asset *a = &r->e[i].asset;
        char lb[16];
        w->role = wmax(w->role, a->role);
        w->name = wmax(w->name, report_asset_label(a, lb, sizeof lb));
        w->hull = wmax(w->hull, a->hull);
        w->country = wmax(w->country, a->country);
    }
}

static void table_entry(FILE *out, const struct report_entry *e, const struct oob_widths *w)
{
    char id[16], t1[32], t2[32], pos[48], ev[64], lb[16];
    report_asset_ident(&e->asset, id, sizeof id);
    rtime_format(e->first_ms, t1, sizeof t1);
    rtime_format(e->last_ms, t2, sizeof t2);
    fmt_pos(pos, sizeof pos, e->last_lat, e->last_lon);
    fmt_evidence(ev, sizeof ev, e);
    const char *hull = e->asset.hull[0] ? e->asset.hull : "-";
    fprintf(out, "  %-*s %-*s %-9s %-*s %-*s %4.2f  %-20s %-20s %-21s %s\n", w->role,
            e->asset.role[0] ? e->asset.role : "-", w->name,
            report_asset_label(&e->asset, lb, sizeof lb), id, w->hull, hull, w->country,
            e->asset.country[0] ? e->asset.country : "-", e->confidence, t1, t2, pos, ev);
}

static void md_entry(FILE *out, const struct report_entry *e)
{
    char id[16], t1[32], t2[32], pos[48], ev[64], lb[16];
    report_asset_ident(&e->asset, id, sizeof id);
    rtime_format(e->first_ms, t1, sizeof t1);
    rtime_format(e->last_ms, t2, sizeof t2);
    fmt_pos(pos, sizeof pos, e->last_lat, e->last_lon);
    fmt_evidence(ev, sizeof ev, e);
    fputs("| ", out);
    report_md_str(out, e->asset.role[0] ? e->asset.role : "-");
    fputs(" | ", out);
    report_md_str(out, report_asset_label(&e->asset, lb, sizeof lb));
    fprintf(out, " | %s | ", id);
    report_md_str(out, e->asset.hull[0] ? e->asset.hull : "-");
    fputs(" | ", out);
    report_md_str(out, e->asset.country[0] ? e->asset.country : "-");
    fprintf(out, " | %.2f (%s) | %s | %s | %s | %s |\n", e->confidence, e->basis, t1, t2, pos, ev);
}

/* The attribution lines as a JSON array. */
void report_json_licences(FILE *out, const char *licences)
{
    fputc('[', out);
    int first = 1;
    for (const char *p = licences; *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(l < sizeof line ? l : sizeof line - 1), p);
        fputs(first ? "" : ",", out);
        report_json_str(out, line);
        first = 0;
        p += l + (nl ? 1 : 0);
    }
    fputc(']', out);
}

static void window_text(const struct report_oob *r, char *buf, size_t size)
{
    char t1[32], t2[32];
    rtime_format(r->from_ms, t1, sizeof t1);
    rtime_format(r->to_ms, t2, sizeof t2);
    double days = (double)(r->to_ms - r->from_ms) / (double)STORE_DAY_MS;
    snprintf(buf, size, "theatre %s, as of %s (window %.3gd from %s)",
             strcmp(r->theatre, "*") ? r->theatre : "anywhere", t2, days, t1);
}

int report_oob_write(const struct report_oob *r, enum report_format f, FILE *out)
{
    char counts[8192], win[160];
    report_oob_counts(r, counts, sizeof counts);
    window_text(r, win, sizeof win);
    if (f == RFMT_JSON) {
        char t1[32], t2[32];
        rtime_format(r->from_ms, t1, sizeof t1);
        rtime_format(r->to_ms, t2, sizeof t2);
        fputs("{\"theatre\":", out);
        report_json_str(out, r->theatre);
        fprintf(out,
                ",\"from\":\"%s\",\"as_of\":\"%s\",\"simulated_sources\":%llu,\"total\":%zu,"
                "\"counts\":[",
                t1, t2, (unsigned long long)r->simulated_sources, r->n);
        int first = 1;
        for (char *line = counts; *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            fputs(first ? "" : ",", out);
            report_json_str(out, line);
            first = 0;
            if (!nl)
                break;
            line = nl + 1;
        }
        fputs("],\"assets\":[", out);
        for (size_t i = 0; i < r->n; i++) {
            fputs(i ? ",\n" : "\n", out);
            json_entry(out, &r->e[i]);
        }
        fputs("],\"data_licences\":", out);
        report_json_licences(out, r->licences);
        fputs("}\n", out);
    } else if (f == RFMT_CSV) {
        fputs(csv_header, out);
        for (size_t i = 0; i < r->n; i++)
            csv_entry(out, &r->e[i]);
    } else if (f == RFMT_MARKDOWN) {
        fprintf(out, "# Order of battle\n\n%s\n\n", win);
        report_simulated_notice(out, r->simulated_sources, r->sources, true);
        fprintf(out, "**%zu asset%s**\n\n", r->n, r->n == 1 ? "" : "s");
        for (char *line = strtok(counts, "\n"); line; line = strtok(NULL, "\n"))
            fprintf(out, "- %s\n", line);
        for (size_t i = 0; i < r->n;) {
            const char *cat = r->e[i].asset.category;
            fputs("\n## ", out);
            report_md_str(out, cat[0] ? cat : "unclassified");
            fputs("\n\n| role | name | id | hull/reg | country | confidence | first seen | "
                  "last seen | last position | evidence |\n|---|---|---|---|---|---|---|---|---|"
                  "---|\n",
                  out);
            for (; i < r->n && !strcmp(r->e[i].asset.category, cat); i++)
                md_entry(out, &r->e[i]);
        }
        report_licence_footer(out, r->licences, true);
    } else if (f == RFMT_TABLE) {
        struct oob_widths w;
        oob_widths(r, &w);
        fprintf(out, "Order of battle: %s\n", win);
        report_simulated_notice(out, r->simulated_sources, r->sources, false);
        fprintf(out, "%zu asset%s\n", r->n, r->n == 1 ? "" : "s");
        for (char *line = strtok(counts, "\n"); line; line = strtok(NULL, "\n"))
            fprintf(out, "  %s\n", line);
        for (size_t i = 0; i < r->n;) {
            const char *cat = r->e[i].asset.category;
            size_t j = i;
            while (j < r->n && !strcmp(r->e[j].asset.category, cat))
                j++;
            char head[128], noun[64];
            report_category_noun(cat, noun, sizeof noun);
            report_count_phrase((unsigned long)(j - i), noun, head, sizeof head);
            fprintf(out, "\n%s\n  %-*s %-*s %-9s %-*s %-*s %-5s %-20s %-20s %-21s %s\n", head,
                    w.role, "ROLE", w.name, "NAME", "ID", w.hull, "HULL/REG", w.country, "COUNTRY",
                    "CONF", "FIRST SEEN", "LAST SEEN", "LAST POSITION", "EVIDENCE");
            for (; i < j; i++)
                table_entry(out, &r->e[i], &w);
        }
        report_licence_footer(out, r->licences, false);
    } else {
        return ORBAT_E_INVAL;
    }
    return ferror(out) ? ORBAT_E_IO : ORBAT_OK;
}

static bool oob_has(const struct report_oob *r, int64_t asset_id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->e[i].asset.id == asset_id)
            return true;
    return false;
}

static void diff_list(FILE *out, enum report_format f, const char *change,
                      const struct report_oob *in, const struct report_oob *notin, int *first)
{
    // Widths over both sides, so arrivals and departures line up.
    struct oob_widths w, w2;
    oob_widths(in, &w);
    oob_widths(notin, &w2);
    w.role = w2.role > w.role ? w2.role : w.role;
    w.name = w2.name > w.name ? w2.name : w.name;
    w.hull = w2.hull > w.hull ? w2.hull : w.hull;
    w.country = w2.country > w.country ? w2.country : w.country;
    for (size_t i = 0; i < in->n; i++) {
        const struct report_entry *e = &in->e[i];
        if (oob_has(notin, e->asset.id))
            continue;
        if (f == RFMT_JSON) {
            fputs(*first ? "\n" : ",\n", out);
            json_entry(out, e);
        } else if (f == RFMT_CSV) {
            fprintf(out, "%s,", change);
            csv_entry(out, e);
        } else if (f == RFMT_MARKDOWN) {
            md_entry(out, e);
        } else {
            table_entry(out, e, &w);
        }
        *first = 0;
    }
}

static size_t diff_count(const struct report_oob *in, const struct report_oob *notin)
{
    size_t n = 0;
    for (size_t i = 0; i < in->n; i++)
        n += !oob_has(notin, in->e[i].asset.id);
    return n;
}

int report_diff_write(struct store *s, const struct report_opts *opts, int64_t from_ms,
                      int64_t to_ms, enum report_format f, FILE *out)
{
    struct report_opts o = *opts;
    struct report_oob a, b;
    o.as_of_ms = from_ms;
    int rc = report_oob_build(s, &o, &a);
    if (rc)
        return rc;
    o.as_of_ms = to_ms;
    if ((rc = report_oob_build(s, &o, &b)) != ORBAT_OK) {
        report_oob_free(&a);
        return rc;
    }
    char t1[32], t2[32];
    rtime_format(from_ms, t1, sizeof t1);
    rtime_format(to_ms, t2, sizeof t2);
    size_t narr = diff_count(&b, &a), ndep = diff_count(&a, &b);
    int first = 1;
    if (f == RFMT_JSON) {
        fputs("{\"theatre\":", out);
        report_json_str(out, a.theatre);
        fprintf(out, ",\"from\":\"%s\",\"to\":\"%s\",\"arrivals\":[", t1, t2);
        diff_list(out, f, "arrival", &b, &a, &first);
        fputs("],\"departures\":[", out);
        first = 1;
        diff_list(out, f, "departure", &a, &b, &first);
        fputs("],\"data_licences\":", out);
        report_json_licences(out, b.licences);
        fputs("}\n", out);
    } else if (f == RFMT_CSV) {
        fprintf(out, "change,%s", csv_header);
        diff_list(out, f, "arrival", &b, &a, &first);
        diff_list(out, f, "departure", &a, &b, &first);
    } else if (f == RFMT_MARKDOWN || f == RFMT_TABLE) {
        static const char md_head[] = "| role | name | id | hull/reg | country | confidence | "
                                      "first seen | last seen | last position | evidence |\n"
                                      "|---|---|---|---|---|---|---|---|---|---|\n";
        bool md = f == RFMT_MARKDOWN;
        fprintf(out, md ? "# Changes in %s from %s to %s\n\n" : "Changes in %s from %s to %s\n",
                strcmp(a.theatre, "*") ? a.theatre : "anywhere", t1, t2);
        fprintf(out, md ? "\n## Arrivals (%zu)\n\n%s" : "\nArrivals (%zu)\n%s", narr,
                md ? (narr ? md_head : "") : "");
        diff_list(out, f, "arrival", &b, &a, &first);
        fprintf(out, md ? "\n## Departures (%zu)\n\n%s" : "\nDepartures (%zu)\n%s", ndep,
                md ? (ndep ? md_head : "") : "");
        diff_list(out, f, "departure", &a, &b, &first);
        fprintf(out, md ? "\n%zu present at %s, %zu at %s.\n" : "\n%zu present at %s, %zu at %s\n",
                a.n, t1, b.n, t2);
    } else {
        rc = ORBAT_E_INVAL;
    }
    report_oob_free(&a);
    report_oob_free(&b);
    if (!rc && ferror(out))
        rc = ORBAT_E_IO;
    return rc;
}
