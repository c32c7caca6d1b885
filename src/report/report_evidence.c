/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report_evidence.c - `orbat evidence` and `orbat events`: everything the
 * store holds behind an asset (identity and its reasons, the identifying
 * raw message, every thinned observation with its raw message, source and
 * byte offset, sightings with their URLs, events), and the event list.
 * See report.h.
 */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/rtime.h"

#define EVIDENCE_MAX_ASSETS 32

struct ev_assets {
    struct store_asset a[EVIDENCE_MAX_ASSETS];
    size_t n;
    bool more;
};

static int ev_find_cb(void *ctx, const struct store_asset *a)
{
    struct ev_assets *e = ctx;
    if (e->n == EVIDENCE_MAX_ASSETS) {
        e->more = true;
        return 1;
    }
    e->a[e->n++] = *a;
    return 0;
}

struct ev_ctx {
    FILE *out;
    enum report_format f;
    const struct store_asset *asset;
    int64_t from_ms, to_ms;
    size_t n;
    size_t limit;  /* observations shown per asset; 0: all */
    uint64_t more; /* observations in range not shown */
    const struct report_sim *sim;
    int nsim; /* observations from simulated sources */
};

/* Raw bytes as text: NMEA and hex frames are printable; anything else is
 * shown as \xNN so that the listing stays one line per item. */
static void raw_text(const char *p, size_t n, char *buf, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 5 < size; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\r' || c == '\n') {
            if (i + 1 < n) // keep multi-sentence messages on one line
                buf[k++] = ' ';
        } else if (c < 0x20 || c >= 0x7f) {
            k += (size_t)snprintf(buf + k, size - k, "\\x%02x", c);
        } else {
            buf[k++] = (char)c;
        }
    }
    buf[k] = '\0';
}

/* The JSON array separator before the next item; returns the stream. */
static FILE *out_sep(struct ev_ctx *c)
{
    if (c->n)
        fputc(',', c->out);
    return c->out;
}

static void csv_prefix(FILE *out, const struct store_asset *a, const char *what, int64_t t_ms)
{
    char id[16], t[32];
    report_asset_ident(a, id, sizeof id);
    rtime_format(t_ms, t, sizeof t);
    fprintf(out, "%lld,", (long long)a->id);
    report_csv_str(out, a->name);
    fprintf(out, ",%s,%s,%s,", id, what, t);
}

static int ev_obs_cb(void *ctx, const struct store_obs_row *r)
{
    struct ev_ctx *c = ctx;
    int sim = report_sim_source(c->sim, r->obs.source_id);
    if (sim > 0)
        c->nsim++;
    if (c->limit && c->n >= c->limit) {
        c->more++; // counted, not shown
        return 0;
    }
    char t[32], raw[1024];
    rtime_format(r->obs.t_ms, t, sizeof t);
    raw_text(r->raw ? r->raw : "", r->raw ? r->raw_len : 0, raw, sizeof raw);
    const char *src = r->source ? r->source : "";
    if (c->f == RFMT_JSON) {
        fprintf(out_sep(c), "{\"time\":\"%s\",\"lat\":%.6f,\"lon\":%.6f", t, r->obs.lat,
                r->obs.lon);
        if (!isnan(r->obs.sog_kn))
            fprintf(c->out, ",\"sog_kn\":%.1f", r->obs.sog_kn);
        if (!isnan(r->obs.cog_deg))
            fprintf(c->out, ",\"cog_deg\":%.1f", r->obs.cog_deg);
        if (r->obs.alt_ft != INT32_MIN)
            fprintf(c->out, ",\"alt_ft\":%d", r->obs.alt_ft);
        fputs(",\"theatre\":", c->out);
        report_json_str(c->out, r->obs.theatre);
        fputs(",\"source\":", c->out);
        report_json_str(c->out, src);
        fprintf(c->out, ",\"offset\":%llu,\"raw\":", (unsigned long long)r->raw_offset);
        report_json_str(c->out, raw);
        if (c->sim->simulated)
            fprintf(c->out, ",\"simulated\":%s", report_sim_json(sim));
        fputc('}', c->out);
    } else if (c->f == RFMT_CSV) {
        csv_prefix(c->out, c->asset, "observation", r->obs.t_ms);
        fprintf(c->out, "%.6f,%.6f,", r->obs.lat, r->obs.lon);
        report_csv_str(c->out, r->obs.theatre);
        fputc(',', c->out);
        report_csv_str(c->out, src);
        fprintf(c->out, ",%llu,", (unsigned long long)r->raw_offset);
        report_csv_str(c->out, raw);
        fputs(",\n", c->out);
    } else {
        char sog[16] = "-";
        if (!isnan(r->obs.sog_kn))
            snprintf(sog, sizeof sog, "%.1f", r->obs.sog_kn);
        fprintf(c->out, "  %s %10.5f %11.5f %6s %-10s %s@%llu  %s\n", t, r->obs.lat, r->obs.lon,
                sog, r->obs.theatre[0] ? r->obs.theatre : "-", src[0] ? src : "-",
                (unsigned long long)r->raw_offset, raw[0] ? raw : "-");
    }
    c->n++;
    return 0;
}

