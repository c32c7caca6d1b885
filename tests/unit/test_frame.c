/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_frame.c - Mode S feed framing: every Beast vector of
 * ../shared/testdata/adsb/beast_frames.jsonl (single-frame and streaming,
 * split at every byte), the real Beast capture streamed in odd chunk
 * sizes, AVR variants and SBS records taken from the ulss7 captures.
 */
#include "orbat/modes_frame.h"
#include "orbat/orbat.h"

#include <jansson.h>
#include <stdlib.h>

#include "check.h"

static const char *shared_dir(void)
{
    const char *s = getenv("SHARED");
    return s && *s ? s : "../shared";
}

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = strlen(h) / 2;
    if (n > cap)
        n = cap;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void tohex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = 0;
}

/* Stream the bytes through orbat_beast_next in two chunks split at `cut`;
 * returns the number of frames, the last one in *last. */
static int stream_frames(const uint8_t *p, size_t n, size_t cut, struct orbat_beast *b,
                         struct orbat_modes_frame *last)
{
    int frames = 0;
    orbat_beast_init(b);
    size_t parts[2][2] = {{0, cut}, {cut, n}};
    for (int k = 0; k < 2; k++) {
        size_t off = parts[k][0], end = parts[k][1];
        while (off < end) {
            size_t used = 0;
            struct orbat_modes_frame f;
            int rc = orbat_beast_next(b, p + off, end - off, &used, &f);
            off += used;
            if (rc == ORBAT_OK) {
                frames++;
                *last = f;
            }
        }
    }
    orbat_beast_finish(b);
    return frames;
}

static void test_vectors(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/testdata/adsb/beast_frames.jsonl", shared_dir());
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL, "open %s", path);
    if (!fp)
        return;
    char line[4096];
    int nvec = 0;
    while (fgets(line, sizeof line, fp)) {
        json_error_t jerr;
        json_t *v = json_loads(line, 0, &jerr);
        if (!v)
            continue;
        nvec++;
        const char *kind = json_string_value(json_object_get(v, "kind"));
        const char *bytes = json_string_value(json_object_get(v, "bytes"));
        json_t *ex = json_object_get(v, "expect");
        uint8_t buf[256];
        size_t n = unhex(bytes, buf, sizeof buf);
        struct orbat_modes_frame f;
        int rc = orbat_beast_parse_one(buf, n, &f);
        if (!strcmp(kind, "beast_frame")) {
            CHECK_EQ_INT(rc, ORBAT_OK, "beast vector parses");
            const char *type = json_string_value(json_object_get(ex, "type"));
            CHECK_EQ_INT(f.kind, type[0], "beast vector type");
            char hx[64];
            tohex(f.data, f.len, hx);
            CHECK_EQ_STR(hx, json_string_value(json_object_get(ex, "msg")), "beast vector msg");
            json_t *sig = json_object_get(ex, "signal");
            if (sig)
                CHECK_EQ_INT(f.signal, json_integer_value(sig), "beast vector signal");
            json_t *ticks = json_object_get(ex, "mlat_ticks_hex");
            if (ticks) {
                unsigned long long t = strtoull(json_string_value(ticks), NULL, 16);
                CHECK_EQ_INT(f.ts_12mhz, t, "beast vector mlat ticks");
                json_int_t ns = json_integer_value(json_object_get(ex, "mlat_ns"));
                // The source rounds the 12 MHz count to whole microseconds.
                CHECK_EQ_INT((f.ts_12mhz + 6) / 12 * 1000, ns, "beast vector mlat ns (us)");
            }
            json_t *unesc = json_object_get(ex, "unescaped");
            if (unesc) {
                // Re-escape our decoded frame and compare with the input.
                uint8_t raw[32];
                size_t k = 0;
                raw[k++] = 0x1a;
                raw[k++] = f.kind;
                for (int i = 5; i >= 0; i--)
                    raw[k++] = (uint8_t)(f.ts_12mhz >> (8 * i));
                raw[k++] = f.signal;
                memcpy(raw + k, f.data, f.len);
                k += f.len;
                char uh[80];
                tohex(raw, k, uh);
                CHECK_EQ_STR(uh, json_string_value(unesc), "beast vector unescaped");
            }
            // Streaming: every split point gives the same single frame.
            int bad = 0;
            for (size_t cut = 0; cut <= n; cut++) {
                struct orbat_beast b;
                struct orbat_modes_frame g;
                int k = stream_frames(buf, n, cut, &b, &g);
                if (k != 1 || memcmp(g.data, f.data, f.len) || g.ts_12mhz != f.ts_12mhz ||
                    g.signal != f.signal || b.garbage_bytes || b.truncated || b.resync)
                    bad++;
            }
            CHECK_EQ_INT(bad, 0, "beast vector streamed split at every byte");
        } else {
            const char *err = json_string_value(json_object_get(ex, "error"));
            int want;
            if (!strncmp(err, "invalid data format", 19))
                want = ORBAT_E_FRAME;
            else if (!strncmp(err, "bad escape", 10))
                want = ORBAT_E_TOOLONG; // 9 body bytes, then 4 extra and a lone 0x1a
            else if (!strcmp(err, "truncated"))
                want = ORBAT_E_TRUNCATED;
            else {
                int exp = 0, got = 0;
                sscanf(err, "expected %d bytes, received %d", &exp, &got);
                want = got < exp ? ORBAT_E_TRUNCATED : ORBAT_E_TOOLONG;
            }
            CHECK(rc == want, "beast error vector '%s' (%d == %d)", err, rc, want);
            // Streaming: no error vector may yield a frame that ends at the
            // buffer end, and every one must be counted somewhere.
            struct orbat_beast b;
            struct orbat_modes_frame g;
            int k = stream_frames(buf, n, n / 2, &b, &g);
            uint64_t counted = b.garbage_bytes + b.truncated + b.bad_type + b.resync;
            CHECK(counted > 0, "beast error vector '%s' counted in stream (frames %d)", err, k);
        }
        json_decref(v);
    }
    fclose(fp);
    CHECK(nvec >= 9, "read %d beast vectors", nvec);
}

