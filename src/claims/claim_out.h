/* SPDX-License-Identifier: BSD-2-Clause
 *
 * claim_out.h - a claim and its check result as a table block, a JSON
 * object or Markdown (ready to paste into an article; the caller adds the
 * data sources' attribution once, after the last claim).
 */
#ifndef ORBAT_CLAIMS_CLAIM_OUT_H
#define ORBAT_CLAIMS_CLAIM_OUT_H

#include <stdio.h>

#include "claims/claim_check.h"
#include "store/store.h"

/* r may be NULL (the claim only, as `orbat claim list` and /api/claims give it). */
void claim_out_table(FILE *out, const struct store_claim *sc, const struct claim *c,
                     const struct claim_result *r);
void claim_out_json(FILE *out, const struct store_claim *sc, const struct claim *c,
                    const struct claim_result *r);
void claim_out_markdown(FILE *out, const struct store_claim *sc, const struct claim *c,
                        const struct claim_result *r);

/* The JSON of /api/claims (id 0: {"claims":[...]} with every claim and its
 * verdict) or /api/claims/ID (that claim's object with the whole check).
 * Returns ORBAT_OK, ORBAT_E_NOTFOUND (no such claim), ORBAT_E_NOMEM or a
 * store error; err receives the reason. */
int claim_api_json(struct store *s, int64_t id, FILE *out, char *err, size_t errlen);

#endif /* ORBAT_CLAIMS_CLAIM_OUT_H */
