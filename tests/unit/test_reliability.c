/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_reliability.c - issue 17's regressions below the command line:
 * times outside 1970..2200 refused without overflow (F1), formatting of any
 * int64_t, a store transaction rolled back after a refused write so that a
 * second connection can write (F2), readsb documents with impossible clocks
 * (F12), a truncated gzip stream (F10), and readers that open the store
 * read-only. Built with the rest under ASan+UBSan, where an overflow is an
 * abort.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "http/readsb.h"
#include "report/rtime.h"
#include "store/store.h"
#include "util/input.h"

static void test_rtime(void)
{
    int64_t ms = 42;
    static const char *const out_of_range[] = {"@99999999999999999999",
                                               "@-99999999999999999999",
                                               "@9223372036854775807",
                                               "@-9223372036854775",
                                               "@-1",
                                               "@7258118401",
                                               "1969-12-31T23:59:59Z",
                                               "2200-01-01T00:00:01Z",
                                               "9999-12-31",
                                               "0000-01-01"};
    for (size_t i = 0; i < sizeof out_of_range / sizeof out_of_range[0]; i++) {
        ms = 42;
        int rc = rtime_parse(out_of_range[i], &ms);
        CHECK(rc == -2 && ms == 42, "%s is out of range (rc %d, ms %lld)", out_of_range[i], rc,
              (long long)ms);
    }
    CHECK(rtime_parse("@0", &ms) == 0 && ms == 0, "@0 is the range's start");
    CHECK(rtime_parse("@7258118400", &ms) == 0 && ms == RTIME_MAX_MS, "@7258118400 its end");
    CHECK(rtime_parse("2200-01-01", &ms) == 0 && ms == RTIME_MAX_MS, "2200-01-01 its end");
    CHECK(rtime_parse("@", &ms) == -1 && rtime_parse("@ 5", &ms) == -1 &&
              rtime_parse("@5x", &ms) == -1,
          "malformed @ times are -1, not -2");
    CHECK(rtime_parse_duration("99999999999999999999d", &ms) != 0, "a huge duration is refused");
    CHECK(rtime_parse_duration("1e400", &ms) != 0, "an infinite duration is refused");
    CHECK(rtime_parse_duration("84006d", &ms) == 0 && ms == 84006LL * 86400000,
          "a duration of the whole range is accepted");
    CHECK(rtime_clamp(INT64_MIN) == 0 && rtime_clamp(INT64_MAX) == RTIME_MAX_MS &&
              rtime_clamp(5) == 5,
          "rtime_clamp");

    char buf[64];
    rtime_format(INT64_MIN, buf, sizeof buf);
    CHECK(buf[0] == '-', "INT64_MIN formats without overflow (%s)", buf);
    rtime_format(INT64_MAX, buf, sizeof buf);
    CHECK(strlen(buf) > 20, "INT64_MAX formats without overflow (%s)", buf);
    rtime_format(-9223372036854775000LL, buf, sizeof buf);
    CHECK(strchr(buf, 'T') != NULL, "-9223372036854775000 formats (%s)", buf);
    rtime_format_day(INT64_MIN, buf, sizeof buf);
    CHECK(buf[0] == '-', "INT64_MIN day formats (%s)", buf);
    rtime_format(-1, buf, sizeof buf);
    CHECK_EQ_STR(buf, "1969-12-31T23:59:59Z", "-1 ms is the second before the epoch");
    char small[8];
    rtime_format(0, small, sizeof small);
    CHECK(strlen(small) == 7, "a short buffer is truncated and terminated (%s)", small);
}

/* Convert DOC; returns the line count and puts the text in out. */
static int readsb(const char *doc, char *out, size_t size, struct readsb_stats *st)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    memset(st, 0, sizeof *st);
    int n = readsb_to_sbs(doc, strlen(doc), 1761000000000LL, f, st);
    fclose(f);
    snprintf(out, size, "%s", buf ? buf : "");
    free(buf);
    size_t k = strlen(out);
    if (k && out[k - 1] == '\n')
        out[k - 1] = 0; /* one line: printed inside a check */
    return n;
}

static void test_readsb(void)
{
    char out[1024];
    struct readsb_stats st;
    int n =
        readsb("{\"now\":1e19,\"aircraft\":[{\"hex\":\"ae1460\",\"lat\":18.43,\"lon\":-66.43}]}",
               out, sizeof out, &st);
    CHECK(n == -1 && st.bad_json == 1 && !out[0], "\"now\":1e19 is refused (%d, '%s')", n, out);
    n = readsb("{\"now\":1e21,\"aircraft\":[{\"hex\":\"ae1460\",\"lat\":18.43,\"lon\":-66.43}]}",
               out, sizeof out, &st);
    CHECK(n == -1 && !out[0], "\"now\":1e21 (the F12 crash input's clock) is refused");
    n = readsb("{\"now\":50,\"aircraft\":[{\"hex\":\"ae1460\",\"lat\":18.43,\"lon\":-66.43,"
               "\"seen_pos\":59.9}]}",
               out, sizeof out, &st);
    CHECK(n == -1 && !strstr(out, "-"), "a time before 1970 writes no SBS line ('%s')", out);
    n = readsb("{\"now\":1761000000.5,\"aircraft\":[{\"hex\":\"ae1460\",\"lat\":18.43,"
               "\"lon\":-66.43,\"seen_pos\":1.25}]}",
               out, sizeof out, &st);
    CHECK(n == 1 && strstr(out, ",2025/10/20,22:39:59.250,") != NULL,
          "a normal clock still converts ('%s')", out);
    n = readsb("{\"now\":1761000000000,\"ac\":[{\"hex\":\"ae1460\",\"lat\":1,\"lon\":2}]}", out,
               sizeof out, &st);
    CHECK(n == 1 && strstr(out, ",2025/10/20,22:40:00.000,") != NULL,
          "a v2 clock in ms still converts ('%s')", out);

    // The F12 crash input itself (copied into the crashers directory).
    const char *root = getenv("ROOT");
    char path[512];
    snprintf(path, sizeof path, "%s%stests/fuzz/crashers/readsb/now-1e21-stack-overflow",
             root ? root : "", root ? "/" : "");
    FILE *f = fopen(path, "rb");
    if (!f) {
        CHECK(0, "cannot open %s (run from the repository root)", path);
        return;
    }
    char doc[4096];
    size_t len = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[len] = 0;
    n = readsb(doc, out, sizeof out, &st);
    CHECK(n == -1 && !out[0], "the F12 crash input is refused, nothing written (%d)", n);
}

