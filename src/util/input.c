/* SPDX-License-Identifier: BSD-2-Clause
 *
 * input.c - plain or gzip input; see input.h.
 */
#include "util/input.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define INPUT_RAW_SIZE (1 << 17)

struct input {
    int fd;
    bool is_stdin;
    bool gz; /* decided from the first bytes */
    bool decided;
    bool eof;
    bool zinit;
    bool in_member; /* inside a gzip member: its end not yet seen */
    bool truncated; /* the file ended inside a member */
    uint64_t raw_pos, raw_size;
    z_stream z;
    size_t raw_len, raw_off; /* pending raw bytes in raw[] */
    char name[256];
    unsigned char raw[INPUT_RAW_SIZE];
};

struct input *input_open(const char *path)
{
    struct input *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    if (strcmp(path, "-") == 0) {
        in->fd = STDIN_FILENO;
        in->is_stdin = true;
        snprintf(in->name, sizeof in->name, "%s", "stdin");
    } else {
        in->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (in->fd < 0) {
            int e = errno;
            free(in);
            errno = e;
            return NULL;
        }
        struct stat st;
        if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode))
            in->raw_size = (uint64_t)st.st_size;
        if (fstat(in->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            close(in->fd);
            free(in);
            errno = EISDIR;
            return NULL;
        }
        snprintf(in->name, sizeof in->name, "%s", path);
    }
    return in;
}

static ssize_t raw_fill(struct input *in)
{
    for (;;) {
        ssize_t r = read(in->fd, in->raw, INPUT_RAW_SIZE);
        if (r < 0 && errno == EINTR)
            continue;
        if (r > 0) {
            in->raw_len = (size_t)r;
            in->raw_off = 0;
            in->raw_pos += (uint64_t)r;
        }
        return r;
    }
}

ssize_t input_read(struct input *in, void *buf, size_t n)
{
    if (!in->decided) {
        ssize_t r = raw_fill(in);
        if (r <= 0)
            return r;
        in->decided = true;
        in->gz = in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b;
        if (in->gz) {
            memset(&in->z, 0, sizeof in->z);
            if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK) {
                errno = ENOMEM;
                return -1;
            }
            in->zinit = true;
            in->in_member = true;
        }
    }
    if (!in->gz) {
        if (in->raw_off < in->raw_len) {
            size_t k = in->raw_len - in->raw_off;
            if (k > n)
                k = n;
            memcpy(buf, in->raw + in->raw_off, k);
            in->raw_off += k;
            return (ssize_t)k;
        }
        for (;;) {
            ssize_t r = read(in->fd, buf, n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r > 0)
                in->raw_pos += (uint64_t)r;
            return r;
        }
    }
    if (in->truncated) {
        errno = EILSEQ;
        return -1;
    }
    if (in->eof)
        return 0;
    in->z.next_out = buf;
    in->z.avail_out = (uInt)n;
    while (in->z.avail_out == n) {
        if (in->raw_off >= in->raw_len) {
            ssize_t r = raw_fill(in);
            if (r < 0)
                return -1;
            if (r == 0) {
                in->eof = true;
                if (in->in_member) {
                    in->truncated = true;
                    // The file ends inside a member: truncated (gzip -t
                    // fails too). What was decoded has been returned; the
                    // read error keeps the source incomplete.
                    errno = EILSEQ;
                    return n == in->z.avail_out ? -1 : (ssize_t)(n - in->z.avail_out);
                }
                break;
            }
            in->in_member = true;
        }
        in->z.next_in = in->raw + in->raw_off;
        in->z.avail_in = (uInt)(in->raw_len - in->raw_off);
        int zr = inflate(&in->z, Z_NO_FLUSH);
        in->raw_off = in->raw_len - in->z.avail_in;
        if (zr == Z_STREAM_END) {
            // Another gzip member may follow (concatenated .gz files).
            in->in_member = in->raw_off < in->raw_len;
            if (inflateReset(&in->z) != Z_OK) {
                errno = EILSEQ;
                return -1;
            }
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            errno = EILSEQ;
            return -1;
        }
    }
    return (ssize_t)(n - in->z.avail_out);
}

uint64_t input_raw_pos(const struct input *in)
{
    return in->raw_pos;
}

uint64_t input_raw_size(const struct input *in)
{
    return in->raw_size;
}

const char *input_name(const struct input *in)
{
    return in->name;
}

void input_close(struct input *in)
{
    if (!in)
        return;
    if (in->zinit)
        inflateEnd(&in->z);
    if (!in->is_stdin)
        close(in->fd);
    free(in);
}
