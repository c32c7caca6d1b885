/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_pg.h - the PostgreSQL/PostGIS backend of the store (store_pg.c),
 * chosen by store_open for "postgresql://..." / "postgres://..." URLs, and
 * the bulk copy of another store into it (`orbat db copy`). The design
 * (schema in schema "orbat", QGIS views in "public", COPY staging, advisory
 * locks for concurrent writers) is in docs/postgresql.md.
 *
 * Ownership: store_pg_open returns a heap object freed with store_close.
 */
#ifndef ORBAT_STORE_STORE_PG_H
#define ORBAT_STORE_STORE_PG_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

/* True when URL names a PostgreSQL database (postgresql:// or postgres://). */
bool store_pg_url(const char *url);

/* Connect to the database at URL (a libpq connection URI), create the
 * PostGIS extension and migrate the schema as needed. NULL and a message in
 * errmsg on failure. */
struct store *store_pg_open(const char *url, char *errmsg, size_t errmsg_size);

/* The schema version the PostgreSQL backend migrates to. */
int store_pg_schema_version(void);

/* Copy every row of src (any backend) into dst, which must be an empty
 * PostgreSQL store, keeping row ids so that every reference (observation ->
 * raw -> source, event -> asset, ...) stays valid; the per-day presence
 * summary is rebuilt from the observations. One transaction: on failure
 * nothing is copied. copied (may be NULL) receives the row counts. */
int store_pg_copy_from(struct store *dst, struct store *src, struct store_counts *copied);

#endif /* ORBAT_STORE_STORE_PG_H */
