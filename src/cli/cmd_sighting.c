/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_sighting.c - `orbat sighting add|list`: manual reports of assets seen
 * in imagery or the news but silent on transponders. They join the order of
 * battle with their source URL and their own confidence.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/store_cli.h"
#include "report/report.h"
#include "report/rtime.h"

static const char sighting_usage[] =
    "usage: orbat sighting add --name NAME --time TIME --lat DEG --lon DEG --source URL\n"
    "                          [--note TEXT] [--confidence 0..1] [--category CAT]\n"
    "                          [--role ROLE] [--country NAME] [--theatre NAME] [--db FILE]\n"
    "       orbat sighting list [--from TIME] [--to TIME] [--theatre NAME] [--db FILE]\n"
    "\n"
    "A sighting joins the asset with the same name or hull number; when there is\n"
    "none, it creates an asset known only from sightings. Its confidence\n"
    "(default 0.5) is kept apart from transponder identification.\n"
    "\n"
    "  -n, --name NAME        e.g. \"USS Gerald R. Ford\" or a hull number \"CVN-78\"\n"
    "      --time TIME        when it was seen (2025-11-11T12:00Z)\n"
    "      --lat DEG          latitude, decimal degrees north\n"
    "      --lon DEG          longitude, decimal degrees east (west is negative)\n"
    "  -S, --source URL       where the report comes from (required)\n"
    "      --note TEXT        free text\n"
    "      --confidence P     0 < P <= 1 (default 0.5)\n"
    "      --category CAT     e.g. warship (default warship)\n"
    "      --role ROLE        e.g. aircraft carrier\n"
    "      --country NAME\n"
    "  -t, --theatre NAME     theatre the position lies in (default caribbean)\n"
    "  -d, --db FILE          database (default $ORBAT_DB or orbat.db)\n"
    "  -F, --from TIME        list: only sightings from then on (--since is the same)\n"
    "  -T, --to TIME          list: only sightings up to then (--until is the same)\n";

static int parse_deg(const char *arg, double lim, double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end || !isfinite(v) || v < -lim || v > lim)
        return -1;
    *out = v;
    return 0;
}

static int list_cb(void *ctx, const struct store_sighting *sg)
{
    (void)ctx;
    char t[32];
    rtime_format(sg->t_ms, t, sizeof t);
    printf("%-5lld %s %-28s %9.4f %10.4f %-10s %.2f  %s%s%s\n", (long long)sg->id, t, sg->name,
           sg->lat, sg->lon, sg->theatre[0] ? sg->theatre : "-", sg->confidence, sg->source_url,
           sg->note[0] ? "  -- " : "", sg->note);
    return 0;
}