static int ev_sighting_cb(void *ctx, const struct store_sighting *sg)
{
    struct ev_ctx *c = ctx;
    if (sg->asset_id != c->asset->id)
        return 0;
    char t[32];
    rtime_format(sg->t_ms, t, sizeof t);
    if (c->f == RFMT_JSON) {
        fprintf(out_sep(c), "{\"time\":\"%s\",\"lat\":%.6f,\"lon\":%.6f,\"confidence\":%.2f", t,
                sg->lat, sg->lon, sg->confidence);
        fputs(",\"source\":", c->out);
        report_json_str(c->out, sg->source_url);
        fputs(",\"note\":", c->out);
        report_json_str(c->out, sg->note);
        fputc('}', c->out);
    } else if (c->f == RFMT_CSV) {
        csv_prefix(c->out, c->asset, "sighting", sg->t_ms);
        fprintf(c->out, "%.6f,%.6f,", sg->lat, sg->lon);
        report_csv_str(c->out, sg->theatre);
        fputc(',', c->out);
        report_csv_str(c->out, sg->source_url);
        fputs(",,,", c->out);
        report_csv_str(c->out, sg->note);
        fputc('\n', c->out);
    } else {
        fprintf(c->out, "  %s %10.5f %11.5f confidence %.2f  %s%s%s\n", t, sg->lat, sg->lon,
                sg->confidence, sg->source_url, sg->note[0] ? "  -- " : "", sg->note);
    }
    c->n++;
    return 0;
}

static int ev_event_cb(void *ctx, const struct store_event *e, const struct store_asset *a)
{
    (void)a;
    struct ev_ctx *c = ctx;
    if (e->asset_id != c->asset->id)
        return 0;
    char t[32];
    rtime_format(e->t_ms, t, sizeof t);
    if (c->f == RFMT_JSON) {
        fprintf(out_sep(c), "{\"time\":\"%s\",\"type\":", t);
        report_json_str(c->out, e->type);
        fputs(",\"theatre\":", c->out);
        report_json_str(c->out, e->theatre);
        fputs(",\"detail\":", c->out);
        report_json_str(c->out, e->detail);
        fputc('}', c->out);
    } else if (c->f == RFMT_CSV) {
        csv_prefix(c->out, c->asset, "event", e->t_ms);
        if (isnan(e->lat))
            fputs(",,", c->out);
        else
            fprintf(c->out, "%.6f,%.6f,", e->lat, e->lon);
        report_csv_str(c->out, e->theatre);
        fputs(",,,,", c->out);
        report_csv_str(c->out, e->type);
        fputs(e->detail[0] ? ": " : "", c->out);
        report_csv_str(c->out, e->detail);
        fputc('\n', c->out);
    } else {
        fprintf(c->out, "  %s %-12s %-10s %s\n", t, e->type, e->theatre[0] ? e->theatre : "-",
                e->detail);
    }
    c->n++;
    return 0;
}

