/* SPDX-License-Identifier: BSD-2-Clause
 *
 * claim_out.c - claims and verdicts as table, JSON and Markdown (claim_out.h).
 */
#include "claims/claim_out.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/rtime.h"

#define KM_PER_NM 1.852

static void tfmt(int64_t ms, char *buf, size_t size)
{
    if (ms)
        rtime_format(ms, buf, size);
    else
        snprintf(buf, size, "-");
}

/* ---- table ---- */

static void fix_line(FILE *out, const char *indent, const struct cc_fix *f)
{
    char t[32];
    rtime_format(f->t_ms, t, sizeof t);
    fprintf(out, "%s%s %-10s %9.4f %10.4f", indent, t, f->asset, f->lat, f->lon);
    if (isfinite(f->d_nm))
        fprintf(out, "  %.2f nm (%.2f km)", f->d_nm, f->d_nm * KM_PER_NM);
    fprintf(out, "  raw #%" PRId64 " %s\n", f->raw_id, f->source);
    if (f->raw[0])
        fprintf(out, "%s    %s\n", indent, f->raw);
}

void claim_out_table(FILE *out, const struct store_claim *sc, const struct claim *c,
                     const struct claim_result *r)
{
    char f[32], t[32], m[96];
    tfmt(sc->from_ms, f, sizeof f);
    tfmt(sc->to_ms, t, sizeof t);
    claim_format_measure(&c->m, c->kind, m, sizeof m);
    fprintf(out, "claim %" PRId64 " [%s] %s%s%s\n", sc->id, sc->kind, sc->text[0] ? "\"" : "",
            sc->text[0] ? sc->text : sc->spec, sc->text[0] ? "\"" : "");
    if (sc->claimant[0] || sc->source_url[0]) {
        char p[32];
        tfmt(sc->published_ms, p, sizeof p);
        fprintf(out, "  by %s, %s, published %s\n", sc->claimant[0] ? sc->claimant : "?",
                sc->source_url[0] ? sc->source_url : "no URL", p);
    }
    fprintf(out, "  %s%s%s  %s .. %s\n", c->asset[0] ? c->asset : "", c->asset[0] ? "  " : "", m, f,
            t);
    if (!r)
        return;
    fprintf(out, "  verdict: %s\n  measured: %s\n", claim_verdict_name(r->verdict), r->measured);
    if (c->kind == CLAIM_DISTANCE && isfinite(r->margin))
        fprintf(out, "  margin: %+.2f nm (%+.2f km) in the claim's favour; closest fix %.2f nm\n",
                r->margin, r->margin * KM_PER_NM, r->closest_fix_nm);
    else if (c->kind == CLAIM_COUNT && isfinite(r->margin))
        fprintf(out, "  margin: %+.0f against the claim's %.0f\n", r->margin, c->m.value);
    if (r->npair) {
        fprintf(out, "  fix pair:\n");
        for (size_t i = 0; i < r->npair; i++)
            fix_line(out, "    ", &r->pair[i]);
    }
    for (size_t i = 0; i < r->nevidence; i++)
        fix_line(out, i ? "    " : "  evidence:\n    ", &r->evidence[i]);
    if ((c->kind == CLAIM_COUNT || c->kind == CLAIM_INCIDENT) && r->nassets) {
        fprintf(out, "  assets (%zu%s):\n", r->assets_total,
                r->assets_total > r->nassets ? ", first shown" : "");
        for (size_t i = 0; i < r->nassets; i++) {
            const struct cc_asset *a = &r->assets[i];
            fprintf(out, "    %-3s %-24s %-10s %-18s %6" PRIu64 " fixes\n",
                    a->a.military ? "mil" : "-", a->a.name[0] ? a->a.name : "?", a->a.callsign,
                    a->a.category, a->n_fixes);
            fix_line(out, "      ", &a->first);
        }
    }
    for (size_t i = 0; i < r->ngap_lines; i++)
        fprintf(out, "  AIS gap nearby: %s\n", r->gap_lines[i]);
    fprintf(out, "  coverage: %zu source%s", r->nsources, r->nsources == 1 ? "" : "s");
    for (size_t i = 0; i < r->nsources; i++)
        fprintf(out, "%s%s", i ? ", " : " (", r->sources[i]);
    fprintf(out, "%s\n", r->nsources ? ")" : "");
    for (size_t i = 0; i < r->nuncovered; i++) {
        rtime_format(r->uncovered[i].from_ms, f, sizeof f);
        rtime_format(r->uncovered[i].to_ms, t, sizeof t);
        fprintf(out, "  not covered: %s .. %s\n", f, t);
    }
    for (size_t i = 0; i < r->nasset_gaps; i++) {
        rtime_format(r->asset_gaps[i].from_ms, f, sizeof f);
        rtime_format(r->asset_gaps[i].to_ms, t, sizeof t);
        fprintf(out, "  track gap: %s .. %s\n", f, t);
    }
    if (r->note[0])
        fprintf(out, "  note: %s\n", r->note);
}

