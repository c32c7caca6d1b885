/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report_export.c - tracks, last positions, events and sightings for GIS
 * tools: GeoJSON (RFC 7946: FeatureCollection, [lon, lat] order, null
 * geometry for unlocated events), KML 2.2 (OGC 07-147r2: one Folder per
 * asset with its track LineString and last-position Point, then Events and
 * Sightings folders) and CSV (RFC 4180, one row per point). Observations are
 * streamed asset by asset; only one asset's track is held in memory.
 *
 * Simulated data (sources from orbat simulate) is labelled in every format
 * so that a shared file carries it: GeoJSON top-level "simulated_sources",
 * "sources", "notice" and a "simulated" property on every feature; KML the
 * document name and description and a "simulated" Data item; CSV a
 * `simulated` column (always present). Track features are labelled from
 * the sources of their own points; events and sightings from the store as
 * a whole (null when it mixes real and simulated sources). CSV `source`
 * holds the file name without directories (see share_name).
 */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/rtime.h"

struct pt {
    int64_t t_ms;
    double lat, lon;
    int32_t alt_ft;
};

struct export_ctx {
    struct store *s;
    FILE *out;
    enum report_format f;
    bool all;
    int err;
    size_t nfeat;  /* GeoJSON features written (for commas) */
    int64_t cur;   /* asset whose points are buffered */
    bool cur_skip; /* current asset is filtered out */
    struct store_asset asset;
    struct pt *pts;
    size_t npts, cap;
    struct report_sim sim; /* simulated sources: every feature says whether it is */
    int cur_sim;           /* current asset's points: 1 any simulated, 0 none, -1 unknown */
};

/* Does the store hold simulated data at all? Then every feature is labelled. */
static bool sim_label(const struct export_ctx *c)
{
    return c->sim.simulated != 0;
}

static void gj_begin_feature(struct export_ctx *c)
{
    fputs(c->nfeat++ ? ",\n{\"type\":\"Feature\"," : "\n{\"type\":\"Feature\",", c->out);
}

static void gj_asset_props(struct export_ctx *c, const char *feature, int simulated)
{
    fprintf(c->out, "\"properties\":{\"feature\":\"%s\",", feature);
    report_json_asset_fields(c->out, &c->asset);
    fprintf(c->out, ",\"confidence\":%.2f", c->asset.confidence);
    if (sim_label(c))
        fprintf(c->out, ",\"simulated\":%s", report_sim_json(simulated));
}

static void kml_data(FILE *out, const char *name, const char *value)
{
    fprintf(out, "<Data name=\"%s\"><value>", name);
    report_xml_str(out, value);
    fputs("</value></Data>", out);
}

static void kml_asset_data(struct export_ctx *c, int simulated)
{
    char id[16], conf[16];
    report_asset_ident(&c->asset, id, sizeof id);
    snprintf(conf, sizeof conf, "%.2f", c->asset.confidence);
    fputs("<ExtendedData>", c->out);
    kml_data(c->out, "id", id);
    kml_data(c->out, "kind", report_kind_name(c->asset.kind));
    kml_data(c->out, "hull", c->asset.hull);
    kml_data(c->out, "country", c->asset.country);
    kml_data(c->out, "category", c->asset.category);
    kml_data(c->out, "role", c->asset.role);
    kml_data(c->out, "confidence", conf);
    if (sim_label(c))
        kml_data(c->out, "simulated", report_sim_json(simulated));
    fputs("</ExtendedData>", c->out);
}

