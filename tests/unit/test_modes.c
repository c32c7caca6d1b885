/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_modes.c - unit tests of the Mode S decoder core: CRC-24 against a
 * bitwise reference, 1-bit error repair (DF17/18 always when asked, DF11
 * only to known addresses, never in the DF field), altitude codes (Q-bit,
 * Gillham, metric), squawk, callsign charset, DF dispatch and error
 * returns, and the fields of the less common formats.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "orbat/modes.h"

static size_t unhex(const char *s, uint8_t *out)
{
    size_t n = strlen(s) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned x;
        sscanf(s + 2 * i, "%2x", &x);
        out[i] = (uint8_t)x;
    }
    return n;
}

// Bitwise CRC-24, generator 0x1FFF409 (Annex 10 Vol IV 3.1.2.3.3.1).
static uint32_t ref_crc(const uint8_t *d, size_t nbits)
{
    uint32_t c = 0;
    for (size_t i = 0; i < nbits; i++) {
        unsigned bit = (d[i / 8] >> (7 - i % 8)) & 1;
        unsigned top = (c >> 23) & 1;
        c = (c << 1) & 0xffffff;
        if (top ^ bit)
            c ^= 0xfff409;
    }
    return c;
}

static void test_crc(void)
{
    uint8_t f[14];
    unhex("8D406B902015A678D4D220AA4BDA", f);
    CHECK_EQ_INT(orbat_modes_crc_parity(f, 11), 0xAA4BDA,
                 "parity of EZY85MH ident (pyModeS crc_encode)");
    CHECK_EQ_INT(orbat_modes_crc_syndrome(f, 14), 0, "syndrome of a valid DF17 is 0");
    // Table-driven CRC equals the bitwise definition on pseudo-random data.
    uint32_t seed = 12345;
    int agree = 0;
    for (int t = 0; t < 1000; t++) {
        uint8_t d[11];
        for (int i = 0; i < 11; i++) {
            seed = seed * 1103515245u + 12345u;
            d[i] = (uint8_t)(seed >> 16);
        }
        size_t n = (t & 1) ? 11 : 4;
        agree += orbat_modes_crc_parity(d, n) == ref_crc(d, n * 8);
    }
    CHECK_EQ_INT(agree, 1000, "byte-wise table CRC == bitwise CRC (1000 random inputs)");
    // AP formats: syndrome is the address.
    uint8_t s[7];
    unhex("2A00516D492B80", s);
    CHECK_EQ_INT(orbat_modes_crc_syndrome(s, 7), 0x510af9, "DF5 address/parity");
    CHECK_EQ_INT(orbat_modes_crc_syndrome(s, 3), 0, "syndrome of <4 bytes is 0");
}

static void test_fix1(void)
{
    uint8_t good[14];
    unhex("8D406B902015A678D4D220AA4BDA", good);
    int found = 0, decoded = 0, df_untouched = 0;
    struct orbat_modes_opts fix = {.fix_1bit = true};
    for (unsigned bit = 1; bit <= 112; bit++) {
        uint8_t f[14];
        memcpy(f, good, 14);
        f[(bit - 1) / 8] ^= (uint8_t)(0x80 >> ((bit - 1) % 8));
        uint32_t syn = orbat_modes_crc_syndrome(f, 14);
        unsigned got = orbat_modes_crc_fix1(f, 14, syn);
        if (bit <= 5) {
            df_untouched += got == 0;
            continue;
        }
        found += got == bit;
        struct orbat_modes_msg m;
        enum orbat_err e = orbat_modes_decode(f, 14, &fix, &m);
        decoded += e == ORBAT_OK && m.crc_ok && m.fixed_bit == bit && m.crc == syn &&
                   memcmp(m.raw, good, 14) == 0 && strcmp(m.callsign, "EZY85MH") == 0;
    }
    CHECK_EQ_INT(found, 107, "every single-bit error in bits 6-112 located");
    CHECK_EQ_INT(decoded, 107, "decode with fix_1bit repairs and decodes all of them");
    CHECK_EQ_INT(df_untouched, 5, "bits 1-5 (DF) are never repaired");

    // Without the option the same frame is a CRC error, payload not decoded.
    uint8_t f[14];
    memcpy(f, good, 14);
    f[8] ^= 0x10;
    struct orbat_modes_msg m;
    CHECK_EQ_INT(orbat_modes_decode(f, 14, NULL, &m), ORBAT_E_CRC, "bad DF17 -> ORBAT_E_CRC");
    CHECK(!m.crc_ok && m.fixed_bit == 0 && !(m.has & ORBAT_MODES_HAS_CALLSIGN),
          "no repair, no payload by default");
    CHECK(m.df == 17 && m.addr == 0x406b90 && (m.has & ORBAT_MODES_HAS_ME) && m.tc == 4,
          "header still reported on CRC failure");
    struct orbat_modes_opts bad = {.decode_bad_crc = true};
    CHECK_EQ_INT(orbat_modes_decode(f, 14, &bad, &m), ORBAT_E_CRC, "decode_bad_crc still errs");
    CHECK(m.has & ORBAT_MODES_HAS_CALLSIGN, "decode_bad_crc decodes the payload");
    // Two flipped bits: nothing single explains a random double error at
    // these positions (syndromes differ), so no repair.
    f[12] ^= 0x01;
    CHECK(orbat_modes_decode(f, 14, &fix, &m) == ORBAT_E_CRC || m.fixed_bit != 0,
          "double error: rejected or (rarely) mis-repaired, never silently OK without fixed_bit");
}

