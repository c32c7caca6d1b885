/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_ingest.c - `orbat ingest`: decode, identify, track, detect events and
 * store source files in the database, with a progress line on a terminal
 * and a summary at the end.
 */
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/store_cli.h"
#include "feed/feed.h"
#include "feed/httppoll.h"
#include "nats/nats_client.h"
#include "nats/nats_stream.h"
#include "nats/nats_worker.h"
#include "store/ingest.h"

static const char ingest_usage[] =
    "usage: orbat ingest [--db FILE] [--theatre NAME|FILE|none] [--input KIND] [--fix]\n"
    "                    [--start TIME] [--registry FILE]... [--no-default-registry]\n"
    "                    [--force] [--quiet]\n"
    "                    SOURCE...\n"
    "       orbat ingest --nats URL[,URL...] --shard K/N [--drain] [--durable NAME]\n"
    "                    [--stream NAME] [--ack-wait-ms MS] [--fetch N] [--db FILE] ...\n"
    "\n"
    "Decode each SOURCE (AIS NMEA, Beast, AVR or SBS; plain or .gz; '-' = stdin),\n"
    "identify the assets, track them, detect events against the theatre and\n"
    "store observations (the earliest per asset per minute), raw messages,\n"
    "assets, events and the source checksum. A source already ingested is\n"
    "skipped; an interrupted ingest is completed by running it again.\n"
    "Ingest reads files: live feeds (tcp://, udp://, aisstream:, adsblol:,\n"
    "airplaneslive:, adsbfi:, aishub:, http://...) go through `orbat run --feed`,\n"
    "which spools them to files and ingests those (`orbat decode` shows them).\n"
    "\n"
    "  -d, --db FILE          database (default $ORBAT_DB or orbat.db)\n"
    "  -t, --theatre NAME     theatre name or file (default caribbean; none = no theatre)\n"
    "  -i, --input KIND       nmea, beast, avr, sbs or auto (default)\n"
    "      --fix              correct 1-bit CRC errors in DF11/17/18\n"
    "      --start TIME       UTC time of the first Beast/AVR timestamp (their clocks\n"
    "                         are relative: without it such frames are not stored)\n"
    "  -r, --registry FILE    extra registry CSV (repeatable)\n"
    "      --no-default-registry  do not load the shipped registry\n"
    "      --callsigns FILE   callsign rules (default data/rules/callsigns.csv)\n"
    "      --force            ingest sources even if already ingested\n"
    "      --batch-ms N       commit at least every N ms (default 1000)\n"
    "      --threads N        3 (default): read+decode, identify+track, and the database\n"
    "                         writer run on their own threads; 1: all on one thread\n"
    "  -q, --quiet            no progress line and no summary\n"
    "\n"
    "With --nats, ingest is a worker of a NATS JetStream cluster (docs/scale-out.md):\n"
    "it reads shard K of N (orbat.raw.*.K, written by `orbat publish`) from its\n"
    "durable pull consumer, and for each fetched batch decodes, identifies,\n"
    "tracks, detects events and stores in one transaction, then acknowledges\n"
    "the batch. A batch redelivered after a crash is stored once (natural keys).\n"
    "Runs until SIGINT/SIGTERM, or with --drain until the shard has nothing pending.\n"
    "      --nats URLS        cluster servers, comma-separated (nats://host:port)\n"
    "      --shard K/N        the shard to read (0 <= K < N)\n"
    "      --drain            exit 0 once the shard has no pending messages\n"
    "      --durable NAME     consumer name (default shard-K-of-N; a new name reads\n"
    "                         the stream from sequence 1)\n"
    "      --stream NAME      stream name (default " NSTREAM_DEFAULT ")\n"
    "      --ack-wait-ms MS   AckWait of a consumer created here (default 30000)\n"
    "      --fetch N          messages per batch (default 64)\n"
    "      --no-warm-up       do not replay the shard up to the durable's ack floor at\n"
    "                         start (the replay restores the events engine's track\n"
    "                         state after a restart; its writes change nothing)\n"
    "      --connect-wait-ms MS  retry the first connection this long (default 0)\n"
    "      --lease-ms MS      active/standby: the worker holding the shard's lease\n"
    "                         fetches, others wait; one takes over when the lease\n"
    "                         was not renewed for MS (default 5000)\n";

