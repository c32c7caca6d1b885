/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_track.c - `orbat track`: replay AIS / Mode S input (files or stdin,
 * any framing the pipeline detects) through the tracker and the events
 * engine against a theatre, and print the events as JSON lines or a table.
 * Time comes from the data, so a replay gives what the live feed gave.
 */
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/store_cli.h"
#include "core/pipeline.h"
#include "events/events.h"
#include "geo/theatre.h"
#include "util/outbuf.h"

static const char track_usage[] =
    "usage: orbat track [--theatre NAME|FILE] [--format jsonl|table] [--points] [--stats]\n"
    "                   [--input KIND] [--start TIME] [--set KEY=VALUE ...] [FILE ...]\n"
    "\n"
    "Replay AIS (NMEA) and Mode S / ADS-B (Beast, AVR, SBS) input through the\n"
    "tracker and print events: first_seen, last_seen, enter, leave, approach,\n"
    "ais_gap, dark, loiter, encounter, arrival, departure, orbit (docs/events.md).\n"
    "Times come from the data. FILEs are read in the order given (give them in\n"
    "time order); they may be gzip-compressed; with no FILE, or '-', read stdin.\n"
    "\n"
    "  -t, --theatre T   a theatre name (data/theatres/T.json; default caribbean),\n"
    "                    a theatre .json or a GeoJSON file; 'none' for no theatre\n"
    "  -f, --format F    jsonl (default) or table\n"
    "      --points      also print the thinned track points (jsonl, type \"point\")\n"
    "  -s, --stats       print tracking statistics to stderr\n"
    "  -i, --input KIND  nmea, beast, avr, sbs or auto (default: detect per file)\n"
    "      --start TIME  UTC time of the first Beast/AVR timestamp of each file, and\n"
    "                    of data with no time at all (untimed NMEA or AVR)\n"
    "                    (2025-10-23, 2025-10-23T12:00Z or @unixtime). Their 12 MHz\n"
    "                    clocks are relative: without --start, and without an\n"
    "                    absolute time elsewhere in the data, times count from\n"
    "                    1970-01-01 (a warning says so)\n"
    "      --set K=V     override a threshold (docs/events.md); K is one of:\n"
    "                    zone_confirm_fixes zone_confirm_s approach_nm approach_end_nm\n"
    "                    gap_h gap_shore_nm dark_s loiter_kn loiter_h loiter_shore_nm\n"
    "                    enc_m enc_h enc_kn enc_shore_nm site_in_m site_out_m\n"
    "                    orbit_deg orbit_min orbit_nm orbit_gap_min orbit_stall_min\n"
    "                    orbit_seg_nm\n"
    "                    thin_s thin_nm thin_deg thin_kn expire_ship_h expire_air_h\n"
    "  -h, --help        this text\n";

enum out_fmt {
    FMT_JSONL,
    FMT_TABLE
};

struct track_run {
    struct outbuf *out;
    enum out_fmt fmt;
    bool points;
    /* ships and aircraft on separate engines, each on its own data clock
     * (as `orbat ingest` and the NATS workers): an AIS file read before an
     * SBS file of earlier days would otherwise hide the aircraft's "dark"
     * gaps and merge their spans. No event needs both classes. */
    struct ev_engine *eng[2];
    uint64_t reltime; /* observations with a relative (Beast/AVR) time */
    uint64_t untimed; /* observations with no time at all in the data */
};

static void put_time(struct outbuf *ob, int64_t ms)
{
    char b[40];
    time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    size_t n = strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(b + n, sizeof b - n, ".%03dZ", (int)(ms - (int64_t)s * 1000));
    ob_puts(ob, b);
}

static void put_id(struct outbuf *ob, enum obs_kind kind, uint32_t id)
{
    char b[16];
    if (kind == OBS_AIRCRAFT)
        snprintf(b, sizeof b, "%06x", id & 0xFFFFFFu);
    else
        snprintf(b, sizeof b, "%09u", id);
    ob_puts(ob, b);
}

