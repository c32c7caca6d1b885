/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_archive_fmt.c - the archive writers' building blocks
 * (src/sim/archive_fmt.c): number formatting, JSON strings, gzip round trip
 * through zlib, the trace_full JSON against readsb's documented layout
 * (parsed back with jansson), and the split tar: parts of exactly the
 * requested size whose concatenation is the unsplit tar.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "sim/archive_fmt.h"

static char *fixed(double v, unsigned dec)
{
    static char out[64];
    struct abuf b = {0};
    ab_fixed(&b, v, dec);
    snprintf(out, sizeof(out), "%.*s", (int)b.len, b.p);
    abuf_free(&b);
    return out;
}

static long file_size(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static size_t slurp(const char *p, struct abuf *b)
{
    FILE *f = fopen(p, "rb");
    char buf[4096];
    size_t n, total = 0;
    if (!f)
        return 0;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        ab_put(b, buf, n);
        total += n;
    }
    fclose(f);
    return total;
}

int main(void)
{
    CHECK_EQ_STR(fixed(12.345678, 6), "12.345678", "ab_fixed 6 decimals");
    CHECK_EQ_STR(fixed(-0.0000004, 6), "0.000000", "ab_fixed: no minus on a value rounding to 0");
    CHECK_EQ_STR(fixed(-68.9598, 6), "-68.959800", "ab_fixed negative");
    CHECK_EQ_STR(fixed(7016.585, 2), "7016.59", "ab_fixed rounds half up (7016.585)");
    CHECK_EQ_STR(fixed(0.05, 1), "0.1", "ab_fixed 0.05 -> 0.1");
    CHECK_EQ_STR(fixed(360.0, 0), "360", "ab_fixed 0 decimals");

    struct abuf b = {0};
    ab_jstr(&b, "a\"b\\c\n");
    CHECK(b.len == 15 && !memcmp(b.p, "\"a\\\"b\\\\c\\u000a\"", 15), "ab_jstr escapes quote, "
                                                                     "backslash, controls");
    b.len = 0;
    ab_int(&b, -2176);
    ab_put(&b, " ", 1);
    ab_int(&b, 0);
    CHECK(b.len == 7 && !memcmp(b.p, "-2176 0", 7), "ab_int");

    char path[64];
    trace_path(0x3c66b0, path, sizeof(path));
    CHECK_EQ_STR(path, "traces/b0/trace_full_3c66b0.json", "trace_path as in globe_history");

    // trace_full JSON: 2 points, one with the aircraft object, one on the ground
    struct trace_pt pts[2] = {
        {1663259853016 + 7016590, 49.2633, 10.614239, 25125, false, 446.5, 309.0, -2176, 0, true},
        {1663259853016 + 7024850, 49.273589, 10.593278, 0, true, 12.0, 306.6, 0, 3, false}};
    struct trace_hdr h = {0x3c66b0, "D-AIUP", "A320", "AIRBUS A-320", 0, true,
                          "DLH7YA", "1000",   0xA3};
    b.len = 0;
    trace_json(&b, &h, pts, 2, 14);
    json_error_t je;
    json_t *j = json_loadb(b.p, b.len, 0, &je);
    CHECK(j != NULL, "trace_full JSON parses (%s)", j ? "ok" : je.text);
    if (j) {
        json_t *tr = json_object_get(j, "trace"), *p0 = json_array_get(tr, 0),
               *p1 = json_array_get(tr, 1);
        CHECK_EQ_STR(json_string_value(json_object_get(j, "icao")), "3c66b0", "icao");
        CHECK_EQ_STR(json_string_value(json_object_get(j, "r")), "D-AIUP", "r");
        CHECK_EQ_STR(json_string_value(json_object_get(j, "t")), "A320", "t");
        CHECK(json_is_true(json_object_get(j, "orbat_simulated")), "orbat_simulated");
        CHECK_NEAR(json_real_value(json_object_get(j, "timestamp")), 1663266869.606, 1e-6,
                   "timestamp = first point time");
        CHECK_EQ_INT(json_array_size(p0), 14, "14 fields");
        CHECK_NEAR(json_number_value(json_array_get(p0, 0)), 0.0, 1e-9, "first offset 0");
        CHECK_NEAR(json_number_value(json_array_get(p1, 0)), 8.26, 1e-9, "second offset 8.26");
        CHECK_EQ_INT(json_integer_value(json_array_get(p0, 3)), 25125, "altitude");
        CHECK_EQ_STR(json_string_value(json_array_get(p1, 3)), "ground", "ground altitude");
        CHECK(json_is_null(json_array_get(p1, 7)), "no vertical rate on the ground");
        CHECK_EQ_INT(json_integer_value(json_array_get(p1, 6)), 3, "flags");
        json_t *obj = json_array_get(p0, 8);
        CHECK_EQ_STR(json_string_value(json_object_get(obj, "flight")), "DLH7YA  ",
                     "flight padded to 8");
        CHECK_EQ_STR(json_string_value(json_object_get(obj, "category")), "A3", "category");
        CHECK(json_is_null(json_array_get(p1, 8)), "null aircraft object");
        CHECK_EQ_STR(json_string_value(json_array_get(p0, 9)), "adsb_icao", "source type");
        json_decref(j);
    }
    struct abuf b9 = {0};
    trace_json(&b9, &h, pts, 2, 9);
    j = json_loadb(b9.p, b9.len, 0, &je);
    CHECK(j && json_array_size(json_array_get(json_object_get(j, "trace"), 0)) == 9,
          "layout 9: 9 fields");
    json_decref(j);
    abuf_free(&b9);

    // gzip round trip through zlib
    struct abuf gz = {0};
    CHECK(arch_gzip(b.p, b.len, 6, &gz) == 0 && gz.len > 18 && (unsigned char)gz.p[0] == 0x1f &&
              (unsigned char)gz.p[1] == 0x8b,
          "gzip member");
    char *back = malloc(b.len + 16);
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    inflateInit2(&zs, 31);
    zs.next_in = (Bytef *)gz.p;
    zs.avail_in = (uInt)gz.len;
    zs.next_out = (Bytef *)back;
    zs.avail_out = (uInt)(b.len + 16);
    int zr = inflate(&zs, Z_FINISH);
    CHECK(zr == Z_STREAM_END && zs.total_out == b.len && !memcmp(back, b.p, b.len),
          "zlib inflates the gzip back to the JSON");
    inflateEnd(&zs);
    free(back);

    // split tar: parts of exactly 1024 bytes except the last; cat = the whole tar
    char dir[] = "/tmp/orbat_test_archive_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    char whole[128], split[128], part[160], err[256];
    snprintf(whole, sizeof(whole), "%s/w.tar", dir);
    snprintf(split, sizeof(split), "%s/s.tar", dir);
    struct tar_out *tw = tar_out_open(whole, 0, err, sizeof(err));
    struct tar_out *ts = tar_out_open(split, 1024, err, sizeof(err));
    CHECK(tw && ts, "tar_out_open");
    int rc = 0;
    for (int k = 0; k < 2 && tw && ts; k++) {
        struct tar_out *t = k ? ts : tw;
        rc |= tar_out_dir(t, "traces/", 1700000000);
        rc |= tar_out_dir(t, "traces/b0/", 1700000000);
        rc |= tar_out_file(t, "traces/b0/trace_full_3c66b0.json", gz.p, gz.len, 1700000000);
        rc |= tar_out_file(t, "traces/b0/trace_full_3c77b0.json", b.p, b.len, 1700000000);
    }
    rc |= tar_out_close(tw);
    rc |= tar_out_close(ts);
    CHECK(rc == 0, "tar entries written");
    long wsz = file_size(whole);
    CHECK(wsz > 0 && wsz % 10240 == 0, "tar padded to 10240-byte blocks (%ld)", wsz);
    struct abuf cat = {0}, w = {0};
    int nparts = 0, bad = 0;
    for (int i = 0; i < 676; i++) {
        snprintf(part, sizeof(part), "%s.%c%c", split, 'a' + i / 26, 'a' + i % 26);
        long sz = file_size(part);
        if (sz < 0)
            break;
        nparts++;
        if (sz != 1024)
            bad++;
        slurp(part, &cat);
        unlink(part);
    }
    slurp(whole, &w);
    CHECK(nparts == (int)((wsz + 1023) / 1024) && bad == 0, "%d parts of 1024 bytes", nparts);
    CHECK(cat.len == w.len && !memcmp(cat.p, w.p, w.len), "cat parts == the unsplit tar");
    unlink(whole);
    rmdir(dir);
    abuf_free(&cat);
    abuf_free(&w);
    abuf_free(&gz);
    abuf_free(&b);
    return check_exit();
}
