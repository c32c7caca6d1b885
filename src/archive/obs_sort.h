/* SPDX-License-Identifier: BSD-2-Clause
 *
 * obs_sort.h - put an archive's observations in time order before they
 * reach the events engine, in bounded memory.
 *
 * Archives are laid out by asset (a trace file holds one aircraft's day),
 * while the events engine's clock is the newest time it has seen (dark,
 * expiry and encounter checks run on it, docs/events.md): fed one aircraft
 * after another, every aircraft would look silent for hours. So the
 * importer hands each kept observation (with its raw text) to an obs_sort;
 * it keeps them in memory up to a cap, sorts a full buffer by (time, order
 * of arrival) into a run in a temporary file, and at the end merges the
 * runs. The result is the same for any cap: ties keep their order of
 * arrival.
 *
 * Ownership: obs_sort_new returns a heap object freed with obs_sort_free
 * (NULL-safe), which also removes its temporary files.
 */
#ifndef ORBAT_ARCHIVE_OBS_SORT_H
#define ORBAT_ARCHIVE_OBS_SORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/obs.h"

struct obs_sort;

/* cap_bytes: memory for buffered records (at least 1 MiB is used). */
struct obs_sort *obs_sort_new(size_t cap_bytes);
void obs_sort_free(struct obs_sort *s);

/* Add one observation and its raw bytes (copied; o->raw/o->source are
 * ignored). Returns 0, or -1 with errno set (out of memory, temporary file
 * not writable). */
int obs_sort_add(struct obs_sort *s, const struct obs *o, const char *raw, size_t raw_len);

/* Called in time order; o->raw points at the record's raw bytes (borrowed
 * for the call). Return non-zero to stop. */
typedef int (*obs_sort_cb)(void *ctx, struct obs *o);

/* Deliver everything added since the last drain in time order, then start
 * empty. Returns 0, the callback's non-zero value, or -1 with errno set (a
 * temporary file could not be read back). */
int obs_sort_drain(struct obs_sort *s, obs_sort_cb cb, void *ctx);

uint64_t obs_sort_runs(const struct obs_sort *s); /* runs spilled so far (statistics) */

#endif /* ORBAT_ARCHIVE_OBS_SORT_H */
