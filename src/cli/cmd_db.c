/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_db.c - `orbat db`: database maintenance. `db migrate` opens a store
 * (SQLite file or postgresql:// URL), applying the missing schema
 * migrations, and prints its schema version and row counts; `db copy`
 * moves an embedded SQLite database into an empty PostgreSQL one, keeping
 * every row id and reference; `db days`, `db close-day`, `db close-days`
 * and `db drop-day` manage the day partitions of a PostgreSQL store. See
 * docs/postgresql.md.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/store_cli.h"
#include "store/store.h"
#include "store/store_pg.h"

static const char db_usage[] =
    "usage: orbat db migrate [--db URL]\n"
    "       orbat db copy --from FILE|URL --to postgresql://...\n"
    "       orbat db days [--db URL]\n"
    "       orbat db close-days [--db URL] [--margin DUR] [--points-index]\n"
    "       orbat db close-day [--db URL] [--points-index] DAY\n"
    "       orbat db drop-day [--db URL] DAY\n"
    "       orbat db area [--db URL] --bbox S,W,N,E FROM TO\n"
    "\n"
    "  migrate   create or upgrade the schema of the database at URL (a SQLite\n"
    "            file, sqlite:FILE or postgresql://user@host/dbname), check its\n"
    "            integrity and print its schema version and row counts\n"
    "  copy      copy every row of a database (usually an orbat.db file) into\n"
    "            an empty PostgreSQL database, keeping ids and provenance (the\n"
    "            claims ledger too); the per-day presence summary is rebuilt there\n"
    "  days      PostgreSQL: list the UTC day partitions of the observations,\n"
    "            open (being written) or closed\n"
    "  close-day close the day DAY (2025-10-23): build one track per asset\n"
    "            (table orbat.tracks, GiST-indexed: the spatial index of the\n"
    "            area queries)\n"
    "  close-days close every open day that ended at least --margin before the\n"
    "            newest observation\n"
    "  drop-day  delete the observations of DAY (its partition and tracks)\n"
    "  area      PostgreSQL: the observations inside the box between the times\n"
    "            FROM and TO, as CSV (asset_id,t_ms,lat,lon), in (asset, time)\n"
    "            order; closed days are searched through their tracks\n"
    "\n"
    "  -d, --db URL     database for migrate (default $ORBAT_DB or orbat.db)\n"
    "      --from URL   source database for copy\n"
    "      --to URL     target PostgreSQL database for copy\n"
    "      --margin DUR close-days: how long after its end a day stays open\n"
    "                   (default 6h; 36h, 2d)\n"
    "      --points-index close-day(s): also a GiST index on the day's points\n"
    "                   (for other tools; orbat's queries use the tracks)\n"
    "      --bbox S,W,N,E area: the box in degrees (W <= E)\n";

static void print_counts(const char *what, const struct store_counts *c)
{
    printf("%s: %llu sources, %llu raw messages, %llu assets, %llu observations, %llu events,"
           " %llu sightings\n",
           what, (unsigned long long)c->sources, (unsigned long long)c->raw,
           (unsigned long long)c->assets, (unsigned long long)c->observations,
           (unsigned long long)c->events, (unsigned long long)c->sightings);
}

static int db_migrate(const char *db)
{
    struct store *s = store_cli_open("db", db);
    if (!s)
        return 1;
    struct store_counts c;
    int rc = store_counts(s, &c);
    if (rc) {
        cmd_error("db", "%s: %s", db, store_errmsg(s));
        store_close(s);
        return 1;
    }
    if ((rc = store_integrity_check(s)) != ORBAT_OK) {
        cmd_error("db", "%s: %s", db, store_errmsg(s));
        store_close(s);
        return 1;
    }
    bool pg = store_pg_url(db);
    printf("%s: %s schema version %d, integrity ok\n", db, pg ? "postgresql" : "sqlite",
           pg ? store_pg_schema_version() : store_sqlite_schema_version());
    print_counts(db, &c);
    store_close(s);
    return 0;
}

static int count_claim(void *ctx, const struct store_claim *c)
{
    (void)c;
    ++*(unsigned long long *)ctx;
    return 0;
}

static int db_copy(const char *from, const char *to)
{
    if (!store_pg_url(to)) {
        cmd_error("db", "--to must be a postgresql:// URL");
        return 2;
    }
    struct store *src = store_cli_open_existing("db", from);
    if (!src)
        return 1;
    struct store *dst = store_cli_open("db", to);
    if (!dst) {
        store_close(src);
        return 1;
    }
    struct store_counts c;
    int rc = store_pg_copy_from(dst, src, &c);
    if (rc)
        cmd_error("db", "copy %s -> %s: %s", from, to, store_errmsg(dst));
    else
        print_counts("copied", &c);
    unsigned long long nclaims = 0;
    if (!rc && store_claims(dst, 0, count_claim, &nclaims) == ORBAT_OK)
        printf("copied: %llu claims\n", nclaims);
    store_close(dst);
    store_close(src);
    return rc ? 1 : 0;
}

static void print_day(const struct store_pg_day *d)
{
    char ymd[16];
    time_t t = (time_t)(d->day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ymd, sizeof ymd, "%Y-%m-%d", &tm);
    if (d->closed)
        printf("%s  %-22s closed  %llu observations, %llu tracks\n", ymd, d->part,
               (unsigned long long)d->n_obs, (unsigned long long)d->n_tracks);
    else
        printf("%s  %-22s open\n", ymd, d->part);
}

static int day_cb(void *ctx, const struct store_pg_day *d)
{
    (void)ctx;
    print_day(d);
    return 0;
}

/* days, close-day, close-days, drop-day on a PostgreSQL store. */
static int db_days(const char *sub, const char *db, const char *arg, int64_t margin_ms,
                   unsigned flags)
{
    if (!store_pg_url(db)) {
        cmd_error("db", "%s: day partitions are a PostgreSQL feature (--db postgresql://...)", sub);
        return 2;
    }
    int64_t day = 0;
    if (arg) {
        int64_t ms;
        if (store_cli_time("db", sub, arg, &ms))
            return 2;
        day = ms / STORE_DAY_MS;
    }
    struct store *s = store_cli_open("db", db);
    if (!s)
        return 1;
    int rc;
    struct store_pg_day d;
    if (!strcmp(sub, "days")) {
        rc = store_pg_days(s, day_cb, NULL);
    } else if (!strcmp(sub, "close-days")) {
        rc = store_pg_close_days(s, margin_ms, flags, day_cb, NULL);
    } else if (!strcmp(sub, "close-day")) {
        rc = store_pg_close_day(s, day, flags, &d);
        if (rc == ORBAT_OK || rc == ORBAT_AGAIN)
            print_day(&d);
        if (rc == ORBAT_AGAIN)
            rc = ORBAT_OK;
    } else {
        uint64_t n = 0;
        rc = store_pg_drop_day(s, day, &n);
        if (!rc)
            printf("%s: dropped %llu observations\n", arg, (unsigned long long)n);
    }
    if (rc)
        cmd_error("db", "%s: %s", sub, store_errmsg(s));
    store_close(s);
    return rc == ORBAT_E_NOTFOUND ? 1 : rc ? 1 : 0;
}

static int area_row(void *ctx, const struct store_obs *o)
{
    (void)ctx;
    printf("%lld,%lld,%.17g,%.17g\n", (long long)o->asset_id, (long long)o->t_ms, o->lat, o->lon);
    return 0;
}

static int db_area(const char *db, const char *bbox, const char *from, const char *to)
{
    struct store_pg_box box;
    char extra;
    if (!bbox || sscanf(bbox, "%lf,%lf,%lf,%lf%c", &box.south, &box.west, &box.north, &box.east,
                        &extra) != 4) {
        cmd_error("db", "area needs --bbox S,W,N,E");
        return 2;
    }
    int64_t f, t;
    if (store_cli_time("db", "FROM", from, &f) || store_cli_time("db", "TO", to, &t))
        return 2;
    if (!store_pg_url(db)) {
        cmd_error("db", "area: a PostgreSQL feature (--db postgresql://...)");
        return 2;
    }
    struct store *s = store_cli_open_existing("db", db);
    if (!s)
        return 1;
    printf("asset_id,t_ms,lat,lon\n");
    int rc = store_pg_area(s, &box, f, t, area_row, NULL);
    if (rc)
        cmd_error("db", "area: %s", rc == ORBAT_E_INVAL ? "bad box" : store_errmsg(s));
    store_close(s);
    return rc ? 1 : 0;
}

static int db_exec(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, 0, 'd'},   {"from", required_argument, 0, 'F'},
        {"to", required_argument, 0, 'T'},   {"margin", required_argument, 0, 'M'},
        {"bbox", required_argument, 0, 'B'}, {"points-index", no_argument, 0, 'P'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *from = NULL, *to = NULL, *bbox = NULL;
    int64_t margin_ms = 6 * 3600000LL;
    unsigned flags = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'F':
            from = optarg;
            break;
        case 'T':
            to = optarg;
            break;
        case 'B':
            bbox = optarg;
            break;
        case 'P':
            flags |= STORE_PG_POINTS_INDEX;
            break;
        case 'M':
            if (store_cli_duration("db", "--margin", optarg, &margin_ms))
                return 2;
            break;
        case 'h':
            fputs(db_usage, stdout);
            return 0;
        default:
            fputs(db_usage, stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        fputs(db_usage, stderr);
        return 2;
    }
    const char *sub = argv[optind];
    if (!strcmp(sub, "area")) {
        if (optind != argc - 3) {
            fputs(db_usage, stderr);
            return 2;
        }
        return db_area(db, bbox, argv[optind + 1], argv[optind + 2]);
    }
    bool with_day = !strcmp(sub, "close-day") || !strcmp(sub, "drop-day");
    if (optind != argc - 1 - with_day) {
        fputs(db_usage, stderr);
        return 2;
    }
    if (with_day || !strcmp(sub, "days") || !strcmp(sub, "close-days"))
        return db_days(sub, db, with_day ? argv[optind + 1] : NULL, margin_ms, flags);
    if (!strcmp(sub, "migrate"))
        return db_migrate(db);
    if (!strcmp(sub, "copy")) {
        if (!from || !to) {
            cmd_error("db", "copy needs --from and --to");
            return 2;
        }
        return db_copy(from, to);
    }
    cmd_error(
        "db",
        "unknown subcommand '%s' (migrate, copy, days, close-day, close-days, drop-day, area)",
        sub);
    return 2;
}

const struct orbat_cmd cmd_db = {
    .name = "db",
    .summary = "create/upgrade a database schema; copy orbat.db into PostgreSQL; day partitions",
    .usage = db_usage,
    .exec = db_exec,
};
