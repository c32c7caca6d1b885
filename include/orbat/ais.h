/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais.h - the public AIS decoder API: NMEA 0183 !xxVDM/!xxVDO sentences
 * (IEC 61162-1, NMEA 4.10 tag blocks) to decoded ITU-R M.1371-5 messages.
 *
 * The caller allocates a struct orbat_ais_reasm (fixed size, no malloc
 * anywhere in the decoder), initialises it with orbat_ais_reasm_init and
 * feeds it one sentence at a time with orbat_ais_feed_line. When a message
 * is complete (single sentence, or the last fragment of a multi-sentence
 * group) the call fills a caller-owned struct orbat_ais_msg and returns
 * ORBAT_OK. Everything in the message is a copy: it stays valid until the
 * caller overwrites it. Field values are kept in raw ITU units with their
 * "not available" sentinels (see ORBAT_AIS_*_NA below); convert at the edge.
 *
 * Bit numbering: the de-armoured payload ->bits is MSB first, ITU bit 0
 * (the first bit of the message type) is the MSB of bits[0]. Type 6/8
 * application payloads are read from there by the DAC/FI decoders.
 */
#ifndef ORBAT_ORBAT_AIS_H
#define ORBAT_ORBAT_AIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ORBAT_AIS_MAX_BITS   2048 /* de-armoured payload cap (gpsd uses the same) */
#define ORBAT_AIS_MAX_BYTES  (ORBAT_AIS_MAX_BITS / 8)
#define ORBAT_AIS_MAX_FRAGS  9     /* fragment count is one digit in IEC 61162-1 */
#define ORBAT_AIS_RAW_CAP    1536  /* raw sentences kept per message, '\n'-joined */
#define ORBAT_AIS_LINE_CAP   512   /* longest accepted line (tag block + sentence) */
#define ORBAT_AIS_SLOTS      16    /* concurrent multi-sentence groups in flight */
#define ORBAT_AIS_MAX_AGE    64    /* a group older than this many sentences expires */
#define ORBAT_AIS_MAX_AGE_MS 60000 /* ... or this much tag/trailer time apart */

/* "Not available" sentinels, ITU-R M.1371-5 Annex 8 (raw units). */
#define ORBAT_AIS_LON_NA     0x6791AC0 /* 181 deg in 1/10000 min */
#define ORBAT_AIS_LAT_NA     0x3412140 /* 91 deg in 1/10000 min */
#define ORBAT_AIS_SPEED_NA   1023      /* 0.1 kn */
#define ORBAT_AIS_COURSE_NA  3600      /* 0.1 deg */
#define ORBAT_AIS_HEADING_NA 511       /* deg */
#define ORBAT_AIS_TURN_NA    (-128)    /* ROT_AIS */
#define ORBAT_AIS_SECOND_NA  60

/* Provenance carried by every sentence and message: NMEA 4.10 tag block
 * (s: source, c: unix time, g: group) or a receiver trailer after the
 * checksum (USCG ",r<station>,<unix>" or ",<unix>"/",<unix ms>"). */
struct orbat_ais_tag {
    int64_t time_ms; /* unix time in ms; valid when has_time */
    bool has_time;
    bool has_group;
    int8_t err; /* 0, or why a tag block on the line was ignored (enum orbat_err) */
    uint8_t group_seq, group_n;
    uint32_t group_id;
    char source[24]; /* s: or USCG r station, NUL-terminated, "" when none */
};

/* One parsed sentence (IEC 61162-1 encapsulation, !xxVDM / !xxVDO). */
struct orbat_nmea_sentence {
    char talker[3];      /* "AI", "BS", ... NUL-terminated */
    bool own;            /* VDO (own ship) rather than VDM */
    uint8_t nfrags;      /* total fragments 1..9 */
    uint8_t frag;        /* this fragment 1..nfrags */
    int8_t seqid;        /* sequential message id 0..9, -1 when empty */
    char channel;        /* 'A', 'B', '1', '2' or 0 when empty */
    uint8_t fill;        /* fill bits 0..5 */
    const char *payload; /* armoured payload, borrowed from the line */
    size_t payload_len;
    const char *start; /* the sentence from '!' through the checksum, borrowed */
    size_t len;
    struct orbat_ais_tag tag;
};

/* ---- decoded message bodies (ITU-R M.1371-5 Annex 8, Table 45 onwards) */

