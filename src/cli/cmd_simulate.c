/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_simulate.c - `orbat simulate SCENARIO.json`: generate valid AIS
 * (!AIVDM with tag blocks) and Mode S (Beast / AVR / SBS) traffic for a
 * scenario into files or TCP listeners, plus a ground-truth JSON file.
 * Every output is labelled as simulation: AIS tag blocks carry
 * s:SIMULATION and the AIS file starts with a '#' comment line; the truth
 * file has "simulation": true (SBS/AVR/Beast have no comment syntax that
 * readers skip, see docs/simulator.md).
 */
#include "cli/cmd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim/archive_out.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "util/outbuf.h"

static const char usage_text[] =
    "usage: orbat simulate SCENARIO.json [--out-ais FILE] [--out-beast FILE]\n"
    "                      [--out-sbs FILE] [--out-avr FILE]\n"
    "                      [--tcp-ais PORT] [--tcp-beast PORT] [--speed N]\n"
    "                      [--seed N] [--truth FILE] [--sightings FILE]\n"
    "                      [--from TIME] [--to TIME] [--stats]\n"
    "                      [--out-traces DIR|DIR/NAME.tar [--split-tar BYTES]\n"
    "                       [--trace-layout 14|9]]\n"
    "                      [--out-marinecadastre FILE.csv[.zst] [--mc-legacy]]\n"
    "                      [--out-snapshots DIR [--snapshot-interval SECONDS]]\n"
    "\n"
    "Generate SIMULATED AIS and Mode S traffic for a scenario (docs/simulator.md).\n"
    "  --out-ais FILE     !AIVDM sentences with tag blocks (s:SIMULATION, c:time, g:)\n"
    "  --out-beast FILE   Beast binary; timestamps are 12 MHz ticks since scenario start\n"
    "  --out-sbs FILE     SBS-1 BaseStation lines (absolute date/time)\n"
    "  --out-avr FILE     AVR lines (*hex;)\n"
    "  --tcp-ais PORT     listen on 127.0.0.1:PORT, wait for a client, stream AIS to it\n"
    "  --tcp-beast PORT   same for Beast\n"
    "  --speed N          pace output at N x real time (default: as fast as possible)\n"
    "  --seed N           override the scenario's seed (background traffic, loss, jitter)\n"
    "  --truth FILE       write the ground-truth JSON\n"
    "  --sightings FILE   write the scenario's manual sightings (TSV for `orbat sighting add`)\n"
    "  --from/--to TIME   only generate this window (YYYY-MM-DD[Thh:mm:ssZ])\n"
    "  --stats            print message counts to stderr\n"
    "Public-archive formats, from the same received positions (all SIMULATED,\n"
    "marked \"orbat_simulated\": true or by a '# SIMULATION' first line):\n"
    "  --out-traces DIR   readsb trace_full files, one per aircraft per UTC day:\n"
    "                     DIR/YYYY/MM/DD/traces/xx/trace_full_<hex>.json (gzip)\n"
    "  --out-traces D/x.tar  one tar per UTC day in D, named as the adsb.lol\n"
    "                     releases: D/vYYYY.MM.DD-planes-readsb-prod-0.tar\n"
    "  --split-tar BYTES  cut each tar into .tar.aa, .tar.ab, ... (as split -b)\n"
    "  --trace-layout N   14 fields per point (default) or the older 9\n"
    "  --out-marinecadastre FILE  MarineCadastre AIS CSV (2025 layout), one row\n"
    "                     per ship per minute; zstd when FILE ends in .zst\n"
    "  --mc-legacy        the pre-2025 layout (MMSI,BaseDateTime,LAT,LON,...)\n"
    "  --out-snapshots DIR  readsb aircraft.json snapshots as ADS-B Exchange\n"
    "                     readsb-hist: DIR/YYYY/MM/DD/HHMMSSZ.json.gz\n"
    "  --snapshot-interval N  seconds between snapshots (default 60)\n"
    "'-' as FILE means stdout.\n";

struct out {
    struct outbuf *ob; /* NULL when unused */
    int fd;
    bool close_fd;
};

struct sim_ctx {
    struct out ais, beast, sbs, avr;
    struct trace_out *traces;
    struct mc_out *mc;
    struct snap_out *snap;
    double speed;
    int64_t t0_sim;
    struct timespec t0_wall;
    bool started;
};

static void flush_all(struct sim_ctx *c)
{
    struct out *o[4] = {&c->ais, &c->beast, &c->sbs, &c->avr};
    for (int i = 0; i < 4; i++)
        if (o[i]->ob)
            outbuf_flush(o[i]->ob);
}

