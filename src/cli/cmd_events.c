/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_events.c - `orbat events`: the stored events (theatre entries and
 * exits, first sightings, emergencies ...), filtered by type and time; with
 * --external beside the imported external events (Global Fishing Watch),
 * with --compare matched against them per vessel.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/store_cli.h"
#include "events/events.h"
#include "report/report.h"
#include "report/rtime.h"

static const char events_usage[] =
    "usage: orbat events [--db FILE] [--type TYPE] [--from TIME] [--to TIME]\n"
    "                    [--external | --compare [--tolerance DUR]]\n"
    "                    [--format table|json|markdown|csv]\n"
    "\n"
    "  -d, --db FILE       database (default $ORBAT_DB or orbat.db)\n"
    "  -y, --type TYPE     only events of this type: first_seen, last_seen, enter,\n"
    "                      leave, approach, ais_gap, dark, loiter, encounter,\n"
    "                      arrival, departure, orbit (docs/events.md); with\n"
    "                      --external or --compare also a GFW type: encounter,\n"
    "                      loitering, port_visit, gap, fishing\n"
    "  -F, --from TIME     only events from then on (--since is the same)\n"
    "  -T, --to TIME       only events up to then (--until is the same)\n"
    "      --external      also list imported external events (Global Fishing Watch),\n"
    "                      with a SOURCE column: \"orbat\" or \"GFW (CC BY-NC 4.0)\"\n"
    "      --compare       per vessel with GFW events and an orbat asset: each GFW\n"
    "                      encounter/loitering/port_visit/gap against orbat's\n"
    "                      encounter/loiter/arrival+departure/ais_gap that overlaps it:\n"
    "                      agree, GFW only, orbat only (table or json)\n"
    "      --tolerance DUR time tolerance of --compare (default 1h; 0, 30m, 2h ...)\n"
    "  -f, --format FMT    table (default), json, markdown, csv\n"
    "\n"
    "External events are imported by `orbat import FILE` (GFW API v3 answers) and\n"
    "kept apart from orbat's own; GFW data is licensed CC BY-NC 4.0.\n";

/* Is TYPE one the events engine writes (or, with ext, a Global Fishing
 * Watch type)? Else say which are. */
static bool known_type(const char *type, bool ext)
{
    static const char *const gfw[] = {"encounter", "loitering", "port_visit", "gap", "fishing"};
    if (!*type)
        return true;
    for (size_t i = 0; ext && i < sizeof gfw / sizeof gfw[0]; i++)
        if (!strcmp(type, gfw[i]))
            return true;
    for (int t = EV_FIRST_SEEN; t < EV_NTYPES; t++)
        if (!strcmp(type, ev_type_name((enum ev_type)t)))
            return true;
    char list[256];
    size_t n = 0;
    list[0] = '\0';
    for (int t = EV_FIRST_SEEN; t < EV_NTYPES && n < sizeof list; t++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "",
                              ev_type_name((enum ev_type)t));
    cmd_error("events", "unknown event type '%s'; the types are: %s", type, list);
    return false;
}

static int events_exec(int argc, char **argv)
{
    enum {
        OPT_EXTERNAL = 256,
        OPT_COMPARE,
        OPT_TOLERANCE
    };
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"type", required_argument, 0, 'y'},
                                             {"from", required_argument, 0, 'F'},
                                             {"to", required_argument, 0, 'T'},
                                             {"since", required_argument, 0, 'F'},
                                             {"until", required_argument, 0, 'T'},
                                             {"format", required_argument, 0, 'f'},
                                             {"external", no_argument, 0, OPT_EXTERNAL},
                                             {"compare", no_argument, 0, OPT_COMPARE},
                                             {"tolerance", required_argument, 0, OPT_TOLERANCE},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *type = "";
    int64_t since = INT64_MIN / 2, until = INT64_MAX / 2;
    int fmt = RFMT_TABLE, c;
    bool external = false, compare = false;
    int64_t tol = 3600000;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:y:F:T:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'y':
            type = optarg;
            break;
        case 'F':
            if (store_cli_time("events", "--from", optarg, &since))
                return 2;
            break;
        case 'T':
            if (store_cli_time("events", "--to", optarg, &until))
                return 2;
            break;
        case 'f':
            if (store_cli_format("events", optarg, 0xf, &fmt))
                return 2;
            break;
        case OPT_EXTERNAL:
            external = true;
            break;
        case OPT_COMPARE:
            compare = true;
            break;
        case OPT_TOLERANCE:
            if (!strcmp(optarg, "0")) {
                tol = 0;
            } else if (rtime_parse_duration(optarg, &tol)) {
                cmd_error("events", "--tolerance: not a duration: %s", optarg);
                return 2;
            }
            break;
        case 'h':
            fputs(events_usage, stdout);
            return 0;
        default:
            fputs(events_usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(events_usage, stderr);
        return 2;
    }
    if (external && compare) {
        cmd_error("events", "--external and --compare do not go together");
        return 2;
    }
    if (compare && fmt != RFMT_TABLE && fmt != RFMT_JSON) {
        cmd_error("events", "--compare writes table or json");
        return 2;
    }
    if (!known_type(type, external || compare))
        return 2;
    struct store *s = store_cli_open_existing("events", db);
    if (!s)
        return 1;
    int rc = compare    ? report_compare_write(s, type, since, until, tol, fmt, stdout)
             : external ? report_external_write(s, type, since, until, fmt, stdout)
                        : report_events_write(s, type, since, until, fmt, stdout);
    store_cli_warn_simulated("events", s);
    if (rc)
        cmd_error("events", "%s: %s", orbat_strerror(rc), store_errmsg(s));
    store_close(s);
    return rc || store_cli_close_out("events", stdout, "-") ? 1 : 0;
}

const struct orbat_cmd cmd_events = {
    .name = "events",
    .summary = "list stored events by type and time (--external, --compare: GFW)",
    .usage = events_usage,
    .exec = events_exec,
};
