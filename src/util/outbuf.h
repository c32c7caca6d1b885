/* SPDX-License-Identifier: BSD-2-Clause
 *
 * outbuf.h - a fixed-size buffered writer to a file descriptor with fast
 * appenders for numbers and JSON strings. The decoders' JSON output goes
 * through here, so it is written for speed: no printf on the hot path.
 *
 * Ownership: the caller owns the struct (stack or heap) and the fd; outbuf
 * never closes the fd. Write errors are sticky in ->err (an errno value).
 */
#ifndef ORBAT_UTIL_OUTBUF_H
#define ORBAT_UTIL_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OUTBUF_SIZE (1 << 16)

struct outbuf {
    int fd;     /* borrowed; -1 discards all output (for benchmarks) */
    int err;    /* first errno from write(2), 0 if none */
    size_t len; /* bytes pending in buf */
    char buf[OUTBUF_SIZE];
};

void outbuf_init(struct outbuf *ob, int fd);
/* Write out pending bytes. Returns 0 or the sticky errno. */
int outbuf_flush(struct outbuf *ob);
void outbuf_write_slow(struct outbuf *ob, const void *p, size_t n);

static inline void ob_write(struct outbuf *ob, const void *p, size_t n)
{
    if (ob->len + n > OUTBUF_SIZE) {
        outbuf_write_slow(ob, p, n);
        return;
    }
    memcpy(ob->buf + ob->len, p, n);
    ob->len += n;
}

static inline void ob_putc(struct outbuf *ob, char c)
{
    if (ob->len >= OUTBUF_SIZE)
        outbuf_flush(ob);
    ob->buf[ob->len++] = c;
}

static inline void ob_puts(struct outbuf *ob, const char *s)
{
    ob_write(ob, s, strlen(s));
}

/* Append a string literal without strlen. */
#define OB_LIT(ob, lit) ob_write((ob), (lit), sizeof(lit) - 1)

void ob_u64(struct outbuf *ob, uint64_t v);
void ob_i64(struct outbuf *ob, int64_t v);
/* Fixed-point: v / 10^decimals printed with exactly `decimals` digits,
 * e.g. ob_fixed(ob, -12345, 2) -> "-123.45". */
void ob_fixed(struct outbuf *ob, int64_t v, unsigned decimals);
/* printf("%.*f") equivalent for doubles (uses snprintf; not hot-path). */
void ob_double(struct outbuf *ob, double v, int decimals);
/* JSON string with quotes; escapes ", \, control characters as \uXXXX
 * (\b \f \n \r \t short forms), bytes >= 0x80 passed through. */
void ob_json_str(struct outbuf *ob, const char *s, size_t n);
/* Lowercase hex of n bytes. */
void ob_hex(struct outbuf *ob, const uint8_t *p, size_t n);

#endif /* ORBAT_UTIL_OUTBUF_H */
