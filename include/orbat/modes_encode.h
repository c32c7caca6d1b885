/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes_encode.h - Mode S / ADS-B frame encoder: DF17 extended squitter
 * (identification TC 1-4, airborne position TC 9-18 with CPR even/odd
 * encoding, airborne velocity TC 19 subtype 1), DF4/DF20 altitude replies,
 * DF5/DF21 identity (squawk) replies, DF11 all-call replies, each with its
 * CRC-24 parity (address/parity overlay where the format uses it); and the
 * three feed framings: Beast binary (12 MHz timestamp, signal byte, 0x1a
 * escaping), AVR text (`*hex;` / `@ts hex;`) and SBS-1 BaseStation lines.
 *
 * References: ICAO Annex 10 Vol IV §3.1.2 (formats, AC/ID codes, parity),
 * DO-260B §2.2.3 (ME fields) and Appendix A/§A.1.7 (CPR encoding), Beast
 * format as documented by Mode-S Beast / readsb.
 *
 * Pure library code: no malloc, no I/O, no globals; caller buffers with
 * sizes. Altitudes are encoded with the Q bit (25 ft steps) between -1000
 * and 50175 ft; Gillham-coded altitudes above that are not produced
 * (ORBAT_E_RANGE).
 */
#ifndef ORBAT_MODES_ENCODE_H
#define ORBAT_MODES_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ORBAT_MODES_SHORT 7  /* bytes in a 56-bit frame */
#define ORBAT_MODES_LONG  14 /* bytes in a 112-bit frame */

/* CRC-24 remainder of the first len-3 bytes of a frame with generator
 * 0x1FFF409 (Annex 10 Vol IV §3.1.2.3.3). */
uint32_t orbat_modes_enc_crc(const uint8_t *frame, size_t len);

/* 8-char flight identification alphabet of Annex 10 Vol IV Table 3-9:
 * A-Z, 0-9 and space; other characters are sent as space, lower case is
 * upper-cased; short callsigns are space-padded. */

/* DF17 TC 1-4 aircraft identification and category. tc 1..4, category
 * 0..7 (emitter category within the set), ca 0..7 (capability, 5 typical).
 * Writes 14 bytes to out. */
enum orbat_err orbat_modes_enc_ident(uint32_t icao, uint8_t ca, uint8_t tc, uint8_t category,
                                     const char *callsign,
                                     uint8_t out[ORBAT_MODES_LONG]) ORBAT_WARN_UNUSED;

/* DF17 airborne position (TC 9-18, barometric altitude). odd selects the
 * CPR format; lat/lon in degrees are CPR-encoded (17-bit, DO-260B A.1.7.5).
 * surveillance status 0..3, nic_b single antenna flag, t UTC sync flag. */
struct orbat_modes_enc_pos {
    uint32_t icao;
    uint8_t ca;     /* 0..7 */
    uint8_t tc;     /* 9..18 */
    uint8_t ss;     /* surveillance status 0..3 */
    bool saf;       /* NIC supplement-B / single antenna flag */
    int32_t alt_ft; /* -1000 .. 50175 */
    bool t;         /* time synchronisation flag */
    bool odd;       /* CPR format F */
    double lat, lon;
};
enum orbat_err orbat_modes_enc_airpos(const struct orbat_modes_enc_pos *p,
                                      uint8_t out[ORBAT_MODES_LONG]) ORBAT_WARN_UNUSED;

/* CPR encoding alone (airborne, 17 bits): writes the YZ and XZ values for
 * lat/lon with format odd (0 even, 1 odd). */
void orbat_modes_cpr_encode(double lat, double lon, bool odd, uint32_t *yz, uint32_t *xz);

/* DF17 TC 19 subtype 1 (ground speed, subsonic) airborne velocity.
 * Velocities in knots, east and north components (negative = west/south),
 * |v| <= 1021 kt; vertical rate in ft/min, |vr| <= 32576, baro source when
 * vr_baro. gnss_baro_diff_ft |d| <= 3125 (25 ft steps), 0 = not available. */
