/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_import.c - `orbat import`: public archives of a past period (readsb
 * traces and globe_history tars, MarineCadastre and DMA AIS CSV, saved
 * aircraft.json / v2 API answers, Global Fishing Watch events, and anything
 * `orbat ingest` reads) into the database, filtered by area, military,
 * address, callsign and time; see src/archive/import.h and docs/import.md.
 */
#include "cli/cmd.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive/gfw_import.h"
#include "archive/import.h"
#include "cli/store_cli.h"
#include "store/ingest.h"

static const char import_usage[] =
    "usage: orbat import [--db FILE] [--theatre NAME|FILE] [--bbox S,W,N,E] [--mil]\n"
    "                    [--hex LIST] [--mmsi LIST] [--callsign PATTERN]...\n"
    "                    [--from TIME] [--to TIME] [--force] [--quiet] PATH...\n"
    "\n"
    "Import public archives of a past period: identify, track, detect events and\n"
    "store them as `orbat ingest` does for live feeds, with every point traced to\n"
    "the archive member and point (or CSV line) it came from. PATH may be:\n"
    "  a readsb/tar1090 trace file (trace_full_<hex>.json, gzip or plain), a\n"
    "  directory tree of them (globe_history layout traces/<xx>/...), a tar of\n"
    "  them, or one part of a split tar (<tag>.tar.aa: the other parts .tar.ab ...\n"
    "  are found and read in order, without extracting anything);\n"
    "  NOAA MarineCadastre AIS CSV (ais-YYYY-MM-DD.csv.zst, AIS_YYYY_MM_DD.csv/.zip)\n"
    "  or DMA aisdk CSV (plain, .gz, .zst, .zip);\n"
    "  readsb aircraft.json snapshots or saved v2 API answers (plain or .gz);\n"
    "  Global Fishing Watch API v3 event files (stored as external events);\n"
    "  NMEA, Beast, AVR or SBS recordings (as `orbat ingest`).\n"
    "The format is detected from the content. A file that cannot be read is\n"
    "reported and the import goes on; importing the same PATH again is a no-op.\n"
    "\n"
    "  -d, --db FILE          database (default $ORBAT_DB or orbat.db)\n"
    "  -t, --theatre NAME     theatre for events, and keep only passes (trace legs;\n"
    "                         a vessel's day in a CSV) that touch its area\n"
    "                         (default: events against caribbean, no area filter)\n"
    "      --bbox S,W,N,E     keep only passes that touch this box (degrees)\n"
    "      --mil              only military aircraft (archive dbFlags, orbat's military\n"
    "                         address blocks and registry) and warships (AIS type 35,\n"
    "                         registry); decided before a trace's points are inflated\n"
    "      --hex LIST         only these ICAO addresses (comma-separated hex)\n"
    "      --mmsi LIST        only these MMSIs (comma-separated)\n"
    "      --callsign PAT     only passes whose callsign matches the shell pattern\n"
    "                         (case-insensitive; repeatable, e.g. 'BUNNY*')\n"
    "      --from TIME        only points at or after TIME (UTC, e.g. 2025-10-15)\n"
    "      --to TIME          only points before TIME\n"
    "      --pass-gap MIN     a trace pass also ends at a gap this long (default 30)\n"
    "      --sort-mem MIB     memory for putting a source's points in time order before\n"
    "                         they are spilled to temporary files (default 64)\n"
    "      --licence TEXT     attribution/licence line stored with the sources\n"
    "                         (default: from the archive kind, e.g. adsb.lol ODbL 1.0)\n"
    "  -r, --registry FILE    extra registry CSV (repeatable)\n"
    "      --no-default-registry  do not load the shipped registry\n"
    "      --force            import sources even if already imported\n"
    "      --threads N        3 (default) or 1, as for orbat ingest\n"
    "  -q, --quiet            no progress line, no per-file messages, no summary\n";

