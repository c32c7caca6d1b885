/* SPDX-License-Identifier: BSD-2-Clause
 *
 * acinfo.h - the aircraft database fields of tar1090's aircraft.json for
 * one aircraft, as readsb takes them from its database: r (registration),
 * t (ICAO type designator), desc (type description), ownOp (owner or
 * operator) and dbFlags (1 military, 2 interesting, 4 PIA, 8 LADD; readsb
 * README-json.md). They come from orbat's registry entry for the address
 * (plane-alert-db and the other loaded lists), else from the archive
 * aircraft database fields identification stored in the asset's reasons
 * (rule A.ARCHIVE_DB: "archive aircraft database: REG TYPE (DESC), OWNOP").
 * The call sign is never used as a description.
 *
 * Ownership: fills the caller's struct; borrows nothing. Pure apart from
 * the registry lookup.
 */
#ifndef ORBAT_HTTP_ACINFO_H
#define ORBAT_HTTP_ACINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "registry/registry.h"

#define ACINFO_MILITARY    1u
#define ACINFO_INTERESTING 2u
#define ACINFO_PIA         4u
#define ACINFO_LADD        8u

struct acinfo {
    char r[32]; /* registration (the store's hull field is as long) */
    char t[8];
    char desc[48];
    char ownop[64];
    unsigned db_flags;
    const char *from; /* "registry", "archive" or "" (nothing found) */
};

/* reg may be NULL; reasons is the stored "rule: evidence; ..." text (may
 * be NULL); military is orbat's own verdict (sets bit 1). */
void acinfo_lookup(const struct registry *reg, uint32_t icao, const char *reasons, bool military,
                   struct acinfo *out);

/* Parse the A.ARCHIVE_DB evidence out of reasons into out's r, t, desc and
 * ownop ("-" fields stay empty). Returns true when the rule is there. */
bool acinfo_from_reasons(const char *reasons, struct acinfo *out);

#endif /* ORBAT_HTTP_ACINFO_H */
