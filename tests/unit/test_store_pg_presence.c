/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_store_pg_presence.c - the PostgreSQL presence summary as writers
 * keep it (store_pg_write.c): rows a connection knows exist get a plain
 * UPDATE, the others the upsert. Against a real server: the URL of an empty
 * database in $ORBAT_TEST_PG (tests/integration/pg_backend.sh starts the
 * server and runs this); without it the test says it is skipped. Checked
 * after each step: every presence row ('*' and theatre) equals a recount
 * of the stored observations, through
 *   - a writer's later batches (the UPDATE path), a second theatre the same
 *     day (upsert), a new day (upsert);
 *   - a re-delivery of the same batch by a fresh connection (no count);
 *   - two connections writing the same asset in turn;
 *   - a day dropped by another connection under a writer that knew its
 *     rows (the UPDATE misses, the batch falls back to the upsert).
 */
#include "check.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdlib.h>

#include "store/store.h"
#include "store/store_pg.h"

#define DAY 20000LL /* 2024-10-04 */
#define T0  (DAY * 86400000LL + 3600000LL)

static PGconn *side;

/* Presence rows that differ from a recount of the observations (count and
 * first time per theatre/'*', day and asset; missing or extra rows). */
static long mismatches(void)
{
    PGresult *r = PQexec(
        side, "SELECT count(*) FROM (SELECT th, asset_id, t_ms / 86400000 AS day, count(*) AS n,"
              " min(t_ms) AS f FROM (SELECT theatre AS th, asset_id, t_ms FROM orbat.observations"
              " WHERE theatre <> '' UNION ALL SELECT '*', asset_id, t_ms FROM orbat.observations)"
              " o GROUP BY 1, 2, 3) x FULL JOIN orbat.presence p ON p.theatre = x.th AND"
              " p.day = x.day AND p.asset_id = x.asset_id"
              " WHERE p.n_obs IS DISTINCT FROM x.n OR p.first_ms IS DISTINCT FROM x.f");
    long n = PQresultStatus(r) == PGRES_TUPLES_OK ? atol(PQgetvalue(r, 0, 0)) : -1;
    if (n < 0)
        fprintf(stderr, "recount: %s", PQerrorMessage(side));
    PQclear(r);
    return n;
}

static long presence_n(const char *theatre, int64_t asset_id, int64_t day)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(sum(n_obs), -1) FROM orbat.presence WHERE theatre = '%s'"
             " AND asset_id = %lld AND day = %lld",
             theatre, (long long)asset_id, (long long)day);
    PGresult *r = PQexec(side, sql);
    long n = PQresultStatus(r) == PGRES_TUPLES_OK ? atol(PQgetvalue(r, 0, 0)) : -2;
    PQclear(r);
    return n;
}

/* One transaction: for each asset, one observation at minute m of day
 * DAY + dday in theatre th. */
static int batch(struct store *s, const int64_t *ids, int n, int dday, int m, const char *th)
{
    if (store_begin(s))
        return -1;
    for (int i = 0; i < n; i++) {
        struct store_obs o = {.asset_id = ids[i],
                              .t_ms = T0 + dday * 86400000LL + m * 60000LL + i * 100,
                              .lat = 10 + i * 0.01,
                              .lon = -60 + m * 0.001,
                              .sog_kn = NAN,
                              .cog_deg = NAN,
                              .alt_ft = INT32_MIN};
        snprintf(o.theatre, sizeof o.theatre, "%s", th);
        if (store_obs_put(s, &o, NULL) != ORBAT_OK)
            return -1;
    }
    return store_commit(s) ? -1 : 0;
}