/* ---- JSON ---- */

static void json_num(FILE *out, const char *key, double v, int decimals)
{
    fprintf(out, ",\"%s\":", key);
    if (isfinite(v))
        fprintf(out, "%.*f", decimals, v);
    else
        fputs("null", out);
}

static void json_time(FILE *out, const char *key, int64_t ms)
{
    char t[32];
    if (!ms) {
        fprintf(out, ",\"%s\":null", key);
        return;
    }
    rtime_format(ms, t, sizeof t);
    fprintf(out, ",\"%s\":\"%s\"", key, t);
}

static void json_fix(FILE *out, const struct cc_fix *f)
{
    fprintf(out, "{\"asset_id\":%" PRId64 ",\"asset\":", f->asset_id);
    report_json_str(out, f->asset);
    json_time(out, "time", f->t_ms);
    fprintf(out, ",\"lat\":%.6f,\"lon\":%.6f", f->lat, f->lon);
    json_num(out, "nm", f->d_nm, 3);
    json_num(out, "km", f->d_nm * KM_PER_NM, 3);
    fprintf(out, ",\"raw_id\":%" PRId64 ",\"raw\":", f->raw_id);
    report_json_str(out, f->raw);
    fputs(",\"source\":", out);
    report_json_str(out, f->source);
    fputc('}', out);
}

static void json_spans(FILE *out, const char *key, const struct cc_span *s, size_t n)
{
    fprintf(out, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",{" : "{", out);
        char f[32], t[32];
        rtime_format(s[i].from_ms, f, sizeof f);
        rtime_format(s[i].to_ms, t, sizeof t);
        fprintf(out, "\"from\":\"%s\",\"to\":\"%s\"}", f, t);
    }
    fputc(']', out);
}

