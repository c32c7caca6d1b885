/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_ais.c - the AIS decoder library: bit reader, 6-bit armour and text,
 * message decoding (values checked against gpsd's annotated sample.aivdm),
 * multi-sentence reassembly (interleaving, loss, duplicates, expiry,
 * bounded memory) and one case for every rejection reason.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "decode/common/bits.h"
#include "decode/common/nmea.h"
#include "orbat/ais.h"
#include "orbat/orbat.h"

static struct orbat_ais_reasm R;
static struct orbat_ais_msg M;

static int feed(const char *line)
{
    return orbat_ais_feed_line(&R, line, strlen(line), &M);
}

/* "!" + body + "*hh" */
static const char *mk(char *buf, size_t sz, const char *body)
{
    snprintf(buf, sz, "!%s*%02X", body, nmea_xor(body, strlen(body)));
    return buf;
}

static void test_bits(void)
{
    const uint8_t d[] = {0xA5, 0x0F, 0xF0, 0x81};
    CHECK_EQ_INT(bits_u(d, 0, 1), 1, "first bit is MSB of byte 0");
    CHECK_EQ_INT(bits_u(d, 0, 8), 0xA5, "byte 0");
    CHECK_EQ_INT(bits_u(d, 4, 8), 0x50, "straddling bytes 0-1");
    CHECK_EQ_INT(bits_u(d, 12, 8), 0xFF, "straddling bytes 1-2");
    CHECK_EQ_INT(bits_u(d, 0, 32), 0xA50FF081u, "32 bits");
    CHECK_EQ_INT(bits_s(d, 0, 4), -6, "signed nibble 1010");
    CHECK_EQ_INT(bits_s(d, 4, 4), 5, "positive nibble 0101");
    CHECK_EQ_INT(bits_s(d, 24, 8), (int8_t)0x81, "signed byte");
    CHECK_EQ_INT(bits_get(d, 1, 8), 0xA5, "1-based form");
}

static void test_armor(void)
{
    uint8_t b[8] = {0};
    uint16_t n = 0;
    CHECK_EQ_INT(orbat_ais_dearmor("0", 1, b, sizeof b, &n), ORBAT_OK, "'0' is 0");
    CHECK_EQ_INT(n, 6, "6 bits per char");
    CHECK_EQ_INT(b[0], 0, "zero bits");
    memset(b, 0, sizeof b);
    n = 0;
    CHECK_EQ_INT(orbat_ais_dearmor("Ww`w", 4, b, sizeof b, &n), ORBAT_OK, "edges of alphabet");
    CHECK_EQ_INT(bits_u(b, 0, 6), 39, "'W' is 39");
    CHECK_EQ_INT(bits_u(b, 6, 6), 63, "'w' is 63");
    CHECK_EQ_INT(bits_u(b, 12, 6), 40, "'`' is 40");
    CHECK_EQ_INT(bits_u(b, 18, 6), 63, "'w' again");
    n = 0;
    CHECK_EQ_INT(orbat_ais_dearmor("X", 1, b, sizeof b, &n), ORBAT_E_ARMOR, "'X' invalid");
    CHECK_EQ_INT(orbat_ais_dearmor("x", 1, b, sizeof b, &n), ORBAT_E_ARMOR, "'x' invalid");
    CHECK_EQ_INT(orbat_ais_dearmor("/", 1, b, sizeof b, &n), ORBAT_E_ARMOR, "'/' invalid");
    n = 0;
    CHECK_EQ_INT(orbat_ais_dearmor("0000000000000", 11, b, sizeof b, &n), ORBAT_E_TOOLONG,
                 "66 bits do not fit 8 bytes");
    // Every legal character round-trips to its 6-bit value.
    int okc = 1;
    for (unsigned v = 0; v < 64; v++) {
        char c = (char)(v < 40 ? v + 48 : v + 56);
        uint8_t bb[2] = {0, 0};
        uint16_t nn = 0;
        if (orbat_ais_dearmor(&c, 1, bb, sizeof bb, &nn) || bits_u(bb, 0, 6) != v)
            okc = 0;
    }
    CHECK(okc, "all 64 armour characters decode to their value");
}

static void test_text(void)
{
    // "AB C  " then '@' padding: 6-bit 1,2,32,3,32,32,0
    uint8_t b[8] = {0};
    uint16_t n = 0;
    CHECK_EQ_INT(orbat_ais_dearmor("12P3PP0", 7, b, sizeof b, &n), ORBAT_OK, "armour text");
    char out[16];
    orbat_ais_text(b, n, 0, 7, out, sizeof out);
    CHECK_EQ_STR(out, "AB C", "stops at '@', trailing spaces trimmed");
    orbat_ais_text(b, n, 0, 2, out, sizeof out);
    CHECK_EQ_STR(out, "AB", "length limit");
    orbat_ais_text(b, n, 0, 7, out, 3);
    CHECK_EQ_STR(out, "AB", "output buffer cap");
    orbat_ais_text(b, 12, 0, 7, out, sizeof out);
    CHECK_EQ_STR(out, "AB", "stops at nbits");
}

static void test_decode(void)
{
    orbat_ais_reasm_init(&R);
    // sample.aivdm, first type 1: MMSI 371798000, -127 ROT, 12.3 kn ...
    CHECK_EQ_INT(feed("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"), ORBAT_OK, "type 1");
    CHECK_EQ_INT(M.type, 1, "type");
    CHECK_EQ_INT(M.mmsi, 371798000, "mmsi");
    CHECK_EQ_INT(M.nbits, 168, "168 bits");
    CHECK_EQ_INT(M.u.pos.turn, -127, "turn");
    CHECK_EQ_INT(M.u.pos.speed, 123, "speed 0.1 kn");
    CHECK_EQ_INT(M.u.pos.lon, -74037230, "lon 1/10000 min");
    CHECK_EQ_INT(M.u.pos.lat, 29028980, "lat");
    CHECK_EQ_INT(M.u.pos.course, 2240, "course");
    CHECK_EQ_INT(M.u.pos.heading, 215, "heading");
    CHECK_EQ_INT(M.u.pos.radio, 34017, "radio");
    CHECK_EQ_INT(M.channel, 'A', "channel");
    CHECK_EQ_INT(M.nraw, 1, "one raw sentence");
    CHECK(M.raw_len == 47 && !memcmp(M.raw, "!AIVDM,1,1,,A,15RT", 18), "raw kept");

    // type 5 in two sentences (sample.aivdm: EVER DIADEM)
    CHECK_EQ_INT(
        feed("!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C"),
        ORBAT_AGAIN, "type 5 fragment 1 stored");
    CHECK_EQ_INT(feed("!AIVDM,2,2,1,A,88888888880,2*25"), ORBAT_OK, "type 5 complete");
    CHECK_EQ_INT(M.type, 5, "type 5");
    CHECK_EQ_INT(M.nbits, 424, "424 bits");
    CHECK_EQ_STR(M.u.stat.shipname, "EVER DIADEM", "shipname");
    CHECK_EQ_STR(M.u.stat.callsign, "3FOF8", "callsign");
    CHECK_EQ_STR(M.u.stat.destination, "NEW YORK", "destination");
    CHECK_EQ_INT(M.u.stat.imo, 9134270, "imo");
    CHECK_EQ_INT(M.u.stat.to_bow + M.u.stat.to_stern, 295, "length");
    CHECK_EQ_INT(M.u.stat.draught, 122, "draught dm");
    CHECK_EQ_INT(M.nraw, 2, "two raw sentences");
    CHECK(memchr(M.raw, '\n', M.raw_len) != NULL, "raw sentences newline-joined");

    // type 18 class B and type 24 parts
    CHECK_EQ_INT(feed("!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C"), ORBAT_OK, "type 18");
    CHECK_EQ_INT(M.u.cb.speed, 1, "type 18 speed");
    CHECK(M.u.cb.cs && M.u.cb.dsc && M.u.cb.band && M.u.cb.msg22, "type 18 flags");
    CHECK_EQ_INT(feed("!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D"), ORBAT_OK, "type 24A");
    CHECK_EQ_INT(M.u.sb.part, 0, "part A");
    CHECK_EQ_STR(M.u.sb.shipname, "PROGUY", "24A shipname");
    CHECK_EQ_INT(feed("!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40"), ORBAT_OK, "type 24B");
    CHECK_EQ_INT(M.u.sb.part, 1, "part B");
    CHECK_EQ_STR(M.u.sb.callsign, "TC6163", "24B callsign");
    CHECK_EQ_STR(M.u.sb.vendorid, "1D00014", "24B vendor");
    CHECK_EQ_INT(M.u.sb.to_stern, 15, "24B dims");

    // N/A sentinels kept raw (sample.aivdm "Error and corner case" type 4)
    CHECK_EQ_INT(feed("!AIVDM,1,1,,A,402Fha0000Htt<tSF0l4Q@000d20,0*65"), ORBAT_OK, "N/A type 4");
    CHECK_EQ_INT(M.u.base.year, 0, "year N/A 0");
    CHECK_EQ_INT(M.u.base.hour, 24, "hour N/A 24");
    CHECK_EQ_INT(M.u.base.minute, 60, "minute N/A 60");
    CHECK_EQ_INT(M.u.base.lon, ORBAT_AIS_LON_NA, "lon N/A sentinel");
    CHECK_EQ_INT(M.u.base.lat, ORBAT_AIS_LAT_NA, "lat N/A sentinel");

    // type 27 (96 bits)
    CHECK_EQ_INT(feed("!AIVDM,1,1,,B,KC5E2b@U19PFdLbMuc5=ROv62<7m,0*16"), ORBAT_OK, "type 27");
    CHECK_EQ_INT(M.type, 27, "type 27");
}

static void test_reasm(void)
{
    char a1[200], a2[200], b1[200], b2[200], s1[200];
    orbat_ais_reasm_init(&R);
    mk(a1, sizeof a1,
       "BSVDM,2,1,3,A,53nPnh800000ha@J2218UH60U@4hT6000000000t2PD33t?P008000000000,0");
    mk(a2, sizeof a2, "BSVDM,2,2,3,A,00000000000,2");
    mk(b1, sizeof b1,
       "BSVDM,2,1,0,A,53n<qJ01md94hP@v221<DUH44N222222222222164HE641Rk0?1RDj1PDSDp,0");
    mk(b2, sizeof b2, "BSVDM,2,2,0,A,88888888880,2");
    mk(s1, sizeof s1, "AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0");

    // interleaved on one channel, different sequence ids
    CHECK_EQ_INT(feed(a1), ORBAT_AGAIN, "A1");
    CHECK_EQ_INT(feed(b1), ORBAT_AGAIN, "B1");
    CHECK_EQ_INT(feed(s1), ORBAT_OK, "single sentence in between");
    CHECK_EQ_INT(feed(a2), ORBAT_OK, "A complete");
    CHECK_EQ_INT(M.mmsi, 258488000, "A mmsi");
    CHECK_EQ_INT(feed(b2), ORBAT_OK, "B complete");
    CHECK_EQ_INT(M.mmsi, 258161000, "B mmsi");

    // orphan, duplicate, loss
    CHECK_EQ_INT(feed(a2), ORBAT_E_ORPHAN, "fragment 2 without 1 is an orphan");
    CHECK_EQ_INT(feed(a1), ORBAT_AGAIN, "A1 again");
    CHECK_EQ_INT(feed(a1), ORBAT_AGAIN, "A1 repeated restarts the group");
    CHECK_EQ_INT(R.abandoned, 1, "restart counted as abandoned");
    CHECK_EQ_INT(feed(a2), ORBAT_OK, "completes after restart");
    char t1[200], t2[200], t3[200];
    mk(t1, sizeof t1,
       "AIVDM,3,1,5,B,55NBjP01mtGIL@CW;SM<D60P5Ld000000000000P0`<3557l0<50@kk@K5h@00,0");
    mk(t2, sizeof t2, "AIVDM,3,2,5,B,000000000000000,0");
    mk(t3, sizeof t3, "AIVDM,3,3,5,B,0000,2");
    CHECK_EQ_INT(feed(t1), ORBAT_AGAIN, "3-part 1");
    CHECK_EQ_INT(feed(t2), ORBAT_AGAIN, "3-part 2");
    CHECK_EQ_INT(feed(t2), ORBAT_E_FRAGMENT, "duplicate fragment 2");
    CHECK_EQ_INT(feed(t3), ORBAT_OK, "duplicate ignored, group completes");
    CHECK_EQ_INT(feed(t1), ORBAT_AGAIN, "3-part 1 again");
    CHECK_EQ_INT(feed(t3), ORBAT_E_FRAGMENT, "fragment 2 lost: gap");
    CHECK_EQ_INT(feed(t2), ORBAT_E_ORPHAN, "group dropped after the gap");

    // expiry by age
    orbat_ais_reasm_init(&R);
    CHECK_EQ_INT(feed(a1), ORBAT_AGAIN, "A1 before a long gap");
    for (int k = 0; k < ORBAT_AIS_MAX_AGE + 1; k++)
        (void)feed(s1);
    CHECK_EQ_INT(feed(a2), ORBAT_E_ORPHAN, "stale group expired");
    CHECK_EQ_INT(R.expired, 1, "expiry counted");

    // expiry by time: tag-block times more than a minute apart
    orbat_ais_reasm_init(&R);
    char tb1[300], tb2[300], tb3[300];
    const char *tag1 = "c:1000000000", *tag2 = "c:1000000100", *tag3 = "c:1000000010";
    snprintf(tb1, sizeof tb1, "\\%s*%02X\\%s", tag1, nmea_xor(tag1, strlen(tag1)), a1);
    snprintf(tb2, sizeof tb2, "\\%s*%02X\\%s", tag2, nmea_xor(tag2, strlen(tag2)), a2);
    snprintf(tb3, sizeof tb3, "\\%s*%02X\\%s", tag3, nmea_xor(tag3, strlen(tag3)), a2);
    CHECK_EQ_INT(feed(tb1), ORBAT_AGAIN, "tagged A1 at t");
    CHECK_EQ_INT(feed(tb3), ORBAT_OK, "A2 10 s later completes");
    CHECK_EQ_INT(M.tag.time_ms, 1000000000000LL, "message time from fragment 1");
    CHECK_EQ_INT(feed(tb1), ORBAT_AGAIN, "tagged A1 again");
    CHECK_EQ_INT(feed(tb2), ORBAT_E_ORPHAN, "A2 100 s later: group timed out");
    CHECK_EQ_INT(R.expired, 1, "time expiry counted");

    // bounded memory: more groups than slots evicts the oldest
    orbat_ais_reasm_init(&R);
    char line[200];
    for (int k = 0; k < ORBAT_AIS_SLOTS + 4; k++) {
        char body[160];
        snprintf(body, sizeof body, "AIVDM,%d,1,%d,%c,53nPnh800000ha@J2218UH60U@4hT60000,0",
                 2 + k % 7, k % 10, k & 1 ? 'A' : 'B');
        (void)feed(mk(line, sizeof line, body));
    }
    unsigned used = 0;
    for (unsigned k = 0; k < ORBAT_AIS_SLOTS; k++)
        used += R.slot[k].used;
    CHECK_EQ_INT(used, ORBAT_AIS_SLOTS, "slots full, never more");
    CHECK_EQ_INT(R.expired, 4, "4 oldest groups evicted");
    CHECK(sizeof(struct orbat_ais_reasm) < 64 * 1024, "reassembler is a fixed %zu bytes",
          sizeof(struct orbat_ais_reasm));
}

static void test_rejects(void)
{
    char b[300];
    orbat_ais_reasm_init(&R);
    CHECK_EQ_INT(feed("!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*00"), ORBAT_E_CHECKSUM,
                 "checksum");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,1,1,,Z,15M67FC000G?ufbE`FepT@3n00Sa,0")),
                 ORBAT_E_SYNTAX, "syntax (channel)");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,1,1,,A,15M67FC000G?ufbE,0")), ORBAT_E_BITCOUNT,
                 "bitcount (truncated type 1)");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,7")),
                 ORBAT_E_PADDING, "padding");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,1,1,,A,,5")), ORBAT_E_PADDING,
                 "padding larger than payload");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sx,0")),
                 ORBAT_E_ARMOR, "armor");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,2,2,1,A,00,0")), ORBAT_E_ORPHAN, "orphan");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,1,3,,A,00,0")), ORBAT_E_FRAGMENT, "fragment");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,1,1,,A,L5M67FC000G?ufbE`FepT@3n00Sa,0")),
                 ORBAT_E_RANGE, "range (type 28)");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,1,1,,A,05M67FC000G?ufbE`FepT@3n00Sa,0")),
                 ORBAT_E_RANGE, "range (type 0)");
    CHECK_EQ_INT(feed("\\c:1*00!AIVDM,1,1,,A,1,0*00"), ORBAT_E_TAGBLOCK, "tagblock");
    CHECK_EQ_INT(feed("# comment !AIVDM"), ORBAT_E_UNSUPPORTED, "non-AIS line");
    CHECK_EQ_INT(feed(mk(b, sizeof b, "AIVDM,1,1,,A,,0")), ORBAT_E_BITCOUNT,
                 "empty payload (pyais sample)");
    // a 9-fragment group that would exceed the 2048-bit buffer
    orbat_ais_reasm_init(&R);
    char body[200], pay[90];
    memset(pay, '0', 80);
    pay[80] = '\0';
    int rc = 0;
    for (int k = 1; k <= 5; k++) {
        snprintf(body, sizeof body, "AIVDM,9,%d,1,A,%s,0", k, pay);
        rc = feed(mk(b, sizeof b, body));
    }
    CHECK_EQ_INT(rc, ORBAT_E_TOOLONG, "toolong (payload past 2048 bits)");
    orbat_ais_reasm_init(&R);
    (void)feed("\\s:x,c:1*00\\!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C");
    CHECK_EQ_INT(R.tag_errors, 1, "bad tag block counted");
}

/* Boundaries (issue 20): every length bound on both sides, de-armouring at
 * every bit offset, reassembly expiry at exactly its limits. */
static void test_boundaries(void)
{
    // De-armouring at every bit offset (a non-final fragment with fill bits
    // leaves *nbits unaligned): each value lands whole, nothing else is set.
    int bad = 0;
    for (unsigned start = 0; start < 16; start++)
        for (unsigned v = 0; v < 64; v++) {
            char c = (char)(v < 40 ? v + 48 : v + 56);
            uint8_t bb[4] = {0, 0, 0, 0};
            uint16_t nn = (uint16_t)start;
            if (orbat_ais_dearmor(&c, 1, bb, sizeof bb, &nn) != ORBAT_OK || nn != start + 6 ||
                bits_u(bb, start, 6) != v || bits_u(bb, 0, 32) != (uint32_t)v << (26 - start))
                bad++;
        }
    CHECK_EQ_INT(bad, 0, "one character at bit offsets 0..15: value in place, no stray bits");
    // Two fragments, the first with 3 fill bits: fragment 2 starts at bit 3 mod 8.
    uint8_t b[8] = {0};
    uint16_t n = 0;
    CHECK_EQ_INT(orbat_ais_dearmor("w", 1, b, sizeof b, &n), ORBAT_OK, "fragment 1");
    n = 3;
    b[0] &= 0xE0;
    CHECK_EQ_INT(orbat_ais_dearmor("ww", 2, b, sizeof b, &n), ORBAT_OK, "fragment 2 at bit 3");
    CHECK_EQ_INT(n, 15, "3 + 12 bits");
    CHECK_EQ_INT(bits_u(b, 0, 16), 0xFFFE, "15 one bits, then a zero");

    // Message lengths: the lower and upper bound of every type, one bit either side.
    static const struct {
        unsigned type, lo, hi, part;
    } len[] = {{1, 163, 0, 0},    {2, 163, 0, 0},    {3, 163, 0, 0},   {4, 168, 0, 0},
               {5, 420, 0, 0},    {6, 88, 1008, 0},  {7, 72, 168, 0},  {8, 56, 1008, 0},
               {9, 168, 0, 0},    {10, 72, 0, 0},    {11, 168, 0, 0},  {12, 72, 1008, 0},
               {13, 72, 168, 0},  {14, 40, 1008, 0}, {15, 88, 168, 0}, {16, 96, 168, 0},
               {17, 80, 816, 0},  {18, 168, 0, 0},   {19, 312, 0, 0},  {20, 72, 186, 0},
               {21, 272, 368, 0}, {22, 168, 0, 0},   {23, 160, 0, 0},  {24, 160, 168, 0},
               {24, 168, 0, 1},   {25, 40, 168, 0},  {26, 60, 1004, 0}};
    for (size_t i = 0; i < sizeof len / sizeof len[0]; i++) {
        unsigned lo = len[i].lo, hi = len[i].hi ? len[i].hi : 2040;
        unsigned probe[4] = {lo - 1, lo, hi, hi + 1};
        int want[4] = {ORBAT_E_BITCOUNT, ORBAT_OK, ORBAT_OK,
                       len[i].hi ? ORBAT_E_BITCOUNT : ORBAT_OK};
        for (int k = 0; k < 4; k++) {
            if (probe[k] > 8 * ORBAT_AIS_MAX_BYTES)
                continue;
            memset(&M, 0, sizeof M);
            M.bits[0] = (uint8_t)(len[i].type << 2);
            M.bits[4] = (uint8_t)len[i].part; // bits 38-39: type 24 part
            M.nbits = (uint16_t)probe[k];
            int rc = orbat_ais_decode(&M);
            CHECK(rc == want[k], "type %u%s, %u bits: %d (want %d)", len[i].type,
                  len[i].type == 24 ? (len[i].part ? " part B" : " part A") : "", probe[k], rc,
                  want[k]);
        }
    }
    static const unsigned t27[] = {95, 96, 97, 167, 168, 169};
    for (size_t k = 0; k < sizeof t27 / sizeof t27[0]; k++) {
        memset(&M, 0, sizeof M);
        M.bits[0] = 27 << 2;
        M.nbits = (uint16_t)t27[k];
        int rc = orbat_ais_decode(&M);
        CHECK(rc == (t27[k] == 96 || t27[k] == 168 ? ORBAT_OK : ORBAT_E_BITCOUNT),
              "type 27, %u bits: %d", t27[k], rc);
    }

    // Types 25 and 26, addressed and structured: the header (and 26's radio) must fit.
    static const struct {
        unsigned type, bits;
        int rc;
    } hdr[] = {{25, 85, ORBAT_E_BITCOUNT},
               {25, 86, ORBAT_OK},
               {26, 105, ORBAT_E_BITCOUNT},
               {26, 106, ORBAT_OK}};
    for (size_t k = 0; k < sizeof hdr / sizeof hdr[0]; k++) {
        memset(&M, 0, sizeof M);
        M.bits[0] = (uint8_t)(hdr[k].type << 2);
        M.bits[4] = 3; // addressed, structured
        M.nbits = (uint16_t)hdr[k].bits;
        int rc = orbat_ais_decode(&M);
        CHECK(rc == hdr[k].rc, "type %u addressed+structured, %u bits: %d", hdr[k].type,
              hdr[k].bits, rc);
    }

    // A real type 5 (424 bits) cut to 420..423 bits is decoded, as gpsd 3.22 does.
    const char *t5 = "53nPnh800000ha@J2218UH60U@4hT6000000000t2PD33t?P008000000000"
                     "00000000000";
    char body[200], line[220];
    static const struct {
        unsigned chars, fill;
        int rc;
    } cut[] = {{71, 2, ORBAT_OK}, {70, 0, ORBAT_OK},         {71, 5, ORBAT_OK},
               {71, 3, ORBAT_OK}, {70, 1, ORBAT_E_BITCOUNT}, {69, 0, ORBAT_E_BITCOUNT}};
    for (size_t k = 0; k < sizeof cut / sizeof cut[0]; k++) {
        orbat_ais_reasm_init(&R);
        snprintf(body, sizeof body, "AIVDM,1,1,,A,%.*s,%u", (int)cut[k].chars, t5, cut[k].fill);
        int rc = feed(mk(line, sizeof line, body));
        unsigned nb = 6 * cut[k].chars - cut[k].fill;
        CHECK(rc == cut[k].rc, "type 5 of %u bits: %d (want %d)", nb, rc, cut[k].rc);
        if (cut[k].rc == ORBAT_OK)
            CHECK(M.mmsi == 258488000 && M.u.stat.shiptype != 255, "type 5 of %u bits decoded", nb);
    }

    // Expiry by sentence count: a group born MAX_AGE sentences ago is still live.
    char a1[200], a2[200], s1[200];
    mk(a1, sizeof a1,
       "BSVDM,2,1,3,A,53nPnh800000ha@J2218UH60U@4hT6000000000t2PD33t?P008000000000,0");
    mk(a2, sizeof a2, "BSVDM,2,2,3,A,00000000000,2");
    mk(s1, sizeof s1, "AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0");
    for (int extra = 0; extra < 2; extra++) {
        orbat_ais_reasm_init(&R);
        (void)feed(a1);
        for (int k = 0; k < ORBAT_AIS_MAX_AGE - 1 + extra; k++)
            (void)feed(s1);
        CHECK_EQ_INT(feed(a2), extra ? ORBAT_E_ORPHAN : ORBAT_OK,
                     extra ? "fragment 2 after MAX_AGE sentences: expired"
                           : "fragment 2 exactly MAX_AGE sentences after fragment 1: completes");
        CHECK_EQ_INT(R.expired, extra, "expired count at the sentence limit");
    }
    // Expiry by tag time: exactly 60 s apart (either way) completes, 61 s expires.
    static const struct {
        const char *t1, *t2;
        int rc;
    } tt[] = {{"c:1000000000", "c:1000000060", ORBAT_OK},
              {"c:1000000000", "c:1000000061", ORBAT_E_ORPHAN},
              {"c:1000000060", "c:1000000000", ORBAT_OK},
              {"c:1000000061", "c:1000000000", ORBAT_E_ORPHAN}};
    for (size_t k = 0; k < sizeof tt / sizeof tt[0]; k++) {
        char l1[300], l2[300];
        orbat_ais_reasm_init(&R);
        snprintf(l1, sizeof l1, "\\%s*%02X\\%s", tt[k].t1, nmea_xor(tt[k].t1, strlen(tt[k].t1)),
                 a1);
        snprintf(l2, sizeof l2, "\\%s*%02X\\%s", tt[k].t2, nmea_xor(tt[k].t2, strlen(tt[k].t2)),
                 a2);
        (void)feed(l1);
        int rc = feed(l2);
        CHECK(rc == tt[k].rc, "fragments tagged %s then %s: %d (want %d)", tt[k].t1, tt[k].t2, rc,
              tt[k].rc);
    }
}

int main(void)
{
    test_bits();
    test_armor();
    test_text();
    test_decode();
    test_reasm();
    test_rejects();
    test_boundaries();
    return check_exit();
}