static int sighting_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"name", required_argument, 0, 'n'},
                                             {"time", required_argument, 0, 'M'},
                                             {"lat", required_argument, 0, 'y'},
                                             {"lon", required_argument, 0, 'x'},
                                             {"source", required_argument, 0, 'S'},
                                             {"note", required_argument, 0, 'N'},
                                             {"confidence", required_argument, 0, 'c'},
                                             {"category", required_argument, 0, 'C'},
                                             {"role", required_argument, 0, 'R'},
                                             {"country", required_argument, 0, 'K'},
                                             {"theatre", required_argument, 0, 't'},
                                             {"db", required_argument, 0, 'd'},
                                             {"from", required_argument, 0, 'F'},
                                             {"to", required_argument, 0, 'T'},
                                             {"since", required_argument, 0, 'F'},
                                             {"until", required_argument, 0, 'T'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    if (argc < 2 || (strcmp(argv[1], "add") && strcmp(argv[1], "list"))) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            fputs(sighting_usage, stdout);
            return 0;
        }
        fputs(sighting_usage, stderr);
        return 2;
    }
    bool add = !strcmp(argv[1], "add");
    const char *db = store_cli_default_db();
    struct store_sighting sg = {.confidence = 0.5, .lat = NAN, .lon = NAN};
    store_strlcpy(sg.category, "warship", sizeof sg.category);
    store_strlcpy(sg.theatre, "caribbean", sizeof sg.theatre);
    int64_t since = INT64_MIN / 2, until = INT64_MAX / 2;
    bool theatre_set = false;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "n:S:t:d:F:T:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            store_strlcpy(sg.name, optarg, sizeof sg.name);
            break;
        case 'M':
            if (store_cli_time("sighting", "--time", optarg, &sg.t_ms))
                return 2;
            break;
        case 'y':
            if (parse_deg(optarg, 90, &sg.lat)) {
                cmd_error("sighting", "--lat: '%s' is not a latitude", optarg);
                return 2;
            }
            break;
        case 'x':
            if (parse_deg(optarg, 180, &sg.lon)) {
                cmd_error("sighting", "--lon: '%s' is not a longitude", optarg);
                return 2;
            }
            break;
        case 'S':
            store_strlcpy(sg.source_url, optarg, sizeof sg.source_url);
            break;
        case 'N':
            store_strlcpy(sg.note, optarg, sizeof sg.note);
            break;
        case 'c': {
            char *end;
            sg.confidence = strtod(optarg, &end);
            if (end == optarg || *end || !(sg.confidence > 0 && sg.confidence <= 1)) {
                cmd_error("sighting", "--confidence: '%s' is not in (0, 1]", optarg);
                return 2;
            }
            break;
        }
        case 'C':
            store_strlcpy(sg.category, optarg, sizeof sg.category);
            break;
        case 'R':
            store_strlcpy(sg.role, optarg, sizeof sg.role);
            break;
        case 'K':
            store_strlcpy(sg.country, optarg, sizeof sg.country);
            break;
        case 't':
            store_strlcpy(sg.theatre, optarg, sizeof sg.theatre);
            theatre_set = true;
            break;
        case 'd':
            db = optarg;
            break;
        case 'F':
            if (store_cli_time("sighting", "--from", optarg, &since))
                return 2;
            break;
        case 'T':
            if (store_cli_time("sighting", "--to", optarg, &until))
                return 2;
            break;
        case 'h':
            fputs(sighting_usage, stdout);
            return 0;
        default:
            fputs(sighting_usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(sighting_usage, stderr);
        return 2;
    }
    if (add && (!sg.name[0] || !sg.t_ms || isnan(sg.lat) || isnan(sg.lon) || !sg.source_url[0])) {
        cmd_error("sighting", "add needs --name, --time, --lat, --lon and --source");
        return 2;
    }
    struct store *s = store_cli_open("sighting", db);
    if (!s)
        return 1;
    int rc;
    if (add) {
        if ((rc = store_begin(s)) == ORBAT_OK && (rc = store_sighting_put(s, &sg)) == ORBAT_OK)
            rc = store_commit(s);
        if (!rc)
            printf("sighting %lld: %s at %.4f %.4f joined asset #%lld\n", (long long)sg.id, sg.name,
                   sg.lat, sg.lon, (long long)sg.asset_id);
    } else {
        printf("%-5s %-20s %-28s %9s %10s %-10s %-5s %s\n", "ID", "TIME", "NAME", "LAT", "LON",
               "THEATRE", "CONF", "SOURCE");
        rc = store_sightings(s, theatre_set ? sg.theatre : "", since, until, list_cb, NULL);
    }
    if (rc)
        cmd_error("sighting", "%s: %s", orbat_strerror(rc), store_errmsg(s));
    store_close(s);
    return rc || store_cli_close_out("sighting", stdout, "-") ? 1 : 0;
}

const struct orbat_cmd cmd_sighting = {
    .name = "sighting",
    .summary = "add or list manual sightings (imagery, news) with their source",
    .usage = sighting_usage,
    .exec = sighting_exec,
};
