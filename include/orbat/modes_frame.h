/* SPDX-License-Identifier: BSD-2-Clause
 *
 * modes_frame.h - framing of Mode S receiver feeds: Beast binary (port
 * 30005), AVR hex lines (port 30002, with or without 12 MHz timestamp and
 * signal) and SBS-1 BaseStation CSV (port 30003). Pure parsers: no malloc,
 * no I/O, no globals; all state lives in caller-owned structs with fixed
 * buffers, so every byte of input is bounded.
 *
 * Beast binary (Mode-S Beast / Radarcape documentation, as implemented by
 * dump1090 and readsb net_io.c):
 *   0x1a <type> <6-byte 12 MHz counter, big endian> <1-byte signal> <data>
 *   type '1' Mode A/C (2 data bytes), '2' Mode S short (7), '3' Mode S long
 *   (14), '5' Radarcape receiver position (14, reported raw). Every 0x1a
 *   inside the frame is doubled. readsb also prefixes frames with
 *   0x1a 0xe3 <8-byte receiver id, escaped>, which is attached to the next
 *   frame. Anything between frames is counted as garbage.
 *
 * Ownership: frames and SBS records are filled by value; nothing points into
 * the caller's input after a call returns.
 */
#ifndef ORBAT_MODES_FRAME_H
#define ORBAT_MODES_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Frame kinds; the values are the Beast type bytes. */
enum orbat_frame_kind {
    ORBAT_FRAME_MODEAC = '1',       /* 2 bytes: Mode A/C reply */
    ORBAT_FRAME_SHORT = '2',        /* 7 bytes: 56-bit Mode S */
    ORBAT_FRAME_LONG = '3',         /* 14 bytes: 112-bit Mode S */
    ORBAT_FRAME_RADARCAPE_POS = '5' /* 14 bytes: receiver position (raw) */
};

#define ORBAT_FRAME_MAX 14 /* largest data payload in bytes */

struct orbat_modes_frame {
    uint8_t kind;         /* enum orbat_frame_kind */
    uint8_t len;          /* data bytes: 2, 7 or 14 */
    bool has_ts;          /* ts_12mhz is valid (Beast, AVR '@' and '<') */
    bool has_signal;      /* signal is valid (Beast, AVR '<') */
    bool has_receiver_id; /* a readsb 0x1a 0xe3 prefix preceded the frame */
    uint8_t signal;       /* raw Beast level 0-255; amplitude = signal/255 */
    uint64_t ts_12mhz;    /* 48-bit free-running 12 MHz counter (MLAT ticks) */
    uint64_t receiver_id; /* readsb receiver id */
    uint8_t data[ORBAT_FRAME_MAX];
};

/* Beast stream parser state. Zero it with orbat_beast_init. Counters only
 * grow; the caller reports them. */
struct orbat_beast {
    uint8_t state;    /* internal */
    uint8_t type;     /* type byte of the frame being assembled */
    uint8_t need;     /* body bytes (after unescaping) the type needs */
    uint8_t got;      /* body bytes assembled so far */
    bool pending_rid; /* receiver id received, not yet attached */
    uint64_t rid;
    uint8_t body[24]; /* 6 ts + 1 signal + up to 14 data (+ slack) */
    /* statistics */
    uint64_t frames;        /* frames returned */
    uint64_t garbage_bytes; /* bytes outside any frame (no 0x1a sync) */
    uint64_t bad_type;      /* 0x1a followed by an unknown type byte */
    uint64_t resync;        /* frame abandoned: unescaped 0x1a inside its body */
    uint64_t truncated;     /* stream ended in the middle of a frame */
};

void orbat_beast_init(struct orbat_beast *b);

/* Take the next frame from data[0..n). *used is set to the bytes consumed
 * (always > 0 unless n == 0). Returns ORBAT_OK with *out filled when a frame
 * completed, or ORBAT_AGAIN when the input ran out first (the partial frame
 * is kept in *b: call again with the next chunk). Framing errors are counted
 * in *b and skipped; they never stop the stream. */
int orbat_beast_next(struct orbat_beast *b, const uint8_t *data, size_t n, size_t *used,
                     struct orbat_modes_frame *out);

/* End of stream: a partial frame is dropped and counted. Returns ORBAT_OK,
 * or ORBAT_E_TRUNCATED when a partial frame was dropped. */
int orbat_beast_finish(struct orbat_beast *b);