static uint32_t known_addr;
static bool is_known(void *ctx, uint32_t a)
{
    (void)ctx;
    return a == known_addr;
}

static void test_df11(void)
{
    uint8_t f[7];
    struct orbat_modes_msg m;
    unhex("5D484FDEA248F5", f);
    CHECK_EQ_INT(orbat_modes_decode(f, 7, NULL, &m), ORBAT_OK, "DF11 SI6 ok");
    CHECK(m.crc_ok && m.cl == 1 && m.ic == 6 && m.addr == 0x484fde && m.ca == 5,
          "DF11: CL 1 IC 6 = SI6, AA 484fde, CA 5");
    // 1-bit repair on DF11 only to a known address.
    unhex("5DA039B46D7D81", f);
    f[4] ^= 0x40;
    struct orbat_modes_opts o = {.fix_1bit = true, .addr_known = is_known};
    known_addr = 0;
    CHECK_EQ_INT(orbat_modes_decode(f, 7, &o, &m), ORBAT_E_CRC, "DF11 unknown address: no fix");
    known_addr = 0xa039b4;
    CHECK_EQ_INT(orbat_modes_decode(f, 7, &o, &m), ORBAT_OK, "DF11 known address: fixed");
    CHECK(m.fixed_bit == 34 && m.addr == 0xa039b4 && m.addr_known, "DF11 fixed bit 34");
}

static void test_altitude(void)
{
    int32_t ft;
    bool metric;
    CHECK(orbat_modes_ac13_ft(4144, &ft, &metric) && ft == 25000 && !metric, "AC13 Q=1 25000");
    CHECK(!orbat_modes_ac13_ft(0, &ft, &metric), "AC13 0 = unavailable");
    // Gillham: 100-ft encoding; DF0 02E19CB02512C3 is 45000 ft with Q=0? it
    // uses Q=1; build Gillham codes from known Mode C pairs instead.
    CHECK(orbat_modes_gillham_ft(0x002, &ft) && ft == -1000, "gray 00000000010 = -1000");
    CHECK(!orbat_modes_gillham_ft(0x000, &ft), "gray all zero is illegal (C bits 0)");
    CHECK(!orbat_modes_gillham_ft(0x005, &ft), "gray C=101 -> n100 6 illegal");
    // AC13 with Q=0 goes through Gillham: C1 A1 C2 A2 C4 A4 M B1 Q B2 D2 B4 D4.
    // C1=0 C2=1 C4=0 (gray 010 -> n100 3), all others 0: gray500 = 0 -> -1300+300 = -1000.
    uint16_t ac = 1u << 10;
    CHECK(orbat_modes_ac13_ft(ac, &ft, &metric) && ft == -1000, "AC13 Gillham C2 = -1000 ft");
    CHECK(orbat_modes_ac12_ft(88, &ft) && ft == 0, "AC12 88 = 0 ft");
    CHECK(!orbat_modes_ac12_ft(0, &ft), "AC12 0 = unavailable");
    // Metric: 100 m -> 328 ft (rs1090 convention).
    uint16_t mac = (uint16_t)(((100u << 1) & 0x1f80u) | 0x40u | (100u & 0x3fu));
    CHECK(orbat_modes_ac13_ft(mac, &ft, &metric) && metric && ft == 328, "AC13 metric 100 m");
    // DF4 / DF20 altitude through the full decoder.
    uint8_t f[14];
    struct orbat_modes_msg m;
    unhex("20001718029FCD", f);
    CHECK(orbat_modes_decode(f, 7, NULL, &m) == ORBAT_OK && (m.has & ORBAT_MODES_HAS_ALT) &&
              m.alt_ft == 36000,
          "DF4 36000 ft");
    unhex("A000179F0000000000000019A524", f);
    CHECK(orbat_modes_decode(f, 14, NULL, &m) == ORBAT_OK && m.alt_ft == 36975,
          "DF20 36975 ft (25-ft step)");
}

