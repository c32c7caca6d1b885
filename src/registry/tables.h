/* SPDX-License-Identifier: BSD-2-Clause
 *
 * tables.h - fixed identity tables compiled into orbat: MMSI MID -> flag
 * state (ITU RR Appendix 43), ICAO 24-bit address blocks -> state of
 * registry (ICAO Annex 10 Vol III ch. 9) and the military address blocks
 * that readsb uses (aircraft.c isMilRange()). The tables are generated from
 * the CSVs shipped in data/registry/ (test_registry checks they agree).
 *
 * All returned pointers are to static const data.
 */
#ifndef ORBAT_REGISTRY_TABLES_H
#define ORBAT_REGISTRY_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mid_entry {
    uint16_t mid;
    const char *country;
    const char *iso2;
};

struct icao_block {
    uint32_t start, end; /* inclusive */
    const char *country;
    const char *code; /* ISO 3166 alpha-2, lowercase */
};

struct icao_mil_block {
    uint32_t start, end; /* inclusive */
    const char *country;
    const char *label;
    int enabled; /* 0: readsb disables it (civil aircraft inside, e.g. Chile E806xx) */
};

/* What the first digits of an MMSI say (ITU-R M.585 Annex 1). */
enum mmsi_kind {
    MMSI_INVALID = 0,
    MMSI_SHIP,         /* MIDxxxxxx */
    MMSI_GROUP,        /* 0MIDxxxxx */
    MMSI_COAST,        /* 00MIDxxxx */
    MMSI_SAR_AIRCRAFT, /* 111MIDxxx */
    MMSI_CRAFT,        /* 98MIDxxxx: boat of a parent ship */
    MMSI_ATON,         /* 99MIDxxxx */
    MMSI_SART,         /* 970xxyyyy AIS-SART, 972 MOB, 974 EPIRB-AIS */
    MMSI_OTHER,
};

/* Classify an MMSI and extract its MID (0 when none). */
enum mmsi_kind tables_mmsi_kind(uint32_t mmsi, uint16_t *mid);
const char *tables_mmsi_kind_name(enum mmsi_kind k);
/* MID -> entry, NULL when unallocated. */
const struct mid_entry *tables_mid_lookup(uint16_t mid);
/* Narrowest country block containing addr, NULL if none. */
const struct icao_block *tables_icao_country(uint32_t addr);
/* Military block containing addr (enabled or not), NULL if none. */
const struct icao_mil_block *tables_icao_military(uint32_t addr);

/* Raw access for consistency tests. */
const struct mid_entry *tables_mid_all(size_t *n);
const struct icao_block *tables_icao_country_all(size_t *n);
const struct icao_mil_block *tables_icao_military_all(size_t *n);

#endif /* ORBAT_REGISTRY_TABLES_H */
