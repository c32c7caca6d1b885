/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_beast.c - libFuzzer target for Beast binary framing: the input is
 * streamed through orbat_beast_next in chunks whose sizes come from the
 * first byte (so frames straddle chunk boundaries), and also parsed whole
 * with orbat_beast_parse_one. Checks the parser's own invariants.
 */
#include "orbat/modes_frame.h"
#include "orbat/orbat.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct orbat_modes_frame f;
    if (orbat_beast_parse_one(data, size, &f) == ORBAT_OK &&
        (f.len != 2 && f.len != 7 && f.len != 14))
        abort();
    size_t chunk = size ? (size_t)data[0] % 29 + 1 : 1;
    struct orbat_beast b;
    orbat_beast_init(&b);
    uint64_t frames = 0;
    for (size_t off = 0; off < size;) {
        size_t end = off + chunk < size ? off + chunk : size;
        while (off < end) {
            size_t used = 0;
            int rc = orbat_beast_next(&b, data + off, end - off, &used, &f);
            if (used == 0 || used > end - off)
                abort();
            off += used;
            if (rc == ORBAT_OK) {
                frames++;
                if (f.len != 2 && f.len != 7 && f.len != 14)
                    abort();
                if (f.ts_12mhz >> 48)
                    abort();
            }
        }
    }
    (void)orbat_beast_finish(&b);
    if (frames != b.frames)
        abort();
    // Every frame takes at least 11 bytes of input.
    if (frames * 11 > size)
        abort();
    return 0;
}
