/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_cli.c - option helpers for the store commands; see store_cli.h.
 */
#include "cli/store_cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "report/report.h"
#include "report/rtime.h"
#include "store/store_pg.h"

const char *store_cli_default_db(void)
{
    const char *e = getenv("ORBAT_DB");
    return e && *e ? e : "orbat.db";
}

int store_cli_exists(const char *cmd, const char *db)
{
    const char *path = strncmp(db, "sqlite:", 7) ? db : db + 7;
    if (!store_pg_url(db) && access(path, F_OK) != 0) {
        cmd_error(cmd, "no database %s (create it with 'orbat ingest --db %s SOURCE')", path, path);
        return -1;
    }
    return 0;
}

struct store *store_cli_open_existing(const char *cmd, const char *db)
{
    if (store_cli_exists(cmd, db))
        return NULL;
    // Readers open read-only (a database in a read-only directory, or
    // owned by another user, is still readable); an old schema is
    // migrated by a writer's open.
    char err[300];
    struct store *s = store_open_reader(db, err, sizeof err);
    if (!s && strstr(err, "orbat db migrate"))
        return store_cli_open(cmd, db);
    if (!s)
        cmd_error(cmd, "cannot open database %s: %s", db, err);
    return s;
}

struct store *store_cli_open(const char *cmd, const char *db)
{
    char err[300];
    struct store *s = store_open(db, err, sizeof err);
    if (!s)
        cmd_error(cmd, "cannot open database %s: %s", db, err);
    return s;
}

int store_cli_time(const char *cmd, const char *opt, const char *arg, int64_t *ms)
{
    int rc = rtime_parse(arg, ms);
    if (rc == 0)
        return 0;
    if (rc == -2) {
        cmd_error(cmd, "%s: '%s' is outside the times orbat handles (" RTIME_RANGE_TEXT ")", opt,
                  arg);
        return -1;
    }
    cmd_error(cmd, "%s: '%s' is not a time (use 2025-10-23, 2025-10-23T12:00Z or @unixtime)", opt,
              arg);
    return -1;
}

int store_cli_duration(const char *cmd, const char *opt, const char *arg, int64_t *ms)
{
    if (rtime_parse_duration(arg, ms) == 0)
        return 0;
    cmd_error(cmd, "%s: '%s' is not a duration (use 7d, 36h, 90m, 2w)", opt, arg);
    return -1;
}

int store_cli_format(const char *cmd, const char *arg, unsigned allowed, int *fmt)
{
    static const char *const names[] = {"table", "json", "markdown", "csv", "geojson", "kml"};
    int f = report_format_parse(arg);
    if (f >= 0 && (allowed & (1u << f))) {
        *fmt = f;
        return 0;
    }
    char list[96] = "";
    size_t n = 0;
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (allowed & (1u << i))
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", names[i]);
    cmd_error(cmd, "unknown format '%s' (%s)", arg, list);
    return -1;
}

int64_t store_cli_latest(struct store *s)
{
    int64_t first, last;
    if (store_time_range(s, &first, &last) == ORBAT_OK)
        return rtime_clamp(last);
    int64_t now = 0;
    rtime_parse("now", &now);
    return now;
}

FILE *store_cli_open_out(const char *cmd, const char *path)
{
    if (!path || !strcmp(path, "-"))
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        cmd_error(cmd, "cannot write %s: %s", path, strerror(errno));
    return f;
}

int store_cli_close_out(const char *cmd, FILE *f, const char *path)
{
    int bad = fflush(f) != 0 || ferror(f);
    if (f != stdout)
        bad |= fclose(f) != 0;
    if (bad) {
        cmd_error(cmd, "write error on %s: %s", path && strcmp(path, "-") ? path : "stdout",
                  strerror(errno));
        return -1;
    }
    return 0;
}

void store_cli_warn_simulated(const char *cmd, struct store *s)
{
    uint64_t sources, simulated;
    if (store_source_counts(s, &sources, &simulated) == ORBAT_OK && simulated) {
        fprintf(stderr, "orbat %s: ", cmd);
        report_simulated_notice(stderr, simulated, sources, false);
    }
}
