/* SPDX-License-Identifier: BSD-2-Clause
 * decode_modes.c - PLACEHOLDER being replaced by the modes decoder work. */
#include "cli/decode.h"
#include <stdlib.h>
struct modes_sink { int unused; };
struct modes_sink *modes_sink_new(const struct decode_opts *o, struct outbuf *out)
{
    (void)o; (void)out;
    return calloc(1, sizeof(struct modes_sink));
}
void modes_sink_report(const struct modes_sink *s, FILE *f) { (void)s; (void)f; }
void modes_sink_free(struct modes_sink *s) { free(s); }
void modes_sink_feed(struct modes_sink *s, enum decode_input kind, const uint8_t *p, size_t n, const char *source) { (void)s; (void)kind; (void)p; (void)n; (void)source; }
void modes_sink_end_of_input(struct modes_sink *s, enum decode_input kind) { (void)s; (void)kind; }