static int parse_input(const char *s, enum pipeline_input *in)
{
    static const struct {
        const char *name;
        enum pipeline_input in;
    } t[] = {{"auto", PIPE_AUTO},   {"nmea", PIPE_NMEA}, {"ais", PIPE_NMEA},
             {"beast", PIPE_BEAST}, {"avr", PIPE_AVR},   {"sbs", PIPE_SBS}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(s, t[i].name)) {
            *in = t[i].in;
            return 0;
        }
    return -1;
}

/* The theatre, loaded on a second thread while this one loads the
 * registry and computes the sources' checksums (the theatre's GeoJSON is
 * the longest part of the start-up). */
struct theatre_job {
    const char *name;
    struct theatre *th;
    enum orbat_err err;
    char msg[256];
};

static void *theatre_main(void *arg)
{
    struct theatre_job *j = arg;
    j->th = theatre_load(j->name, &j->err, j->msg, sizeof j->msg);
    return NULL;
}

static volatile sig_atomic_t nats_stop;

static void nats_on_signal(int sig)
{
    (void)sig;
    nats_stop = 1;
}

/* `orbat ingest --nats`: the shard worker, then the events engine's last
 * events (ingest_finish) and a summary. */
static int ingest_nats(struct ingest *g, struct ingest *g2, struct store *s,
                       struct nworker_opts *wo, bool quiet)
{
    struct ingest *gs2[NW_NCLASSES] = {g, g2};
    struct sigaction sa = {.sa_handler = nats_on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    wo->stop = &nats_stop;
    wo->log = quiet ? NULL : stderr;
    struct nworker_stats st = {0};
    char err[512];
    int ret = 0;
    if (nworker_run(gs2, wo, &st, err, sizeof err)) {
        cmd_error("ingest", "%s", err);
        ret = 1;
    }
    for (int k = 0; k < NW_NCLASSES; k++)
        if (!ret || ingest_get_stats(gs2[k])->db_errors == 0) {
            int rc = ingest_finish(gs2[k]);
            if (rc) {
                cmd_error("ingest", "%s: %s", orbat_strerror(rc), store_errmsg(s));
                ret = 1;
            }
        }
    if (!quiet) {
        struct ingest_stats sum = *ingest_get_stats(g);
        const struct ingest_stats *b2 = ingest_get_stats(g2);
        sum.kept += b2->kept;
        sum.positions += b2->positions;
        sum.raw += b2->raw;
        sum.events += b2->events;
        const struct ingest_stats *gs = &sum;
        fprintf(stderr,
                "orbat ingest: shard %u/%u: %llu batches, %llu messages (%llu redelivered, %llu "
                "malformed, %llu replayed at start), %llu lines: %llu AIS, %llu Mode S frames -> "
                "%llu observations, %llu "
                "rejected; stored %llu of %llu positions, %llu raw, %llu events; %llu acks "
                "failed\n",
                wo->shard, wo->nshards, (unsigned long long)st.fetches,
                (unsigned long long)st.messages, (unsigned long long)st.redelivered,
                (unsigned long long)st.bad, (unsigned long long)st.warmup,
                (unsigned long long)st.lines, (unsigned long long)st.ais_messages,
                (unsigned long long)st.modes_frames, (unsigned long long)st.obs,
                (unsigned long long)st.rejected, (unsigned long long)gs->kept,
                (unsigned long long)gs->positions, (unsigned long long)gs->raw,
                (unsigned long long)gs->events, (unsigned long long)st.ack_errors);
    }
    return ret;
}

static int ingest_exec(int argc, char **argv)
{
    enum {
        OPT_FIX = 256,
        OPT_NODEF,
        OPT_FORCE,
        OPT_BATCH,
        OPT_CALLSIGNS,
        OPT_START,
        OPT_THREADS,
        OPT_NATS,
        OPT_SHARD,
        OPT_DRAIN,
        OPT_DURABLE,
        OPT_STREAM,
        OPT_ACKW,
        OPT_FETCH,
        OPT_CONNW,
        OPT_NOWARM,
        OPT_LEASE
    };
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"theatre", required_argument, 0, 't'},
                                             {"input", required_argument, 0, 'i'},
                                             {"fix", no_argument, 0, OPT_FIX},
                                             {"start", required_argument, 0, OPT_START},
                                             {"registry", required_argument, 0, 'r'},
                                             {"no-default-registry", no_argument, 0, OPT_NODEF},
                                             {"callsigns", required_argument, 0, OPT_CALLSIGNS},
                                             {"force", no_argument, 0, OPT_FORCE},
                                             {"batch-ms", required_argument, 0, OPT_BATCH},
                                             {"threads", required_argument, 0, OPT_THREADS},
                                             {"nats", required_argument, 0, OPT_NATS},
                                             {"shard", required_argument, 0, OPT_SHARD},
                                             {"drain", no_argument, 0, OPT_DRAIN},
                                             {"durable", required_argument, 0, OPT_DURABLE},
                                             {"stream", required_argument, 0, OPT_STREAM},
                                             {"ack-wait-ms", required_argument, 0, OPT_ACKW},
                                             {"fetch", required_argument, 0, OPT_FETCH},
                                             {"connect-wait-ms", required_argument, 0, OPT_CONNW},
                                             {"no-warm-up", no_argument, 0, OPT_NOWARM},
                                             {"lease-ms", required_argument, 0, OPT_LEASE},
                                             {"quiet", no_argument, 0, 'q'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *theatre = "caribbean", *callsigns = NULL;
    struct ingest_opts io = {0};
    struct nworker_opts wo = {0};
    bool shard_set = false;
    bool nodef = false, quiet = false;
    char **regs = calloc((size_t)argc + 1, sizeof *regs);
    size_t nregs = 0;
    int c, ret = 2;
    if (!regs)
        return 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:t:i:r:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 't':
            theatre = optarg;
            break;
        case 'i':
            if (parse_input(optarg, &io.input)) {
                cmd_error("ingest", "unknown input kind '%s' (nmea, beast, avr, sbs, auto)",
                          optarg);
                goto out;
            }
            break;
        case OPT_FIX:
            io.fix1bit = true;
            break;
        case OPT_START:
            if (store_cli_time("ingest", "--start", optarg, &io.start_ms))
                goto out;
            break;
        case 'r':
            regs[nregs++] = optarg;
            break;
        case OPT_NODEF:
            nodef = true;
            break;
        case OPT_CALLSIGNS:
            callsigns = optarg;
            break;
        case OPT_FORCE:
            io.force = true;
            break;
        case OPT_BATCH: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 600000) {
                cmd_error("ingest", "--batch-ms: '%s' is not 1..600000", optarg);
                goto out;
            }
            io.batch_ms = v;
            break;
        }
        case OPT_THREADS:
            if (strcmp(optarg, "1") && strcmp(optarg, "3")) {
                cmd_error("ingest", "--threads: '%s' is not 1 or 3", optarg);
                goto out;
            }
            io.single_thread = optarg[0] == '1';
            break;
        case OPT_NATS:
            wo.urls = optarg;
            break;
        case OPT_SHARD: {
            unsigned k, n;
            char tail;
            if (sscanf(optarg, "%u/%u%c", &k, &n, &tail) != 2 || n == 0 || k >= n ||
                n > NSHARDS_MAX) {
                cmd_error("ingest", "--shard: '%s' is not K/N with 0 <= K < N <= %d", optarg,
                          NSHARDS_MAX);
                goto out;
            }
            wo.shard = k;
            wo.nshards = n;
            shard_set = true;
            break;
        }
        case OPT_DRAIN:
            wo.drain = true;
            break;
        case OPT_NOWARM:
            wo.no_warmup = true;
            break;
        case OPT_DURABLE:
            wo.durable = optarg;
            break;
        case OPT_STREAM:
            wo.stream = optarg;
            break;
        case OPT_ACKW:
        case OPT_FETCH:
        case OPT_LEASE:
        case OPT_CONNW: {
            char *end;
            long v = strtol(optarg, &end, 10);
            long lo = c == OPT_CONNW ? 0 : c == OPT_FETCH ? 1 : c == OPT_LEASE ? 300 : 100;
            long hi = c == OPT_FETCH ? 10000 : 3600000;
            if (end == optarg || *end || v < lo || v > hi) {
                cmd_error("ingest", "%s: '%s' is not %ld..%ld",
                          c == OPT_ACKW    ? "--ack-wait-ms"
                          : c == OPT_FETCH ? "--fetch"
                          : c == OPT_LEASE ? "--lease-ms"
                                           : "--connect-wait-ms",
                          optarg, lo, hi);
                goto out;
            }
            if (c == OPT_ACKW)
                wo.ack_wait_ms = v;
            else if (c == OPT_FETCH)
                wo.fetch = (int)v;
            else if (c == OPT_LEASE)
                wo.lease_ms = v;
            else
                wo.connect_wait_ms = v;
            break;
        }
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(ingest_usage, stdout);
            ret = 0;
            goto out;
        default:
            fputs(ingest_usage, stderr);
            goto out;
        }
    }
    if (wo.urls && (!shard_set || optind != argc)) {
        cmd_error("ingest", "--nats needs --shard K/N and takes no SOURCE");
        goto out;
    }
    if (!wo.urls && (shard_set || wo.drain || wo.durable || wo.stream)) {
        cmd_error("ingest", "--shard, --drain, --durable and --stream go with --nats");
        goto out;
    }
    if (wo.urls) {
        char uerr[512];
        if (ncl_check_urls(wo.urls, uerr, sizeof uerr)) {
            cmd_error("ingest", "--nats: %s", uerr);
            goto out;
        }
        // One transaction per fetched batch: the commit comes at the end of
        // each batch, before its acknowledgement.
        io.force = true;
        io.batch_ms = 3600000;
        io.batch_rows = UINT32_MAX;
    }
    if (optind == argc && !wo.urls) {
        cmd_error("ingest", "no SOURCE given");
        fputs(ingest_usage, stderr);
        goto out;
    }
    // By design ingest reads files; a live feed goes through orbat run,
    // which spools it to files and ingests those (docs/feeds.md).
    for (int i = optind; i < argc; i++)
        if ((feed_is_spec(argv[i]) || http_poller_is_spec(argv[i])) && access(argv[i], F_OK)) {
            cmd_error("ingest",
                      "%s is a live feed: ingest reads files; use orbat run --feed '%s' (or "
                      "orbat decode to watch it)",
                      argv[i], argv[i]);
            ret = 2;
            goto out;
        }
    io.progress = !quiet && isatty(STDERR_FILENO);
    ret = 1;
    if (wo.urls) {
        // Reach the cluster before anything else: a worker that cannot
        // connect creates no database and prints no summary.
        char cerr[512];
        struct ncl_opts co = {
            .urls = wo.urls, .name = "orbat-ingest-probe", .connect_wait_ms = wo.connect_wait_ms};
        struct ncl *probe = ncl_open(&co, cerr, sizeof cerr);
        if (!probe) {
            cmd_error("ingest", "%s", cerr);
            goto out;
        }
        ncl_close(probe);
    }

    struct theatre_job tj = {.name = theatre};
    pthread_t tj_thread;
    bool loading = strcmp(theatre, "none") && !io.single_thread &&
                   !pthread_create(&tj_thread, NULL, theatre_main, &tj);
    // The sources' checksums, computed here while the theatre loads (stdin
    // and unreadable files: ingest_file hashes, or fails, itself).
    int nsrc = argc - optind;
    char(*hex)[65] = calloc((size_t)nsrc, sizeof *hex);
    uint64_t *size = calloc((size_t)nsrc, sizeof *size);
    bool *hashed = calloc((size_t)nsrc, sizeof *hashed);

    int failed = 0;
    char data_dir[512] = "";
    struct registry *reg = registry_setup(nodef, regs, nregs, registry_err_print, stderr, &failed,
                                          data_dir, sizeof data_dir);
    struct callsign_rules *rules = callsign_rules_new();
    struct theatre *th = NULL;
    struct store *s = NULL;
    struct ingest *g = NULL;
    if (!reg || !rules) {
        cmd_error("ingest", "out of memory");
        goto done;
    }
    if (failed)
        cmd_error("ingest", "%d registry file(s) could not be loaded", failed);
    char rules_path[600];
    if (!callsigns && data_dir[0]) {
        snprintf(rules_path, sizeof rules_path, "%s/rules/callsigns.csv", data_dir);
        if (access(rules_path, R_OK) == 0)
            callsigns = rules_path;
    }
    if (callsigns && callsign_rules_load_file(rules, callsigns, registry_err_print, stderr) < 0)
        cmd_error("ingest", "callsign rules %s could not be loaded", callsigns);
    for (int i = 0; loading && hex && size && hashed && i < nsrc; i++)
        hashed[i] = strcmp(argv[optind + i], "-") &&
                    ingest_source_sha256(argv[optind + i], hex[i], &size[i]) == 0;
    if (loading) {
        pthread_join(tj_thread, NULL);
        loading = false;
    } else if (strcmp(theatre, "none")) {
        theatre_main(&tj);
    }
    th = tj.th;
    if (strcmp(theatre, "none") && !th) {
        cmd_error("ingest", "theatre %s: %s", theatre, tj.msg);
        goto done;
    }
    if (!(s = store_cli_open("ingest", db)))
        goto done;
    if (!(g = ingest_new(s, reg, rules, th, &io))) {
        cmd_error("ingest", "out of memory");
        goto done;
    }
    if (wo.urls) {
        // Ships and aircraft on two events engines (see nats_worker.h).
        struct ingest *g2 = ingest_new(s, reg, rules, th, &io);
        if (!g2) {
            cmd_error("ingest", "out of memory");
            ret = 1;
            goto done;
        }
        ret = ingest_nats(g, g2, s, &wo, quiet);
        ingest_free(g2);
        goto done;
    }
    ret = 0;
    int readable = 0;
    for (int i = optind; i < argc; i++) {
        int k = i - optind;
        const struct ingest_stats *gs = ingest_get_stats(g);
        uint64_t m0 = gs->ais_messages + gs->modes_frames + gs->obs, r0 = gs->rejected;
        int rc = hashed && hashed[k] ? ingest_file_hashed(g, argv[i], hex[k], size[k])
                                     : ingest_file(g, argv[i]);
        if (rc == ORBAT_OK && gs->ais_messages + gs->modes_frames + gs->obs == m0) {
            // Nothing in it decoded as AIS or Mode S: say so (issue 18 #5),
            // with the count of what the decoders rejected, if anything.
            char why[96] = "";
            if (gs->rejected > r0)
                snprintf(why, sizeof why, " (%llu lines/frames rejected: see the summary)",
                         (unsigned long long)(gs->rejected - r0));
            cmd_error("ingest",
                      "%s: no known format found in it, nothing decoded%s; NMEA, Beast, AVR "
                      "and SBS are read here, archives (readsb traces, CSV, snapshots) by "
                      "orbat import",
                      argv[i], why);
            continue;
        }
        if (rc == ORBAT_OK)
            readable++;
        if (rc == ORBAT_AGAIN) {
            readable++;
            if (!quiet)
                fprintf(stderr, "orbat ingest: %s: already ingested, skipped\n", argv[i]);
        } else if (rc == ORBAT_E_IO) {
            cmd_error("ingest", "%s: %s", argv[i], strerror(errno));
            ret = 1;
        } else if (rc) {
            cmd_error("ingest", "%s: %s: %s", argv[i], orbat_strerror(rc), store_errmsg(s));
            ret = 1;
            break;
        }
    }
    if (!ret && !readable) {
        cmd_error("ingest", "nothing could be read from the source(s) given");
        ret = 1;
    }
    if (!ret || ingest_get_stats(g)->db_errors == 0) {
        int rc = ingest_finish(g);
        if (rc) {
            cmd_error("ingest", "%s: %s", orbat_strerror(rc), store_errmsg(s));
            ret = 1;
        }
    }
    ingest_order_warning(g, "orbat ingest: warning: ", stderr); // even with --quiet
    if (!quiet)
        ingest_summary(g, stderr);
done:
    if (loading) {
        pthread_join(tj_thread, NULL);
        th = tj.th;
    }
    free(hex);
    free(size);
    free(hashed);
    ingest_free(g);
    store_close(s);
    theatre_free(th);
    callsign_rules_free(rules);
    registry_free(reg);
out:
    free(regs);
    return ret;
}

const struct orbat_cmd cmd_ingest = {
    .name = "ingest",
    .summary = "decode, identify, track and store sources in the database",
    .usage = ingest_usage,
    .exec = ingest_exec,
};
