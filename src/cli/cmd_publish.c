/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_publish.c - `orbat publish`: read a receiver's raw output (files,
 * gzip, or '-' for a live pipe) and publish it in batches to the NATS
 * JetStream cluster, for `orbat ingest --nats` workers (docs/scale-out.md).
 */
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/store_cli.h"
#include "core/detect.h"
#include "core/modes_clock.h"
#include "feed/feed.h"
#include "feed/httppoll.h"
#include "nats/nats_client.h"
#include "nats/nats_msg.h"
#include "nats/nats_pub.h"
#include "nats/nats_stream.h"
#include "util/input.h"

static const char publish_usage[] =
    "usage: orbat publish --nats URL[,URL...] [--receiver ID] [--shards N]\n"
    "                     [--batch-lines N] [--batch-ms MS] [--max-buffer N]\n"
    "                     [--give-up-ms MS] [--ack-wait-ms MS] [--start TIME]\n"
    "                     [--quiet] SOURCE...\n"
    "\n"
    "Read each SOURCE (AIS NMEA, SBS or AVR text, or Beast binary; plain or .gz;\n"
    "'-' = stdin,\n"
    "e.g. `nc receiver 30003 | orbat publish ... -`) and publish its lines in\n"
    "batches to the cluster's stream (create it with `orbat cluster init`):\n"
    "AIS to orbat.raw.ais.<shard> with the shard chosen by the receiver id (the\n"
    "parts of a multi-part message stay together), Mode S to orbat.raw.adsb.<shard>\n"
    "by ICAO address. A batch closes at --batch-lines lines or --batch-ms after its\n"
    "first line. Batches are published asynchronously and resent (same\n"
    "Nats-Msg-Id, deduplicated by the stream) on errors and leader changes until\n"
    "the stream acknowledges them. At most --max-buffer batches wait for an\n"
    "acknowledgement; when the buffer is full reading waits, and once the cluster\n"
    "has acknowledged nothing for --give-up-ms, the oldest batches are dropped and\n"
    "counted. A SOURCE may be a live feed, tcp://HOST:PORT[/KIND] (we connect,\n"
    "and reconnect with backoff) or udp://HOST:PORT[/KIND] (we listen), as for\n"
    "`orbat decode`; feeds are read together after the files until SIGINT or\n"
    "SIGTERM, then the last batches are sent and acknowledged. Beast frames\n"
    "(a file, '-', or tcp://HOST:30005/beast) are sent with their time resolved\n"
    "here, to orbat.raw.adsb.<shard> by ICAO address: in a file from its 12 MHz\n"
    "counter, the first one being --start TIME (required, as for `orbat ingest`);\n"
    "from a live feed (and '-' without --start), the receive time.\n"
    "Summary on stderr: lines, batches, acknowledged, retried, dropped.\n"
    "Exit status: 0 when every batch was acknowledged, 1 otherwise.\n"
    "\n"
    "      --nats URLS        cluster servers, comma-separated (nats://host:port)\n"
    "      --receiver ID      receiver id, [A-Za-z0-9_-] (default: the host name)\n"
    "      --shards N         number of shards of the workers (default 2)\n"
    "      --batch-lines N    lines per batch at most (default 500)\n"
    "      --batch-ms MS      batch age at most (default 100)\n"
    "      --max-buffer N     batches waiting for acknowledgement (default 1024)\n"
    "      --give-up-ms MS    cluster silent this long: drop when full, and stop\n"
    "                         waiting at the end (default 30000)\n"
    "      --ack-wait-ms MS   resend batches unanswered this long (default 2000)\n"
    "      --connect-wait-ms MS  retry the first connection this long (default 0)\n"
    "      --start TIME       UTC time of a Beast file's first frame (see ingest)\n"
    "  -q, --quiet            no summary\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define PUB_CHUNK 65536
#define PUB_LINE  8192

#define PUB_DETECT 1024 /* bytes that decide whether a source is Beast */

/* True when the first n bytes of a source are Beast binary, as the
 * pipeline would decide. */
