/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_modes_commb.c - Comm-B (DF20/21 MB) inference: registers identified
 * when unambiguous, the candidate list (and no guess) when ambiguous,
 * resolution of 5,0 vs 6,0 with a reference state in both directions,
 * explicit decoding by register, and the no_commb option.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "orbat/modes.h"

static void decode_hex(const char *h, const struct orbat_modes_opts *o, struct orbat_modes_msg *m)
{
    uint8_t f[14];
    for (int i = 0; i < 14; i++) {
        unsigned x;
        sscanf(h + 2 * i, "%2x", &x);
        f[i] = (uint8_t)x;
    }
    enum orbat_err e = orbat_modes_decode(f, 14, o, m);
    CHECK(e == ORBAT_OK && (m->has & ORBAT_MODES_HAS_MB), "decode %s", h);
}

static void test_unique(void)
{
    static const struct {
        const char *hex;
        uint8_t bds;
    } cases[] = {
        {"A000083E202CC371C31DE0AA1CCF", 0x20}, {"A800178D10010080F50000D5893C", 0x10},
        {"A0000638FA81C10000000081A92F", 0x17}, {"A000029C85E42F313000007047D3", 0x40},
        {"A000139381951536E024D4CCF6B5", 0x50}, {"A00004128F39F91A7E27C46ADC21", 0x60},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct orbat_modes_msg m;
        decode_hex(cases[i].hex, NULL, &m);
        CHECK(m.commb.bds == cases[i].bds, "%s inferred BDS %s (want %s)", cases[i].hex,
              orbat_modes_bds_name(m.commb.bds), orbat_modes_bds_name(cases[i].bds));
    }
    struct orbat_modes_msg m;
    decode_hex("A000083E202CC371C31DE0AA1CCF", NULL, &m);
    CHECK((m.has & ORBAT_MODES_HAS_CALLSIGN) && strcmp(m.callsign, "KLM1017") == 0,
          "BDS 2,0 callsign copied to msg (%s)", m.callsign);
    decode_hex("A000139381951536E024D4CCF6B5", NULL, &m);
    CHECK((m.commb.has & ORBAT_MODES_CB_GS) && m.commb.gs_kt == 438 && m.commb.tas_kt == 424,
          "BDS 5,0 gs 438 tas 424");
    decode_hex("A000179F0000000000000019A524", NULL, &m);
    CHECK(m.commb.bds == 0 && m.commb.candidates == ORBAT_MODES_CAND_EMPTY, "empty MB");
}

static void test_ambiguous(void)
{
    struct orbat_modes_msg m;
    const uint8_t both = ORBAT_MODES_CAND_50 | ORBAT_MODES_CAND_60;
    decode_hex("A000029CFFBAA11E2004727281F1", NULL, &m);
    CHECK(m.commb.bds == 0 && m.commb.candidates == both && m.commb.has == 0,
          "5,0/6,0 ambiguous: no register claimed, both candidates listed");
    CHECK_EQ_INT(orbat_modes_commb_resolve(&m, NULL), 0, "no reference: still ambiguous");
    struct orbat_modes_commb_ref r = {.has_gs = true, .has_track = true, .has_alt = false};
    CHECK_EQ_INT(orbat_modes_commb_resolve(&m, &r), 0, "incomplete reference: still ambiguous");
    // Reference like the 5,0 reading (gs 240 kt, track 239).
    r = (struct orbat_modes_commb_ref){.has_gs = true,
                                       .has_track = true,
                                       .has_alt = true,
                                       .gs_kt = 240,
                                       .track_deg = 239,
                                       .alt_ft = 3300};
    CHECK_EQ_INT(orbat_modes_commb_resolve(&m, &r), 0x50, "reference near 5,0 -> 5,0");
    CHECK((m.commb.has & ORBAT_MODES_CB_TRUE_TRACK) && m.commb.candidates == ORBAT_MODES_CAND_50,
          "5,0 decoded after resolve");
    // Reference like the 6,0 reading (heading 359, ~314 kt TAS).
    decode_hex("A000029CFFBAA11E2004727281F1", NULL, &m);
    r.gs_kt = 315;
    r.track_deg = 359;
    CHECK_EQ_INT(orbat_modes_commb_resolve(&m, &r), 0x60, "reference near 6,0 -> 6,0");
    CHECK((m.commb.has & ORBAT_MODES_CB_IAS) && m.commb.ias_kt == 336, "6,0 ias 336");
    // no_commb: nothing inferred.
    struct orbat_modes_opts o = {.no_commb = true};
    decode_hex("A000083E202CC371C31DE0AA1CCF", &o, &m);
    CHECK(m.commb.bds == 0 && m.commb.candidates == 0 && !(m.has & ORBAT_MODES_HAS_CALLSIGN),
          "no_commb skips inference");
}

