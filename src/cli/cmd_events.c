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
#include "report/report.h"
#include "report/rtime.h"

static const char events_usage[] =
    "usage: orbat events [--db FILE] [--type TYPE] [--since TIME] [--until TIME]\n"
    "                    [--external | --compare [--tolerance DUR]]\n"
    "                    [--format table|json|markdown|csv]\n"
    "\n"
    "  -d, --db FILE       database (default $ORBAT_DB or orbat.db)\n"
    "  -y, --type TYPE     only events of this type (e.g. enter, leave; with\n"
    "                      --compare a GFW type: encounter, loitering, port_visit, gap)\n"
    "  -s, --since TIME    only events from then on\n"
    "  -u, --until TIME    only events up to then\n"
    "  -x, --external      also list imported external events (Global Fishing Watch),\n"
    "                      with a SOURCE column: \"orbat\" or \"GFW (CC BY-NC 4.0)\"\n"
    "  -c, --compare       per vessel with GFW events and an orbat asset: each GFW\n"
    "                      encounter/loitering/port_visit/gap against orbat's\n"
    "                      encounter/loiter/arrival+departure/ais_gap that overlaps it:\n"
    "                      agree, GFW only, orbat only (table or json)\n"
    "  -t, --tolerance DUR time tolerance of --compare (default 1h; 0, 30m, 2h ...)\n"
    "  -f, --format FMT    table (default), json, markdown, csv\n"
    "\n"
    "External events are imported by `orbat import FILE` (GFW API v3 answers) and\n"
    "kept apart from orbat's own; GFW data is licensed CC BY-NC 4.0.\n";

static int events_exec(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, 0, 'd'},     {"type", required_argument, 0, 'y'},
        {"since", required_argument, 0, 's'},  {"until", required_argument, 0, 'u'},
        {"format", required_argument, 0, 'f'}, {"external", no_argument, 0, 'x'},
        {"compare", no_argument, 0, 'c'},      {"tolerance", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *type = "";
    int64_t since = INT64_MIN / 2, until = INT64_MAX / 2;
    int fmt = RFMT_TABLE, c;
    bool external = false, compare = false;
    int64_t tol = 3600000;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:y:s:u:f:xct:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'y':
            type = optarg;
            break;
        case 's':
            if (store_cli_time("events", "--since", optarg, &since))
                return 2;
            break;
        case 'u':
            if (store_cli_time("events", "--until", optarg, &until))
                return 2;
            break;
        case 'f':
            if (store_cli_format("events", optarg, 0xf, &fmt))
                return 2;
            break;
        case 'x':
            external = true;
            break;
        case 'c':
            compare = true;
            break;
        case 't':
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
