/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_app.h - decoder for the application payloads (DAC/FI) carried by
 * AIS message types 6 (addressed binary) and 8 (broadcast binary), the set
 * gpsd 3.22 decodes: IMO SN.1/Circ.236 and SN.1/Circ.289 (DAC 1), EU
 * Inland AIS (DAC 200) and GLA AtoN monitoring (DAC 235/250).
 *
 * Fields are kept in raw spec units with the spec's "not available"
 * sentinels (see each field); converting to engineering units happens at
 * the edges (the JSON writers). Six-bit text fields are decoded to ASCII
 * the way gpsd does it: decoding stops at the first '@' (code 0) and
 * trailing spaces/'@' are trimmed.
 *
 * Ownership: orbat_ais_app_decode reads the caller's bit buffer and fills
 * the caller-owned struct; it allocates nothing and keeps no pointers.
 * Pure: no I/O, no globals, no malloc.
 */
#ifndef ORBAT_AIS_APP_H
#define ORBAT_AIS_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which application payload a decoded struct holds (the active member of
 * the union in struct orbat_ais_app). */
enum orbat_ais_app_kind {
    ORBAT_AIS_APP_RAW = 0,       /* not decoded: only the raw data bits */
    ORBAT_AIS_APP_INLAND_ETA,    /* 6/200/21 ETA at lock/bridge/terminal */
    ORBAT_AIS_APP_INLAND_RTA,    /* 6/200/22 RTA at lock/bridge/terminal */
    ORBAT_AIS_APP_INLAND_POB,    /* 6/200/55 persons on board */
    ORBAT_AIS_APP_GLA_ATON,      /* 6/235,250/10 AtoN monitoring data */
    ORBAT_AIS_APP_DANGEROUS_236, /* 6/1/12 dangerous cargo indication */
    ORBAT_AIS_APP_TIDAL_236,     /* 6/1/14 tidal window (Circ.236) */
    ORBAT_AIS_APP_AIRDRAUGHT,    /* 6/1/15, 8/1/15 extended ship data */
    ORBAT_AIS_APP_PERSONS,       /* 6/1/16, 8/1/16 persons on board */
    ORBAT_AIS_APP_CLEARANCE,     /* 6/1/18 clearance time to enter port */
    ORBAT_AIS_APP_BERTHING,      /* 6/1/20 berthing data */
    ORBAT_AIS_APP_DANGEROUS_289, /* 6/1/25 dangerous cargo indication */
    ORBAT_AIS_APP_ROUTE,         /* 6/1/28, 8/1/27 route information */
    ORBAT_AIS_APP_TEXT,          /* 6/1/30, 8/1/29 text description */
    ORBAT_AIS_APP_TIDAL_289,     /* 6/1/32 tidal window (Circ.289) */
    ORBAT_AIS_APP_MET_236,       /* 8/1/11 meteorological/hydrological */
    ORBAT_AIS_APP_FAIRWAY,       /* 8/1/13 fairway closed */
    ORBAT_AIS_APP_VTS_TARGETS,   /* 8/1/17 VTS-generated targets */
    ORBAT_AIS_APP_SIGNAL,        /* 8/1/19 marine traffic signal */
    ORBAT_AIS_APP_MET_289,       /* 8/1/31 meteorological/hydrological */
    ORBAT_AIS_APP_INLAND_STATIC, /* 8/200/10 inland ship static data */
    ORBAT_AIS_APP_INLAND_EMMA,   /* 8/200/23 EMMA weather warning */
    ORBAT_AIS_APP_INLAND_WATER,  /* 8/200/24 water levels */
    ORBAT_AIS_APP_INLAND_SIGNAL, /* 8/200/40 signal status */
};

/* Array caps: a 1008-bit message cannot carry more elements than these. */
#define ORBAT_AIS_APP_MAX_TIDALS    11
#define ORBAT_AIS_APP_MAX_CARGOS    54
#define ORBAT_AIS_APP_MAX_WAYPOINTS 31
#define ORBAT_AIS_APP_MAX_TARGETS   8
#define ORBAT_AIS_APP_MAX_GAUGES    4
#define ORBAT_AIS_APP_TEXT_MAX      158 /* 6-bit chars in one message + NUL */

struct orbat_ais_app_tidal {
    int32_t lon, lat; /* FI 32: 1/1000 minute; FI 14: 1/10000 minute */
    uint8_t from_hour, from_min, to_hour, to_min;
    uint16_t cdir;   /* degrees; 360 = n/a */
    uint16_t cspeed; /* 0.1 kn; 127/255 = n/a */
};

