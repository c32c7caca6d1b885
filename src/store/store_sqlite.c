/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_sqlite.c - the SQLite backend of the store (store.h), and the only
 * file in orbat that includes <sqlite3.h>.
 *
 * The schema is embedded below as a list of migrations; PRAGMA user_version
 * records how many have run, and store_sqlite_open applies the missing ones,
 * each in its own transaction. The database runs in WAL mode with
 * synchronous=NORMAL: a committed batch survives kill -9 of the process, an
 * interrupted batch rolls back on the next open. Every write is an upsert or
 * INSERT OR IGNORE on a natural key (source sha256, raw (source, offset,
 * hash), asset key, observation (asset, minute bucket), event (asset, type,
 * time), sighting (name, time, url)), so replaying the same input twice, or
 * two overlapping inputs, converges to the same rows. See docs/store.md.
 */
#include "store/store.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ctype.h>

/* Migrations: migration[i] takes a database from user_version i to i + 1.
 * Append only; never edit a released step. */
static const char *const migrations[] = {
    /* 1: sources, raw messages, assets, thinned observations, events. */
    "CREATE TABLE sources("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " sha256 TEXT NOT NULL UNIQUE,"
    " bytes INTEGER NOT NULL DEFAULT 0,"
    " t_first_ms INTEGER NOT NULL DEFAULT 0,"
    " t_last_ms INTEGER NOT NULL DEFAULT 0,"
    " messages INTEGER NOT NULL DEFAULT 0,"
    " complete INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE raw("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL,"
    " offset INTEGER NOT NULL,"
    " hash INTEGER NOT NULL,"
    " data BLOB NOT NULL,"
    " UNIQUE(source_id, offset, hash));"
    "CREATE TABLE assets("
    " id INTEGER PRIMARY KEY,"
    " key TEXT NOT NULL UNIQUE,"
    " kind INTEGER NOT NULL,"
    " ident INTEGER NOT NULL,"
    " name TEXT NOT NULL DEFAULT '',"
    " callsign TEXT NOT NULL DEFAULT '',"
    " hull TEXT NOT NULL DEFAULT '',"
    " country TEXT NOT NULL DEFAULT '',"
    " category TEXT NOT NULL DEFAULT '',"
    " role TEXT NOT NULL DEFAULT '',"
    " confidence REAL NOT NULL DEFAULT 0,"
    " military INTEGER NOT NULL DEFAULT 0,"
    " reasons TEXT NOT NULL DEFAULT '',"
    " first_ms INTEGER NOT NULL DEFAULT 0,"
    " last_ms INTEGER NOT NULL DEFAULT 0,"
    " raw_id INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX assets_name ON assets(name COLLATE NOCASE);"
    "CREATE TABLE observations("
    " asset_id INTEGER NOT NULL,"
    " bucket INTEGER NOT NULL,"
    " t_ms INTEGER NOT NULL,"
    " lat REAL NOT NULL,"
    " lon REAL NOT NULL,"
    " sog REAL,"
    " cog REAL,"
    " alt_ft INTEGER,"
    " theatre TEXT NOT NULL DEFAULT '',"
    " raw_id INTEGER NOT NULL DEFAULT 0,"
    " source_id INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(asset_id, bucket)) WITHOUT ROWID;"
    "CREATE INDEX observations_time ON observations(t_ms);"
    "CREATE TABLE events("
    " id INTEGER PRIMARY KEY,"
    " asset_id INTEGER NOT NULL,"
    " t_ms INTEGER NOT NULL,"
    " type TEXT NOT NULL,"
    " theatre TEXT NOT NULL DEFAULT '',"
    " lat REAL,"
    " lon REAL,"
    " detail TEXT NOT NULL DEFAULT '',"
    " raw_id INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE(asset_id, type, t_ms));"
    "CREATE INDEX events_time ON events(t_ms);",

    /* 2: per-day presence summary (the report reads this, not the 10M
     * observations) and manual sightings. Theatre '*' means anywhere. */
    "CREATE TABLE presence("
    " theatre TEXT NOT NULL,"
    " day INTEGER NOT NULL,"
    " asset_id INTEGER NOT NULL,"
    " first_ms INTEGER NOT NULL,"
    " last_ms INTEGER NOT NULL,"
    " n_obs INTEGER NOT NULL,"
    " PRIMARY KEY(theatre, day, asset_id)) WITHOUT ROWID;"
    "INSERT INTO presence(theatre, day, asset_id, first_ms, last_ms, n_obs)"
    " SELECT theatre, t_ms / 86400000, asset_id, min(t_ms), max(t_ms), count(*)"
    " FROM observations WHERE theatre <> '' GROUP BY theatre, t_ms / 86400000, asset_id;"
    "INSERT INTO presence(theatre, day, asset_id, first_ms, last_ms, n_obs)"
    " SELECT '*', t_ms / 86400000, asset_id, min(t_ms), max(t_ms), count(*)"
    " FROM observations GROUP BY t_ms / 86400000, asset_id;"
    "CREATE TABLE sightings("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " t_ms INTEGER NOT NULL,"
    " lat REAL NOT NULL,"
    " lon REAL NOT NULL,"
    " theatre TEXT NOT NULL DEFAULT '',"
    " source_url TEXT NOT NULL,"
    " note TEXT NOT NULL DEFAULT '',"
    " confidence REAL NOT NULL,"
    " category TEXT NOT NULL DEFAULT '',"
    " role TEXT NOT NULL DEFAULT '',"
    " country TEXT NOT NULL DEFAULT '',"
    " asset_id INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE(name, t_ms, source_url));"
    "CREATE INDEX sightings_time ON sightings(t_ms);",

    /* 3: sources remember whether their data was simulated, so that every
     * report can say so. */
    "ALTER TABLE sources ADD COLUMN simulated INTEGER NOT NULL DEFAULT 0;",

    /* 4: sources imported from public archives carry their data's
     * attribution and licence (ODbL requires it in every report). */
    "ALTER TABLE sources ADD COLUMN licence TEXT NOT NULL DEFAULT '';",

    /* 5: events detected by others (Global Fishing Watch), with their source
     * file, provider and licence; apart from orbat's own events. The orbat
     * asset is found by MMSI when read, not stored. */
    "CREATE TABLE ext_events("
    " id INTEGER PRIMARY KEY,"
    " source TEXT NOT NULL,"
    " provider TEXT NOT NULL,"
    " licence TEXT NOT NULL,"
    " ext_id TEXT NOT NULL,"
    " type TEXT NOT NULL,"
    " t_start_ms INTEGER NOT NULL,"
    " t_end_ms INTEGER NOT NULL,"
    " lat REAL,"
    " lon REAL,"
    " mmsi INTEGER NOT NULL DEFAULT 0,"
    " name TEXT NOT NULL DEFAULT '',"
    " flag TEXT NOT NULL DEFAULT '',"
    " other_mmsi INTEGER NOT NULL DEFAULT 0,"
    " detail TEXT NOT NULL DEFAULT '',"
    " raw TEXT NOT NULL DEFAULT '',"
    " UNIQUE(provider, ext_id));"
    "CREATE INDEX ext_events_time ON ext_events(t_start_ms);"
    "CREATE INDEX ext_events_mmsi ON ext_events(mmsi, t_start_ms);",

    /* 6: the claims ledger (orbat claim): what was said, by whom, where, and
     * its structured form (a canonical spec, src/claims/claim.h). */
    "CREATE TABLE claims("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL,"
    " spec TEXT NOT NULL,"
    " text TEXT NOT NULL DEFAULT '',"
    " source_url TEXT NOT NULL DEFAULT '',"
    " claimant TEXT NOT NULL DEFAULT '',"
    " published_ms INTEGER NOT NULL DEFAULT 0,"
    " from_ms INTEGER NOT NULL,"
    " to_ms INTEGER NOT NULL,"
    " added_ms INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE(spec, text, source_url));",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

enum stmt_id {
    ST_BEGIN,
    ST_COMMIT,
    ST_SOURCE_GET,
    ST_SOURCE_INS,
    ST_SOURCE_FINISH,
    ST_RAW_INS,
    ST_RAW_GET,
    ST_RAW_DEL,
    ST_ASSET_UPSERT,
    ST_ASSET_TIMES,
    ST_ASSET_INS,
    ST_ASSET_MERGE,
    ST_OBS_INS,
    ST_OBS_UPD,
    ST_PRES_UPSERT,
    ST_EVENT_INS,
    ST_EVENT_GET,
    ST_SIGHT_MATCH,
    ST_SIGHT_INS,
    ST_SIGHT_GET,
    ST_ASSET_GET,
    ST_LAST_POS,
    ST_FIRST_POS,
    ST_EXT_GET,
    ST_EXT_INS,
    ST_EXT_UPD,
    ST_NSTMT
};

static const char *const stmt_sql[ST_NSTMT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_SOURCE_GET] = "SELECT id, complete FROM sources WHERE sha256 = ?1",
    [ST_SOURCE_INS] = "INSERT INTO sources(name, sha256, bytes) VALUES(?1, ?2, ?3)",
    [ST_SOURCE_FINISH] =
        "UPDATE sources SET bytes = ?2, t_first_ms = ?3, t_last_ms = ?4,"
        " messages = ?5, complete = ?6, simulated = ?7, licence = ?8 WHERE id = ?1",
    [ST_RAW_INS] =
        "INSERT OR IGNORE INTO raw(source_id, offset, hash, data) VALUES(?1, ?2, ?3, ?4)",
    [ST_RAW_GET] = "SELECT id FROM raw WHERE source_id = ?1 AND offset = ?2 AND hash = ?3",
    [ST_RAW_DEL] = "DELETE FROM raw WHERE id = ?1",
    // Identity: a non-empty new value wins; confidence and military only grow;
    // first/last seen widen. The same inputs in any order give the same row
    // except for name-like fields that really changed over time.
    [ST_ASSET_UPSERT] =
        "INSERT INTO assets(key, kind, ident, name, callsign, hull, country, category, role,"
        " confidence, military, reasons, first_ms, last_ms, raw_id)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        " ON CONFLICT(key) DO UPDATE SET"
        " name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END,"
        " callsign = CASE WHEN excluded.callsign <> '' THEN excluded.callsign ELSE callsign END,"
        " hull = CASE WHEN excluded.hull <> '' THEN excluded.hull ELSE hull END,"
        " country = CASE WHEN excluded.country <> '' THEN excluded.country ELSE country END,"
        " category = CASE WHEN excluded.category <> '' AND excluded.confidence >= confidence"
        "   THEN excluded.category ELSE category END,"
        " role = CASE WHEN excluded.role <> '' AND excluded.confidence >= confidence"
        "   THEN excluded.role ELSE role END,"
        " reasons = CASE WHEN excluded.reasons <> '' AND excluded.confidence >= confidence"
        "   THEN excluded.reasons ELSE reasons END,"
        " raw_id = CASE WHEN excluded.raw_id <> 0 THEN excluded.raw_id ELSE raw_id END,"
        " confidence = max(confidence, excluded.confidence),"
        " military = max(military, excluded.military),"
        " first_ms = CASE WHEN first_ms = 0 OR (excluded.first_ms <> 0 AND"
        "   excluded.first_ms < first_ms) THEN excluded.first_ms ELSE first_ms END,"
        " last_ms = max(last_ms, excluded.last_ms)"
        " RETURNING id, first_ms, last_ms",
    // Only the seen times of an asset whose identity is as last written.
    [ST_ASSET_TIMES] = "UPDATE assets SET first_ms = ?2, last_ms = ?3 WHERE id = ?1",
    // A new row; and the upsert's merge on a row whose id is known (?16):
    // the same expressions as ST_ASSET_UPSERT with ?N for excluded.*.
    [ST_ASSET_INS] =
        "INSERT OR IGNORE INTO assets(key, kind, ident, name, callsign, hull, country, category,"
        " role, confidence, military, reasons, first_ms, last_ms, raw_id)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [ST_ASSET_MERGE] =
        "UPDATE assets SET"
        " name = CASE WHEN ?4 <> '' THEN ?4 ELSE name END,"
        " callsign = CASE WHEN ?5 <> '' THEN ?5 ELSE callsign END,"
        " hull = CASE WHEN ?6 <> '' THEN ?6 ELSE hull END,"
        " country = CASE WHEN ?7 <> '' THEN ?7 ELSE country END,"
        " category = CASE WHEN ?8 <> '' AND ?10 >= confidence THEN ?8 ELSE category END,"
        " role = CASE WHEN ?9 <> '' AND ?10 >= confidence THEN ?9 ELSE role END,"
        " reasons = CASE WHEN ?12 <> '' AND ?10 >= confidence THEN ?12 ELSE reasons END,"
        " raw_id = CASE WHEN ?15 <> 0 THEN ?15 ELSE raw_id END,"
        " confidence = max(confidence, ?10),"
        " military = max(military, ?11),"
        " first_ms = CASE WHEN first_ms = 0 OR (?13 <> 0 AND ?13 < first_ms) THEN ?13"
        "   ELSE first_ms END,"
        " last_ms = max(last_ms, ?14)"
        " WHERE id = ?16 AND ?1 = key AND ?2 = kind AND ?3 = ident",
    [ST_OBS_INS] = "INSERT OR IGNORE INTO observations(asset_id, bucket, t_ms, lat, lon, sog, cog,"
                   " alt_ft, theatre, raw_id, source_id)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    // Within a bucket the earliest observation is kept, whatever the order
    // the inputs arrived in.
    [ST_OBS_UPD] = "UPDATE observations SET t_ms = ?3, lat = ?4, lon = ?5, sog = ?6, cog = ?7,"
                   " alt_ft = ?8, theatre = ?9, raw_id = ?10, source_id = ?11"
                   " WHERE asset_id = ?1 AND bucket = ?2 AND t_ms > ?3",
    [ST_PRES_UPSERT] = "INSERT INTO presence(theatre, day, asset_id, first_ms, last_ms, n_obs)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE SET"
                       " first_ms = min(first_ms, excluded.first_ms),"
                       " last_ms = max(last_ms, excluded.last_ms),"
                       " n_obs = n_obs + excluded.n_obs",
    [ST_EVENT_INS] = "INSERT OR IGNORE INTO events(asset_id, t_ms, type, theatre, lat, lon, detail,"
                     " raw_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_EVENT_GET] = "SELECT id FROM events WHERE asset_id = ?1 AND type = ?2 AND t_ms = ?3",
    [ST_SIGHT_MATCH] = "SELECT id FROM assets WHERE (name = ?1 COLLATE NOCASE AND name <> '')"
                       " OR (hull = ?2 COLLATE NOCASE AND hull <> '')"
                       " ORDER BY military DESC, kind, id LIMIT 1",
    [ST_SIGHT_INS] =
        "INSERT OR IGNORE INTO sightings(name, t_ms, lat, lon, theatre, source_url, note,"
        " confidence, category, role, country, asset_id)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [ST_SIGHT_GET] = "SELECT id, asset_id FROM sightings WHERE name = ?1 AND t_ms = ?2"
                     " AND source_url = ?3",
    [ST_ASSET_GET] = "SELECT id, kind, ident, name, callsign, hull, country, category, role,"
                     " confidence, military, reasons, first_ms, last_ms, raw_id"
                     " FROM assets WHERE id = ?1",
    // Last / first position of an asset inside [from, to] (buckets), in a
    // theatre ('*' = anywhere): one index seek on the primary key.
    [ST_LAST_POS] = "SELECT t_ms, lat, lon FROM observations WHERE asset_id = ?1"
                    " AND bucket BETWEEN ?2 AND ?3 AND t_ms BETWEEN ?5 AND ?6"
                    " AND (?4 = '*' OR theatre = ?4) ORDER BY bucket DESC LIMIT 1",
    [ST_FIRST_POS] = "SELECT t_ms, lat, lon FROM observations WHERE asset_id = ?1"
                     " AND bucket BETWEEN ?2 AND ?3 AND t_ms BETWEEN ?5 AND ?6"
                     " AND (?4 = '*' OR theatre = ?4) ORDER BY bucket ASC LIMIT 1",
    [ST_EXT_GET] = "SELECT id FROM ext_events WHERE provider = ?1 AND ext_id = ?2",
    [ST_EXT_INS] = "INSERT INTO ext_events(provider, ext_id, source, licence, type, t_start_ms,"
                   " t_end_ms, lat, lon, mmsi, name, flag, other_mmsi, detail, raw)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [ST_EXT_UPD] = "UPDATE ext_events SET source = ?3, licence = ?4, type = ?5, t_start_ms = ?6,"
                   " t_end_ms = ?7, lat = ?8, lon = ?9, mmsi = ?10, name = ?11, flag = ?12,"
                   " other_mmsi = ?13, detail = ?14, raw = ?15"
                   " WHERE provider = ?1 AND ext_id = ?2",
};