struct ident_ctx {
    FILE *out;
    enum report_format f;
};

static int ev_ident_raw_cb(void *ctx, const struct store_raw *r, const char *source)
{
    struct ident_ctx *c = ctx;
    char raw[1024];
    raw_text(r->data, r->len, raw, sizeof raw);
    if (c->f == RFMT_JSON) {
        fputs(",\"identified_from\":{\"source\":", c->out);
        report_json_str(c->out, source);
        fprintf(c->out, ",\"offset\":%llu,\"raw\":", (unsigned long long)r->offset);
        report_json_str(c->out, raw);
        fputc('}', c->out);
    } else {
        fprintf(c->out, "  identified from: %s@%llu  %s\n", source ? source : "-",
                (unsigned long long)r->offset, raw);
    }
    return 0;
}

static int evidence_one(struct store *s, const struct store_asset *a, int64_t from_ms,
                        int64_t to_ms, size_t limit, const struct report_sim *sim, uint64_t *more,
                        enum report_format f, FILE *out, bool first)
{
    char id[16], t1[32], t2[32];
    report_asset_ident(a, id, sizeof id);
    rtime_format(a->first_ms, t1, sizeof t1);
    rtime_format(a->last_ms, t2, sizeof t2);
    struct ident_ctx ic = {.out = out, .f = f};
    struct ev_ctx c = {.out = out,
                       .f = f,
                       .asset = a,
                       .from_ms = from_ms,
                       .to_ms = to_ms,
                       .limit = limit,
                       .sim = sim};
    int rc = ORBAT_OK;
    if (f == RFMT_JSON) {
        fputs(first ? "{" : ",\n{", out);
        report_json_asset_fields(out, a);
        fprintf(out,
                ",\"confidence\":%.2f,\"military\":%s,\"first_seen\":\"%s\",\"last_seen\":"
                "\"%s\",\"reasons\":",
                a->confidence, a->military ? "true" : "false", t1, t2);
        report_json_reasons(out, a->reasons);
    } else if (f != RFMT_CSV) {
        char lb[16];
        fprintf(out, "%sAsset #%lld: %s (%s %s)", first ? "" : "\n", (long long)a->id,
                report_asset_label(a, lb, sizeof lb), report_kind_name(a->kind), id);
        if (a->hull[0])
            fprintf(out, ", hull/registration %s", a->hull);
        if (a->callsign[0])
            fprintf(out, ", call sign %s", a->callsign);
        if (a->country[0])
            fprintf(out, ", %s", a->country);
        fprintf(out, "\n  category %s, role %s, confidence %.2f%s\n",
                a->category[0] ? a->category : "unclassified", a->role[0] ? a->role : "-",
                a->confidence, a->military ? ", in the order of battle" : "");
        fprintf(out, "  reasons: %s\n  first seen %s, last seen %s\n",
                a->reasons[0] ? a->reasons : "-", t1, t2);
    }
    if (a->raw_id && f != RFMT_CSV) {
        rc = store_raw_get(s, a->raw_id, ev_ident_raw_cb, &ic);
        if (rc == ORBAT_E_NOTFOUND)
            rc = ORBAT_OK;
        if (rc)
            return rc;
    }
    if (f == RFMT_JSON)
        fputs(",\"observations\":[", out);
    else if (f != RFMT_CSV)
        fputs("Observations (time, lat, lon, sog kn, theatre, source@offset, raw):\n", out);
    rc = store_observations(s, a->id, from_ms, to_ms, ev_obs_cb, &c);
    if (rc)
        return rc;
    *more += c.more;
    if ((f == RFMT_TABLE || f == RFMT_MARKDOWN) && c.more)
        fprintf(out,
                "  %zu observations shown, %llu more not shown (--limit N, --from, --to; "
                "--limit 0 shows all)\nSightings:\n",
                c.n, (unsigned long long)c.more);
    else if (f == RFMT_TABLE || f == RFMT_MARKDOWN)
        fprintf(out, "  %zu observation%s\nSightings:\n", c.n, c.n == 1 ? "" : "s");
    else if (f == RFMT_JSON)
        fprintf(out, "],\"observations_not_shown\":%llu,\"sightings\":[",
                (unsigned long long)c.more);
    int nsim = c.nsim;
    c.n = 0;
    rc = store_sightings(s, "", from_ms, to_ms, ev_sighting_cb, &c);
    if (rc)
        return rc;
    if (f == RFMT_TABLE || f == RFMT_MARKDOWN)
        fprintf(out, "  %zu sighting%s\nEvents:\n", c.n, c.n == 1 ? "" : "s");
    else if (f == RFMT_JSON)
        fputs("],\"events\":[", out);
    c.n = 0;
    rc = store_events(s, "", from_ms, to_ms, ev_event_cb, &c);
    if (rc)
        return rc;
    if (f == RFMT_TABLE || f == RFMT_MARKDOWN)
        fprintf(out, "  %zu event%s\n", c.n, c.n == 1 ? "" : "s");
    else if (f == RFMT_JSON && sim->simulated) // any observation from a simulation
        fprintf(out, "],\"simulated\":%s}", nsim ? "true" : "false");
    else if (f == RFMT_JSON)
        fputs("]}", out);
    return ORBAT_OK;
}

