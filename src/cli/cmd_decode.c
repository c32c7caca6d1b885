/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_decode.c - `orbat decode`: read AIS NMEA or Mode S (Beast, AVR, SBS)
 * from files (plain or .gz) or stdin and write one JSON object per message.
 * Like gpsdecode, it doubles as the golden-test driver. Live feeds (feed.h)
 * and polled HTTP sources (httppoll.h: aircraft JSON URLs, the v2 presets,
 * AISHub) are decoded as they arrive.
 */
#include "cli/cmd.h"

#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/decode.h"
#include "cli/decode_route.h"
#include "feed/feed.h"
#include "feed/httppoll.h"
#include "feed/aishub.h"
#include "util/input.h"

#include <signal.h>

static const char decode_usage[] =
    "usage: orbat decode [--input nmea|beast|avr|sbs|auto] [--format FORMAT] [--stats]\n"
    "                    [--fix] [--duration SECONDS] [FILE ...]\n"
    "\n"
    "Decode AIS (NMEA 0183 !xxVDM/!xxVDO, tag blocks, multi-sentence) and Mode S /\n"
    "ADS-B (Beast binary, AVR hex, SBS BaseStation) and write one JSON object per\n"
    "message on stdout. FILEs may be gzip-compressed; with no FILE, or '-', read\n"
    "stdin. Bad input is counted and skipped, never fatal.\n"
    "\n"
    "A FILE of the form [NAME=]tcp://HOST:PORT[/KIND] connects to a live feed\n"
    "(readsb/dump1090 Beast 30005, AVR 30002, SBS 30003, AIS-catcher NMEA) and\n"
    "reconnects with backoff; [NAME=]udp://HOST:PORT[/KIND] listens for NMEA\n"
    "datagrams. aisstream: and aisstream+ws://... subscribe to aisstream.io.\n"
    "[NAME=]http[s]://HOST[:PORT]/PATH polls a readsb/tar1090 aircraft.json\n"
    "every 5 s; adsblol:, airplaneslive:, adsbfi: (or PRESET+http://HOST:PORT)\n"
    "poll those providers' v2 APIs (bbox=S,W,N,E for circles, else /v2/mil\n"
    "only) and aishub:[?bbox=S,W,N,E] AISHub (user from $ORBAT_AISHUB_USER);\n"
    "their credit lines are printed on stderr (docs/feeds.md). Live feeds run\n"
    "until SIGINT/SIGTERM (or --duration), then output is flushed.\n"
    "\n"
    "  -i, --input KIND   framing of the input (default auto: detected per file;\n"
    "                     text files may mix NMEA, AVR and SBS lines)\n"
    "  -f, --format FMT   gpsd         AIS as `gpsdecode -u -j` (default for AIS)\n"
    "                     gpsd-scaled  AIS as `gpsdecode -j`\n"
    "                     jsonl        orbat's JSON: adds time, source, channel and\n"
    "                                  the raw sentences/frame (default for Mode S)\n"
    "                     sbs          BaseStation CSV like dump1090 port 30003 (Mode S)\n"
    "                     none         decode only, print nothing (benchmarks)\n"
    "  -s, --stats        print counts by message kind and error reason to stderr\n"
    "      --fix          correct 1-bit CRC errors in DF11/17/18 (off by default)\n"
    "      --duration SECONDS  stop the live feeds after this long (default: never)\n"
    "  -h, --help         this text\n";

static int parse_format(const char *s, enum decode_format *f)
{
    static const struct {
        const char *name;
        enum decode_format fmt;
    } t[] = {{"gpsd", DFMT_GPSD},   {"gpsd-scaled", DFMT_GPSD_SCALED},
             {"jsonl", DFMT_JSONL}, {"json", DFMT_JSONL},
             {"sbs", DFMT_SBS},     {"none", DFMT_NONE}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(s, t[i].name)) {
            *f = t[i].fmt;
            return 0;
        }
    return -1;
}

static int parse_input(const char *s, enum decode_input *in)
{
    static const struct {
        const char *name;
        enum decode_input in;
    } t[] = {{"auto", DIN_AUTO},   {"nmea", DIN_NMEA}, {"ais", DIN_NMEA},
             {"beast", DIN_BEAST}, {"avr", DIN_AVR},   {"sbs", DIN_SBS}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(s, t[i].name)) {
            *in = t[i].in;
            return 0;
        }
    return -1;
}