static void test_squawk_callsign(void)
{
    // ID bits C1 A1 C2 A2 C4 A4 X B1 D1 B2 D2 B4 D4: A=7 (A1 A2 A4), rest 0 = 7000.
    uint16_t id = (1u << 11) | (1u << 9) | (1u << 7);
    CHECK_EQ_INT(orbat_modes_id13_squawk(id), 7000, "ID A1 A2 A4 = 7000");
    CHECK_EQ_INT(orbat_modes_id13_squawk(0x1fff & ~0x40u), 7777, "all bits but X = 7777");
    CHECK_EQ_INT(orbat_modes_id13_squawk(0), 0, "0000");
    uint8_t f[7];
    struct orbat_modes_msg m;
    unhex("2A00516D492B80", f);
    CHECK(orbat_modes_decode(f, 7, NULL, &m) == ORBAT_OK && m.squawk == 356 && m.fs == 2,
          "DF5 squawk 0356, FS 2");
    // Callsign: charset and trailing-space stripping; '#' for illegal codes.
    uint8_t cs[7] = {0};
    char out[9];
    // "AB" then six spaces: A=1 B=2 space=32.
    uint64_t w = 0;
    unsigned codes[8] = {1, 2, 32, 32, 32, 32, 32, 32};
    for (int i = 0; i < 8; i++)
        w = (w << 6) | codes[i];
    for (int i = 0; i < 6; i++)
        cs[i] = (uint8_t)(w >> (40 - 8 * i));
    CHECK(orbat_modes_callsign(cs, 0, out) && strcmp(out, "AB") == 0, "callsign AB stripped");
    codes[1] = 27; // no character
    w = 0;
    for (int i = 0; i < 8; i++)
        w = (w << 6) | codes[i];
    for (int i = 0; i < 6; i++)
        cs[i] = (uint8_t)(w >> (40 - 8 * i));
    CHECK(!orbat_modes_callsign(cs, 0, out) && strcmp(out, "A#") == 0, "illegal char -> #");
    // Bit offset 4 (unaligned) reads the same characters shifted by a nibble.
    uint8_t sh[7] = {0};
    for (int i = 0; i < 6; i++) {
        sh[i] |= (uint8_t)(cs[i] >> 4);
        sh[i + 1] |= (uint8_t)(cs[i] << 4);
    }
    CHECK(!orbat_modes_callsign(sh, 4, out) && strcmp(out, "A#") == 0, "unaligned callsign");
}

static void test_dispatch(void)
{
    uint8_t f[14] = {0};
    struct orbat_modes_msg m;
    CHECK_EQ_INT(orbat_modes_decode(NULL, 7, NULL, &m), ORBAT_E_TRUNCATED, "NULL frame");
    CHECK_EQ_INT(orbat_modes_decode(f, 6, NULL, &m), ORBAT_E_TRUNCATED, "6 bytes");
    CHECK_EQ_INT(orbat_modes_decode(f, 14, NULL, &m), ORBAT_E_BITCOUNT, "DF0 with 14 bytes");
    f[0] = 17 << 3;
    CHECK_EQ_INT(orbat_modes_decode(f, 7, NULL, &m), ORBAT_E_BITCOUNT, "DF17 with 7 bytes");
    for (unsigned df = 0; df < 32; df++) {
        f[0] = (uint8_t)(df << 3);
        size_t len = orbat_modes_frame_len(f[0]);
        enum orbat_err e = orbat_modes_decode(f, len, NULL, &m);
        bool known =
            df == 0 || df == 4 || df == 5 || df == 11 || (df >= 16 && df <= 21) || df >= 24;
        if (!known)
            CHECK(e == ORBAT_E_DF && m.df == df, "DF%u unknown -> ORBAT_E_DF", df);
        else
            CHECK(e != ORBAT_E_DF && m.df == (df >= 24 ? 24 : df), "DF%u recognised (%d)", df, e);
    }
    // DF19 is recognised, raw kept, counted by the caller.
    memset(f, 0xA5, 14);
    f[0] = (19 << 3) | 2;
    CHECK(orbat_modes_decode(f, 14, NULL, &m) == ORBAT_OK && (m.has & ORBAT_MODES_HAS_DF19) &&
              m.ca == 2 && memcmp(m.raw, f, 14) == 0,
          "DF19 AF2: recognised, raw kept");
    // DF0 ACAS fields.
    unhex("02E19CB02512C3", f);
    CHECK(orbat_modes_decode(f, 7, NULL, &m) == ORBAT_OK && m.vs == 0 && m.cc == 1 && m.sl == 7 &&
              m.ri == 3 && m.alt_ft == 45000 && m.addr == 0x0d097e &&
              m.addr_src == ORBAT_MODES_ADDR_AP,
          "DF0: VS0 CC1 SL7 RI3 45000 ft, AP address 0d097e");
    CHECK_EQ_STR(orbat_modes_bds_name(0x50), "5,0", "bds name 5,0");
    CHECK_EQ_STR(orbat_modes_bds_name(0x5f), "5,F", "bds name 5,F");
    CHECK_EQ_STR(orbat_modes_bds_name(0), "", "bds name none");
    CHECK_EQ_INT(orbat_modes_es_bds(19), 0x09, "TC19 is BDS 0,9");
}

