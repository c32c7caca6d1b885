/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_pub.h - the batching publisher of `orbat publish`: raw lines in,
 * batches (nats_msg.h) out to the shard subjects, published
 * asynchronously with a bounded number in flight, acknowledged by the
 * stream's quorum.
 *
 * Batching: one open batch per (input kind, shard); it is closed when it
 * has batch_lines lines or its first line is batch_ms old (npub_tick), but
 * never after a non-final part of a multi-part AIS message.
 *
 * Delivery: a batch is retried (same Nats-Msg-Id, so the stream's dedup
 * window drops a second copy) when the server answers with an error (no
 * stream leader during an election, timeouts) or gives no answer within
 * ack_wait_ms. At most max_buffer batches are held unacknowledged; when
 * that buffer is full, reading waits, and once nothing has been
 * acknowledged for give_up_ms (the cluster is unreachable) the oldest
 * unsent batch is dropped and counted.
 *
 * Threads: the NATS library calls the ack handler on its own thread; the
 * shared state is under a mutex. All npub_* calls are from one thread.
 *
 * Ownership: npub_open returns a heap object freed with npub_close
 * (NULL-safe), which drops whatever is still unsent.
 */
#ifndef ORBAT_NATS_PUB_H
#define ORBAT_NATS_PUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/modes_frame.h"

struct npub_opts {
    const char *urls;     /* cluster URL list */
    const char *receiver; /* receiver id (nmsg_receiver_ok) */
    unsigned nshards;     /* >= 1 */
    uint32_t batch_lines; /* default 500, at most NMSG_LINES_MAX */
    int64_t batch_ms;     /* default 100 */
    size_t max_buffer;    /* batches held unacknowledged, default 1024 */
    int64_t give_up_ms;   /* no ack for this long: drop when full, default 30000 */
    int64_t ack_wait_ms;  /* resend what is unanswered after this, default 2000 */
    int64_t connect_wait_ms;
};

struct npub_stats {
    uint64_t lines;       /* lines published (put in batches) */
    uint64_t other;       /* lines of no known kind, not published */
    uint64_t batches;     /* batches made */
    uint64_t acked;       /* batches acknowledged by the stream */
    uint64_t acked_lines; /* their lines */
    uint64_t duplicates;  /* acknowledgements that said "duplicate" */
    uint64_t retried;     /* resends */
    uint64_t dropped;     /* batches dropped (buffer full, cluster unreachable) */
    uint64_t dropped_lines;
    uint64_t bytes; /* body bytes of the batches made */
};

struct npub;

/* NULL on failure with a message in err. */
struct npub *npub_open(const struct npub_opts *o, char *err, size_t errlen);
/* One line of input (without its end of line), at wall time now_ms. */
void npub_line(struct npub *p, const char *line, size_t len, int64_t now_ms);
/* One Mode S frame (Beast input) whose time the caller resolved (t_ms,
 * unix ms): sent as a "modes" line, sharded by its ICAO address. */
void npub_frame(struct npub *p, const struct orbat_modes_frame *f, int64_t t_ms, int64_t now_ms);
/* Close batches that are old enough and send what can be sent. */
void npub_tick(struct npub *p, int64_t now_ms);
/* Close every batch and wait until all are acknowledged (retrying) or
 * dropped, at most wait_ms after the last acknowledgement. 0 when all
 * batches made were acknowledged, -1 otherwise. */
int npub_finish(struct npub *p, int64_t wait_ms);
/* A copy of the counters (taken under the lock). */
void npub_get_stats(struct npub *p, struct npub_stats *st);
void npub_close(struct npub *p);

#endif /* ORBAT_NATS_PUB_H */