#define ASSET_COLS                                                                                 \
    "a.id, a.kind, a.ident, a.name, a.callsign, a.hull, a.country, a.category, a.role,"            \
    " a.confidence, a.military, a.reasons, a.first_ms, a.last_ms, a.raw_id"

/* Presence deltas of the current transaction, merged in memory and written
 * just before COMMIT (one upsert per asset, day and theatre instead of two
 * per observation). */
#define PRES_MAX_THEATRES 16

struct pres_delta {
    int64_t asset_id; /* 0: empty slot */
    int64_t day;
    int64_t first_ms, last_ms;
    uint32_t n;
    uint32_t theatre; /* index into theatres[] */
};

/* Ship and aircraft rows this connection wrote: the identity it last wrote
 * (two 64-bit hashes of the identity fields) and the row's first/last seen
 * as the upsert returned them. Writing the same identity again changes
 * nothing (the upsert's merge is idempotent), so such a write only widens
 * the times, with a primary-key UPDATE, or is skipped. */
struct asset_memo {
    uint64_t key; /* kind << 32 | ident; 0: empty slot */
    uint64_t h1, h2;
    int64_t id, first_ms, last_ms;
};

struct store_sqlite {
    struct store base;
    struct asset_memo *memo;
    size_t memo_cap, memo_count;
    bool memo_unsure; /* memo entries written in a transaction not (yet) committed */
    sqlite3 *db;
    sqlite3_stmt *st[ST_NSTMT];
    struct pres_delta *pres;
    size_t pres_cap, pres_count;
    char theatres[PRES_MAX_THEATRES][32];
    size_t ntheatres;
    char err[256];
};

static struct store_sqlite *ss(struct store *s)
{
    return (struct store_sqlite *)s;
}

static int db_fail(struct store_sqlite *q, const char *what)
{
    snprintf(q->err, sizeof q->err, "%s: %s", what, sqlite3_errmsg(q->db));
    return ORBAT_E_DB;
}

/* Prepare lazily so that opening is cheap and a statement is only compiled
 * against a migrated schema. */
static sqlite3_stmt *stmt(struct store_sqlite *q, enum stmt_id id)
{
    if (!q->st[id] && sqlite3_prepare_v3(q->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                         &q->st[id], NULL) != SQLITE_OK) {
        db_fail(q, "prepare");
        return NULL;
    }
    sqlite3_reset(q->st[id]);
    sqlite3_clear_bindings(q->st[id]);
    return q->st[id];
}

static int exec_sql(struct store_sqlite *q, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(q->err, sizeof q->err, "%s", msg ? msg : sqlite3_errmsg(q->db));
        sqlite3_free(msg);
        return ORBAT_E_DB;
    }
    return ORBAT_OK;
}