void claim_out_json(FILE *out, const struct store_claim *sc, const struct claim *c,
                    const struct claim_result *r)
{
    char m[96];
    claim_format_measure(&c->m, c->kind, m, sizeof m);
    fprintf(out, "{\"id\":%" PRId64 ",\"kind\":", sc->id);
    report_json_str(out, sc->kind);
    fputs(",\"text\":", out);
    report_json_str(out, sc->text);
    fputs(",\"source_url\":", out);
    report_json_str(out, sc->source_url);
    fputs(",\"claimant\":", out);
    report_json_str(out, sc->claimant);
    json_time(out, "published", sc->published_ms);
    fputs(",\"spec\":", out);
    report_json_str(out, sc->spec);
    fputs(",\"asset\":", out);
    report_json_str(out, c->asset);
    json_time(out, "from", sc->from_ms);
    json_time(out, "to", sc->to_ms);
    fputs(",\"claim\":", out);
    report_json_str(out, m);
    if (c->kind == CLAIM_DISTANCE) {
        if (c->ref[0]) {
            fputs(",\"ref\":", out);
            report_json_str(out, c->ref);
        } else {
            fprintf(out, ",\"ref\":{\"lat\":%.6f,\"lon\":%.6f}", c->ref_lat, c->ref_lon);
        }
        json_num(out, "claim_nm", c->m.nm, 3);
    }
    if (c->area == CA_CIRCLE)
        fprintf(out, ",\"area\":{\"lat\":%.6f,\"lon\":%.6f,\"radius_nm\":%.3f}", c->lat, c->lon,
                c->radius_nm);
    else if (c->area == CA_BBOX)
        fprintf(out, ",\"area\":{\"bbox\":[%.6f,%.6f,%.6f,%.6f]}", c->south, c->west, c->north,
                c->east);
    else if (c->area == CA_ZONE || c->area == CA_THEATRE) {
        fputs(",\"area\":", out);
        report_json_str(out, c->area == CA_ZONE ? c->zone : c->theatre);
    }
    if (!r) {
        fputc('}', out);
        return;
    }
    fputs(",\"verdict\":", out);
    report_json_str(out, claim_verdict_name(r->verdict));
    fputs(",\"measured\":{\"text\":", out);
    report_json_str(out, r->measured);
    if (c->kind == CLAIM_DISTANCE) {
        json_num(out, "nm", r->value, 3);
        json_num(out, "km", r->value * KM_PER_NM, 3);
        json_num(out, "closest_fix_nm", r->closest_fix_nm, 3);
        json_num(out, "uncertainty_nm", r->uncertainty_nm, 3);
    } else {
        json_num(out, "value", r->value, 0);
    }
    fputc('}', out);
    if (c->kind == CLAIM_DISTANCE) {
        fputs(",\"margin\":{", out);
        fputs("\"nm\":", out);
        if (isfinite(r->margin))
            fprintf(out, "%.3f,\"km\":%.3f}", r->margin, r->margin * KM_PER_NM);
        else
            fputs("null,\"km\":null}", out);
    } else {
        json_num(out, "margin", r->margin, 0);
    }
    if (c->kind == CLAIM_DISTANCE) {
        // The closest point of the path and the nearest point of the
        // reference to it: the line the measured distance runs along.
        if (isfinite(r->closest_lat) && isfinite(r->ref_near_lat))
            fprintf(out,
                    ",\"closest\":{\"lat\":%.6f,\"lon\":%.6f,\"ref_lat\":%.6f,\"ref_lon\":%.6f}",
                    r->closest_lat, r->closest_lon, r->ref_near_lat, r->ref_near_lon);
        else
            fputs(",\"closest\":null", out);
    }
    fputs(",\"fix_pair\":[", out);
    for (size_t i = 0; i < r->npair; i++) {
        if (i)
            fputc(',', out);
        json_fix(out, &r->pair[i]);
    }
    fputs("],\"evidence\":[", out);
    for (size_t i = 0; i < r->nevidence; i++) {
        if (i)
            fputc(',', out);
        json_fix(out, &r->evidence[i]);
    }
    fprintf(out, "],\"assets_total\":%zu,\"assets\":[", r->assets_total);
    for (size_t i = 0; i < r->nassets; i++) {
        const struct cc_asset *a = &r->assets[i];
        fprintf(out, "%s{\"id\":%" PRId64 ",\"name\":", i ? "," : "", a->a.id);
        report_json_str(out, a->a.name);
        fputs(",\"callsign\":", out);
        report_json_str(out, a->a.callsign);
        fputs(",\"category\":", out);
        report_json_str(out, a->a.category);
        fprintf(out,
                ",\"military\":%s,\"fixes\":%" PRIu64 ",\"fix\":", a->a.military ? "true" : "false",
                a->n_fixes);
        if (a->n_fixes)
            json_fix(out, &a->first);
        else
            fputs("null", out);
        fputc('}', out);
    }
    fputs("],\"coverage\":{\"sources\":[", out);
    for (size_t i = 0; i < r->nsources; i++) {
        if (i)
            fputc(',', out);
        report_json_str(out, r->sources[i]);
    }
    fputc(']', out);
    json_spans(out, "not_covered", r->uncovered, r->nuncovered);
    json_spans(out, "track_gaps", r->asset_gaps, r->nasset_gaps);
    json_time(out, "seen_first", r->seen_first_ms);
    json_time(out, "seen_last", r->seen_last_ms);
    fprintf(out, "},\"ais_gaps_nearby\":%" PRIu64 ",\"note\":", r->ais_gaps);
    report_json_str(out, r->note);
    fputc('}', out);
}

/* ---- Markdown ---- */

static void md_fix(FILE *out, const struct cc_fix *f)
{
    char t[32];
    rtime_format(f->t_ms, t, sizeof t);
    fprintf(out, "| %s | %s | %.4f, %.4f | ", t, f->asset, f->lat, f->lon);
    if (isfinite(f->d_nm))
        fprintf(out, "%.2f nm (%.2f km)", f->d_nm, f->d_nm * KM_PER_NM);
    fprintf(out, " | `%s` | %s |\n", f->raw[0] ? f->raw : "-", f->source);
}

