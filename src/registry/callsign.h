/* SPDX-License-Identifier: BSD-2-Clause
 *
 * callsign.h - callsign rules: an editable CSV file (data/rules/callsigns.csv)
 * mapping ADS-B flight identification patterns to a category and role,
 * each line with its source.
 *
 * File format (header required; lines starting with '#' are comments):
 *   pattern,category,role,operator,country,strength,source
 * pattern: upper-case letters and digits match themselves, '#' one digit,
 * '?' any one character, and a trailing '*' any rest (possibly empty); the
 * whole callsign must match. strength: weak or medium (how much the rule
 * alone says; see docs/identification.md).
 *
 * Ownership: callsign_rules_new returns a heap object freed with
 * callsign_rules_free (NULL-safe). Rule pointers are borrowed until the
 * next load or free.
 */
#ifndef ORBAT_REGISTRY_CALLSIGN_H
#define ORBAT_REGISTRY_CALLSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "registry/registry.h"

enum rule_strength {
    STRENGTH_NONE = 0,
    STRENGTH_WEAK = 1,
    STRENGTH_MEDIUM = 2,
    STRENGTH_STRONG = 4,
};

struct callsign_rule {
    char pattern[16];
    uint8_t category; /* enum reg_category */
    uint8_t role;     /* enum reg_role */
    uint8_t strength; /* enum rule_strength */
    uint32_t line;
    char operator_name[64];
    char country[40];
    char source[160];
};

struct callsign_rules;

struct callsign_rules *callsign_rules_new(void);
void callsign_rules_free(struct callsign_rules *r);
/* Append the rules of a file. Bad lines are reported through cb (may be
 * NULL) and skipped. Returns the number of rules added, or -1 when the file
 * could not be read or has no valid header. */
int callsign_rules_load_file(struct callsign_rules *r, const char *path, reg_err_cb cb, void *ctx);
int callsign_rules_load_buf(struct callsign_rules *r, const char *buf, size_t n, const char *name,
                            reg_err_cb cb, void *ctx);
size_t callsign_rules_count(const struct callsign_rules *r);
const struct callsign_rule *callsign_rule_at(const struct callsign_rules *r, size_t i);

/* True if the pattern matches the whole callsign (see the syntax above). */
int callsign_pattern_match(const char *pattern, const char *callsign);
/* The most specific rule matching callsign (most literal characters; the
 * earlier rule on a tie), or NULL. The callsign is compared upper-cased and
 * without spaces. */
const struct callsign_rule *callsign_rules_match(const struct callsign_rules *r,
                                                 const char *callsign);

#endif /* ORBAT_REGISTRY_CALLSIGN_H */
