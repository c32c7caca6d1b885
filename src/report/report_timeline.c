/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report_timeline.c - assets present per day by category, as a table
 * (or json / markdown / csv) and as a stacked-bar SVG 1.1 chart written
 * directly (no library). Days are UTC. Transponder presence comes from the
 * store's per-day summary; assets known only from manual sightings are
 * added on the days they were sighted. See report.h.
 */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/rtime.h"

#define TL_MAX_CATS 24
#define TL_MAX_DAYS 3700 /* ten years */

struct timeline {
    int64_t day0;
    size_t ndays;
    size_t ncats;
    char cats[TL_MAX_CATS][32];
    uint64_t *counts;      /* ndays x TL_MAX_CATS */
    int64_t (*sighted)[2]; /* (day, asset id) pairs already counted */
    size_t nsighted, capsighted;
    struct store *s;
    int err;
};

static size_t tl_cat(struct timeline *t, const char *cat)
{
    if (!cat || !*cat)
        cat = "unclassified";
    for (size_t i = 0; i < t->ncats; i++)
        if (!strcmp(t->cats[i], cat))
            return i;
    if (t->ncats == TL_MAX_CATS) // fold the overflow into the last column
        return TL_MAX_CATS - 1;
    store_strlcpy(t->cats[t->ncats], cat, sizeof t->cats[0]);
    return t->ncats++;
}

static int tl_day_cb(void *ctx, const struct store_day_count *d)
{
    struct timeline *t = ctx;
    if (d->day < t->day0 || d->day >= t->day0 + (int64_t)t->ndays)
        return 0;
    size_t c = tl_cat(t, d->category);
    t->counts[(size_t)(d->day - t->day0) * TL_MAX_CATS + c] += d->assets;
    return 0;
}

static int tl_sighting_cb(void *ctx, const struct store_sighting *sg)
{
    struct timeline *t = ctx;
    int64_t day = sg->t_ms / STORE_DAY_MS;
    if (day < t->day0 || day >= t->day0 + (int64_t)t->ndays)
        return 0;
    struct store_asset a;
    int rc = store_asset_get(t->s, sg->asset_id, &a);
    if (rc == ORBAT_E_NOTFOUND)
        return 0;
    if (rc) {
        t->err = rc;
        return rc;
    }
    // An asset with a transponder is already counted on the days it was
    // heard; only assets known solely from sightings are added here.
    if (a.kind != STORE_SIGHTED)
        return 0;
    for (size_t i = 0; i < t->nsighted; i++)
        if (t->sighted[i][0] == day && t->sighted[i][1] == a.id)
            return 0;
    if (t->nsighted == t->capsighted) {
        size_t cap = t->capsighted ? t->capsighted * 2 : 16;
        int64_t(*n)[2] = realloc(t->sighted, cap * sizeof *n);
        if (!n) {
            t->err = ORBAT_E_NOMEM;
            return t->err;
        }
        t->sighted = n;
        t->capsighted = cap;
    }
    t->sighted[t->nsighted][0] = day;
    t->sighted[t->nsighted][1] = a.id;
    t->nsighted++;
    size_t c = tl_cat(t, a.category[0] ? a.category : sg->category);
    t->counts[(size_t)(day - t->day0) * TL_MAX_CATS + c]++;
    return 0;
}

/* Put the categories in report order (warships at the bottom of the bars,
 * civil traffic on top), moving their columns along. */
static void tl_sort_categories(struct timeline *t)
{
    for (size_t i = 1; i < t->ncats; i++) {
        for (size_t j = i; j > 0; j--) {
            int ra = report_category_rank(t->cats[j - 1]), rb = report_category_rank(t->cats[j]);
            if (ra < rb || (ra == rb && strcmp(t->cats[j - 1], t->cats[j]) <= 0))
                break;
            char tmp[sizeof t->cats[0]];
            memcpy(tmp, t->cats[j - 1], sizeof tmp);
            memcpy(t->cats[j - 1], t->cats[j], sizeof tmp);
            memcpy(t->cats[j], tmp, sizeof tmp);
            for (size_t d = 0; d < t->ndays; d++) {
                uint64_t *row = t->counts + d * TL_MAX_CATS;
                uint64_t v = row[j - 1];
                row[j - 1] = row[j];
                row[j] = v;
            }
        }
    }
}