/* Run a statement that returns no rows (or whose rows are ignored). */
static int step_done(struct store_sqlite *q, sqlite3_stmt *st, const char *what)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE)
        return db_fail(q, what);
    return ORBAT_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static void bind_real_or_null(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static void col_text(sqlite3_stmt *st, int i, char *dst, size_t size)
{
    store_strlcpy(dst, (const char *)sqlite3_column_text(st, i), size);
}

static double col_real_or_nan(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

/* Read ASSET_COLS starting at column i. */
static void read_asset(sqlite3_stmt *st, int i, struct store_asset *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, i);
    a->kind = sqlite3_column_int(st, i + 1);
    a->ident = (uint32_t)sqlite3_column_int64(st, i + 2);
    col_text(st, i + 3, a->name, sizeof a->name);
    col_text(st, i + 4, a->callsign, sizeof a->callsign);
    col_text(st, i + 5, a->hull, sizeof a->hull);
    col_text(st, i + 6, a->country, sizeof a->country);
    col_text(st, i + 7, a->category, sizeof a->category);
    col_text(st, i + 8, a->role, sizeof a->role);
    a->confidence = sqlite3_column_double(st, i + 9);
    a->military = sqlite3_column_int(st, i + 10) != 0;
    col_text(st, i + 11, a->reasons, sizeof a->reasons);
    a->first_ms = sqlite3_column_int64(st, i + 12);
    a->last_ms = sqlite3_column_int64(st, i + 13);
    a->raw_id = sqlite3_column_int64(st, i + 14);
}

static const char *sq_errmsg(struct store *s)
{
    return ss(s)->err;
}

static void presence_discard(struct store_sqlite *q);
static int presence_flush(struct store_sqlite *q);

static int sq_begin(struct store *s)
{
    struct store_sqlite *q = ss(s);
    presence_discard(q);
    if (q->memo_unsure) {
        // The last transaction that wrote assets did not commit: forget
        // what it wrote.
        if (q->memo)
            memset(q->memo, 0, q->memo_cap * sizeof *q->memo);
        q->memo_count = 0;
        q->memo_unsure = false;
    }
    sqlite3_stmt *st = stmt(q, ST_BEGIN);
    return st ? step_done(q, st, "begin") : ORBAT_E_DB;
}

static int sq_commit(struct store *s)
{
    struct store_sqlite *q = ss(s);
    int rc = presence_flush(q);
    if (rc)
        return rc;
    sqlite3_stmt *st = stmt(q, ST_COMMIT);
    if (!st)
        return ORBAT_E_DB;
    rc = step_done(q, st, "commit");
    sqlite3_reset(st);
    if (rc == ORBAT_OK)
        q->memo_unsure = false;
    return rc;
}

static int sq_rollback(struct store *s)
{
    struct store_sqlite *q = ss(s);
    presence_discard(q);
    if (sqlite3_get_autocommit(q->db))
        return ORBAT_OK;
    // What this transaction wrote to the asset memo is gone: the next
    // store_begin forgets it (memo_unsure stays as the writes left it).
    char keep[sizeof q->err];
    memcpy(keep, q->err, sizeof keep);
    int rc = sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK
                 ? ORBAT_OK
                 : db_fail(q, "rollback");
    if (rc == ORBAT_OK)
        memcpy(q->err, keep, sizeof keep);
    return rc;
}

static int sq_integrity_check(struct store *s)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return db_fail(q, "integrity_check");
    int rc = ORBAT_OK;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = db_fail(q, "integrity_check");
    } else {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok")) {
            snprintf(q->err, sizeof q->err, "integrity_check: %s", r ? r : "(null)");
            rc = ORBAT_E_DB;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int count_rows(struct store_sqlite *q, const char *sql, uint64_t *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(q, "count");
    int rc = ORBAT_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = (uint64_t)sqlite3_column_int64(st, 0);
    else
        rc = db_fail(q, "count");
    sqlite3_finalize(st);
    return rc;
}

static int sq_counts(struct store *s, struct store_counts *c)
{
    struct store_sqlite *q = ss(s);
    memset(c, 0, sizeof *c);
    int rc = count_rows(q, "SELECT count(*) FROM sources", &c->sources);
    if (!rc)
        rc = count_rows(q, "SELECT count(*) FROM raw", &c->raw);
    if (!rc)
        rc = count_rows(q, "SELECT count(*) FROM assets", &c->assets);
    if (!rc)
        rc = count_rows(q, "SELECT count(*) FROM observations", &c->observations);
    if (!rc)
        rc = count_rows(q, "SELECT count(*) FROM events", &c->events);
    if (!rc)
        rc = count_rows(q, "SELECT count(*) FROM sightings", &c->sightings);
    if (!rc)
        rc = count_rows(q, "SELECT count(*) FROM sources WHERE simulated = 1",
                        &c->simulated_sources);
    return rc;
}

static int sq_source_begin(struct store *s, struct store_source *src)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = stmt(q, ST_SOURCE_GET);
    if (!st)
        return ORBAT_E_DB;
    bind_text(st, 1, src->sha256);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        src->id = sqlite3_column_int64(st, 0);
        src->complete = sqlite3_column_int(st, 1) != 0;
        sqlite3_reset(st);
        return ORBAT_OK;
    }
    if (rc != SQLITE_DONE)
        return db_fail(q, "source lookup");
    st = stmt(q, ST_SOURCE_INS);
    if (!st)
        return ORBAT_E_DB;
    bind_text(st, 1, src->name);
    bind_text(st, 2, src->sha256);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)src->bytes);
    if ((rc = step_done(q, st, "source insert")) != ORBAT_OK)
        return rc;
    src->id = sqlite3_last_insert_rowid(q->db);
    src->complete = false;
    return ORBAT_OK;
}

static int sq_source_finish(struct store *s, const struct store_source *src)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = stmt(q, ST_SOURCE_FINISH);
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, src->id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)src->bytes);
    sqlite3_bind_int64(st, 3, src->t_first_ms);
    sqlite3_bind_int64(st, 4, src->t_last_ms);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)src->messages);
    sqlite3_bind_int(st, 6, src->complete ? 1 : 0);
    sqlite3_bind_int(st, 7, src->simulated ? 1 : 0);
    bind_text(st, 8, src->licence);
    return step_done(q, st, "source finish");
}

/* Insert a raw message (or find it); *fresh tells whether it was new. */
static int raw_put(struct store_sqlite *q, struct store_raw *raw, bool *fresh)
{
    int64_t h = (int64_t)store_hash64(raw->data, raw->len);
    sqlite3_stmt *st = stmt(q, ST_RAW_INS);
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, raw->source_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)raw->offset);
    sqlite3_bind_int64(st, 3, h);
    sqlite3_bind_blob(st, 4, raw->data, (int)raw->len, SQLITE_STATIC);
    int rc = step_done(q, st, "raw insert");
    if (rc)
        return rc;
    *fresh = sqlite3_changes(q->db) == 1;
    if (*fresh) {
        raw->id = sqlite3_last_insert_rowid(q->db);
        return ORBAT_OK;
    }
    st = stmt(q, ST_RAW_GET);
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, raw->source_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)raw->offset);
    sqlite3_bind_int64(st, 3, h);
    if (sqlite3_step(st) != SQLITE_ROW)
        return db_fail(q, "raw lookup");
    raw->id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ORBAT_OK;
}

static int sq_raw_put(struct store *s, struct store_raw *raw)
{
    bool fresh;
    return raw_put(ss(s), raw, &fresh);
}

static void asset_key(const struct store_asset *a, char *key, size_t size)
{
    if (a->kind == STORE_SHIP) {
        snprintf(key, size, "ship:%09u", a->ident);
    } else if (a->kind == STORE_AIRCRAFT) {
        snprintf(key, size, "air:%06x", a->ident);
    } else {
        size_t n = 0;
        n = (size_t)snprintf(key, size, "sighted:");
        for (const char *p = a->name; *p && n + 1 < size; p++)
            key[n++] = (char)tolower((unsigned char)*p);
        key[n] = '\0';
    }
}

static uint64_t memo_key(const struct store_asset *a)
{
    return (uint64_t)a->kind << 32 | a->ident;
}

static size_t memo_slot(const struct asset_memo *t, size_t cap, uint64_t key)
{
    uint64_t k = key * 0x9e3779b97f4a7c15ULL;
    size_t j = (size_t)(k >> 20) & (cap - 1);
    while (t[j].key && t[j].key != key)
        j = (j + 1) & (cap - 1);
    return j;
}

/* The memo entry for the asset, created empty (id 0) if absent; NULL when
 * out of memory (the caller then just runs the upsert). */
static struct asset_memo *memo_get(struct store_sqlite *q, uint64_t key)
{
    if ((q->memo_count + 1) * 4 > q->memo_cap * 3) {
        size_t ncap = q->memo_cap ? q->memo_cap * 2 : 4096;
        struct asset_memo *nt = calloc(ncap, sizeof *nt);
        if (!nt)
            return NULL;
        for (size_t i = 0; i < q->memo_cap; i++)
            if (q->memo[i].key)
                nt[memo_slot(nt, ncap, q->memo[i].key)] = q->memo[i];
        free(q->memo);
        q->memo = nt;
        q->memo_cap = ncap;
    }
    struct asset_memo *m = &q->memo[memo_slot(q->memo, q->memo_cap, key)];
    if (!m->key) {
        memset(m, 0, sizeof *m);
        m->key = key;
        q->memo_count++;
    }
    return m;
}

static void hash_str(uint64_t *h1, uint64_t *h2, const char *s, size_t size)
{
    size_t n = strnlen(s, size);
    const unsigned char *b = (const unsigned char *)s;
    uint64_t a = *h1, c = *h2;
    for (size_t i = 0; i < n; i++) {
        a = (a ^ b[i]) * 0x100000001b3ULL;
        c = (c + b[i] + 1) * 0x9e3779b97f4a7c15ULL;
        c ^= c >> 29;
    }
    // the length separates the fields
    *h1 = (a ^ (n + 0x100)) * 0x100000001b3ULL;
    *h2 = (c + n + 0x100) * 0x9e3779b97f4a7c15ULL;
}

static void asset_hash(const struct store_asset *a, uint64_t *h1, uint64_t *h2)
{
    *h1 = 0xcbf29ce484222325ULL;
    *h2 = 0x243f6a8885a308d3ULL;
    hash_str(h1, h2, a->name, sizeof a->name);
    hash_str(h1, h2, a->callsign, sizeof a->callsign);
    hash_str(h1, h2, a->hull, sizeof a->hull);
    hash_str(h1, h2, a->country, sizeof a->country);
    hash_str(h1, h2, a->category, sizeof a->category);
    hash_str(h1, h2, a->role, sizeof a->role);
    hash_str(h1, h2, a->reasons, sizeof a->reasons);
    char num[40];
    memcpy(num, &a->confidence, 8);
    memcpy(num + 8, &a->raw_id, 8);
    num[16] = a->military ? '1' : '0';
    for (int i = 0; i < 17; i++) { // fixed-size numeric part
        *h1 = (*h1 ^ (unsigned char)num[i]) * 0x100000001b3ULL;
        *h2 = (*h2 + (unsigned char)num[i] + 1) * 0x9e3779b97f4a7c15ULL;
    }
}

