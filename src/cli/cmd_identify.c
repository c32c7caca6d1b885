/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_identify.c - `orbat identify`: read AIS / Mode S captures through the
 * pipeline, run identification per distinct ship and aircraft, and print
 * one JSON line (or a table row) per asset with its category, role,
 * country, name, confidence, the reasons, and message counts.
 */
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/pipeline.h"
#include "registry/callsign.h"
#include "registry/identify.h"
#include "registry/registry.h"
#include "util/outbuf.h"

static const char identify_usage[] =
    "usage: orbat identify [--registry FILE]... [--no-default-registry] [--rules FILE]\n"
    "                      [--format jsonl|table] [--all] [--stats] [FILE ...]\n"
    "\n"
    "Decode AIS / Mode S input (files, plain or .gz, or stdin) and identify every\n"
    "distinct ship (MMSI) and aircraft (ICAO address): category (warship, military\n"
    "aircraft, law enforcement, government, civil, unknown), role, country, name,\n"
    "confidence (confirmed, likely, possible) and the reasons (rule id + evidence),\n"
    "with message counts. Rules: docs/identification.md.\n"
    "\n"
    "  -r, --registry FILE     extra registry CSV (repeatable; later rows override);\n"
    "                          plane-alert-db, tar1090-db/readsb or orbat formats\n"
    "      --no-default-registry  do not load the shipped data/registry files\n"
    "      --rules FILE        callsign rules instead of data/rules/callsigns.csv\n"
    "  -f, --format FMT        jsonl (default) or table\n"
    "      --all               every asset (default: only non-civil identifications)\n"
    "  -s, --stats             summary counts on stderr\n"
    "  -h, --help              this text\n";