struct orbat_modes_enc_vel {
    uint32_t icao;
    uint8_t ca;
    int16_t ew_kt, ns_kt;
    int32_t vr_fpm;
    bool vr_baro;
    int16_t gnss_baro_diff_ft;
    uint8_t nac_v; /* 0..7 */
};
enum orbat_err orbat_modes_enc_velocity(const struct orbat_modes_enc_vel *v,
                                        uint8_t out[ORBAT_MODES_LONG]) ORBAT_WARN_UNUSED;

/* DF4 (short, altitude) or DF20 (long, altitude + Comm-B mb[7]) with
 * address/parity. fs 0..7 flight status, dr 0..31, um 0..63. Writes 7 or
 * 14 bytes; *len gets the count. mb may be NULL (zeros) for DF20. */
enum orbat_err orbat_modes_enc_altitude_reply(uint8_t df, uint32_t icao, uint8_t fs, uint8_t dr,
                                              uint8_t um, int32_t alt_ft, const uint8_t *mb,
                                              uint8_t out[ORBAT_MODES_LONG],
                                              size_t *len) ORBAT_WARN_UNUSED;

/* DF5 / DF21 identity reply: squawk as four octal digits written as a
 * decimal number (e.g. 7700). */
enum orbat_err orbat_modes_enc_identity_reply(uint8_t df, uint32_t icao, uint8_t fs, uint8_t dr,
                                              uint8_t um, uint16_t squawk, const uint8_t *mb,
                                              uint8_t out[ORBAT_MODES_LONG],
                                              size_t *len) ORBAT_WARN_UNUSED;

/* DF11 all-call reply, parity overlaid with interrogator code iid (0..15,
 * 0 for acquisition squitter). Writes 7 bytes. */
enum orbat_err orbat_modes_enc_allcall(uint32_t icao, uint8_t ca, uint8_t iid,
                                       uint8_t out[ORBAT_MODES_SHORT]) ORBAT_WARN_UNUSED;

/* 13-bit AC field (M = 0, Q = 1) and 13-bit ID
 * field, exposed for tests. */
enum orbat_err orbat_modes_enc_ac13(int32_t alt_ft, uint16_t *ac13) ORBAT_WARN_UNUSED;
uint16_t orbat_modes_enc_id13(uint16_t squawk);

/* Beast binary frame: 0x1a, type ('2' for 7 bytes, '3' for 14), 48-bit
 * 12 MHz timestamp, signal byte, frame; every 0x1a in the body doubled.
 * Returns bytes written, 0 when cap is too small or len is not 7/14. */
size_t orbat_modes_beast(const uint8_t *frame, size_t len, uint64_t ts12mhz, uint8_t signal,
                         uint8_t *buf, size_t cap);

/* AVR line "*<hex>;\n", or "@<12 hex ts><hex>;\n" when with_ts. Returns
 * bytes written (NUL-terminated, not counted), 0 when cap is too small. */
size_t orbat_modes_avr(const uint8_t *frame, size_t len, bool with_ts, uint64_t ts12mhz, char *buf,
                       size_t cap);

/* One SBS-1 BaseStation line ("MSG,<type>,..."). Fields not set are left
 * empty. Date/time are generated and logged both from t_ms (unix ms). */
struct orbat_modes_sbs {
    uint8_t msg_type; /* 1 ident, 3 airborne position, 4 velocity, 5 altitude, 6 squawk, 8 */
    uint32_t icao;
    int64_t t_ms;
    const char *callsign; /* NULL = empty */
    bool has_alt, has_gs, has_pos, has_vr, has_squawk;
    int32_t alt_ft;
    double gs_kt, track_deg;
    double lat, lon;
    int32_t vr_fpm;
    uint16_t squawk;
    bool on_ground;
};
size_t orbat_modes_sbs_line(const struct orbat_modes_sbs *s, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* ORBAT_MODES_ENCODE_H */
