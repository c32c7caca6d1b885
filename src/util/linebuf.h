/* SPDX-License-Identifier: BSD-2-Clause
 *
 * linebuf.h - split a byte stream into lines with a hard length cap.
 *
 * Lines are handed to the callback without their "\n" or "\r\n". Complete
 * lines inside a chunk are passed by pointer into the chunk (no copy); only
 * a line split across chunks is copied into the fixed buffer. A line longer
 * than LINEBUF_CAP is dropped whole and counted in ->toolong; the stream
 * goes on with the next line. The pointer is borrowed for the call only.
 */
#ifndef ORBAT_UTIL_LINEBUF_H
#define ORBAT_UTIL_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINEBUF_CAP 4096

typedef void (*linebuf_cb)(void *ctx, const char *line, size_t len);

struct linebuf {
    size_t len;       /* bytes of a partial line held in buf */
    bool overflow;    /* the current partial line exceeded the cap */
    uint64_t toolong; /* lines dropped for exceeding LINEBUF_CAP */
    char buf[LINEBUF_CAP];
};

void linebuf_init(struct linebuf *lb);
void linebuf_feed(struct linebuf *lb, const char *p, size_t n, linebuf_cb cb, void *ctx);
/* End of stream: deliver a final line that had no newline. */
void linebuf_finish(struct linebuf *lb, linebuf_cb cb, void *ctx);

#endif /* ORBAT_UTIL_LINEBUF_H */