/* "a,b,c" of hex (base 16) or decimal (base 10) ids, sorted. */
static int parse_ids(const char *arg, int base, uint32_t **ids, size_t *n)
{
    const char *p = arg;
    while (*p) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        char *end;
        errno = 0;
        unsigned long v = strtoul(p[0] == '~' ? p + 1 : p, &end, base);
        if (end == p || errno || v == 0 || v > (base == 16 ? 0xffffffUL : 999999999UL) ||
            (*end && *end != ',' && !isspace((unsigned char)*end)))
            return -1;
        uint32_t *nv = realloc(*ids, (*n + 1) * sizeof **ids);
        if (!nv)
            return -1;
        *ids = nv;
        (*ids)[(*n)++] = (uint32_t)v;
        p = end;
    }
    return *n ? 0 : -1;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int parse_bbox(const char *s, struct import_opts *o)
{
    double v[4];
    char *end;
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        v[i] = strtod(p, &end);
        if (end == p || (i < 3 && *end != ',') || (i == 3 && *end))
            return -1;
        p = end + 1;
    }
    if (v[0] < -90 || v[0] > 90 || v[2] < -90 || v[2] > 90 || v[0] > v[2] || v[1] < -180 ||
        v[1] > 180 || v[3] < -180 || v[3] > 180)
        return -1;
    o->has_bbox = true;
    o->south = v[0];
    o->west = v[1];
    o->north = v[2];
    o->east = v[3];
    return 0;
}

