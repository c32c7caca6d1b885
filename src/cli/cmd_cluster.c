/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_cluster.c - `orbat cluster init|status`: create or check the NATS
 * JetStream stream of raw batches and its per-shard durable consumers, and
 * show the stream and the lag of every shard (docs/scale-out.md).
 */
#include "cli/cmd.h"

#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/store_cli.h"
#include "nats/nats_client.h"
#include "nats/nats_stream.h"

static const char cluster_usage[] =
    "usage: orbat cluster init --nats URL[,URL...] [--shards N] [--replicas N]\n"
    "                          [--max-age DURATION] [--dedup-window DURATION]\n"
    "                          [--ack-wait-ms MS] [--memory] [--stream NAME]\n"
    "       orbat cluster status --nats URL[,URL...] [--stream NAME]\n"
    "       orbat cluster purge --nats URL[,URL...] [--stream NAME]\n"
    "\n"
    "init creates the JetStream stream that `orbat publish` writes raw batches\n"
    "to (subjects orbat.raw.>, file storage, R3), or checks an existing one and\n"
    "updates its replicas, max age and dedup window, and creates one durable\n"
    "pull consumer per shard (shard-K-of-N, filter orbat.raw.*.K, explicit\n"
    "acks) for `orbat ingest --nats URL --shard K/N`. status shows the stream\n"
    "(messages, sequences, leader, replicas) and per consumer the messages not\n"
    "yet delivered (pending) and delivered but not acknowledged (ack-pending).\n"
    "purge removes every message of the stream (consumers stay, with nothing to\n"
    "read; a worker's warm-up after a purge has nothing to replay).\n"
    "\n"
    "      --nats URLS          cluster servers, comma-separated (nats://host:port)\n"
    "      --stream NAME        stream name (default " NSTREAM_DEFAULT ")\n"
    "      --shards N           consumers to create, one per shard (default 2)\n"
    "      --replicas N         stream replicas (default 3)\n"
    "      --max-age DURATION   keep messages this long (default 7d)\n"
    "      --dedup-window DURATION  Nats-Msg-Id dedup window (default 10m)\n"
    "      --ack-wait-ms MS     redeliver an unacknowledged batch after this (default 30000)\n"
    "      --memory             memory storage instead of file (tests, benchmarks)\n"
    "  -q, --quiet              print nothing on success\n";

static int parse_uint(const char *opt, const char *s, long lo, long hi, long *v)
{
    char *end;
    long x = strtol(s, &end, 10);
    if (end == s || *end || x < lo || x > hi) {
        cmd_error("cluster", "%s: '%s' is not %ld..%ld", opt, s, lo, hi);
        return -1;
    }
    *v = x;
    return 0;
}

/* Requests during a leader election (a server killed or restarted) time out
 * or find no responder for a few seconds: init and purge repeat them for up
 * to CLUSTER_RETRY_TOTAL_MS, as the workers do at start-up. */
#define CLUSTER_RETRY_MS       250
#define CLUSTER_RETRY_TOTAL_MS 30000

/* An answer that a leader election explains (no answer, no responder, no
 * peers to place on yet); anything else (a stream of another shape, a bad
 * name) is final. */
