/* SPDX-License-Identifier: BSD-2-Clause
 *
 * tables.c - MID and ICAO address block tables; see tables.h. MMSI forms
 * per ITU-R M.585-9 Annex 1 sections 2-5 and Annex 2 (SART/MOB/EPIRB).
 */
#include "registry/tables.h"

static const struct mid_entry mid_table[] = {
#include "registry/mid_table.inc"
};

static const struct icao_block country_table[] = {
#include "registry/icao_country_table.inc"
};

static const struct icao_mil_block mil_table[] = {
#include "registry/icao_mil_table.inc"
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct mid_entry *tables_mid_lookup(uint16_t mid)
{
    size_t lo = 0, hi = COUNT(mid_table);
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (mid_table[m].mid == mid)
            return &mid_table[m];
        if (mid_table[m].mid < mid)
            lo = m + 1;
        else
            hi = m;
    }
    return NULL;
}

enum mmsi_kind tables_mmsi_kind(uint32_t mmsi, uint16_t *mid)
{
    *mid = 0;
    if (mmsi == 0 || mmsi > 999999999u)
        return MMSI_INVALID;
    // ITU-R M.585 Annex 1 s.2: ship station MIDXXXXXX, MID 201..775.
    if (mmsi >= 200000000u && mmsi < 800000000u) {
        *mid = (uint16_t)(mmsi / 1000000u);
        return MMSI_SHIP;
    }
    // s.4: SAR aircraft 111MIDXXX.
    if (mmsi >= 111000000u && mmsi < 112000000u) {
        *mid = (uint16_t)((mmsi / 1000u) % 1000u);
        return MMSI_SAR_AIRCRAFT;
    }
    // Annex 2: 970 AIS-SART, 972 MOB, 974 EPIRB-AIS.
    if (mmsi >= 970000000u && mmsi < 975000000u)
        return MMSI_SART;
    // s.5: 98MIDXXXX craft associated with a parent ship, 99MIDXXXX AtoN.
    if (mmsi >= 980000000u && mmsi < 990000000u) {
        *mid = (uint16_t)((mmsi / 10000u) % 1000u);
        return MMSI_CRAFT;
    }
    if (mmsi >= 990000000u) {
        *mid = (uint16_t)((mmsi / 10000u) % 1000u);
        return MMSI_ATON;
    }
    // s.3: 00MIDXXXX coast station, 0MIDXXXXX group (9-digit numbers with
    // leading zeros, i.e. values below 100000000).
    if (mmsi < 10000000u) {
        *mid = (uint16_t)(mmsi / 10000u);
        return MMSI_COAST;
    }
    if (mmsi < 100000000u) {
        *mid = (uint16_t)(mmsi / 100000u);
        return MMSI_GROUP;
    }
    return MMSI_OTHER;
}

const char *tables_mmsi_kind_name(enum mmsi_kind k)
{
    switch (k) {
    case MMSI_SHIP:
        return "ship station";
    case MMSI_GROUP:
        return "group call";
    case MMSI_COAST:
        return "coast station";
    case MMSI_SAR_AIRCRAFT:
        return "SAR aircraft";
    case MMSI_CRAFT:
        return "craft associated with a parent ship";
    case MMSI_ATON:
        return "aid to navigation";
    case MMSI_SART:
        return "AIS-SART/MOB/EPIRB";
    case MMSI_OTHER:
        return "other";
    case MMSI_INVALID:
        break;
    }
    return "invalid";
}

const struct icao_block *tables_icao_country(uint32_t addr)
{
    const struct icao_block *best = NULL;
    for (size_t i = 0; i < COUNT(country_table); i++) {
        const struct icao_block *b = &country_table[i];
        if (b->start > addr)
            break; // sorted by start
        if (addr <= b->end && (!best || b->end - b->start < best->end - best->start))
            best = b;
    }
    return best;
}

const struct icao_mil_block *tables_icao_military(uint32_t addr)
{
    for (size_t i = 0; i < COUNT(mil_table); i++) {
        if (mil_table[i].start > addr)
            break;
        if (addr <= mil_table[i].end)
            return &mil_table[i];
    }
    return NULL;
}

const struct mid_entry *tables_mid_all(size_t *n)
{
    *n = COUNT(mid_table);
    return mid_table;
}

const struct icao_block *tables_icao_country_all(size_t *n)
{
    *n = COUNT(country_table);
    return country_table;
}

const struct icao_mil_block *tables_icao_military_all(size_t *n)
{
    *n = COUNT(mil_table);
    return mil_table;
}