static uint64_t tl_total(const struct timeline *t, size_t d)
{
    uint64_t n = 0;
    for (size_t c = 0; c < t->ncats; c++)
        n += t->counts[d * TL_MAX_CATS + c];
    return n;
}

/* Colours per category family, chosen to stay distinct for colour-blind
 * readers (Okabe-Ito palette). */
static const char *tl_colour(const char *cat, size_t i)
{
    static const char *const spare[] = {"#E69F00", "#56B4E9", "#F0E442", "#CC79A7", "#999999"};
    if (strstr(cat, "warship") || strstr(cat, "naval"))
        return "#0072B2";
    if (strstr(cat, "military"))
        return "#D55E00";
    if (strstr(cat, "law") || strstr(cat, "coast") || strstr(cat, "police"))
        return "#009E73";
    if (strstr(cat, "gov"))
        return "#CC79A7";
    if (strstr(cat, "civil"))
        return "#BBBBBB";
    return spare[i % (sizeof spare / sizeof spare[0])];
}

/* A "nice" axis maximum (1, 2, 5 x 10^k) at or above v, and its tick step. */
static void tl_axis(uint64_t v, uint64_t *max, uint64_t *step)
{
    if (v < 1)
        v = 1;
    uint64_t p = 1;
    while (p * 10 <= v)
        p *= 10;
    static const unsigned mult[] = {1, 2, 5, 10};
    for (size_t i = 0; i < 4; i++)
        if (mult[i] * p >= v) {
            *max = mult[i] * p;
            break;
        }
    *step = *max / 5 ? *max / 5 : 1;
    if (*max <= 5)
        *step = 1;
    *max = (v + *step - 1) / *step * *step;
}

