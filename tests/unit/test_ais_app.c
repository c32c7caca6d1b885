/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_ais_app.c - AIS type 6/8 application payloads (DAC/FI): the pure
 * decoder (raw units, sentinels, length rules, bounds) and the gpsd
 * 3.22-compatible JSON tail, on sentences from gpsd's own regression log
 * with the values of its release-3.22 .chk files.
 *
 * With --tails [-s] it is a filter instead: it reads NMEA AIVDM/AIVDO
 * lines on stdin, de-armours and reassembles them the way gpsd does (per
 * channel, fragments in order) and prints, for every type 6/8 message, the
 * line gpsdecode -u -j (or -j with -s) prints, building the header itself
 * and the rest with ais_json_app_tail_fill. tests/golden/ais_app_gpsd.sh
 * diffs that against gpsdecode run on the same logs. With --craft SEED N it
 * writes N random type 6/8 messages as sentences for
 * tests/golden/ais_app_crafted.sh; --craft-nofill SEED N only those whose
 * output does not depend on their fill bits.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
/* The JSON writer lives in src/cli, which no library holds: compile it in. */
#include "cli/ais_json_app.c"
#include "orbat/ais_app.h"
#include "util/outbuf.h"

#define MAXBYTES 512

struct msgbuf {
    uint8_t b[MAXBYTES];
    unsigned nbits;
};

/* Append a payload's six-bit characters (ITU-R M.1371-5 §8.2.4) like
 * gpsd's aivdm_decode; returns false on a character outside the set. */
static bool armour_append(struct msgbuf *m, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)p[i];
        if (c < 48 || c > 119 || (c > 87 && c < 96))
            return false;
        c -= 48;
        if (c >= 40)
            c -= 8;
        for (int k = 5; k >= 0; k--) {
            if (m->nbits >= MAXBYTES * 8)
                return false;
            if ((c >> k) & 1)
                m->b[m->nbits / 8] |= (uint8_t)(1u << (7 - m->nbits % 8));
            m->nbits++;
        }
    }
    return true;
}

static unsigned getu(const uint8_t *b, unsigned start, unsigned width)
{
    unsigned v = 0;
    for (unsigned i = start; i < start + width; i++)
        v = (v << 1) | ((b[i / 8] >> (7 - i % 8)) & 1u);
    return v;
}

/* The whole gpsdecode line for a type 6/8 message into buf. */
static size_t gpsd_line(const struct msgbuf *m, unsigned fill, bool scaled, char *buf, size_t cap)
{
    static struct outbuf ob;
    outbuf_init(&ob, -1);
    const uint8_t *b = m->b;
    unsigned type = getu(b, 0, 6);
    char head[256];
    int n = snprintf(head, sizeof head,
                     "{\"class\":\"AIS\",\"device\":\"stdin\",\"type\":%u,\"repeat\":%u,"
                     "\"mmsi\":%u,\"scaled\":%s",
                     type, getu(b, 6, 2), getu(b, 8, 30), scaled ? "true" : "false");
    ob_write(&ob, head, (size_t)n);
    if (type == 6)
        n = snprintf(head, sizeof head,
                     ",\"seqno\":%u,\"dest_mmsi\":%u,\"retransmit\":%s,\"dac\":%u,\"fid\":%u",
                     getu(b, 38, 2), getu(b, 40, 30), getu(b, 70, 1) ? "true" : "false",
                     getu(b, 72, 10), getu(b, 82, 6));
    else
        n = snprintf(head, sizeof head, ",\"dac\":%u,\"fid\":%u", getu(b, 40, 10), getu(b, 50, 6));
    ob_write(&ob, head, (size_t)n);
    ais_json_app_tail_fill(&ob, m->b, m->nbits, fill, scaled);
    ob_putc(&ob, '}');
    size_t len = ob.len < cap - 1 ? ob.len : cap - 1;
    memcpy(buf, ob.buf, len);
    buf[len] = '\0';
    return len;
}