static void test_explicit(void)
{
    uint8_t mb[7] = {0x20, 0x2C, 0xC3, 0x71, 0xC3, 0x1D, 0xE0};
    struct orbat_modes_commb c;
    CHECK(orbat_modes_commb_decode(mb, 0x20, &c) == ORBAT_OK && strcmp(c.callsign, "KLM1017") == 0,
          "explicit BDS 2,0");
    CHECK_EQ_INT(orbat_modes_commb_decode(mb, 0x10, &c), ORBAT_E_RANGE, "not a 1,0 payload");
    CHECK_EQ_INT(orbat_modes_commb_decode(mb, 0x52, &c), ORBAT_E_UNSUPPORTED, "5,2 unsupported");
    CHECK(orbat_modes_commb_candidates(mb) & ORBAT_MODES_CAND_20, "candidates include 2,0");
}

// Bitwise CRC-24 remainder of a 112-bit frame (independent reference).
static uint32_t ref_syndrome(const uint8_t *d)
{
    uint32_t c = 0;
    for (int i = 0; i < 88; i++) {
        unsigned bit = (d[i / 8] >> (7 - i % 8)) & 1;
        unsigned top = (c >> 23) & 1;
        c = (c << 1) & 0xffffff;
        if (top ^ bit)
            c ^= 0xfff409;
    }
    return c ^ ((uint32_t)d[11] << 16 | (uint32_t)d[12] << 8 | d[13]);
}

// pyModeS sample DF20/21 files: 10,000 real Comm-B replies with the
// receiver-side ICAO address. AP recovery must give that address wherever
// the parity really is address/parity; the inference spread is printed.
static void test_pymodes_samples(void)
{
    const char *sh = getenv("SHARED");
    static const char *files[2] = {"sample_data_commb_df20.csv", "sample_data_commb_df21.csv"};
    long n = 0, ref_ok = 0, truth = 0, truth_ref = 0, uniq = 0, amb = 0, none = 0, empty = 0;
    long per_bds[8] = {0};
    for (int fi = 0; fi < 2; fi++) {
        char path[512];
        snprintf(path, sizeof path, "%s/testdata/adsb/captures/pymodes/%s",
                 sh && *sh ? sh : "../shared", files[fi]);
        FILE *f = fopen(path, "r");
        CHECK(f != NULL, "open %s", path);
        if (!f)
            continue;
        char line[256];
        while (fgets(line, sizeof line, f)) {
            char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
            if (!c2 || strlen(c2 + 1) < 28)
                continue;
            uint32_t icao = (uint32_t)strtoul(c1 + 1, NULL, 16);
            uint8_t fr[14];
            for (int i = 0; i < 14; i++) {
                unsigned x;
                sscanf(c2 + 1 + 2 * i, "%2x", &x);
                fr[i] = (uint8_t)x;
            }
            struct orbat_modes_msg m;
            if (orbat_modes_decode(fr, 14, NULL, &m) != ORBAT_OK)
                continue;
            n++;
            uint32_t r = ref_syndrome(fr);
            ref_ok += m.addr == r && m.addr_src == ORBAT_MODES_ADDR_AP;
            truth += m.addr == icao;
            truth_ref += r == icao;
            uint8_t cand = m.commb.candidates;
            if (cand == ORBAT_MODES_CAND_EMPTY)
                empty++;
            else if (m.commb.bds) {
                uniq++;
                for (int b = 0; b < 7; b++)
                    per_bds[b] += (cand >> b) & 1;
            } else if (cand)
                amb++;
            else
                none++;
        }
        fclose(f);
    }
    CHECK(n == 10000, "10000 sample Comm-B replies decoded (%ld)", n);
    CHECK(ref_ok == n, "AP address == bitwise CRC reference for all (%ld)", ref_ok);
    CHECK(truth == truth_ref && truth > 0,
          "AP address == receiver ICAO wherever the reference agrees (%ld of %ld)", truth, n);
    printf("# BDS inference: %ld unique (1,0 %ld; 1,7 %ld; 2,0 %ld; 3,0 %ld; 4,0 %ld; 5,0 %ld; "
           "6,0 %ld), %ld ambiguous, %ld no candidate, %ld empty\n",
           uniq, per_bds[0], per_bds[1], per_bds[2], per_bds[3], per_bds[4], per_bds[5], per_bds[6],
           amb, none, empty);
}

int main(void)
{
    test_pymodes_samples();
    test_unique();
    test_ambiguous();
    test_explicit();
    return check_exit();
}
