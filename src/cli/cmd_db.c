/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_db.c - `orbat db`: database maintenance. `db migrate` opens a store
 * (SQLite file or postgresql:// URL), applying the missing schema
 * migrations, and prints its schema version and row counts; `db copy`
 * moves an embedded SQLite database into an empty PostgreSQL one, keeping
 * every row id and reference. See docs/postgresql.md.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/store_cli.h"
#include "store/store.h"
#include "store/store_pg.h"

static const char db_usage[] =
    "usage: orbat db migrate [--db URL]\n"
    "       orbat db copy --from FILE|URL --to postgresql://...\n"
    "\n"
    "  migrate   create or upgrade the schema of the database at URL (a SQLite\n"
    "            file, sqlite:FILE or postgresql://user@host/dbname), check its\n"
    "            integrity and print its schema version and row counts\n"
    "  copy      copy every row of a database (usually an orbat.db file) into\n"
    "            an empty PostgreSQL database, keeping ids and provenance (the\n"
    "            claims ledger too); the per-day presence summary is rebuilt there\n"
    "\n"
    "  -d, --db URL     database for migrate (default $ORBAT_DB or orbat.db)\n"
    "      --from URL   source database for copy\n"
    "      --to URL     target PostgreSQL database for copy\n";

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

static int db_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"from", required_argument, 0, 'F'},
                                             {"to", required_argument, 0, 'T'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *from = NULL, *to = NULL;
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
        case 'h':
            fputs(db_usage, stdout);
            return 0;
        default:
            fputs(db_usage, stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fputs(db_usage, stderr);
        return 2;
    }
    const char *sub = argv[optind];
    if (!strcmp(sub, "migrate"))
        return db_migrate(db);
    if (!strcmp(sub, "copy")) {
        if (!from || !to) {
            cmd_error("db", "copy needs --from and --to");
            return 2;
        }
        return db_copy(from, to);
    }
    cmd_error("db", "unknown subcommand '%s' (migrate, copy)", sub);
    return 2;
}

const struct orbat_cmd cmd_db = {
    .name = "db",
    .summary = "create/upgrade a database schema; copy orbat.db into PostgreSQL",
    .usage = db_usage,
    .exec = db_exec,
};