static void test_es_misc(void)
{
    uint8_t f[14];
    struct orbat_modes_msg m;
    // TC28 subtype 1: squawk and emergency.
    unhex("8DA2C1B6E112B600000000760759", f);
    CHECK(orbat_modes_decode(f, 14, NULL, &m) == ORBAT_OK && m.squawk == 6513 &&
              m.emergency_state == 0 && (m.has & ORBAT_MODES_HAS_AIRCRAFT_STATUS),
          "TC28 st1 squawk 6513");
    // TC31 v2 airborne: HRD/cap class raw kept.
    unhex("8DACC040F8210002004AB8569C35", f);
    CHECK(orbat_modes_decode(f, 14, NULL, &m) == ORBAT_OK && m.version == 2 &&
              (m.has & ORBAT_MODES_HAS_OPSTATUS) && m.gva == 2 && m.sda == 2,
          "TC31 v2 opstatus");
    // Surface position with receiver reference gives a local position.
    unhex("903A23FF426A4E65F7487A775D17", f);
    struct orbat_modes_opts o = {.has_ref = true, .ref_lat = 43.63, .ref_lon = 1.37};
    CHECK(orbat_modes_decode(f, 14, &o, &m) == ORBAT_OK && (m.has & ORBAT_MODES_HAS_LATLON) &&
              m.cpr_surface && m.addr_type == ORBAT_MODES_AT_ADSB_ICAO_NT,
          "DF18 CF0 (non-transponder) surface local decode");
    // Velocity subtype 1: EW/NS components kept.
    unhex("8D485020994409940838175B284F", f);
    CHECK(orbat_modes_decode(f, 14, NULL, &m) == ORBAT_OK && (m.has & ORBAT_MODES_HAS_VEL_EWNS) &&
              m.vel_ew_kt == -8 && m.vel_ns_kt == -159,
          "velocity components -8 E, -159 N (%d %d)", m.vel_ew_kt, m.vel_ns_kt);
}

// Every field promised by a presence bit must be written by the decoder:
// decode each frame into structs pre-filled with two different patterns and
// compare the fields of every bit that is set (the struct is not zeroed).
#define FLD(f)                                                                                     \
    {                                                                                              \
        offsetof(struct orbat_modes_msg, f), sizeof(((struct orbat_modes_msg *)0)->f)              \
    }
