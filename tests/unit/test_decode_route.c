/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_decode_route.c - per-line framing of mixed text input (issue 18
 * item 3): detect_line's rule and decode_route's runs, which must not
 * depend on how the stream is chunked.
 */
#include "check.h"

#include "cli/decode_route.c"

struct rec {
    char out[4][512]; /* bytes received per framing, index = enum decode_input */
    size_t n[5];
    int calls;
};

static void cb(void *ctx, enum decode_input k, const uint8_t *p, size_t n)
{
    struct rec *r = ctx;
    r->calls++;
    if (k < DIN_NMEA || k > DIN_SBS || r->n[k] + n >= sizeof r->out[0])
        return;
    memcpy(r->out[k - 1] + r->n[k], p, n);
    r->n[k] += n;
    r->out[k - 1][r->n[k]] = 0;
}

static void feed(struct rec *r, const char *s, size_t step)
{
    struct decode_route rt;
    memset(r, 0, sizeof *r);
    decode_route_init(&rt, DIN_NMEA);
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i += step)
        decode_route_feed(&rt, (const uint8_t *)s + i, n - i < step ? n - i : step, cb, r);
    decode_route_finish(&rt, cb, r);
}

int main(void)
{
    CHECK_EQ_INT(detect_line((const uint8_t *)"*8d;", 4, true, PIPE_NMEA), PIPE_AVR, "AVR line");
    CHECK_EQ_INT(detect_line((const uint8_t *)"MSG,3", 5, false, PIPE_NMEA), PIPE_SBS, "SBS line");
    CHECK_EQ_INT(detect_line((const uint8_t *)"!AIVDM", 6, true, PIPE_AVR), PIPE_NMEA,
                 "NMEA line in an AVR file");
    CHECK_EQ_INT(detect_line((const uint8_t *)"MS", 2, false, PIPE_NMEA), PIPE_AUTO,
                 "\"MS\" could still be MSG,: undecided");
    CHECK_EQ_INT(detect_line((const uint8_t *)"MS", 2, true, PIPE_AVR), PIPE_AVR,
                 "a complete line \"MS\" is the file's framing");
    CHECK_EQ_INT(detect_line((const uint8_t *)"# x", 3, true, PIPE_SBS), PIPE_SBS,
                 "comment: the file's framing");

    const char *in = "!AIVDM,1,1,,A,x,0*00\n"
                     "*8D4840D6202CC371C32CE0576098;\n"
                     "MSG,3,1,1,4249B5,1,,,,,,7000,,,,,,,,,,0\n"
                     "ID,5,1,1,4249B5\n"
                     "*02A1;\n"
                     "junk\n"
                     "\\s:x*00\\!AIVDM,1,1,,B,y,0*00\n"
                     "MS\n"
                     "*5D;";
    struct rec whole, part;
    feed(&whole, in, 1 << 20);
    CHECK_EQ_STR(whole.out[0], "!AIVDM,1,1,,A,x,0*00\njunk\n\\s:x*00\\!AIVDM,1,1,,B,y,0*00\nMS\n",
                 "NMEA run (and lines of no known kind)");
    CHECK_EQ_STR(whole.out[2], "*8D4840D6202CC371C32CE0576098;\n*02A1;\n*5D;", "AVR lines");
    CHECK_EQ_STR(whole.out[3], "MSG,3,1,1,4249B5,1,,,,,,7000,,,,,,,,,,0\nID,5,1,1,4249B5\n",
                 "SBS lines");
    CHECK(whole.calls == 6, "consecutive lines of one framing in one call (%d calls)", whole.calls);
    int same = 1;
    for (size_t step = 1; step < 16; step++) {
        feed(&part, in, step);
        for (int k = 0; k < 4; k++)
            same &= strcmp(part.out[k], whole.out[k]) == 0;
    }
    CHECK(same, "the same runs for chunks of 1 to 15 bytes");
    return check_exit();
}