/* Write the buffered track of the current asset and its last position. */
static void flush_track(struct export_ctx *c)
{
    if (!c->npts || c->cur_skip) {
        c->npts = 0;
        return;
    }
    FILE *out = c->out;
    const struct pt *last = &c->pts[c->npts - 1];
    char t1[32], t2[32], lb[16];
    rtime_format(c->pts[0].t_ms, t1, sizeof t1);
    rtime_format(last->t_ms, t2, sizeof t2);
    const char *label = report_asset_label(&c->asset, lb, sizeof lb);
    if (c->f == RFMT_GEOJSON) {
        if (c->npts >= 2) {
            gj_begin_feature(c);
            fputs("\"geometry\":{\"type\":\"LineString\",\"coordinates\":[", out);
            for (size_t i = 0; i < c->npts; i++)
                fprintf(out, "%s[%.6f,%.6f]", i ? "," : "", c->pts[i].lon, c->pts[i].lat);
            fputs("]},", out);
            gj_asset_props(c, "track", c->cur_sim);
            fprintf(out, ",\"start\":\"%s\",\"end\":\"%s\",\"points\":%zu}}", t1, t2, c->npts);
        }
        gj_begin_feature(c);
        fprintf(out, "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]},", last->lon,
                last->lat);
        gj_asset_props(c, "last_position", c->cur_sim);
        fprintf(out, ",\"time\":\"%s\"", t2);
        if (last->alt_ft != INT32_MIN)
            fprintf(out, ",\"alt_ft\":%d", last->alt_ft);
        fputs("}}", out);
    } else if (c->f == RFMT_KML) {
        fputs("<Folder><name>", out);
        report_xml_str(out, label);
        fputs("</name>\n", out);
        if (c->npts >= 2) {
            fputs("<Placemark><name>", out);
            report_xml_str(out, label);
            fprintf(out,
                    " track</name><TimeSpan><begin>%s</begin><end>%s</end></TimeSpan>"
                    "<styleUrl>#track</styleUrl>",
                    t1, t2);
            kml_asset_data(c, c->cur_sim);
            fputs("<LineString><tessellate>1</tessellate><coordinates>", out);
            for (size_t i = 0; i < c->npts; i++)
                fprintf(out, "%s%.6f,%.6f,0", i ? " " : "", c->pts[i].lon, c->pts[i].lat);
            fputs("</coordinates></LineString></Placemark>\n", out);
        }
        fputs("<Placemark><name>", out);
        report_xml_str(out, label);
        fprintf(out,
                "</name><description>last seen %s</description><TimeStamp><when>%s</when>"
                "</TimeStamp><styleUrl>#last</styleUrl>",
                t2, t2);
        kml_asset_data(c, c->cur_sim);
        fprintf(out,
                "<Point><coordinates>%.6f,%.6f,0</coordinates></Point></Placemark>\n"
                "</Folder>\n",
                last->lon, last->lat);
    }
    c->npts = 0;
}

/* The CSV `simulated` column (last): true, false, or empty when unknown. */
static void csv_sim(FILE *out, int simulated)
{
    fprintf(out, ",%s\n", simulated > 0 ? "true" : simulated == 0 ? "false" : "");
}

/* A source as shared in an export: its file name without the directories it
 * was read from (which would show the analyst's file system); the full
 * name and SHA-256 stay in the store (`orbat db sources`, /api/sources). */
static const char *share_name(const char *source)
{
    if (!source)
        return NULL;
    const char *b = strrchr(source, '/');
    return b && b[1] ? b + 1 : source;
}

static void csv_asset_cols(FILE *out, const char *feature, const struct store_asset *a)
{
    char id[16], lb[16];
    report_asset_ident(a, id, sizeof id);
    fprintf(out, "%s,%lld,", feature, (long long)a->id);
    report_csv_str(out, report_asset_label(a, lb, sizeof lb));
    fprintf(out, ",%s,", id);
    report_csv_str(out, a->category);
    fputc(',', out);
    report_csv_str(out, a->role);
}

static int export_obs_cb(void *ctx, const struct store_obs_row *r)
{
    struct export_ctx *c = ctx;
    if (r->obs.asset_id != c->cur) {
        flush_track(c);
        c->cur = r->obs.asset_id;
        int rc = store_asset_get(c->s, c->cur, &c->asset);
        if (rc && rc != ORBAT_E_NOTFOUND) {
            c->err = rc;
            return rc;
        }
        c->cur_skip = rc == ORBAT_E_NOTFOUND || (!c->all && !c->asset.military);
        c->cur_sim = 0;
    }
    if (c->cur_skip)
        return 0;
    int ps = report_sim_source(&c->sim, r->obs.source_id);
    if (ps != 0 && c->cur_sim != 1)
        c->cur_sim = ps;
    if (c->f == RFMT_CSV) {
        char t[32];
        rtime_format(r->obs.t_ms, t, sizeof t);
        csv_asset_cols(c->out, "track_point", &c->asset);
        fprintf(c->out, ",%s,%.6f,%.6f,", t, r->obs.lat, r->obs.lon);
        if (!isnan(r->obs.sog_kn))
            fprintf(c->out, "%.1f", r->obs.sog_kn);
        fputc(',', c->out);
        if (!isnan(r->obs.cog_deg))
            fprintf(c->out, "%.1f", r->obs.cog_deg);
        fputc(',', c->out);
        if (r->obs.alt_ft != INT32_MIN)
            fprintf(c->out, "%d", r->obs.alt_ft);
        fputc(',', c->out);
        report_csv_str(c->out, r->obs.theatre);
        fputc(',', c->out);
        report_csv_str(c->out, share_name(r->source));
        fprintf(c->out, ",%llu,", (unsigned long long)r->raw_offset);
        csv_sim(c->out, ps);
        return 0;
    }
    if (c->npts == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        struct pt *n = realloc(c->pts, cap * sizeof *n);
        if (!n) {
            c->err = ORBAT_E_NOMEM;
            return c->err;
        }
        c->pts = n;
        c->cap = cap;
    }
    c->pts[c->npts++] = (struct pt){r->obs.t_ms, r->obs.lat, r->obs.lon, r->obs.alt_ft};
    return 0;
}

