/* SPDX-License-Identifier: BSD-2-Clause
 *
 * gfw_import.h - import a saved Global Fishing Watch API v3 answer (gfw.h)
 * into the store as external events (store.h, struct store_ext_event:
 * provider "gfw", licence "CC BY-NC 4.0", the file name as source). The
 * entry point of `orbat import` for files that gfw_looks_like.
 */
#ifndef ORBAT_ARCHIVE_GFW_IMPORT_H
#define ORBAT_ARCHIVE_GFW_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "archive/gfw.h"
#include "store/store.h"

struct gfw_import_stats {
    int doc;             /* enum gfw_doc of the file, 0 when unreadable */
    uint64_t bytes;      /* JSON bytes read (after gunzip) */
    size_t events_new;   /* events stored for the first time */
    size_t events_known; /* events already stored (same provider id): replaced, not added */
    size_t vessels;      /* vessel identities read (a vessel answer; not stored) */
    int64_t next_offset; /* the list's "nextOffset" (more pages exist), -1 if none */
    char err[192];       /* why the import failed, "" on success */
};

/* Read the file at PATH ("-" = stdin; gzip is recognised by its magic and
 * inflated, so NAME.json.gz works; at most GFW_MAX_DOC bytes of JSON) and
 * store its events with source = display_name (PATH when NULL). All or
 * nothing: the whole document is parsed and checked first, then its events
 * are written in one transaction (store_begin .. store_commit; after a
 * store error the transaction is left open and the caller closes the store,
 * which rolls it back). Importing the same events again adds no rows
 * (unique per provider id; the latest import's fields win). A vessel
 * identity answer is read and counted (st->vessels) but stores nothing:
 * orbat's assets are identified from transponder data only.
 * Returns ORBAT_OK; ORBAT_E_IO (errno set) when the file cannot be read;
 * ORBAT_E_FORMAT / ORBAT_E_RANGE / ORBAT_E_TOOLONG from gfw_parse; or the
 * store's error (ORBAT_E_DB ...). st (may be NULL) gets the counts and
 * st->err a message. */
ORBAT_WARN_UNUSED int gfw_import_file(struct store *s, const char *path, const char *display_name,
                                      struct gfw_import_stats *st);

/* The same on a document already in memory (buf[0..len), gunzipped). */
ORBAT_WARN_UNUSED int gfw_import_buf(struct store *s, const char *buf, size_t len,
                                     const char *display_name, struct gfw_import_stats *st);

#endif /* ORBAT_ARCHIVE_GFW_IMPORT_H */