struct decode_run {
    struct decode_opts opts;
    struct outbuf *out;
    struct ais_sink *ais;
    struct modes_sink *modes;
};

#define CHUNK (1 << 17)

/* One sink pair per live feed: framing state must not mix streams. */
struct live {
    struct decode_run *run;
    struct feed *feed;
    enum decode_input kind;
    struct ais_sink *ais;
    struct modes_sink *modes;
    bool nomem;
};

static volatile sig_atomic_t decode_stop;

static void on_signal(int sig)
{
    (void)sig;
    decode_stop = 1;
}

static void live_data(void *ctx, struct feed *f, const uint8_t *buf, size_t n)
{
    struct live *lv = (struct live *)ctx;
    while (lv->feed != f)
        lv++;
    if (lv->kind == DIN_AUTO)
        lv->kind = decode_detect(buf, n);
    if (lv->kind == DIN_NMEA) {
        if (!lv->ais && !(lv->ais = ais_sink_new(&lv->run->opts, lv->run->out))) {
            lv->nomem = true;
            return;
        }
        ais_sink_feed(lv->ais, (const char *)buf, n, f->name);
    } else {
        if (!lv->modes && !(lv->modes = modes_sink_new(&lv->run->opts, lv->run->out))) {
            lv->nomem = true;
            return;
        }
        modes_sink_feed(lv->modes, lv->kind, buf, n, f->name);
    }
}

static void live_reset(void *ctx, struct feed *f)
{
    struct live *lv = (struct live *)ctx;
    while (lv->feed != f)
        lv++;
    // A partial line or frame cannot continue on the next connection.
    if (lv->ais && lv->kind == DIN_NMEA)
        ais_sink_end_of_input(lv->ais);
    if (lv->modes && lv->kind != DIN_NMEA && lv->kind != DIN_AUTO)
        modes_sink_end_of_input(lv->modes, lv->kind);
}

static enum decode_input kind_of(const char *k, enum decode_input dflt)
{
    if (!strcmp(k, "nmea") || !strcmp(k, "ais") || !strcmp(k, "aisstream"))
        return DIN_NMEA;
    if (!strcmp(k, "beast"))
        return DIN_BEAST;
    if (!strcmp(k, "avr"))
        return DIN_AVR;
    if (!strcmp(k, "sbs"))
        return DIN_SBS;
    return dflt;
}

/* Say on stderr why a feed is down and when it is tried again. */
static void live_status(void *ctx, const struct feed *f, const char *why, unsigned retry_ms)
{
    (void)ctx;
    char where[352];
    snprintf(where, sizeof where, "%s:%s", f->host, f->port);
    if (strcmp(f->name, where) != 0)
        snprintf(where, sizeof where, "%s (%s:%s)", f->name, f->host, f->port);
    if (why)
        fprintf(stderr, "orbat decode: %s: %s; retrying in %.1f s\n", where,
                why[0] ? why : "connection lost", retry_ms / 1000.0);
    else
        fprintf(stderr, "orbat decode: %s: connected\n", where);
}

/* A polled HTTP source and its sink (its own framing state). */
struct polled {
    struct http_poller h;
    struct ais_sink *ais;     /* AISHub: aisstream JSON lines */
    struct modes_sink *modes; /* aircraft: SBS lines */
    char *buf;                /* one answer's lines (open_memstream) */
    size_t len;
    FILE *f;
};

static FILE *polled_out(void *ctx, struct http_poller *h)
{
    (void)ctx;
    struct polled *p = (struct polled *)h; // h is the first member
    if (!p->f)
        p->f = open_memstream(&p->buf, &p->len);
    return p->f;
}