struct orbat_ais_pos { /* types 1, 2, 3: Class A position report (§3.1) */
    uint8_t status;    /* navigational status 0..15 */
    int16_t turn;      /* ROT_AIS -128..127, -128 = N/A */
    uint16_t speed;    /* SOG 0.1 kn, 1023 = N/A */
    bool accuracy;
    int32_t lon, lat; /* 1/10000 min */
    uint16_t course;  /* COG 0.1 deg, 3600 = N/A */
    uint16_t heading; /* deg, 511 = N/A */
    uint8_t second;   /* UTC second, 60 = N/A */
    uint8_t maneuver;
    bool raim;
    uint32_t radio; /* communication state, 19 bits */
};

struct orbat_ais_base { /* types 4, 11: base station report / UTC response (§3.2) */
    uint16_t year;
    uint8_t month, day, hour, minute, second;
    bool accuracy;
    int32_t lon, lat;
    uint8_t epfd;
    bool raim;
    uint32_t radio;
};

struct orbat_ais_static { /* type 5: static and voyage related data (§3.3) */
    uint8_t ais_version;
    uint32_t imo;
    char callsign[8];
    char shipname[21];
    uint8_t shiptype;
    uint16_t to_bow, to_stern;
    uint8_t to_port, to_starboard;
    uint8_t epfd;
    uint8_t month, day, hour, minute; /* ETA */
    uint8_t draught;                  /* 0.1 m */
    char destination[21];
    uint8_t dte;
};

struct orbat_ais_binary { /* types 6, 8: binary addressed / broadcast (§3.4, §3.6) */
    uint8_t seqno;        /* 6 only */
    uint32_t dest_mmsi;   /* 6 only */
    bool retransmit;      /* 6 only */
    uint16_t dac;
    uint8_t fid;
    uint16_t data_start; /* first application bit (88 for 6, 56 for 8) */
    uint16_t data_bits;  /* application bits from data_start to the end */
};

struct orbat_ais_ack { /* types 7, 13: binary / safety acknowledge (§3.5) */
    uint32_t mmsi[4];
    uint8_t seqno[4];
};

struct orbat_ais_sar { /* type 9: SAR aircraft position (§3.7) */
    uint16_t alt;      /* m, 4095 = N/A */
    uint16_t speed;    /* kn, 1023 = N/A */
    bool accuracy;
    int32_t lon, lat;
    uint16_t course;
    uint8_t second;
    uint8_t regional;
    uint8_t dte;
    bool assigned, raim;
    uint32_t radio;
};

struct orbat_ais_text { /* types 12, 14: safety related text (§3.10, §3.12) */
    uint8_t seqno;      /* 12 only */
    uint32_t dest_mmsi; /* 12 only; also type 10 */
    bool retransmit;    /* 12 only */
    char text[162];
};

struct orbat_ais_interrogation { /* type 15 (§3.13) */
    uint32_t mmsi1;
    uint8_t type1_1;
    uint16_t offset1_1;
    uint8_t type1_2;
    uint16_t offset1_2;
    uint32_t mmsi2;
    uint8_t type2_1;
    uint16_t offset2_1;
};

struct orbat_ais_assigned { /* type 16: assigned mode command (§3.14) */
    uint32_t mmsi1;
    uint16_t offset1, increment1;
    uint32_t mmsi2;
    uint16_t offset2, increment2;
};

struct orbat_ais_gnss {  /* type 17: GNSS broadcast (§3.15) */
    int32_t lon, lat;    /* 1/10 min */
    uint16_t data_start; /* 80 */
    uint16_t data_bits;
};

struct orbat_ais_classb { /* types 18, 19: Class B position reports (§3.16, §3.17) */
    uint8_t reserved;
    uint16_t speed;
    bool accuracy;
    int32_t lon, lat;
    uint16_t course;
    uint16_t heading;
    uint8_t second;
    uint8_t regional;
    bool cs, display, dsc, band, msg22, assigned, raim; /* 18 */
    uint32_t radio;                                     /* 18 */
    char shipname[21];                                  /* 19 */
    uint8_t shiptype;                                   /* 19 */
    uint16_t to_bow, to_stern;                          /* 19 */
    uint8_t to_port, to_starboard, epfd;                /* 19 */
    bool dte;                                           /* 19 */
};

struct orbat_ais_dlm { /* type 20: data link management (§3.18) */
    uint16_t offset[4];
    uint8_t number[4];
    uint8_t timeout[4];
    uint16_t increment[4];
};