static void put_point_json(struct outbuf *ob, const struct ev_point *p)
{
    OB_LIT(ob, "{\"t\":\"");
    put_time(ob, p->t_ms);
    OB_LIT(ob, "\",\"lat\":");
    ob_double(ob, p->lat, 5);
    OB_LIT(ob, ",\"lon\":");
    ob_double(ob, p->lon, 5);
    OB_LIT(ob, ",\"source\":");
    const char *s = p->ref.source ? p->ref.source : "";
    ob_json_str(ob, s, strlen(s));
    OB_LIT(ob, ",\"offset\":");
    ob_u64(ob, p->ref.offset);
    if (p->ref.raw) {
        OB_LIT(ob, ",\"raw\":");
        ob_json_str(ob, p->ref.raw, p->ref.raw_len);
    }
    ob_putc(ob, '}');
}

static void put_value(struct outbuf *ob, double v)
{
    if (!isfinite(v)) {
        OB_LIT(ob, "null");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15)
        ob_i64(ob, (int64_t)v);
    else
        ob_double(ob, v, fabs(v) < 1 ? 6 : 4);
}

static const char *kind_name(enum obs_kind k)
{
    return k == OBS_AIRCRAFT ? "aircraft" : "ship";
}

static void on_event(void *ctx, const struct event *e)
{
    struct track_run *r = ctx;
    struct outbuf *ob = r->out;
    if (r->fmt == FMT_TABLE) {
        put_time(ob, e->t_start_ms);
        ob_putc(ob, ' ');
        char b[64];
        snprintf(b, sizeof b, "%-11s %-8s ", ev_type_name(e->type), kind_name(e->kind));
        ob_puts(ob, b);
        put_id(ob, e->kind, e->id);
        if (e->other_id) {
            ob_putc(ob, '+');
            put_id(ob, e->kind, e->other_id);
        }
        if (e->where[0]) {
            OB_LIT(ob, " @");
            ob_puts(ob, e->where);
            if (e->approx)
                OB_LIT(ob, "(approx)");
        }
        if (e->p[0].valid) {
            snprintf(b, sizeof b, " %.4f,%.4f", e->p[0].lat, e->p[0].lon);
            ob_puts(ob, b);
        }
        for (int i = 0; i < e->nval; i++) {
            ob_putc(ob, ' ');
            ob_puts(ob, e->val[i].name);
            ob_putc(ob, '=');
            put_value(ob, e->val[i].v);
        }
        if (e->open)
            OB_LIT(ob, " (open)");
        ob_putc(ob, '\n');
        return;
    }
    OB_LIT(ob, "{\"type\":\"");
    ob_puts(ob, ev_type_name(e->type));
    OB_LIT(ob, "\",\"kind\":\"");
    ob_puts(ob, kind_name(e->kind));
    OB_LIT(ob, "\",\"id\":\"");
    put_id(ob, e->kind, e->id);
    ob_putc(ob, '"');
    if (e->other_id) {
        OB_LIT(ob, ",\"other_id\":\"");
        put_id(ob, e->kind, e->other_id);
        ob_putc(ob, '"');
    }
    OB_LIT(ob, ",\"t_start\":\"");
    put_time(ob, e->t_start_ms);
    OB_LIT(ob, "\",\"t_end\":\"");
    put_time(ob, e->t_end_ms);
    ob_putc(ob, '"');
    if (e->where[0]) {
        OB_LIT(ob, ",\"where\":");
        ob_json_str(ob, e->where, strlen(e->where));
    }
    if (e->site_id[0]) {
        OB_LIT(ob, ",\"site\":");
        ob_json_str(ob, e->site_id, strlen(e->site_id));
    }
    if (e->approx)
        OB_LIT(ob, ",\"approx\":true");
    if (e->open)
        OB_LIT(ob, ",\"open\":true");
    OB_LIT(ob, ",\"values\":{");
    for (int i = 0; i < e->nval; i++) {
        if (i)
            ob_putc(ob, ',');
        ob_json_str(ob, e->val[i].name, strlen(e->val[i].name));
        ob_putc(ob, ':');
        put_value(ob, e->val[i].v);
    }
    OB_LIT(ob, "},\"points\":[");
    bool first = true;
    for (int i = 0; i < 2; i++) {
        if (!e->p[i].valid)
            continue;
        if (!first)
            ob_putc(ob, ',');
        first = false;
        put_point_json(ob, &e->p[i]);
    }
    OB_LIT(ob, "]}\n");
}

