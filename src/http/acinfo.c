/* SPDX-License-Identifier: BSD-2-Clause
 *
 * acinfo.c - aircraft.json database fields (see acinfo.h).
 */
#include "http/acinfo.h"

#include <stdio.h>
#include <string.h>

/* Copy [s, e) into out (size bytes), "-" as empty, blanks trimmed. */
static void put(char *out, size_t size, const char *s, const char *e)
{
    while (s < e && *s == ' ')
        s++;
    while (e > s && e[-1] == ' ')
        e--;
    size_t n = (size_t)(e - s);
    if (n == 1 && *s == '-')
        n = 0;
    if (n >= size)
        n = size - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

bool acinfo_from_reasons(const char *reasons, struct acinfo *out)
{
    static const char tag[] = "A.ARCHIVE_DB: archive aircraft database: ";
    const char *p = reasons ? strstr(reasons, tag) : NULL;
    if (!p)
        return false;
    p += sizeof tag - 1;
    const char *end = strstr(p, "; ");
    if (!end)
        end = p + strlen(p);
    // "REG TYPE (DESC), OWNOP": REG and TYPE are single tokens ("-" when
    // unknown); DESC runs to the last ")" before ", ".
    const char *sp1 = memchr(p, ' ', (size_t)(end - p));
    if (!sp1)
        return false;
    put(out->r, sizeof out->r, p, sp1);
    const char *open = strstr(sp1 + 1, " (");
    if (!open || open >= end) {
        put(out->t, sizeof out->t, sp1 + 1, end);
        return true;
    }
    put(out->t, sizeof out->t, sp1 + 1, open);
    const char *close = NULL;
    for (const char *q = open + 2; q < end; q++)
        if (*q == ')' && (q + 1 == end || q[1] == ','))
            close = q;
    if (!close) {
        put(out->desc, sizeof out->desc, open + 2, end);
        return true;
    }
    put(out->desc, sizeof out->desc, open + 2, close);
    if (close + 2 < end && close[1] == ',') {
        put(out->ownop, sizeof out->ownop, close + 2, end);
        if (!strcmp(out->ownop, "no operator"))
            out->ownop[0] = '\0';
    }
    return true;
}

void acinfo_lookup(const struct registry *reg, uint32_t icao, const char *reasons, bool military,
                   struct acinfo *out)
{
    memset(out, 0, sizeof *out);
    out->from = "";
    const struct reg_aircraft *a = reg ? registry_find_icao(reg, icao) : NULL;
    if (a) {
        out->from = "registry";
        if (a->cls == AIRCLASS_PIA) {
            out->db_flags |= ACINFO_PIA; // rotating address: no owner, no registration
        } else {
            snprintf(out->r, sizeof out->r, "%s", a->registration);
            snprintf(out->ownop, sizeof out->ownop, "%s", a->operator_name);
        }
        snprintf(out->t, sizeof out->t, "%s", a->icao_type);
        snprintf(out->desc, sizeof out->desc, "%s", a->type);
        if (a->ladd)
            out->db_flags |= ACINFO_LADD;
        if (a->cls == AIRCLASS_GOV || a->cls == AIRCLASS_POL || a->cls == AIRCLASS_CIV)
            out->db_flags |= ACINFO_INTERESTING;
    } else if (acinfo_from_reasons(reasons, out)) {
        out->from = "archive";
    }
    if (military)
        out->db_flags |= ACINFO_MILITARY;
}
