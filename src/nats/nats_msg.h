/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_msg.h - the message `orbat publish` puts on the cluster and
 * `orbat ingest --nats` reads: a batch of raw lines of one receiver and
 * one input kind, for one shard.
 *
 *   subject   orbat.raw.ais.<shard> | orbat.raw.adsb.<shard>
 *   headers   Nats-Msg-Id    <receiver>.<run>.<seq> (JetStream dedup key)
 *             Orbat-Receiver receiver id ([A-Za-z0-9_-], 1..63 chars)
 *             Orbat-Run      the publisher's start time (unix ms): a
 *                            restarted publisher is a new run
 *             Orbat-Seq      batch sequence in the run, from 1
 *             Orbat-Kind     ais | sbs | avr | modes
 *             Orbat-Time     receive time of the batch's last line (unix ms)
 *             Orbat-Lines    number of lines in the body
 *             Orbat-Sim      1 when the source said SIMULATION (orbat simulate)
 *   body      the raw lines as received, each ending in '\n'; for "modes",
 *             Mode S frames with their time resolved by the publisher:
 *             "<unix ms> <AVR line>" (a Beast frame as '<' + 12 MHz counter
 *             + signal + frame hex + ';'; pipeline PIPE_TIMED)
 *
 * The worker stores each line's raw message under a per-shard source at
 * the offset nmsg_raw_offset gives, a function of (receiver, seq, line):
 * a redelivered or replayed message maps onto the same raw keys.
 */
#ifndef ORBAT_NATS_MSG_H
#define ORBAT_NATS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

#define NMSG_RECEIVER_MAX 64
#define NMSG_LINES_MAX    65535u /* per message: the line number is 16 bits of the offset */

enum nmsg_kind {
    NMSG_AIS = 0,
    NMSG_SBS,
    NMSG_AVR,
    NMSG_MODES, /* timed Mode S frames (from Beast input) */
    NMSG_NKINDS
};

struct nmsg_hdr {
    char receiver[NMSG_RECEIVER_MAX];
    uint64_t run; /* publisher start, unix ms */
    uint64_t seq; /* batch sequence in the run */
    enum nmsg_kind kind;
    int64_t recv_ms;
    uint32_t lines;
    bool simulated;
};

const char *nmsg_kind_name(enum nmsg_kind k);
/* True when s is a usable receiver id. */
bool nmsg_receiver_ok(const char *s);
/* "orbat.raw.ais.<shard>" or "orbat.raw.adsb.<shard>" into buf. */
void nmsg_subject(char *buf, size_t cap, enum nmsg_kind k, unsigned shard);
/* The Nats-Msg-Id of a batch into buf. */
void nmsg_msg_id(char *buf, size_t cap, const struct nmsg_hdr *h);
/* The raw offset of the line or frame at `pos` in the message (the
 * pipeline's source_offset: a line number, or a byte offset for frames). */
uint64_t nmsg_raw_offset(const struct nmsg_hdr *h, uint64_t pos);

/* Set the headers of msg (Nats-Msg-Id included). NATS_OK or the error. */
natsStatus nmsg_put_header(natsMsg *msg, const struct nmsg_hdr *h);
/* Read them back. 0, or -1 when a header is missing or malformed. */
int nmsg_get_header(natsMsg *msg, struct nmsg_hdr *h);

#endif /* ORBAT_NATS_MSG_H */