static void on_point(void *ctx, const struct track_asset *a, const struct ev_point *p, bool evp)
{
    struct track_run *r = ctx;
    struct outbuf *ob = r->out;
    OB_LIT(ob, "{\"type\":\"point\",\"kind\":\"");
    ob_puts(ob, kind_name((enum obs_kind)a->kind));
    OB_LIT(ob, "\",\"id\":\"");
    put_id(ob, (enum obs_kind)a->kind, a->id);
    OB_LIT(ob, "\",\"event\":");
    if (evp)
        OB_LIT(ob, "true");
    else
        OB_LIT(ob, "false");
    if (!isnan(a->sog_kn)) {
        OB_LIT(ob, ",\"sog_kn\":");
        ob_double(ob, a->sog_kn, 1);
    }
    if (!isnan(a->cog_deg)) {
        OB_LIT(ob, ",\"cog_deg\":");
        ob_double(ob, a->cog_deg, 1);
    }
    if (a->alt_ft != INT32_MIN) {
        OB_LIT(ob, ",\"alt_ft\":");
        ob_i64(ob, a->alt_ft);
    }
    OB_LIT(ob, ",\"at\":");
    put_point_json(ob, p);
    OB_LIT(ob, "}\n");
}

static void on_obs(void *ctx, const struct obs *o)
{
    struct track_run *r = ctx;
    if ((o->flags & OBS_F_RELTIME) && o->t_ms > 0)
        r->reltime++; // a relative clock (not "no time yet": that is 0)
    else if (o->flags & OBS_F_RELTIME)
        r->untimed++;
    ev_engine_obs(r->eng[o->kind == OBS_AIRCRAFT], o);
}

static int set_option(struct ev_config *c, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq)
        return -1;
    char *end;
    double v = strtod(eq + 1, &end);
    if (end == eq + 1 || *end || !isfinite(v) || v < 0)
        return -1;
    size_t n = (size_t)(eq - kv);
#define K(name) (n == sizeof(name) - 1 && !strncmp(kv, name, n))
    if (K("zone_confirm_fixes"))
        c->zone_confirm_fixes = (int)v;
    else if (K("zone_confirm_s"))
        c->zone_confirm_ms = (int64_t)(v * 1000);
    else if (K("approach_nm"))
        c->approach_nm = v;
    else if (K("approach_end_nm"))
        c->approach_end_nm = v;
    else if (K("gap_h"))
        c->gap_ms = (int64_t)(v * 3600000);
    else if (K("gap_shore_nm"))
        c->gap_shore_nm = v;
    else if (K("dark_s"))
        c->dark_ms = (int64_t)(v * 1000);
    else if (K("loiter_kn"))
        c->loiter_kn = v;
    else if (K("loiter_h"))
        c->loiter_ms = (int64_t)(v * 3600000);
    else if (K("loiter_shore_nm"))
        c->loiter_shore_nm = v;
    else if (K("enc_m"))
        c->enc_m = v;
    else if (K("enc_h"))
        c->enc_ms = (int64_t)(v * 3600000);
    else if (K("enc_kn"))
        c->enc_kn = v;
    else if (K("enc_shore_nm"))
        c->enc_shore_nm = v;
    else if (K("site_in_m"))
        c->site_in_m = v;
    else if (K("site_out_m"))
        c->site_out_m = v;
    else if (K("orbit_deg"))
        c->orbit_turn_deg = v;
    else if (K("orbit_min"))
        c->orbit_min_ms = (int64_t)(v * 60000);
    else if (K("orbit_nm"))
        c->orbit_max_nm = v;
    else if (K("orbit_gap_min"))
        c->orbit_gap_ms = (int64_t)(v * 60000);
    else if (K("orbit_stall_min"))
        c->orbit_stall_ms = (int64_t)(v * 60000);
    else if (K("orbit_seg_nm"))
        c->orbit_seg_nm = v;
    else if (K("thin_s"))
        c->track.thin_max_ms = (int64_t)(v * 1000);
    else if (K("thin_nm"))
        c->track.thin_dist_nm = v;
    else if (K("thin_deg"))
        c->track.thin_cog_deg = v;
    else if (K("thin_kn"))
        c->track.thin_sog_kn = v;
    else if (K("expire_ship_h"))
        c->track.expire_ship_ms = (int64_t)(v * 3600000);
    else if (K("expire_air_h"))
        c->track.expire_air_ms = (int64_t)(v * 3600000);
    else
        return -1;