struct orbat_ais_aton { /* type 21: aid-to-navigation report (§3.19) */
    uint8_t aid_type;
    char name[35]; /* 20 chars + up to 14 extension chars */
    bool accuracy;
    int32_t lon, lat;
    uint16_t to_bow, to_stern;
    uint8_t to_port, to_starboard;
    uint8_t epfd;
    uint8_t second;
    bool off_position;
    uint8_t regional;
    bool raim, virtual_aid, assigned;
};

struct orbat_ais_chanmgmt { /* type 22: channel management (§3.20) */
    uint16_t channel_a, channel_b;
    uint8_t txrx;
    bool power;
    bool addressed;
    int32_t ne_lon, ne_lat, sw_lon, sw_lat; /* 1/10 min, when !addressed */
    uint32_t dest1, dest2;                  /* when addressed */
    bool band_a, band_b;
    uint8_t zonesize;
};

struct orbat_ais_group {                    /* type 23: group assignment (§3.21) */
    int32_t ne_lon, ne_lat, sw_lon, sw_lat; /* 1/10 min */
    uint8_t stationtype, shiptype, txrx, interval, quiet;
};

struct orbat_ais_static_b { /* type 24: Class B static data (§3.22) */
    uint8_t part;           /* 0 = part A, 1 = part B */
    char shipname[21];      /* part A */
    uint8_t shiptype;       /* part B ... */
    char vendorid[8];
    uint8_t model;
    uint32_t serial;
    char callsign[8];
    bool auxiliary; /* MMSI 98MIDxxxx: mothership_mmsi instead of dims */
    uint32_t mothership_mmsi;
    uint16_t to_bow, to_stern;
    uint8_t to_port, to_starboard;
};

struct orbat_ais_slotbin { /* types 25, 26: single/multiple slot binary (§3.23, §3.24) */
    bool addressed, structured;
    uint32_t dest_mmsi;
    uint16_t app_id;
    uint16_t data_start, data_bits;
    uint32_t radio; /* 26 */
};

struct orbat_ais_longrange { /* type 27: long range broadcast (§3.25) */
    bool accuracy, raim;
    uint8_t status;
    int32_t lon, lat; /* 1/10 min */
    uint8_t speed;    /* kn, 63 = N/A */
    uint16_t course;  /* deg, 511 = N/A */
    bool gnss;
};

/* A decoded message. Body selection by ->type. */
struct orbat_ais_msg {
    uint8_t type; /* 1..27 */
    uint8_t repeat;
    uint32_t mmsi;
    char channel; /* 'A', 'B', '1', '2' or 0 */
    char talker[3];
    bool own; /* VDO */
    uint8_t nfrags;
    struct orbat_ais_tag tag; /* from the first fragment (time/source) */
    uint16_t nbits;
    uint8_t bits[ORBAT_AIS_MAX_BYTES]; /* de-armoured, MSB first, zero padded */
    uint8_t nraw;                      /* sentences in raw */
    uint16_t raw_len;
    char raw[ORBAT_AIS_RAW_CAP]; /* the sentences (with tag blocks), '\n'-joined */
    union {
        struct orbat_ais_pos pos;           /* 1, 2, 3 */
        struct orbat_ais_base base;         /* 4, 11 */
        struct orbat_ais_static stat;       /* 5 */
        struct orbat_ais_binary bin;        /* 6, 8 */
        struct orbat_ais_ack ack;           /* 7, 13 */
        struct orbat_ais_sar sar;           /* 9 */
        struct orbat_ais_text text;         /* 10 (dest_mmsi only), 12, 14 */
        struct orbat_ais_interrogation inq; /* 15 */
        struct orbat_ais_assigned asg;      /* 16 */
        struct orbat_ais_gnss gnss;         /* 17 */
        struct orbat_ais_classb cb;         /* 18, 19 */
        struct orbat_ais_dlm dlm;           /* 20 */
        struct orbat_ais_aton aton;         /* 21 */
        struct orbat_ais_chanmgmt chan;     /* 22 */
        struct orbat_ais_group grp;         /* 23 */
        struct orbat_ais_static_b sb;       /* 24 */
        struct orbat_ais_slotbin slot;      /* 25, 26 */
        struct orbat_ais_longrange lr;      /* 27 */
    } u;
};

