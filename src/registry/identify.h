/* SPDX-License-Identifier: BSD-2-Clause
 *
 * identify.h - the identification rules engine: what a ship or aircraft is
 * (category, role, country, name), how sure we are (confidence) and why
 * (reasons: rule id + evidence). Rules are documented with their ids in
 * docs/identification.md.
 *
 * Two layers:
 *  - ident_evaluate: a pure function of what is known about one asset
 *    (struct ident_input) plus the registry and callsign rules.
 *  - struct ident_cache: per-asset state keyed by MMSI / ICAO address that
 *    the tracker feeds with every observation; an asset is re-evaluated
 *    only when its static data changes (AIS name, call sign, ship type,
 *    IMO, ADS-B callsign or emitter category, DF19/TIS-B/anonymous flags).
 *
 * Ownership: ident_cache_new borrows the registry and rules (they must
 * outlive the cache; call ident_cache_reevaluate after reloading them) and
 * returns a heap object freed with ident_cache_free (NULL-safe). Asset
 * pointers are borrowed until the next ident_observe or free.
 */
#ifndef ORBAT_REGISTRY_IDENTIFY_H
#define ORBAT_REGISTRY_IDENTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/obs.h"
#include "registry/callsign.h"
#include "registry/registry.h"

enum ident_confidence {
    CONF_NONE = 0,
    CONF_POSSIBLE,  /* net score 1: one weak indicator */
    CONF_LIKELY,    /* net score 2-3: one medium indicator or corroborated weak ones */
    CONF_CONFIRMED, /* net score >= 4: registry match, or independent medium ones */
};

const char *ident_confidence_name(enum ident_confidence c);

#define IDENT_MAX_REASONS 12

struct ident_reason {
    char rule[24]; /* rule id, e.g. "A.MIL_BLOCK" */
    int8_t weight; /* contribution to the winning score (0: information) */
    char evidence[160];
};

struct ident_result {
    uint8_t category;   /* enum reg_category */
    uint8_t role;       /* enum reg_role */
    uint8_t confidence; /* enum ident_confidence */
    int score;          /* net score of the category chosen */
    char country[40];
    char name[64]; /* identified name: registry name (+ hull) or registration */
    char hull[16];
    char operator_name[64];
    char type[48]; /* registry type / ICAO type designator */
    int nreasons;
    struct ident_reason reasons[IDENT_MAX_REASONS];
};

/* Everything identification looks at for one asset. */
struct ident_input {
    enum obs_kind kind;
    uint32_t id;    /* MMSI or 24-bit address */
    uint32_t flags; /* OR of the OBS_F_DF19 / OBS_F_TISB / OBS_F_ANON seen */
    bool has_ship_type;
    bool has_emitter;
    uint8_t ship_type; /* AIS ship and cargo type */
    uint8_t emitter;   /* ADS-B emitter category 0xA0..0xD7 */
    uint32_t imo;
    char name[24];     /* AIS ship name */
    char callsign[12]; /* AIS call sign or ADS-B flight identification */
    bool has_acdb;
    struct obs_acdb acdb; /* an archive's aircraft database fields (rule A.ARCHIVE_DB) */
};

/* Evaluate every rule for one asset. reg and rules may be NULL (those rules
 * are skipped). Never fails. */
void ident_evaluate(const struct registry *reg, const struct callsign_rules *rules,
                    const struct ident_input *in, struct ident_result *out);

struct ident_asset {
    struct ident_input in;
    struct ident_result res;
    uint64_t messages;        /* observations of this asset */
    uint64_t static_messages; /* of which carried static/voyage data */
    int64_t first_ms, last_ms;
    uint32_t evaluations; /* how often the rules ran for it */
};

struct ident_cache;

struct ident_cache *ident_cache_new(const struct registry *reg, const struct callsign_rules *rules);
void ident_cache_free(struct ident_cache *c);
/* Account one observation and return its asset with a current
 * identification, or NULL when out of memory. */
const struct ident_asset *ident_observe(struct ident_cache *c, const struct obs *o);
/* Assets in first-seen order. */
size_t ident_cache_count(const struct ident_cache *c);
const struct ident_asset *ident_cache_at(const struct ident_cache *c, size_t i);
/* The asset for (kind, id, anonymous), NULL if never observed. */
const struct ident_asset *ident_cache_find(const struct ident_cache *c, enum obs_kind kind,
                                           uint32_t id, bool anon);
/* Re-run the rules for every asset (after the registry or rules changed). */
void ident_cache_reevaluate(struct ident_cache *c);

#endif /* ORBAT_REGISTRY_IDENTIFY_H */
