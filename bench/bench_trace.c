/* SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_trace.c - speed of the readsb trace parser (src/decode/archive/
 * trace.c) on a big constructed trace document, against jansson's
 * json_loads on the same text and against inflating the same text gzipped
 * with zlib and libdeflate (what the importer pays per byte anyway; zlib
 * stands for `zcat`).
 *
 * The document: readsb's layout and number formats (sprintTracePoint in
 * readsb json_out.c): "\n[%.2f,%f,%f,%d,%.1f,%.1f,%d,%d,OBJ|null,
 * \"adsb_icao\",%d,%d,%d,%.1f]," with a full aircraft object (as in the
 * README example, ~700 bytes) on every 10th point, values random-walking.
 *
 * Build and run by hand (not wired into make bench):
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc bench/bench_trace.c \
 *      src/decode/archive/trace.c src/decode/common/json_num.c -ljansson -lz -ldeflate -o
 * build/bench_trace build/bench_trace [MB [EVERY]]   (default 50 MB, an object every 10th point; 0:
 * none)
 */
#include <jansson.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "orbat/trace.h"

// CPU time of this process: the machine is shared.
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ull;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static char *make_doc(size_t target, unsigned every, size_t *len, size_t *npoints)
{
    size_t cap = target + 4096;
    char *b = malloc(cap);
    if (!b)
        return NULL;
    size_t n = (size_t)snprintf(b, cap,
                                "{\"icao\":\"3c66b0\",\n\"r\":\"D-AIUP\",\n\"t\":\"A320\",\n"
                                "\"dbFlags\":0,\"desc\":\"AIRBUS A-320\",\n"
                                "\"timestamp\": 1663259853.016,\n\"trace\":[ ");
    double t = 0, lat = 49.2633, lon = 10.614239, gs = 446.5, trk = 309.0;
    int alt = 25125, vr = -2176;
    size_t i = 0;
    while (n + 2048 < target) {
        t += 1 + urand() * 15;
        lat += (urand() - 0.5) * 0.02;
        lon += (urand() - 0.5) * 0.03;
        alt += (int)((urand() - 0.5) * 400) / 25 * 25;
        gs = 200 + urand() * 300;
        trk = urand() * 360;
        vr = (int)((urand() - 0.5) * 4000) / 64 * 64;
        n += (size_t)snprintf(b + n, cap - n, "\n[%.2f,%f,%f,%d,%.1f,%.1f,%d,%d,", t, lat, lon, alt,
                              gs, trk, (int)(urand() * 2), vr);
        if (every && i % every == 0)
            n += (size_t)snprintf(
                b + n, cap - n,
                "{\"type\":\"adsb_icao\",\"flight\":\"DLH7YA  \",\"alt_geom\":%d,\"ias\":%d,"
                "\"tas\":%d,\"mach\":%.3f,\"wd\":%d,\"ws\":%d,\"oat\":%d,\"tat\":%d,"
                "\"track\":%.2f,\"track_rate\":%.2f,\"roll\":%.2f,\"mag_heading\":%.2f,"
                "\"true_heading\":%.2f,\"baro_rate\":%d,\"geom_rate\":%d,\"squawk\":\"1000\","
                "\"category\":\"A3\",\"nav_qnh\":%.1f,\"nav_altitude_mcp\":%d,\"nic\":8,"
                "\"rc\":186,\"version\":2,\"nic_baro\":1,\"nac_p\":8,\"nac_v\":0,\"sil\":3,"
                "\"sil_type\":\"perhour\",\"gva\":2,\"sda\":2,\"alert\":0,\"spi\":0}",
                alt + 700, 335, 484, 0.796, 297, 40, -30, 1, trk, -0.53, -10.72, trk - 4.7,
                trk - 1.0, vr, vr - 32, 1012.8, 14016);
        else
            n += (size_t)snprintf(b + n, cap - n, "null");
        n += (size_t)snprintf(b + n, cap - n, ",\"adsb_icao\",%d,%d,%d,%.1f],", alt + 700, vr - 32,
                              300 + (int)(urand() * 50), (urand() - 0.5) * 40);
        i++;
    }
    n--; // the last comma
    n += (size_t)snprintf(b + n, cap - n, " ]\n }\n");
    *len = n;
    *npoints = i;
    return b;
}

