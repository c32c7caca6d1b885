/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_registry_csv.c - libFuzzer target for the registry CSV path: the
 * bounded CSV reader, format detection and every row loader, the callsign
 * rule loader, ship-name normalisation and identification of a ship and an
 * aircraft against whatever was loaded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/callsign.h"
#include "registry/csv.h"
#include "registry/identify.h"
#include "registry/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    const char *buf = (const char *)data;
    struct csv_reader r;
    struct csv_row *row = malloc(sizeof *row);
    if (!row)
        return 0;
    csv_init(&r, buf, size, 0);
    enum csv_status st;
    int guard = 0;
    while ((st = csv_next(&r, row)) != CSV_EOF && guard++ < 100000) {
        if (st != CSV_RECORD)
            continue;
        for (int i = 0; i < row->nfields; i++) {
            struct reg_name_parts np;
            registry_name_parse(row->field[i], &np);
            (void)registry_ship_role_guess(row->field[i], row->field[i]);
        }
    }
    free(row);
    struct registry *reg = registry_new();
    struct callsign_rules *rules = callsign_rules_new();
    if (reg && rules) {
        (void)registry_load_buf(reg, buf, size, "fuzz.csv", NULL, NULL, NULL);
        (void)callsign_rules_load_buf(rules, buf, size, "fuzz-rules.csv", NULL, NULL);
        // Identify the first ship and aircraft loaded, with their own names.
        struct ident_input in;
        struct ident_result res;
        memset(&in, 0, sizeof in);
        in.kind = OBS_SHIP;
        const struct reg_ship *s = registry_ship_at(reg, 0);
        if (s) {
            in.id = s->mmsi;
            memcpy(in.name, s->name, sizeof in.name - 1);
            memcpy(in.callsign, s->callsign, sizeof in.callsign - 1);
            in.imo = s->imo;
            in.has_ship_type = true;
            in.ship_type = 35;
            ident_evaluate(reg, rules, &in, &res);
        }
        const struct reg_aircraft *a = registry_aircraft_at(reg, 0);
        memset(&in, 0, sizeof in);
        in.kind = OBS_AIRCRAFT;
        if (a) {
            in.id = a->icao;
            memcpy(in.callsign, a->registration, sizeof in.callsign - 1);
            in.flags = OBS_F_DF19;
            ident_evaluate(reg, rules, &in, &res);
        }
    }
    registry_free(reg);
    callsign_rules_free(rules);
    return 0;
}