/* Poll when due and decode the answer's lines; -1 when out of memory. */
static int polled_step(struct decode_run *r, struct polled *p)
{
    int refused = 0;
    http_poller_step(&p->h, feed_now_ms(), polled_out, NULL, &refused);
    if (refused)
        fprintf(stderr, "orbat decode: feed %s: %s\n", p->h.name, p->h.last_error);
    if (!p->f)
        return 0;
    int rc = fclose(p->f) == 0 ? 0 : -1;
    p->f = NULL;
    if (rc == 0 && p->len) {
        if (p->h.aishub) {
            if (!p->ais && !(p->ais = ais_sink_new(&r->opts, r->out)))
                rc = -1;
            else
                ais_sink_feed(p->ais, p->buf, p->len, p->h.name);
        } else {
            if (!p->modes && !(p->modes = modes_sink_new(&r->opts, r->out)))
                rc = -1;
            else
                modes_sink_feed(p->modes, DIN_SBS, (const uint8_t *)p->buf, p->len, p->h.name);
        }
    }
    free(p->buf);
    p->buf = NULL;
    p->len = 0;
    return rc;
}

/* Set up the polled sources; 2 on a bad spec. */
static int polled_init(struct polled *pl, char **specs, int n)
{
    const char *user = getenv(AISHUB_USER_ENV);
    for (int i = 0; i < n; i++) {
        char err[256];
        struct http_poller *h = &pl[i].h;
        if (http_poller_init(h, specs[i], NULL, http_poller_default_secs(specs[i]), err,
                             sizeof err) ||
            http_poller_plan(h, user, false, 0, 0, 0, 0, err, sizeof err)) {
            cmd_error("decode", "%s: %s", specs[i], err);
            return 2;
        }
        const char *credit = http_poller_attribution(h);
        if (credit)
            fprintf(stderr, "orbat decode: feed %s: %s\n", h->name, credit);
    }
    return 0;
}

static void polled_end(struct decode_run *r, struct polled *p)
{
    if (p->ais)
        ais_sink_end_of_input(p->ais);
    if (p->modes)
        modes_sink_end_of_input(p->modes, DIN_SBS);
    if (r->opts.stats) {
        fprintf(stderr,
                "feed %s: %llu requests, %llu errors, %llu rate-limit waits, %llu records, "
                "%llu lines, %llu bad JSON\n",
                p->h.name, (unsigned long long)p->h.requests, (unsigned long long)p->h.errors,
                (unsigned long long)p->h.ratelimit_waits, (unsigned long long)p->h.st.aircraft,
                (unsigned long long)p->h.st.lines, (unsigned long long)p->h.st.bad_json);
        if (p->ais)
            ais_sink_report(p->ais, stderr);
        if (p->modes)
            modes_sink_report(p->modes, stderr);
    }
    ais_sink_free(p->ais);
    modes_sink_free(p->modes);
    http_poller_free(&p->h);
}

/* Run the live feeds named in specs and the polled sources in pspecs
 * until a signal or duration_ms (0: none). */
