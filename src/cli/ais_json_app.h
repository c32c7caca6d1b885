/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_json_app.h - gpsd 3.22-compatible JSON for the application payloads
 * (DAC/FI) of AIS message types 6 (addressed binary) and 8 (broadcast
 * binary).
 *
 * The AIS JSON writer prints a type 6/8 message's header up to and
 * including the `"fid":N` member, calls ais_json_app_tail, then writes the
 * closing brace. The tail is either the decoded application fields (when
 * gpsdecode 3.22 decodes that DAC/FI) or `,"data":"<bitcount>:<hex>"`, and
 * always starts with a comma.
 *
 * Ownership: everything is borrowed for the call; nothing is retained.
 */
#ifndef ORBAT_CLI_AIS_JSON_APP_H
#define ORBAT_CLI_AIS_JSON_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/outbuf.h"

/* bits: the whole de-armoured AIS message, MSB first (ITU bit 0 is the MSB
 * of bits[0]); nbits: its length in bits. scaled=false matches
 * `gpsdecode -u -j`, scaled=true matches `gpsdecode -j`. For a message that
 * is not type 6/8, or too short to hold a DAC/FI, nothing is written. */
void ais_json_app_tail(struct outbuf *ob, const uint8_t *bits, unsigned nbits, bool scaled);

/* The same for a buffer that still holds the last sentence's `fill` fill
 * bits (0..5) after bit nbits, as received (see orbat_ais_app_decode_fill):
 * gpsd decodes fields running past the end of a short message from them,
 * so this gives byte-exact gpsd output on truncated messages too. The
 * buffer must hold (nbits + fill + 7) / 8 bytes. */
void ais_json_app_tail_fill(struct outbuf *ob, const uint8_t *bits, unsigned nbits, unsigned fill,
                            bool scaled);

#endif /* ORBAT_CLI_AIS_JSON_APP_H */
