/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_stream.h - the JetStream stream that holds the raw batches
 * (subjects orbat.raw.>) and its per-shard durable pull consumers
 * (filter orbat.raw.*.<shard>, explicit acks, a set AckWait): what
 * `orbat cluster init` creates and `orbat cluster status` shows, and what
 * `orbat ingest --nats` binds to (creating its durable if missing).
 */
#ifndef ORBAT_NATS_STREAM_H
#define ORBAT_NATS_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <nats/nats.h>

#define NSTREAM_DEFAULT "ORBAT_RAW"
#define NSHARDS_MAX     1024

struct nstream_cfg {
    const char *stream; /* default NSTREAM_DEFAULT */
    int replicas;       /* default 3 */
    int64_t max_age_ms; /* default 7 days */
    int64_t dedup_ms;   /* Nats-Msg-Id window, default 10 minutes */
    bool memory;        /* memory storage instead of file (tests, benchmarks) */
};

struct nconsumer_cfg {
    unsigned shard, nshards;
    const char *durable; /* NULL: nstream_durable_name */
    int64_t ack_wait_ms; /* default 30000 */
    int max_ack_pending; /* default 1000 */
};

/* "shard-K-of-N". */
void nstream_durable_name(char *buf, size_t cap, unsigned shard, unsigned nshards);
/* Create the stream, or check an existing one and update what may be
 * updated (max age, dedup window, replicas); log says which. 0, or -1
 * with a message in err. */
int nstream_ensure(jsCtx *js, const struct nstream_cfg *c, FILE *log, char *err, size_t errlen);
/* Create the shard's durable unless it exists (an existing one is used as
 * it is, with its delivery state). 0 or -1 with a message in err. */
int nconsumer_ensure(jsCtx *js, const char *stream, const struct nconsumer_cfg *c, FILE *log,
                     char *err, size_t errlen);
/* Pending (not yet delivered) and ack-pending messages of a durable.
 * 0 or -1 with a message in err. */
int nconsumer_lag(jsCtx *js, const char *stream, const char *durable, uint64_t *pending,
                  int64_t *ack_pending, char *err, size_t errlen);
/* The stream (messages, bytes, sequences, leader, replicas) and every
 * consumer's lag, as text. 0 or -1 with a message in err. */
int nstream_status(jsCtx *js, const char *stream, FILE *out, char *err, size_t errlen);

#endif /* ORBAT_NATS_STREAM_H */