static int sq_asset_put(struct store *s, struct store_asset *a)
{
    struct store_sqlite *q = ss(s);
    struct asset_memo *m = NULL;
    uint64_t h1 = 0, h2 = 0;
    if ((a->kind == STORE_SHIP || a->kind == STORE_AIRCRAFT) &&
        (m = memo_get(q, memo_key(a))) != NULL) {
        asset_hash(a, &h1, &h2);
        if (m->id && m->h1 == h1 && m->h2 == h2) {
            // The upsert's first/last merge, on the values the row holds.
            int64_t first = m->first_ms == 0 || (a->first_ms != 0 && a->first_ms < m->first_ms)
                                ? a->first_ms
                                : m->first_ms;
            int64_t last = a->last_ms > m->last_ms ? a->last_ms : m->last_ms;
            a->id = m->id;
            if (first == m->first_ms && last == m->last_ms)
                return ORBAT_OK;
            sqlite3_stmt *st = stmt(q, ST_ASSET_TIMES);
            if (!st)
                return ORBAT_E_DB;
            sqlite3_bind_int64(st, 1, m->id);
            sqlite3_bind_int64(st, 2, first);
            sqlite3_bind_int64(st, 3, last);
            int rc = step_done(q, st, "asset times");
            if (rc) {
                m->id = 0;
                return rc;
            }
            m->first_ms = first;
            m->last_ms = last;
            q->memo_unsure |= !sqlite3_get_autocommit(q->db);
            return ORBAT_OK;
        }
    }
    char key[96];
    asset_key(a, key, sizeof key);
    // A row this connection wrote before gets the merge by id, a new one a
    // plain insert; otherwise (a row from an earlier run, or no memo) the
    // upsert, which returns the row's id and times.
    enum stmt_id sid = !m ? ST_ASSET_UPSERT : m->id ? ST_ASSET_MERGE : ST_ASSET_INS;
    for (;;) {
        sqlite3_stmt *st = stmt(q, sid);
        if (!st)
            return ORBAT_E_DB;
        bind_text(st, 1, key);
        sqlite3_bind_int(st, 2, a->kind);
        sqlite3_bind_int64(st, 3, a->ident);
        bind_text(st, 4, a->name);
        bind_text(st, 5, a->callsign);
        bind_text(st, 6, a->hull);
        bind_text(st, 7, a->country);
        bind_text(st, 8, a->category);
        bind_text(st, 9, a->role);
        sqlite3_bind_double(st, 10, a->confidence);
        sqlite3_bind_int(st, 11, a->military ? 1 : 0);
        bind_text(st, 12, a->reasons);
        sqlite3_bind_int64(st, 13, a->first_ms);
        sqlite3_bind_int64(st, 14, a->last_ms);
        sqlite3_bind_int64(st, 15, a->raw_id);
        int rc;
        int64_t first = a->first_ms, last = a->last_ms;
        if (sid == ST_ASSET_UPSERT) {
            if (sqlite3_step(st) != SQLITE_ROW) {
                if (m)
                    m->id = 0;
                return db_fail(q, "asset upsert");
            }
            a->id = sqlite3_column_int64(st, 0);
            first = sqlite3_column_int64(st, 1);
            last = sqlite3_column_int64(st, 2);
            rc = step_done(q, st, "asset upsert");
        } else {
            if (sid == ST_ASSET_MERGE)
                sqlite3_bind_int64(st, 16, m->id);
            rc = step_done(q, st, "asset write");
            if (rc == ORBAT_OK && sqlite3_changes(q->db) != 1) {
                // Not as the memo thought (a row from an earlier run, or
                // changed under us): the upsert decides.
                m->id = 0;
                sid = ST_ASSET_UPSERT;
                continue;
            }
            if (sid == ST_ASSET_INS) {
                a->id = sqlite3_last_insert_rowid(q->db);
            } else {
                a->id = m->id;
                first = m->first_ms == 0 || (a->first_ms != 0 && a->first_ms < m->first_ms)
                            ? a->first_ms
                            : m->first_ms;
                last = a->last_ms > m->last_ms ? a->last_ms : m->last_ms;
            }
        }
        if (!m)
            return rc;
        if (rc) {
            m->id = 0;
            return rc;
        }
        *m = (struct asset_memo){m->key, h1, h2, a->id, first, last};
        q->memo_unsure |= !sqlite3_get_autocommit(q->db);
        return ORBAT_OK;
    }
}

static size_t pres_slot(const struct pres_delta *t, size_t cap, int64_t asset_id, int64_t day,
                        uint32_t theatre)
{
    uint64_t k = (uint64_t)asset_id * 0x9e3779b97f4a7c15ULL ^
                 (uint64_t)day * 0xc2b2ae3d27d4eb4fULL ^ theatre;
    k ^= k >> 31;
    size_t j = (size_t)k & (cap - 1);
    while (t[j].asset_id &&
           (t[j].asset_id != asset_id || t[j].day != day || t[j].theatre != theatre))
        j = (j + 1) & (cap - 1);
    return j;
}

static int pres_grow(struct store_sqlite *q)
{
    size_t ncap = q->pres_cap ? q->pres_cap * 2 : 1024;
    struct pres_delta *nt = calloc(ncap, sizeof *nt);
    if (!nt) {
        snprintf(q->err, sizeof q->err, "out of memory");
        return ORBAT_E_NOMEM;
    }
    for (size_t i = 0; i < q->pres_cap; i++)
        if (q->pres[i].asset_id)
            nt[pres_slot(nt, ncap, q->pres[i].asset_id, q->pres[i].day, q->pres[i].theatre)] =
                q->pres[i];
    free(q->pres);
    q->pres = nt;
    q->pres_cap = ncap;
    return ORBAT_OK;
}

static int presence_add(struct store_sqlite *q, const char *theatre, int64_t asset_id, int64_t t_ms,
                        int n)
{
    uint32_t ti = 0;
    while (ti < q->ntheatres && strcmp(q->theatres[ti], theatre))
        ti++;
    if (ti == q->ntheatres) {
        if (q->ntheatres == PRES_MAX_THEATRES) {
            snprintf(q->err, sizeof q->err, "more than %d theatres in one transaction",
                     PRES_MAX_THEATRES);
            return ORBAT_E_RANGE;
        }
        store_strlcpy(q->theatres[q->ntheatres++], theatre, sizeof q->theatres[0]);
    }
    if ((q->pres_count + 1) * 4 > q->pres_cap * 3) {
        int rc = pres_grow(q);
        if (rc)
            return rc;
    }
    int64_t day = t_ms / STORE_DAY_MS;
    struct pres_delta *d = &q->pres[pres_slot(q->pres, q->pres_cap, asset_id, day, ti)];
    if (!d->asset_id) {
        *d = (struct pres_delta){asset_id, day, t_ms, t_ms, 0, ti};
        q->pres_count++;
    }
    if (t_ms < d->first_ms)
        d->first_ms = t_ms;
    if (t_ms > d->last_ms)
        d->last_ms = t_ms;
    d->n += (uint32_t)n;
    return ORBAT_OK;
}

/* Write the pending presence deltas (inside the open transaction). */
static int presence_flush(struct store_sqlite *q)
{
    for (size_t i = 0; i < q->pres_cap && q->pres_count; i++) {
        struct pres_delta *d = &q->pres[i];
        if (!d->asset_id)
            continue;
        sqlite3_stmt *st = stmt(q, ST_PRES_UPSERT);
        if (!st)
            return ORBAT_E_DB;
        bind_text(st, 1, q->theatres[d->theatre]);
        sqlite3_bind_int64(st, 2, d->day);
        sqlite3_bind_int64(st, 3, d->asset_id);
        sqlite3_bind_int64(st, 4, d->first_ms);
        sqlite3_bind_int64(st, 5, d->last_ms);
        sqlite3_bind_int64(st, 6, d->n);
        int rc = step_done(q, st, "presence upsert");
        if (rc)
            return rc;
        d->asset_id = 0;
        q->pres_count--;
    }
    q->ntheatres = 0;
    return ORBAT_OK;
}

/* Forget the deltas of a transaction that is rolled back. */
static void presence_discard(struct store_sqlite *q)
{
    if (q->pres)
        memset(q->pres, 0, q->pres_cap * sizeof *q->pres);
    q->pres_count = 0;
    q->ntheatres = 0;
}

static void bind_obs(sqlite3_stmt *st, const struct store_obs *o)
{
    sqlite3_bind_int64(st, 1, o->asset_id);
    sqlite3_bind_int64(st, 2, o->t_ms / STORE_BUCKET_MS);
    sqlite3_bind_int64(st, 3, o->t_ms);
    sqlite3_bind_double(st, 4, o->lat);
    sqlite3_bind_double(st, 5, o->lon);
    bind_real_or_null(st, 6, o->sog_kn);
    bind_real_or_null(st, 7, o->cog_deg);
    if (o->alt_ft == INT32_MIN)
        sqlite3_bind_null(st, 8);
    else
        sqlite3_bind_int(st, 8, o->alt_ft);
    bind_text(st, 9, o->theatre);
    sqlite3_bind_int64(st, 10, o->raw_id);
    sqlite3_bind_int64(st, 11, o->source_id);
}