static int export_event_cb(void *ctx, const struct store_event *e, const struct store_asset *a)
{
    struct export_ctx *c = ctx;
    if (!c->all && !a->military)
        return 0;
    char t[32], lb[16];
    rtime_format(e->t_ms, t, sizeof t);
    const char *label = report_asset_label(a, lb, sizeof lb);
    bool located = !isnan(e->lat) && !isnan(e->lon);
    if (c->f == RFMT_GEOJSON) {
        c->asset = *a;
        gj_begin_feature(c);
        if (located)
            fprintf(c->out, "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]},",
                    e->lon, e->lat);
        else
            fputs("\"geometry\":null,", c->out);
        gj_asset_props(c, "event", report_sim_all(&c->sim));
        fprintf(c->out, ",\"time\":\"%s\",\"type\":", t);
        report_json_str(c->out, e->type);
        fputs(",\"theatre\":", c->out);
        report_json_str(c->out, e->theatre);
        fputs(",\"detail\":", c->out);
        report_json_str(c->out, e->detail);
        fputs("}}", c->out);
    } else if (c->f == RFMT_KML) {
        if (!located) // KML has no unlocated placemark worth showing
            return 0;
        fputs("<Placemark><name>", c->out);
        report_xml_str(c->out, e->type);
        fputs(": ", c->out);
        report_xml_str(c->out, label);
        fputs("</name><description>", c->out);
        report_xml_str(c->out, e->detail);
        fprintf(c->out,
                "</description><TimeStamp><when>%s</when></TimeStamp>"
                "<styleUrl>#event</styleUrl><Point><coordinates>%.6f,%.6f,0"
                "</coordinates></Point></Placemark>\n",
                t, e->lon, e->lat);
    } else {
        csv_asset_cols(c->out, "event", a);
        fprintf(c->out, ",%s,", t);
        if (located)
            fprintf(c->out, "%.6f,%.6f", e->lat, e->lon);
        else
            fputc(',', c->out);
        fputs(",,,,", c->out);
        report_csv_str(c->out, e->theatre);
        fputs(",,,", c->out);
        report_csv_str(c->out, e->type);
        fputs(e->detail[0] ? ": " : "", c->out);
        report_csv_str(c->out, e->detail);
        csv_sim(c->out, report_sim_all(&c->sim));
    }
    return 0;
}

static int export_sighting_cb(void *ctx, const struct store_sighting *sg)
{
    struct export_ctx *c = ctx;
    char t[32];
    rtime_format(sg->t_ms, t, sizeof t);
    if (c->f == RFMT_GEOJSON) {
        gj_begin_feature(c);
        fprintf(c->out,
                "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]},"
                "\"properties\":{\"feature\":\"sighting\",\"asset_id\":%lld,\"name\":",
                sg->lon, sg->lat, (long long)sg->asset_id);
        report_json_str(c->out, sg->name);
        fprintf(c->out, ",\"time\":\"%s\",\"confidence\":%.2f,\"source\":", t, sg->confidence);
        report_json_str(c->out, sg->source_url);
        fputs(",\"note\":", c->out);
        report_json_str(c->out, sg->note);
        if (sim_label(c))
            fprintf(c->out, ",\"simulated\":%s", report_sim_json(report_sim_all(&c->sim)));
        fputs("}}", c->out);
    } else if (c->f == RFMT_KML) {
        fputs("<Placemark><name>", c->out);
        report_xml_str(c->out, sg->name);
        fputs(" (sighting)</name><description>", c->out);
        report_xml_str(c->out, sg->note);
        fputs(" Source: ", c->out);
        report_xml_str(c->out, sg->source_url);
        fprintf(c->out,
                "</description><TimeStamp><when>%s</when></TimeStamp>"
                "<styleUrl>#sighting</styleUrl><Point><coordinates>%.6f,%.6f,0"
                "</coordinates></Point></Placemark>\n",
                t, sg->lon, sg->lat);
    } else {
        fprintf(c->out, "sighting,%lld,", (long long)sg->asset_id);
        report_csv_str(c->out, sg->name);
        fputs(",-,", c->out);
        report_csv_str(c->out, sg->category);
        fputc(',', c->out);
        report_csv_str(c->out, sg->role);
        fprintf(c->out, ",%s,%.6f,%.6f,,,,", t, sg->lat, sg->lon);
        report_csv_str(c->out, sg->theatre);
        fputc(',', c->out);
        report_csv_str(c->out, sg->source_url);
        fputs(",,", c->out);
        report_csv_str(c->out, sg->note);
        csv_sim(c->out, report_sim_all(&c->sim));
    }
    return 0;
}

