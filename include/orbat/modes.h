/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes.h - public API of the Mode S / ADS-B decoder (pure: no globals, no
 * I/O, no malloc). Decodes one 56- or 112-bit Mode S reply (ICAO Annex 10
 * Vol IV ch. 3.1.2, DO-181E) including 1090ES ADS-B messages (DO-260B
 * section 2.2.3), Comm-B registers (ICAO Doc 9871) and CPR positions
 * (DO-260B appendix A).
 *
 * Conventions
 * - The caller owns every struct; the decoder only writes into them.
 * - A field of struct orbat_modes_msg is meaningful only when its
 *   ORBAT_MODES_HAS_* bit is set in ->has (Comm-B: ORBAT_MODES_CB_* in
 *   ->commb.has). Fields without a bit set are NOT zeroed (speed): never
 *   read them. Spec "not available" codes leave the bit clear.
 * - Raw spec values are kept beside decoded ones (ac13, id13, cpr_lat ...).
 *   Decoded units are written into the names: _ft, _kt, _deg, _fpm, _hpa.
 * - Field names map onto ../shared/testdata/adsb/SOURCES.md; conventions
 *   follow dump1090-fa where sources disagree (see docs/modes.md).
 * - Stable API: later changes only append fields, bits and functions.
 */
#ifndef ORBAT_MODES_H
#define ORBAT_MODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ORBAT_MODES_SHORT_LEN 7  /* 56-bit reply, bytes */
#define ORBAT_MODES_LONG_LEN  14 /* 112-bit reply, bytes */

/* Where ->addr came from. */
enum orbat_modes_addr_src {
    ORBAT_MODES_ADDR_AA = 0, /* AA field in clear (DF11/17/18) */
    ORBAT_MODES_ADDR_AP = 1, /* recovered from address/parity = CRC remainder
                                (DF0/4/5/16/20/21/24): unverified unless the
                                caller knows the address */
};

/* Kind of address/originator (dump1090-fa addrtype_t names). */
enum orbat_modes_addr_type {
    ORBAT_MODES_AT_ADSB_ICAO = 0,  /* DF17 */
    ORBAT_MODES_AT_ADSB_ICAO_NT,   /* DF18 CF0: non-transponder ADS-B, ICAO address */
    ORBAT_MODES_AT_ADSR_ICAO,      /* DF18 CF6 IMF0: ADS-R rebroadcast, ICAO address */
    ORBAT_MODES_AT_TISB_ICAO,      /* DF18 CF2/CF3 IMF0: TIS-B, ICAO address */
    ORBAT_MODES_AT_ADSB_OTHER,     /* DF18 CF1: non-ICAO (anonymous/self-assigned) */
    ORBAT_MODES_AT_ADSR_OTHER,     /* DF18 CF6 IMF1: ADS-R, non-ICAO address */
    ORBAT_MODES_AT_TISB_TRACKFILE, /* DF18 CF2/CF3 IMF1: TIS-B track file number */
    ORBAT_MODES_AT_TISB_OTHER,     /* DF18 CF5 (TIS-B, non-ICAO) */
    ORBAT_MODES_AT_MODE_S,         /* DF0/4/5/11/16/20/21/24 surveillance */
    ORBAT_MODES_AT_UNKNOWN,        /* DF18 CF4/CF7, DF19 */
};