static void put_time(struct outbuf *ob, int64_t ms)
{
    if (!ms) {
        OB_LIT(ob, "null");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char buf[40];
    gmtime_r(&t, &tm);
    size_t n = strftime(buf, sizeof buf, "\"%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof buf - n, ".%03dZ\"", (int)(ms % 1000 + 1000) % 1000);
    ob_puts(ob, buf);
}

static void put_str(struct outbuf *ob, const char *key, const char *v)
{
    ob_puts(ob, key);
    if (v && *v)
        ob_json_str(ob, v, strlen(v));
    else
        OB_LIT(ob, "null");
}

static void write_json(struct outbuf *ob, const struct ident_asset *a)
{
    const struct ident_result *r = &a->res;
    char id[16];
    if (a->in.kind == OBS_SHIP) {
        OB_LIT(ob, "{\"kind\":\"ship\",\"mmsi\":");
        ob_u64(ob, a->in.id);
    } else {
        snprintf(id, sizeof id, "%06x", a->in.id);
        OB_LIT(ob, "{\"kind\":\"aircraft\",\"icao\":\"");
        ob_puts(ob, id);
        ob_putc(ob, '"');
        if (a->in.flags & OBS_F_ANON)
            OB_LIT(ob, ",\"anonymous\":true");
    }
    put_str(ob, ",\"category\":", registry_category_name(r->category));
    put_str(ob, ",\"role\":", registry_role_name(r->role));
    put_str(ob, ",\"country\":", r->country);
    put_str(ob, ",\"name\":", r->name);
    if (r->hull[0])
        put_str(ob, ",\"hull\":", r->hull);
    if (r->type[0])
        put_str(ob, ",\"type\":", r->type);
    if (r->operator_name[0])
        put_str(ob, ",\"operator\":", r->operator_name);
    put_str(ob, ",\"confidence\":", ident_confidence_name(r->confidence));
    OB_LIT(ob, ",\"score\":");
    ob_i64(ob, r->score);
    if (a->in.name[0])
        put_str(ob, ",\"reported_name\":", a->in.name);
    if (a->in.callsign[0])
        put_str(ob, ",\"callsign\":", a->in.callsign);
    if (a->in.has_ship_type) {
        OB_LIT(ob, ",\"ship_type\":");
        ob_u64(ob, a->in.ship_type);
    }
    if (a->in.has_emitter) {
        char cat[4] = {(char)('A' + ((a->in.emitter >> 4) - 0xA)),
                       (char)('0' + (a->in.emitter & 0xF)), 0, 0};
        put_str(ob, ",\"emitter_category\":", cat);
    }
    OB_LIT(ob, ",\"messages\":");
    ob_u64(ob, a->messages);
    OB_LIT(ob, ",\"static_messages\":");
    ob_u64(ob, a->static_messages);
    OB_LIT(ob, ",\"first\":");
    put_time(ob, a->first_ms);
    OB_LIT(ob, ",\"last\":");
    put_time(ob, a->last_ms);
    OB_LIT(ob, ",\"reasons\":[");
    for (int i = 0; i < r->nreasons; i++) {
        if (i)
            ob_putc(ob, ',');
        put_str(ob, "{\"rule\":", r->reasons[i].rule);
        OB_LIT(ob, ",\"weight\":");
        ob_i64(ob, r->reasons[i].weight);
        put_str(ob, ",\"evidence\":", r->reasons[i].evidence);
        ob_putc(ob, '}');
    }
    OB_LIT(ob, "]}\n");
}

static void write_table_header(struct outbuf *ob)
{
    char line[256];
    snprintf(line, sizeof line, "%-8s %-9s %-17s %-10s %-26s %-16s %-28s %7s  %s\n", "KIND", "ID",
             "CATEGORY", "CONFIDENCE", "ROLE", "COUNTRY", "NAME", "MSGS", "RULES");
    ob_puts(ob, line);
}

static void write_table(struct outbuf *ob, const struct ident_asset *a)
{
    const struct ident_result *r = &a->res;
    char id[16], rules[160] = "", line[512];
    if (a->in.kind == OBS_SHIP)
        snprintf(id, sizeof id, "%09u", a->in.id);
    else
        snprintf(id, sizeof id, "%06x", a->in.id);
    for (int i = 0; i < r->nreasons; i++) {
        if (!r->reasons[i].weight)
            continue;
        size_t l = strlen(rules);
        snprintf(rules + l, sizeof rules - l, "%s%s%+d", l ? " " : "", r->reasons[i].rule,
                 r->reasons[i].weight);
    }
    char name[80];
    snprintf(name, sizeof name, "%s%s%s", r->name, r->hull[0] ? " " : "", r->hull);
    snprintf(line, sizeof line, "%-8s %-9s %-17s %-10s %-26s %-16s %-28s %7llu  %s\n",
             a->in.kind == OBS_SHIP ? "ship" : "aircraft", id, registry_category_name(r->category),
             ident_confidence_name(r->confidence), r->role ? registry_role_name(r->role) : "-",
             r->country[0] ? r->country : "-", name[0] ? name : "-",
             (unsigned long long)a->messages, rules[0] ? rules : "-");
    ob_puts(ob, line);
}

static void on_obs(void *ctx, const struct obs *o)
{
    struct ident_cache *c = ctx;
    if (o->flags & OBS_F_BASE)
        return; // base stations, AtoN and SAR beacons are not vessel tracks
    (void)ident_observe(c, o);
}

#define MAX_USER_FILES 64

static int identify_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"registry", required_argument, 0, 'r'},
                                             {"no-default-registry", no_argument, 0, 'N'},
                                             {"rules", required_argument, 0, 'R'},
                                             {"format", required_argument, 0, 'f'},
                                             {"all", no_argument, 0, 'a'},
                                             {"stats", no_argument, 0, 's'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    char *files[MAX_USER_FILES];
    size_t nfiles = 0;
    bool no_defaults = false, all = false, stats = false, table = false;
    const char *rules_path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:f:sh", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            if (nfiles == MAX_USER_FILES) {
                cmd_error("identify", "at most %d --registry files", MAX_USER_FILES);
                return 2;
            }
            files[nfiles++] = optarg;
            break;
        case 'N':
            no_defaults = true;
            break;
        case 'R':
            rules_path = optarg;
            break;
        case 'f':
            if (!strcmp(optarg, "table"))
                table = true;
            else if (strcmp(optarg, "jsonl") && strcmp(optarg, "json")) {
                cmd_error("identify", "unknown format '%s' (jsonl, table)", optarg);
                return 2;
            }
            break;
        case 'a':
            all = true;
            break;
        case 's':
            stats = true;
            break;
        case 'h':
            fputs(identify_usage, stdout);
            return 0;
        default:
            fputs(identify_usage, stderr);
            return 2;
        }
    }
    int failed;
    char data_dir[PATH_MAX];
    // The shipped defaults first (a missing data directory is reported and
    // tolerated), then the user's files, each of which must load.
    struct registry *reg = registry_setup(no_defaults, NULL, 0, registry_err_print, stderr, &failed,
                                          data_dir, sizeof data_dir);
    struct callsign_rules *rules = callsign_rules_new();
    struct ident_cache *cache = reg && rules ? ident_cache_new(reg, rules) : NULL;
    struct outbuf *ob = malloc(sizeof *ob);
    struct pipeline *p = NULL;
    int rc = 0;
    if (!cache || !ob)
        goto nomem;
    for (size_t i = 0; i < nfiles; i++)
        if (registry_load_file(reg, files[i], registry_err_print, stderr, NULL)) {
            cmd_error("identify", "%s: registry file not loaded", files[i]);
            rc = 1;
            goto out;
        }
    if (rules_path || data_dir[0]) {
        char path[PATH_MAX + 32];
        if (!rules_path)
            snprintf(path, sizeof path, "%s/rules/callsigns.csv", data_dir);
        if (callsign_rules_load_file(rules, rules_path ? rules_path : path, registry_err_print,
                                     stderr) < 0 &&
            rules_path) {
            rc = 1;
            goto out;
        }
    }
    struct pipeline_opts po;
    memset(&po, 0, sizeof po);
    p = pipeline_new(&po, on_obs, cache);
    if (!p)
        goto nomem;
    int nin = argc - optind;
    for (int i = 0; i < (nin ? nin : 1); i++) {
        const char *path = nin ? argv[optind + i] : "-";
        if (pipeline_run_file(p, path)) {
            cmd_error("identify", "%s: %s", path, strerror(errno));
            rc = 1;
        }
    }
    outbuf_init(ob, STDOUT_FILENO);
    if (table)
        write_table_header(ob);
    size_t n = ident_cache_count(cache), shown = 0;
    long by_cat[CAT_WARSHIP + 1] = {0}, by_conf[CONF_CONFIRMED + 1] = {0};
    for (size_t i = 0; i < n; i++) {
        const struct ident_asset *a = ident_cache_at(cache, i);
        by_cat[a->res.category]++;
        if (a->res.category != CAT_CIVIL && a->res.category != CAT_UNKNOWN)
            by_conf[a->res.confidence]++;
        if (!all && (a->res.category == CAT_CIVIL || a->res.category == CAT_UNKNOWN))
            continue;
        if (table)
            write_table(ob, a);
        else
            write_json(ob, a);
        shown++;
    }
    if (outbuf_flush(ob)) {
        cmd_error("identify", "write error: %s", strerror(ob->err));
        rc = 1;
    }
    if (stats) {
        const struct pipeline_stats *ps = pipeline_get_stats(p);
        fprintf(stderr,
                "identify: %zu assets (%zu shown) from %llu observations; %llu AIS messages, "
                "%llu Mode S frames, %llu rejected\n",
                n, shown, (unsigned long long)ps->obs, (unsigned long long)ps->ais_messages,
                (unsigned long long)ps->modes_frames, (unsigned long long)ps->rejected);
        for (int k = 0; k <= CAT_WARSHIP; k++)
            fprintf(stderr, "identify:   %-18s %ld\n", registry_category_name(k), by_cat[k]);
        fprintf(stderr,
                "identify:   non-civil by confidence: confirmed %ld, likely %ld, "
                "possible %ld\n",
                by_conf[CONF_CONFIRMED], by_conf[CONF_LIKELY], by_conf[CONF_POSSIBLE]);
    }
    goto out;
nomem:
    cmd_error("identify", "out of memory");
    rc = 1;
out:
    pipeline_free(p);
    free(ob);
    ident_cache_free(cache);
    callsign_rules_free(rules);
    registry_free(reg);
    return rc;
}

const struct orbat_cmd cmd_identify = {
    .name = "identify",
    .summary = "identify military / government ships and aircraft in captures",
    .usage = identify_usage,
    .exec = identify_exec,
};
