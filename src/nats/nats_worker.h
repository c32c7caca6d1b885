/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_worker.h - `orbat ingest --nats`: a worker on one shard's durable
 * pull consumer. Each fetched batch of messages goes, in stream order,
 * through the decoding pipeline (one per input kind) into the ingest
 * library (identification, tracking, events, thinning) as one source
 * transaction; only after the commit is the last message acknowledged
 * (ack policy all). A crash before the ack gets the batch redelivered
 * after the consumer's AckWait; the store's natural keys (raw (source,
 * offset, hash), observations (asset, minute), events (asset, type, time))
 * make the second write a no-op.
 *
 * All messages of a shard are one store source, "nats:<stream>/shard-K"
 * (re-entered for every batch); raw offsets are nmsg_raw_offset.
 *
 * Ownership: everything passed is borrowed. The caller runs
 * ingest_finish after nworker_run returns.
 */
#ifndef ORBAT_NATS_WORKER_H
#define ORBAT_NATS_WORKER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/ingest.h"

struct nworker_opts {
    const char *urls;
    const char *stream; /* NULL: NSTREAM_DEFAULT */
    unsigned shard, nshards;
    const char *durable;   /* NULL: shard-K-of-N */
    int64_t ack_wait_ms;   /* for a durable created here (default 30000) */
    int fetch;             /* messages per fetch (default 64) */
    int64_t fetch_wait_ms; /* default 500 */
    bool drain;            /* return once the shard has nothing pending */
    int64_t connect_wait_ms;
    volatile sig_atomic_t *stop; /* set by a signal handler: return after the batch */
    FILE *log;                   /* NULL: quiet */
};

struct nworker_stats {
    uint64_t fetches;     /* batches (one transaction each) */
    uint64_t messages;    /* messages processed */
    uint64_t redelivered; /* of which delivered before (redelivery) */
    uint64_t lines;       /* lines in them (header count) */
    uint64_t bad;         /* messages with a malformed header (skipped, acked) */
    uint64_t ack_errors;  /* acks that failed (the batch will come again) */
    uint64_t ais_messages, modes_frames, obs, rejected; /* from the pipelines */
};

/* 0 when it stopped as asked (drain done, stop flag), -1 on an error
 * (message in err; nothing of the failed batch is acknowledged). */
int nworker_run(struct ingest *g, const struct nworker_opts *o, struct nworker_stats *st, char *err,
                size_t errlen);

#endif /* ORBAT_NATS_WORKER_H */