/* Presence bits for struct orbat_modes_msg (->has). */
#define ORBAT_MODES_HAS_CA              (1ull << 0)  /* ca (DF11/17) */
#define ORBAT_MODES_HAS_CF              (1ull << 1)  /* cf (DF18), imf */
#define ORBAT_MODES_HAS_FS              (1ull << 2)  /* fs (DF4/5/20/21) */
#define ORBAT_MODES_HAS_DR              (1ull << 3)  /* dr, um, um_iis, um_ids (DF4/5/20/21) */
#define ORBAT_MODES_HAS_VS              (1ull << 4)  /* vs, cc, sl, ri (DF0/16; cc DF0 only) */
#define ORBAT_MODES_HAS_IID             (1ull << 5)  /* ic, cl (DF11): interrogator code */
#define ORBAT_MODES_HAS_ALT             (1ull << 6)  /* alt_ft (+ alt_gnss; ac13 when from AC) */
#define ORBAT_MODES_HAS_SQUAWK          (1ull << 7)  /* squawk, id13 */
#define ORBAT_MODES_HAS_ME              (1ull << 8)  /* tc, st valid: an extended squitter ME */
#define ORBAT_MODES_HAS_MB              (1ull << 9)  /* DF20/21 MB: see ->commb */
#define ORBAT_MODES_HAS_CALLSIGN        (1ull << 10) /* callsign (TC1-4 or BDS 2,0) */
#define ORBAT_MODES_HAS_CATEGORY        (1ull << 11) /* category, category_set */
#define ORBAT_MODES_HAS_CPR             (1ull << 12) /* cpr_odd, cpr_lat, cpr_lon, cpr_surface */
#define ORBAT_MODES_HAS_LATLON          (1ull << 13) /* lat, lon: locally decoded vs opts->ref */
#define ORBAT_MODES_HAS_NUC_P           (1ull << 14) /* nuc_p (from TC) */
#define ORBAT_MODES_HAS_MOVEMENT        (1ull << 15) /* movement (raw code; gs_kt when valid) */
#define ORBAT_MODES_HAS_GS              (1ull << 16) /* gs_kt */
#define ORBAT_MODES_HAS_TRACK           (1ull << 17) /* track_deg (true) */
#define ORBAT_MODES_HAS_VEL_EWNS        (1ull << 18) /* vel_ew_kt, vel_ns_kt */
#define ORBAT_MODES_HAS_HEADING         (1ull << 19) /* heading_deg (+ heading_true) */
#define ORBAT_MODES_HAS_AIRSPEED        (1ull << 20) /* airspeed_kt, airspeed_tas */
#define ORBAT_MODES_HAS_VR              (1ull << 21) /* vr_fpm, vr_baro */
#define ORBAT_MODES_HAS_GEO_BARO        (1ull << 22) /* geo_minus_baro_ft */
#define ORBAT_MODES_HAS_NAC_V           (1ull << 23) /* nac_v (NUCr in v0) */
#define ORBAT_MODES_HAS_EMERGENCY       (1ull << 24) /* emergency_state (TC28 st1) */
#define ORBAT_MODES_HAS_ACAS_RA         (1ull << 25) /* ra (TC28 st2 or BDS 3,0) */
#define ORBAT_MODES_HAS_SEL_ALT         (1ull << 26) /* sel_alt_ft, sel_alt_fms (TC29) */
#define ORBAT_MODES_HAS_BARO_SET        (1ull << 27) /* baro_setting_hpa (TC29) */
#define ORBAT_MODES_HAS_SEL_HDG         (1ull << 28) /* sel_heading_deg (TC29) */
#define ORBAT_MODES_HAS_NAV_MODES       (1ull << 29) /* nav_modes (ORBAT_MODES_NAV_*) */
#define ORBAT_MODES_HAS_NAC_P           (1ull << 30) /* nac_p (TC29, TC31) */
#define ORBAT_MODES_HAS_NIC_BARO        (1ull << 31) /* nic_baro (TC29, TC31) */
#define ORBAT_MODES_HAS_SIL             (1ull << 32) /* sil, sil_supp (TC29 v2, TC31) */
#define ORBAT_MODES_HAS_VERSION         (1ull << 33) /* version (TC31) */
#define ORBAT_MODES_HAS_NIC_SUPP        (1ull << 34) /* nic_a (TC31 v1/v2) */
#define ORBAT_MODES_HAS_GVA             (1ull << 35) /* gva (TC31 v2 airborne) */
#define ORBAT_MODES_HAS_SDA             (1ull << 36) /* sda (TC31 v2) */
#define ORBAT_MODES_HAS_OPSTATUS        (1ull << 37) /* cap_class, op_mode, hrd, tah (TC31) */
#define ORBAT_MODES_HAS_LEN_WIDTH       (1ull << 38) /* len_width code (TC31 surface) */
#define ORBAT_MODES_HAS_TSS_V1          (1ull << 39) /* tss1_raw: TC29 subtype 0 (DO-260A) */
#define ORBAT_MODES_HAS_SS              (1ull << 40) /* ss (surveillance status, TC9-18/20-22) */
#define ORBAT_MODES_HAS_TIME_SYNC       (1ull << 41) /* time_sync (T flag, TC9-18/20-22) */
#define ORBAT_MODES_HAS_INTENT          (1ull << 42) /* intent_change, ifr (TC19) */
#define ORBAT_MODES_HAS_DF19            (1ull << 43) /* DF19 military: AF in ca, frame in raw */
#define ORBAT_MODES_HAS_DF24            (1ull << 44) /* DF24 Comm-D ELM: recognised only */
#define ORBAT_MODES_HAS_AIRCRAFT_STATUS (1ull << 45) /* TC28 subtype 1 (squawk + emergency) */
/* nav_modes & NAV_TCAS is meaningful (TC29 v2: not qualified by the mode-status bit) */
#define ORBAT_MODES_HAS_TCAS_OP (1ull << 46)
/* nic_b (TC9-18/20-22; not for TIS-B/ADS-R, where the bit is the IMF) */
#define ORBAT_MODES_HAS_NIC_B (1ull << 47)
#define ORBAT_MODES_HAS_NIC_C (1ull << 48) /* nic_c (TC31 surface, v2) */

