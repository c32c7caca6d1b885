/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_report.c - `orbat report`: the order of battle in a theatre as of a
 * time, grouped by category and role with counts, from the store.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "cli/store_cli.h"
#include "report/report.h"

static const char report_usage[] =
    "usage: orbat report [--db FILE] [--as-of TIME] [--theatre NAME] [--window 7d]\n"
    "                    [--format table|json|markdown|csv] [--all] [-o FILE]\n"
    "\n"
    "The order of battle: assets present in the theatre during the window before\n"
    "the as-of time, grouped by category and role, each with name, hull or\n"
    "registration, country, confidence, first/last seen, last position and the\n"
    "amount of evidence. Manual sightings join with their own confidence.\n"
    "\n"
    "  -d, --db FILE       database (default $ORBAT_DB or orbat.db)\n"
    "  -a, --as-of TIME    end of the window: 2025-10-23, 2025-10-23T00:00Z, @unix\n"
    "                      (default: the newest stored observation)\n"
    "  -t, --theatre NAME  theatre (default: anywhere)\n"
    "  -w, --window DUR    window length: 7d (default), 36h, 2w\n"
    "  -f, --format FMT    table (default), json, markdown, csv\n"
    "      --all           include assets not identified as military\n"
    "  -o, --output FILE   write there instead of stdout\n";

static int report_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"as-of", required_argument, 0, 'a'},
                                             {"theatre", required_argument, 0, 't'},
                                             {"window", required_argument, 0, 'w'},
                                             {"format", required_argument, 0, 'f'},
                                             {"all", no_argument, 0, 'A'},
                                             {"output", required_argument, 0, 'o'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *output = "-";
    struct report_opts o = {.window_ms = REPORT_DEFAULT_WINDOW_MS};
    bool as_of_set = false;
    int fmt = RFMT_TABLE, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:a:t:w:f:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'a':
            if (store_cli_time("report", "--as-of", optarg, &o.as_of_ms))
                return 2;
            as_of_set = true;
            break;
        case 't':
            o.theatre = optarg;
            break;
        case 'w':
            if (store_cli_duration("report", "--window", optarg, &o.window_ms))
                return 2;
            break;
        case 'f':
            if (store_cli_format("report", optarg, 0xf, &fmt))
                return 2;
            break;
        case 'A':
            o.all = true;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(report_usage, stdout);
            return 0;
        default:
            fputs(report_usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(report_usage, stderr);
        return 2;
    }
    struct store *s = store_cli_open_existing("report", db);
    if (!s)
        return 1;
    if (!as_of_set)
        o.as_of_ms = store_cli_latest(s);
    struct report_oob r;
    int rc = report_oob_build(s, &o, &r);
    if (rc) {
        cmd_error("report", "%s: %s", orbat_strerror(rc), store_errmsg(s));
        store_close(s);
        return 1;
    }
    FILE *out = store_cli_open_out("report", output);
    int ret = 1;
    if (out) {
        rc = report_oob_write(&r, fmt, out);
        ret = store_cli_close_out("report", out, output) || rc ? 1 : 0;
    }
    report_oob_free(&r);
    store_close(s);
    return ret;
}

const struct orbat_cmd cmd_report = {
    .name = "report",
    .summary = "order of battle in a theatre as of a time, with counts",
    .usage = report_usage,
    .exec = report_exec,
};
