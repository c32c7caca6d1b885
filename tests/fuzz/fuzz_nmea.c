/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_nmea.c - libFuzzer target for the whole AIS path of `orbat decode`:
 * bytes -> lines (linebuf) -> sentences (tag blocks, trailers, several per
 * line) -> reassembly -> decoding -> gpsd, gpsd-scaled and jsonl JSON,
 * including the type 24 pairing and the --stats report.
 *
 * The input is fed in two chunks split at a point chosen by its first
 * byte, so lines that straddle reads are exercised too. Output goes to an
 * outbuf with fd -1 (discarded).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sink and JSON writers live in src/cli, which no library holds. */
#include "cli/ais_json.c"
#include "cli/ais_json_app.c"
#include "cli/decode_ais.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct outbuf ob;
    static const enum decode_format fmts[] = {DFMT_GPSD, DFMT_GPSD_SCALED, DFMT_JSONL, DFMT_NONE};
    if (size == 0 || size > 1 << 16)
        return 0;
    size_t cut = (size_t)data[0] * size / 256;
    for (unsigned k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
        struct decode_opts o;
        memset(&o, 0, sizeof o);
        o.format = fmts[k];
        outbuf_init(&ob, -1);
        struct ais_sink *s = ais_sink_new(&o, &ob);
        if (!s)
            return 0;
        ais_sink_feed(s, (const char *)data, cut, "fuzz");
        ais_sink_feed(s, (const char *)data + cut, size - cut, "fuzz");
        ais_sink_end_of_input(s);
        if (k == 0) {
            FILE *null = fopen("/dev/null", "w");
            if (null) {
                ais_sink_report(s, null);
                fclose(null);
            }
        }
        ais_sink_free(s);
        outbuf_flush(&ob);
    }
    return 0;
}