/* The ids of the assets in the order of battle with observations in the
 * range (from the presence summary). */
struct id_list {
    int64_t *v;
    size_t n, cap;
};

static int collect_id(void *ctx, const struct store_presence *p)
{
    struct id_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        int64_t *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return ORBAT_E_NOMEM;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = p->asset.id;
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The tracks: every asset's observations (--all), or only those of the
 * order of battle's assets, asset by asset in id order (the order of the
 * all-assets query), so that the other assets' observations are not read. */
static int export_tracks(struct store *s, int64_t from_ms, int64_t to_ms, struct export_ctx *c)
{
    if (c->all)
        return store_observations(s, 0, from_ms, to_ms, export_obs_cb, c);
    struct id_list ids = {NULL, 0, 0};
    int rc = store_presence(s, "*", from_ms, to_ms, true, collect_id, &ids);
    if (!rc && ids.n)
        qsort(ids.v, ids.n, sizeof *ids.v, cmp_id);
    for (size_t i = 0; !rc && !c->err && i < ids.n; i++)
        rc = store_observations(s, ids.v[i], from_ms, to_ms, export_obs_cb, c);
    free(ids.v);
    return rc;
}

int report_export_write(struct store *s, int64_t from_ms, int64_t to_ms, bool all,
                        enum report_format f, FILE *out)
{
    if (f != RFMT_GEOJSON && f != RFMT_KML && f != RFMT_CSV)
        return ORBAT_E_INVAL;
    struct export_ctx c = {.s = s, .out = out, .f = f, .all = all, .cur = -1};
    int rc = report_sim_load(s, &c.sim);
    if (rc)
        return rc;
    if (f == RFMT_GEOJSON) {
        fputs("{\"type\":\"FeatureCollection\"", out);
        report_sim_json_members(out, &c.sim);
        fputs(",\"features\":[", out);
    } else if (f == RFMT_KML) {
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n",
              out);
        if (c.sim.simulated)
            fprintf(out,
                    "<name>orbat export - SIMULATED DATA</name>\n<description>SIMULATED DATA: "
                    "%llu of %llu sources are simulations (orbat simulate), not real "
                    "broadcasts</description>\n",
                    (unsigned long long)c.sim.simulated, (unsigned long long)c.sim.sources);
        else
            fputs("<name>orbat export</name>\n", out);
        fputs("<Style id=\"track\"><LineStyle><color>ffb27200</color><width>2</width>"
              "</LineStyle></Style>\n"
              "<Style id=\"last\"><IconStyle><scale>1.1</scale></IconStyle></Style>\n"
              "<Style id=\"event\"><IconStyle><color>ff005ed5</color></IconStyle></Style>\n"
              "<Style id=\"sighting\"><IconStyle><color>ff73b2e6</color></IconStyle></Style>\n"
              "<Folder><name>Tracks and last positions</name>\n",
              out);
    } else {
        fputs("feature,asset_id,name,id,category,role,time,lat,lon,sog_kn,cog_deg,alt_ft,"
              "theatre,source,offset,detail,simulated\n",
              out);
    }
    rc = export_tracks(s, from_ms, to_ms, &c);
    if (!rc && !c.err)
        flush_track(&c);
    if (!rc && !c.err && f == RFMT_KML)
        fputs("</Folder>\n<Folder><name>Events</name>\n", out);
    if (!rc && !c.err)
        rc = store_events(s, "", from_ms, to_ms, export_event_cb, &c);
    if (!rc && !c.err && f == RFMT_KML)
        fputs("</Folder>\n<Folder><name>Sightings</name>\n", out);
    if (!rc && !c.err)
        rc = store_sightings(s, "", from_ms, to_ms, export_sighting_cb, &c);
    free(c.pts);
    if (c.err)
        return c.err;
    if (rc)
        return rc;
    if (f == RFMT_GEOJSON)
        fputs("\n]}\n", out);
    else if (f == RFMT_KML)
        fputs("</Folder>\n</Document>\n</kml>\n", out);
    return ferror(out) ? ORBAT_E_IO : ORBAT_OK;
}
