/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_timeline.c - `orbat timeline`: assets present per day by category,
 * as a table and optionally as a chart: SVG written by orbat
 * (report_timeline.c) and/or the same SVG rendered to PNG at 2x
 * (report_png.c, librsvg). Output files are opened before the report is
 * computed, so a path that cannot be written fails at once; a PNG that
 * could not be rendered or written is removed.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/store_cli.h"
#include "report/report.h"
#include "report/report_png.h"
#include "report/rtime.h"

/* PNG pixels per SVG pixel: the 960x480 chart becomes 1920x960. */
#define TIMELINE_PNG_SCALE 2.0

static const char timeline_usage[] =
    "usage: orbat timeline [--db FILE] [--theatre NAME] [--by day] [--from TIME] [--to TIME]\n"
    "                      [--format table|json|markdown|csv] [--svg FILE] [--png FILE] [--all]\n"
    "\n"
    "Assets present per UTC day, by category, as a table on stdout and, with\n"
    "--svg or --png, as a stacked bar chart.\n"
    "\n"
    "  -d, --db FILE       database (default $ORBAT_DB or orbat.db)\n"
    "  -t, --theatre NAME  theatre (default: anywhere)\n"
    "  -b, --by day        bucket size (only day is supported)\n"
    "  -F, --from TIME     first day (default: first stored observation)\n"
    "  -T, --to TIME       last day (default: newest stored observation)\n"
    "  -f, --format FMT    table (default), json, markdown, csv\n"
    "      --svg FILE      also write the chart as SVG\n"
    "      --png FILE      also write the chart as PNG (the SVG rendered at 2x with\n"
    "                      librsvg: 1920x960 pixels)\n"
    "      --all           include assets not identified as military\n";

static int timeline_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"theatre", required_argument, 0, 't'},
                                             {"by", required_argument, 0, 'b'},
                                             {"from", required_argument, 0, 'F'},
                                             {"to", required_argument, 0, 'T'},
                                             {"format", required_argument, 0, 'f'},
                                             {"svg", required_argument, 0, 's'},
                                             {"png", required_argument, 0, 'p'},
                                             {"all", no_argument, 0, 'A'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *svg_path = NULL, *png_path = NULL;
    struct report_opts o = {0};
    int64_t from = 0, to = 0;
    bool have_from = false, have_to = false;
    int fmt = RFMT_TABLE, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:t:b:F:T:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 't':
            o.theatre = optarg;
            break;
        case 'b':
            if (strcmp(optarg, "day")) {
                cmd_error("timeline", "--by: only 'day' is supported");
                return 2;
            }
            break;
        case 'F':
            if (store_cli_time("timeline", "--from", optarg, &from))
                return 2;
            have_from = true;
            break;
        case 'T':
            if (store_cli_time("timeline", "--to", optarg, &to))
                return 2;
            have_to = true;
            break;
        case 'f':
            if (store_cli_format("timeline", optarg, 0xf, &fmt))
                return 2;
            break;
        case 's':
            svg_path = optarg;
            break;
        case 'p':
            if (!strcmp(optarg, "-")) {
                cmd_error("timeline", "--png needs a file (the table goes to stdout)");
                return 2;
            }
            png_path = optarg;
            break;
        case 'A':
            o.all = true;
            break;
        case 'h':
            fputs(timeline_usage, stdout);
            return 0;
        default:
            fputs(timeline_usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(timeline_usage, stderr);
        return 2;
    }
    struct store *s = store_cli_open_existing("timeline", db);
    if (!s)
        return 1;
    int64_t first, last;
    if (store_time_range(s, &first, &last) != ORBAT_OK)
        first = last = store_cli_latest(s);
    if (!have_from)
        from = rtime_clamp(first);
    if (!have_to)
        to = rtime_clamp(last);
    if (to < from) {
        cmd_error("timeline", "--to is before --from");
        store_close(s);
        return 2;
    }
    FILE *svg = NULL, *png = NULL, *chart = NULL;
    char *mem = NULL;
    size_t memlen = 0;
    int bad = 0;
    if (svg_path && !(svg = store_cli_open_out("timeline", svg_path))) {
        store_close(s);
        return 1;
    }
    if (png_path && !(png = store_cli_open_out("timeline", png_path))) {
        bad = 1;
        goto out;
    }
    /* With --png the SVG goes to memory first; it is copied to --svg's file
     * and rendered from there. */
    chart = png ? open_memstream(&mem, &memlen) : svg;
    if (png && !chart) {
        cmd_error("timeline", "out of memory");
        bad = 1;
        goto out;
    }
    int rc = report_timeline_write(s, &o, from, to, fmt, stdout, chart);
    if (rc == ORBAT_E_RANGE)
        cmd_error("timeline", "the period is too long (at most ten years)");
    else if (rc)
        cmd_error("timeline", "%s: %s", orbat_strerror(rc), store_errmsg(s));
    bad = rc != 0;
    if (png) {
        bad |= fclose(chart) != 0;
        if (!bad && svg && fwrite(mem, 1, memlen, svg) != memlen)
            bad = 1; /* reported by store_cli_close_out below */
        char err[256];
        if (!bad && report_png_write(mem, memlen, TIMELINE_PNG_SCALE, png, err, sizeof(err))) {
            cmd_error("timeline", "%s: %s", png_path, err);
            bad = 1;
        }
    }
out:
    free(mem);
    if (png) {
        struct stat st;
        bool regular = fstat(fileno(png), &st) == 0 && S_ISREG(st.st_mode);
        int pbad = bad;
        pbad |= store_cli_close_out("timeline", png, png_path) != 0;
        if (pbad && regular)
            unlink(png_path); /* no half-written or empty PNG left behind */
        bad |= pbad;
    }
    if (svg)
        bad |= store_cli_close_out("timeline", svg, svg_path) != 0;
    bad |= store_cli_close_out("timeline", stdout, "-") != 0;
    store_close(s);
    return bad ? 1 : 0;
}

const struct orbat_cmd cmd_timeline = {
    .name = "timeline",
    .summary = "assets present per day by category (table, SVG or PNG chart)",
    .usage = timeline_usage,
    .exec = timeline_exec,
};
