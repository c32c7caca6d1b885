/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_ais_app.c - libFuzzer target for the AIS type 6/8 application
 * payload decoder and its gpsd JSON writer.
 *
 * Input: byte 0 = flags, the rest = the de-armoured message bits (MSB
 * first). Flags: bits 0-2 fill bits (0..5, more is clamped), bits 5-7 bits
 * to drop from the end of the last byte, bit 3 set = force the message
 * type to 6 (bit 4 clear) or 8 (bit 4 set) so most inputs reach the
 * DAC/FI decoders. The message is copied into a buffer of exactly the
 * bytes the decoder may read, so ASan reports any read beyond it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The JSON writer lives in src/cli, which no library holds: compile it in. */
#include "cli/ais_json_app.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct outbuf ob;
    if (size < 2 || size > 300)
        return 0;
    uint8_t flags = data[0];
    size_t nbytes = size - 1;
    unsigned total = (unsigned)nbytes * 8;
    unsigned drop = flags >> 5;
    unsigned nbits = total > drop ? total - drop : 0;
    unsigned fill = flags & 7;
    if (fill > 5)
        fill = 5;
    if (fill > total - nbits)
        fill = total - nbits;
    uint8_t *bits = malloc(nbytes);
    if (!bits)
        return 0;
    memcpy(bits, data + 1, nbytes);
    if (flags & 0x08)
        bits[0] = (uint8_t)((bits[0] & 3) | ((flags & 0x10) ? 8 << 2 : 6 << 2));

    struct orbat_ais_app a;
    enum orbat_err err = orbat_ais_app_decode_fill(bits, nbits, fill, &a);
    if (err == ORBAT_OK && a.kind == ORBAT_AIS_APP_RAW)
        abort(); /* decoded means a payload kind */
    outbuf_init(&ob, -1);
    ais_json_app_tail_fill(&ob, bits, nbits, fill, (flags & 1) != 0);
    ais_json_app_tail(&ob, bits, nbits, (flags & 1) == 0);
    free(bits);
    return 0;
}