static int import_exec(int argc, char **argv)
{
    enum {
        OPT_BBOX = 256,
        OPT_MIL,
        OPT_HEX,
        OPT_MMSI,
        OPT_CALLSIGN,
        OPT_FROM,
        OPT_TO,
        OPT_GAP,
        OPT_LICENCE,
        OPT_SORTMEM,
        OPT_NODEF,
        OPT_FORCE,
        OPT_THREADS,
    };
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"theatre", required_argument, 0, 't'},
                                             {"bbox", required_argument, 0, OPT_BBOX},
                                             {"mil", no_argument, 0, OPT_MIL},
                                             {"hex", required_argument, 0, OPT_HEX},
                                             {"mmsi", required_argument, 0, OPT_MMSI},
                                             {"callsign", required_argument, 0, OPT_CALLSIGN},
                                             {"from", required_argument, 0, OPT_FROM},
                                             {"to", required_argument, 0, OPT_TO},
                                             {"pass-gap", required_argument, 0, OPT_GAP},
                                             {"licence", required_argument, 0, OPT_LICENCE},
                                             {"sort-mem", required_argument, 0, OPT_SORTMEM},
                                             {"registry", required_argument, 0, 'r'},
                                             {"no-default-registry", no_argument, 0, OPT_NODEF},
                                             {"force", no_argument, 0, OPT_FORCE},
                                             {"threads", required_argument, 0, OPT_THREADS},
                                             {"quiet", no_argument, 0, 'q'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *theatre = "caribbean";
    bool theatre_given = false, nodef = false, quiet = false;
    struct ingest_opts io = {0};
    struct import_opts o = {0};
    uint32_t *hex = NULL, *mmsi = NULL;
    size_t nhex = 0, nmmsi = 0;
    char **regs = calloc((size_t)argc + 1, sizeof *regs);
    char **cs = calloc((size_t)argc + 1, sizeof *cs);
    size_t nregs = 0, ncs = 0;
    int c, ret = 2;
    if (!regs || !cs) {
        free(regs);
        free(cs);
        return 1;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:t:r:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 't':
            theatre = optarg;
            theatre_given = true;
            break;
        case OPT_BBOX:
            if (parse_bbox(optarg, &o)) {
                cmd_error("import", "--bbox: '%s' is not S,W,N,E in degrees", optarg);
                goto out;
            }
            break;
        case OPT_MIL:
            o.mil = true;
            break;
        case OPT_HEX:
            if (parse_ids(optarg, 16, &hex, &nhex)) {
                cmd_error("import", "--hex: '%s' is not a list of 6-digit hex addresses", optarg);
                goto out;
            }
            break;
        case OPT_MMSI:
            if (parse_ids(optarg, 10, &mmsi, &nmmsi)) {
                cmd_error("import", "--mmsi: '%s' is not a list of MMSIs", optarg);
                goto out;
            }
            break;
        case OPT_CALLSIGN:
            cs[ncs++] = optarg;
            break;
        case OPT_FROM:
            if (store_cli_time("import", "--from", optarg, &o.from_ms))
                goto out;
            break;
        case OPT_TO:
            if (store_cli_time("import", "--to", optarg, &o.to_ms))
                goto out;
            break;
        case OPT_GAP: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 7 * 24 * 60) {
                cmd_error("import", "--pass-gap: '%s' is not 1..10080 minutes", optarg);
                goto out;
            }
            o.pass_gap_ms = v * 60000;
            break;
        }
        case OPT_LICENCE:
            o.licence = optarg;
            break;
        case OPT_SORTMEM: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 65536) {
                cmd_error("import", "--sort-mem: '%s' is not 1..65536 MiB", optarg);
                goto out;
            }
            o.sort_mem = (size_t)v << 20;
            break;
        }
        case 'r':
            regs[nregs++] = optarg;
            break;
        case OPT_NODEF:
            nodef = true;
            break;
        case OPT_FORCE:
            io.force = true;
            break;
        case OPT_THREADS:
            if (strcmp(optarg, "1") && strcmp(optarg, "3")) {
                cmd_error("import", "--threads: '%s' is not 1 or 3", optarg);
                goto out;
            }
            io.single_thread = optarg[0] == '1';
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(import_usage, stdout);
            ret = 0;
            goto out;
        default:
            fputs(import_usage, stderr);
            goto out;
        }
    }
    if (optind == argc) {
        cmd_error("import", "no PATH given");
        fputs(import_usage, stderr);
        goto out;
    }
    if (o.from_ms && o.to_ms && o.to_ms <= o.from_ms) {
        cmd_error("import", "--to must be after --from");
        goto out;
    }
    // One sorted list of ids: aircraft addresses and MMSIs do not collide
    // in practice (MMSIs are 9 digits, above 0xffffff = 16777215).
    if (nmmsi) {
        uint32_t *all = realloc(hex, (nhex + nmmsi) * sizeof *all);
        if (!all)
            goto out;
        memcpy(all + nhex, mmsi, nmmsi * sizeof *mmsi);
        hex = all;
        nhex += nmmsi;
    }
    if (nhex) {
        qsort(hex, nhex, sizeof *hex, cmp_u32);
        o.hex = hex;
        o.nhex = nhex;
    }
    if (ncs) {
        o.callsign = cs;
        o.ncallsign = ncs;
    }
    ret = 1;
    io.progress = false; // the importer draws its own progress line
    o.progress = !quiet && isatty(STDERR_FILENO);
    o.quiet = quiet;

    int failed = 0;
    char data_dir[512] = "";
    struct registry *reg = registry_setup(nodef, regs, nregs, registry_err_print, stderr, &failed,
                                          data_dir, sizeof data_dir);
    struct callsign_rules *rules = callsign_rules_new();
    struct theatre *th = NULL;
    struct store *s = NULL;
    struct ingest *g = NULL;
    struct importer *im = NULL;
    if (!reg || !rules) {
        cmd_error("import", "out of memory");
        goto done;
    }
    if (failed)
        cmd_error("import", "%d registry file(s) could not be loaded", failed);
    char rules_path[600];
    if (data_dir[0]) {
        snprintf(rules_path, sizeof rules_path, "%s/rules/callsigns.csv", data_dir);
        if (access(rules_path, R_OK) == 0 &&
            callsign_rules_load_file(rules, rules_path, registry_err_print, stderr) < 0)
            cmd_error("import", "callsign rules %s could not be loaded", rules_path);
    }
    if (strcmp(theatre, "none")) {
        enum orbat_err err;
        char msg[256];
        if (!(th = theatre_load(theatre, &err, msg, sizeof msg))) {
            cmd_error("import", "theatre %s: %s", theatre, msg);
            goto done;
        }
        if (theatre_given)
            o.area = th;
    }
    if (!(s = store_cli_open("import", db)))
        goto done;
    if (!(g = ingest_new(s, reg, rules, th, &io)) || !(im = importer_new(g, reg, &o))) {
        cmd_error("import", "out of memory");
        goto done;
    }
    ret = 0;
    int done_any = 0;
    for (int i = optind; i < argc; i++) {
        // Parts of a split tar given together are one source.
        bool dup = false;
        for (int j = optind; j < i && !dup; j++) {
            char *pi[1], *pj[1];
            size_t ni = importer_split_parts(argv[i], pi, 1);
            size_t nj = importer_split_parts(argv[j], pj, 1);
            dup = ni && nj && !strcmp(pi[0], pj[0]);
            if (ni)
                free(pi[0]);
            if (nj)
                free(pj[0]);
        }
        if (dup)
            continue;
        int rc = importer_path(im, argv[i]);
        if (rc == ORBAT_E_UNSUPPORTED) {
            // Global Fishing Watch events: external events, stored as they
            // are (never mixed with orbat's own), between ingest sources.
            struct gfw_import_stats gs;
            memset(&gs, 0, sizeof gs);
            rc = gfw_import_file(s, argv[i], argv[i], &gs);
            if (rc == ORBAT_OK) {
                done_any++;
                if (!quiet)
                    fprintf(stderr,
                            "orbat import: %s: Global Fishing Watch (CC BY-NC 4.0): %zu external "
                            "events stored, %zu already present%s\n",
                            argv[i], gs.events_new, gs.events_known,
                            gs.next_offset >= 0 ? " (the list has more pages: save and import "
                                                  "them too)"
                                                : "");
                continue;
            }
            cmd_error("import", "%s: %s", argv[i], gs.err[0] ? gs.err : orbat_strerror(rc));
            ret = 1;
            continue;
        }
        if (rc == ORBAT_OK) {
            done_any++;
        } else if (rc == ORBAT_AGAIN) {
            done_any++;
            if (!quiet)
                fprintf(stderr, "orbat import: %s: already imported, skipped\n", argv[i]);
        } else if (rc == ORBAT_E_IO) {
            cmd_error("import", "%s: %s", argv[i], strerror(errno));
            ret = 1;
        } else if (rc == ORBAT_E_DB) {
            cmd_error("import", "%s: database error: %s", argv[i], store_errmsg(s));
            ret = 1;
            break;
        } else {
            // Part of it could not be read (reported above); what was read
            // is stored, and the source stays incomplete.
            done_any++;
            ret = 1;
        }
    }
    if (ingest_get_stats(g)->db_errors == 0) {
        int rc = ingest_finish(g);
        if (rc) {
            cmd_error("import", "%s: %s", orbat_strerror(rc), store_errmsg(s));
            ret = 1;
        }
    }
    ingest_order_warning(g, "orbat import: warning: ", stderr); // even with --quiet
    if (!quiet) {
        importer_summary(im, stderr);
        ingest_summary(g, stderr);
    }
    if (!done_any)
        ret = 1;
done:
    importer_free(im);
    ingest_free(g);
    store_close(s);
    theatre_free(th);
    callsign_rules_free(rules);
    registry_free(reg);
out:
    free(regs);
    free(cs);
    free(hex);
    free(mmsi);
    return ret;
}

const struct orbat_cmd cmd_import = {
    .name = "import",
    .summary = "import public archives (readsb traces, MarineCadastre, snapshots, GFW)",
    .usage = import_usage,
    .exec = import_exec,
};