/* TC29 nav mode bits (->nav_modes), DO-260B 2.2.3.2.7.1.3.9-.13. */
#define ORBAT_MODES_NAV_AUTOPILOT (1u << 0)
#define ORBAT_MODES_NAV_VNAV      (1u << 1)
#define ORBAT_MODES_NAV_ALT_HOLD  (1u << 2)
#define ORBAT_MODES_NAV_APPROACH  (1u << 3)
#define ORBAT_MODES_NAV_LNAV      (1u << 4)
#define ORBAT_MODES_NAV_TCAS      (1u << 5) /* TCAS/ACAS operational */

/* Comm-B registers (BDS x,y as 0xXY) and their candidate bits. */
#define ORBAT_MODES_BDS_10 0x10 /* data link capability */
#define ORBAT_MODES_BDS_17 0x17 /* common-usage GICB capability */
#define ORBAT_MODES_BDS_20 0x20 /* aircraft identification */
#define ORBAT_MODES_BDS_30 0x30 /* ACAS active resolution advisory */
#define ORBAT_MODES_BDS_40 0x40 /* selected vertical intention */
#define ORBAT_MODES_BDS_50 0x50 /* track and turn report */
#define ORBAT_MODES_BDS_60 0x60 /* heading and speed report */
#define ORBAT_MODES_BDS_44 0x44 /* meteorological routine (decode on request only) */
#define ORBAT_MODES_BDS_45 0x45 /* meteorological hazard (decode on request only) */
#define ORBAT_MODES_BDS_21 0x21 /* aircraft registration (decode on request only) */

#define ORBAT_MODES_CAND_10    (1u << 0)
#define ORBAT_MODES_CAND_17    (1u << 1)
#define ORBAT_MODES_CAND_20    (1u << 2)
#define ORBAT_MODES_CAND_30    (1u << 3)
#define ORBAT_MODES_CAND_40    (1u << 4)
#define ORBAT_MODES_CAND_50    (1u << 5)
#define ORBAT_MODES_CAND_60    (1u << 6)
#define ORBAT_MODES_CAND_EMPTY (1u << 7) /* MB all zero: nothing to infer */