static void test_stream_specifics(void)
{
    // Unescaped 0x1a inside a frame: the partial frame is abandoned and a
    // new one begins at that byte.
    static const uint8_t s[] = {0x1a, '2', 1,    2,    0x1a, '2',  0,    0,    0,    0,
                                0,    1,   0x80, 0x5d, 0xa9, 0x9a, 0xda, 0xd9, 0x5f, 0xf6};
    struct orbat_beast b;
    struct orbat_modes_frame f;
    int k = stream_frames(s, sizeof s, 3, &b, &f);
    CHECK_EQ_INT(k, 1, "resync: one frame");
    CHECK_EQ_INT(b.resync, 1, "resync counted");
    CHECK_EQ_INT(f.ts_12mhz, 1, "resync: frame timestamp");
    CHECK_EQ_INT(f.signal, 0x80, "resync: frame signal");
    // readsb receiver id prefix, with an escaped 0x1a inside the id.
    static const uint8_t r[] = {0x1a, 0xe3, 1, 2, 3, 0x1a, 0x1a, 5, 6,    7,    8,
                                0x1a, '1',  0, 0, 0, 0,    0,    9, 0xff, 0x12, 0x34};
    k = stream_frames(r, sizeof r, 7, &b, &f);
    CHECK_EQ_INT(k, 1, "receiver id: one frame");
    CHECK(f.has_receiver_id && f.receiver_id == 0x0102031a05060708ULL,
          "receiver id attached (%016llx)", (unsigned long long)f.receiver_id);
    CHECK(f.kind == ORBAT_FRAME_MODEAC && f.len == 2 && f.data[0] == 0x12 && f.data[1] == 0x34,
          "mode A/C frame after receiver id");
    // Radarcape position ('5') is framed, not decoded.
    uint8_t rp[2 + 21] = {0x1a, '5'};
    k = stream_frames(rp, sizeof rp, 0, &b, &f);
    CHECK(k == 1 && f.kind == ORBAT_FRAME_RADARCAPE_POS && f.len == 14, "radarcape '5' framed");
    // Unknown type byte.
    static const uint8_t u[] = {0x1a, '9', 0x1a, 0x1a, 0x1a};
    k = stream_frames(u, sizeof u, 2, &b, &f);
    CHECK(k == 0 && b.bad_type == 1 && b.truncated == 1, "unknown type + escaped byte + lone 1a");
}