/* Parse a buffer holding exactly one escaped Beast frame (0x1a first).
 * Returns ORBAT_OK, ORBAT_E_TRUNCATED (too short), ORBAT_E_TOOLONG (bytes
 * left after the frame), ORBAT_E_FRAME (no 0x1a, unknown type, or a lone
 * 0x1a inside the frame). */
int orbat_beast_parse_one(const uint8_t *p, size_t n, struct orbat_modes_frame *out);

/* Parse one AVR line (no newline; a trailing CR/space is ignored):
 *   *HEX;               raw frame (also ':'-prefixed, as readsb accepts)
 *   @TTTTTTTTTTTTHEX;   12-hex-digit 12 MHz timestamp + frame (dump1090 --mlat)
 *   %TTTTTTTTTTTTHEX;   timestamped, CRC already checked (timestamp kept)
 *   <TTTTTTTTTTTTSSHEX; timestamp + 2-hex-digit signal + frame
 * HEX is 4 (Mode A/C), 14 or 28 hex digits, either case. Returns ORBAT_OK,
 * ORBAT_E_SYNTAX (unknown prefix, missing ';'), ORBAT_E_BITCOUNT (wrong
 * number of digits) or ORBAT_E_FRAME (a non-hex digit). */
int orbat_avr_parse(const char *line, size_t len, struct orbat_modes_frame *out);

/* SBS-1 BaseStation record (dump1090 port 30003). Fields keep the units of
 * the format: ft, kt, deg, ft/min, squawk as 4 octal digits. Each has_ bit
 * says whether the field was present and parsed. */
enum orbat_sbs_has {
    ORBAT_SBS_CALLSIGN = 1u << 0,
    ORBAT_SBS_ALT = 1u << 1,
    ORBAT_SBS_GS = 1u << 2,
    ORBAT_SBS_TRACK = 1u << 3,
    ORBAT_SBS_POS = 1u << 4,
    ORBAT_SBS_VR = 1u << 5,
    ORBAT_SBS_SQUAWK = 1u << 6,
    ORBAT_SBS_ALERT = 1u << 7,
    ORBAT_SBS_EMERGENCY = 1u << 8,
    ORBAT_SBS_SPI = 1u << 9,
    ORBAT_SBS_GROUND = 1u << 10,
    ORBAT_SBS_TIME_GEN = 1u << 11, /* t_gen_ms */
    ORBAT_SBS_TIME_LOG = 1u << 12, /* t_log_ms */
    ORBAT_SBS_ICAO = 1u << 13
};

enum orbat_sbs_type {
    ORBAT_SBS_MSG = 1,
    ORBAT_SBS_SEL,
    ORBAT_SBS_ID,
    ORBAT_SBS_AIR,
    ORBAT_SBS_STA,
    ORBAT_SBS_CLK
};

struct orbat_sbs {
    uint8_t type;                       /* enum orbat_sbs_type */
    uint8_t tt;                         /* transmission type 1-8 (MSG), else 0 */
    uint32_t has;                       /* enum orbat_sbs_has bits */
    uint32_t icao;                      /* field 5, 24-bit hex ident */
    bool icao_nonicao;                  /* hex ident had a '~' prefix (TIS-B / non-ICAO) */
    int64_t t_gen_ms;                   /* fields 7-8 as unix ms (UTC assumed) */
    int64_t t_log_ms;                   /* fields 9-10 */
    char callsign[9];                   /* field 11, trailing spaces trimmed */
    int32_t alt_ft;                     /* field 12 */
    double gs_kt;                       /* field 13 */
    double track_deg;                   /* field 14 */
    double lat, lon;                    /* fields 15-16 */
    int32_t vr_fpm;                     /* field 17 */
    uint16_t squawk;                    /* field 18, 4 octal digits as a decimal number (7700) */
    bool alert, emergency, spi, ground; /* fields 19-22 ("-1" or "1" = true) */
};

/* Parse one SBS line (no newline). Returns ORBAT_OK, ORBAT_E_SYNTAX
 * (unknown record type, too few fields, bad hex ident, a non-empty field
 * that does not parse), ORBAT_E_RANGE (speed, track or position outside
 * its legal range) or ORBAT_E_TOOLONG (over 512 bytes). Empty fields are
 * simply absent from ->has. Date/time fields that do not parse are left
 * out of ->has without rejecting the record. */
int orbat_sbs_parse(const char *line, size_t len, struct orbat_sbs *out);

#ifdef __cplusplus
}
#endif
#endif /* ORBAT_MODES_FRAME_H */