/* Comm-B presence bits (->commb.has). */
#define ORBAT_MODES_CB_BDS10        (1u << 0)  /* cap10_* fields */
#define ORBAT_MODES_CB_BDS17        (1u << 1)  /* supported (24-bit mask, MSB = BDS 0,5) */
#define ORBAT_MODES_CB_CALLSIGN     (1u << 2)  /* callsign (BDS 2,0) */
#define ORBAT_MODES_CB_RA           (1u << 3)  /* ra (BDS 3,0) */
#define ORBAT_MODES_CB_SEL_ALT_MCP  (1u << 4)  /* sel_alt_mcp_ft (BDS 4,0) */
#define ORBAT_MODES_CB_SEL_ALT_FMS  (1u << 5)  /* sel_alt_fms_ft (BDS 4,0) */
#define ORBAT_MODES_CB_BARO_SET     (1u << 6)  /* baro_setting_hpa (BDS 4,0) */
#define ORBAT_MODES_CB_ROLL         (1u << 7)  /* roll_deg (BDS 5,0) */
#define ORBAT_MODES_CB_TRUE_TRACK   (1u << 8)  /* true_track_deg (BDS 5,0) */
#define ORBAT_MODES_CB_GS           (1u << 9)  /* gs_kt (BDS 5,0) */
#define ORBAT_MODES_CB_TRACK_RATE   (1u << 10) /* track_rate_dps (BDS 5,0) */
#define ORBAT_MODES_CB_TAS          (1u << 11) /* tas_kt (BDS 5,0) */
#define ORBAT_MODES_CB_MAG_HDG      (1u << 12) /* mag_heading_deg (BDS 6,0) */
#define ORBAT_MODES_CB_IAS          (1u << 13) /* ias_kt (BDS 6,0) */
#define ORBAT_MODES_CB_MACH         (1u << 14) /* mach (BDS 6,0) */
#define ORBAT_MODES_CB_VR_BARO      (1u << 15) /* vr_baro_fpm (BDS 6,0) */
#define ORBAT_MODES_CB_VR_INS       (1u << 16) /* vr_ins_fpm (BDS 6,0) */
#define ORBAT_MODES_CB_WIND         (1u << 17) /* wind_kt, wind_dir_deg (BDS 4,4) */
#define ORBAT_MODES_CB_SAT          (1u << 18) /* sat_c (BDS 4,4 or 4,5) */
#define ORBAT_MODES_CB_REGISTRATION (1u << 19) /* registration (BDS 2,1) */
#define ORBAT_MODES_CB_TARGET_SRC   (1u << 20) /* target_alt_src (BDS 4,0) */

/* ACAS resolution advisory (TC28 subtype 2, BDS 3,0): raw fields,
 * DO-185B / Annex 10 Vol IV 4.3.8.4.2.2. */
struct orbat_modes_ra {
    uint16_t ara; /* 14-bit active resolution advisories */
    uint8_t rac;  /* 4-bit RA complement record */
    uint8_t rat;  /* RA terminated */
    uint8_t mte;  /* multiple threat encounter */
    uint8_t tti;  /* threat type indicator (0 none, 1 Mode S address, 2 alt/range/bearing) */
    uint32_t tid; /* 26-bit threat identity data (address in the low 24 bits when tti 1) */
};