static bool transient(const char *err)
{
    static const char *const w[] = {"timeout", "no responders", "no suitable peers",
                                    "temporarily unavailable"};
    char low[512];
    size_t n = 0;
    for (; err[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)err[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (strstr(low, w[i]))
            return true;
    return false;
}

/* After a failed try at *t ms: false (error printed) when the error is
 * final or the time is up, else sleep and true. */
static bool retry_again(int64_t *t, const char *what, const char *err)
{
    if (*t >= CLUSTER_RETRY_TOTAL_MS || !transient(err)) {
        cmd_error("cluster", "%s", err);
        return false;
    }
    if (*t == 0)
        fprintf(stderr, "orbat cluster %s: %s (retrying)\n", what, err);
    nats_Sleep(CLUSTER_RETRY_MS);
    return true;
}

static int cluster_exec(int argc, char **argv)
{
    enum {
        OPT_NATS = 256,
        OPT_STREAM,
        OPT_SHARDS,
        OPT_REPL,
        OPT_AGE,
        OPT_DEDUP,
        OPT_ACKW,
        OPT_MEM
    };
    static const struct option longopts[] = {{"nats", required_argument, 0, OPT_NATS},
                                             {"stream", required_argument, 0, OPT_STREAM},
                                             {"shards", required_argument, 0, OPT_SHARDS},
                                             {"replicas", required_argument, 0, OPT_REPL},
                                             {"max-age", required_argument, 0, OPT_AGE},
                                             {"dedup-window", required_argument, 0, OPT_DEDUP},
                                             {"ack-wait-ms", required_argument, 0, OPT_ACKW},
                                             {"memory", no_argument, 0, OPT_MEM},
                                             {"quiet", no_argument, 0, 'q'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *urls = NULL;
    struct nstream_cfg sc = {.stream = NSTREAM_DEFAULT, .replicas = 3};
    long shards = 2, v;
    int64_t ack_wait = 30000;
    bool quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_NATS:
            urls = optarg;
            break;
        case OPT_STREAM:
            sc.stream = optarg;
            break;
        case OPT_SHARDS:
            if (parse_uint("--shards", optarg, 1, NSHARDS_MAX, &shards))
                return 2;
            break;
        case OPT_REPL:
            if (parse_uint("--replicas", optarg, 1, 5, &v))
                return 2;
            sc.replicas = (int)v;
            break;
        case OPT_AGE:
            if (store_cli_duration("cluster", "--max-age", optarg, &sc.max_age_ms))
                return 2;
            break;
        case OPT_DEDUP:
            if (store_cli_duration("cluster", "--dedup-window", optarg, &sc.dedup_ms))
                return 2;
            break;
        case OPT_ACKW:
            if (parse_uint("--ack-wait-ms", optarg, 100, 3600000, &v))
                return 2;
            ack_wait = v;
            break;
        case OPT_MEM:
            sc.memory = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(cluster_usage, stdout);
            return 0;
        default:
            fputs(cluster_usage, stderr);
            return 2;
        }
    }
    if (optind != argc - 1 || (strcmp(argv[optind], "init") && strcmp(argv[optind], "status") &&
                               strcmp(argv[optind], "purge"))) {
        cmd_error("cluster", "give one of: init, status, purge");
        fputs(cluster_usage, stderr);
        return 2;
    }
    if (!urls) {
        cmd_error("cluster", "--nats URL[,URL...] is required");
        return 2;
    }
    char err[512];
    if (ncl_check_urls(urls, err, sizeof err)) {
        cmd_error("cluster", "--nats: %s", err);
        return 2;
    }
    struct ncl_opts co = {.urls = urls, .name = "orbat-cluster"};
    struct ncl *cl = ncl_open(&co, err, sizeof err);
    if (!cl) {
        cmd_error("cluster", "%s", err);
        return 1;
    }
    int ret = 0;
    FILE *log = quiet ? NULL : stdout;
    if (!strcmp(argv[optind], "init")) {
        for (int64_t t = 0;; t += CLUSTER_RETRY_MS) {
            if (!nstream_ensure(ncl_js(cl), &sc, log, err, sizeof err))
                break;
            if (!retry_again(&t, "init", err)) {
                ret = 1;
                break;
            }
        }
        for (long k = 0; !ret && k < shards; k++) {
            struct nconsumer_cfg cc = {
                .shard = (unsigned)k, .nshards = (unsigned)shards, .ack_wait_ms = ack_wait};
            for (int64_t t = 0;; t += CLUSTER_RETRY_MS) {
                if (!nconsumer_ensure(ncl_js(cl), sc.stream, &cc, log, err, sizeof err))
                    break;
                if (!retry_again(&t, "init", err)) {
                    ret = 1;
                    break;
                }
            }
        }
    } else if (!strcmp(argv[optind], "purge")) {
        for (int64_t t = 0;; t += CLUSTER_RETRY_MS) {
            jsErrCode je = 0;
            natsStatus st = js_PurgeStream(ncl_js(cl), sc.stream, NULL, &je);
            if (st == NATS_OK) {
                if (log)
                    fprintf(log, "stream %s purged\n", sc.stream);
                break;
            }
            char b[256];
            snprintf(err, sizeof err, "purging %s: %s", sc.stream,
                     ncl_errtext(st, je, b, sizeof b));
            if (!retry_again(&t, "purge", err)) {
                ret = 1;
                break;
            }
        }
    } else if (nstream_status(ncl_js(cl), sc.stream, stdout, err, sizeof err)) {
        cmd_error("cluster", "%s", err);
        ret = 1;
    }
    ncl_close(cl);
    return ret;
}

const struct orbat_cmd cmd_cluster = {
    .name = "cluster",
    .summary = "create/check the NATS JetStream stream and shard consumers, show lag",
    .usage = cluster_usage,
    .exec = cluster_exec,
};