static int sq_obs_put(struct store *s, const struct store_obs *obs, struct store_raw *raw)
{
    struct store_sqlite *q = ss(s);
    if (obs->t_ms <= 0 || !isfinite(obs->lat) || !isfinite(obs->lon)) {
        snprintf(q->err, sizeof q->err, "observation without time or position");
        return ORBAT_E_INVAL;
    }
    struct store_obs o = *obs;
    bool fresh = false;
    int rc;
    // The raw message goes first so that the observation row is written
    // once, with its reference; it is taken back if the observation is not
    // kept (a repeat), so raw rows never pile up without a referrer.
    if (raw) {
        if ((rc = raw_put(q, raw, &fresh)) != ORBAT_OK)
            return rc;
        o.raw_id = raw->id;
    }
    sqlite3_stmt *st = stmt(q, ST_OBS_INS);
    if (!st)
        return ORBAT_E_DB;
    bind_obs(st, &o);
    if ((rc = step_done(q, st, "observation insert")) != ORBAT_OK)
        return rc;
    // A new bucket counts once in the presence summary; an earlier message in
    // a known bucket replaces the kept one and only widens first/last.
    int n = 1;
    if (sqlite3_changes(q->db) == 0) {
        st = stmt(q, ST_OBS_UPD);
        if (!st)
            return ORBAT_E_DB;
        bind_obs(st, &o);
        if ((rc = step_done(q, st, "observation update")) != ORBAT_OK)
            return rc;
        if (sqlite3_changes(q->db) == 0) {
            if (fresh && (st = stmt(q, ST_RAW_DEL)) != NULL) {
                sqlite3_bind_int64(st, 1, raw->id);
                if ((rc = step_done(q, st, "raw delete")) != ORBAT_OK)
                    return rc;
                raw->id = 0;
            }
            return st ? ORBAT_AGAIN : ORBAT_E_DB;
        }
        n = 0;
    }
    if (o.theatre[0] && (rc = presence_add(q, o.theatre, o.asset_id, o.t_ms, n)) != ORBAT_OK)
        return rc;
    if ((rc = presence_add(q, "*", o.asset_id, o.t_ms, n)) != ORBAT_OK)
        return rc;
    return ORBAT_OK;
}

static int sq_event_put(struct store *s, struct store_event *e)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = stmt(q, ST_EVENT_INS);
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, e->asset_id);
    sqlite3_bind_int64(st, 2, e->t_ms);
    bind_text(st, 3, e->type);
    bind_text(st, 4, e->theatre);
    bind_real_or_null(st, 5, e->lat);
    bind_real_or_null(st, 6, e->lon);
    bind_text(st, 7, e->detail);
    sqlite3_bind_int64(st, 8, e->raw_id);
    int rc = step_done(q, st, "event insert");
    if (rc)
        return rc;
    if (sqlite3_changes(q->db) == 1) {
        e->id = sqlite3_last_insert_rowid(q->db);
        return ORBAT_OK;
    }
    st = stmt(q, ST_EVENT_GET);
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, e->asset_id);
    bind_text(st, 2, e->type);
    sqlite3_bind_int64(st, 3, e->t_ms);
    if (sqlite3_step(st) != SQLITE_ROW)
        return db_fail(q, "event lookup");
    e->id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ORBAT_OK;
}

/* A sighting joins the asset with the same name or hull number; if there is
 * none, an asset of kind STORE_SIGHTED is created for it. */
static int sq_sighting_put(struct store *s, struct store_sighting *sg)
{
    struct store_sqlite *q = ss(s);
    if (!sg->name[0] || !sg->source_url[0] || sg->t_ms <= 0) {
        snprintf(q->err, sizeof q->err, "a sighting needs a name, a time and a source URL");
        return ORBAT_E_INVAL;
    }
    sqlite3_stmt *st = stmt(q, ST_SIGHT_MATCH);
    if (!st)
        return ORBAT_E_DB;
    bind_text(st, 1, sg->name);
    bind_text(st, 2, sg->name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sg->asset_id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    } else if (rc == SQLITE_DONE) {
        struct store_asset a = {.kind = STORE_SIGHTED, .military = true};
        store_strlcpy(a.name, sg->name, sizeof a.name);
        store_strlcpy(a.category, sg->category, sizeof a.category);
        store_strlcpy(a.role, sg->role, sizeof a.role);
        store_strlcpy(a.country, sg->country, sizeof a.country);
        a.confidence = sg->confidence;
        snprintf(a.reasons, sizeof a.reasons, "manual sighting: %.400s", sg->source_url);
        a.first_ms = a.last_ms = sg->t_ms;
        if ((rc = sq_asset_put(s, &a)) != ORBAT_OK)
            return rc;
        sg->asset_id = a.id;
    } else {
        return db_fail(q, "sighting match");
    }
    st = stmt(q, ST_SIGHT_INS);
    if (!st)
        return ORBAT_E_DB;
    bind_text(st, 1, sg->name);
    sqlite3_bind_int64(st, 2, sg->t_ms);
    sqlite3_bind_double(st, 3, sg->lat);
    sqlite3_bind_double(st, 4, sg->lon);
    bind_text(st, 5, sg->theatre);
    bind_text(st, 6, sg->source_url);
    bind_text(st, 7, sg->note);
    sqlite3_bind_double(st, 8, sg->confidence);
    bind_text(st, 9, sg->category);
    bind_text(st, 10, sg->role);
    bind_text(st, 11, sg->country);
    sqlite3_bind_int64(st, 12, sg->asset_id);
    if ((rc = step_done(q, st, "sighting insert")) != ORBAT_OK)
        return rc;
    st = stmt(q, ST_SIGHT_GET);
    if (!st)
        return ORBAT_E_DB;
    bind_text(st, 1, sg->name);
    sqlite3_bind_int64(st, 2, sg->t_ms);
    bind_text(st, 3, sg->source_url);
    if (sqlite3_step(st) != SQLITE_ROW)
        return db_fail(q, "sighting lookup");
    sg->id = sqlite3_column_int64(st, 0);
    sg->asset_id = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    return ORBAT_OK;
}

/* Prepare a one-off query; the caller finalizes. */
static sqlite3_stmt *prep(struct store_sqlite *q, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(q, "prepare");
        return NULL;
    }
    return st;
}

static int finish_iter(struct store_sqlite *q, sqlite3_stmt *st, int rc, int cbrc)
{
    sqlite3_finalize(st);
    if (cbrc)
        return cbrc;
    if (rc != SQLITE_DONE) {
        snprintf(q->err, sizeof q->err, "query: %s", sqlite3_errmsg(q->db));
        return ORBAT_E_DB;
    }
    return ORBAT_OK;
}

static int sq_sources(struct store *s, store_source_cb cb, void *ctx)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = prep(q, "SELECT id, name, sha256, bytes, t_first_ms, t_last_ms, messages,"
                               " complete, simulated, licence FROM sources ORDER BY id");
    if (!st)
        return ORBAT_E_DB;
    int rc, cbrc = 0;
    while (!cbrc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_source src = {0};
        src.id = sqlite3_column_int64(st, 0);
        col_text(st, 1, src.name, sizeof src.name);
        col_text(st, 2, src.sha256, sizeof src.sha256);
        src.bytes = (uint64_t)sqlite3_column_int64(st, 3);
        src.t_first_ms = sqlite3_column_int64(st, 4);
        src.t_last_ms = sqlite3_column_int64(st, 5);
        src.messages = (uint64_t)sqlite3_column_int64(st, 6);
        src.complete = sqlite3_column_int(st, 7) != 0;
        src.simulated = sqlite3_column_int(st, 8) != 0;
        col_text(st, 9, src.licence, sizeof src.licence);
        cbrc = cb(ctx, &src);
    }
    return finish_iter(q, st, cbrc ? SQLITE_DONE : rc, cbrc);
}

static int sq_asset_get(struct store *s, int64_t id, struct store_asset *out)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = stmt(q, ST_ASSET_GET);
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_asset(st, 0, out);
        sqlite3_reset(st);
        return ORBAT_OK;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return ORBAT_E_NOTFOUND;
    return db_fail(q, "asset get");
}

/* KEY: "#ID" (row id), an MMSI (9 digits), an ICAO address (6 hex digits,
 * optionally prefixed "icao:"), or a name / hull / registration / call sign
 * (case-insensitive). */
static int sq_asset_find(struct store *s, const char *key, store_asset_cb cb, void *ctx)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = prep(q, "SELECT " ASSET_COLS " FROM assets a WHERE a.id = ?1"
                               " OR (a.kind = 1 AND a.ident = ?2) OR (a.kind = 2 AND a.ident = ?3)"
                               " OR (?4 <> '' AND (a.name = ?4 COLLATE NOCASE"
                               "  OR a.hull = ?4 COLLATE NOCASE OR a.callsign = ?4 COLLATE NOCASE))"
                               " ORDER BY a.military DESC, a.id");
    if (!st)
        return ORBAT_E_DB;
    int64_t id = -1, mmsi = -1, icao = -1;
    char *end;
    if (key[0] == '#') {
        id = strtoll(key + 1, &end, 10);
        if (*end)
            id = -1;
    }
    size_t n = strlen(key);
    if (n == 9 && strspn(key, "0123456789") == 9)
        mmsi = strtoll(key, NULL, 10);
    const char *hex = !strncmp(key, "icao:", 5) ? key + 5 : key;
    if (strlen(hex) == 6 && strspn(hex, "0123456789abcdefABCDEF") == 6)
        icao = strtoll(hex, NULL, 16);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, mmsi);
    sqlite3_bind_int64(st, 3, icao);
    bind_text(st, 4, key[0] == '#' ? "" : key);
    int rc, cbrc = 0;
    while (!cbrc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_asset a;
        read_asset(st, 0, &a);
        cbrc = cb(ctx, &a);
    }
    return finish_iter(q, st, cbrc ? SQLITE_DONE : rc, cbrc);
}

static int pos_seek(struct store_sqlite *q, enum stmt_id id, int64_t asset_id, const char *theatre,
                    int64_t from_ms, int64_t to_ms, int64_t *t, double *lat, double *lon)
{
    sqlite3_stmt *st = stmt(q, id);
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, asset_id);
    sqlite3_bind_int64(st, 2, from_ms / STORE_BUCKET_MS);
    sqlite3_bind_int64(st, 3, to_ms / STORE_BUCKET_MS);
    bind_text(st, 4, theatre);
    sqlite3_bind_int64(st, 5, from_ms);
    sqlite3_bind_int64(st, 6, to_ms);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *t = sqlite3_column_int64(st, 0);
        *lat = sqlite3_column_double(st, 1);
        *lon = sqlite3_column_double(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(q, "position seek");
    return rc == SQLITE_ROW ? ORBAT_OK : ORBAT_E_NOTFOUND;
}

