/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_diff.c - `orbat diff`: arrivals and departures between two dates,
 * each date's order of battle taken over the same window.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "cli/store_cli.h"
#include "report/report.h"

static const char diff_usage[] =
    "usage: orbat diff --from TIME --to TIME [--db FILE] [--theatre NAME] [--window 7d]\n"
    "                  [--format table|json|markdown|csv] [--all]\n"
    "\n"
    "Arrivals (in the order of battle at --to but not at --from) and departures\n"
    "(the reverse). Each order of battle covers the window before its date.\n"
    "\n"
    "  -d, --db FILE       database (default $ORBAT_DB or orbat.db)\n"
    "  -F, --from TIME     earlier date\n"
    "  -T, --to TIME       later date\n"
    "  -t, --theatre NAME  theatre (default: anywhere)\n"
    "  -w, --window DUR    window of each order of battle (default 7d)\n"
    "  -f, --format FMT    table (default), json, markdown, csv\n"
    "      --all           include assets not identified as military\n";

static int diff_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"from", required_argument, 0, 'F'},
                                             {"to", required_argument, 0, 'T'},
                                             {"theatre", required_argument, 0, 't'},
                                             {"window", required_argument, 0, 'w'},
                                             {"format", required_argument, 0, 'f'},
                                             {"all", no_argument, 0, 'A'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = store_cli_default_db();
    struct report_opts o = {.window_ms = REPORT_DEFAULT_WINDOW_MS};
    int64_t from = 0, to = 0;
    bool have_from = false, have_to = false;
    int fmt = RFMT_TABLE, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:F:T:t:w:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'F':
            if (store_cli_time("diff", "--from", optarg, &from))
                return 2;
            have_from = true;
            break;
        case 'T':
            if (store_cli_time("diff", "--to", optarg, &to))
                return 2;
            have_to = true;
            break;
        case 't':
            o.theatre = optarg;
            break;
        case 'w':
            if (store_cli_duration("diff", "--window", optarg, &o.window_ms))
                return 2;
            break;
        case 'f':
            if (store_cli_format("diff", optarg, 0xf, &fmt))
                return 2;
            break;
        case 'A':
            o.all = true;
            break;
        case 'h':
            fputs(diff_usage, stdout);
            return 0;
        default:
            fputs(diff_usage, stderr);
            return 2;
        }
    }
    if (!have_from || !have_to || optind != argc) {
        cmd_error("diff", "--from and --to are required");
        fputs(diff_usage, stderr);
        return 2;
    }
    struct store *s = store_cli_open_existing("diff", db);
    if (!s)
        return 1;
    int rc = report_diff_write(s, &o, from, to, fmt, stdout);
    store_cli_warn_simulated("diff", s);
    if (rc)
        cmd_error("diff", "%s: %s", orbat_strerror(rc), store_errmsg(s));
    store_close(s);
    return rc || store_cli_close_out("diff", stdout, "-") ? 1 : 0;
}

const struct orbat_cmd cmd_diff = {
    .name = "diff",
    .summary = "arrivals and departures between two dates",
    .usage = diff_usage,
    .exec = diff_exec,
};