struct fld {
    size_t off, size;
};
static const struct {
    uint64_t bit;
    struct fld f[4];
} has_fields[] = {
    {ORBAT_MODES_HAS_CA, {FLD(ca)}},
    {ORBAT_MODES_HAS_CF, {FLD(cf), FLD(imf)}},
    {ORBAT_MODES_HAS_FS, {FLD(fs)}},
    {ORBAT_MODES_HAS_DR, {FLD(dr), FLD(um)}},
    {ORBAT_MODES_HAS_VS, {FLD(vs), FLD(cc), FLD(sl), FLD(ri)}},
    {ORBAT_MODES_HAS_IID, {FLD(ic), FLD(cl)}},
    {ORBAT_MODES_HAS_ALT, {FLD(alt_ft), FLD(alt_gnss), FLD(alt_metric), FLD(ac13)}},
    {ORBAT_MODES_HAS_SQUAWK, {FLD(squawk), FLD(id13)}},
    {ORBAT_MODES_HAS_ME, {FLD(tc), FLD(st)}},
    {ORBAT_MODES_HAS_CALLSIGN, {FLD(callsign)}},
    {ORBAT_MODES_HAS_CATEGORY, {FLD(category), FLD(category_set)}},
    {ORBAT_MODES_HAS_CPR, {FLD(cpr_odd), FLD(cpr_lat), FLD(cpr_lon), FLD(cpr_surface)}},
    {ORBAT_MODES_HAS_LATLON, {FLD(lat), FLD(lon)}},
    {ORBAT_MODES_HAS_NUC_P, {FLD(nuc_p)}},
    {ORBAT_MODES_HAS_MOVEMENT, {FLD(movement), FLD(track_status)}},
    {ORBAT_MODES_HAS_GS, {FLD(gs_kt)}},
    {ORBAT_MODES_HAS_TRACK, {FLD(track_deg)}},
    {ORBAT_MODES_HAS_VEL_EWNS, {FLD(vel_ew_kt), FLD(vel_ns_kt)}},
    {ORBAT_MODES_HAS_HEADING, {FLD(heading_deg), FLD(heading_true)}},
    {ORBAT_MODES_HAS_AIRSPEED, {FLD(airspeed_kt), FLD(airspeed_tas)}},
    {ORBAT_MODES_HAS_VR, {FLD(vr_fpm), FLD(vr_baro)}},
    {ORBAT_MODES_HAS_GEO_BARO, {FLD(geo_minus_baro_ft)}},
    {ORBAT_MODES_HAS_NAC_V, {FLD(nac_v)}},
    {ORBAT_MODES_HAS_EMERGENCY, {FLD(emergency_state)}},
    // Field by field: the struct has padding.
    {ORBAT_MODES_HAS_ACAS_RA, {FLD(ra.ara), FLD(ra.rac), FLD(ra.rat), FLD(ra.mte)}},
    {ORBAT_MODES_HAS_ACAS_RA, {FLD(ra.tti), FLD(ra.tid)}},
    {ORBAT_MODES_HAS_SEL_ALT, {FLD(sel_alt_ft), FLD(sel_alt_fms)}},
    {ORBAT_MODES_HAS_BARO_SET, {FLD(baro_setting_hpa)}},
    {ORBAT_MODES_HAS_SEL_HDG, {FLD(sel_heading_deg)}},
    {ORBAT_MODES_HAS_NAV_MODES, {FLD(nav_modes)}},
    {ORBAT_MODES_HAS_TCAS_OP, {FLD(nav_modes)}},
    {ORBAT_MODES_HAS_NAC_P, {FLD(nac_p)}},
    {ORBAT_MODES_HAS_NIC_BARO, {FLD(nic_baro)}},
    {ORBAT_MODES_HAS_SIL, {FLD(sil), FLD(sil_supp)}},
    {ORBAT_MODES_HAS_VERSION, {FLD(version)}},
    {ORBAT_MODES_HAS_NIC_SUPP, {FLD(nic_a)}},
    {ORBAT_MODES_HAS_NIC_B, {FLD(nic_b)}},
    {ORBAT_MODES_HAS_NIC_C, {FLD(nic_c)}},
    {ORBAT_MODES_HAS_GVA, {FLD(gva)}},
    {ORBAT_MODES_HAS_SDA, {FLD(sda)}},
    {ORBAT_MODES_HAS_OPSTATUS, {FLD(cap_class), FLD(op_mode), FLD(hrd), FLD(tah)}},
    {ORBAT_MODES_HAS_LEN_WIDTH, {FLD(len_width)}},
    {ORBAT_MODES_HAS_TSS_V1, {FLD(tss1_raw)}},
    {ORBAT_MODES_HAS_SS, {FLD(ss)}},
    {ORBAT_MODES_HAS_TIME_SYNC, {FLD(time_sync)}},
    {ORBAT_MODES_HAS_INTENT, {FLD(intent_change), FLD(ifr), FLD(supersonic)}},
    {ORBAT_MODES_HAS_MB, {FLD(commb.bds), FLD(commb.candidates), FLD(commb.has)}},
};

#define CFLD(f)                                                                                    \
    {                                                                                              \
        offsetof(struct orbat_modes_commb, f), sizeof(((struct orbat_modes_commb *)0)->f)          \
    }