static int decode_live(struct decode_run *r, char **specs, int nspecs, char **pspecs, int npoll,
                       int64_t duration_ms)
{
    struct polled *pl = calloc((size_t)npoll + 1, sizeof *pl);
    if (!pl) {
        cmd_error("decode", "out of memory");
        return 1;
    }
    struct live lives[FEED_MAX + 1];
    memset(lives, 0, sizeof lives);
    struct feed_set *fs = feed_set_new(live_data, live_reset, lives);
    if (!fs) {
        cmd_error("decode", "out of memory");
        free(pl);
        return 1;
    }
    feed_set_status_cb(fs, live_status);
    int rc = 0;
    for (int i = 0; i < nspecs; i++) {
        char err[256];
        struct feed *f = feed_set_add(fs, specs[i], err, sizeof err);
        if (!f) {
            cmd_error("decode", "%s", err);
            feed_set_free(fs);
            free(pl);
            return 2;
        }
        lives[i].run = r;
        lives[i].feed = f;
        lives[i].kind = kind_of(f->kind, r->opts.input);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    rc = polled_init(pl, pspecs, npoll);
    int64_t end_ms = duration_ms ? feed_now_ms() + duration_ms : INT64_MAX;
    while (!rc && !decode_stop && feed_now_ms() < end_ms) {
        if (feed_set_poll(fs, npoll ? 50 : 200) != 0) {
            cmd_error("decode", "poll: %s", strerror(errno));
            rc = 1;
            break;
        }
        bool nomem = false;
        for (int i = 0; i < npoll; i++)
            nomem |= polled_step(r, &pl[i]) != 0;
        for (int i = 0; i < nspecs; i++)
            nomem |= lives[i].nomem;
        if (nomem) {
            cmd_error("decode", "out of memory");
            rc = 1;
            break;
        }
        outbuf_flush(r->out);
    }
    for (int i = 0; i < nspecs; i++) {
        live_reset(lives, lives[i].feed);
        const struct feed *f = lives[i].feed;
        if (r->opts.stats) {
            fprintf(
                stderr,
                "feed %s: %llu bytes, %llu connects, %llu disconnects, %llu failed attempts%s%s\n",
                f->name, (unsigned long long)f->c.bytes, (unsigned long long)f->c.connects,
                (unsigned long long)f->c.disconnects, (unsigned long long)f->c.failures,
                f->last_error[0] ? "; last error: " : "", f->last_error);
            if (lives[i].ais)
                ais_sink_report(lives[i].ais, stderr);
            if (lives[i].modes)
                modes_sink_report(lives[i].modes, stderr);
        }
        ais_sink_free(lives[i].ais);
        modes_sink_free(lives[i].modes);
    }
    for (int i = 0; i < npoll; i++)
        polled_end(r, &pl[i]);
    outbuf_flush(r->out);
    free(pl);
    feed_set_free(fs);
    return rc;
}

/* Routed text: each run of lines goes to the sink for its framing. */
struct routed {
    struct decode_run *run;
    const char *name;
    enum decode_input modes_kind; /* last AVR/SBS framing fed, for end_of_input */
    bool nomem;
};

static void route_cb(void *ctx, enum decode_input k, const uint8_t *p, size_t n)
{
    struct routed *t = ctx;
    struct decode_run *r = t->run;
    if (k == DIN_NMEA) {
        if (!r->ais && !(r->ais = ais_sink_new(&r->opts, r->out))) {
            t->nomem = true;
            return;
        }
        ais_sink_feed(r->ais, (const char *)p, n, t->name);
        return;
    }
    if (!r->modes && !(r->modes = modes_sink_new(&r->opts, r->out))) {
        t->nomem = true;
        return;
    }
    if (t->modes_kind != DIN_AUTO && t->modes_kind != k)
        modes_sink_end_of_input(r->modes, t->modes_kind); // nothing pending: runs end at lines
    t->modes_kind = k;
    modes_sink_feed(r->modes, k, p, n, t->name);
}

static int decode_one(struct decode_run *r, const char *path, unsigned char *buf)
{
    struct input *in = input_open(path);
    if (!in) {
        cmd_error("decode", "%s: %s", path, strerror(errno));
        return 1;
    }
    enum decode_input kind = r->opts.input;
    // --input auto and a text framing: NMEA, AVR and SBS lines may be mixed
    // in one file; each line goes to the sink that reads it.
    bool route = kind == DIN_AUTO;
    struct decode_route rt;
    struct routed t = {.run = r, .name = input_name(in), .modes_kind = DIN_AUTO};
    ssize_t n;
    int rc = 0;
    while ((n = input_read(in, buf, CHUNK)) > 0) {
        if (kind == DIN_AUTO) {
            kind = decode_detect(buf, (size_t)n);
            route = route && kind != DIN_BEAST;
            if (route)
                decode_route_init(&rt, kind);
        }
        if (route) {
            decode_route_feed(&rt, buf, (size_t)n, route_cb, &t);
            if (t.nomem)
                goto nomem;
        } else if (kind == DIN_NMEA) {
            if (!r->ais && !(r->ais = ais_sink_new(&r->opts, r->out)))
                goto nomem;
            ais_sink_feed(r->ais, (const char *)buf, (size_t)n, input_name(in));
        } else {
            if (!r->modes && !(r->modes = modes_sink_new(&r->opts, r->out)))
                goto nomem;
            modes_sink_feed(r->modes, kind, buf, (size_t)n, input_name(in));
        }
    }
    if (n < 0) {
        cmd_error("decode", "%s: read error: %s", path,
                  errno == EILSEQ ? "corrupt gzip data" : strerror(errno));
        rc = 1;
    }
    if (route) {
        decode_route_finish(&rt, route_cb, &t);
        if (t.nomem)
            goto nomem;
        if (r->ais)
            ais_sink_end_of_input(r->ais);
        if (r->modes && t.modes_kind != DIN_AUTO)
            modes_sink_end_of_input(r->modes, t.modes_kind);
    } else {
        if (r->ais && kind == DIN_NMEA)
            ais_sink_end_of_input(r->ais);
        if (r->modes && kind != DIN_NMEA && kind != DIN_AUTO)
            modes_sink_end_of_input(r->modes, kind);
    }
    input_close(in);
    return rc;
nomem:
    cmd_error("decode", "out of memory");
    input_close(in);
    return 1;
}

static int decode_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"input", required_argument, 0, 'i'},
                                             {"format", required_argument, 0, 'f'},
                                             {"stats", no_argument, 0, 's'},
                                             {"fix", no_argument, 0, 'F'},
                                             {"help", no_argument, 0, 'h'},
                                             {"duration", required_argument, 0, 'D'},
                                             {0, 0, 0, 0}};
    int64_t duration_ms = 0;
    struct decode_run r;
    memset(&r, 0, sizeof r);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:f:sh", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            if (parse_input(optarg, &r.opts.input)) {
                cmd_error("decode", "unknown input kind '%s' (nmea, beast, avr, sbs, auto)",
                          optarg);
                return 2;
            }
            break;
        case 'f':
            if (parse_format(optarg, &r.opts.format)) {
                cmd_error("decode", "unknown format '%s' (gpsd, gpsd-scaled, jsonl, sbs, none)",
                          optarg);
                return 2;
            }
            break;
        case 's':
            r.opts.stats = true;
            break;
        case 'F':
            r.opts.fix1bit = true;
            break;
        case 'D': {
            char *end;
            double secs = strtod(optarg, &end);
            if (end == optarg || *end || !(secs > 0 && secs <= 31536000)) {
                cmd_error("decode", "--duration: need seconds (0 < S <= 31536000)");
                return 2;
            }
            duration_ms = (int64_t)(secs * 1000);
            break;
        }
        case 'h':
            fputs(decode_usage, stdout);
            return 0;
        default:
            fputs(decode_usage, stderr);
            return 2;
        }
    }
    struct outbuf *out = malloc(sizeof *out);
    unsigned char *buf = malloc(CHUNK);
    if (!out || !buf) {
        free(out);
        free(buf);
        cmd_error("decode", "out of memory");
        return 1;
    }
    outbuf_init(out, r.opts.format == DFMT_NONE ? -1 : STDOUT_FILENO);
    r.out = out;
    int rc = 0, nfeeds = 0, npoll = 0;
    char *feeds[FEED_MAX], *polls[FEED_MAX];
    for (int i = optind; i < argc; i++) {
        if (http_poller_is_spec(argv[i]) && !feed_is_spec(argv[i])) {
            if (npoll == FEED_MAX) {
                cmd_error("decode", "too many HTTP feeds (at most %d)", FEED_MAX);
                free(out);
                free(buf);
                return 2;
            }
            polls[npoll++] = argv[i];
            continue;
        }
        if (!feed_is_spec(argv[i]))
            continue;
        if (nfeeds == FEED_MAX) {
            cmd_error("decode", "too many feeds (at most %d)", FEED_MAX);
            free(out);
            free(buf);
            return 2;
        }
        feeds[nfeeds++] = argv[i];
    }
    if (optind >= argc)
        rc |= decode_one(&r, "-", buf);
    for (int i = optind; i < argc; i++)
        if (!feed_is_spec(argv[i]) && !http_poller_is_spec(argv[i]))
            rc |= decode_one(&r, argv[i], buf);
    if (nfeeds || npoll)
        rc |= decode_live(&r, feeds, nfeeds, polls, npoll, duration_ms);
    if (outbuf_flush(out)) {
        cmd_error("decode", "write error: %s", strerror(out->err));
        rc = 1;
    }
    if (r.opts.stats) {
        if (r.ais)
            ais_sink_report(r.ais, stderr);
        if (r.modes)
            modes_sink_report(r.modes, stderr);
    }
    ais_sink_free(r.ais);
    modes_sink_free(r.modes);
    free(out);
    free(buf);
    return rc;
}

const struct orbat_cmd cmd_decode = {
    .name = "decode",
    .summary = "decode AIS / Mode S input to JSON lines (gpsd-compatible for AIS)",
    .usage = decode_usage,
    .exec = decode_exec,
};
