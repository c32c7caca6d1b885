/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report.h - the answers orbat gives from its store: the order of battle in
 * a theatre as of a time, arrivals and departures between two dates, the
 * per-day timeline (table and SVG chart), the evidence behind an asset,
 * the event list, and exports of tracks, last positions, events and
 * sightings as GeoJSON (RFC 7946), KML 2.2 or CSV (RFC 4180).
 *
 * Reports read the store only through store.h, so they work with any
 * backend. Output goes to a caller-owned FILE; report_* never closes it.
 *
 * Ownership: report_oob_build fills a caller-owned struct report_oob whose
 * entries are heap memory released by report_oob_free (safe on a zeroed or
 * already freed struct).
 */
#ifndef ORBAT_REPORT_REPORT_H
#define ORBAT_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"

#define REPORT_DEFAULT_WINDOW_MS (7 * STORE_DAY_MS)
/* Confidence shown for an asset known only from manual sightings when the
 * sighting gave none. */
#define REPORT_SIGHTING_CONFIDENCE 0.5

enum report_format {
    RFMT_TABLE = 0,
    RFMT_JSON,
    RFMT_MARKDOWN,
    RFMT_CSV,
    RFMT_GEOJSON,
    RFMT_KML,
};

/* "table", "json", "markdown" (or "md"), "csv", "geojson", "kml"; -1 if
 * unknown. */
int report_format_parse(const char *s);

struct report_opts {
    const char *theatre; /* NULL or "" = anywhere */
    int64_t as_of_ms;    /* end of the window */
    int64_t window_ms;   /* length of the window before as_of */
    bool all;            /* include assets not identified as military */
};

/* What the order of battle says about one asset. */
struct report_entry {
    struct store_asset asset;
    int64_t first_ms, last_ms; /* first/last seen in the theatre within the window */
    double last_lat, last_lon;
    uint64_t n_obs;         /* thinned transponder observations behind it */
    uint32_t n_sightings;   /* manual sightings in the window */
    double confidence;      /* the asset's, or the best sighting's when only sighted */
    const char *basis;      /* "transponder", "sighting" or "transponder+sighting" */
    char sighting_url[512]; /* source of the latest sighting, "" if none */
};

struct report_oob {
    struct report_entry *e; /* sorted by category, role, name */
    size_t n, cap;
    uint64_t sources, simulated_sources; /* in the database: reports warn on simulations */
    char licences[1024]; /* the archives' attribution lines, '\n'-terminated (ODbL asks) */
    char theatre[32];
    int64_t from_ms, to_ms;
};

/* Build the order of battle for opts from the store. Returns ORBAT_OK or a
 * store / ORBAT_E_NOMEM error. */
int report_oob_build(struct store *s, const struct report_opts *opts, struct report_oob *out);
void report_oob_free(struct report_oob *r);

/* The counts line(s): "10 warships: 3 destroyers, 1 cruiser, ..." one per
 * category, into buf (truncated to size). Returns the number of lines. */
size_t report_oob_counts(const struct report_oob *r, char *buf, size_t size);

/* Write the order of battle in table, json, markdown or csv. */
int report_oob_write(const struct report_oob *r, enum report_format f, FILE *out);

/* Arrivals (present at `to`, not at `from`) and departures (the reverse),
 * each as of that time over opts->window_ms. opts->as_of_ms is ignored. */
int report_diff_write(struct store *s, const struct report_opts *opts, int64_t from_ms,
                      int64_t to_ms, enum report_format f, FILE *out);

/* Assets present per day and category over [from, to]: a table (or json,
 * markdown, csv) on out, and when svg is not NULL an SVG chart on svg. */
int report_timeline_write(struct store *s, const struct report_opts *opts, int64_t from_ms,
                          int64_t to_ms, enum report_format f, FILE *out, FILE *svg);

/* Everything behind the assets matching KEY (name, hull, MMSI, ICAO,
 * call sign, "#id"): identity with reasons and the identifying message,
 * every observation with its raw message and source, sightings and events.
 * Returns ORBAT_E_NOTFOUND when nothing matches. */
int report_evidence_write(struct store *s, const char *key, int64_t from_ms, int64_t to_ms,
                          enum report_format f, FILE *out);

/* The same with at most `limit` observations per asset (0: all); the number
 * in range not shown is stored in *not_shown (may be NULL). Tables say it
 * in-line, JSON as "observations_not_shown". */
int report_evidence_write_limit(struct store *s, const char *key, int64_t from_ms, int64_t to_ms,
                                size_t limit, uint64_t *not_shown, enum report_format f, FILE *out);
/* Events of a type ("" = all) in [from, to]. */
int report_events_write(struct store *s, const char *type, int64_t from_ms, int64_t to_ms,
                        enum report_format f, FILE *out);