static void tl_svg(const struct timeline *t, const char *theatre, uint64_t simulated, FILE *svg)
{
    const double W = 960, H = 480, ml = 64, mr = 200, mt = 64, mb = 64;
    const double pw = W - ml - mr, ph = H - mt - mb;
    uint64_t peak = 0;
    for (size_t d = 0; d < t->ndays; d++) {
        uint64_t n = tl_total(t, d);
        if (n > peak)
            peak = n;
    }
    uint64_t ymax, ystep;
    tl_axis(peak, &ymax, &ystep);
    char d1[16], d2[16];
    rtime_format_day(t->day0 * STORE_DAY_MS, d1, sizeof d1);
    rtime_format_day((t->day0 + (int64_t)t->ndays - 1) * STORE_DAY_MS, d2, sizeof d2);

    fprintf(svg,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial, "
            "sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
            W, H, W, H);
    fputs("<text x=\"64\" y=\"30\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">"
          "Assets present per day",
          svg);
    if (strcmp(theatre, "*")) {
        fputs(" in ", svg);
        report_xml_str(svg, theatre);
    }
    fprintf(svg,
            "</text>\n<text x=\"64\" y=\"50\" font-size=\"12\" fill=\"#666\">%s to %s (UTC), "
            "by category; peak %llu</text>\n",
            d1, d2, (unsigned long long)peak);
    if (simulated)
        fputs("<text x=\"896\" y=\"30\" text-anchor=\"end\" font-size=\"14\" "
              "font-weight=\"bold\" fill=\"#c0392b\">SIMULATED DATA - not real broadcasts"
              "</text>\n",
              svg);
    // Grid and y axis.
    for (uint64_t y = 0; y <= ymax; y += ystep) {
        double py = mt + ph - ph * (double)y / (double)ymax;
        fprintf(svg,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"1\"/>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                "text-anchor=\"end\" fill=\"#444\">%llu</text>\n",
                ml, py, ml + pw, py, y ? "#e4e4e4" : "#888", ml - 8, py + 4, (unsigned long long)y);
    }
    fprintf(svg,
            "<text transform=\"translate(18 %.1f) rotate(-90)\" font-size=\"12\" "
            "text-anchor=\"middle\" fill=\"#444\">assets</text>\n",
            mt + ph / 2);
    // Bars.
    double slot = pw / (double)t->ndays;
    double bw = slot * 0.78;
    if (bw > 48)
        bw = 48;
    for (size_t d = 0; d < t->ndays; d++) {
        double x = ml + slot * (double)d + (slot - bw) / 2;
        double base = mt + ph;
        char day[16];
        rtime_format_day((t->day0 + (int64_t)d) * STORE_DAY_MS, day, sizeof day);
        for (size_t c = 0; c < t->ncats; c++) {
            uint64_t n = t->counts[d * TL_MAX_CATS + c];
            if (!n)
                continue;
            double h = ph * (double)n / (double)ymax;
            base -= h;
            fprintf(svg,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\" "
                    "stroke=\"#ffffff\" stroke-width=\"0.6\">"
                    "<title>%s: %llu ",
                    x, base, bw, h, tl_colour(t->cats[c], c), day, (unsigned long long)n);
            report_xml_str(svg, t->cats[c]);
            fputs("</title></rect>\n", svg);
        }
        uint64_t tot = tl_total(t, d);
        if (tot && bw >= 14)
            fprintf(svg,
                    "<text x=\"%.2f\" y=\"%.2f\" font-size=\"10\" text-anchor=\"middle\" "
                    "fill=\"#333\">%llu</text>\n",
                    x + bw / 2, base - 4, (unsigned long long)tot);
    }
    // X labels: at most one per 64 px.
    size_t every = (size_t)ceil(64.0 / slot);
    if (every < 1)
        every = 1;
    for (size_t d = 0; d < t->ndays; d += every) {
        char day[16];
        rtime_format_day((t->day0 + (int64_t)d) * STORE_DAY_MS, day, sizeof day);
        double x = ml + slot * ((double)d + 0.5);
        fprintf(svg,
                "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#888\"/>\n"
                "<text x=\"%.2f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" "
                "fill=\"#444\">%s</text>\n",
                x, mt + ph, x, mt + ph + 4, x, mt + ph + 18, day + 5);
    }
    fprintf(svg,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
            "fill=\"#444\">day (MM-DD, UTC)</text>\n",
            ml + pw / 2, H - 18);
    // Legend.
    double lx = ml + pw + 24, ly = mt + 4;
    fprintf(svg,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"bold\" "
            "fill=\"#222\">category</text>\n",
            lx, ly);
    for (size_t c = 0; c < t->ncats; c++) {
        double y = ly + 14 + 22 * (double)c;
        fprintf(svg,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#222\">",
                lx, y, tl_colour(t->cats[c], c), lx + 20, y + 11);
        report_xml_str(svg, t->cats[c]);
        fputs("</text>\n", svg);
    }
    if (!t->ncats)
        fprintf(svg,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" text-anchor=\"middle\" "
                "fill=\"#888\">no assets in this period</text>\n",
                ml + pw / 2, mt + ph / 2);
    fputs("</svg>\n", svg);
}

