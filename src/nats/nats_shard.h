/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_shard.h - which shard a raw line goes to on the NATS cluster
 * (docs/scale-out.md). Pure functions: no I/O, no allocation.
 *
 * AIS goes by receiver: every sentence of one receiver lands on one shard,
 * so the parts of a multi-part message are read, in order, by one worker.
 * Mode S goes by the aircraft's ICAO address (FNV-1a of its 3 bytes), so
 * the CPR even/odd pair of an aircraft and its per-minute thinning stay on
 * one worker whatever receiver heard it. SBS lines give the address in
 * field 5; AVR frames in the frame (DF11/17/18) or as the CRC remainder
 * of the address/parity field (the other downlink formats).
 */
#ifndef ORBAT_NATS_SHARD_H
#define ORBAT_NATS_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a text line of a receiver's output is. */
enum nline_kind {
    NLINE_OTHER = 0, /* not AIS, SBS or AVR (not published) */
    NLINE_AIS,       /* an AIS NMEA sentence (!xxVDM/VDO), tag block allowed */
    NLINE_SBS,       /* an SBS/BaseStation line (MSG, SEL, ID, AIR, STA, CLK) */
    NLINE_AVR,       /* an AVR frame (*hex; or @timestamp+hex;) */
    NLINE_COMMENT,   /* a '#' comment line */
};

/* FNV-1a, 32 bits. */
uint32_t nshard_hash(const void *data, size_t n);
/* Classify one line (without its end of line). */
enum nline_kind nshard_classify(const char *line, size_t len);
/* True when the AIS sentence is a part of a multi-part message that is not
 * its last part (fragment number < fragment count): a batch must not end
 * after it. */
bool nshard_ais_more(const char *line, size_t len);
/* The ICAO address of an SBS line (field 5) or an AVR frame. Return 0, or
 * -1 when the line has none (e.g. SBS CLK lines, a short or bad frame). */
int nshard_sbs_icao(const char *line, size_t len, uint32_t *icao);
int nshard_avr_icao(const char *line, size_t len, uint32_t *icao);
/* Shard (0..n-1) of a receiver's AIS, and of an aircraft. n >= 1. */
unsigned nshard_ais(const char *receiver, unsigned n);
unsigned nshard_icao(uint32_t icao, unsigned n);

#endif /* ORBAT_NATS_SHARD_H */