static bool is_beast(const char *buf, size_t n)
{
    return detect_input((const uint8_t *)buf, n < PUB_DETECT ? n : PUB_DETECT) == PIPE_BEAST;
}

/* True when the file at path is Beast binary (false when unreadable). */
static bool file_is_beast(const char *path)
{
    struct input *in = input_open(path);
    if (!in)
        return false;
    char buf[PUB_DETECT];
    ssize_t n = input_read(in, buf, sizeof buf);
    input_close(in);
    return n > 0 && is_beast(buf, (size_t)n);
}

/* Beast frames of one source: the time of each is resolved here (the
 * pipeline's rule, modes_clock), from start_ms or, when 0, the receive
 * time now. */
struct beast_src {
    struct orbat_beast bp;
    struct modes_clock clk;
    int64_t start_ms;
};

static void beast_feed(struct npub *p, struct beast_src *b, const uint8_t *buf, size_t n,
                       int64_t now)
{
    size_t off = 0;
    while (off < n) {
        size_t used = 0;
        struct orbat_modes_frame f;
        int rc = orbat_beast_next(&b->bp, buf + off, n - off, &used, &f);
        off += used;
        if (rc == ORBAT_OK) {
            int64_t t = now;
            bool abs;
            if (b->start_ms && f.has_ts)
                t = modes_clock_time(&b->clk, f.ts_12mhz, b->start_ms, true, &abs);
            npub_frame(p, &f, t, now);
        } else if (rc == ORBAT_AGAIN || used == 0) {
            break;
        }
    }
}

/* Read one source, split into lines (or Beast frames), hand them over. -1
 * on a read error. */
static int publish_source(struct npub *p, const char *path, int64_t batch_ms, int64_t start_ms)
{
    bool is_stdin = !strcmp(path, "-");
    struct input *in = input_open(path);
    if (!in)
        return -1;
    char *buf = malloc(PUB_CHUNK), *line = malloc(PUB_LINE);
    size_t ll = 0;
    bool toolong = false, first = true, beast = false;
    struct beast_src bs = {.start_ms = start_ms};
    orbat_beast_init(&bs.bp);
    modes_clock_reset(&bs.clk);
    ssize_t n = 0;
    if (!buf || !line) {
        free(buf);
        free(line);
        input_close(in);
        errno = ENOMEM;
        return -1;
    }
    while (!stop_flag) {
        if (is_stdin) {
            // A live pipe: close old batches while it is quiet.
            struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
            int pr = poll(&pfd, 1, (int)batch_ms);
            if (pr == 0) {
                npub_tick(p, wall_ms());
                continue;
            }
        }
        if ((n = input_read(in, buf, PUB_CHUNK)) <= 0)
            break;
        int64_t now = wall_ms();
        if (first)
            beast = is_beast(buf, (size_t)n);
        first = false;
        if (beast) {
            beast_feed(p, &bs, (const uint8_t *)buf, (size_t)n, now);
            npub_tick(p, now);
            continue;
        }
        for (ssize_t i = 0; i < n; i++) {
            char ch = buf[i];
            if (ch == '\n') {
                if (!toolong)
                    npub_line(p, line, ll, now);
                ll = 0;
                toolong = false;
            } else if (ll < PUB_LINE) {
                line[ll++] = ch;
            } else {
                toolong = true;
            }
        }
        npub_tick(p, now);
    }
    if (ll && !toolong)
        npub_line(p, line, ll, wall_ms());
    int e = errno;
    free(buf);
    free(line);
    input_close(in);
    if (n < 0) {
        errno = e;
        return -1;
    }
    return 0;
}

/* One live feed and its partial line. */
struct live {
    struct npub *p;
    struct feed *feed;
    char line[PUB_LINE];
    size_t len;
    bool toolong;
    bool beast; /* Beast frames, timed on receipt */
    struct beast_src bs;
};

struct lives {
    struct live l[FEED_MAX];
    size_t n;
    bool quiet;
};