static void test_rollback(const char *dir)
{
    char path[300], err[300];
    snprintf(path, sizeof path, "%s/r.db", dir);
    struct store *a = store_open(path, err, sizeof err);
    struct store *b = store_open(path, err, sizeof err);
    if (!a || !b) {
        CHECK(0, "open %s: %s", path, err);
        store_close(a);
        store_close(b);
        return;
    }
    struct store_sighting sg = {.confidence = 0.5, .lat = 1, .lon = 2, .t_ms = 0};
    snprintf(sg.name, sizeof sg.name, "USS Example");
    snprintf(sg.source_url, sizeof sg.source_url, "https://example.org");
    CHECK(store_begin(a) == ORBAT_OK, "begin");
    CHECK(store_sighting_put(a, &sg) == ORBAT_E_INVAL, "a sighting at time 0 is refused");
    CHECK(store_rollback(a) == ORBAT_OK, "rollback");
    CHECK(store_rollback(a) == ORBAT_OK, "a second rollback is a no-op");
    // Another connection can write now (it would wait 5 s, then fail with
    // "database is locked", if the transaction were still open).
    sg.t_ms = 1761000000000LL;
    int rc = store_begin(b);
    if (rc == ORBAT_OK)
        rc = store_sighting_put(b, &sg);
    if (rc == ORBAT_OK)
        rc = store_commit(b);
    CHECK(rc == ORBAT_OK, "another connection writes after the rollback (%d: %s)", rc,
          store_errmsg(b));
    // And the first connection still writes.
    sg.t_ms += 1000;
    rc = store_begin(a);
    if (rc == ORBAT_OK)
        rc = store_sighting_put(a, &sg);
    if (rc == ORBAT_OK)
        rc = store_commit(a);
    CHECK(rc == ORBAT_OK, "the first connection writes again (%d: %s)", rc, store_errmsg(a));
    store_close(a);
    store_close(b);

    // A reader opens read-only: writes fail, reads work.
    struct store *r = store_open_reader(path, err, sizeof err);
    CHECK(r != NULL, "store_open_reader (%s)", r ? "" : err);
    if (r) {
        int64_t first = 0, last = 0;
        CHECK(store_time_range(r, &first, &last) == ORBAT_OK && last == sg.t_ms,
              "the reader reads");
        rc = store_begin(r);
        if (rc == ORBAT_OK)
            rc = store_sighting_put(r, &sg);
        store_rollback(r);
        CHECK(rc != ORBAT_OK, "the reader cannot write");
        store_close(r);
    }
    snprintf(path, sizeof path, "%s/none.db", dir);
    r = store_open_reader(path, err, sizeof err);
    CHECK(r == NULL && access(path, F_OK) != 0, "store_open_reader creates nothing");
    store_close(r);
}

static void test_gzip_truncated(const char *dir)
{
    char text[20000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + (i * 7919) % 26);
    unsigned char gz[30000];
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (unsigned char *)text;
    z.avail_in = sizeof text;
    z.next_out = gz;
    z.avail_out = sizeof gz;
    deflate(&z, Z_FINISH);
    size_t gzlen = sizeof gz - z.avail_out;
    deflateEnd(&z);

    for (int cut = 0; cut < 2; cut++) {
        char path[300];
        snprintf(path, sizeof path, "%s/t%d.gz", dir, cut);
        FILE *f = fopen(path, "wb");
        fwrite(gz, 1, cut ? gzlen - 5 : gzlen, f); /* cut: the trailer is short */
        fclose(f);
        struct input *in = input_open(path);
        char buf[4096];
        ssize_t n, total = 0;
        while ((n = input_read(in, buf, sizeof buf)) > 0)
            total += n;
        if (cut)
            CHECK(n < 0, "a truncated gzip ends in a read error (n %zd, %zd bytes)", n, total);
        else
            CHECK(n == 0 && total == (ssize_t)sizeof text, "the whole gzip reads (%zd bytes)",
                  total);
        input_close(in);
    }
}

int main(void)
{
    test_rtime();
    test_readsb();
    char dir[] = "/tmp/orbat_test_rel_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return check_exit();
    }
    test_rollback(dir);
    test_gzip_truncated(dir);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_exit();
}