static void test_capture(void)
{
    char path[1024];
    snprintf(path, sizeof path,
             "%s/testdata/adsb/captures/beastblackbox_ulss7/"
             "ulss7-beast-bin-utc--1522782148.136310917--.log",
             shared_dir());
    FILE *fp = fopen(path, "rb");
    CHECK(fp != NULL, "open beast capture");
    if (!fp)
        return;
    static uint8_t data[1 << 20];
    size_t n = fread(data, 1, sizeof data, fp);
    fclose(fp);
    // SOURCES.md: 13,954 frames: 5,026 Mode A/C, 4,942 short, 3,986 long.
    static const size_t chunks[] = {1, 7, 23, 4096, sizeof data};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        struct orbat_beast b;
        orbat_beast_init(&b);
        unsigned cnt[3] = {0, 0, 0};
        for (size_t off = 0; off < n;) {
            size_t end = off + chunks[c] < n ? off + chunks[c] : n;
            while (off < end) {
                size_t used;
                struct orbat_modes_frame f;
                if (orbat_beast_next(&b, data + off, end - off, &used, &f) == ORBAT_OK &&
                    f.kind >= '1' && f.kind <= '3')
                    cnt[f.kind - '1']++;
                off += used;
            }
        }
        CHECK(orbat_beast_finish(&b) == ORBAT_OK, "capture ends on a frame boundary");
        CHECK(cnt[0] == 5026 && cnt[1] == 4942 && cnt[2] == 3986 && b.garbage_bytes == 0,
              "capture chunk %zu: %u/%u/%u frames, %llu garbage", chunks[c], cnt[0], cnt[1], cnt[2],
              (unsigned long long)b.garbage_bytes);
    }
}

static void test_avr(void)
{
    struct orbat_modes_frame f;
    int rc = orbat_avr_parse("*8F400159E1181500000000D94095;", 30, &f);
    CHECK(rc == ORBAT_OK && f.kind == ORBAT_FRAME_LONG && f.len == 14 && f.data[0] == 0x8f &&
              f.data[13] == 0x95 && !f.has_ts && !f.has_signal,
          "avr long");
    rc = orbat_avr_parse("*5f4001594b0fbb;\r", 17, &f);
    CHECK(rc == ORBAT_OK && f.kind == ORBAT_FRAME_SHORT && f.data[6] == 0xbb, "avr short + CR");
    const char *m = "@030BF18CC2AB5F4001594B0FBB;";
    rc = orbat_avr_parse(m, strlen(m), &f);
    CHECK(rc == ORBAT_OK && f.has_ts && f.ts_12mhz == 0x030BF18CC2ABULL && f.data[0] == 0x5f,
          "avr mlat timestamp");
    m = "<030BF18CC2ABC45F4001594B0FBB;";
    rc = orbat_avr_parse(m, strlen(m), &f);
    CHECK(rc == ORBAT_OK && f.has_signal && f.signal == 0xc4 && f.ts_12mhz == 0x030BF18CC2ABULL,
          "avr '<' timestamp + signal");
    m = "%030BF18CC2AB5F4001594B0FBB;";
    CHECK_EQ_INT(orbat_avr_parse(m, strlen(m), &f), ORBAT_OK, "avr '%%'");
    CHECK(orbat_avr_parse("*0000;", 6, &f) == ORBAT_OK && f.kind == ORBAT_FRAME_MODEAC,
          "avr mode A/C heartbeat");
    CHECK_EQ_INT(orbat_avr_parse(":5f4001594b0fbb;", 16, &f), ORBAT_OK, "avr ':'");
    CHECK_EQ_INT(orbat_avr_parse("*5f4001594b0fbb", 15, &f), ORBAT_E_SYNTAX, "avr no ';'");
    CHECK_EQ_INT(orbat_avr_parse("#5f4001594b0fbb;", 16, &f), ORBAT_E_SYNTAX, "avr bad prefix");
    CHECK_EQ_INT(orbat_avr_parse("*5f4001594b0fb;", 15, &f), ORBAT_E_BITCOUNT, "avr 13 digits");
    CHECK_EQ_INT(orbat_avr_parse("*5f4001594b0fbg;", 16, &f), ORBAT_E_FRAME, "avr non-hex");
    CHECK_EQ_INT(orbat_avr_parse("@030BF18CC2AB;", 14, &f), ORBAT_E_BITCOUNT, "avr ts only");
    CHECK_EQ_INT(orbat_avr_parse(";", 1, &f), ORBAT_E_SYNTAX, "avr lone ';'");
    CHECK_EQ_INT(orbat_avr_parse("", 0, &f), ORBAT_E_SYNTAX, "avr empty");
}