static struct live *live_of(struct lives *ls, const struct feed *f)
{
    if (!ls)
        return NULL;
    for (size_t i = 0; i < ls->n; i++)
        if (ls->l[i].feed == f)
            return &ls->l[i];
    return NULL;
}

static void live_end_line(struct live *l, int64_t now)
{
    if (l->len && !l->toolong)
        npub_line(l->p, l->line, l->len, now);
    l->len = 0;
    l->toolong = false;
}

static void live_data(void *ctx, struct feed *f, const uint8_t *buf, size_t n)
{
    struct live *l = live_of(ctx, f);
    if (!l)
        return;
    int64_t now = wall_ms();
    if (l->beast) {
        beast_feed(l->p, &l->bs, buf, n, now);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = (char)buf[i];
        if (ch == '\n')
            live_end_line(l, now);
        else if (l->len < PUB_LINE)
            l->line[l->len++] = ch;
        else
            l->toolong = true;
    }
    // A datagram is whole: its last line ends with it.
    if (f->proto == FEED_UDP)
        live_end_line(l, now);
}

/* A connection ended: its partial line cannot continue on the next one. */
static void live_reset(void *ctx, struct feed *f)
{
    struct live *l = live_of(ctx, f);
    if (l) {
        l->len = 0;
        l->toolong = false;
        orbat_beast_init(&l->bs.bp);
    }
}

static void live_status(void *ctx, const struct feed *f, const char *why, unsigned retry_ms)
{
    struct lives *ls = ctx;
    if (!ls || ls->quiet)
        return;
    if (why)
        fprintf(stderr, "orbat publish: feed %s: %s; retry in %.1f s\n", f->name, why,
                retry_ms / 1000.0);
    else
        fprintf(stderr, "orbat publish: feed %s: connected\n", f->name);
}

/* Add the feeds specs[0..n-1] to fs (and ls, when not NULL): 0, or 2
 * with a message on a bad spec or one that is not text lines. */
static int add_feeds(struct feed_set *fs, struct lives *ls, struct npub *p, char **specs, int n)
{
    for (int i = 0; i < n; i++) {
        char err[256];
        struct feed *f = feed_set_add(fs, specs[i], err, sizeof err);
        if (!f) {
            cmd_error("publish", "%s", err);
            return 2;
        }
        if (f->proto == FEED_WS) {
            cmd_error("publish",
                      "%s: publish reads a receiver's output (NMEA, SBS, AVR, Beast), not "
                      "a websocket service",
                      specs[i]);
            return 2;
        }
        if (ls) {
            struct live *l = &ls->l[ls->n++];
            l->p = p;
            l->feed = f;
            l->beast = !strcmp(f->kind, "beast");
            orbat_beast_init(&l->bs.bp);
        }
    }
    return 0;
}

/* Read the live feeds specs[0..n-1] (checked by add_feeds) until SIGINT
 * or SIGTERM. 0, or 1 on an error. */
static int publish_live(struct npub *p, char **specs, int n, int64_t batch_ms, bool quiet)
{
    struct lives *ls = calloc(1, sizeof *ls);
    struct feed_set *fs = ls ? feed_set_new(live_data, live_reset, ls) : NULL;
    if (!fs) {
        free(ls);
        cmd_error("publish", "out of memory");
        return 1;
    }
    ls->quiet = quiet;
    feed_set_status_cb(fs, live_status);
    int rc = add_feeds(fs, ls, p, specs, n) ? 1 : 0;
    while (!rc && !stop_flag) {
        if (feed_set_poll(fs, (int)batch_ms) != 0) {
            cmd_error("publish", "poll: %s", strerror(errno));
            rc = 1;
        }
        npub_tick(p, wall_ms());
    }
    // The last lines that ended before the signal are in the batches;
    // a partial line is dropped.
    feed_set_free(fs);
    free(ls);
    return rc;
}