/* Comm-B (DF20/21 MB field) contents, ICAO Doc 9871 Appendix A. */
struct orbat_modes_commb {
    uint32_t has;       /* ORBAT_MODES_CB_* */
    uint8_t bds;        /* chosen register (0xXY), 0 = unknown/ambiguous */
    uint8_t candidates; /* ORBAT_MODES_CAND_* bits that passed plausibility */
    /* BDS 1,0 */
    uint8_t cap10_overlay;   /* continuation/overlay command capability bit */
    uint8_t cap10_acas;      /* bit 16: 1 = ACAS operating */
    uint8_t cap10_subnet;    /* Mode S subnetwork version number (7 bits) */
    uint8_t cap10_squitter;  /* squitter capability subfield */
    uint8_t cap10_aic;       /* aircraft identification capability */
    uint8_t cap10_acas_rtca; /* bits 39-40: 0 DO-185, 1 DO-185A, 2 DO-185B */
    uint8_t cap10_acas_bits; /* bits 37-38 raw: hybrid surveillance, RA generation */
    uint16_t cap10_dte;      /* bits 41-56 DTE status */
    uint8_t target_alt_src;  /* BDS 4,0 raw target altitude source (0..3) */
    uint32_t supported;      /* BDS 1,7: 24-bit GICB capability mask (bit 23 = 0,5) */
    struct orbat_modes_ra ra;
    int32_t sel_alt_mcp_ft; /* 16-ft LSB raw (pyModeS convention, not rounded) */
    int32_t sel_alt_fms_ft;
    float baro_setting_hpa; /* value + 800 hPa */
    float roll_deg;         /* right wing down positive */
    float true_track_deg;   /* 0..360 */
    float track_rate_dps;
    float mach;
    float mag_heading_deg; /* 0..360 */
    float sat_c;           /* static air temperature, deg C */
    float wind_dir_deg;
    uint16_t gs_kt;
    uint16_t tas_kt;
    uint16_t ias_kt;
    uint16_t wind_kt;
    int32_t vr_baro_fpm;
    int32_t vr_ins_fpm;
    char callsign[9];     /* BDS 2,0, trailing spaces stripped, NUL-terminated */
    char registration[9]; /* BDS 2,1 */
};

/* One decoded Mode S reply. Written by orbat_modes_decode(); see the file
 * comment for the ->has rules. 320 bytes; no pointers inside. */