#undef K
    return 0;
}

static int parse_input(const char *s, enum pipeline_input *in)
{
    static const struct {
        const char *name;
        enum pipeline_input in;
    } t[] = {{"auto", PIPE_AUTO},   {"nmea", PIPE_NMEA}, {"ais", PIPE_NMEA},
             {"beast", PIPE_BEAST}, {"avr", PIPE_AVR},   {"sbs", PIPE_SBS}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(s, t[i].name)) {
            *in = t[i].in;
            return 0;
        }
    return -1;
}

static void print_stats(struct track_run *r, const struct pipeline_stats *ps)
{
    // the two engines' counters, added
    struct ev_stats es_sum = *ev_engine_stats(r->eng[0]), *es = &es_sum;
    struct track_stats ts_sum = *track_get_stats(ev_engine_tracks(r->eng[0])), *ts = &ts_sum;
    const struct ev_stats *e1 = ev_engine_stats(r->eng[1]);
    const struct track_stats *t1 = track_get_stats(ev_engine_tracks(r->eng[1]));
    es_sum.positions += e1->positions;
    for (int i = 0; i < EV_NTYPES; i++)
        es_sum.events[i] += e1->events[i];
    es_sum.zone_flaps += e1->zone_flaps;
    es_sum.dist_queries += e1->dist_queries;
    es_sum.dist_skipped += e1->dist_skipped;
    ts_sum.assets_new += t1->assets_new;
    for (int i = 0; i < TRACK_POS_NREASONS; i++)
        ts_sum.pos[i] += t1->pos[i];
    ts_sum.cpr_global += t1->cpr_global;
    ts_sum.cpr_local += t1->cpr_local;
    ts_sum.kept_points += t1->kept_points;
    if (ps)
        fprintf(stderr, "input: %llu bytes, %llu observations, %llu rejected\n",
                (unsigned long long)ps->bytes, (unsigned long long)ps->obs,
                (unsigned long long)ps->rejected);
    fprintf(stderr, "tracks: %llu assets, %llu positions", (unsigned long long)ts->assets_new,
            (unsigned long long)es->positions);
    for (int i = TRACK_POS_JUMP; i < TRACK_POS_NREASONS; i++)
        fprintf(stderr, ", %s %llu", track_pos_name((enum track_pos)i),
                (unsigned long long)ts->pos[i]);
    fprintf(stderr, ", cpr global %llu local %llu, kept points %llu\n",
            (unsigned long long)ts->cpr_global, (unsigned long long)ts->cpr_local,
            (unsigned long long)ts->kept_points);
    fprintf(stderr, "events:");
    for (int i = 1; i < EV_NTYPES; i++)
        fprintf(stderr, " %s %llu", ev_type_name((enum ev_type)i),
                (unsigned long long)es->events[i]);
    fprintf(stderr, "\nzone flaps %llu, distance queries %llu (skipped %llu), memory %zu bytes\n",
            (unsigned long long)es->zone_flaps, (unsigned long long)es->dist_queries,
            (unsigned long long)es->dist_skipped,
            ev_engine_mem(r->eng[0]) + ev_engine_mem(r->eng[1]));
}

