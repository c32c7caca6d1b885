/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_nmea.c - NMEA 0183 framing for AIS: checksums, !xxVDM/!xxVDO field
 * parsing, NMEA 4.10 tag blocks, receiver trailers and splitting lines that
 * hold several sentences (src/decode/common/nmea.c).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "decode/common/nmea.h"
#include "orbat/ais.h"
#include "orbat/orbat.h"

/* "!" + body + "*hh" with the right checksum; prefix is put in front. */
static const char *mk(char *buf, size_t sz, const char *prefix, const char *body)
{
    snprintf(buf, sz, "%s!%s*%02X", prefix, body, nmea_xor(body, strlen(body)));
    return buf;
}

static const char *mktag(char *buf, size_t sz, const char *tag, const char *sentence)
{
    snprintf(buf, sz, "\\%s*%02X\\%s", tag, nmea_xor(tag, strlen(tag)), sentence);
    return buf;
}

static int parse(const char *line, struct orbat_nmea_sentence *s)
{
    return orbat_nmea_parse_vdm(line, strlen(line), s);
}

static void test_checksum(void)
{
    struct orbat_nmea_sentence s;
    CHECK_EQ_INT(nmea_xor("AIVDM", 5), 'A' ^ 'I' ^ 'V' ^ 'D' ^ 'M', "xor");
    CHECK_EQ_INT(parse("!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C", &s), ORBAT_OK,
                 "valid checksum");
    CHECK_EQ_INT(parse("!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5c", &s), ORBAT_OK,
                 "lower-case hex accepted");
    CHECK_EQ_INT(parse("!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5D", &s), ORBAT_E_CHECKSUM,
                 "wrong checksum");
    CHECK_EQ_INT(parse("!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0", &s), ORBAT_E_CHECKSUM,
                 "missing checksum");
    CHECK_EQ_INT(parse("!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5", &s), ORBAT_E_CHECKSUM,
                 "one hex digit");
    CHECK_EQ_INT(parse("!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*G0", &s), ORBAT_E_CHECKSUM,
                 "non-hex digit");
}

