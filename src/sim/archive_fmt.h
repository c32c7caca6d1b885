/* SPDX-License-Identifier: BSD-2-Clause
 *
 * archive_fmt.h - building blocks shared by the simulator's archive writers
 * (out_traces.c, out_mc.c, out_snap.c) and the globe_history benchmark
 * generator (bench/globe_day.c): a growable text buffer with printf-free
 * number appenders, gzip of a buffer (libdeflate; a standard RFC 1952
 * member with mtime 0, so output is reproducible), a tar writer (libarchive,
 * pax-restricted = plain ustar unless a name needs more) that can cut its
 * byte stream into NAME.aa, NAME.ab, ... parts of a fixed size exactly as
 * `split -b SIZE NAME NAME.` does, and the readsb trace_full JSON body
 * (readsb README-json.md, "trace jsons"; docs/simulator.md).
 *
 * Ownership: struct abuf owns its heap block (abuf_free); a tar_out is
 * heap-allocated by tar_out_open and freed by tar_out_close, which also
 * closes its files. Errors: abuf sets ->oom and drops further writes;
 * the others return -1 with errno-style detail in the err buffers given.
 */
#ifndef ORBAT_SIM_ARCHIVE_FMT_H
#define ORBAT_SIM_ARCHIVE_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Growable byte buffer. Zero-initialise; it grows up to ABUF_MAX. */
#define ABUF_MAX ((size_t)1 << 31)
struct abuf {
    char *p;
    size_t len, cap;
    bool oom; /* an allocation failed or ABUF_MAX was reached: contents are truncated */
};
void abuf_free(struct abuf *b);
void ab_put(struct abuf *b, const void *p, size_t n);
void ab_str(struct abuf *b, const char *s);
void ab_int(struct abuf *b, int64_t v);
/* v rounded to `dec` decimals (0..9), printed with exactly that many. */
void ab_fixed(struct abuf *b, double v, unsigned dec);
/* A JSON string literal of s (quotes, escapes for '"', '\\' and controls). */
void ab_jstr(struct abuf *b, const char *s);

/* gzip in[0..n) into out (replacing its contents) at libdeflate level
 * 1..12 (6 = zlib's default). Returns 0 or -1 (out of memory). */
int arch_gzip(const void *in, size_t n, int level, struct abuf *out);

/* Write all of p to path (created/truncated, mode 0644). Returns 0 or -1. */
int arch_write_file(const char *path, const void *p, size_t n);
/* mkdir -p for the directory part of path (everything before the last
 * '/'). Returns 0 or -1. */
int arch_mkdirs_for(const char *path);

struct tar_out;
/* Open a tar at path; split_bytes > 0 writes path.aa, path.ab, ... of
 * split_bytes each (the last shorter) instead of one file. NULL on error
 * (message in err). */
struct tar_out *tar_out_open(const char *path, uint64_t split_bytes, char *err, size_t errsz);
/* A directory entry (name ends in '/') or a regular file entry; mtime in
 * unix seconds, mode 0755 / 0644, owner 0:0. Return 0 or -1. */
int tar_out_dir(struct tar_out *t, const char *name, int64_t mtime);
int tar_out_file(struct tar_out *t, const char *name, const void *data, size_t n, int64_t mtime);
/* Finish the archive, close its files and free t (NULL-safe). Returns 0,
 * or -1 when a write failed at any point. */
int tar_out_close(struct tar_out *t);

/* One readsb trace point. */
#define TRACE_STALE   1 /* no position for 20 s before this one */
#define TRACE_NEW_LEG 2 /* start of a new leg */
struct trace_pt {
    int64_t t_ms;
    double lat, lon;
    int32_t alt_ft; /* barometric, ft */
    bool ground;    /* altitude written as "ground" (track is then the heading) */
    double gs, track;
    int32_t vrate; /* ft/min; written as null on the ground */
    uint8_t flags; /* TRACE_* */
    bool obj;      /* write the aircraft object (flight, squawk, category) */
};
/* The file header and the aircraft object's fields. Strings may be NULL or
 * empty (then omitted, as readsb omits what its database lacks). */
struct trace_hdr {
    uint32_t icao;
    const char *r, *t, *desc;
    int db_flags;
    bool simulated; /* write "orbat_simulated": true */
    const char *flight;
    const char *squawk; /* 4 octal digits */
    uint8_t category;   /* 0xA0..0xD7; 0 = omit */
};
/* Append the trace_full JSON of n >= 1 points (time-ordered) to b: the
 * header with "timestamp" = the first point's time, and each point as the
 * 14-field array (layout 14, readsb files from 2022 on) or the older
 * 9-field one (layout 9). */
void trace_json(struct abuf *b, const struct trace_hdr *h, const struct trace_pt *p, size_t n,
                int layout);
/* "traces/b0/trace_full_3c66b0.json" (buf >= 40 bytes). */
void trace_path(uint32_t icao, char *buf, size_t n);

#endif /* ORBAT_SIM_ARCHIVE_FMT_H */
