/* SPDX-License-Identifier: BSD-2-Clause
 * decode_ais.c - PLACEHOLDER being replaced by the ais decoder work. */
#include "cli/decode.h"
#include <stdlib.h>
struct ais_sink { int unused; };
struct ais_sink *ais_sink_new(const struct decode_opts *o, struct outbuf *out)
{
    (void)o; (void)out;
    return calloc(1, sizeof(struct ais_sink));
}
void ais_sink_report(const struct ais_sink *s, FILE *f) { (void)s; (void)f; }
void ais_sink_free(struct ais_sink *s) { free(s); }
void ais_sink_feed(struct ais_sink *s, const char *p, size_t n, const char *source) { (void)s; (void)p; (void)n; (void)source; }
void ais_sink_end_of_input(struct ais_sink *s) { (void)s; }