static const struct {
    uint32_t bit;
    struct fld f[4];
} cb_fields[] = {
    {ORBAT_MODES_CB_BDS10,
     {CFLD(cap10_overlay), CFLD(cap10_acas), CFLD(cap10_subnet), CFLD(cap10_aic)}},
    {ORBAT_MODES_CB_BDS10,
     {CFLD(cap10_squitter), CFLD(cap10_acas_bits), CFLD(cap10_acas_rtca), CFLD(cap10_dte)}},
    {ORBAT_MODES_CB_BDS17, {CFLD(supported)}},
    {ORBAT_MODES_CB_CALLSIGN, {CFLD(callsign)}},
    {ORBAT_MODES_CB_RA, {CFLD(ra.ara), CFLD(ra.rac), CFLD(ra.tti), CFLD(ra.tid)}},
    {ORBAT_MODES_CB_SEL_ALT_MCP, {CFLD(sel_alt_mcp_ft)}},
    {ORBAT_MODES_CB_SEL_ALT_FMS, {CFLD(sel_alt_fms_ft)}},
    {ORBAT_MODES_CB_BARO_SET, {CFLD(baro_setting_hpa)}},
    {ORBAT_MODES_CB_TARGET_SRC, {CFLD(target_alt_src)}},
    {ORBAT_MODES_CB_ROLL, {CFLD(roll_deg)}},
    {ORBAT_MODES_CB_TRUE_TRACK, {CFLD(true_track_deg)}},
    {ORBAT_MODES_CB_GS, {CFLD(gs_kt)}},
    {ORBAT_MODES_CB_TRACK_RATE, {CFLD(track_rate_dps)}},
    {ORBAT_MODES_CB_TAS, {CFLD(tas_kt)}},
    {ORBAT_MODES_CB_MAG_HDG, {CFLD(mag_heading_deg)}},
    {ORBAT_MODES_CB_IAS, {CFLD(ias_kt)}},
    {ORBAT_MODES_CB_MACH, {CFLD(mach)}},
    {ORBAT_MODES_CB_VR_BARO, {CFLD(vr_baro_fpm)}},
    {ORBAT_MODES_CB_VR_INS, {CFLD(vr_ins_fpm)}},
};

static long init_bad;
static void check_init(const uint8_t *f, size_t len, const struct orbat_modes_opts *o)
{
    static struct orbat_modes_msg a, b;
    memset(&a, 0xAA, sizeof a);
    memset(&b, 0x55, sizeof b);
    enum orbat_err ea = orbat_modes_decode(f, len, o, &a);
    enum orbat_err eb = orbat_modes_decode(f, len, o, &b);
    if (ea != eb || a.has != b.has) {
        init_bad++;
        return;
    }
    // Always-written header.
    if (a.df != b.df || a.crc != b.crc || a.crc_ok != b.crc_ok || a.addr != b.addr ||
        a.fixed_bit != b.fixed_bit || a.addr_type != b.addr_type)
        init_bad++;
    if (a.has & ORBAT_MODES_HAS_MB) {
        if (a.commb.has != b.commb.has)
            init_bad++;
        for (size_t i = 0; i < sizeof cb_fields / sizeof cb_fields[0]; i++) {
            if (!(a.commb.has & cb_fields[i].bit))
                continue;
            for (int k = 0; k < 4 && cb_fields[i].f[k].size; k++) {
                const struct fld *x = &cb_fields[i].f[k];
                if (memcmp((char *)&a.commb + x->off, (char *)&b.commb + x->off, x->size)) {
                    if (init_bad < 5)
                        printf("# uninitialised Comm-B field under bit %zu\n", i);
                    init_bad++;
                }
            }
        }
    }
    for (size_t i = 0; i < sizeof has_fields / sizeof has_fields[0]; i++) {
        if (!(a.has & has_fields[i].bit))
            continue;
        for (int k = 0; k < 4 && has_fields[i].f[k].size; k++) {
            const struct fld *x = &has_fields[i].f[k];
            if (memcmp((char *)&a + x->off, (char *)&b + x->off, x->size) != 0) {
                if (init_bad < 5)
                    printf("# uninitialised field under has bit %zu (frame %02x%02x%02x%02x...)\n",
                           i, f[0], f[1], f[2], f[3]);
                init_bad++;
            }
        }
    }
}

