/* SPDX-License-Identifier: BSD-2-Clause
 *
 * scenario.h - a simulation scenario loaded from JSON (docs/simulator.md):
 * assets with their broadcast identity and timed great-circle routes,
 * receivers, transmission behaviour, background civil traffic (generated
 * deterministically from the seed at load time), manual sightings and the
 * ground-truth checks to compute.
 *
 * Ownership: scenario_load returns a heap object freed with scenario_free
 * (NULL-safe); every array and string inside belongs to it.
 *
 * Limits (bad input is an error naming the field, never a crash): a
 * scenario spans at most 400 days; route times lie within 30 days of
 * start..end; numbers are range-checked before any conversion.
 */
#ifndef ORBAT_SIM_SCENARIO_H
#define ORBAT_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sim_kind {
    SIM_SHIP = 1,
    SIM_AIRCRAFT = 2,
};

/* A route point with its time (unix ms) after times are resolved. */
struct sim_wp {
    int64_t t_ms;
    double lat, lon;
    double alt_ft; /* aircraft; 0 = on the ground (no broadcast) */
    /* derived at load time for fast interpolation */
    double x, y, z; /* unit vector of (lat, lon) */
    double seg_rad; /* great-circle angle to the next waypoint */
};

struct sim_span {
    int64_t from_ms, to_ms;
};

struct sim_asset {
    char key[40]; /* scenario id */
    enum sim_kind kind;
    uint32_t id;       /* MMSI or ICAO address */
    char name[24];     /* AIS name / aircraft description */
    char callsign[12]; /* AIS call sign / ADS-B flight id */
    char type[48];     /* free text: "guided-missile destroyer", "B-52H" */
    char hull[16];
    char reg[16];      /* aircraft registration ("r" in readsb traces), may be empty */
    char icao_type[8]; /* ICAO type designator ("t"), may be empty */
    uint8_t ship_type; /* AIS ship type 0..99 */
    char ais_class;    /* 'A' or 'B' */
    uint8_t category;  /* ADS-B emitter category (set A=TC4 .. D=TC1) as 0xA0|n */
    uint16_t squawk;
    uint16_t length_m, beam_m;
    bool military;
    bool background;
    bool transponder_off; /* never broadcasts (dark ship, submarine) */
    struct sim_wp *wp;
    size_t nwp;
    struct sim_span *off; /* transponder-off gaps */
    size_t noff;
};

struct sim_receiver {
    char name[32];
    double lat, lon;
    double range_km;
    double loss; /* probability a message in range is lost */
    bool ais, adsb;
};

struct sim_sighting {
    char asset[40];
    int64_t t_ms;
    double lat, lon;
    char source[160]; /* who reported it */
    char url[240];    /* where (may be empty) */
    char note[200];
};

struct sim_target { /* a closest-approach check */
    char asset[40];
    char name[64];
    double lat, lon;
    int64_t from_ms, to_ms; /* window; 0 = whole route */
};

struct sim_port { /* a port-visit check */
    char asset[40];
    char name[64];
    double lat, lon;
    double in_km, out_km;
};

struct scenario {
    char name[64];
    char description[512];
    int64_t start_ms, end_ms;
    uint64_t seed;
    double ais_scale, adsb_scale; /* multiply standard reporting intervals (thinning) */
    double static_interval_s;     /* AIS static/voyage data interval before scaling */
    double ais_max_interval_s;    /* cap on a scaled AIS position interval (0 = none) */
    double loss;                  /* default random loss */
    double theatre[64][2];        /* theatre polygon, lon/lat */
    size_t ntheatre;
    char theatre_name[32];
    struct sim_asset *assets;
    size_t nassets;
    struct sim_receiver *rx;
    size_t nrx;
    struct sim_sighting *sightings;
    size_t nsightings;
    struct sim_target *targets;
    size_t ntargets;
    struct sim_port *ports;
    size_t nports;
    int64_t oob_ms[16]; /* order-of-battle check times */
    size_t noob;
    char *sources_json; /* the "sources" array re-serialised, or NULL */
};

/* Load PATH. seed_override >= 0 replaces the file's seed (it drives the
 * background traffic). On error returns NULL and writes a message (with
 * the JSON path of the bad field) into err. */
struct scenario *scenario_load(const char *path, int64_t seed_override, char *err, size_t errsz);
/* The same from a JSON text of len bytes (borrowed for the call). */
struct scenario *scenario_load_buffer(const char *buf, size_t len, int64_t seed_override, char *err,
                                      size_t errsz);
void scenario_free(struct scenario *s);

/* "2025-10-15T06:30:00Z" (or a date "2025-10-15") -> unix ms. Returns
 * false on bad syntax. */
bool sim_parse_time(const char *s, int64_t *ms);
/* unix ms -> "2025-10-15T06:30:00Z" (buf >= 21 bytes). */
void sim_format_time(int64_t ms, char *buf, size_t n);

/* Position of an asset at t: false when t is outside its route. */
bool sim_position(const struct sim_asset *a, int64_t t_ms, double *lat, double *lon, double *alt_ft,
                  double *speed_kn, double *course_deg);
/* Vertical rate of the route leg at t in ft/min (0 outside the route). */
double sim_vrate_fpm(const struct sim_asset *a, int64_t t_ms);
/* Is the transponder on at t (not transponder_off, outside gaps)? */
bool sim_transmitting(const struct sim_asset *a, int64_t t_ms);
/* Point in the scenario's theatre polygon (true when none is defined). */
bool sim_in_theatre(const struct scenario *s, double lat, double lon);

#endif /* ORBAT_SIM_SCENARIO_H */
