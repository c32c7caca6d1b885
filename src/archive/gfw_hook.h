/* SPDX-License-Identifier: BSD-2-Clause
 *
 * gfw_hook.h - `orbat import` of a Global Fishing Watch API v3 events file:
 * stored as external events (src/archive/gfw.c), not through the ingest
 * path. Kept apart so that cmd_import.c depends on one small interface.
 */
#ifndef ORBAT_ARCHIVE_GFW_HOOK_H
#define ORBAT_ARCHIVE_GFW_HOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct gfw_hook_stats {
    uint64_t stored;  /* events stored now */
    uint64_t present; /* already in the store */
};

/* Import PATH (plain or .gz) into s. Returns ORBAT_OK or an error (reported
 * on stderr unless quiet). */
int gfw_hook_import(struct store *s, const char *path, struct gfw_hook_stats *st, bool quiet);

#endif /* ORBAT_ARCHIVE_GFW_HOOK_H */
