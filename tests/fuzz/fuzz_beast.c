/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_beast.c - libFuzzer target for Beast binary framing: the input is
 * streamed through orbat_beast_next in chunks whose sizes come from the
 * first byte (so frames straddle chunk boundaries), whole (fast paths) and
 * one byte at a time (pure state machine): all three must yield the same
 * frames and error counts. Also parsed with orbat_beast_parse_one.
 */
#include "orbat/modes_frame.h"
#include "orbat/orbat.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXF 512

/* Stream data through the parser in chunks of `chunk` bytes; store up to
 * MAXF frames; return the frame count. */
static size_t stream(const uint8_t *data, size_t size, size_t chunk, struct orbat_modes_frame *fr,
                     struct orbat_beast *b)
{
    size_t frames = 0;
    orbat_beast_init(b);
    for (size_t off = 0; off < size;) {
        size_t end = off + chunk < size ? off + chunk : size;
        while (off < end) {
            size_t used = 0;
            struct orbat_modes_frame f;
            int rc = orbat_beast_next(b, data + off, end - off, &used, &f);
            if (used == 0 || used > end - off)
                abort();
            off += used;
            if (rc == ORBAT_OK) {
                if (f.len != 2 && f.len != 7 && f.len != 14)
                    abort();
                if (f.ts_12mhz >> 48)
                    abort();
                if (frames < MAXF)
                    fr[frames] = f;
                frames++;
            }
        }
    }
    (void)orbat_beast_finish(b);
    if (frames != b->frames)
        abort();
    return frames;
}

static bool same_frame(const struct orbat_modes_frame *a, const struct orbat_modes_frame *b)
{
    return a->kind == b->kind && a->len == b->len && a->ts_12mhz == b->ts_12mhz &&
           a->signal == b->signal && a->has_receiver_id == b->has_receiver_id &&
           a->receiver_id == b->receiver_id && !memcmp(a->data, b->data, a->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct orbat_modes_frame whole[MAXF], bytewise[MAXF], chunked[MAXF];
    struct orbat_modes_frame f;
    if (orbat_beast_parse_one(data, size, &f) == ORBAT_OK && f.len != 2 && f.len != 7 &&
        f.len != 14)
        abort();
    // The fast paths (whole buffer), the byte-at-a-time state machine and
    // arbitrary chunking must all find the same frames and count the same
    // errors.
    struct orbat_beast b1, b2, b3;
    size_t n1 = stream(data, size, size ? size : 1, whole, &b1);
    size_t n2 = stream(data, size, 1, bytewise, &b2);
    size_t chunk = size ? (size_t)data[0] % 29 + 1 : 1;
    size_t n3 = stream(data, size, chunk, chunked, &b3);
    if (n1 != n2 || n1 != n3)
        abort();
    for (size_t i = 0; i < n1 && i < MAXF; i++)
        if (!same_frame(&whole[i], &bytewise[i]) || !same_frame(&whole[i], &chunked[i]))
            abort();
    if (b1.garbage_bytes != b2.garbage_bytes || b1.bad_type != b2.bad_type ||
        b1.resync != b2.resync || b1.truncated != b2.truncated ||
        b1.garbage_bytes != b3.garbage_bytes || b1.resync != b3.resync)
        abort();
    // Every frame takes at least 11 bytes of input.
    if (n1 * 11 > size)
        abort();
    return 0;
}