struct orbat_ais_app_target { /* Circ.289 VTS target */
    uint8_t idtype;           /* 0 mmsi, 1 imo, 2 callsign, 3 other */
    uint32_t id_num;          /* low 32 bits of the 42-bit id (idtype 0/1) */
    char id_text[8];          /* idtype 2/3: 7 six-bit chars */
    int32_t lat, lon;         /* 1/1000 minute */
    uint16_t course;          /* degrees; 360 = n/a */
    uint8_t second;
    uint16_t speed; /* knots; 255 = n/a */
};

struct orbat_ais_app {
    uint8_t type;        /* 6 or 8 */
    uint16_t dac;        /* designated area code */
    uint8_t fid;         /* function identifier */
    uint16_t data_start; /* first bit of the application data: 88/56 */
    uint16_t data_bits;  /* number of application data bits */
    enum orbat_ais_app_kind kind;
    union {
        struct { /* INLAND_ETA / INLAND_RTA */
            char country[3], locode[4], section[6], terminal[6], hectometre[6];
            uint8_t month, day, hour, minute;
            uint8_t tugs;        /* ETA only; 7 = n/a */
            uint16_t airdraught; /* ETA only; cm, 0 = n/a */
            uint8_t status;      /* RTA only: 0 operational .. 3 n/a */
        } lock;
        struct {                                  /* INLAND_POB */
            uint16_t crew, passengers, personnel; /* 255/8191/255 = n/a */
        } pob;
        struct {                                  /* GLA_ATON */
            uint16_t ana_int, ana_ext1, ana_ext2; /* 0.05 V */
            uint8_t racon, light, stat_ext;
            bool alarm, off_pos;
        } aton;
        struct { /* DANGEROUS_236 */
            char lastport[6], nextport[6], dangerous[21], imdcat[5];
            uint8_t lmonth, lday, lhour, lminute;
            uint8_t nmonth, nday, nhour, nminute;
            uint16_t unid, amount;
            uint8_t unit;
        } dg236;
        struct { /* TIDAL_236 / TIDAL_289 */
            uint8_t month, day;
            uint8_t ntidals;
            struct orbat_ais_app_tidal tidals[ORBAT_AIS_APP_MAX_TIDALS];
        } tidal;
        struct {                 /* AIRDRAUGHT */
            uint16_t airdraught; /* dm */
        } ext;
        struct {              /* PERSONS */
            uint16_t persons; /* 0 = n/a */
        } persons;
        struct { /* CLEARANCE */
            uint16_t linkage;
            uint8_t month, day, hour, minute;
            char portname[21], destination[6];
            int32_t lon, lat; /* 1/1000 minute */
        } clearance;
        struct { /* BERTHING */
            uint16_t linkage, berth_length;
            uint8_t berth_depth, position;
            uint8_t month, day, hour, minute;
            uint8_t availability;
            uint8_t services[26]; /* agent .. future2, 2 bits each */
            char berth_name[21];
            int32_t berth_lon, berth_lat; /* 1/1000 minute */
        } berth;
        struct { /* DANGEROUS_289 */
            uint8_t unit;
            uint16_t amount;
            uint8_t ncargos;
            struct {
                uint8_t code;
                uint16_t subtype;
            } cargos[ORBAT_AIS_APP_MAX_CARGOS];
        } dg289;
        struct { /* ROUTE */
            uint16_t linkage;
            uint8_t sender, rtype;
            uint8_t month, day, hour, minute;
            uint32_t duration; /* minutes; 0 = n/a */
            uint8_t waycount;
            struct {
                int32_t lon, lat; /* 1/10000 minute */
            } waypoints[ORBAT_AIS_APP_MAX_WAYPOINTS];
        } route;
        struct { /* TEXT */
            uint16_t linkage;
            char text[ORBAT_AIS_APP_TEXT_MAX];
        } text;
        struct {              /* MET_236 (unsigned raw codes) / MET_289 (signed ones) */
            int32_t lat, lon; /* 1/1000 minute */
            bool accuracy;    /* 289 only */
            uint8_t day, hour, minute;
            uint8_t wspeed, wgust; /* knots; 127 = n/a */
            uint16_t wdir, wgustdir;
            int32_t airtemp; /* 236: 0.1 C + 600 (2047 n/a); 289: 0.1 C */
            uint8_t humidity;
            int32_t dewpoint;  /* 236: 0.1 C + 200; 289: 0.1 C */
            uint16_t pressure; /* 236: hPa - 800; 289: hPa - 799 */
            uint8_t pressuretend;
            bool visgreater;    /* 289 only */
            uint8_t visibility; /* 0.1 nm */
            int32_t waterlevel; /* 236: dm + 100; 289: cm + 1000 */
            uint8_t leveltrend;
            uint8_t cspeed, cspeed2, cspeed3; /* 0.1 kn */
            uint16_t cdir, cdir2, cdir3;
            uint8_t cdepth2, cdepth3;
            uint8_t waveheight, waveperiod;
            uint16_t wavedir;
            uint8_t swellheight, swellperiod;
            uint16_t swelldir;
            uint8_t seastate;
            int32_t watertemp; /* 236: 0.1 C + 100; 289: 0.1 C */
            uint8_t preciptype;
            uint16_t salinity; /* 0.1 permille */
            uint8_t ice;
        } met;
        struct { /* FAIRWAY */
            char reason[21], closefrom[21], closeto[21];
            uint16_t radius;
            uint8_t extunit;
            uint8_t fday, fmonth, fhour, fminute;
            uint8_t tday, tmonth, thour, tminute;
        } fairway;
        struct { /* VTS_TARGETS */
            uint8_t ntargets;
            struct orbat_ais_app_target targets[ORBAT_AIS_APP_MAX_TARGETS];
        } vts;
        struct { /* SIGNAL */
            uint16_t linkage;
            char station[21];
            int32_t lon, lat; /* 1/1000 minute */
            uint8_t status, signal, hour, minute, nextsignal;
        } signal;
        struct {                   /* INLAND_STATIC */
            char vin[9];           /* ENI number */
            uint16_t length, beam; /* dm */
            uint16_t shiptype;     /* ERI code */
            uint8_t hazard;
            uint16_t draught; /* cm */
            uint8_t loaded;
            bool speed_q, course_q, heading_q;
        } inland;
        struct { /* INLAND_EMMA */
            uint8_t start_year, start_month, start_day;
            uint8_t end_year, end_month, end_day;
            uint8_t start_hour, start_minute, end_hour, end_minute;
            int32_t start_lon, start_lat, end_lon, end_lat; /* 1/10000 min */
            uint8_t type;
            int16_t min, max;
            uint8_t intensity, wind;
        } emma;
        struct { /* INLAND_WATER */
            char country[3];
            uint8_t ngauges;
            struct {
                uint16_t id;
                int16_t level; /* cm */
            } gauges[ORBAT_AIS_APP_MAX_GAUGES];
        } water;
        struct {              /* INLAND_SIGNAL */
            int32_t lon, lat; /* 1/10000 minute */
            uint8_t form;
            uint16_t facing;
            uint8_t direction;
            uint32_t status;
        } isignal;
    } u;
};

