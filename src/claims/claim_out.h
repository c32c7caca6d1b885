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

#endif /* ORBAT_CLAIMS_CLAIM_OUT_H */