int report_evidence_write(struct store *s, const char *key, int64_t from_ms, int64_t to_ms,
                          enum report_format f, FILE *out)
{
    return report_evidence_write_limit(s, key, from_ms, to_ms, 0, NULL, f, out);
}

int report_evidence_write_limit(struct store *s, const char *key, int64_t from_ms, int64_t to_ms,
                                size_t limit, uint64_t *not_shown, enum report_format f, FILE *out)
{
    if (f != RFMT_TABLE && f != RFMT_MARKDOWN && f != RFMT_JSON && f != RFMT_CSV)
        return ORBAT_E_INVAL;
    struct ev_assets *found = calloc(1, sizeof *found);
    struct report_sim *sim = malloc(sizeof *sim);
    uint64_t more = 0;
    if (!found || !sim) {
        free(found);
        free(sim);
        return ORBAT_E_NOMEM;
    }
    int rc = report_sim_load(s, sim);
    if (rc)
        goto done;
    rc = store_asset_find(s, key, ev_find_cb, found);
    if (rc < 0)
        goto done;
    rc = ORBAT_OK;
    if (!found->n) {
        rc = ORBAT_E_NOTFOUND;
        goto done;
    }
    if (f == RFMT_JSON)
        fputs("{\"assets\":[", out);
    else if (f == RFMT_CSV)
        fputs("asset_id,name,id,evidence,time,lat,lon,theatre,source,offset,raw,detail\n", out);
    for (size_t i = 0; i < found->n && !rc; i++)
        rc = evidence_one(s, &found->a[i], from_ms, to_ms, limit, sim, &more, f, out, i == 0);
    if (f == RFMT_JSON) {
        fputc(']', out);
        report_sim_json_members(out, sim);
        fputs("}\n", out);
    }
    if (found->more && f != RFMT_JSON && f != RFMT_CSV)
        fprintf(out, "\n(more than %d assets match; narrow the key)\n", EVIDENCE_MAX_ASSETS);
    if (!rc && ferror(out))
        rc = ORBAT_E_IO;
done:
    if (not_shown)
        *not_shown = more;
    free(found);
    free(sim);
    return rc;
}

struct events_ctx {
    FILE *out;
    enum report_format f;
    size_t n;
    const struct report_sim *sim;
};