/* Decode the application payload of an AIS type 6 or 8 message.
 * bits: the whole de-armoured message, MSB first (ITU bit 0 is the MSB of
 * bits[0]); nbits: its length in bits. Only bytes [0, (nbits + 7) / 8) are
 * read; bits beyond them are taken as zero.
 * Returns ORBAT_OK with out->kind set to the payload decoded, or
 * ORBAT_E_UNSUPPORTED when gpsd 3.22 does not decode this DAC/FI at this
 * length (out->kind == ORBAT_AIS_APP_RAW; the header fields are still set),
 * ORBAT_E_BITCOUNT when nbits is outside the message's legal range
 * (6: 88..1008, 8: 56..1008), ORBAT_E_UNSUPPORTED for other message types,
 * ORBAT_E_INVAL for NULL pointers. */
enum orbat_err orbat_ais_app_decode(const uint8_t *bits, unsigned nbits, struct orbat_ais_app *out);

/* The same, for a buffer that still holds the last sentence's `fill` fill
 * bits (0..5) after bit nbits, as they came in the armour: bytes
 * [0, (nbits + fill + 7) / 8) are read. gpsd reads fields that run past
 * the end of a short message from those fill bits (then from zeros), so
 * exact gpsd parity on truncated messages needs them. */
enum orbat_err orbat_ais_app_decode_fill(const uint8_t *bits, unsigned nbits, unsigned fill,
                                         struct orbat_ais_app *out);

#ifdef __cplusplus
}
#endif
#endif /* ORBAT_AIS_APP_H */
