/* SPDX-License-Identifier: BSD-2-Clause
 *
 * archive_fmt.c - text buffer, gzip, split tar and readsb trace JSON for the
 * archive writers (see archive_fmt.h). The trace layout follows readsb
 * README-json.md ("trace jsons") and the adsb.lol / ADS-B Exchange files:
 * seconds after "timestamp" with 2 decimals, lat/lon with 6, altitude in
 * ft or "ground", ground speed and track with 1 decimal, flags, vertical
 * rate, the aircraft object or null, then (layout 14) source type,
 * geometric altitude, geometric rate, IAS and roll (null here: the
 * simulator does not model them).
 */
#include "sim/archive_fmt.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void abuf_free(struct abuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

static bool ab_grow(struct abuf *b, size_t need)
{
    if (b->oom)
        return false;
    if (b->len + need <= b->cap)
        return true;
    size_t nc = b->cap ? b->cap : 4096;
    while (nc < b->len + need && nc < ABUF_MAX)
        nc *= 2;
    if (nc < b->len + need) {
        b->oom = true;
        return false;
    }
    char *np = realloc(b->p, nc);
    if (!np) {
        b->oom = true;
        return false;
    }
    b->p = np;
    b->cap = nc;
    return true;
}

void ab_put(struct abuf *b, const void *p, size_t n)
{
    if (!ab_grow(b, n))
        return;
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

void ab_str(struct abuf *b, const char *s)
{
    ab_put(b, s, strlen(s));
}

static void ab_uint(struct abuf *b, uint64_t v, unsigned min_digits)
{
    char tmp[24];
    size_t i = sizeof(tmp);
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v || sizeof(tmp) - i < min_digits);
    ab_put(b, tmp + i, sizeof(tmp) - i);
}

void ab_int(struct abuf *b, int64_t v)
{
    if (v < 0) {
        ab_put(b, "-", 1);
        ab_uint(b, (uint64_t)0 - (uint64_t)v, 1);
    } else {
        ab_uint(b, (uint64_t)v, 1);
    }
}

void ab_fixed(struct abuf *b, double v, unsigned dec)
{
    static const double p10[10] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    if (dec > 9)
        dec = 9;
    if (!isfinite(v) || fabs(v) > 9e9) {
        ab_str(b, "null");
        return;
    }
    uint64_t scaled = (uint64_t)llround(fabs(v) * p10[dec]);
    if (v < 0 && scaled)
        ab_put(b, "-", 1);
    uint64_t p = (uint64_t)p10[dec];
    ab_uint(b, scaled / p, 1);
    if (dec) {
        ab_put(b, ".", 1);
        ab_uint(b, scaled % p, dec);
    }
}

void ab_jstr(struct abuf *b, const char *s)
{
    ab_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            ab_put(b, e, 2);
        } else if (c < 0x20) {
            char e[8];
            snprintf(e, sizeof(e), "\\u%04x", c);
            ab_put(b, e, 6);
        } else {
            ab_put(b, s, 1);
        }
    }
    ab_put(b, "\"", 1);
}

int arch_gzip(const void *in, size_t n, int level, struct abuf *out)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (!c)
        return -1;
    size_t bound = libdeflate_gzip_compress_bound(c, n);
    out->len = 0;
    if (!ab_grow(out, bound)) {
        libdeflate_free_compressor(c);
        return -1;
    }
    size_t k = libdeflate_gzip_compress(c, in, n, out->p, bound);
    libdeflate_free_compressor(c);
    if (!k)
        return -1;
    out->len = k;
    return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

int arch_write_file(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    int rc = write_all(fd, p, n);
    if (close(fd) < 0)
        rc = -1;
    return rc;
}