int report_timeline_write(struct store *s, const struct report_opts *opts, int64_t from_ms,
                          int64_t to_ms, enum report_format f, FILE *out, FILE *svg)
{
    if (to_ms < from_ms)
        return ORBAT_E_INVAL;
    // Far outside the times orbat handles, the day arithmetic below would
    // overflow.
    if (from_ms < -RTIME_MAX_MS || to_ms > RTIME_MAX_MS)
        return ORBAT_E_RANGE;
    struct timeline t;
    memset(&t, 0, sizeof t);
    t.s = s;
    t.day0 = from_ms / STORE_DAY_MS;
    int64_t nd = to_ms / STORE_DAY_MS - t.day0 + 1;
    if (nd > TL_MAX_DAYS)
        return ORBAT_E_RANGE;
    t.ndays = (size_t)nd;
    t.counts = calloc(t.ndays * TL_MAX_CATS, sizeof *t.counts);
    if (!t.counts)
        return ORBAT_E_NOMEM;
    const char *theatre = opts->theatre && *opts->theatre ? opts->theatre : "*";
    int rc = store_timeline(s, theatre, from_ms, to_ms, !opts->all, tl_day_cb, &t);
    if (!rc)
        rc = store_sightings(s, theatre, t.day0 * STORE_DAY_MS, (t.day0 + nd) * STORE_DAY_MS - 1,
                             tl_sighting_cb, &t);
    if (t.err)
        rc = t.err;
    if (rc)
        goto done;
    tl_sort_categories(&t);
    // Label every output of simulated data (orbat simulate) as such.
    struct store_counts sc;
    memset(&sc, 0, sizeof sc);
    if ((rc = store_source_counts(s, &sc.sources, &sc.simulated_sources)) != ORBAT_OK)
        goto done;
    if (f == RFMT_JSON) {
        fputs("{\"theatre\":", out);
        report_json_str(out, theatre);
        fprintf(out, ",\"simulated_sources\":%llu", (unsigned long long)sc.simulated_sources);
        fputs(",\"days\":[", out);
        for (size_t d = 0; d < t.ndays; d++) {
            char day[16];
            rtime_format_day((t.day0 + (int64_t)d) * STORE_DAY_MS, day, sizeof day);
            fprintf(out, "%s{\"day\":\"%s\",\"total\":%llu,\"by_category\":{", d ? ",\n" : "\n",
                    day, (unsigned long long)tl_total(&t, d));
            for (size_t c = 0; c < t.ncats; c++) {
                fputs(c ? "," : "", out);
                report_json_str(out, t.cats[c]);
                fprintf(out, ":%llu", (unsigned long long)t.counts[d * TL_MAX_CATS + c]);
            }
            fputs("}}", out);
        }
        fputs("]}\n", out);
    } else if (f == RFMT_CSV || f == RFMT_TABLE || f == RFMT_MARKDOWN) {
        const char *sep = f == RFMT_CSV ? "," : f == RFMT_MARKDOWN ? " | " : "  ";
        if (f != RFMT_CSV)
            report_simulated_notice(out, sc.simulated_sources, sc.sources, f == RFMT_MARKDOWN);
        if (f == RFMT_MARKDOWN)
            fputs("| ", out);
        fprintf(out, f == RFMT_TABLE ? "%-10s" : "%s", "day");
        for (size_t c = 0; c < t.ncats; c++) {
            fputs(sep, out);
            if (f == RFMT_CSV)
                report_csv_str(out, t.cats[c]);
            else
                fprintf(out, "%s", t.cats[c]);
        }
        fprintf(out, "%stotal%s\n", sep, f == RFMT_MARKDOWN ? " |" : "");
        if (f == RFMT_MARKDOWN) {
            for (size_t c = 0; c <= t.ncats + 1; c++)
                fputs("|---", out);
            fputs("|\n", out);
        }
        for (size_t d = 0; d < t.ndays; d++) {
            char day[16];
            rtime_format_day((t.day0 + (int64_t)d) * STORE_DAY_MS, day, sizeof day);
            fprintf(out, "%s%s", f == RFMT_MARKDOWN ? "| " : "", day);
            for (size_t c = 0; c < t.ncats; c++) {
                int w = f == RFMT_TABLE ? (int)strlen(t.cats[c]) : 0;
                fprintf(out, "%s%*llu", sep, w, (unsigned long long)t.counts[d * TL_MAX_CATS + c]);
            }
            fprintf(out, "%s%*llu%s\n", sep, f == RFMT_TABLE ? 5 : 0,
                    (unsigned long long)tl_total(&t, d), f == RFMT_MARKDOWN ? " |" : "");
        }
    } else {
        rc = ORBAT_E_INVAL;
        goto done;
    }
    if (svg)
        tl_svg(&t, theatre, sc.simulated_sources, svg);
    if (ferror(out) || (svg && ferror(svg)))
        rc = ORBAT_E_IO;
done:
    free(t.counts);
    free(t.sighted);
    return rc;
}