/* Presence reads the per-day summary for the candidate assets and their
 * counts, then refines first/last seen and the last position with two
 * primary-key seeks per asset, so its cost depends on the number of assets
 * in the window, not on the number of observations. */
static int sq_presence(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                       bool military_only, store_presence_cb cb, void *ctx)
{
    struct store_sqlite *q = ss(s);
    if (!theatre || !theatre[0])
        theatre = "*";
    if (!sqlite3_get_autocommit(q->db) && presence_flush(q) != ORBAT_OK)
        return ORBAT_E_DB;
    // Besides the sums: the earliest and latest day-bounds, and the latest
    // day-bound that lies inside the window (see below).
    sqlite3_stmt *st =
        prep(q, "SELECT " ASSET_COLS ", sum(p.n_obs), min(p.first_ms),"
                " max(p.last_ms), min(CASE WHEN p.first_ms >= ?4 THEN p.first_ms END),"
                " max(CASE WHEN p.last_ms <= ?5 THEN p.last_ms END)"
                " FROM presence p JOIN assets a ON a.id = p.asset_id"
                " WHERE p.theatre = ?1 AND p.day BETWEEN ?2 AND ?3"
                " AND p.first_ms <= ?5 AND p.last_ms >= ?4"
                " AND (?6 = 0 OR a.military = 1)"
                " GROUP BY p.asset_id ORDER BY a.category, a.role, a.name, a.id");
    if (!st)
        return ORBAT_E_DB;
    bind_text(st, 1, theatre);
    sqlite3_bind_int64(st, 2, from_ms / STORE_DAY_MS);
    sqlite3_bind_int64(st, 3, to_ms / STORE_DAY_MS);
    sqlite3_bind_int64(st, 4, from_ms);
    sqlite3_bind_int64(st, 5, to_ms);
    sqlite3_bind_int(st, 6, military_only ? 1 : 0);
    int rc, cbrc = 0;
    while (!cbrc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_presence p;
        read_asset(st, 0, &p.asset);
        p.n_obs = (uint64_t)sqlite3_column_int64(st, 15);
        int64_t first_any = sqlite3_column_int64(st, 16);
        int64_t last_any = sqlite3_column_int64(st, 17);
        bool have_first_in = sqlite3_column_type(st, 18) != SQLITE_NULL;
        bool have_last_in = sqlite3_column_type(st, 19) != SQLITE_NULL;
        int64_t first_in = sqlite3_column_int64(st, 18);
        int64_t last_in = sqlite3_column_int64(st, 19);
        // When the whole first (last) day lies inside the window, the first
        // (last) observation is in the minute of that day's bound: one
        // primary-key lookup. Otherwise the day straddles the window edge
        // and the seek is bounded by the nearest day-bound inside it.
        int64_t f0 = from_ms, f1 = have_first_in ? first_in : to_ms;
        if (first_any >= from_ms) {
            f0 = first_any / STORE_BUCKET_MS * STORE_BUCKET_MS;
            f1 = f0 + STORE_BUCKET_MS - 1;
        }
        int64_t l0 = have_last_in ? last_in / STORE_BUCKET_MS * STORE_BUCKET_MS : from_ms,
                l1 = to_ms;
        if (last_any <= to_ms) {
            l0 = last_any / STORE_BUCKET_MS * STORE_BUCKET_MS;
            l1 = l0 + STORE_BUCKET_MS - 1;
        }
        f0 = f0 < from_ms ? from_ms : f0;
        f1 = f1 > to_ms ? to_ms : f1;
        l0 = l0 < from_ms ? from_ms : l0;
        l1 = l1 > to_ms ? to_ms : l1;
        double la, lo;
        int r1 = pos_seek(q, ST_FIRST_POS, p.asset.id, theatre, f0, f1, &p.first_ms, &la, &lo);
        if (r1 == ORBAT_E_NOTFOUND) // a replaced row moved: search the window
            r1 = pos_seek(q, ST_FIRST_POS, p.asset.id, theatre, from_ms, to_ms, &p.first_ms, &la,
                          &lo);
        int r2 = pos_seek(q, ST_LAST_POS, p.asset.id, theatre, l0, l1, &p.last_ms, &p.last_lat,
                          &p.last_lon);
        if (r2 == ORBAT_E_NOTFOUND)
            r2 = pos_seek(q, ST_LAST_POS, p.asset.id, theatre, from_ms, to_ms, &p.last_ms,
                          &p.last_lat, &p.last_lon);
        if (r1 == ORBAT_E_DB || r2 == ORBAT_E_DB) {
            sqlite3_finalize(st);
            return ORBAT_E_DB;
        }
        if (r1 || r2) // the day overlapped but no observation falls in the range
            continue;
        cbrc = cb(ctx, &p);
    }
    return finish_iter(q, st, cbrc ? SQLITE_DONE : rc, cbrc);
}

static int sq_observations(struct store *s, int64_t asset_id, int64_t from_ms, int64_t to_ms,
                           store_obs_cb cb, void *ctx)
{
    struct store_sqlite *q = ss(s);
    // One asset: a range of its primary key (asset_id, bucket), already in
    // order. All assets: the same for each asset with presence ('*': any
    // observation) on the days of the range, in asset order, so nothing is
    // sorted. (One statement with "?1 = 0 OR asset_id = ?1" took the time
    // index for one asset too, reading every asset's observations in the
    // range, and sorted all of them in memory: seconds and gigabytes on 10M.)
    if (!asset_id && !sqlite3_get_autocommit(q->db) && presence_flush(q) != ORBAT_OK)
        return ORBAT_E_DB;
#define OBS_COLS                                                                                   \
    "SELECT o.asset_id, o.t_ms, o.lat, o.lon, o.sog, o.cog, o.alt_ft, o.theatre, o.raw_id,"        \
    " o.source_id, r.offset, r.data, src.name FROM observations o"                                 \
    " LEFT JOIN raw r ON r.id = o.raw_id LEFT JOIN sources src ON src.id = o.source_id"
    sqlite3_stmt *st =
        asset_id ? prep(q, OBS_COLS " WHERE o.asset_id = ?1 AND o.bucket BETWEEN ?4 AND ?5"
                                    " AND o.t_ms BETWEEN ?2 AND ?3 ORDER BY o.bucket")
                 : prep(q, OBS_COLS " WHERE ?1 = 0 AND o.asset_id IN (SELECT asset_id FROM presence"
                                    " WHERE theatre = '*' AND day BETWEEN ?6 AND ?7)"
                                    " AND o.bucket BETWEEN ?4 AND ?5 AND o.t_ms BETWEEN ?2 AND ?3"
                                    " ORDER BY o.asset_id, o.bucket");
#undef OBS_COLS
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, asset_id);
    sqlite3_bind_int64(st, 2, from_ms);
    sqlite3_bind_int64(st, 3, to_ms);
    sqlite3_bind_int64(st, 4, from_ms / STORE_BUCKET_MS);
    sqlite3_bind_int64(st, 5, to_ms / STORE_BUCKET_MS);
    if (!asset_id) {
        sqlite3_bind_int64(st, 6, from_ms / STORE_DAY_MS);
        sqlite3_bind_int64(st, 7, to_ms / STORE_DAY_MS);
    }
    int rc, cbrc = 0;
    while (!cbrc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_obs_row r;
        memset(&r, 0, sizeof r);
        r.obs.asset_id = sqlite3_column_int64(st, 0);
        r.obs.t_ms = sqlite3_column_int64(st, 1);
        r.obs.lat = sqlite3_column_double(st, 2);
        r.obs.lon = sqlite3_column_double(st, 3);
        r.obs.sog_kn = col_real_or_nan(st, 4);
        r.obs.cog_deg = col_real_or_nan(st, 5);
        r.obs.alt_ft =
            sqlite3_column_type(st, 6) == SQLITE_NULL ? INT32_MIN : sqlite3_column_int(st, 6);
        col_text(st, 7, r.obs.theatre, sizeof r.obs.theatre);
        r.obs.raw_id = sqlite3_column_int64(st, 8);
        r.obs.source_id = sqlite3_column_int64(st, 9);
        r.raw_offset = (uint64_t)sqlite3_column_int64(st, 10);
        if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
            r.raw = sqlite3_column_blob(st, 11);
            r.raw_len = (size_t)sqlite3_column_bytes(st, 11);
        }
        r.source = (const char *)sqlite3_column_text(st, 12);
        cbrc = cb(ctx, &r);
    }
    return finish_iter(q, st, cbrc ? SQLITE_DONE : rc, cbrc);
}

static int sq_events(struct store *s, const char *type, int64_t from_ms, int64_t to_ms,
                     store_event_cb cb, void *ctx)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = prep(q, "SELECT e.id, e.asset_id, e.t_ms, e.type, e.theatre, e.lat, e.lon,"
                               " e.detail, e.raw_id, " ASSET_COLS " FROM events e"
                               " LEFT JOIN assets a ON a.id = e.asset_id"
                               " WHERE e.t_ms BETWEEN ?1 AND ?2 AND (?3 = '' OR e.type = ?3)"
                               " ORDER BY e.t_ms, e.id");
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, from_ms);
    sqlite3_bind_int64(st, 2, to_ms);
    bind_text(st, 3, type);
    int rc, cbrc = 0;
    while (!cbrc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_event e;
        struct store_asset a;
        memset(&e, 0, sizeof e);
        e.id = sqlite3_column_int64(st, 0);
        e.asset_id = sqlite3_column_int64(st, 1);
        e.t_ms = sqlite3_column_int64(st, 2);
        col_text(st, 3, e.type, sizeof e.type);
        col_text(st, 4, e.theatre, sizeof e.theatre);
        e.lat = col_real_or_nan(st, 5);
        e.lon = col_real_or_nan(st, 6);
        col_text(st, 7, e.detail, sizeof e.detail);
        e.raw_id = sqlite3_column_int64(st, 8);
        read_asset(st, 9, &a);
        cbrc = cb(ctx, &e, &a);
    }
    return finish_iter(q, st, cbrc ? SQLITE_DONE : rc, cbrc);
}