static int num_opt(const char *opt, const char *s, long lo, long hi, long *v)
{
    char *end;
    long x = strtol(s, &end, 10);
    if (end == s || *end || x < lo || x > hi) {
        cmd_error("publish", "%s: '%s' is not %ld..%ld", opt, s, lo, hi);
        return -1;
    }
    *v = x;
    return 0;
}

static int publish_exec(int argc, char **argv)
{
    enum {
        OPT_NATS = 256,
        OPT_RX,
        OPT_SHARDS,
        OPT_BLINES,
        OPT_BMS,
        OPT_MAXBUF,
        OPT_GIVEUP,
        OPT_ACKW,
        OPT_CONNW,
        OPT_START
    };
    static const struct option longopts[] = {{"nats", required_argument, 0, OPT_NATS},
                                             {"receiver", required_argument, 0, OPT_RX},
                                             {"shards", required_argument, 0, OPT_SHARDS},
                                             {"batch-lines", required_argument, 0, OPT_BLINES},
                                             {"batch-ms", required_argument, 0, OPT_BMS},
                                             {"max-buffer", required_argument, 0, OPT_MAXBUF},
                                             {"give-up-ms", required_argument, 0, OPT_GIVEUP},
                                             {"ack-wait-ms", required_argument, 0, OPT_ACKW},
                                             {"connect-wait-ms", required_argument, 0, OPT_CONNW},
                                             {"start", required_argument, 0, OPT_START},
                                             {"quiet", no_argument, 0, 'q'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    struct npub_opts o = {.nshards = 2, .batch_lines = 500, .batch_ms = 100};
    char host[NMSG_RECEIVER_MAX] = "receiver";
    bool quiet = false;
    int64_t start_ms = 0;
    long v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_NATS:
            o.urls = optarg;
            break;
        case OPT_RX:
            if (!nmsg_receiver_ok(optarg)) {
                cmd_error("publish", "--receiver: '%s' is not 1..63 of [A-Za-z0-9_-]", optarg);
                return 2;
            }
            o.receiver = optarg;
            break;
        case OPT_SHARDS:
            if (num_opt("--shards", optarg, 1, NSHARDS_MAX, &v))
                return 2;
            o.nshards = (unsigned)v;
            break;
        case OPT_BLINES:
            if (num_opt("--batch-lines", optarg, 1, NMSG_LINES_MAX, &v))
                return 2;
            o.batch_lines = (uint32_t)v;
            break;
        case OPT_BMS:
            if (num_opt("--batch-ms", optarg, 1, 60000, &v))
                return 2;
            o.batch_ms = v;
            break;
        case OPT_MAXBUF:
            if (num_opt("--max-buffer", optarg, 1, 1000000, &v))
                return 2;
            o.max_buffer = (size_t)v;
            break;
        case OPT_GIVEUP:
            if (num_opt("--give-up-ms", optarg, 1, 86400000, &v))
                return 2;
            o.give_up_ms = v;
            break;
        case OPT_ACKW:
            if (num_opt("--ack-wait-ms", optarg, 10, 600000, &v))
                return 2;
            o.ack_wait_ms = v;
            break;
        case OPT_CONNW:
            if (num_opt("--connect-wait-ms", optarg, 0, 600000, &v))
                return 2;
            o.connect_wait_ms = v;
            break;
        case OPT_START:
            if (store_cli_time("publish", "--start", optarg, &start_ms))
                return 2;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(publish_usage, stdout);
            return 0;
        default:
            fputs(publish_usage, stderr);
            return 2;
        }
    }
    if (!o.urls) {
        cmd_error("publish", "--nats URL[,URL...] is required");
        return 2;
    }
    char uerr[512];
    if (ncl_check_urls(o.urls, uerr, sizeof uerr)) {
        cmd_error("publish", "--nats: %s", uerr);
        return 2;
    }
    if (optind == argc) {
        cmd_error("publish", "no SOURCE given");
        fputs(publish_usage, stderr);
        return 2;
    }
    // Live feeds (tcp://, udp://) are read together after the files, until
    // a signal; what is neither a feed nor an existing file is a file name.
    char **feeds = calloc((size_t)argc, sizeof *feeds);
    int nfeeds = 0;
    if (!feeds) {
        cmd_error("publish", "out of memory");
        return 1;
    }
    for (int i = optind; i < argc; i++) {
        if (!access(argv[i], F_OK))
            continue;
        if (feed_is_spec(argv[i])) {
            if (nfeeds == FEED_MAX) {
                cmd_error("publish", "more than %d live feeds", FEED_MAX);
                free(feeds);
                return 2;
            }
            feeds[nfeeds++] = argv[i];
            argv[i] = NULL;
        } else if (http_poller_is_spec(argv[i])) {
            cmd_error("publish",
                      "%s is a polled web source: publish reads files, '-' and tcp:// or "
                      "udp:// feeds",
                      argv[i]);
            free(feeds);
            return 2;
        }
    }
    // A Beast file's times come from its counter: they need --start.
    for (int i = optind; i < argc; i++)
        if (argv[i] && strcmp(argv[i], "-") && !start_ms && file_is_beast(argv[i])) {
            cmd_error("publish",
                      "%s is Beast binary: its frames carry a relative 12 MHz counter; give "
                      "--start TIME (UTC of its first frame, as for `orbat ingest`)",
                      argv[i]);
            free(feeds);
            return 2;
        }
    if (!o.receiver) {
        // The host name, cut to the characters a receiver id may have.
        char hn[256] = "";
        gethostname(hn, sizeof hn - 1);
        size_t k = 0;
        for (size_t i = 0; hn[i] && k < sizeof host - 1; i++) {
            char ch = hn[i];
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                ch == '_' || ch == '-')
                host[k++] = ch;
        }
        if (k)
            host[k] = 0;
        o.receiver = host;
    }
    if (nfeeds) {
        // Check the feed specs before connecting to the cluster.
        struct feed_set *chk = feed_set_new(live_data, live_reset, NULL);
        int cr = chk ? add_feeds(chk, NULL, NULL, feeds, nfeeds) : 1;
        feed_set_free(chk);
        if (cr) {
            free(feeds);
            return cr;
        }
    }
    char err[512];
    struct npub *p = npub_open(&o, err, sizeof err);
    if (!p) {
        cmd_error("publish", "%s", err);
        free(feeds);
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int ret = 0;
    for (int i = optind; i < argc && !stop_flag; i++)
        if (argv[i] && publish_source(p, argv[i], o.batch_ms > 0 ? o.batch_ms : 100, start_ms)) {
            cmd_error("publish", "%s: %s", argv[i], strerror(errno));
            ret = 1;
        }
    if (nfeeds && !stop_flag) {
        int lr = publish_live(p, feeds, nfeeds, o.batch_ms > 0 ? o.batch_ms : 100, quiet);
        if (lr)
            ret = lr;
    }
    free(feeds);
    if (npub_finish(p, o.give_up_ms > 0 ? o.give_up_ms : 30000))
        ret = 1;
    struct npub_stats st;
    npub_get_stats(p, &st);
    if (!quiet)
        fprintf(stderr,
                "orbat publish: %llu lines (%llu not AIS/SBS/AVR, not sent), %llu batches, %llu "
                "acknowledged (%llu lines, %llu duplicates), %llu retried, %llu dropped (%llu "
                "lines), %.1f MB\n",
                (unsigned long long)st.lines, (unsigned long long)st.other,
                (unsigned long long)st.batches, (unsigned long long)st.acked,
                (unsigned long long)st.acked_lines, (unsigned long long)st.duplicates,
                (unsigned long long)st.retried, (unsigned long long)st.dropped,
                (unsigned long long)st.dropped_lines, (double)st.bytes / 1e6);
    npub_close(p);
    return ret;
}

const struct orbat_cmd cmd_publish = {
    .name = "publish",
    .summary = "publish a receiver's raw lines in batches to a NATS JetStream cluster",
    .usage = publish_usage,
    .exec = publish_exec,
};