static void test_init(void)
{
    const char *sh = getenv("SHARED");
    char path[512];
    snprintf(path, sizeof path, "%s/testdata/adsb/captures/ulss7_via_dump1090-mutability/ulss7.avr",
             sh && *sh ? sh : "../shared");
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL, "open %s", path);
    if (!fp)
        return;
    char line[128];
    long n = 0;
    struct orbat_modes_opts ref = {.has_ref = true, .ref_lat = 60, .ref_lon = 33};
    struct orbat_modes_opts bad = {.decode_bad_crc = true, .fix_1bit = true};
    while (fgets(line, sizeof line, fp)) {
        if (line[0] != '*')
            continue;
        uint8_t f[14];
        size_t len = strcspn(line + 1, ";") / 2;
        if (len != 7 && len != 14)
            continue;
        for (size_t i = 0; i < len; i++) {
            unsigned x;
            sscanf(line + 1 + 2 * i, "%2x", &x);
            f[i] = (uint8_t)x;
        }
        check_init(f, len, NULL);
        check_init(f, len, &ref);
        f[len - 1] ^= 0x5a; // corrupt the parity: error paths too
        check_init(f, len, &bad);
        n++;
    }
    fclose(fp);
    // Pseudo-random frames of every DF.
    uint32_t seed = 99;
    for (int t = 0; t < 20000; t++) {
        uint8_t f[14];
        for (int i = 0; i < 14; i++) {
            seed = seed * 1103515245u + 12345u;
            f[i] = (uint8_t)(seed >> 16);
        }
        check_init(f, orbat_modes_frame_len(f[0]), &bad);
    }
    CHECK(n == 8922 && init_bad == 0,
          "every field behind a set has-bit is written (%ld capture frames x3 + 20000 random, "
          "%ld bad)",
          n, init_bad);
}

// pyModeS sample: 2,000 real DF17 frames (2016) with address and TC
// columns. Every frame must pass parity with the right address and TC;
// even/odd pairs of one aircraft less than 10 s apart decode globally to
// positions that stay within 300 km of that aircraft's first fix.
static void test_pymodes_adsb(void)
{
    const char *sh = getenv("SHARED");
    char path[512];
    snprintf(path, sizeof path, "%s/testdata/adsb/captures/pymodes/sample_data_adsb.csv",
             sh && *sh ? sh : "../shared");
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL, "open %s", path);
    if (!fp)
        return;
    struct {
        uint32_t icao;
        bool have[2];
        uint32_t la[2], lo[2];
        long t[2];
        bool fix;
        double lat0, lon0;
    } ac[64];
    int nac = 0;
    long n = 0, good = 0, pos = 0, near = 0;
    char line[256];
    while (fgets(line, sizeof line, fp)) {
        long t;
        char hex[40], icao_s[16];
        unsigned tc;
        if (sscanf(line, "%ld,\"%39[0-9A-Fa-f]\",\"%15[0-9A-Fa-f]\",%u", &t, hex, icao_s, &tc) != 4)
            continue;
        n++;
        uint8_t f[14];
        unhex(hex, f);
        uint32_t icao = (uint32_t)strtoul(icao_s, NULL, 16);
        struct orbat_modes_msg m;
        if (orbat_modes_decode(f, 14, NULL, &m) != ORBAT_OK)
            continue;
        good += m.crc_ok && m.addr == icao && m.tc == tc;
        if (!(m.has & ORBAT_MODES_HAS_CPR) || m.cpr_surface)
            continue;
        int k = 0;
        while (k < nac && ac[k].icao != icao)
            k++;
        if (k == nac) {
            if (nac == 64)
                continue;
            memset(&ac[nac], 0, sizeof ac[nac]);
            ac[nac++].icao = icao;
        }
        int o = m.cpr_odd;
        ac[k].have[o] = true;
        ac[k].la[o] = m.cpr_lat;
        ac[k].lo[o] = m.cpr_lon;
        ac[k].t[o] = t;
        if (!ac[k].have[!o] || labs(ac[k].t[o] - ac[k].t[!o]) > 10)
            continue;
        double lat, lon;
        if (orbat_modes_cpr_global_airborne(ac[k].la[0], ac[k].lo[0], ac[k].la[1], ac[k].lo[1], o,
                                            &lat, &lon) != ORBAT_OK)
            continue;
        pos++;
        if (!ac[k].fix) {
            ac[k].fix = true;
            ac[k].lat0 = lat;
            ac[k].lon0 = lon;
        }
        double r = 3.14159265358979 / 180;
        double a = sin((lat - ac[k].lat0) * r / 2), b = sin((lon - ac[k].lon0) * r / 2);
        double d = 2 * 6371.0 * asin(sqrt(a * a + cos(lat * r) * cos(ac[k].lat0 * r) * b * b));
        near += d < 300;
    }
    fclose(fp);
    CHECK(n == 2000 && good == n, "pyModeS sample: %ld of %ld frames with parity, address, TC",
          good, n);
    CHECK(pos > 500 && near == pos, "%ld global positions, %ld within 300 km of first fix", pos,
          near);
}