static int sq_sightings(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                        store_sighting_cb cb, void *ctx)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = prep(q, "SELECT id, name, t_ms, lat, lon, theatre, source_url, note,"
                               " confidence, category, role, country, asset_id FROM sightings"
                               " WHERE t_ms BETWEEN ?1 AND ?2 AND (?3 = '' OR ?3 = '*'"
                               " OR theatre = ?3) ORDER BY t_ms, id");
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, from_ms);
    sqlite3_bind_int64(st, 2, to_ms);
    bind_text(st, 3, theatre);
    int rc, cbrc = 0;
    while (!cbrc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_sighting sg;
        memset(&sg, 0, sizeof sg);
        sg.id = sqlite3_column_int64(st, 0);
        col_text(st, 1, sg.name, sizeof sg.name);
        sg.t_ms = sqlite3_column_int64(st, 2);
        sg.lat = sqlite3_column_double(st, 3);
        sg.lon = sqlite3_column_double(st, 4);
        col_text(st, 5, sg.theatre, sizeof sg.theatre);
        col_text(st, 6, sg.source_url, sizeof sg.source_url);
        col_text(st, 7, sg.note, sizeof sg.note);
        sg.confidence = sqlite3_column_double(st, 8);
        col_text(st, 9, sg.category, sizeof sg.category);
        col_text(st, 10, sg.role, sizeof sg.role);
        col_text(st, 11, sg.country, sizeof sg.country);
        sg.asset_id = sqlite3_column_int64(st, 12);
        cbrc = cb(ctx, &sg);
    }
    return finish_iter(q, st, cbrc ? SQLITE_DONE : rc, cbrc);
}

static int sq_timeline(struct store *s, const char *theatre, int64_t from_ms, int64_t to_ms,
                       bool military_only, store_day_cb cb, void *ctx)
{
    struct store_sqlite *q = ss(s);
    if (!theatre || !theatre[0])
        theatre = "*";
    if (!sqlite3_get_autocommit(q->db) && presence_flush(q) != ORBAT_OK)
        return ORBAT_E_DB;
    sqlite3_stmt *st = prep(q, "SELECT p.day, a.category, count(DISTINCT p.asset_id)"
                               " FROM presence p JOIN assets a ON a.id = p.asset_id"
                               " WHERE p.theatre = ?1 AND p.day BETWEEN ?2 AND ?3"
                               " AND (?4 = 0 OR a.military = 1)"
                               " GROUP BY p.day, a.category ORDER BY p.day, a.category");
    if (!st)
        return ORBAT_E_DB;
    bind_text(st, 1, theatre);
    sqlite3_bind_int64(st, 2, from_ms / STORE_DAY_MS);
    sqlite3_bind_int64(st, 3, to_ms / STORE_DAY_MS);
    sqlite3_bind_int(st, 4, military_only ? 1 : 0);
    int rc, cbrc = 0;
    while (!cbrc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_day_count d;
        d.day = sqlite3_column_int64(st, 0);
        d.category = (const char *)sqlite3_column_text(st, 1);
        d.assets = (uint64_t)sqlite3_column_int64(st, 2);
        cbrc = cb(ctx, &d);
    }
    return finish_iter(q, st, cbrc ? SQLITE_DONE : rc, cbrc);
}

static int sq_time_range(struct store *s, int64_t *first_ms, int64_t *last_ms)
{
    struct store_sqlite *q = ss(s);
    // Four index seeks: the ends of observations and of sightings.
    sqlite3_stmt *st = prep(q, "SELECT min(t), max(t) FROM ("
                               " SELECT (SELECT min(t_ms) FROM observations) AS t"
                               " UNION ALL SELECT (SELECT max(t_ms) FROM observations)"
                               " UNION ALL SELECT (SELECT min(t_ms) FROM sightings)"
                               " UNION ALL SELECT (SELECT max(t_ms) FROM sightings))");
    if (!st)
        return ORBAT_E_DB;
    int rc = sqlite3_step(st);
    int ret = ORBAT_OK;
    if (rc != SQLITE_ROW)
        ret = db_fail(q, "time range");
    else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
        ret = ORBAT_E_NOTFOUND;
    else {
        *first_ms = sqlite3_column_int64(st, 0);
        *last_ms = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return ret;
}

static int sq_raw_get(struct store *s, int64_t id,
                      int (*cb)(void *ctx, const struct store_raw *raw, const char *source),
                      void *ctx)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = prep(q, "SELECT r.source_id, r.offset, r.data, src.name FROM raw r"
                               " LEFT JOIN sources src ON src.id = r.source_id WHERE r.id = ?1");
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int ret = ORBAT_E_NOTFOUND;
    if (rc == SQLITE_ROW) {
        struct store_raw r = {.id = id,
                              .source_id = sqlite3_column_int64(st, 0),
                              .offset = (uint64_t)sqlite3_column_int64(st, 1),
                              .data = sqlite3_column_blob(st, 2),
                              .len = (size_t)sqlite3_column_bytes(st, 2)};
        ret = cb(ctx, &r, (const char *)sqlite3_column_text(st, 3));
    } else if (rc != SQLITE_DONE) {
        ret = db_fail(q, "raw get");
    }
    sqlite3_finalize(st);
    return ret;
}

static int sq_ext_event_put(struct store *s, struct store_ext_event *x)
{
    struct store_sqlite *q = ss(s);
    if (!x->provider[0] || !x->ext_id[0] || !x->type[0]) {
        snprintf(q->err, sizeof q->err, "an external event needs a provider, an id and a type");
        return ORBAT_E_INVAL;
    }
    sqlite3_stmt *st = stmt(q, ST_EXT_GET);
    if (!st)
        return ORBAT_E_DB;
    bind_text(st, 1, x->provider);
    bind_text(st, 2, x->ext_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(q, "external event lookup");
    bool known = rc == SQLITE_ROW;
    if (known)
        x->id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (!(st = stmt(q, known ? ST_EXT_UPD : ST_EXT_INS)))
        return ORBAT_E_DB;
    bind_text(st, 1, x->provider);
    bind_text(st, 2, x->ext_id);
    bind_text(st, 3, x->source);
    bind_text(st, 4, x->licence);
    bind_text(st, 5, x->type);
    sqlite3_bind_int64(st, 6, x->t_start_ms);
    sqlite3_bind_int64(st, 7, x->t_end_ms);
    bind_real_or_null(st, 8, x->lat);
    bind_real_or_null(st, 9, x->lon);
    sqlite3_bind_int64(st, 10, x->mmsi);
    bind_text(st, 11, x->name);
    bind_text(st, 12, x->flag);
    sqlite3_bind_int64(st, 13, x->other_mmsi);
    bind_text(st, 14, x->detail);
    sqlite3_bind_text(st, 15, x->raw ? x->raw : "", x->raw ? (int)x->raw_len : 0, SQLITE_STATIC);
    if ((rc = step_done(q, st, "external event write")) != ORBAT_OK)
        return rc;
    if (!known)
        x->id = sqlite3_last_insert_rowid(q->db);
    return known ? ORBAT_AGAIN : ORBAT_OK;
}

static int sq_ext_events(struct store *s, const struct store_ext_filter *f, store_ext_event_cb cb,
                         void *ctx)
{
    struct store_sqlite *q = ss(s);
    // The orbat asset is the ship with this MMSI (the assets' key index).
    sqlite3_stmt *st =
        prep(q, "SELECT x.id, x.source, x.provider, x.licence, x.ext_id, x.type, x.t_start_ms,"
                " x.t_end_ms, x.lat, x.lon, x.mmsi, x.name, x.flag, x.other_mmsi, x.detail,"
                " x.raw, coalesce(a.id, 0) FROM ext_events x"
                " LEFT JOIN assets a ON x.mmsi <> 0 AND a.key = printf('ship:%09d', x.mmsi)"
                " WHERE x.t_start_ms <= ?2 AND x.t_end_ms >= ?1"
                " AND (?3 = '' OR x.provider = ?3) AND (?4 = '' OR x.type = ?4)"
                " AND (?5 = 0 OR x.mmsi = ?5) ORDER BY x.t_start_ms, x.id");
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, f->from_ms);
    sqlite3_bind_int64(st, 2, f->to_ms);
    bind_text(st, 3, f->provider);
    bind_text(st, 4, f->type);
    sqlite3_bind_int64(st, 5, f->mmsi);
    int rc, cbrc = 0;
    while (!cbrc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_ext_event x;
        memset(&x, 0, sizeof x);
        x.id = sqlite3_column_int64(st, 0);
        col_text(st, 1, x.source, sizeof x.source);
        col_text(st, 2, x.provider, sizeof x.provider);
        col_text(st, 3, x.licence, sizeof x.licence);
        col_text(st, 4, x.ext_id, sizeof x.ext_id);
        col_text(st, 5, x.type, sizeof x.type);
        x.t_start_ms = sqlite3_column_int64(st, 6);
        x.t_end_ms = sqlite3_column_int64(st, 7);
        x.lat = col_real_or_nan(st, 8);
        x.lon = col_real_or_nan(st, 9);
        x.mmsi = (uint32_t)sqlite3_column_int64(st, 10);
        col_text(st, 11, x.name, sizeof x.name);
        col_text(st, 12, x.flag, sizeof x.flag);
        x.other_mmsi = (uint32_t)sqlite3_column_int64(st, 13);
        col_text(st, 14, x.detail, sizeof x.detail);
        x.raw = (const char *)sqlite3_column_text(st, 15);
        x.raw_len = (size_t)sqlite3_column_bytes(st, 15);
        x.asset_id = sqlite3_column_int64(st, 16);
        cbrc = cb(ctx, &x);
    }
    return finish_iter(q, st, cbrc ? SQLITE_DONE : rc, cbrc);
}

