/* SPDX-License-Identifier: BSD-2-Clause
 *
 * decode_route.h - split a text stream that mixes framings (NMEA AIS
 * sentences among AVR or SBS Mode S lines) into runs of whole lines of one
 * framing, so `orbat decode` hands each line to the sink that can read it.
 * The result does not depend on how the stream is chunked.
 */
#ifndef ORBAT_CLI_DECODE_ROUTE_H
#define ORBAT_CLI_DECODE_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "cli/decode.h"

/* Called with consecutive bytes of one framing (DIN_NMEA, DIN_AVR or
 * DIN_SBS); a run may end inside a line, whose rest then follows with the
 * same framing. p is borrowed for the call. */
typedef void (*decode_route_cb)(void *ctx, enum decode_input kind, const uint8_t *p, size_t n);

struct decode_route {
    enum decode_input dflt; /* the file's detected framing: lines of no known kind */
    enum decode_input cur;  /* framing of the line in progress; DIN_AUTO at a line start */
    uint8_t head[4];        /* first bytes of a line not yet classified */
    size_t nhead;
};

void decode_route_init(struct decode_route *r, enum decode_input dflt);
void decode_route_feed(struct decode_route *r, const uint8_t *p, size_t n, decode_route_cb cb,
                       void *ctx);
/* End of the stream: hands over bytes still held back. */
void decode_route_finish(struct decode_route *r, decode_route_cb cb, void *ctx);

#endif /* ORBAT_CLI_DECODE_ROUTE_H */