static int count_cb(void *ctx, const struct orbat_trace_point *p)
{
    double *sum = ctx;
    *sum += p->lat + p->alt_ft + p->category;
    return 0;
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atoi(argv[1]) : 50;
    unsigned every = argc > 2 ? (unsigned)atoi(argv[2]) : 10;
    size_t len, np;
    char *doc = make_doc(mb << 20, every, &len, &np);
    if (!doc)
        return 1;
    printf("document: %.1f MB, %zu points\n", len / 1e6, np);

    struct orbat_trace_hdr h;
    double sum = 0, best = 1e9;
    uint32_t bad = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        int r = orbat_trace_parse(doc, len, &h, count_cb, &sum, &bad);
        double dt = now() - t0;
        if (r != ORBAT_OK || bad) {
            fprintf(stderr, "parse failed: %d, %u bad\n", r, bad);
            return 1;
        }
        if (dt < best)
            best = dt;
    }
    printf("orbat_trace_parse: %.0f MB/s (best of 5, %.3f s) [checksum %.0f]\n", len / 1e6 / best,
           best, sum);

    // zlib: gzip the text (level 6, as gzip's default), time the inflate
    uLong bound = compressBound((uLong)len) + 64;
    unsigned char *gz = malloc(bound);
    char *out = malloc(len);
    z_stream zs = {0};
    if (!gz || !out || deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 1;
    zs.next_in = (unsigned char *)doc;
    zs.avail_in = (uInt)len;
    zs.next_out = gz;
    zs.avail_out = (uInt)bound;
    deflate(&zs, Z_FINISH);
    size_t gzlen = zs.total_out;
    deflateEnd(&zs);
    double ibest = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        z_stream is = {0};
        inflateInit2(&is, 15 + 16);
        is.next_in = gz;
        is.avail_in = (uInt)gzlen;
        is.next_out = (unsigned char *)out;
        is.avail_out = (uInt)len;
        double t0 = now();
        int zr = inflate(&is, Z_FINISH);
        double dt = now() - t0;
        inflateEnd(&is);
        if (zr != Z_STREAM_END || memcmp(out, doc, len) != 0)
            return 1;
        if (dt < ibest)
            ibest = dt;
    }
    printf("zlib inflate (gzip -6, %.1f MB compressed): %.0f MB/s of output (best of 3)\n",
           gzlen / 1e6, len / 1e6 / ibest);
    printf("parse cost relative to zlib inflate: %.2fx\n", best / ibest);

    struct libdeflate_decompressor *ld = libdeflate_alloc_decompressor();
    double lbest = 1e9;
    for (int rep = 0; ld && rep < 3; rep++) {
        size_t got = 0;
        double t0 = now();
        enum libdeflate_result lr = libdeflate_gzip_decompress(ld, gz, gzlen, out, len, &got);
        double dt = now() - t0;
        if (lr != LIBDEFLATE_SUCCESS || got != len || memcmp(out, doc, len) != 0)
            return 1;
        if (dt < lbest)
            lbest = dt;
    }
    if (ld)
        libdeflate_free_decompressor(ld);
    printf("libdeflate gzip_decompress: %.0f MB/s of output (best of 3)\n", len / 1e6 / lbest);
    printf("libdeflate + parse relative to zlib inflate (zcat): %.2fx\n", (lbest + best) / ibest);

    double t0 = now();
    json_error_t err;
    json_t *root = json_loads(doc, 0, &err);
    double jt = now() - t0;
    if (!root) {
        fprintf(stderr, "jansson: %s\n", err.text);
        return 1;
    }
    json_decref(root);
    printf("jansson json_loads: %.0f MB/s (%.3f s, one run) -> %.1fx slower\n", len / 1e6 / jt, jt,
           jt / best);
    free(gz);
    free(out);
    free(doc);
    return 0;
}