static int events_cb(void *ctx, const struct store_event *e, const struct store_asset *a)
{
    struct events_ctx *c = ctx;
    char t[32], id[16], lb[16];
    rtime_format(e->t_ms, t, sizeof t);
    report_asset_ident(a, id, sizeof id);
    const char *label = report_asset_label(a, lb, sizeof lb);
    if (c->f == RFMT_JSON) {
        fprintf(c->out, "%s{\"id\":%lld,\"time\":\"%s\",\"type\":", c->n ? ",\n" : "\n",
                (long long)e->id, t);
        report_json_str(c->out, e->type);
        fputs(",\"theatre\":", c->out);
        report_json_str(c->out, e->theatre);
        if (!isnan(e->lat))
            fprintf(c->out, ",\"lat\":%.6f,\"lon\":%.6f", e->lat, e->lon);
        fputs(",\"detail\":", c->out);
        report_json_str(c->out, e->detail);
        fputs(",\"asset\":{", c->out);
        report_json_asset_fields(c->out, a);
        fputc('}', c->out);
        if (c->sim->simulated) // events are labelled from the store as a whole
            fprintf(c->out, ",\"simulated\":%s", report_sim_json(report_sim_all(c->sim)));
        fputc('}', c->out);
    } else if (c->f == RFMT_CSV) {
        fprintf(c->out, "%lld,%s,", (long long)e->id, t);
        report_csv_str(c->out, e->type);
        fputc(',', c->out);
        report_csv_str(c->out, e->theatre);
        fprintf(c->out, ",%lld,", (long long)a->id);
        report_csv_str(c->out, label);
        fprintf(c->out, ",%s,", id);
        report_csv_str(c->out, a->category);
        fputc(',', c->out);
        if (!isnan(e->lat))
            fprintf(c->out, "%.6f,%.6f,", e->lat, e->lon);
        else
            fputs(",,", c->out);
        report_csv_str(c->out, e->detail);
        fputc('\n', c->out);
    } else if (c->f == RFMT_MARKDOWN) {
        fprintf(c->out, "| %s | ", t);
        report_md_str(c->out, e->type);
        fputs(" | ", c->out);
        report_md_str(c->out, e->theatre[0] ? e->theatre : "-");
        fputs(" | ", c->out);
        report_md_str(c->out, label);
        fprintf(c->out, " | %s | ", id);
        report_md_str(c->out, e->detail);
        fputs(" |\n", c->out);
    } else {
        fprintf(c->out, "%s  %-12s %-10s %-24s %-9s %s\n", t, e->type, // names never cut
                e->theatre[0] ? e->theatre : "-", label, id, e->detail);
    }
    c->n++;
    return 0;
}

int report_events_write(struct store *s, const char *type, int64_t from_ms, int64_t to_ms,
                        enum report_format f, FILE *out)
{
    struct report_sim sim;
    int rc = report_sim_load(s, &sim);
    if (rc)
        return rc;
    struct events_ctx c = {.out = out, .f = f, .sim = &sim};
    if (f == RFMT_JSON)
        fputs("{\"events\":[", out);
    else if (f == RFMT_CSV)
        fputs("id,time,type,theatre,asset_id,name,ident,category,lat,lon,detail\n", out);
    else if (f == RFMT_MARKDOWN)
        fputs("| time | type | theatre | asset | id | detail |\n|---|---|---|---|---|---|\n", out);
    else if (f == RFMT_TABLE)
        fprintf(out, "%-20s  %-12s %-10s %-24s %-9s %s\n", "TIME", "TYPE", "THEATRE", "ASSET", "ID",
                "DETAIL");
    else
        return ORBAT_E_INVAL;
    rc = store_events(s, type ? type : "", from_ms, to_ms, events_cb, &c);
    if (rc)
        return rc;
    if (f == RFMT_JSON) {
        fputc(']', out);
        report_sim_json_members(out, &sim);
        fputs("}\n", out);
    } else if (f == RFMT_TABLE)
        fprintf(out, "%zu event%s\n", c.n, c.n == 1 ? "" : "s");
    return ferror(out) ? ORBAT_E_IO : ORBAT_OK;
}