static int track_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"theatre", required_argument, 0, 't'},
                                             {"format", required_argument, 0, 'f'},
                                             {"points", no_argument, 0, 'p'},
                                             {"stats", no_argument, 0, 's'},
                                             {"input", required_argument, 0, 'i'},
                                             {"set", required_argument, 0, 'S'},
                                             {"start", required_argument, 0, 'T'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *theatre_arg = "caribbean";
    struct track_run r;
    struct ev_config cfg;
    struct pipeline_opts popts;
    bool stats = false;
    memset(&r, 0, sizeof r);
    memset(&popts, 0, sizeof popts);
    ev_config_default(&cfg);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:f:si:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            theatre_arg = optarg;
            break;
        case 'f':
            if (!strcmp(optarg, "jsonl") || !strcmp(optarg, "json")) {
                r.fmt = FMT_JSONL;
            } else if (!strcmp(optarg, "table")) {
                r.fmt = FMT_TABLE;
            } else {
                cmd_error("track", "unknown format '%s' (jsonl, table)", optarg);
                return 2;
            }
            break;
        case 'p':
            r.points = true;
            break;
        case 's':
            stats = true;
            break;
        case 'i':
            if (parse_input(optarg, &popts.input)) {
                cmd_error("track", "unknown input kind '%s' (nmea, beast, avr, sbs, auto)", optarg);
                return 2;
            }
            break;
        case 'T':
            if (store_cli_time("track", "--start", optarg, &popts.start_ms))
                return 2;
            break;
        case 'S':
            if (set_option(&cfg, optarg)) {
                cmd_error("track", "bad --set '%s' (see orbat track --help)", optarg);
                return 2;
            }
            break;
        case 'h':
            fputs(track_usage, stdout);
            return 0;
        default:
            fputs(track_usage, stderr);
            return 2;
        }
    }
    struct theatre *th = NULL;
    if (strcmp(theatre_arg, "none") != 0) {
        char msg[512];
        enum orbat_err err;
        th = theatre_load(theatre_arg, &err, msg, sizeof msg);
        if (!th) {
            cmd_error("track", "theatre: %s", msg);
            return err == ORBAT_E_NOMEM || err == ORBAT_E_IO ? 1 : 2;
        }
    }
    int rc = 0;
    r.out = malloc(sizeof *r.out);
    for (int k = 0; k < 2 && r.out; k++)
        r.eng[k] = ev_engine_new(th, &cfg, on_event, &r);
    struct pipeline *p = r.eng[0] && r.eng[1] ? pipeline_new(&popts, on_obs, &r) : NULL;
    if (!p) {
        cmd_error("track", "out of memory");
        rc = 1;
        goto out;
    }
    outbuf_init(r.out, STDOUT_FILENO);
    if (r.points)
        for (int k = 0; k < 2; k++)
            ev_engine_set_point_cb(r.eng[k], on_point, &r);
    if (optind >= argc && pipeline_run_file(p, "-") < 0) {
        cmd_error("track", "stdin: %s", strerror(errno));
        rc = 1;
    }
    for (int i = optind; i < argc; i++)
        if (pipeline_run_file(p, argv[i]) < 0) {
            cmd_error("track", "%s: %s", argv[i], strerror(errno));
            rc = 1;
        }
    for (int k = 0; k < 2; k++)
        ev_engine_finish(r.eng[k]);
    if (outbuf_flush(r.out)) {
        cmd_error("track", "write error: %s", strerror(r.out->err));
        rc = 1;
    }
    if (r.reltime)
        fprintf(stderr,
                "orbat track: warning: %llu observations carry relative Beast/AVR times "
                "(printed from 1970-01-01); give --start TIME\n",
                (unsigned long long)r.reltime);
    if (r.untimed)
        fprintf(stderr,
                "orbat track: warning: %llu observations carry no time (NMEA without tag-block "
                "times, AVR without timestamps): dated 1970-01-01, their positions cannot be "
                "tracked; give --start TIME to date them\n",
                (unsigned long long)r.untimed);
    if (stats)
        print_stats(&r, pipeline_get_stats(p));
out:
    pipeline_free(p);
    for (int k = 0; k < 2; k++)
        ev_engine_free(r.eng[k]);
    free(r.out);
    theatre_free(th);
    return rc;
}

const struct orbat_cmd cmd_track = {
    .name = "track",
    .summary = "replay input through the tracker and print theatre events",
    .usage = track_usage,
    .exec = track_exec,
};
