/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_evidence.c - `orbat evidence ASSET`: every observation, raw message,
 * sighting and event behind an asset, with sources and byte offsets.
 */
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/store_cli.h"
#include "report/report.h"

static const char evidence_usage[] =
    "usage: orbat evidence [--db FILE] [--from TIME] [--to TIME] [--limit N]\n"
    "                      [--format table|json|csv] ASSET\n"
    "\n"
    "Everything behind an asset: its identification and reasons, the raw\n"
    "message it was identified from, its stored observations with their raw\n"
    "message, source file and byte offset, manual sightings and events.\n"
    "ASSET is a name, hull number, registration, call sign, MMSI, ICAO\n"
    "address (hex) or #ID (the asset_id in json output).\n"
    "\n"
    "  -d, --db FILE       database (default $ORBAT_DB or orbat.db)\n"
    "  -F, --from TIME     only evidence from then on (--since is the same)\n"
    "  -T, --to TIME       only evidence up to then (--until is the same)\n"
    "      --limit N       at most N observations per asset (default 100; 0 = all);\n"
    "                      how many more there are is said\n"
    "  -f, --format FMT    table (default), json, csv\n";

#define EVIDENCE_DEFAULT_LIMIT 100

static int evidence_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"from", required_argument, 0, 'F'},
                                             {"to", required_argument, 0, 'T'},
                                             {"since", required_argument, 0, 'F'},
                                             {"until", required_argument, 0, 'T'},
                                             {"limit", required_argument, 0, 'L'},
                                             {"format", required_argument, 0, 'f'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = store_cli_default_db();
    int64_t since = INT64_MIN / 2, until = INT64_MAX / 2;
    size_t limit = EVIDENCE_DEFAULT_LIMIT;
    int fmt = RFMT_TABLE, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:F:T:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'F':
            if (store_cli_time("evidence", "--from", optarg, &since))
                return 2;
            break;
        case 'T':
            if (store_cli_time("evidence", "--to", optarg, &until))
                return 2;
            break;
        case 'L': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (!*optarg || *end || errno || optarg[0] == '-' || v > 100000000ull) {
                cmd_error("evidence", "--limit: '%s' is not a count (0 = all)", optarg);
                return 2;
            }
            limit = (size_t)v;
            break;
        }
        case 'f':
            if (store_cli_format("evidence", optarg,
                                 1u << RFMT_TABLE | 1u << RFMT_JSON | 1u << RFMT_CSV, &fmt))
                return 2;
            break;
        case 'h':
            fputs(evidence_usage, stdout);
            return 0;
        default:
            fputs(evidence_usage, stderr);
            return 2;
        }
    }
    if (optind + 1 != argc) {
        fputs(evidence_usage, stderr);
        return 2;
    }
    struct store *s = store_cli_open_existing("evidence", db);
    if (!s)
        return 1;
    uint64_t more = 0;
    int rc = report_evidence_write_limit(s, argv[optind], since, until, limit, &more, fmt, stdout);
    store_cli_warn_simulated("evidence", s);
    if (rc == ORBAT_E_NOTFOUND)
        cmd_error("evidence", "no asset matches '%s'", argv[optind]);
    else if (rc)
        cmd_error("evidence", "%s: %s", orbat_strerror(rc), store_errmsg(s));
    else if (more && fmt != RFMT_TABLE)
        fprintf(stderr,
                "orbat evidence: %llu more observations not shown (--limit %zu; --limit 0 "
                "shows all, --from/--to narrow the time)\n",
                (unsigned long long)more, limit);
    store_close(s);
    return rc || store_cli_close_out("evidence", stdout, "-") ? 1 : 0;
}

const struct orbat_cmd cmd_evidence = {
    .name = "evidence",
    .summary = "observations, raw messages and sources behind an asset",
    .usage = evidence_usage,
    .exec = evidence_exec,
};
