/* SPDX-License-Identifier: BSD-2-Clause
 *
 * commb.h - internal: Comm-B (DF20/21 MB field) inference hook for
 * modes.c. Public Comm-B functions are in include/orbat/modes.h.
 */
#ifndef ORBAT_DECODE_MODES_COMMB_H
#define ORBAT_DECODE_MODES_COMMB_H

#include "orbat/modes.h"

/* Reset m->commb; when `infer` is true, find the plausible registers of
 * m->raw[4..10] and decode the register when exactly one fits. */
void commb_infer(struct orbat_modes_msg *m, bool infer);

#endif /* ORBAT_DECODE_MODES_COMMB_H */
