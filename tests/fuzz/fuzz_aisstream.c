/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_aisstream.c - libFuzzer target for the aisstream.io JSON mapping
 * (src/feed/aisstream_json.c): any bytes, as one websocket message, must
 * give a result code and a message whose text fields are terminated and
 * whose raw copy fits its buffer; the time parser takes any prefix.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/aisstream_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct orbat_ais_msg m;
    char err[64];
    char *copy = malloc(size ? size : 1); // exact size: ASan sees over-reads
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    int rc = aisstream_parse(copy, size, &m, err, sizeof err);
    if (rc == ORBAT_OK) {
        if (m.raw_len >= sizeof m.raw || m.raw[m.raw_len] != 0 || m.mmsi == 0 || m.type == 0)
            abort();
        if (memchr(m.u.stat.shipname, 0, sizeof m.u.stat.shipname) == NULL)
            abort();
    } else if (rc == ORBAT_E_PROTOCOL && memchr(err, 0, sizeof err) == NULL) {
        abort();
    }
    int64_t ms;
    char t[64];
    size_t n = size < sizeof t - 1 ? size : sizeof t - 1;
    memcpy(t, data, n);
    t[n] = 0;
    (void)aisstream_time(t, &ms);
    free(copy);
    return 0;
}
