/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_store_asset.c - store_asset_put's merge rules through every write
 * path of the SQLite backend: a new row (plain insert), the same identity
 * again (times only, or nothing), a changed identity on a row this
 * connection wrote (merge by id), and a row from an earlier connection
 * (upsert). Each sequence is checked against the documented merge: a
 * non-empty name wins, category/role/reasons change only with a confidence
 * at least as high, confidence and military only grow, first/last widen.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static char dir[64];
static char path[128];

static struct store *open_or_die(void)
{
    char err[256] = "";
    struct store *s = store_open(path, err, sizeof err);
    if (!s) {
        printf("not ok - store_open: %s\n", err);
        exit(1);
    }
    return s;
}

static struct store_asset ship(const char *name, const char *category, double conf, int64_t first,
                               int64_t last)
{
    struct store_asset a;
    memset(&a, 0, sizeof a);
    a.kind = STORE_SHIP;
    a.ident = 338123456;
    store_strlcpy(a.name, name, sizeof a.name);
    store_strlcpy(a.category, category, sizeof a.category);
    store_strlcpy(a.reasons, category, sizeof a.reasons);
    a.confidence = conf;
    a.military = conf >= 0.7 && !strcmp(category, "warship");
    a.first_ms = first;
    a.last_ms = last;
    return a;
}

static void get(struct store *s, int64_t id, struct store_asset *out)
{
    memset(out, 0, sizeof *out);
    CHECK_EQ_INT(store_asset_get(s, id, out), ORBAT_OK, "asset readable");
}

static void test_paths(void)
{
    struct store *s = open_or_die();
    CHECK_EQ_INT(store_begin(s), ORBAT_OK, "begin");

    // New row.
    struct store_asset a = ship("USS TEST", "warship", 0.9, 1000, 2000);
    CHECK_EQ_INT(store_asset_put(s, &a), ORBAT_OK, "insert");
    int64_t id = a.id;
    CHECK(id > 0, "new row has an id");
    struct store_asset r;
    get(s, id, &r);
    CHECK_EQ_STR(r.name, "USS TEST", "name stored");
    CHECK_EQ_INT((int)r.first_ms, 1000, "first stored");
    CHECK_EQ_INT((int)r.last_ms, 2000, "last stored");

    // Same identity, wider times: only the times move.
    a = ship("USS TEST", "warship", 0.9, 500, 3000);
    CHECK_EQ_INT(store_asset_put(s, &a), ORBAT_OK, "same identity, wider times");
    CHECK_EQ_INT((int)a.id, (int)id, "same id returned");
    get(s, id, &r);
    CHECK_EQ_INT((int)r.first_ms, 500, "first widened");
    CHECK_EQ_INT((int)r.last_ms, 3000, "last widened");

    // Same identity, narrower times: nothing changes.
    a = ship("USS TEST", "warship", 0.9, 800, 2500);
    CHECK_EQ_INT(store_asset_put(s, &a), ORBAT_OK, "same identity, inside the times");
    CHECK_EQ_INT((int)a.id, (int)id, "same id returned (no write)");
    get(s, id, &r);
    CHECK_EQ_INT((int)r.first_ms, 500, "first kept");
    CHECK_EQ_INT((int)r.last_ms, 3000, "last kept");

    // A weaker, different identity on a row this connection wrote.
    a = ship("", "civil", 0.4, 0, 4000);
    CHECK_EQ_INT(store_asset_put(s, &a), ORBAT_OK, "weaker identity");
    CHECK_EQ_INT((int)a.id, (int)id, "merged into the same row");
    get(s, id, &r);
    CHECK_EQ_STR(r.name, "USS TEST", "empty name does not erase");
    CHECK_EQ_STR(r.category, "warship", "weaker category does not win");
    CHECK_NEAR(r.confidence, 0.9, 1e-9, "confidence only grows");
    CHECK(r.military, "military only grows");
    CHECK_EQ_INT((int)r.first_ms, 500, "first 0 does not move first");
    CHECK_EQ_INT((int)r.last_ms, 4000, "last widened by the merge");

    // The first identity again after the weaker one: a real change for the
    // memo (it last wrote the weaker one), a no-op for the row's fields.
    a = ship("USS TEST", "warship", 0.9, 600, 3500);
    CHECK_EQ_INT(store_asset_put(s, &a), ORBAT_OK, "first identity again");
    get(s, id, &r);
    CHECK_EQ_STR(r.category, "warship", "category as before");
    CHECK_EQ_INT((int)r.first_ms, 500, "first as before");
    CHECK_EQ_INT((int)r.last_ms, 4000, "last as before");

    // A stronger identity with a new name.
    a = ship("USS RENAMED", "warship", 1.0, 0, 0);
    a.raw_id = 77;
    CHECK_EQ_INT(store_asset_put(s, &a), ORBAT_OK, "stronger identity");
    get(s, id, &r);
    CHECK_EQ_STR(r.name, "USS RENAMED", "new name wins");
    CHECK_NEAR(r.confidence, 1.0, 1e-9, "confidence grew");
    CHECK_EQ_INT((int)r.raw_id, 77, "raw reference set");
    CHECK_EQ_INT(store_commit(s), ORBAT_OK, "commit");
    store_close(s);

    // A new connection (empty memo) on the existing row: the upsert path.
    s = open_or_die();
    CHECK_EQ_INT(store_begin(s), ORBAT_OK, "begin 2");
    a = ship("USS RENAMED", "warship", 1.0, 100, 0);
    CHECK_EQ_INT(store_asset_put(s, &a), ORBAT_OK, "put on a row from an earlier run");
    CHECK_EQ_INT((int)a.id, (int)id, "found the existing row");
    get(s, id, &r);
    CHECK_EQ_INT((int)r.first_ms, 100, "first widened through the upsert");
    CHECK_EQ_INT((int)r.last_ms, 4000, "last kept through the upsert");
    CHECK_EQ_INT((int)r.raw_id, 77, "raw reference kept (0 does not erase)");
    // And then the memo path on that row.
    a = ship("USS RENAMED", "warship", 1.0, 50, 5000);
    CHECK_EQ_INT(store_asset_put(s, &a), ORBAT_OK, "times after the upsert");
    get(s, id, &r);
    CHECK_EQ_INT((int)r.first_ms, 50, "first widened after the upsert");
    CHECK_EQ_INT((int)r.last_ms, 5000, "last widened after the upsert");

    // An aircraft with the same number is another asset.
    struct store_asset air = ship("", "", 0, 10, 20);
    air.kind = STORE_AIRCRAFT;
    CHECK_EQ_INT(store_asset_put(s, &air), ORBAT_OK, "aircraft insert");
    CHECK(air.id != id, "aircraft is its own row");
    CHECK_EQ_INT(store_commit(s), ORBAT_OK, "commit 2");
    struct store_counts c;
    CHECK_EQ_INT(store_counts(s, &c), ORBAT_OK, "counts");
    CHECK_EQ_INT((int)c.assets, 2, "two asset rows");
    CHECK_EQ_INT(store_integrity_check(s), ORBAT_OK, "integrity");
    store_close(s);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/orbat_test_store_asset_XXXXXX");
    if (!mkdtemp(dir)) {
        printf("not ok - mkdtemp\n");
        return 1;
    }
    snprintf(path, sizeof path, "%s/t.db", dir);
    test_paths();
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0, "cleanup");
    return check_exit();
}