struct orbat_modes_msg {
    uint64_t has;      /* ORBAT_MODES_HAS_* */
    uint32_t addr;     /* 24-bit address: AA, or CRC remainder for AP formats */
    uint32_t crc;      /* 24-bit CRC remainder of the frame AS RECEIVED */
    uint8_t raw[14];   /* the frame (after 1-bit correction when fixed_bit != 0) */
    uint8_t len;       /* 7 or 14 */
    uint8_t df;        /* downlink format 0..24 (24 for any frame starting 11) */
    bool crc_ok;       /* DF11: remainder < 0x80; DF17/18: remainder 0 (after fix);
                          AP formats: true (cannot be checked without the address) */
    uint8_t addr_src;  /* enum orbat_modes_addr_src */
    uint8_t addr_type; /* enum orbat_modes_addr_type */
    uint8_t fixed_bit; /* 0 none, else the 1-based bit number that 1-bit repair flipped */
    bool addr_known;   /* opts->addr_known said yes */
    /* surveillance / header fields */
    uint8_t ca;      /* capability (DF11/17), or AF for DF19 */
    uint8_t cf;      /* control field (DF18) */
    uint8_t imf;     /* DF18 CF2/3/6 IMF/address qualifier bit, raw */
    uint8_t fs;      /* flight status (DF4/5/20/21) */
    uint8_t dr;      /* downlink request */
    uint8_t um;      /* utility message (6 bits): um_iis = um >> 2, um_ids = um & 3 */
    uint8_t vs;      /* vertical status (DF0/16): 0 airborne, 1 ground */
    uint8_t cc;      /* cross-link capability (DF0) */
    uint8_t sl;      /* sensitivity level (DF0/16) */
    uint8_t ri;      /* reply information (DF0/16) */
    uint8_t ic;      /* DF11 interrogator code (II or SI number) */
    uint8_t cl;      /* DF11 code label: 0 = II, 1..4 = SI (ic + 16*(cl-1)) */
    uint16_t ac13;   /* raw 13-bit altitude code (DF0/4/16/20) or 12-bit AC (ES) */
    uint16_t id13;   /* raw 13-bit identity (DF5/21) or TC28 squawk code */
    uint16_t squawk; /* 4 octal digits written as a decimal number: 7700 */
    int32_t alt_ft;  /* barometric, or GNSS height when alt_gnss */
    bool alt_gnss;   /* altitude is GNSS (TC20-22) */
    bool alt_metric; /* M bit was set (value converted to ft) */
    /* extended squitter */
    uint8_t tc, st;       /* type code, subtype */
    uint8_t category;     /* emitter category 0-7 (TC1-4) */
    uint8_t category_set; /* 'A'..'D' (TC4 A .. TC1 D): "A1" = category_set, category */
    char callsign[9];     /* trailing spaces stripped, NUL-terminated */
    bool cpr_odd;         /* F flag: 0 even, 1 odd */
    bool cpr_surface;     /* CPR is a surface (TC5-8) encoding */
    uint8_t ss;           /* surveillance status */
    uint8_t nic_b;        /* NIC supplement B / single antenna flag (TC9-18) */
    bool time_sync;       /* T flag */
    uint8_t nuc_p;        /* NUCp from TC (v0 meaning) */
    uint32_t cpr_lat;     /* raw 17-bit */
    uint32_t cpr_lon;     /* raw 17-bit */
    double lat, lon;      /* deg; only with HAS_LATLON */
    uint8_t movement;     /* surface movement code 0-127 */
    uint8_t track_status; /* surface track valid bit */
    bool heading_true;    /* heading_deg is true (else magnetic / unknown) */
    bool airspeed_tas;    /* airspeed_kt is TAS (else IAS) */
    bool vr_baro;         /* vertical rate source: true = baro (ME bit 36 = 1) */
    bool supersonic;      /* velocity subtype 2/4 (x4 scale) */
    uint8_t intent_change;
    uint8_t ifr;
    uint8_t nac_v;
    float gs_kt;       /* ground speed (TC19 st1/2, surface movement) */
    float track_deg;   /* true track over ground, 0..360 */
    float heading_deg; /* 0..360 */
    int16_t vel_ew_kt; /* + east, velocity st1/2 */
    int16_t vel_ns_kt; /* + north */
    uint16_t airspeed_kt;
    int32_t vr_fpm;
    int32_t geo_minus_baro_ft;
    /* TC28 */
    uint8_t emergency_state; /* 0 none, 1 general, 2 lifeguard, 3 minfuel, 4 nordo, 5 unlawful, 6
                                downed */
    struct orbat_modes_ra ra;
    /* TC29 */
    uint8_t nav_modes;  /* ORBAT_MODES_NAV_* */
    bool sel_alt_fms;   /* false: MCP/FCU, true: FMS */
    int32_t sel_alt_ft; /* 32-ft LSB raw value (pyModeS), e.g. 16992 */
    float baro_setting_hpa;
    float sel_heading_deg;
    uint32_t tss1_raw; /* TC29 subtype 0: ME bits 8-51 packed raw (DO-260A 2.2.3.2.7.1) */
    /* integrity / status (TC29, TC31) */
    uint8_t version; /* ADS-B version 0..2 */
    uint8_t nac_p, nic_baro, sil, sil_supp, nic_a, nic_c, gva, sda, hrd, tah;
    uint8_t len_width;  /* TC31 surface L/W code */
    uint16_t cap_class; /* TC31 capability class codes, raw 16 bits */
    uint16_t op_mode;   /* TC31 operational mode codes, raw 16 bits */
    /* DF20/21 */
    struct orbat_modes_commb commb;
};

/* Decoder options. A zero-initialised struct (or NULL) gives the defaults. */
struct orbat_modes_opts {
    bool fix_1bit;       /* repair one flipped bit in DF11/17/18 when parity fails
                            (result reported in ->fixed_bit) */
    bool decode_bad_crc; /* decode ME/fields even when DF11/17/18 parity fails */
    bool no_commb;       /* skip Comm-B inference on DF20/21 */
    bool has_ref;        /* ref_lat/ref_lon hold the receiver position: single
                            CPR frames are locally decoded into lat/lon: the
                            position within half a zone of the reference (about
                            180 NM airborne, 45 NM surface). Only right when the
                            aircraft really is that close (receiver range). */
    double ref_lat, ref_lon;
    /* Optional: does the caller already know this address (e.g. seen in a
     * DF11/17 with good parity)? Called at most twice per frame; sets
     * ->addr_known. Also gates fix_1bit on DF11 (only repairs to known
     * addresses). ctx is passed through untouched. */
    bool (*addr_known)(void *ctx, uint32_t addr);
    void *addr_ctx;
};