int arch_mkdirs_for(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    char *last = strrchr(buf, '/');
    if (!last || last == buf)
        return 0;
    *last = '\0';
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

struct tar_out {
    struct archive *a;
    struct archive_entry *e;
    char path[4096];
    uint64_t split; /* 0 = one file */
    int fd;         /* current output file, -1 before the first byte */
    unsigned part;  /* index of the current part (aa = 0) */
    uint64_t in_part;
    bool failed;
};

static int next_part(struct tar_out *t)
{
    if (t->fd >= 0 && close(t->fd) < 0)
        return -1;
    t->fd = -1;
    char name[4200];
    if (t->split) {
        if (t->part >= 26 * 26) {
            errno = EFBIG;
            return -1;
        }
        snprintf(name, sizeof(name), "%s.%c%c", t->path, 'a' + t->part / 26, 'a' + t->part % 26);
        t->part++;
    } else {
        snprintf(name, sizeof(name), "%s", t->path);
    }
    t->fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    t->in_part = 0;
    return t->fd < 0 ? -1 : 0;
}

static la_ssize_t tar_write_cb(struct archive *a, void *ctx, const void *buf, size_t n)
{
    (void)a;
    struct tar_out *t = ctx;
    const char *p = buf;
    size_t left = n;
    while (left) {
        if (t->fd < 0 || (t->split && t->in_part == t->split)) {
            if (next_part(t) < 0) {
                t->failed = true;
                return -1;
            }
        }
        size_t k = left;
        if (t->split && k > t->split - t->in_part)
            k = (size_t)(t->split - t->in_part);
        if (write_all(t->fd, p, k) < 0) {
            t->failed = true;
            return -1;
        }
        t->in_part += k;
        p += k;
        left -= k;
    }
    return (la_ssize_t)n;
}

struct tar_out *tar_out_open(const char *path, uint64_t split_bytes, char *err, size_t errsz)
{
    struct tar_out *t = calloc(1, sizeof(*t));
    if (!t || strlen(path) >= sizeof(t->path)) {
        snprintf(err, errsz, "%s: %s", path, t ? "name too long" : "out of memory");
        free(t);
        return NULL;
    }
    snprintf(t->path, sizeof(t->path), "%s", path);
    t->split = split_bytes;
    t->fd = -1;
    t->a = archive_write_new();
    t->e = archive_entry_new();
    if (!t->a || !t->e || archive_write_set_format_pax_restricted(t->a) != ARCHIVE_OK ||
        archive_write_add_filter_none(t->a) != ARCHIVE_OK ||
        archive_write_open2(t->a, t, NULL, tar_write_cb, NULL, NULL) != ARCHIVE_OK) {
        snprintf(err, errsz, "%s: %s", path,
                 t->a && archive_error_string(t->a) ? archive_error_string(t->a)
                                                    : "cannot start the tar");
        if (t->a)
            archive_write_free(t->a);
        if (t->e)
            archive_entry_free(t->e);
        free(t);
        return NULL;
    }
    return t;
}

static int tar_entry(struct tar_out *t, const char *name, bool dir, const void *data, size_t n,
                     int64_t mtime)
{
    if (t->failed)
        return -1;
    archive_entry_clear(t->e);
    archive_entry_set_pathname(t->e, name);
    archive_entry_set_filetype(t->e, dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(t->e, dir ? 0755 : 0644);
    archive_entry_set_size(t->e, dir ? 0 : (la_int64_t)n);
    archive_entry_set_mtime(t->e, (time_t)mtime, 0);
    archive_entry_set_uid(t->e, 0);
    archive_entry_set_gid(t->e, 0);
    if (archive_write_header(t->a, t->e) != ARCHIVE_OK) {
        t->failed = true;
        return -1;
    }
    if (!dir && n && archive_write_data(t->a, data, n) != (la_ssize_t)n) {
        t->failed = true;
        return -1;
    }
    return 0;
}

int tar_out_dir(struct tar_out *t, const char *name, int64_t mtime)
{
    return tar_entry(t, name, true, NULL, 0, mtime);
}

int tar_out_file(struct tar_out *t, const char *name, const void *data, size_t n, int64_t mtime)
{
    return tar_entry(t, name, false, data, n, mtime);
}

int tar_out_close(struct tar_out *t)
{
    if (!t)
        return 0;
    int rc = archive_write_close(t->a) == ARCHIVE_OK ? 0 : -1;
    archive_write_free(t->a);
    archive_entry_free(t->e);
    if (t->fd < 0 && !t->failed && next_part(t) < 0) // an empty archive still gets its file
        rc = -1;
    if (t->fd >= 0 && close(t->fd) < 0)
        rc = -1;
    if (t->failed)
        rc = -1;
    free(t);
    return rc;
}

void trace_path(uint32_t icao, char *buf, size_t n)
{
    snprintf(buf, n, "traces/%02x/trace_full_%06x.json", (unsigned)(icao & 0xFF),
             (unsigned)(icao & 0xFFFFFF));
}

static void hdr_str(struct abuf *b, const char *key, const char *v)
{
    if (!v || !v[0])
        return;
    ab_put(b, ",\n\"", 3);
    ab_str(b, key);
    ab_put(b, "\":", 2);
    ab_jstr(b, v);
}

static void aircraft_obj(struct abuf *b, const struct trace_hdr *h)
{
    ab_str(b, "{\"type\":\"adsb_icao\"");
    if (h->flight && h->flight[0]) {
        char f[9];
        snprintf(f, sizeof(f), "%-8.8s", h->flight); // readsb pads the callsign to 8
        ab_str(b, ",\"flight\":");
        ab_jstr(b, f);
    }
    if (h->squawk && h->squawk[0]) {
        ab_str(b, ",\"squawk\":");
        ab_jstr(b, h->squawk);
    }
    if (h->category) {
        char c[4];
        snprintf(c, sizeof(c), "%02X", h->category);
        ab_str(b, ",\"category\":");
        ab_jstr(b, c);
    }
    ab_put(b, "}", 1);
}

void trace_json(struct abuf *b, const struct trace_hdr *h, const struct trace_pt *p, size_t n,
                int layout)
{
    char hex[8];
    snprintf(hex, sizeof(hex), "%06x", (unsigned)(h->icao & 0xFFFFFF));
    ab_str(b, "{\"icao\":");
    ab_jstr(b, hex);
    hdr_str(b, "r", h->r);
    hdr_str(b, "t", h->t);
    ab_str(b, ",\n\"dbFlags\":");
    ab_int(b, h->db_flags);
    hdr_str(b, "desc", h->desc);
    int64_t t0 = n ? p[0].t_ms : 0;
    ab_str(b, ",\n\"timestamp\": ");
    ab_fixed(b, (double)t0 / 1000.0, 3);
    if (h->simulated)
        ab_str(b, ",\n\"orbat_simulated\": true");
    ab_str(b, ",\n\"trace\":[\n");
    for (size_t i = 0; i < n; i++) {
        const struct trace_pt *q = &p[i];
        ab_put(b, "[", 1);
        ab_fixed(b, (double)(q->t_ms - t0) / 1000.0, 2);
        ab_put(b, ",", 1);
        ab_fixed(b, q->lat, 6);
        ab_put(b, ",", 1);
        ab_fixed(b, q->lon, 6);
        ab_put(b, ",", 1);
        if (q->ground)
            ab_str(b, "\"ground\"");
        else
            ab_int(b, q->alt_ft);
        ab_put(b, ",", 1);
        ab_fixed(b, q->gs, 1);
        ab_put(b, ",", 1);
        ab_fixed(b, q->track, 1);
        ab_put(b, ",", 1);
        ab_int(b, q->flags);
        ab_put(b, ",", 1);
        if (q->ground)
            ab_str(b, "null");
        else
            ab_int(b, q->vrate);
        ab_put(b, ",", 1);
        if (q->obj)
            aircraft_obj(b, h);
        else
            ab_str(b, "null");
        if (layout != 9)
            ab_str(b, ",\"adsb_icao\",null,null,null,null");
        ab_str(b, i + 1 < n ? "],\n" : "]\n");
    }
    ab_str(b, "]\n}\n");
}
