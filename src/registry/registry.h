/* SPDX-License-Identifier: BSD-2-Clause
 *
 * registry.h - known ships and aircraft, loaded from CSV files, looked up
 * by hash: aircraft by ICAO address; ships by MMSI, IMO, and normalised
 * name, hull number and call sign.
 *
 * Files are recognised by their header line:
 *   plane-alert-db   $ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,...
 *   tar1090-db       icao_hex,registration,icao_type,type_description,db_flags,...
 *   readsb/tar1090   hex;registration;icao_type;flags;description[;year;owner]
 *                    (aircraft.csv style; first line may be a header or data)
 *   orbat aircraft   icao,registration,type,icao_type,operator,country,category,role
 *   ships_seed       name,hull,class,type,first_reported_in_theatre,...,mmsi_candidate,...
 *   hexfair list     hull,name,type,homeport,mmsi,...
 *   orbat ships      mmsi,name,hull,imo,callsign,class,type,country,operator,category,
 *                    role,mmsi_verified
 * A row that cannot be used is reported as "FILE:LINE: reason" and skipped;
 * every other row is kept. Later rows (and later files) override earlier
 * ones with the same key.
 *
 * Ownership: registry_new returns a heap object freed by registry_free
 * (NULL-safe). Record pointers returned by lookups and iteration are
 * borrowed: valid until the next registry_load_* call or registry_free.
 * Lookups do not modify the registry, so loaded registries may be shared
 * read-only between threads.
 */
#ifndef ORBAT_REGISTRY_REGISTRY_H
#define ORBAT_REGISTRY_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What an asset is, as identification reports it. */
enum reg_category {
    CAT_UNKNOWN = 0,
    CAT_CIVIL,
    CAT_GOVERNMENT,
    CAT_LAW_ENFORCEMENT,
    CAT_MILITARY_AIRCRAFT,
    CAT_WARSHIP,
};

enum reg_role {
    ROLE_NONE = 0,
    /* ships */
    ROLE_CARRIER,
    ROLE_CRUISER,
    ROLE_DESTROYER,
    ROLE_FRIGATE,
    ROLE_AMPHIB_ASSAULT,
    ROLE_AMPHIB_TRANSPORT_DOCK,
    ROLE_DOCK_LANDING,
    ROLE_SUBMARINE,
    ROLE_AUXILIARY,
    ROLE_PATROL,
    ROLE_SPECIAL_OPS,
    /* aircraft */
    ROLE_BOMBER,
    ROLE_FIGHTER,
    ROLE_TANKER,
    ROLE_ISR,
    ROLE_AEW,
    ROLE_TRANSPORT,
    ROLE_UAV,
    ROLE_HELICOPTER,
    ROLE_TRAINER,
    ROLE_COUNT
};

const char *registry_category_name(enum reg_category c);
const char *registry_role_name(enum reg_role r);
/* Parse a name as printed by the two functions above (case-insensitive;
 * a few synonyms accepted: "military", "mil", "navy", "police"...).
 * Returns -1 if unknown. */
int registry_category_parse(const char *s);
int registry_role_parse(const char *s);
/* Guess a ship role from free text ("Guided Missile Destroyers",
 * "amphibious assault ship") or a hull designator ("LHD-7"). */
enum reg_role registry_ship_role_guess(const char *type_text, const char *hull);
/* Guess an aircraft role from an ICAO type designator ("B52", "K35R") and
 * free text (plane-alert tags or a type description). */
enum reg_role registry_aircraft_role_guess(const char *icao_type, const char *text);

enum reg_air_class {
    AIRCLASS_NONE = 0,
    AIRCLASS_MIL, /* plane-alert #CMPG Mil, or db flag bit "military" */
    AIRCLASS_GOV, /* plane-alert Gov */
    AIRCLASS_POL, /* plane-alert Pol (police) */
    AIRCLASS_CIV, /* plane-alert Civ (civil but "interesting") */
    AIRCLASS_PIA, /* FAA Privacy ICAO Address: rotates, identity hidden */
};