/* Split an NMEA line into fields; returns the count. Checks the checksum. */
static int nmea_fields(char *line, char **f, int maxf)
{
    if (line[0] == '#')
        return 0; /* gpsd's lexer skips comment lines */
    char *s = strchr(line, '!');
    if (!s)
        return 0;
    char *star = strrchr(s, '*');
    if (!star || strlen(star) < 3)
        return 0;
    unsigned sum = 0;
    for (char *p = s + 1; p < star; p++)
        sum ^= (unsigned char)*p;
    if (sum != (unsigned)strtoul(star + 1, NULL, 16))
        return 0;
    *star = '\0';
    int n = 0;
    f[n++] = s;
    for (char *p = s; *p && n < maxf; p++)
        if (*p == ',') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

/* The AIS talkers gpsd 3.22's packet lexer accepts after '!'. */
static bool gpsd_talker(const char *t)
{
    static const char *const ok[] = {"AI", "AB", "AD", "AN", "AR", "AS", "AT", "AX", "BS", "SA"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (t[0] == ok[i][0] && t[1] == ok[i][1])
            return true;
    return false;
}

/* gpsd keeps one reassembly context per radio channel. */
struct chan_ctx {
    struct msgbuf m;
    int decoded;
};

static int run_tails(bool scaled)
{
    static struct chan_ctx ctx[2];
    static char line[8192], out[8192];
    while (fgets(line, sizeof line, stdin)) {
        char *f[16];
        int nf = nmea_fields(line, f, 16);
        if (nf < 7 || strlen(f[0]) != 6 || strncmp(f[0] + 3, "VD", 2) != 0 ||
            !gpsd_talker(f[0] + 1))
            continue;
        int nfrags = atoi(f[1]), ifrag = atoi(f[2]);
        int ch = (f[4][0] == 'B' || f[4][0] == '2') ? 1 : 0;
        struct chan_ctx *c = &ctx[ch];
        if (ifrag != c->decoded + 1) {
            if (ifrag != 1)
                continue;
            c->decoded = 0;
        }
        if (ifrag == 1) {
            memset(&c->m, 0, sizeof c->m);
        }
        if (!armour_append(&c->m, f[5], strlen(f[5]))) {
            c->decoded = 0;
            continue;
        }
        int pad = f[6][0] >= '0' && f[6][0] <= '9' ? f[6][0] - '0' : 0;
        c->m.nbits = c->m.nbits >= (unsigned)pad ? c->m.nbits - (unsigned)pad : 0;
        c->decoded = ifrag;
        if (ifrag != nfrags)
            continue;
        c->decoded = 0;
        if (c->m.nbits < 6)
            continue;
        unsigned type = getu(c->m.b, 0, 6);
        unsigned lo = type == 6 ? 88 : 56;
        if ((type != 6 && type != 8) || c->m.nbits < lo || c->m.nbits > 1008)
            continue;
        gpsd_line(&c->m, (unsigned)pad, scaled, out, sizeof out);
        printf("%s\r\n", out); /* gpsdecode ends lines with CR LF */
    }
    return 0;
}

/* --craft SEED N: random type 6/8 messages for every DAC/FI gpsd decodes,
 * as AIVDM sentences (split into fragments when long), to be fed to both
 * gpsdecode and --tails. Lengths include the exact ones some payloads
 * require, the natural lengths and random ones; fill bits are random. */
static uint64_t rng_state;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static void putbits(uint8_t *b, unsigned start, unsigned width, unsigned v)
{
    for (unsigned i = 0; i < width; i++) {
        unsigned bit = (v >> (width - 1 - i)) & 1u;
        unsigned pos = start + i;
        b[pos / 8] = (uint8_t)((b[pos / 8] & ~(1u << (7 - pos % 8))) | (bit << (7 - pos % 8)));
    }
}

static void emit_sentences(const uint8_t *b, unsigned nbits, unsigned seq)
{
    static const char arm[] = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw";
    char payload[200];
    unsigned nchars = (nbits + 5) / 6, pad = nchars * 6 - nbits;
    for (unsigned i = 0; i < nchars; i++)
        payload[i] = arm[getu(b, 6 * i, 6)];
    unsigned per = 60, nfrag = (nchars + per - 1) / per;
    for (unsigned k = 0; k < nfrag; k++) {
        char body[160];
        unsigned off = k * per, len = nchars - off < per ? nchars - off : per;
        char seqid[4] = "";
        if (nfrag > 1) /* sequential message id 1..9 */
            snprintf(seqid, sizeof seqid, "%u", 1 + seq % 9);
        int n = snprintf(body, sizeof body, "AIVDM,%u,%u,%s,A,%.*s,%u", nfrag, k + 1, seqid,
                         (int)len, payload + off, k + 1 == nfrag ? pad : 0);
        unsigned sum = 0;
        for (int i = 0; i < n; i++)
            sum ^= (unsigned char)body[i];
        printf("!%s*%02X\n", body, sum);
    }
}

struct craft_kind {
    unsigned type, dac, fid;
    unsigned lens[4]; /* preferred lengths in bits, 0 = none */
};

/* True when the message's JSON does not depend on its fill bits, i.e. no
 * field reads past nbits into them (both modes compared). */
static bool fill_insensitive(const uint8_t *b, unsigned nbits)
{
    static struct msgbuf m;
    static char with[8192], without[8192];
    unsigned nchars = (nbits + 5) / 6, fill = nchars * 6 - nbits;
    memset(&m, 0, sizeof m);
    memcpy(m.b, b, (nchars * 6 + 7) / 8);
    for (unsigned i = nchars * 6; i < (nchars * 6 + 7) / 8 * 8; i++)
        m.b[i / 8] &= (uint8_t) ~(1u << (7 - i % 8)); /* zeros after the armour */
    m.nbits = nbits;
    for (int scaled = 0; scaled < 2; scaled++) {
        gpsd_line(&m, fill, scaled, with, sizeof with);
        gpsd_line(&m, 0, scaled, without, sizeof without);
        if (strcmp(with, without) != 0)
            return false;
    }
    return true;
}

/* only_insensitive: skip messages whose JSON depends on their fill bits
 * (for callers of ais_json_app_tail, which does not see them). */
static int run_craft(unsigned long seed, unsigned count, bool only_insensitive)
{
    static const struct craft_kind kinds[] = {
        {6, 200, 21, {248, 0, 0, 0}},    {6, 200, 22, {232, 0, 0, 0}},
        {6, 200, 55, {168, 0, 0, 0}},    {6, 235, 10, {136, 0, 0, 0}},
        {6, 250, 10, {136, 0, 0, 0}},    {6, 1, 12, {360, 0, 0, 0}},
        {6, 1, 14, {97, 190, 283, 376}}, {6, 1, 15, {104, 0, 0, 0}},
        {6, 1, 16, {136, 224, 0, 0}},    {6, 1, 18, {360, 0, 0, 0}},
        {6, 1, 20, {360, 0, 0, 0}},      {6, 1, 23, {200, 0, 0, 0}},
        {6, 1, 25, {117, 134, 202, 0}},  {6, 1, 28, {204, 259, 314, 0}},
        {6, 1, 30, {98, 104, 200, 0}},   {6, 1, 32, {97, 185, 273, 361}},
        {6, 1, 40, {104, 0, 0, 0}},      {8, 1, 11, {352, 0, 0, 0}},
        {8, 1, 13, {472, 0, 0, 0}},      {8, 1, 15, {72, 0, 0, 0}},
        {8, 1, 16, {128, 192, 0, 0}},    {8, 1, 17, {56, 178, 300, 422}},
        {8, 1, 19, {360, 0, 0, 0}},      {8, 1, 21, {360, 0, 0, 0}},
        {8, 1, 22, {360, 0, 0, 0}},      {8, 1, 24, {360, 0, 0, 0}},
        {8, 1, 26, {360, 0, 0, 0}},      {8, 1, 27, {117, 172, 227, 0}},
        {8, 1, 29, {66, 72, 300, 0}},    {8, 1, 31, {360, 0, 0, 0}},
        {8, 200, 10, {168, 0, 0, 0}},    {8, 200, 23, {256, 0, 0, 0}},
        {8, 200, 24, {168, 0, 0, 0}},    {8, 200, 40, {168, 0, 0, 0}},
        {8, 366, 56, {256, 0, 0, 0}},    {6, 0, 0, {88, 0, 0, 0}},
    };
    const unsigned nk = sizeof kinds / sizeof kinds[0];
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    for (unsigned i = 0; i < count; i++) {
        const struct craft_kind *k = &kinds[i % nk];
        unsigned lo = k->type == 6 ? 88 : 56, nbits;
        unsigned pick = rng() % 8;
        if (pick < 4 && k->lens[pick])
            nbits = k->lens[pick];
        else if (pick < 6)
            nbits = lo + rng() % (1008 - lo + 1);
        else
            nbits = lo + rng() % 200;
        uint8_t b[MAXBYTES];
        for (unsigned j = 0; j < sizeof b; j++)
            b[j] = (uint8_t)rng();
        putbits(b, 0, 6, k->type);
        putbits(b, 6, 2, rng() & 3);
        putbits(b, 8, 30, rng() % 1000000000u);
        if (k->type == 6) {
            putbits(b, 72, 10, k->dac);
            putbits(b, 82, 6, k->fid);
        } else {
            putbits(b, 40, 10, k->dac);
            putbits(b, 50, 6, k->fid);
        }
        if (rng() % 4 == 0) /* sometimes zeros: '@' ends six-bit strings */
            memset(b + lo / 8 + 1 + rng() % 20, 0, 4);
        if (k->type == 8 && k->dac == 200 && k->fid == 10 && rng() % 2)
            putbits(b, 141, 3, rng() % 6); /* mostly legal hazard codes */
        if (k->type == 6 && k->fid == 28 && k->dac == 1 && rng() % 2)
            putbits(b, 144, 5, rng() % 8); /* short routes too */
        if (k->type == 8 && k->fid == 27 && k->dac == 1 && rng() % 2)
            putbits(b, 112, 5, rng() % 8);
        if (!only_insensitive || fill_insensitive(b, nbits))
            emit_sentences(b, nbits, i);
    }
    return 0;
}

/* Build a message from one armoured payload with `pad` fill bits. */
static struct msgbuf from_payload(const char *payload, unsigned pad)
{
    struct msgbuf m;
    memset(&m, 0, sizeof m);
    armour_append(&m, payload, strlen(payload));
    m.nbits -= pad;
    return m;
}

static const char *tail_of(const char *line)
{
    const char *p = strstr(line, "\"fid\":");
    if (!p)
        return line;
    p += 6;
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

struct vec {
    const char *payload;
    unsigned pad;
    const char *unscaled_tail; /* from release-3.22/sample.aivdm.ju.chk */
    const char *scaled_tail;   /* from release-3.22/sample.aivdm.js.chk */
};

/* One message of each DAC/FI kind in gpsd's test/sample.aivdm (payloads
 * reassembled), with the tails of its lines in gpsd's
 * release-3.22/sample.aivdm.ju.chk (unscaled) and .js.chk (scaled). */
static const struct vec vectors[] = {
    {"6B?n;be:cbapalgc;i6?Ow4", 2, ",\"data\":\"48:eb2f118f7ff1\"}",
     ",\"data\":\"48:eb2f118f7ff1\"}"},
    {"6>jR0600V:C0>da4P106P00", 2,
     ",\"off_pos\":false,\"alarm\":false,\"stat_ext\":0,\"ana_int\":274,\"ana_ext1\":1,\""
     "ana_ext2\":1,\"racon\":2,\"racon_text\":\"RACON operational\",\"light\":2,\"light_"
     "text\":\"Light OFF\"}",
     ",\"off_pos\":false,\"alarm\":false,\"stat_ext\":0,\"ana_int\":13.70,\"ana_ext1\":0"
     ".05,\"ana_ext2\":0.05,\"racon\":2,\"racon_text\":\"RACON operational\",\"light\":2"
     ",\"light_text\":\"Light OFF\"}"},
    {"63u?;TP0`QJ<06P000", 4, ",\"data\":\"16:0000\"}", ",\"data\":\"16:0000\"}"},
    {"63LBA4;WBevJ04k0=@E=B0td", 0,
     ",\"lastport\":\"0CTES\",\"departure\":\"05-04T00:60Z\",\"nextport\":\",\",\"eta\":\"00-"
     "00T00:00Z\",\"dangerous\":\"\",\"imdcat\":\"\",\"unid\":0,\"amount\":0,\"unit\":0}",
     ",\"lastport\":\"0CTES\",\"departure\":\"05-04T00:60Z\",\"nextport\":\",\",\"eta\":\"00-"
     "00T00:00Z\",\"dangerous\":\"\",\"imdcat\":\"\",\"unid\":0,\"amount\":0,\"unit\":0}"},
    {"6h2E:81>NmKC04p0J<000?vv20Ru", 0,
     ",\"month\":0,\"day\":0,\"tidals\":[{\"lon\":16760328,\"lat\":-24379392,\"from_hour\""
     ":1,\"from_min\":5,\"to_hour\":29,\"to_min\":0,\"cdir\":0,\"cspeed\":0}]}",
     ",\"month\":0,\"day\":0,\"tidals\":[{\"lon\":279.3388,\"lat\":-406.3232,\"from_hour\""
     ":1,\"from_min\":5,\"to_hour\":29,\"to_min\":0,\"cdir\":0,\"cspeed\":0.0}]}"},
    {"6h2E3MDrDRiB0580@00000000000", 0,
     ",\"linkage\":1,\"arrival\":\"00-00T00:00Z\",\"portname\":\"\",\"destination\":\"\",\"lo"
     "n\":0,\"lat\":0}",
     ",\"linkage\":1,\"arrival\":\"00-00T00:00Z\",\"portname\":\"\",\"destination\":\"\",\"lo"
     "n\":0.0000,\"lat\":0.0000}"},
    {"85Mwp`1Kf3aCnsNvBWLi=wQuNhA5t43N`5nCuI=p<IBfVqnMgPGs", 0,
     ",\"data\":\"256:3a53dbb7be4a773137f87d7b0445f040dea05d93f593783194ae9b9d9db"
     "e05fb\"}",
     ",\"data\":\"256:3a53dbb7be4a773137f87d7b0445f040dea05d93f593783194ae9b9d9db"
     "e05fb\"}"},
    {"8>jR06@0Bk3:wOli;<`WPhh<1rqVBQf2V@Pdt0J82avIM2b<<Rv1t<ot=@1", 2,
     ",\"lat\":3197693,\"lon\":-368039,\"timestamp\":\"18T17:15Z\",\"wspeed\":3,\"wgust\":"
     "6,\"wdir\":12,\"wgustdir\":15,\"humidity\":50,\"airtemp\":742,\"dewpoint\":323,\"pr"
     "essure\":224,\"pressuretend\":2,\"visibility\":153,\"waterlevel\":16,\"leveltren"
     "d\":1,\"cspeed\":103,\"cdir\":256,\"cspeed2\":104,\"cdir2\":257,\"cdepth2\":10,\"csp"
     "eed3\":126,\"cdir3\":203,\"cdepth3\":20,\"waveheight\":42,\"waveperiod\":35,\"wave"
     "dir\":25,\"swellheight\":23,\"swellperiod\":48,\"swelldir\":124,\"seastate\":3,\"w"
     "atertemp\":223,\"preciptype\":6,\"preciptype_text\":\"reserved\",\"salinity\":53,"
     "\"ice\":0,\"ice_text\":\"no\"}",
     ",\"lat\":53.2949,\"lon\":-6.1340,\"timestamp\":\"18T17:15Z\",\"wspeed\":3,\"wgust\":"
     "6,\"wdir\":12,\"wgustdir\":15,\"humidity\":50,\"airtemp\":14.2,\"dewpoint\":12.3,\""
     "pressure\":1024,\"pressuretend\":\"decreasing\",\"visibility\":15.3,\"waterlevel"
     "\":-8.4,\"leveltrend\":\"increasing\",\"cspeed\":10.3,\"cdir\":256,\"cspeed2\":10.4"
     ",\"cdir2\":257,\"cdepth2\":10,\"cspeed3\":12.6,\"cdir3\":203,\"cdepth3\":20,\"waveh"
     "eight\":4.2,\"waveperiod\":35,\"wavedir\":25,\"swellheight\":2.3,\"swellperiod\":"
     "48,\"swelldir\":124,\"seastate\":3,\"watertemp\":12.3,\"preciptype\":6,\"precipty"
     "pe_text\":\"reserved\",\"salinity\":5.3,\"ice\":0,\"ice_text\":\"no\"}"},
    {"8>jR06@0Gwli:QQUP3en?wvlFR06EuOwgwl?wnSwe7wvlOwwsAwwnSGmwvh0", 0,
     ",\"lat\":3197696,\"lon\":-368044,\"accuracy\":false,\"timestamp\":\"29T23:24Z\",\"w"
     "speed\":127,\"wgust\":127,\"wdir\":360,\"wgustdir\":360,\"humidity\":101,\"airtemp"
     "\":-1024,\"dewpoint\":501,\"pressure\":511,\"pressuretend\":3,\"visgreater\":fals"
     "e,\"visibility\":127,\"waterlevel\":4001,\"leveltrend\":3,\"cspeed\":255,\"cdir\":"
     "360,\"cspeed2\":255,\"cdir2\":360,\"cdepth2\":31,\"cspeed3\":255,\"cdir3\":360,\"cd"
     "epth3\":31,\"waveheight\":255,\"waveperiod\":63,\"wavedir\":360,\"swellheight\":2"
     "55,\"swellperiod\":63,\"swelldir\":360,\"seastate\":13,\"watertemp\":501,\"precip"
     "type\":7,\"salinity\":510,\"ice\":3}",
     ",\"lat\":53.2949,\"lon\":-6.1341,\"accuracy\":false,\"timestamp\":\"29T23:24Z\",\"w"
     "speed\":127,\"wgust\":127,\"wdir\":360,\"wgustdir\":360,\"humidity\":101,\"airtemp"
     "\":-102.4,\"dewpoint\":50.1,\"pressure\":1310,\"pressuretend\":\"N/A\",\"visgreate"
     "r\":false,\"visibility\":12.7,\"waterlevel\":30.0,\"leveltrend\":\"N/A\",\"cspeed\""
     ":25.5,\"cdir\":360,\"cspeed2\":25.5,\"cdir2\":360,\"cdepth2\":31,\"cspeed3\":25.5,"
     "\"cdir3\":360,\"cdepth3\":31,\"waveheight\":25.5,\"waveperiod\":63,\"wavedir\":360"
     ",\"swellheight\":25.5,\"swellperiod\":63,\"swelldir\":360,\"seastate\":13,\"water"
     "temp\":50.1,\"preciptype\":\"N/A\",\"salinity\":51.0,\"ice\":\"N/A\"}"},
    {"83aDChPj2d<dL<uM=hhhI?a@6HP0", 0,
     ",\"vin\":\"02103547\",\"length\":390,\"beam\":50,\"shiptype\":8010,\"shiptype_text\""
     ":\"Motor freighter\",\"hazard\":0,\"hazard_text\":\"0 blue cones/lights\",\"draug"
     "ht\":204,\"loaded\":1,\"loaded_text\":\"Unloaded\",\"speed_q\":false,\"course_q\":f"
     "alse,\"heading_q\":false}",
     ",\"vin\":\"02103547\",\"length\":390,\"beam\":50,\"shiptype\":8010,\"shiptype_text\""
     ":\"Motor freighter\",\"hazard\":0,\"hazard_text\":\"0 blue cones/lights\",\"draug"
     "ht\":204,\"loaded\":1,\"loaded_text\":\"Unloaded\",\"speed_q\":false,\"course_q\":f"
     "alse,\"heading_q\":false}"},
    {"83aDChPj2d<dL<uM=hhhI?a@6HP0e9QvUEEEOPPrE4t880>p2JqA6wimt:OwUPP8k;JvOeD", 2,
     ",\"data\":\"368:c32c70cf5d370c3064fa50198800b4987e9555557e083a544f082003b80"
     "9ae511bfc75f0a7ff960808ccb6be7ed5\"}",
     ",\"data\":\"368:c32c70cf5d370c3064fa50198800b4987e9555557e083a544f082003b80"
     "9ae511bfc75f0a7ff960808ccb6be7ed5\"}"},
    {"6h2E3MPr<buN05p0J00000000000", 0, ",\"linkage\":1,\"text\":\"(\"}",
     ",\"linkage\":1,\"text\":\"(\"}"},
    {"6h2E3MHrg19P0600@00000000000", 0,
     ",\"month\":0,\"day\":0,\"tidals\":[{\"lon\":-16777216,\"lat\":0,\"from_hour\":0,\"fro"
     "m_min\":0,\"to_hour\":0,\"to_min\":0,\"cdir\":0,\"cspeed\":0}]}",
     ",\"month\":0,\"day\":0,\"tidals\":[{\"lon\":-279.6203,\"lat\":0.0000,\"from_hour\":0"
     ",\"from_min\":0,\"to_hour\":0,\"to_min\":0,\"cdir\":0,\"cspeed\":0.0}]}"},
    {"601uEPprEH2@<P<j00", 4, ",\"data\":\"16:3200\"}", ",\"data\":\"16:3200\"}"},
    {"85Mwp=iKfGwushJ?gNlt2QU3osVGe:4?cNhQqf2VH8t?A;J6b7AwuiqIGLeNiKCPDR7HQR<u"
     ";TTFufegr>kCSFUq:1Kk`e8",
     4,
     ",\"data\":\"510:7ffdef068fbded3c0a1943dfb997b4a10fadec21e6e0a6608f0f44b686a"
     "8747ff71e595dcb5ec5b4e05221d886233d2e4916f6eb6fe8ecd38d69792816f3a2d0\"}",
     ",\"data\":\"510:7ffdef068fbded3c0a1943dfb997b4a10fadec21e6e0a6608f0f44b686a"
     "8747ff71e595dcb5ec5b4e05221d886233d2e4916f6eb6fe8ecd38d69792816f3a2d0\"}"},
    {"802At?00D000qFap02:lA0b@?3fw0001<:iFP2:rf0cCGp0w00", 4,
     ",\"data\":\"240:0000e56a780022b4440a903c3bbf00000130ac568022bab80ad35f803f0"
     "0\"}",
     ",\"data\":\"240:0000e56a780022b4440a903c3bbf00000130ac568022bab80ad35f803f0"
     "0\"}"},
};

static void test_vectors(void)
{
    char line[4096];
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const struct vec *v = &vectors[i];
        struct msgbuf m = from_payload(v->payload, v->pad);
        gpsd_line(&m, v->pad, false, line, sizeof line);
        CHECK_EQ_STR(tail_of(line), v->unscaled_tail, "sample.aivdm vector unscaled tail");
        gpsd_line(&m, v->pad, true, line, sizeof line);
        CHECK_EQ_STR(tail_of(line), v->scaled_tail, "sample.aivdm vector scaled tail");
    }
}

/* Decoder struct: raw units and sentinels, on the sample messages. */
static void test_decoder_fields(void)
{
    struct orbat_ais_app a;
    /* 8/1/11 Circ.236 met/hydro: unsigned offset codes kept raw */
    struct msgbuf m = from_payload(vectors[7].payload, vectors[7].pad);
    CHECK_EQ_INT(orbat_ais_app_decode(m.b, m.nbits, &a), ORBAT_OK, "8/1/11 decodes");
    CHECK_EQ_INT(a.kind, ORBAT_AIS_APP_MET_236, "8/1/11 kind");
    CHECK_EQ_INT(a.type, 8, "8/1/11 type");
    CHECK_EQ_INT(a.dac, 1, "8/1/11 dac");
    CHECK_EQ_INT(a.fid, 11, "8/1/11 fid");
    CHECK_EQ_INT(a.data_start, 56, "8/1/11 data start");
    CHECK_EQ_INT(a.u.met.lat, 3197693, "8/1/11 lat in 1/1000 min");
    CHECK_EQ_INT(a.u.met.airtemp, 742, "8/1/11 airtemp code (14.2 C + 60)");
    CHECK_EQ_INT(a.u.met.wdir, 12, "8/1/11 wind dir");
    CHECK_EQ_INT(a.u.met.preciptype, 6, "8/1/11 precipitation type");

    /* 8/1/31 Circ.289 met/hydro: "not available" sentinels kept */
    m = from_payload(vectors[8].payload, vectors[8].pad);
    CHECK_EQ_INT(orbat_ais_app_decode(m.b, m.nbits, &a), ORBAT_OK, "8/1/31 decodes");
    CHECK_EQ_INT(a.kind, ORBAT_AIS_APP_MET_289, "8/1/31 kind");
    CHECK_EQ_INT(a.u.met.airtemp, -1024, "8/1/31 airtemp n/a (signed)");
    CHECK_EQ_INT(a.u.met.wdir, 360, "8/1/31 wind dir n/a");
    CHECK_EQ_INT(a.u.met.waterlevel, 4001, "8/1/31 water level n/a");
    CHECK_EQ_INT(a.u.met.salinity, 510, "8/1/31 salinity n/a");

    /* 6/235/10 GLA AtoN monitoring: 274 * 0.05 V */
    m = from_payload(vectors[1].payload, vectors[1].pad);
    CHECK_EQ_INT(orbat_ais_app_decode(m.b, m.nbits, &a), ORBAT_OK, "6/235/10 decodes");
    CHECK_EQ_INT(a.kind, ORBAT_AIS_APP_GLA_ATON, "6/235/10 kind");
    CHECK_EQ_INT(a.u.aton.ana_int, 274, "6/235/10 analogue internal, raw 0.05 V");
    CHECK_EQ_INT(a.u.aton.racon, 2, "6/235/10 racon operational");
    CHECK_EQ_INT(a.data_bits, 48, "6/235/10 data bits");

    /* the same bits one bit longer: GLA requires exactly 136 bits */
    uint8_t buf[64];
    memset(buf, 0, sizeof buf);
    memcpy(buf, m.b, (m.nbits + 7) / 8);
    CHECK_EQ_INT(orbat_ais_app_decode(buf, m.nbits + 1, &a), ORBAT_E_UNSUPPORTED,
                 "6/235/10 with 137 bits is raw data, as in gpsd");
    CHECK_EQ_INT(a.kind, ORBAT_AIS_APP_RAW, "raw kind");
    CHECK_EQ_INT(a.dac, 235, "raw keeps dac");
    CHECK_EQ_INT(a.data_bits, 49, "raw data bit count");

    /* unknown DAC/FI */
    m = from_payload(vectors[0].payload, vectors[0].pad);
    CHECK_EQ_INT(orbat_ais_app_decode(m.b, m.nbits, &a), ORBAT_E_UNSUPPORTED,
                 "6/669/11 is not decoded");
    CHECK_EQ_INT(a.dac, 669, "6/669/11 dac");
    CHECK_EQ_INT(a.fid, 11, "6/669/11 fid");

    /* 8/200/10 inland static: ENI number text and ERI type code */
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        struct msgbuf t = from_payload(vectors[i].payload, vectors[i].pad);
        if (orbat_ais_app_decode(t.b, t.nbits, &a) != ORBAT_OK ||
            a.kind != ORBAT_AIS_APP_INLAND_STATIC)
            continue;
        CHECK_EQ_STR(a.u.inland.vin, "02103547", "8/200/10 ENI");
        CHECK_EQ_INT(a.u.inland.shiptype, 8010, "8/200/10 ERI ship type");
        CHECK_EQ_INT(a.u.inland.length, 390, "8/200/10 length in dm");
    }
}

/* Length and type rules, bounds. */
static void test_errors(void)
{
    struct orbat_ais_app a;
    uint8_t b[160];
    memset(b, 0, sizeof b);
    b[0] = 1 << 2; /* type 1 */
    CHECK_EQ_INT(orbat_ais_app_decode(b, 168, &a), ORBAT_E_UNSUPPORTED, "type 1 rejected");
    b[0] = 6 << 2;
    CHECK_EQ_INT(orbat_ais_app_decode(b, 87, &a), ORBAT_E_BITCOUNT, "type 6 below 88 bits");
    CHECK_EQ_INT(orbat_ais_app_decode(b, 1009, &a), ORBAT_E_BITCOUNT, "type 6 above 1008 bits");
    CHECK_EQ_INT(orbat_ais_app_decode(b, 88, &a), ORBAT_E_UNSUPPORTED, "type 6 dac 0 is raw");
    CHECK_EQ_INT(a.data_bits, 0, "88-bit type 6 has no data");
    b[0] = 8 << 2;
    CHECK_EQ_INT(orbat_ais_app_decode(b, 55, &a), ORBAT_E_BITCOUNT, "type 8 below 56 bits");
    CHECK_EQ_INT(orbat_ais_app_decode(b, 5, &a), ORBAT_E_BITCOUNT, "5 bits");
    CHECK_EQ_INT(orbat_ais_app_decode(NULL, 100, &a), ORBAT_E_INVAL, "NULL bits");
    CHECK_EQ_INT(orbat_ais_app_decode(b, 100, NULL), ORBAT_E_INVAL, "NULL out");

    /* 8/1/16 persons: 72 or 136 data bits only (Circ.236 / Circ.289) */
    b[6] = 0x40 | 16; /* dac 1 (bits 40..49 = 0000000001), fid 16 (50..55) */
    CHECK_EQ_INT(orbat_ais_app_decode(b, 56 + 136, &a), ORBAT_OK, "8/1/16 with 136 bits");
    CHECK_EQ_INT(a.kind, ORBAT_AIS_APP_PERSONS, "8/1/16 kind");
    CHECK_EQ_INT(orbat_ais_app_decode(b, 56 + 100, &a), ORBAT_E_UNSUPPORTED,
                 "8/1/16 with 100 bits is raw");

    /* the JSON tail writes nothing for types other than 6/8 or messages too
     * short for a DAC/FI, and caps over-long ones at 1008 bits */
    static struct outbuf tob;
    outbuf_init(&tob, -1);
    b[0] = 6 << 2;
    ais_json_app_tail(&tob, b, 80, false);
    CHECK_EQ_INT(tob.len, 0, "80-bit type 6: no tail");
    b[0] = 1 << 2;
    ais_json_app_tail(&tob, b, 168, false);
    CHECK_EQ_INT(tob.len, 0, "type 1: no tail");
    static uint8_t big[200];
    big[0] = 8 << 2;
    ais_json_app_tail(&tob, big, 1100, false);
    CHECK(tob.len == strlen(",\"data\":\"952:\"") + 952 / 4 &&
              memcmp(tob.buf, ",\"data\":\"952:", 13) == 0,
          "1100-bit type 8: data capped at 952 bits (%zu bytes)", tob.len);

    /* a message exactly as long as its buffer: ASan checks no read past */
    for (unsigned nbits = 56; nbits <= 1008; nbits += 37) {
        unsigned nbytes = (nbits + 7) / 8;
        uint8_t *p = malloc(nbytes);
        if (!p)
            return;
        memset(p, 0xa5, nbytes);
        p[0] = 8 << 2;
        p[5] = 0;
        p[6] = 0x40 | 17; /* dac 1, fid 17: targets read up to 122 bits past */
        struct outbuf *ob = malloc(sizeof *ob);
        if (ob) {
            outbuf_init(ob, -1);
            ais_json_app_tail(ob, p, nbits, true);
            CHECK(ob->len > 10 && ob->buf[0] == ',', "8/1/17 tail at %u bits", nbits);
            free(ob);
        }
        free(p);
    }
}

/* dbl_fixed (the writer's printf-free %.Nf) against snprintf, on the kinds
 * of values it formats and on edge cases (ties, negative zero, tiny). */
static void test_dbl_fixed(void)
{
    static struct outbuf ob;
    char want[64];
    unsigned bad = 0, n = 0;
    rng_state = 12345;
    const double divs[3] = {60000.0, 600000.0, 100.0};
    const unsigned decs[3] = {4, 6, 1};
    for (unsigned i = 0; i < 300000; i++) {
        unsigned k = i % 3;
        int32_t v = (int32_t)(rng() % 268435456u) - 134217728;
        double d = k == 2 ? (unsigned)((unsigned)v - 1000u) / divs[k] : v / divs[k];
        if (i % 7 == 0) /* exact decimal ties: x.5 at the last digit */
            d = (double)((v % 100000) * 2 + 1) / (2.0 * (k == 1 ? 1000000 : 10000));
        outbuf_init(&ob, -1);
        dbl_fixed(&ob, d, decs[k]);
        int w = snprintf(want, sizeof want, "%.*f", (int)decs[k], d);
        n++;
        if ((size_t)w != ob.len || memcmp(want, ob.buf, ob.len) != 0) {
            if (bad++ < 5)
                printf("# dbl_fixed %.17g: \"%.*s\" vs printf \"%s\"\n", d, (int)ob.len, ob.buf,
                       want);
        }
    }
    const double edge[] = {0.0, -0.0, -1e-9, 1e-300, -1e-300,     0.5,  1.5,
                           2.5, -2.5, 0.125, 0.375,  123456789.5, 1e15, -1.0 / 60000.0};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (unsigned dec = 0; dec <= 6; dec++) {
            outbuf_init(&ob, -1);
            dbl_fixed(&ob, edge[i], dec);
            int w = snprintf(want, sizeof want, "%.*f", (int)dec, edge[i]);
            n++;
            if ((size_t)w != ob.len || memcmp(want, ob.buf, ob.len) != 0) {
                if (bad++ < 10)
                    printf("# dbl_fixed %.17g dec %u: \"%.*s\" vs printf \"%s\"\n", edge[i], dec,
                           (int)ob.len, ob.buf, want);
            }
        }
    CHECK(bad == 0, "dbl_fixed equals printf %%.Nf on %u values (%u differ)", n, bad);
}

/* Quirks of gpsd 3.22 reproduced on purpose (docs/ais-apps.md). */
static void test_quirks(void)
{
    char line[4096];
    struct msgbuf m;
    memset(&m, 0, sizeof m);
    /* type 8, dac 1, fid 16, 72 data bits with persons = 5 at bit 55 */
    m.b[0] = 8 << 2;
    m.b[6] = 0x40 | 16; /* dac 1, fid 16; persons is bits 55..67 */
    m.b[8] = 5 << 4;    /* bits 64..67 = 0101: persons = 5 */
    m.nbits = 128;
    struct orbat_ais_app a;
    CHECK_EQ_INT(orbat_ais_app_decode(m.b, m.nbits, &a), ORBAT_OK, "8/1/16 Circ.236 decodes");
    CHECK_EQ_INT(a.u.persons.persons, 5, "decoder keeps the real persons count");
    gpsd_line(&m, 0, false, line, sizeof line);
    CHECK_EQ_STR(tail_of(line), ",\"persons\":0}", "gpsd 3.22 prints 0 persons for type 8");

    /* type 6 raw data keeps the fill bits of the last byte; type 8 clears */
    memset(&m, 0, sizeof m);
    m.b[0] = 6 << 2;
    m.b[11] = 0xff;
    m.nbits = 92;
    gpsd_line(&m, 0, false, line, sizeof line);
    CHECK_EQ_STR(tail_of(line), ",\"data\":\"4:ff\"}", "type 6 data: last byte unmasked");
    memset(&m, 0, sizeof m);
    m.b[0] = 8 << 2;
    m.b[7] = 0xff;
    m.nbits = 60;
    gpsd_line(&m, 0, false, line, sizeof line);
    CHECK_EQ_STR(tail_of(line), ",\"data\":\"4:f0\"}", "type 8 data: last byte masked");
}

int main(int argc, char **argv)
{
    if (argc > 3 && strncmp(argv[1], "--craft", 7) == 0)
        return run_craft(strtoul(argv[2], NULL, 10), (unsigned)strtoul(argv[3], NULL, 10),
                         strcmp(argv[1], "--craft-nofill") == 0);
    if (argc > 1 && strcmp(argv[1], "--tails") == 0)
        return run_tails(argc > 2 && strcmp(argv[2], "-s") == 0);
    test_vectors();
    test_decoder_fields();
    test_errors();
    test_quirks();
    test_dbl_fixed();
    return check_exit();
}