/* --speed pacing: sleep until wall time catches up with simulated time. */
static void pace(struct sim_ctx *c, int64_t t_ms)
{
    if (c->speed <= 0)
        return;
    if (!c->started) {
        c->started = true;
        c->t0_sim = t_ms;
        clock_gettime(CLOCK_MONOTONIC, &c->t0_wall);
        return;
    }
    double due = (double)(t_ms - c->t0_sim) / 1000.0 / c->speed;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double el =
        (double)(now.tv_sec - c->t0_wall.tv_sec) + (double)(now.tv_nsec - c->t0_wall.tv_nsec) / 1e9;
    if (due - el > 0.005) {
        flush_all(c);
        double d = due - el;
        struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static void sink_ais(void *ctx, const char *p, size_t n, int64_t t)
{
    struct sim_ctx *c = ctx;
    pace(c, t);
    ob_write(c->ais.ob, p, n);
}

static void sink_beast(void *ctx, const uint8_t *p, size_t n, int64_t t)
{
    struct sim_ctx *c = ctx;
    pace(c, t);
    ob_write(c->beast.ob, p, n);
}

static void sink_sbs(void *ctx, const char *p, size_t n, int64_t t)
{
    struct sim_ctx *c = ctx;
    pace(c, t);
    ob_write(c->sbs.ob, p, n);
}

static void sink_avr(void *ctx, const char *p, size_t n, int64_t t)
{
    struct sim_ctx *c = ctx;
    pace(c, t);
    ob_write(c->avr.ob, p, n);
}

static int sink_fix(void *ctx, const struct sim_fix *f)
{
    struct sim_ctx *c = ctx;
    if (c->traces && trace_out_fix(c->traces, f) < 0)
        return -1;
    if (c->mc && mc_out_fix(c->mc, f) < 0)
        return -1;
    if (c->snap && snap_out_fix(c->snap, f) < 0)
        return -1;
    return 0;
}

static int open_file(struct out *o, const char *path)
{
    if (!strcmp(path, "-")) {
        o->fd = 1;
        o->close_fd = false;
    } else {
        o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o->fd < 0)
            return -1;
        o->close_fd = true;
    }
    o->ob = malloc(sizeof(*o->ob));
    if (!o->ob)
        return -1;
    outbuf_init(o->ob, o->fd);
    return 0;
}

/* Listen on 127.0.0.1:port and accept one client. */
static int open_tcp(struct out *o, const char *port_s)
{
    char *end;
    long port = strtol(port_s, &end, 10);
    if (*end || port < 1 || port > 65535) {
        errno = EINVAL;
        return -1;
    }
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0)
        return -1;
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 1) < 0) {
        close(ls);
        return -1;
    }
    fprintf(stderr, "orbat simulate: waiting for a client on 127.0.0.1:%ld\n", port);
    int fd = accept(ls, NULL, NULL);
    close(ls);
    if (fd < 0)
        return -1;
    o->fd = fd;
    o->close_fd = true;
    o->ob = malloc(sizeof(*o->ob));
    if (!o->ob)
        return -1;
    outbuf_init(o->ob, fd);
    return 0;
}

static int close_out(struct out *o)
{
    int err = 0;
    if (o->ob) {
        err = outbuf_flush(o->ob);
        free(o->ob);
        o->ob = NULL;
    }
    if (o->close_fd && close(o->fd) < 0 && !err)
        err = errno;
    return err;
}