struct reg_aircraft {
    uint32_t icao;
    uint8_t cls;      /* enum reg_air_class */
    uint8_t category; /* enum reg_category */
    uint8_t role;     /* enum reg_role */
    bool ladd;        /* db flag: LADD (owner asked not to be displayed) */
    uint16_t file;    /* index into registry_file_name() */
    uint32_t line;
    uint32_t url; /* the row's source link: registry_url(); 0 = none */
    char registration[20];
    char icao_type[8];
    char type[48];
    char operator_name[64];
    char country[40];
    char tags[64];
};

struct reg_ship {
    uint32_t mmsi;      /* 0 when unknown */
    uint32_t imo;       /* 0 when unknown */
    bool mmsi_verified; /* false: a candidate MMSI (e.g. from a seed list) */
    uint8_t category;   /* enum reg_category */
    uint8_t role;       /* enum reg_role */
    uint16_t file;
    uint32_t line;
    uint32_t url;  /* the row's source link: registry_url(); 0 = none */
    char name[48]; /* as given, e.g. "USS Iwo Jima" */
    char hull[16]; /* as given, e.g. "LHD-7" */
    char callsign[12];
    char ship_class[40];
    char type[48];
    char country[40];
    char operator_name[48];
    char name_key[48]; /* normalised name, e.g. "IWO JIMA" */
    char hull_key[16]; /* normalised hull, e.g. "LHD7" */
};

/* A ship name split the way matching needs it (see registry_name_parse). */
struct reg_name_parts {
    char name[48];  /* words left after prefixes and hull removed */
    char hull[16];  /* hull designator, e.g. "LHD7", "DDG107", "TAO187" */
    char number[8]; /* hull number digits ("7") from the hull or "WARSHIP 7" */
    char prefix[8]; /* ship prefix found: "USS", "USNS", "USCGC", "HMS", ... */
    bool generic;   /* only generic words: WARSHIP, NAVY, COAST GUARD, MILITARY */
};

/* Normalise a ship name: ASCII upper case, punctuation to spaces, spaces
 * collapsed, then split into prefix / name / hull. Never fails. */
void registry_name_parse(const char *in, struct reg_name_parts *out);
/* Normalise a call sign or registration: upper case, alphanumerics only. */
void registry_key_normalise(const char *in, char *out, size_t outsz);
/* True for a value that stands for "unknown": empty, or only '?', '-', '.'
 * and blanks (plane-alert-db's "????" registration). The loader stores such
 * registrations, types, operators, names, hulls and call signs as "". */
bool registry_placeholder(const char *s);

enum reg_format {
    REGFMT_UNKNOWN = 0,
    REGFMT_PLANE_ALERT,
    REGFMT_TAR1090_MIL,
    REGFMT_READSB,
    REGFMT_ORBAT_AIRCRAFT,
    REGFMT_SHIPS_SEED,
    REGFMT_HEXFAIR,
    REGFMT_ORBAT_SHIPS,
};
const char *registry_format_name(enum reg_format f);

struct reg_load_stats {
    enum reg_format format;
    uint32_t rows;     /* data rows seen */
    uint32_t loaded;   /* rows stored */
    uint32_t bad;      /* rows reported and skipped */
    uint32_t replaced; /* stored rows that overrode an earlier key */
};

/* Error callback: one call per bad row, msg is "reason" (no file/line). */
typedef void (*reg_err_cb)(void *ctx, const char *file, uint32_t line, const char *msg);

struct registry;

struct registry *registry_new(void);
void registry_free(struct registry *reg);

/* Load one CSV file. Returns 0 (bad rows are reported through cb, which
 * may be NULL, and counted in st), or -1 when the file could not be read
 * or its header is not a known format (also reported through cb, line 0
 * or 1). st may be NULL. */
