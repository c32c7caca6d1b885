/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_worker.h - `orbat ingest --nats`: a worker on one shard's durable
 * pull consumer. Each fetched batch of messages goes, in stream order,
 * through the decoding pipeline (one per input kind) into the ingest
 * library (identification, tracking, events, thinning) as one source
 * transaction; only after the commit are its messages acknowledged (each:
 * explicit acks). A crash before the ack gets the batch redelivered after
 * the consumer's AckWait (a starting worker that finds messages delivered
 * and not acknowledged waits that long, so the shard is read in order); the store's natural keys
 * (raw (source, offset, hash), observations (asset, minute), events (asset, type, time)) make the
 * second write a no-op.
 *
 * AIS and Mode S go to two ingest objects (two events engines): the events
 * engine runs on a data clock (the latest observation time) that expires
 * tracks and finds silences at its sweeps, and the AIS and Mode S of
 * different receivers reach a shard in no common time order (a receiver's
 * file replayed faster than another's would stall the other kind's clock).
 * So a fetched batch is at most two transactions (AIS, then Mode S), and is
 * acknowledged after both committed.
 *
 * The messages of a shard are two store sources, "nats:<stream>/shard-K/ais"
 * and ".../adsb" (re-entered for every batch); raw offsets are
 * nmsg_raw_offset.
 *
 * Restart: the events engines' track state (open spans, last fixes, the
 * data clock) lives in memory. A worker that starts on a durable with an
 * ack floor first replays the shard up to it from sequence 1 (warm_up in
 * nats_worker.c): its writes are no-ops, and the engines end in the state
 * an uninterrupted worker had, so a restart changes no event.
 *
 * Active/standby: a worker first takes its shard's lease (nats_lease.h,
 * key = the durable's name) and only the holder warms up and fetches; a
 * second worker on the shard waits as a standby and takes over once the
 * holder stopped renewing (killed) or released it (exit). A holder that
 * cannot renew stops fetching until it can, and returns -1 when another
 * worker took the lease.
 *
 * Test hook: with ORBAT_NATS_DIE_BEFORE_ACK=N in the environment the worker
 * kills itself (SIGKILL) after committing its Nth batch, before the ack.
 *
 * Ownership: everything passed is borrowed. The caller runs
 * ingest_finish on both ingest objects after nworker_run returns.
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
    bool drain;            /* return once the shard has nothing pending: two equal
                              looks 1 s apart, none of the stream's live replicas
                              catching up (nats_worker.c drain_look) */
    int64_t connect_wait_ms;
    volatile sig_atomic_t *stop; /* set by a signal handler: return after the batch */
    FILE *log;                   /* NULL: quiet */
    bool no_warmup;              /* do not replay up to the ack floor at start */
    int64_t lease_ms;            /* active/standby lease (0: NLEASE_DEFAULT_MS) */
};

struct nworker_stats {
    uint64_t fetches;     /* batches (one transaction each) */
    uint64_t messages;    /* messages processed */
    uint64_t redelivered; /* of which delivered before (redelivery) */
    uint64_t lines;       /* lines in them (header count) */
    uint64_t bad;         /* messages with a malformed header (skipped, acked) */
    uint64_t ack_errors;  /* acks that failed (the batch will come again) */
    uint64_t warmup;      /* messages replayed at start to restore track state */
    uint64_t ais_messages, modes_frames, obs, rejected; /* from the pipelines */
};

/* 0 when it stopped as asked (drain done, stop flag), -1 on an error
 * (message in err; nothing of the failed batch is acknowledged). */
enum {
    NW_SHIPS = 0,
    NW_AIRCRAFT = 1,
    NW_NCLASSES = 2
};

int nworker_run(struct ingest *const g[NW_NCLASSES], const struct nworker_opts *o,
                struct nworker_stats *st, char *err, size_t errlen);

#endif /* ORBAT_NATS_WORKER_H */