static void header(struct out *o, const struct scenario *s, const char *what)
{
    if (!o->ob)
        return;
    char b0[32], b1[32], line[512];
    sim_format_time(s->start_ms, b0, sizeof(b0));
    sim_format_time(s->end_ms, b1, sizeof(b1));
    int n = snprintf(line, sizeof(line),
                     "# SIMULATION - orbat simulate %s scenario=%s seed=%llu %s..%s: not real "
                     "broadcasts\n",
                     what, s->name, (unsigned long long)s->seed, b0, b1);
    if (n > 0)
        ob_write(o->ob, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static int simulate_exec(int argc, char **argv)
{
    const char *scen = NULL, *out_ais = NULL, *out_beast = NULL, *out_sbs = NULL, *out_avr = NULL,
               *tcp_ais = NULL, *tcp_beast = NULL, *truth = NULL, *sightings = NULL,
               *out_traces = NULL, *out_mc = NULL, *out_snap = NULL;
    int64_t seed = -1, from = 0, to = 0;
    long long split_bytes = 0, layout = 14, snap_iv = 60;
    double speed = 0;
    bool stats = false, mc_legacy = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--stats")) {
            stats = true;
            continue;
        } else if (!strcmp(a, "--mc-legacy")) {
            mc_legacy = true;
            continue;
        } else if (!strcmp(a, "--out-traces")) {
            slot = &out_traces;
        } else if (!strcmp(a, "--out-marinecadastre")) {
            slot = &out_mc;
        } else if (!strcmp(a, "--out-snapshots")) {
            slot = &out_snap;
        } else if (!strcmp(a, "--split-tar") || !strcmp(a, "--trace-layout") ||
                   !strcmp(a, "--snapshot-interval")) {
            if (i + 1 >= argc) {
                cmd_error("simulate", "%s needs a value", a);
                return 2;
            }
            const char *v = argv[++i];
            char *end;
            long long n = strtoll(v, &end, 10);
            bool ok = !*end && *v;
            if (!strcmp(a, "--split-tar"))
                ok = ok && n >= 1024 && (split_bytes = n) > 0;
            else if (!strcmp(a, "--trace-layout"))
                ok = ok && (n == 9 || n == 14) && (layout = n) > 0;
            else
                ok = ok && n >= 1 && n <= 86400 && (snap_iv = n) > 0;
            if (!ok) {
                cmd_error("simulate", "bad value for %s: %s", a, v);
                return 2;
            }
            continue;
        } else if (!strcmp(a, "--out-ais")) {
            slot = &out_ais;
        } else if (!strcmp(a, "--out-beast")) {
            slot = &out_beast;
        } else if (!strcmp(a, "--out-sbs")) {
            slot = &out_sbs;
        } else if (!strcmp(a, "--out-avr")) {
            slot = &out_avr;
        } else if (!strcmp(a, "--tcp-ais")) {
            slot = &tcp_ais;
        } else if (!strcmp(a, "--tcp-beast")) {
            slot = &tcp_beast;
        } else if (!strcmp(a, "--truth")) {
            slot = &truth;
        } else if (!strcmp(a, "--sightings")) {
            slot = &sightings;
        } else if (!strcmp(a, "--speed") || !strcmp(a, "--seed") || !strcmp(a, "--from") ||
                   !strcmp(a, "--to")) {
            if (i + 1 >= argc) {
                cmd_error("simulate", "%s needs a value", a);
                return 2;
            }
            const char *v = argv[++i];
            char *end;
            bool ok = true;
            if (!strcmp(a, "--speed")) {
                speed = strtod(v, &end);
                ok = !*end && speed > 0;
            } else if (!strcmp(a, "--seed")) {
                long long s = strtoll(v, &end, 10);
                ok = !*end && s >= 0;
                seed = s;
            } else {
                ok = sim_parse_time(v, !strcmp(a, "--from") ? &from : &to);
            }
            if (!ok) {
                cmd_error("simulate", "bad value for %s: %s", a, v);
                return 2;
            }
            continue;
        } else if (a[0] == '-' && a[1]) {
            cmd_error("simulate", "unknown option %s (try --help)", a);
            return 2;
        } else if (!scen) {
            scen = a;
            continue;
        } else {
            cmd_error("simulate", "only one scenario file");
            return 2;
        }
        if (i + 1 >= argc) {
            cmd_error("simulate", "%s needs a value", a);
            return 2;
        }
        *slot = argv[++i];
    }
    if (!scen) {
        fputs(usage_text, stderr);
        return 2;
    }
    size_t otl = out_traces ? strlen(out_traces) : 0;
    if (split_bytes && (otl < 4 || strcmp(out_traces + otl - 4, ".tar"))) {
        cmd_error("simulate", "--split-tar needs --out-traces DIR/NAME.tar");
        return 2;
    }
    if ((out_ais && tcp_ais) || (out_beast && tcp_beast)) {
        cmd_error("simulate", "use a file or a TCP port for each stream, not both");
        return 2;
    }
    char err[256];
    struct scenario *s = scenario_load(scen, seed, err, sizeof(err));
    if (!s) {
        cmd_error("simulate", "%s", err);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sim_ctx c;
    memset(&c, 0, sizeof(c));
    c.speed = speed;
    int rc = 0;
    const char *fail_what = NULL;
    if (out_ais && open_file(&c.ais, out_ais) < 0)
        fail_what = out_ais;
    else if (out_beast && open_file(&c.beast, out_beast) < 0)
        fail_what = out_beast;
    else if (out_sbs && open_file(&c.sbs, out_sbs) < 0)
        fail_what = out_sbs;
    else if (out_avr && open_file(&c.avr, out_avr) < 0)
        fail_what = out_avr;
    else if (tcp_ais && open_tcp(&c.ais, tcp_ais) < 0)
        fail_what = tcp_ais;
    else if (tcp_beast && open_tcp(&c.beast, tcp_beast) < 0)
        fail_what = tcp_beast;
    struct sim_stats st;
    memset(&st, 0, sizeof(st));
    char aerr[512] = "";
    if (!fail_what && out_traces) {
        struct trace_out_opts to_opts = {out_traces, (uint64_t)split_bytes, (int)layout};
        c.traces = trace_out_open(s, &to_opts, aerr, sizeof(aerr));
    }
    if (!fail_what && !aerr[0] && out_mc)
        c.mc = mc_out_open(s, out_mc, mc_legacy, aerr, sizeof(aerr));
    if (!fail_what && !aerr[0] && out_snap)
        c.snap = snap_out_open(s, out_snap, (int)snap_iv, from ? from : s->start_ms,
                               to ? to : s->end_ms, &st, aerr, sizeof(aerr));
    if (fail_what) {
        cmd_error("simulate", "%s: %s", fail_what, strerror(errno));
        rc = 1;
    } else if (aerr[0]) {
        cmd_error("simulate", "%s", aerr);
        rc = 1;
    } else {
        if (!tcp_ais)
            header(&c.ais, s, "AIS");
        // Text outputs start with a '#' SIMULATION line, which orbat's readers
        // skip as a comment and use to mark the source as simulated; AIS also
        // carries s:SIMULATION in every tag block. Beast is binary and has no
        // comment syntax: it is labelled by the truth file and its file name.
        header(&c.sbs, s, "SBS");
        header(&c.avr, s, "AVR");
        struct sim_sink sink = {.ais = c.ais.ob ? sink_ais : NULL,
                                .beast = c.beast.ob ? sink_beast : NULL,
                                .sbs = c.sbs.ob ? sink_sbs : NULL,
                                .avr = c.avr.ob ? sink_avr : NULL,
                                .ctx = &c,
                                .fix = c.traces || c.mc || c.snap ? sink_fix : NULL};
        struct sim_opts so = {from, to};
        errno = 0;
        if (sim_run(s, &so, &sink, &st) < 0) {
            cmd_error("simulate", "%s", errno ? strerror(errno) : "out of memory");
            rc = 1;
        }
    }
    uint64_t n_tr_files = 0, n_tr_points = 0, n_mc = 0, n_snap = 0;
    if (trace_out_close(c.traces, &n_tr_files, &n_tr_points) < 0 && !rc) {
        cmd_error("simulate", "%s: %s", out_traces, strerror(errno));
        rc = 1;
    }
    if (mc_out_close(c.mc, &n_mc) < 0 && !rc) {
        cmd_error("simulate", "%s: %s", out_mc, strerror(errno));
        rc = 1;
    }
    if (snap_out_close(c.snap, &n_snap) < 0 && !rc) {
        cmd_error("simulate", "%s: %s", out_snap, strerror(errno));
        rc = 1;
    }
    struct out *outs[4] = {&c.ais, &c.beast, &c.sbs, &c.avr};
    for (int i = 0; i < 4; i++) {
        int e = close_out(outs[i]);
        if (e && !rc) {
            cmd_error("simulate", "write error: %s", strerror(e));
            rc = 1;
        }
    }
    if (rc == 0 && truth) {
        FILE *f = !strcmp(truth, "-") ? stdout : fopen(truth, "w");
        if (!f || sim_truth_write(s, &st, f) < 0 || (f != stdout && fclose(f) != 0)) {
            cmd_error("simulate", "%s: cannot write truth file", truth);
            rc = 1;
        }
    }
    if (rc == 0 && sightings) {
        FILE *f = !strcmp(sightings, "-") ? stdout : fopen(sightings, "w");
        if (!f || sim_sightings_write(s, f) < 0 || (f != stdout && fclose(f) != 0)) {
            cmd_error("simulate", "%s: cannot write sightings file", sightings);
            rc = 1;
        }
    }
    if (stats)
        fprintf(stderr,
                "simulate: %llu transmissions, %llu off, %llu out of range, %llu lost; "
                "%llu AIS messages (%llu sentences), %llu Mode S frames, %llu SBS lines, "
                "%llu encode errors\n",
                (unsigned long long)st.transmissions, (unsigned long long)st.off,
                (unsigned long long)st.out_of_range, (unsigned long long)st.lost,
                (unsigned long long)st.ais_messages, (unsigned long long)st.ais_sentences,
                (unsigned long long)st.modes_frames, (unsigned long long)st.sbs_lines,
                (unsigned long long)st.encode_errors);
    if (stats && (out_traces || out_mc || out_snap))
        fprintf(stderr,
                "simulate: archives: %llu trace files (%llu points), %llu MarineCadastre rows, "
                "%llu snapshots\n",
                (unsigned long long)n_tr_files, (unsigned long long)n_tr_points,
                (unsigned long long)n_mc, (unsigned long long)n_snap);
    scenario_free(s);
    return rc;
}

const struct orbat_cmd cmd_simulate = {
    .name = "simulate",
    .summary = "generate SIMULATED AIS/Mode S traffic and ground truth for a scenario",
    .usage = usage_text,
    .exec = simulate_exec,
};