int registry_load_file(struct registry *reg, const char *path, reg_err_cb cb, void *ctx,
                       struct reg_load_stats *st);
/* Same from memory; name is used in messages and provenance. */
int registry_load_buf(struct registry *reg, const char *buf, size_t n, const char *name,
                      reg_err_cb cb, void *ctx, struct reg_load_stats *st);

/* Lookups: NULL when absent. Pointers valid until the next load or free. */
const struct reg_aircraft *registry_find_icao(const struct registry *reg, uint32_t icao);
const struct reg_ship *registry_find_mmsi(const struct registry *reg, uint32_t mmsi);
const struct reg_ship *registry_find_imo(const struct registry *reg, uint32_t imo);
/* By normalised name key, hull key, call sign key, or bare hull number;
 * a hull number shared by two different hulls returns NULL. */
const struct reg_ship *registry_find_ship_name(const struct registry *reg, const char *name_key);
const struct reg_ship *registry_find_ship_hull(const struct registry *reg, const char *hull_key);
const struct reg_ship *registry_find_ship_callsign(const struct registry *reg,
                                                   const char *callsign);
const struct reg_ship *registry_find_ship_number(const struct registry *reg, const char *number);
/* Aircraft by normalised registration. */
const struct reg_aircraft *registry_find_registration(const struct registry *reg,
                                                      const char *reg_key);

/* Iteration over every stored row (including overridden ones) for search
 * and statistics. */
size_t registry_aircraft_count(const struct registry *reg);
const struct reg_aircraft *registry_aircraft_at(const struct registry *reg, size_t i);
size_t registry_ship_count(const struct registry *reg);
const struct reg_ship *registry_ship_at(const struct registry *reg, size_t i);
/* True if row r is the one a lookup by its key returns now. */
bool registry_aircraft_is_current(const struct registry *reg, const struct reg_aircraft *a);
bool registry_ship_is_current(const struct registry *reg, const struct reg_ship *s);
size_t registry_file_count(const struct registry *reg);
/* The source link a row gives (plane-alert-db's $#Link, the first URL of
 * the ships seed list's source column, a source_url column): an http or
 * https URL of at most REG_URL_MAX bytes (longer ones and other schemes
 * are not kept), or "" for url 0. Borrowed like the records. */
#define REG_URL_MAX 512
const char *registry_url(const struct registry *reg, uint32_t url);
const char *registry_file_name(const struct registry *reg, size_t i);

/* Locate the shipped data directory (containing registry/ and rules/):
 * $ORBAT_DATA_DIR, then ../data, ../../data, ../share/orbat next to the
 * running executable, then ./data. Writes it to out and returns 0, or -1
 * when none exists. */
int registry_find_data_dir(char *out, size_t outsz);
/* Load the shipped default registry files from data_dir/registry (the
 * plane-alert-db CSV, its PIA list and the ships seed list). Returns the
 * number of files that failed to load. */
int registry_load_defaults(struct registry *reg, const char *data_dir, reg_err_cb cb, void *ctx);

/* A reg_err_cb that prints "FILE:LINE: msg" (or "FILE: msg" for line 0)
 * to the FILE * given as ctx. */
void registry_err_print(void *ctx, const char *file, uint32_t line, const char *msg);

/* The command-line set-up: unless no_defaults, the shipped defaults from
 * the data directory (found with registry_find_data_dir; a missing data
 * directory is reported), then each of the nfiles user files in order.
 * Errors go through cb. Returns a new registry (NULL when out of memory);
 * *failed counts the files that could not be loaded. If data_dir is not
 * NULL the data directory found is copied there ("" if none). */
struct registry *registry_setup(bool no_defaults, char *const *files, size_t nfiles, reg_err_cb cb,
                                void *ctx, int *failed, char *data_dir, size_t data_dir_sz);

#endif /* ORBAT_REGISTRY_REGISTRY_H */