/* orbat's events and the external ones (Global Fishing Watch ...) of a type
 * ("" = all) overlapping [from, to], in one time-ordered list whose source
 * column says "orbat" or "GFW (CC BY-NC 4.0)" (report_external.c). */
int report_external_write(struct store *s, const char *type, int64_t from_ms, int64_t to_ms,
                          enum report_format f, FILE *out);

/* Per vessel with external events that is an orbat ship asset: each
 * external encounter / loitering / port_visit / gap against orbat's
 * encounter / loiter / arrival+departure / ais_gap of that vessel that
 * overlaps it within tol_ms: "agree", "GFW only", "orbat only". type ("" =
 * all) restricts the external types. Table or json (ORBAT_E_INVAL else). */
int report_compare_write(struct store *s, const char *type, int64_t from_ms, int64_t to_ms,
                         int64_t tol_ms, enum report_format f, FILE *out);

/* Tracks, last positions, events and sightings in [from, to] as geojson,
 * kml or csv. Military assets only unless all. */
int report_export_write(struct store *s, int64_t from_ms, int64_t to_ms, bool all,
                        enum report_format f, FILE *out);

/* Output helpers shared by the report files (report_fmt.c). */
void report_json_str(FILE *out, const char *s);
/* The '\n'-separated attribution lines (report_oob.licences) as a JSON
 * array of strings. */
void report_json_licences(FILE *out, const char *licences);
void report_csv_str(FILE *out, const char *s);
void report_xml_str(FILE *out, const char *s);
void report_md_str(FILE *out, const char *s);
/* The simulated-data warning (orbat simulate sources in the database) as one
 * line: "SIMULATED DATA: N of M sources ..." with a newline; as a markdown
 * quote when markdown (then followed by a blank line). Writes nothing when
 * simulated is 0. */
void report_simulated_notice(FILE *out, uint64_t simulated, uint64_t sources, bool markdown);
/* The footer naming the data's sources and licences (lines from
 * store_source_licences); nothing when there are none. */
void report_licence_footer(FILE *out, const char *licences, bool markdown);
/* Which sources of the store are simulations (orbat simulate), so that every
 * shared output (exports, events, evidence, the HTTP API) can label simulated
 * data (report_sim.c). Up to REPORT_SIM_IDS simulated source ids are held;
 * past that a source's status is unknown (-1). */
#define REPORT_SIM_IDS 256
struct report_sim {
    uint64_t sources, simulated;
    int64_t ids[REPORT_SIM_IDS]; /* simulated source ids */
    size_t n;
    bool overflow;
};
int report_sim_load(struct store *s, struct report_sim *r);
/* 1 when the source is simulated, 0 when it is not, -1 unknown. */
int report_sim_source(const struct report_sim *r, int64_t source_id);
/* The whole store: 1 every source simulated, 0 none, -1 a mix. */
int report_sim_all(const struct report_sim *r);
/* "true", "false" or "null" for 1, 0, -1. */
const char *report_sim_json(int v);
/* JSON members (leading comma) "simulated_sources":N,"sources":M and, when N
 * is not 0, "notice":"SIMULATED DATA: ..."; nothing when the store holds no
 * simulated source. */
void report_sim_json_members(FILE *out, const struct report_sim *r);
/* The stored "rule: evidence; rule: evidence" reasons as a JSON array of
 * {"rule":..,"evidence":..} objects, the shape `orbat identify` writes
 * (without its weights, which the store does not keep). */
void report_json_reasons(FILE *out, const char *reasons);
/* "ship", "aircraft" or "sighted". */
const char *report_kind_name(int kind);
/* The asset's fields as JSON members (no braces): "asset_id", "kind", "id",
 * "name", "callsign", "hull", "country", "category", "role". */
void report_json_asset_fields(FILE *out, const struct store_asset *a);
/* "369970634" for ships, "ae1234" for aircraft, "-" for sighted assets. */
void report_asset_ident(const struct store_asset *a, char *buf, size_t size);
/* Display name: name, else call sign, else hull, else the ident; a field
 * holding only a placeholder ("????", "-") counts as empty. */
const char *report_asset_label(const struct store_asset *a, char *buf, size_t size);
/* Display order of a category: warships 0, military aircraft 1, law
 * enforcement 2, government 3, others 4, civil 5, unclassified 6. */
int report_category_rank(const char *category);
/* The noun phrase for a category in counts: "warship", "military aircraft",
 * "civil asset", "unclassified asset" (category adjectives get "asset"). */
void report_category_noun(const char *category, char *buf, size_t size);
/* English plural of a noun phrase for n ("3 destroyers", "1 cruiser",
 * "2 military aircraft"), written into buf. */
void report_count_phrase(unsigned long n, const char *noun, char *buf, size_t size);

#endif /* ORBAT_REPORT_REPORT_H */