/* Decode one Mode S reply of `len` bytes (7 or 14) into `out` (caller-owned,
 * need not be initialised). Returns
 *   ORBAT_OK            decoded; crc_ok true or an AP format
 *   ORBAT_E_CRC         DF11/17/18 parity failure (header fields and crc set;
 *                       payload decoded only with opts->decode_bad_crc)
 *   ORBAT_E_BITCOUNT    len does not match the DF (short DF with 14 bytes etc.)
 *   ORBAT_E_TRUNCATED   len not 7/14, or frame NULL
 *   ORBAT_E_DF          unknown downlink format (1-3, 6-10, 12-15, 22, 23):
 *                       df and crc are set, nothing else
 * Unsupported ME type codes are not errors: tc/st are reported, nothing else. */
enum orbat_err orbat_modes_decode(const uint8_t *frame, size_t len,
                                  const struct orbat_modes_opts *opts,
                                  struct orbat_modes_msg *out) ORBAT_WARN_UNUSED;

/* Expected frame length in bytes for a first byte: 14 for DF16-24 and DF≥24,
 * 7 otherwise (dump1090 modesMessageLenByType). */
size_t orbat_modes_frame_len(uint8_t first_byte);

/* Comm-B register equivalent of an ES type code ("bds" in SOURCES.md):
 * TC1-4 0x08, 5-8 0x06, 9-18/20-22 0x05, 19 0x09, 28 0x61, 29 0x62,
 * 31 0x65; 0 otherwise. */
uint8_t orbat_modes_es_bds(uint8_t tc);

/* --- CRC-24 (Annex 10 Vol IV 3.1.2.3.3, generator 0x1FFF409) ------------ */

/* CRC-24 parity over `n` bytes (the data part: 4 or 11 bytes of a frame). */
uint32_t orbat_modes_crc_parity(const uint8_t *data, size_t n);
/* Remainder of a whole frame (len 7 or 14): parity of data XOR the last 24
 * bits. 0 for a valid DF17; the address for AP formats. */
uint32_t orbat_modes_crc_syndrome(const uint8_t *frame, size_t len);
/* Find the single bit whose flip makes the syndrome zero. Returns the
 * 1-based bit number (1..len*8) or 0 when no single flip explains it. */
unsigned orbat_modes_crc_fix1(const uint8_t *frame, size_t len, uint32_t syndrome);

/* --- Field codes (Annex 10 Vol IV 3.1.2.6.5.4, 3.1.2.6.7.1) ------------- */

/* 13-bit AC field (M bit 7, Q bit 9 of the 13) to feet; false when not
 * available (all zero) or an illegal Gillham code. *metric set from M. */
bool orbat_modes_ac13_ft(uint16_t ac13, int32_t *ft, bool *metric);
/* 12-bit ES altitude (DO-260B 2.2.3.2.3.4: Q bit is bit 8 of 12). */
bool orbat_modes_ac12_ft(uint16_t ac12, int32_t *ft);
/* Gillham (Mode C) code given as the 11 bits D2 D4 A1 A2 A4 B1 B2 B4 C1 C2 C4
 * (MSB first) to feet; false when illegal. */
bool orbat_modes_gillham_ft(uint16_t gray11, int32_t *ft);
/* 13-bit ID field to the squawk as a decimal number of octal digits. */
uint16_t orbat_modes_id13_squawk(uint16_t id13);
/* Decode 8 six-bit characters (48 bits, MSB first in `p` starting at bit
 * offset `bitoff` 0-based) with the ICAO/AIS charset; trailing spaces
 * stripped; out is 9 bytes. Returns false when a character is invalid
 * (written as '#'). */
