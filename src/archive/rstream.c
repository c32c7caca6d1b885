/* SPDX-License-Identifier: BSD-2-Clause
 *
 * rstream.c - one byte stream for the importer: a file descriptor or a
 * libarchive member, inflated on the fly when it is gzip (zlib, members
 * concatenated as gzip(1) allows) or zstd (libzstd streaming). The kind is
 * chosen from the first bytes, not the name. A stream that ends inside a
 * compressed frame is an error ("truncated"), never a silent end.
 */
#include "archive/import_int.h"

#include <archive.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define RS_IN (1u << 17)

enum rs_comp {
    RS_PLAIN,
    RS_GZIP,
    RS_ZSTD
};

struct rstream {
    int fd;
    struct archive *a;
    enum rs_comp comp;
    z_stream z;
    bool z_init, z_end; /* inflate set up; the last gzip member ended */
    ZSTD_DStream *zd;
    size_t zret; /* last ZSTD_decompressStream hint: 0 = frame complete */
    unsigned char in[RS_IN];
    size_t in_pos, in_len;
    bool eof;     /* no more raw input */
    uint64_t raw; /* raw bytes consumed */
    char err[160];
};

static ssize_t raw_read(struct rstream *r, void *buf, size_t n)
{
    ssize_t k;
    if (r->a) {
        k = archive_read_data(r->a, buf, n);
        if (k < 0)
            snprintf(r->err, sizeof r->err, "%s", archive_error_string(r->a));
    } else {
        do
            k = read(r->fd, buf, n);
        while (k < 0 && errno == EINTR);
        if (k < 0)
            snprintf(r->err, sizeof r->err, "%s", strerror(errno));
    }
    return k;
}

/* Refill the input buffer when it is empty: 1 more input, 0 at the end,
 * -1 on an error. */
static int fill(struct rstream *r)
{
    if (r->in_pos < r->in_len)
        return 1;
    if (r->eof)
        return 0;
    ssize_t k = raw_read(r, r->in, sizeof r->in);
    if (k < 0)
        return -1;
    if (k == 0) {
        r->eof = true;
        return 0;
    }
    r->in_pos = 0;
    r->in_len = (size_t)k;
    r->raw += (uint64_t)k;
    return 1;
}

static struct rstream *rs_new(int fd, struct archive *a, const unsigned char *head, size_t nhead)
{
    struct rstream *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fd = fd;
    r->a = a;
    if (nhead > sizeof r->in)
        nhead = sizeof r->in;
    memcpy(r->in, head, nhead);
    r->in_len = nhead;
    r->raw = nhead;
    // Decide the compression from the first bytes (read more if needed).
    while (r->in_len < 4 && !r->eof) {
        ssize_t k = raw_read(r, r->in + r->in_len, sizeof r->in - r->in_len);
        if (k <= 0) {
            r->eof = true;
            break;
        }
        r->in_len += (size_t)k;
        r->raw += (uint64_t)k;
    }
    if (r->in_len >= 2 && r->in[0] == 0x1f && r->in[1] == 0x8b) {
        r->comp = RS_GZIP;
        if (inflateInit2(&r->z, 15 + 32) != Z_OK) {
            free(r);
            return NULL;
        }
        r->z_init = true;
    } else if (r->in_len >= 4 && r->in[0] == 0x28 && r->in[1] == 0xb5 && r->in[2] == 0x2f &&
               r->in[3] == 0xfd) {
        r->comp = RS_ZSTD;
        if (!(r->zd = ZSTD_createDStream())) {
            free(r);
            return NULL;
        }
        ZSTD_initDStream(r->zd);
        r->zret = 1;
    }
    return r;
}

struct rstream *rs_open_fd(int fd, const unsigned char *head, size_t nhead)
{
    return rs_new(fd, NULL, head, nhead);
}

struct rstream *rs_open_member(void *archive, const unsigned char *head, size_t nhead)
{
    return rs_new(-1, archive, head, nhead);
}

static ssize_t read_gzip(struct rstream *r, unsigned char *buf, size_t n)
{
    r->z.next_out = buf;
    r->z.avail_out = (uInt)n;
    while (r->z.avail_out > 0) {
        int f = fill(r);
        if (f < 0)
            goto fail;
        if (f == 0) {
            if (!r->z_end && r->z.total_in > 0) {
                snprintf(r->err, sizeof r->err, "truncated gzip data (the file is cut short)");
                goto fail;
            }
            break;
        }
        if (r->z_end) {
            // Another gzip member follows (gzip(1) concatenation).
            if (inflateReset(&r->z) != Z_OK)
                return -1;
            r->z_end = false;
        }
        r->z.next_in = r->in + r->in_pos;
        r->z.avail_in = (uInt)(r->in_len - r->in_pos);
        int zr = inflate(&r->z, Z_NO_FLUSH);
        r->in_pos = r->in_len - r->z.avail_in;
        if (zr == Z_STREAM_END) {
            r->z_end = true;
            continue;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            snprintf(r->err, sizeof r->err, "corrupt gzip data (%s)",
                     r->z.msg ? r->z.msg : "inflate error");
            goto fail;
        }
    }
    return (ssize_t)(n - r->z.avail_out);
fail:
    // Hand over what was inflated before the error; the next call fails.
    return n - r->z.avail_out ? (ssize_t)(n - r->z.avail_out) : -1;
}

static ssize_t read_zstd(struct rstream *r, unsigned char *buf, size_t n)
{
    ZSTD_outBuffer out = {buf, n, 0};
    while (out.pos < out.size) {
        int f = fill(r);
        if (f < 0)
            return -1;
        if (f == 0) {
            if (r->zret != 0) {
                snprintf(r->err, sizeof r->err, "truncated zstd data (the file is cut short)");
                return out.pos ? (ssize_t)out.pos : -1;
            }
            break;
        }
        ZSTD_inBuffer in = {r->in, r->in_len, r->in_pos};
        size_t zr = ZSTD_decompressStream(r->zd, &out, &in);
        r->in_pos = in.pos;
        if (ZSTD_isError(zr)) {
            snprintf(r->err, sizeof r->err, "corrupt zstd data (%s)", ZSTD_getErrorName(zr));
            return out.pos ? (ssize_t)out.pos : -1;
        }
        r->zret = zr;
    }
    return (ssize_t)out.pos;
}

ssize_t rs_read(struct rstream *r, void *buf, size_t n)
{
    if (r->err[0])
        return -1;
    if (r->comp == RS_GZIP)
        return read_gzip(r, buf, n);
    if (r->comp == RS_ZSTD)
        return read_zstd(r, buf, n);
    if (r->in_pos < r->in_len) {
        size_t k = r->in_len - r->in_pos;
        if (k > n)
            k = n;
        memcpy(buf, r->in + r->in_pos, k);
        r->in_pos += k;
        return (ssize_t)k;
    }
    if (r->eof)
        return 0;
    ssize_t k = raw_read(r, buf, n);
    if (k > 0)
        r->raw += (uint64_t)k;
    else if (k == 0)
        r->eof = true;
    return k;
}

const char *rs_error(const struct rstream *r)
{
    return r->err[0] ? r->err : "read error";
}

uint64_t rs_raw_pos(const struct rstream *r)
{
    return r->raw;
}

void rs_close(struct rstream *r)
{
    if (!r)
        return;
    if (r->z_init)
        inflateEnd(&r->z);
    if (r->zd)
        ZSTD_freeDStream(r->zd);
    free(r);
}
