/* SPDX-License-Identifier: BSD-2-Clause
 * test_util.c - outbuf, linebuf, error table. */
#include "check.h"

#include <stdlib.h>

#include "orbat/orbat.h"
#include "util/linebuf.h"
#include "util/outbuf.h"

static char lines[16][64];
static int nlines;

static void collect(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    if (nlines < 16 && len < 64) {
        memcpy(lines[nlines], line, len);
        lines[nlines][len] = 0;
    }
    nlines++;
}

int main(void)
{
    static struct outbuf ob;
    outbuf_init(&ob, -1);
    ob_i64(&ob, -1234567890123LL);
    ob_putc(&ob, ' ');
    ob_fixed(&ob, -5, 3);
    ob_putc(&ob, ' ');
    ob_fixed(&ob, 123456, 1);
    ob_putc(&ob, ' ');
    ob_json_str(&ob, "a\"b\\c\n\x01", 7);
    ob.buf[ob.len] = 0;
    CHECK_EQ_STR(ob.buf, "-1234567890123 -0.005 12345.6 \"a\\\"b\\\\c\\n\\u0001\"",
                 "outbuf formats");

    static struct linebuf lb;
    linebuf_init(&lb);
    const char *s = "one\r\ntw";
    linebuf_feed(&lb, s, strlen(s), collect, NULL);
    linebuf_feed(&lb, "o\nthree", 7, collect, NULL);
    linebuf_finish(&lb, collect, NULL);
    CHECK_EQ_INT(nlines, 3, "three lines across chunks");
    CHECK_EQ_STR(lines[0], "one", "CRLF stripped");
    CHECK_EQ_STR(lines[1], "two", "line split across chunks joined");
    CHECK_EQ_STR(lines[2], "three", "final line without newline");

    char *big = malloc(LINEBUF_CAP + 10);
    memset(big, 'x', LINEBUF_CAP + 10);
    big[LINEBUF_CAP + 9] = '\n';
    nlines = 0;
    linebuf_feed(&lb, big, 100, collect, NULL);
    linebuf_feed(&lb, big + 100, LINEBUF_CAP - 90, collect, NULL);
    linebuf_feed(&lb, "ok\n", 3, collect, NULL);
    CHECK_EQ_INT(lb.toolong, 1, "over-long line dropped and counted");
    CHECK_EQ_INT(nlines, 1, "stream continues after over-long line");
    CHECK_EQ_STR(lines[0], "ok", "next line intact");
    free(big);

    CHECK_EQ_STR(orbat_err_name(ORBAT_E_CHECKSUM), "checksum", "error name");
    CHECK(strcmp(orbat_strerror((enum orbat_err) - 999), "unknown error") == 0, "unknown code");
    return check_exit();
}