int main(void)
{
    const char *url = getenv("ORBAT_TEST_PG");
    if (!url || !*url) {
        printf("ok - skipped: ORBAT_TEST_PG unset (tests/integration/pg_backend.sh runs this)\n");
        return 0;
    }
    char err[256];
    struct store *a = store_open(url, err, sizeof err);
    side = PQconnectdb(url);
    if (!a || PQstatus(side) != CONNECTION_OK) {
        printf("not ok - open %s: %s\n", url, a ? PQerrorMessage(side) : err);
        return 1;
    }
    enum {
        N = 50
    };
    int64_t ids[N];
    CHECK(store_begin(a) == ORBAT_OK, "begin");
    for (int i = 0; i < N; i++) {
        struct store_asset as = {.kind = STORE_SHIP, .ident = (uint32_t)(211000000 + i)};
        snprintf(as.name, sizeof as.name, "PRESENCE %d", i);
        store_asset_put(a, &as);
        ids[i] = as.id;
    }
    CHECK(store_commit(a) == ORBAT_OK, "assets");

    CHECK(batch(a, ids, N, 0, 0, "caribbean") == 0, "first batch (upsert: new rows)");
    CHECK(batch(a, ids, N, 0, 1, "caribbean") == 0, "second batch (UPDATE of known rows)");
    CHECK(batch(a, ids, N, 0, 2, "") == 0, "third batch, no theatre ('*' UPDATE)");
    CHECK(batch(a, ids, N, 0, 3, "baltic") == 0, "fourth batch, another theatre (upsert)");
    CHECK(batch(a, ids, N, 0, 4, "caribbean") == 0, "fifth batch, first theatre again");
    CHECK_EQ_INT(presence_n("*", ids[7], DAY), 5, "'*' row counts 5 minutes");
    CHECK_EQ_INT(presence_n("caribbean", ids[7], DAY), 3, "caribbean row counts 3");
    CHECK_EQ_INT(mismatches(), 0, "every presence row equals a recount");

    // Re-delivery by a fresh connection (a worker restarted): nothing new.
    struct store *b = store_open(url, err, sizeof err);
    CHECK(b != NULL, "second connection");
    if (!b)
        return check_exit();
    CHECK(batch(b, ids, N, 0, 1, "caribbean") == 0, "re-delivery of the second batch");
    CHECK(batch(b, ids, N, 0, 4, "caribbean") == 0, "re-delivery of the fifth batch");
    CHECK_EQ_INT(presence_n("*", ids[7], DAY), 5, "re-delivery: '*' row still 5");
    CHECK_EQ_INT(mismatches(), 0, "re-delivery: presence equals a recount");

    // Two connections writing the same assets in turn (a ship heard by
    // two receivers on two shards): each knows the rows, both add.
    for (int m = 5; m < 9; m++)
        CHECK(batch(m % 2 ? b : a, ids, N, 0, m, "caribbean") == 0, "writers in turn, minute %d",
              m);
    CHECK_EQ_INT(presence_n("*", ids[7], DAY), 9, "writers in turn: '*' row counts 9");
    CHECK_EQ_INT(presence_n("caribbean", ids[7], DAY), 7, "writers in turn: caribbean row 7");
    CHECK_EQ_INT(mismatches(), 0, "writers in turn: presence equals a recount");

    // A new day (upsert), then that day dropped by the other connection
    // while writer a knows its rows: a's next batch falls back.
    CHECK(batch(a, ids, N, 1, 0, "caribbean") == 0, "next day, first batch");
    CHECK(batch(a, ids, N, 1, 1, "caribbean") == 0, "next day, second batch (UPDATE)");
    uint64_t dropped = 0;
    CHECK(store_pg_drop_day(b, DAY + 1, &dropped) == ORBAT_OK && dropped == 2 * N,
          "drop-day of the next day by the other connection (%llu rows)",
          (unsigned long long)dropped);
    CHECK_EQ_INT(presence_n("*", ids[7], DAY + 1), -1, "its presence rows are gone");
    CHECK(batch(a, ids, N, 1, 2, "caribbean") == 0, "writer a again on the dropped day");
    CHECK_EQ_INT(presence_n("*", ids[7], DAY + 1), 1, "the '*' row is back, counting 1");
    CHECK_EQ_INT(presence_n("caribbean", ids[7], DAY + 1), 1, "the caribbean row counts 1");
    CHECK_EQ_INT(mismatches(), 0, "after the drop: presence equals a recount");
    CHECK(batch(a, ids, N, 1, 3, "caribbean") == 0, "and once more (UPDATE again)");
    CHECK_EQ_INT(presence_n("*", ids[7], DAY + 1), 2, "the '*' row counts 2");
    CHECK_EQ_INT(mismatches(), 0, "finally: presence equals a recount");

    store_close(b);
    store_close(a);
    PQfinish(side);
    return check_exit();
}
