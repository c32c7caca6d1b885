/* SPDX-License-Identifier: BSD-2-Clause
 *
 * outbuf.c - buffered writer; see outbuf.h.
 */
#include "util/outbuf.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

void outbuf_init(struct outbuf *ob, int fd)
{
    ob->fd = fd;
    ob->err = 0;
    ob->len = 0;
}

int outbuf_flush(struct outbuf *ob)
{
    size_t off = 0;
    if (ob->fd < 0 || ob->err) {
        ob->len = 0;
        return ob->err;
    }
    while (off < ob->len) {
        ssize_t w = write(ob->fd, ob->buf + off, ob->len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            ob->err = errno;
            break;
        }
        off += (size_t)w;
    }
    ob->len = 0;
    return ob->err;
}

void outbuf_write_slow(struct outbuf *ob, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        if (ob->len == OUTBUF_SIZE)
            outbuf_flush(ob);
        size_t room = OUTBUF_SIZE - ob->len;
        size_t k = n < room ? n : room;
        memcpy(ob->buf + ob->len, c, k);
        ob->len += k;
        c += k;
        n -= k;
    }
}

void ob_u64(struct outbuf *ob, uint64_t v)
{
    char tmp[24];
    int i = 24;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    ob_write(ob, tmp + i, (size_t)(24 - i));
}

void ob_i64(struct outbuf *ob, int64_t v)
{
    if (v < 0) {
        ob_putc(ob, '-');
        ob_u64(ob, (uint64_t)0 - (uint64_t)v);
    } else {
        ob_u64(ob, (uint64_t)v);
    }
}

void ob_fixed(struct outbuf *ob, int64_t v, unsigned decimals)
{
    uint64_t p = 1;
    for (unsigned i = 0; i < decimals; i++)
        p *= 10;
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        ob_putc(ob, '-');
    ob_u64(ob, a / p);
    if (decimals) {
        char tmp[24];
        uint64_t f = a % p;
        for (unsigned i = decimals; i > 0; i--) {
            tmp[i - 1] = (char)('0' + f % 10);
            f /= 10;
        }
        ob_putc(ob, '.');
        ob_write(ob, tmp, decimals);
    }
}

void ob_double(struct outbuf *ob, double v, int decimals)
{
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    if (n > 0)
        ob_write(ob, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void ob_json_str(struct outbuf *ob, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ob_putc(ob, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        ob_write(ob, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t el = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            el = 6;
        }
        ob_write(ob, esc, el);
    }
    ob_write(ob, s + run, n - run);
    ob_putc(ob, '"');
}

void ob_hex(struct outbuf *ob, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        char t[2] = {hex[p[i] >> 4], hex[p[i] & 15]};
        ob_write(ob, t, 2);
    }
}
