/* SPDX-License-Identifier: BSD-2-Clause
 *
 * obs.h - an observation: what one decoded AIS message or Mode S frame says
 * about one ship or aircraft, in common units, with its provenance.
 *
 * The pipeline (src/core/pipeline.c) turns decoder output into struct obs
 * and hands it to identification, tracking, events and the store. Fields are
 * valid only when their OBS_HAS_* bit is set in ->has. Strings are
 * NUL-terminated and trimmed. Pointers (raw, source) are borrowed for the
 * duration of the callback only: copy what you keep.
 */
#ifndef ORBAT_CORE_OBS_H
#define ORBAT_CORE_OBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum obs_kind {
    OBS_SHIP = 1,     /* id is an MMSI */
    OBS_AIRCRAFT = 2, /* id is an ICAO 24-bit address (or a TIS-B/anonymous one) */
};

enum obs_has {
    OBS_HAS_POS = 1u << 0,        /* lat, lon (resolved position) */
    OBS_HAS_SOG = 1u << 1,        /* sog_kn */
    OBS_HAS_COG = 1u << 2,        /* cog_deg */
    OBS_HAS_HDG = 1u << 3,        /* hdg_deg */
    OBS_HAS_ALT = 1u << 4,        /* alt_ft */
    OBS_HAS_VR = 1u << 5,         /* vr_fpm */
    OBS_HAS_NAME = 1u << 6,       /* name (AIS shipname) */
    OBS_HAS_CALLSIGN = 1u << 7,   /* callsign (AIS call sign or ADS-B flight id) */
    OBS_HAS_SHIPTYPE = 1u << 8,   /* ship_type */
    OBS_HAS_SQUAWK = 1u << 9,     /* squawk */
    OBS_HAS_CATEGORY = 1u << 10,  /* emitter category */
    OBS_HAS_CPR = 1u << 11,       /* cpr_* raw CPR, not yet resolved to lat/lon */
    OBS_HAS_IMO = 1u << 12,       /* imo */
    OBS_HAS_DEST = 1u << 13,      /* destination */
    OBS_HAS_NAVSTATUS = 1u << 14, /* nav_status */
    OBS_HAS_DIM = 1u << 15,       /* length_m, beam_m */
    OBS_HAS_ACDB = 1u << 16,      /* acdb: an archive's aircraft database fields */
};

enum obs_flag {
    OBS_F_DF19 = 1u << 0,       /* military extended squitter (DF19) */
    OBS_F_TISB = 1u << 1,       /* TIS-B / ADS-R: not broadcast by the aircraft itself */
    OBS_F_ANON = 1u << 2,       /* non-ICAO / anonymous address */
    OBS_F_STATIC = 1u << 3,     /* carries static/voyage data (AIS 5, 19, 24; ADS-B ident) */
    OBS_F_CLASS_B = 1u << 4,    /* AIS class B transponder */
    OBS_F_BASE = 1u << 5,       /* AIS base station / AtoN / SAR: not a vessel track */
    OBS_F_SURFACE = 1u << 6,    /* aircraft on the surface */
    OBS_F_EMERGENCY = 1u << 7,  /* emergency squawk / status */
    OBS_F_RELTIME = 1u << 8,    /* t_ms is relative (no absolute time in the data yet) */
    OBS_F_UNVERIFIED = 1u << 9, /* Mode S address recovered from parity, not yet confirmed */
    OBS_F_SIMULATED = 1u << 10, /* the source is a simulation (orbat simulate), not real */
};

struct obs {
    enum obs_kind kind;
    uint32_t id;       /* MMSI or ICAO address */
    int64_t t_ms;      /* time from the data (unix ms); see OBS_F_RELTIME */
    uint32_t has;      /* enum obs_has bits */
    uint32_t flags;    /* enum obs_flag bits */
    uint8_t msg_type;  /* AIS message type (1-27) or Mode S DF */
    uint8_t tc;        /* ADS-B type code, 0 if none */
    uint8_t ship_type; /* AIS ship and cargo type 0-99 */
    uint8_t category;  /* ADS-B emitter category as 0xA0..0xD7 (set letter << 4 | number) */
    uint8_t nav_status;
    uint16_t squawk; /* as 4 octal digits in a decimal number, e.g. 7700 */
    double lat, lon; /* degrees WGS84 */
    double sog_kn, cog_deg, hdg_deg;
    int32_t alt_ft;
    int32_t vr_fpm;
    uint32_t imo;
    uint16_t length_m, beam_m;
    uint32_t cpr_lat, cpr_lon; /* 17-bit raw CPR */
    bool cpr_odd;
    char name[24];
    char callsign[12];
    char destination[24];
    /* What an archive's own aircraft database says (readsb trace headers and
     * aircraft.json: r, t, desc, ownOp, dbFlags), valid with OBS_HAS_ACDB. */
    struct obs_acdb {
        char reg[16];   /* registration */
        char type[8];   /* ICAO type designator */
        char desc[40];  /* type description */
        char ownop[40]; /* owner / operator */
        uint32_t flags; /* readsb dbFlags: 1 military, 2 interesting, 4 PIA, 8 LADD */
        bool has_flags;
    } acdb;
    /* provenance (borrowed) */
    const char *source;     /* feed or file name */
    uint64_t source_offset; /* where in the source: the 1-based line number of the
                               (last) sentence/line for text inputs, the byte offset
                               just past the frame for Beast */
    const char *raw;        /* the raw sentence(s) (NMEA) or frame hex (Mode S) */
    size_t raw_len;
};

#endif /* ORBAT_CORE_OBS_H */
