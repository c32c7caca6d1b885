/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_claim.c - libFuzzer target for the claim parser (src/claims/claim.h):
 * the input is read as a spec, as a distance and a count measure, and as a
 * claims CSV (header + rows, the events_seed.csv layout among others). A
 * spec that parses must format and parse back to the same spec.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "claims/claim.h"
#include "registry/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const char *spec)
{
    struct claim c, c2;
    char err[256], buf[CLAIM_SPEC_MAX], buf2[CLAIM_SPEC_MAX];
    if (claim_parse_spec(spec, &c, err, sizeof err) != 0)
        return;
    if (claim_format_spec(&c, buf, sizeof buf) != 0)
        return;
    if (claim_parse_spec(buf, &c2, err, sizeof err) != 0)
        abort(); // a formatted spec must parse
    if (claim_format_spec(&c2, buf2, sizeof buf2) != 0 || strcmp(buf, buf2))
        abort(); // and format to itself
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16))
        return 0;
    char *s = malloc(size + 1);
    struct csv_row *hdr = malloc(sizeof *hdr), *row = malloc(sizeof *row);
    if (!s || !hdr || !row)
        goto out;
    memcpy(s, data, size);
    s[size] = '\0';
    char err[256];
    struct claim_measure m;
    (void)claim_parse_measure(s, CLAIM_DISTANCE, &m, err, sizeof err);
    (void)claim_parse_measure(s, CLAIM_COUNT, &m, err, sizeof err);
    roundtrip(s);
    struct csv_reader r;
    csv_init(&r, s, size, ',');
    if (csv_next(&r, hdr) == CSV_RECORD) {
        enum csv_status st;
        int guard = 0;
        while ((st = csv_next(&r, row)) != CSV_EOF && guard++ < 10000) {
            if (st != CSV_RECORD)
                continue;
            struct claim_row_out o;
            if (claim_csv_row(hdr->field, hdr->nfields, row->field, row->nfields, &o, err,
                              sizeof err) == 0)
                roundtrip(o.spec);
        }
    }
out:
    free(s);
    free(hdr);
    free(row);
    return 0;
}