void claim_out_markdown(FILE *out, const struct store_claim *sc, const struct claim *c,
                        const struct claim_result *r)
{
    char m[96], f[32], t[32];
    claim_format_measure(&c->m, c->kind, m, sizeof m);
    tfmt(sc->from_ms, f, sizeof f);
    tfmt(sc->to_ms, t, sizeof t);
    fprintf(out, "### Claim %" PRId64 " (%s)%s%s\n\n", sc->id, sc->kind, r ? ": " : "",
            r ? claim_verdict_name(r->verdict) : "");
    if (sc->text[0])
        fprintf(out, "> %s\n\n", sc->text);
    if (sc->claimant[0] || sc->source_url[0])
        fprintf(out, "Claimed by %s%s%s%s.\n\n",
                sc->claimant[0] ? sc->claimant : "an unnamed source",
                sc->source_url[0] ? " (<" : "", sc->source_url, sc->source_url[0] ? ">)" : "");
    fprintf(out, "Checked: %s%s%s, %s to %s.\n\n", c->asset[0] ? c->asset : "",
            c->asset[0] ? " " : "", m[0] ? m : sc->kind, f, t);
    if (!r)
        return;
    fprintf(out, "**Verdict: %s.** Measured: %s.", claim_verdict_name(r->verdict), r->measured);
    if (c->kind == CLAIM_DISTANCE && isfinite(r->margin))
        fprintf(out, " Margin: %+.2f nm (%+.2f km) in the claim's favour.", r->margin,
                r->margin * KM_PER_NM);
    fputs("\n\n", out);
    if (r->note[0])
        fprintf(out, "%s\n\n", r->note);
    bool head = false;
    const struct cc_fix *rows[CC_MAX_ASSETS + 16];
    size_t nrows = 0;
    for (size_t i = 0; i < r->npair; i++)
        rows[nrows++] = &r->pair[i];
    for (size_t i = 0; i < r->nevidence; i++)
        rows[nrows++] = &r->evidence[i];
    for (size_t i = 0; i < r->nassets && nrows < sizeof rows / sizeof rows[0]; i++)
        if (r->assets[i].n_fixes)
            rows[nrows++] = &r->assets[i].first;
    for (size_t i = 0; i < nrows; i++) {
        if (!head)
            fputs("| time (UTC) | asset | position | distance | raw message | source |\n"
                  "|---|---|---|---|---|---|\n",
                  out),
                head = true;
        md_fix(out, rows[i]);
    }
    if (head)
        fputc('\n', out);
    fprintf(out, "Coverage: %zu source%s", r->nsources, r->nsources == 1 ? "" : "s");
    for (size_t i = 0; i < r->nsources; i++)
        fprintf(out, "%s%s", i ? ", " : " (", r->sources[i]);
    fprintf(out, "%s", r->nsources ? ")" : "");
    for (size_t i = 0; i < r->nuncovered; i++) {
        rtime_format(r->uncovered[i].from_ms, f, sizeof f);
        rtime_format(r->uncovered[i].to_ms, t, sizeof t);
        fprintf(out, "; not covered %s to %s", f, t);
    }
    fputs(".\n\n", out);
}

/* ---- the API's JSON ---- */

struct api_ctx {
    struct store *s;
    FILE *out;
    size_t n;
    int rc;
    char *err;
    size_t errlen;
    struct claim_result *r;
};

static int api_cb(void *ctx, const struct store_claim *sc)
{
    struct api_ctx *x = ctx;
    struct claim c;
    if (claim_parse_spec(sc->spec, &c, x->err, x->errlen) ||
        claim_check(x->s, &c, x->r, x->err, x->errlen)) {
        x->rc = ORBAT_E_FORMAT;
        return 1;
    }
    if (x->n++)
        fputc(',', x->out);
    claim_out_json(x->out, sc, &c, x->r);
    return 0;
}

int claim_api_json(struct store *s, int64_t id, FILE *out, char *err, size_t errlen)
{
    struct api_ctx x = {.s = s, .out = out, .err = err, .errlen = errlen};
    if (!(x.r = malloc(sizeof *x.r))) {
        snprintf(err, errlen, "out of memory");
        return ORBAT_E_NOMEM;
    }
    if (!id)
        fputs("{\"claims\":[", out);
    int rc = store_claims(s, id, api_cb, &x);
    free(x.r);
    if (x.rc)
        return x.rc;
    if (rc) {
        snprintf(err, errlen, "%s", store_errmsg(s));
        return rc;
    }
    if (id && !x.n) {
        snprintf(err, errlen, "no claim %lld", (long long)id);
        return ORBAT_E_NOTFOUND;
    }
    fputs(id ? "\n" : "]}\n", out);
    return ORBAT_OK;
}