/* One multi-sentence group in flight. */
struct orbat_ais_slot {
    bool used;
    char channel;  /* reassembly key: 'A' (A, 1, empty) or 'B' (B, 2) */
    char chan_raw; /* the channel as sent in fragment 1 */
    int8_t seqid;
    uint8_t nfrags, next; /* next expected fragment number */
    uint64_t born;        /* sentence counter when fragment 1 arrived */
    uint16_t nbits;
    uint8_t nraw;
    uint16_t raw_len;
    char talker[3];
    bool own;
    struct orbat_ais_tag tag;
    uint8_t bits[ORBAT_AIS_MAX_BYTES];
    char raw[ORBAT_AIS_RAW_CAP];
};

/* The reassembler: caller-allocated, fixed size (about 30 KiB). */
struct orbat_ais_reasm {
    uint64_t sentences;  /* sentences fed (parsed or not) */
    uint64_t expired;    /* groups dropped for age or because every slot was busy */
    uint64_t abandoned;  /* groups replaced by a new fragment 1 with the same key */
    uint64_t tag_errors; /* sentences whose tag block was malformed or failed its checksum */
    struct orbat_ais_slot slot[ORBAT_AIS_SLOTS];
};

/* Reset a reassembler; drops any groups in flight. */
void orbat_ais_reasm_init(struct orbat_ais_reasm *r);

/* Feed one line holding one sentence: optional tag block "\...*hh\",
 * "!xxVDM,..." or "!xxVDO,..." with its checksum, optional trailer. The
 * line need not be NUL-terminated and may end in CR/LF.
 * Returns ORBAT_OK with *out filled when a message is complete;
 * ORBAT_AGAIN when a fragment was stored; ORBAT_E_UNSUPPORTED only for a
 * line that is not an AIS sentence (other NMEA, comments); another negative
 * enum orbat_err for a rejected sentence or message (the reason).
 * When a message fails to decode (bad bit count etc.) the error is returned
 * and *out still holds the envelope (type, mmsi, raw) for diagnostics. */
int orbat_ais_feed_line(struct orbat_ais_reasm *r, const char *line, size_t len,
                        struct orbat_ais_msg *out);

/* Find the next AIS sentence in a line that may hold several (some feeds
 * put two tag-blocked sentences on one line). Scans line[*off..len) and
 * returns the length of the next piece (tag block + sentence + trailer)
 * starting at *off (updated), or 0 when none is left. */
size_t orbat_ais_next_piece(const char *line, size_t len, size_t *off);

/* Parse one sentence (with optional tag block and trailer) without
 * reassembly. Returns ORBAT_OK, ORBAT_E_UNSUPPORTED (not VDM/VDO) or the
 * rejection reason. Pointers in *s borrow from line. */
int orbat_nmea_parse_vdm(const char *line, size_t len, struct orbat_nmea_sentence *s);

/* Decode a de-armoured payload (msg->bits, msg->nbits already set) into
 * msg->type/repeat/mmsi and the body. Returns ORBAT_OK or the reason
 * (ORBAT_E_BITCOUNT; ORBAT_E_RANGE for types 0 and 28..63 and type 24
 * parts C/D, which ITU-R M.1371-5 does not define). */
int orbat_ais_decode(struct orbat_ais_msg *msg);

/* 6-bit de-armouring (ITU-R M.1371-5 Annex 8 §3, IEC 61162-1 Table 7):
 * append n characters to bits at bit offset *nbits (bounded by cap bytes).
 * Returns ORBAT_OK, ORBAT_E_ARMOR or ORBAT_E_TOOLONG. */
int orbat_ais_dearmor(const char *p, size_t n, uint8_t *bits, size_t cap, uint16_t *nbits);

/* Six-bit text (ITU-R M.1371-5 Table 47): nchars characters from bit
 * `start`, stopping at the first '@', right-trimmed of spaces and '@'.
 * Bits past nbits are not read. `out` gets at most outsz-1 chars + NUL. */
void orbat_ais_text(const uint8_t *bits, unsigned nbits, unsigned start, unsigned nchars, char *out,
                    size_t outsz);

/* Legends used by gpsd-compatible output; never NULL. */
const char *orbat_ais_status_text(unsigned status);
const char *orbat_ais_shiptype_text(unsigned shiptype);
const char *orbat_ais_epfd_text(unsigned epfd);

#ifdef __cplusplus
}
#endif
#endif /* ORBAT_ORBAT_AIS_H */
