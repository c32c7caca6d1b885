/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_export.c - `orbat export`: tracks, last positions, events and
 * sightings as GeoJSON (QGIS), KML (Google Earth) or CSV.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "cli/store_cli.h"
#include "report/report.h"

static const char export_usage[] =
    "usage: orbat export --format geojson|kml|csv [--db FILE] [--from TIME]\n"
    "                    [--to TIME] [--all] [-o FILE]\n"
    "\n"
    "Tracks (thinned observations), last positions, events and manual\n"
    "sightings of the assets in the order of battle.\n"
    "\n"
    "  -d, --db FILE       database (default $ORBAT_DB or orbat.db)\n"
    "  -f, --format FMT    geojson, kml or csv (required)\n"
    "  -F, --from TIME     only from then on (--since is the same)\n"
    "  -T, --to TIME       only up to then (--until is the same)\n"
    "      --all           include assets not identified as military\n"
    "  -o, --output FILE   write there instead of stdout\n";

static int export_exec(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, 0, 'd'},    {"format", required_argument, 0, 'f'},
        {"from", required_argument, 0, 'F'},  {"to", required_argument, 0, 'T'},
        {"since", required_argument, 0, 'F'}, {"until", required_argument, 0, 'T'},
        {"all", no_argument, 0, 'A'},         {"output", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *output = "-";
    int64_t since = INT64_MIN / 2, until = INT64_MAX / 2;
    bool all = false;
    int fmt = -1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:F:T:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'f':
            if (store_cli_format("export", optarg,
                                 1u << RFMT_GEOJSON | 1u << RFMT_KML | 1u << RFMT_CSV, &fmt))
                return 2;
            break;
        case 'F':
            if (store_cli_time("export", "--from", optarg, &since))
                return 2;
            break;
        case 'T':
            if (store_cli_time("export", "--to", optarg, &until))
                return 2;
            break;
        case 'A':
            all = true;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(export_usage, stdout);
            return 0;
        default:
            fputs(export_usage, stderr);
            return 2;
        }
    }
    if (fmt < 0 || optind != argc) {
        if (fmt < 0)
            cmd_error("export", "--format is required");
        fputs(export_usage, stderr);
        return 2;
    }
    struct store *s = store_cli_open_existing("export", db);
    if (!s)
        return 1;
    FILE *out = store_cli_open_out("export", output);
    store_cli_warn_simulated("export", s);
    if (!out) {
        store_close(s);
        return 1;
    }
    int rc = report_export_write(s, since, until, all, fmt, out);
    if (rc)
        cmd_error("export", "%s: %s", orbat_strerror(rc), store_errmsg(s));
    int bad = store_cli_close_out("export", out, output) != 0 || rc;
    store_close(s);
    return bad ? 1 : 0;
}

const struct orbat_cmd cmd_export = {
    .name = "export",
    .summary = "tracks, positions, events, sightings as GeoJSON, KML or CSV",
    .usage = export_usage,
    .exec = export_exec,
};