// DF18 frame with the given CF and ME, valid parity.
static void df18(uint8_t cf, const uint8_t me[7], uint8_t f[14])
{
    f[0] = (uint8_t)(18 << 3 | cf);
    f[1] = 0xab;
    f[2] = 0xcd;
    f[3] = 0xef;
    memcpy(f + 4, me, 7);
    uint32_t p = orbat_modes_crc_parity(f, 11);
    f[11] = (uint8_t)(p >> 16);
    f[12] = (uint8_t)(p >> 8);
    f[13] = (uint8_t)p;
}

static void test_df18_addr_types(void)
{
    uint8_t f[14];
    struct orbat_modes_msg m;
    // TC11 airborne position, ME bit 8 (IMF) = 1: 0x59 = 01011 001.
    static const uint8_t pos_imf[7] = {0x59, 0x80, 0x00, 0x12, 0x34, 0x56, 0x78};
    static const uint8_t pos[7] = {0x58, 0x80, 0x00, 0x12, 0x34, 0x56, 0x78};
    // TC19 st1 with ME bit 9 (IMF / intent change) = 1.
    static const uint8_t vel_imf[7] = {0x99, 0x80, 0x10, 0x20, 0x30, 0x04, 0x00};
    static const struct {
        uint8_t cf;
        const uint8_t *me;
        uint8_t type;
        const char *name;
    } c[] = {
        {0, pos, ORBAT_MODES_AT_ADSB_ICAO_NT, "ADS-B"},
        {1, pos, ORBAT_MODES_AT_ADSB_OTHER, "ADS-B"},
        {2, pos, ORBAT_MODES_AT_TISB_ICAO, "TIS-B"},
        {2, pos_imf, ORBAT_MODES_AT_TISB_TRACKFILE, "TIS-B"},
        {3, pos, ORBAT_MODES_AT_TISB_ICAO, "TIS-B"},
        {3, pos_imf, ORBAT_MODES_AT_TISB_ICAO, "TIS-B"}, // CF3: IMF is ME bit 1, 0 here
        {5, pos, ORBAT_MODES_AT_TISB_OTHER, "TIS-B"},
        {6, pos, ORBAT_MODES_AT_ADSR_ICAO, "ADS-R"},
        {6, pos_imf, ORBAT_MODES_AT_ADSR_OTHER, "ADS-R"},
        {6, vel_imf, ORBAT_MODES_AT_ADSR_OTHER, "ADS-R"},
        {7, pos, ORBAT_MODES_AT_UNKNOWN, "unknown"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        df18(c[i].cf, c[i].me, f);
        enum orbat_err e = orbat_modes_decode(f, 14, NULL, &m);
        CHECK(e == ORBAT_OK && m.addr == 0xabcdef && m.cf == c[i].cf && m.addr_type == c[i].type &&
                  strcmp(orbat_modes_addr_type_name(m.addr_type), c[i].name) == 0,
              "DF18 CF%u case %zu: addr type %u (%s)", c[i].cf, i, m.addr_type,
              orbat_modes_addr_type_name(m.addr_type));
    }
    // CF3 with ME bit 1 set: coarse TIS-B track file.
    const uint8_t coarse[7] = {0x80, 0, 0, 0, 0, 0, 0};
    df18(3, coarse, f);
    CHECK(orbat_modes_decode(f, 14, NULL, &m) == ORBAT_OK &&
              m.addr_type == ORBAT_MODES_AT_TISB_TRACKFILE && !(m.has & ORBAT_MODES_HAS_CPR),
          "DF18 CF3 IMF=1: track file, coarse format not decoded");
    // NIC-B is the IMF for CF2/CF6 and not reported there.
    df18(2, pos_imf, f);
    CHECK(orbat_modes_decode(f, 14, NULL, &m) == ORBAT_OK && !(m.has & ORBAT_MODES_HAS_NIC_B) &&
              (m.has & ORBAT_MODES_HAS_CPR),
          "TIS-B position: bit 8 is IMF, no NIC-B");
    df18(0, pos_imf, f);
    CHECK(orbat_modes_decode(f, 14, NULL, &m) == ORBAT_OK && (m.has & ORBAT_MODES_HAS_NIC_B) &&
              m.nic_b == 1,
          "CF0 position: bit 8 is NIC-B");
}

int main(void)
{
    test_df18_addr_types();
    test_pymodes_adsb();
    test_init();
    test_crc();
    test_fix1();
    test_df11();
    test_altitude();
    test_squawk_callsign();
    test_dispatch();
    test_es_misc();
    return check_exit();
}