bool orbat_modes_callsign(const uint8_t *p, unsigned bitoff, char out[9]);

/* --- CPR (DO-260B appendix A, A.1.7) ------------------------------------ */

/* Number of longitude zones NL(lat), 1..59. */
int orbat_modes_cpr_nl(double lat);
/* Global airborne decode of an even/odd pair of raw 17-bit values. odd_newest
 * picks which frame's position is returned. ORBAT_E_CPR when the pair spans
 * a zone boundary or the latitude is out of range. */
enum orbat_err orbat_modes_cpr_global_airborne(uint32_t even_lat, uint32_t even_lon,
                                               uint32_t odd_lat, uint32_t odd_lon, bool odd_newest,
                                               double *lat, double *lon) ORBAT_WARN_UNUSED;
/* Global surface decode: the 90-degree ambiguity is resolved with a
 * reference (receiver or last airborne position) within 45 deg. */
enum orbat_err orbat_modes_cpr_global_surface(double ref_lat, double ref_lon, uint32_t even_lat,
                                              uint32_t even_lon, uint32_t odd_lat, uint32_t odd_lon,
                                              bool odd_newest, double *lat,
                                              double *lon) ORBAT_WARN_UNUSED;
/* Local (relative) decode of one frame against a reference within half a
 * zone (airborne 180 NM, surface 45 NM). Does not check the range itself:
 * ORBAT_E_CPR only for out-of-range results. */
enum orbat_err orbat_modes_cpr_local(double ref_lat, double ref_lon, uint32_t cpr_lat,
                                     uint32_t cpr_lon, bool odd, bool surface, double *lat,
                                     double *lon) ORBAT_WARN_UNUSED;
/* Receiver-less surface case: every position consistent with a surface
 * pair (2 latitudes x 4 longitudes). Writes up to 8 pairs to lat[]/lon[]
 * and returns the count (0 on zone mismatch). */
size_t orbat_modes_cpr_surface_candidates(uint32_t even_lat, uint32_t even_lon, uint32_t odd_lat,
                                          uint32_t odd_lon, bool odd_newest, double lat[8],
                                          double lon[8]);

/* --- Comm-B (ICAO Doc 9871, BDS registers) ------------------------------ */

/* Reference state for disambiguating BDS 5,0 / 6,0 (e.g. from ADS-B). */
struct orbat_modes_commb_ref {
    bool has_gs, has_track, has_alt;
    float gs_kt, track_deg;
    int32_t alt_ft;
};

/* Plausibility check of the 56-bit MB (7 bytes) against BDS 1,0 1,7 2,0 3,0
 * 4,0 5,0 6,0. Returns ORBAT_MODES_CAND_* bits. */
uint8_t orbat_modes_commb_candidates(const uint8_t mb[7]);
/* Decode MB as register `bds` (any ORBAT_MODES_BDS_*) into out (out->has is
 * reset first). ORBAT_E_UNSUPPORTED for other registers, ORBAT_E_RANGE when
 * the content is not valid for that register (fields then unusable). */
enum orbat_err orbat_modes_commb_decode(const uint8_t mb[7], uint8_t bds,
                                        struct orbat_modes_commb *out);
/* Re-run inference on m->commb with a reference state; when exactly one
 * candidate is left it is decoded into m->commb (bds set). Returns the BDS
 * chosen (0 if still ambiguous). Only for DF20/21 messages. */
uint8_t orbat_modes_commb_resolve(struct orbat_modes_msg *m,
                                  const struct orbat_modes_commb_ref *ref);

/* Names for text/JSON output: "ADS-B", "TIS-B", "ADS-R", "Mode S", ... and
 * "5,0" style BDS names ("" for 0). Static strings, never NULL. */
const char *orbat_modes_addr_type_name(uint8_t addr_type);
const char *orbat_modes_bds_name(uint8_t bds);

#ifdef __cplusplus
}
#endif
#endif /* ORBAT_MODES_H */