static void test_fields(void)
{
    char b[256];
    struct orbat_nmea_sentence s;
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "BSVDO,2,1,7,2,55NBjP01mtGIL@CW,0"), &s), ORBAT_OK,
                 "VDO parses");
    CHECK_EQ_STR(s.talker, "BS", "talker");
    CHECK(s.own, "VDO is own-ship");
    CHECK_EQ_INT(s.nfrags, 2, "fragment count");
    CHECK_EQ_INT(s.frag, 1, "fragment number");
    CHECK_EQ_INT(s.seqid, 7, "sequence id");
    CHECK_EQ_INT(s.channel, '2', "channel 2");
    CHECK_EQ_INT(s.payload_len, 16, "payload length");
    CHECK(s.payload && !memcmp(s.payload, "55NBjP01mtGIL@CW", 16), "payload pointer");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIVDM,1,1,,,15M67FC000G?ufbE`FepT@3n00Sa,0"), &s),
                 ORBAT_OK, "empty channel");
    CHECK_EQ_INT(s.channel, 0, "empty channel is 0");
    CHECK_EQ_INT(s.seqid, -1, "empty seqid is -1");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIVDM,1,1,,C,15M67FC000G?ufbE`FepT@3n00Sa,0"), &s),
                 ORBAT_E_SYNTAX, "channel C rejected");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIVDM,1,1,,0,15M67FC000G?ufbE`FepT@3n00Sa,0"), &s),
                 ORBAT_E_SYNTAX, "channel 0 rejected (as gpsd)");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIVDM,1,2,,A,15M67FC000G?ufbE`FepT@3n00Sa,0"), &s),
                 ORBAT_E_FRAGMENT, "fragment number above count");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIVDM,0,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0"), &s),
                 ORBAT_E_FRAGMENT, "fragment count 0");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIVDM,1,1,x,A,15M67FC000G?ufbE`FepT@3n00Sa,0"), &s),
                 ORBAT_E_SYNTAX, "bad sequence id");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,6"), &s),
                 ORBAT_E_PADDING, "fill bits 6");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,"), &s),
                 ORBAT_OK, "empty fill read as 0 (gpsd)");
    CHECK_EQ_INT(s.fill, 0, "empty fill is 0");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa"), &s),
                 ORBAT_E_SYNTAX, "missing field");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "=IVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0"), &s),
                 ORBAT_E_SYNTAX, "talker '=I' rejected");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "SSVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0"), &s),
                 ORBAT_OK, "talker SS accepted");
    CHECK_EQ_INT(
        parse("$GPGGA,114702.00,3351.0151,S,15117.2160,E,1,06,1.69,00093,M,021,M,,*76", &s),
        ORBAT_E_UNSUPPORTED, "GPS sentence is not AIS");
    CHECK_EQ_INT(parse(mk(b, sizeof b, "", "AIALR,000004,001,V,A,AIS: Tx"), &s),
                 ORBAT_E_UNSUPPORTED, "!AIALR is not AIS payload");
    CHECK_EQ_INT(parse("", &s), ORBAT_E_UNSUPPORTED, "empty line");
    char big[700];
    memset(big, 'A', sizeof big - 1);
    big[0] = '!';
    big[sizeof big - 1] = '\0';
    CHECK_EQ_INT(parse(big, &s), ORBAT_E_TOOLONG, "over-long line");
    char crlf[256];
    snprintf(crlf, sizeof crlf, "%s\r\n", "!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C");
    CHECK_EQ_INT(parse(crlf, &s), ORBAT_OK, "CR LF stripped");
}

static void test_tagblock(void)
{
    char b[256], t[600];
    struct orbat_nmea_sentence s;
    mk(b, sizeof b, "", "AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0");
    CHECK_EQ_INT(parse(mktag(t, sizeof t, "s:rEV02,c:1334337321", b), &s), ORBAT_OK, "tag block");
    CHECK_EQ_INT(s.tag.err, 0, "tag block ok");
    CHECK(s.tag.has_time, "tag time present");
    CHECK_EQ_INT(s.tag.time_ms, 1334337321000LL, "c: seconds to ms");
    CHECK_EQ_STR(s.tag.source, "rEV02", "s: source");
    CHECK_EQ_INT(parse(mktag(t, sizeof t, "c:1599239587658,s:x", b), &s), ORBAT_OK, "ms time");
    CHECK_EQ_INT(s.tag.time_ms, 1599239587658LL, "c: milliseconds kept");
    CHECK_EQ_INT(parse(mktag(t, sizeof t, "g:1-2-3985,s:rEV02,c:1", b), &s), ORBAT_OK, "group");
    CHECK(s.tag.has_group, "group present");
    CHECK_EQ_INT(s.tag.group_seq, 1, "group sentence");
    CHECK_EQ_INT(s.tag.group_n, 2, "group size");
    CHECK_EQ_INT(s.tag.group_id, 3985, "group id");
    CHECK_EQ_INT(parse(mktag(t, sizeof t, "g:1-2--001,c:1326055296", b), &s), ORBAT_OK,
                 "bad group: sentence still decoded");
    CHECK_EQ_INT(s.tag.err, ORBAT_E_TAGBLOCK, "bad group flagged");
    CHECK(!s.tag.has_time, "bad tag block contents ignored");
    snprintf(t, sizeof t, "\\c:1565218798*00\\%s", b);
    CHECK_EQ_INT(parse(t, &s), ORBAT_OK, "bad tag checksum: sentence decoded");
    CHECK_EQ_INT(s.tag.err, ORBAT_E_CHECKSUM, "bad tag checksum flagged");
    snprintf(t, sizeof t, "\\c:1565218798*00%s", b);
    CHECK_EQ_INT(parse(t, &s), ORBAT_E_TAGBLOCK, "unterminated tag block");
    CHECK_EQ_INT(parse(mktag(t, sizeof t, "c:1,q:u,T:2014-12-10 00.41.53,d:x,n:3", b), &s),
                 ORBAT_OK, "unknown tag fields skipped");
}

static void test_trailer(void)
{
    struct orbat_nmea_sentence s;
    const char *uscg = "!AIVDM,1,1,,A,14`qQb0000o?u?DK>Smo2E`v0404,0*1A,r003669987,1152921693";
    CHECK_EQ_INT(parse(uscg, &s), ORBAT_OK, "USCG trailer");
    CHECK_EQ_STR(s.tag.source, "r003669987", "USCG station");
    CHECK_EQ_INT(s.tag.time_ms, 1152921693000LL, "USCG time");
    const char *ee = "!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C,1327992119173";
    CHECK_EQ_INT(parse(ee, &s), ORBAT_OK, "ms trailer");
    CHECK_EQ_INT(s.tag.time_ms, 1327992119173LL, "ms trailer time");
    const char *libais = "!AIVDM,1,1,,A,403Ovl@000Htt<tSF0l4Q@100`Pq,0*28,d-109,S2105,"
                         "t050056.00,T56.13718694,r003669946,1325394060,1325394001";
    CHECK_EQ_INT(parse(libais, &s), ORBAT_OK, "libais USCG trailer");
    CHECK_EQ_INT(s.tag.time_ms, 1325394001000LL, "last field is the time");
    CHECK_EQ_STR(s.tag.source, "r003669946", "station");
    const char *junk = "!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C'";
    CHECK_EQ_INT(parse(junk, &s), ORBAT_OK, "trailing junk ignored");
    CHECK(!s.tag.has_time, "no time from junk");
}

static void test_pieces(void)
{
    const char *two = "\\c:1662052384,s:FM112*00\\!AIVDM,2,1,1,A,5,0*37"
                      "\\g:2-1-1*00\\!AIVDM,2,2,1,A,0,2*25";
    size_t off = 0, n;
    n = orbat_ais_next_piece(two, strlen(two), &off);
    CHECK_EQ_INT(off, 0, "first piece starts at its tag block");
    CHECK(n > 0 && two[n] == '\\', "first piece ends before the next tag block");
    off += n;
    size_t n2 = orbat_ais_next_piece(two, strlen(two), &off);
    CHECK(!memcmp(two + off, "\\g:2-1-1", 8), "second piece starts at its tag block");
    CHECK_EQ_INT(off + n2, strlen(two), "second piece runs to the end");
    off += n2;
    CHECK_EQ_INT(orbat_ais_next_piece(two, strlen(two), &off), 0, "no third piece");
    const char *dma = "!AIVDM,2,1,2,B,55,0*4B\\r\\n!AIVDM,2,2,2,B,00,2*25";
    off = 0;
    n = orbat_ais_next_piece(dma, strlen(dma), &off);
    CHECK_EQ_INT(off, 0, "dma first piece");
    off += n;
    n = orbat_ais_next_piece(dma, strlen(dma), &off);
    CHECK(!memcmp(dma + off, "!AIVDM,2,2", 10), "dma second piece after literal \\r\\n");
    off = 0;
    CHECK_EQ_INT(orbat_ais_next_piece("$GPGGA,1*00", 11, &off), 0, "no piece in GPS line");
}

int main(void)
{
    test_checksum();
    test_fields();
    test_tagblock();
    test_trailer();
    test_pieces();
    return check_exit();
}