static int sq_claim_put(struct store *s, struct store_claim *c)
{
    struct store_sqlite *q = ss(s);
    if (!c->kind[0] || !c->spec[0] || c->to_ms <= c->from_ms) {
        snprintf(q->err, sizeof q->err, "a claim needs a kind, a spec and a time window");
        return ORBAT_E_INVAL;
    }
    sqlite3_stmt *st = prep(q, "INSERT OR IGNORE INTO claims(kind, spec, text, source_url,"
                               " claimant, published_ms, from_ms, to_ms, added_ms)"
                               " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return ORBAT_E_DB;
    bind_text(st, 1, c->kind);
    bind_text(st, 2, c->spec);
    bind_text(st, 3, c->text);
    bind_text(st, 4, c->source_url);
    bind_text(st, 5, c->claimant);
    sqlite3_bind_int64(st, 6, c->published_ms);
    sqlite3_bind_int64(st, 7, c->from_ms);
    sqlite3_bind_int64(st, 8, c->to_ms);
    sqlite3_bind_int64(st, 9, c->added_ms);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_fail(q, "claim insert");
    bool added = sqlite3_changes(q->db) > 0;
    if (!(st = prep(q, "SELECT id FROM claims WHERE spec = ?1 AND text = ?2 AND source_url = ?3")))
        return ORBAT_E_DB;
    bind_text(st, 1, c->spec);
    bind_text(st, 2, c->text);
    bind_text(st, 3, c->source_url);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        c->id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return db_fail(q, "claim lookup");
    return added ? ORBAT_OK : ORBAT_AGAIN;
}

static int sq_claims(struct store *s, int64_t id, store_claim_cb cb, void *ctx)
{
    struct store_sqlite *q = ss(s);
    sqlite3_stmt *st = prep(q, "SELECT id, kind, spec, text, source_url, claimant, published_ms,"
                               " from_ms, to_ms, added_ms FROM claims"
                               " WHERE ?1 = 0 OR id = ?1 ORDER BY id");
    if (!st)
        return ORBAT_E_DB;
    sqlite3_bind_int64(st, 1, id);
    int rc, cbrc = 0;
    while (!cbrc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_claim c;
        memset(&c, 0, sizeof c);
        c.id = sqlite3_column_int64(st, 0);
        col_text(st, 1, c.kind, sizeof c.kind);
        col_text(st, 2, c.spec, sizeof c.spec);
        col_text(st, 3, c.text, sizeof c.text);
        col_text(st, 4, c.source_url, sizeof c.source_url);
        col_text(st, 5, c.claimant, sizeof c.claimant);
        c.published_ms = sqlite3_column_int64(st, 6);
        c.from_ms = sqlite3_column_int64(st, 7);
        c.to_ms = sqlite3_column_int64(st, 8);
        c.added_ms = sqlite3_column_int64(st, 9);
        cbrc = cb(ctx, &c);
    }
    return finish_iter(q, st, cbrc ? SQLITE_DONE : rc, cbrc);
}

static void sq_close(struct store *s)
{
    struct store_sqlite *q = ss(s);
    for (int i = 0; i < ST_NSTMT; i++)
        sqlite3_finalize(q->st[i]);
    if (q->db) {
        if (!sqlite3_get_autocommit(q->db))
            sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(q->db);
    }
    presence_discard(q);
    free(q->pres);
    free(q->memo);
    free(q);
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .errmsg = sq_errmsg,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .integrity_check = sq_integrity_check,
    .counts = sq_counts,
    .source_begin = sq_source_begin,
    .source_finish = sq_source_finish,
    .raw_put = sq_raw_put,
    .asset_put = sq_asset_put,
    .obs_put = sq_obs_put,
    .event_put = sq_event_put,
    .sighting_put = sq_sighting_put,
    .sources = sq_sources,
    .asset_get = sq_asset_get,
    .asset_find = sq_asset_find,
    .presence = sq_presence,
    .observations = sq_observations,
    .events = sq_events,
    .sightings = sq_sightings,
    .timeline = sq_timeline,
    .time_range = sq_time_range,
    .raw_get = sq_raw_get,
    .ext_event_put = sq_ext_event_put,
    .ext_events = sq_ext_events,
    .claim_put = sq_claim_put,
    .claims = sq_claims,
};

int store_sqlite_schema_version(void)
{
    return NMIGRATIONS;
}

static int user_version(struct store_sqlite *q, int *v)
{
    sqlite3_stmt *st = prep(q, "PRAGMA user_version");
    if (!st)
        return ORBAT_E_DB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? ORBAT_OK : db_fail(q, "user_version");
}

/* Apply the missing migrations, each with its user_version bump in one
 * transaction, so a crash leaves the database at a whole version. The
 * write lock (BEGIN IMMEDIATE, waiting up to the busy timeout) is taken
 * before the version is read: two processes creating the same new database
 * then migrate one after the other instead of both running migration 1. */
static int migrate(struct store_sqlite *q)
{
    int v = 0;
    int rc = user_version(q, &v);
    if (rc)
        return rc;
    while (v < NMIGRATIONS) {
        if ((rc = exec_sql(q, "BEGIN IMMEDIATE")) != ORBAT_OK)
            return rc;
        if ((rc = user_version(q, &v)) != ORBAT_OK) {
            exec_sql(q, "ROLLBACK");
            return rc;
        }
        if (v >= NMIGRATIONS) { /* another process migrated meanwhile */
            exec_sql(q, "ROLLBACK");
            break;
        }
        char bump[48];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if ((rc = exec_sql(q, migrations[v])) != ORBAT_OK || (rc = exec_sql(q, bump)) != ORBAT_OK) {
            char keep[sizeof q->err];
            memcpy(keep, q->err, sizeof keep);
            exec_sql(q, "ROLLBACK");
            snprintf(q->err, sizeof q->err, "migration %d: %.200s", v + 1, keep);
            return rc;
        }
        if ((rc = exec_sql(q, "COMMIT")) != ORBAT_OK)
            return rc;
        v++;
    }
    if (v > NMIGRATIONS) {
        snprintf(q->err, sizeof q->err, "database schema version %d is newer than this orbat (%d)",
                 v, NMIGRATIONS);
        return ORBAT_E_DB;
    }
    return ORBAT_OK;
}

/* Once per process, before SQLite is first used: no memory statistics
 * (orbat never reads them), which takes a global mutex and bookkeeping off
 * every SQLite allocation. Only this file calls SQLite, so nothing else can
 * be using it while this runs. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

/* "file:PATH?mode=ro&immutable=1" with PATH percent-encoded; 0, or -1 when
 * it does not fit. */
static int ro_uri(const char *path, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    if (size < 48)
        return -1;
    memcpy(out, "file:", 5);
    n = 5;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (n + 4 + 24 >= size)
            return -1;
        if (isalnum(*p) || strchr("/-._~", *p)) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    snprintf(out + n, size - n, "?mode=ro&immutable=1");
    return 0;
}

struct store *store_sqlite_open_reader(const char *path, char *errmsg, size_t errmsg_size)
{
    pthread_once(&sqlite_once, sqlite_setup);
    struct store_sqlite *q = calloc(1, sizeof *q);
    if (!q) {
        if (errmsg)
            snprintf(errmsg, errmsg_size, "out of memory");
        return NULL;
    }
    q->base.ops = &sqlite_ops;
    // Read-only: nothing is created, no journal mode is set (WAL is a
    // property of the file, set by the first writer), so a database in a
    // directory the reader cannot write is still readable.
    int rc = sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    int v = -1;
    if (rc != SQLITE_OK) {
        db_fail(q, path);
        goto fail;
    }
    sqlite3_busy_timeout(q->db, 5000);
    if (user_version(q, &v) != ORBAT_OK) {
        // A WAL database with no -shm file that cannot be created (the
        // directory is read-only): no writer has it open (a writer creates
        // -wal and -shm), so read the file as it stands.
        int ec = sqlite3_errcode(q->db);
        if (ec != SQLITE_READONLY && ec != SQLITE_CANTOPEN)
            goto fail;
        char uri[PATH_MAX * 3 + 64];
        if (ro_uri(path, uri, sizeof uri)) {
            snprintf(q->err, sizeof q->err, "path too long");
            goto fail;
        }
        sqlite3_close(q->db);
        q->db = NULL;
        rc = sqlite3_open_v2(uri, &q->db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
        if (rc != SQLITE_OK) {
            db_fail(q, path);
            goto fail;
        }
        if (user_version(q, &v) != ORBAT_OK)
            goto fail;
    }
    if (exec_sql(q, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;") != ORBAT_OK)
        goto fail;
    if (v != NMIGRATIONS) {
        snprintf(q->err, sizeof q->err,
                 "database schema version %d, this orbat reads %d (run 'orbat db migrate')", v,
                 NMIGRATIONS);
        goto fail;
    }
    return &q->base;
fail:
    if (errmsg)
        snprintf(errmsg, errmsg_size, "%s", q->err);
    sq_close(&q->base);
    return NULL;
}

struct store *store_sqlite_open(const char *path, char *errmsg, size_t errmsg_size)
{
    pthread_once(&sqlite_once, sqlite_setup);
    struct store_sqlite *q = calloc(1, sizeof *q);
    if (!q) {
        if (errmsg)
            snprintf(errmsg, errmsg_size, "out of memory");
        return NULL;
    }
    q->base.ops = &sqlite_ops;
    // One connection per thread (the store is not shared), so SQLite's own
    // mutexes are not needed.
    int rc = sqlite3_open_v2(
        path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        db_fail(q, path);
        goto fail;
    }
    sqlite3_busy_timeout(q->db, 5000);
    // WAL + synchronous=NORMAL: commits are atomic and survive a killed
    // process; only an OS crash can lose the last commits, never consistency.
    // Switching a new database to WAL can answer SQLITE_BUSY at once, past
    // the busy handler, when several processes open it together (issue 17
    // F11: 2 of 120 concurrent `db migrate` under ASan): retry for up to the
    // same 5 s.
    for (int tries = 0;; tries++) {
        if (exec_sql(q, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                        " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;") == ORBAT_OK)
            break;
        if ((sqlite3_extended_errcode(q->db) & 0xff) != SQLITE_BUSY || tries >= 100)
            goto fail;
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (migrate(q) != ORBAT_OK)
        goto fail;
    return &q->base;
fail:
    if (errmsg)
        snprintf(errmsg, errmsg_size, "%s", q->err);
    sq_close(&q->base);
    return NULL;
}