static void test_sbs(void)
{
    struct orbat_sbs s;
    const char *l = "MSG,3,1,1,71BE34,1,2018/04/03,19:02:28.951,2018/04/10,21:24:39.448,,35000,,,"
                    "59.73459,31.99796,,,,,,0";
    int rc = orbat_sbs_parse(l, strlen(l), &s);
    CHECK_EQ_INT(rc, ORBAT_OK, "sbs MSG,3 parses");
    CHECK(s.type == ORBAT_SBS_MSG && s.tt == 3 && s.icao == 0x71be34, "sbs type/tt/icao");
    CHECK((s.has & ORBAT_SBS_ALT) && s.alt_ft == 35000, "sbs altitude");
    CHECK_NEAR(s.lat, 59.73459, 1e-9, "sbs lat");
    CHECK_NEAR(s.lon, 31.99796, 1e-9, "sbs lon");
    CHECK((s.has & ORBAT_SBS_GROUND) && !s.ground, "sbs ground flag 0");
    CHECK_EQ_INT(s.t_gen_ms, 1522782148951LL, "sbs generated time (unix ms)");
    CHECK(!(s.has & (ORBAT_SBS_GS | ORBAT_SBS_VR | ORBAT_SBS_SQUAWK)), "sbs absent fields");
    l = "MSG,1,1,1,424263,1,2026/11/24,19:51:29.637,2026/11/24,19:51:29.637,UTA470  ,,,,,,,,,,,0";
    rc = orbat_sbs_parse(l, strlen(l), &s);
    CHECK(rc == ORBAT_OK && !strcmp(s.callsign, "UTA470"), "sbs callsign trimmed");
    l = "MSG,4,1,1,4CAAAE,1,2026/11/24,19:51:29.637,2026/11/24,19:51:29.637,,,310,266,,,-1856,,,,,"
        "0\r";
    rc = orbat_sbs_parse(l, strlen(l), &s);
    CHECK(rc == ORBAT_OK && s.gs_kt == 310 && s.track_deg == 266 && s.vr_fpm == -1856,
          "sbs velocity, CR stripped");
    l = "MSG,6,1,1,400159,1,2026/11/24,19:51:29.637,2026/11/24,19:51:29.637,,,,,,,,1017,0,0,0,";
    rc = orbat_sbs_parse(l, strlen(l), &s);
    CHECK(rc == ORBAT_OK && s.squawk == 1017 && (s.has & ORBAT_SBS_EMERGENCY) && !s.emergency,
          "sbs squawk and flags");
    l = "MSG,6,1,1,400159,1,2026/11/24,19:51:29.637,,,,,,,,,,7700,-1,-1,0,-1";
    rc = orbat_sbs_parse(l, strlen(l), &s);
    CHECK(rc == ORBAT_OK && s.alert && s.emergency && !s.spi && s.ground &&
              !(s.has & ORBAT_SBS_TIME_LOG),
          "sbs -1 flags");
    l = "MSG,3,1,1,~71BE34,1,,,,,,35000,,,95.0,31.0,,,,,,0";
    CHECK_EQ_INT(orbat_sbs_parse(l, strlen(l), &s), ORBAT_E_RANGE, "sbs lat out of range");
    l = "MSG,9,1,1,71BE34,1,,,,,,35000";
    CHECK_EQ_INT(orbat_sbs_parse(l, strlen(l), &s), ORBAT_E_SYNTAX, "sbs bad transmission type");
    l = "MSG,3,1,1,71XE34,1,,,,,,35000";
    CHECK_EQ_INT(orbat_sbs_parse(l, strlen(l), &s), ORBAT_E_SYNTAX, "sbs bad hex ident");
    l = "MSG,5,1,1,71BE34,1,,,,,,3x000";
    CHECK_EQ_INT(orbat_sbs_parse(l, strlen(l), &s), ORBAT_E_SYNTAX, "sbs bad altitude");
    l = "MSG,6,1,1,71BE34,1,,,,,,,,,,,,7800";
    CHECK_EQ_INT(orbat_sbs_parse(l, strlen(l), &s), ORBAT_E_SYNTAX, "sbs non-octal squawk");
    l = "STA,,1,1,71BE34,1,2026/11/24,19:51:29.637,2026/11/24,19:51:29.637,RM";
    CHECK(orbat_sbs_parse(l, strlen(l), &s) == ORBAT_OK && s.type == ORBAT_SBS_STA,
          "sbs STA record");
    l = "Total processed 13954 messages";
    CHECK_EQ_INT(orbat_sbs_parse(l, strlen(l), &s), ORBAT_E_SYNTAX, "sbs junk line");
    char big[600];
    memset(big, ',', sizeof big);
    memcpy(big, "MSG", 3);
    CHECK_EQ_INT(orbat_sbs_parse(big, sizeof big, &s), ORBAT_E_TOOLONG, "sbs overlong line");
}

int main(void)
{
    test_vectors();
    test_stream_specifics();
    test_capture();
    test_avr();
    test_sbs();
    return check_exit();
}
