/* SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_pg_write.c - the PostgreSQL write path of an ingest worker (issue
 * 16) and the day close, measured in server CPU: the CPU time (user +
 * system, /proc/PID/stat) of the one backend that serves the store's
 * connection, found by its application_name through a second connection.
 *
 *   bench_pg_write URL NASSETS MINUTES PER_MIN BATCH RAW
 *
 * Constructed live traffic of one UTC day: NASSETS assets each reporting
 * PER_MIN times a minute for MINUTES minutes (in time order, as a worker
 * receives it), written through store_obs_put in transactions of BATCH
 * offered observations (a worker's batch); the store keeps the first per
 * asset and minute (NASSETS * MINUTES rows). RAW=1 stores a 64-byte raw
 * message with each observation (the worker's provenance rows). Then a
 * redelivery of the first 10% of the batches by a fresh connection (the
 * merge path), and `close-day` of the day (tracks), then once more (the
 * day opened again) with --points-index (GiST index on the points + tracks).
 *
 * URL must carry application_name=orbat_bench_w. Prints markdown table
 * rows on stdout.
 */
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_pg.h"

#define DAY0 20468LL /* 2026-01-15 */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double self_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* CPU seconds of process pid (utime + stime). */
static double pid_cpu(int pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); // after the command name
    if (!p)
        return -1;
    unsigned long ut = 0, st = 0;
    // fields after ')': state(3) ... utime(14) stime(15)
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int backend_pid(const char *url)
{
    PGconn *c = PQconnectdb(url);
    int pid = -1;
    // The backend of a connection just closed can still be listed for a
    // moment (a loaded machine): ask again until exactly one is.
    for (int i = 0; pid < 0 && i < 100 && PQstatus(c) == CONNECTION_OK; i++) {
        if (i)
            usleep(50000);
        PGresult *r = PQexec(c, "SELECT pid FROM pg_stat_activity WHERE application_name ="
                                " 'orbat_bench_w' AND pid <> pg_backend_pid()");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            pid = atoi(PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    PQfinish(c);
    return pid;
}

struct phase {
    double wall, client, server;
};

static void phase_start(struct phase *p, int pid)
{
    p->wall = now_s();
    p->client = self_cpu();
    p->server = pid_cpu(pid);
}

static void phase_end(struct phase *p, int pid)
{
    p->wall = now_s() - p->wall;
    p->client = self_cpu() - p->client;
    p->server = pid_cpu(pid) - p->server;
}

/* Write batches [b0, b1) of the traffic. */
static int traffic(struct store *s, const int64_t *ids, long nassets, long minutes, int per_min,
                   long batch, bool raw, int64_t source_id, long b0, long b1, long *offered)
{
    long k = 0, nb = 0;
    bool open = false;
    char msg[64];
    for (long m = 0; m < minutes; m++) {
        for (int r = 0; r < per_min; r++) {
            for (long a = 0; a < nassets; a++, k++) {
                if (k % batch == 0) {
                    if (open && store_commit(s))
                        return -1;
                    open = false;
                    nb = k / batch;
                    if (nb >= b1)
                        return 0;
                    if (nb >= b0) {
                        if (store_begin(s))
                            return -1;
                        open = true;
                    }
                }
                if (!open)
                    continue;
                int64_t t = (DAY0 * 86400 + 3600 + m * 60) * 1000LL +
                            (int64_t)r * (60000 / per_min) + (a * 7919) % (60000 / per_min);
                double ph = (double)a * 0.61803398875;
                struct store_obs o = {
                    .asset_id = ids[a],
                    .t_ms = t,
                    .lat = -60 + fmod(ph * 97.0, 120.0) + (double)m * 1e-3,
                    .lon = -170 + fmod(ph * 331.0, 340.0) + (double)m * 1e-3,
                    .sog_kn = 12.5,
                    .cog_deg = 270,
                    .alt_ft = INT32_MIN,
                    .source_id = source_id,
                };
                if (a % 10 == 0)
                    snprintf(o.theatre, sizeof o.theatre, "caribbean");
                struct store_raw rw = {.source_id = source_id, .offset = (uint64_t)k};
                if (raw) {
                    memset(msg, 'A' + (int)(a % 26), sizeof msg);
                    snprintf(msg, 24, "!AIVDM,%ld,", k);
                    rw.data = msg;
                    rw.len = sizeof msg;
                }
                if (store_obs_put(s, &o, raw ? &rw : NULL) != ORBAT_OK) {
                    fprintf(stderr, "obs_put: %s\n", store_errmsg(s));
                    return -1;
                }
                (*offered)++;
            }
        }
    }
    if (open && store_commit(s))
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: bench_pg_write URL NASSETS MINUTES PER_MIN BATCH RAW\n");
        return 2;
    }
    const char *url = argv[1];
    long nassets = atol(argv[2]), minutes = atol(argv[3]), batch = atol(argv[5]);
    int per_min = atoi(argv[4]);
    bool raw = atoi(argv[6]) != 0;
    char err[256];
    struct store *s = store_open(url, err, sizeof err);
    if (!s) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    // BENCH_PGW_FILLFACTOR: the presence summary's fillfactor (migration
    // 8 sets 50), to compare others; the table is empty here.
    const char *ff = getenv("BENCH_PGW_FILLFACTOR");
    if (ff && atoi(ff) >= 10 && atoi(ff) <= 100) {
        char sql[96];
        snprintf(sql, sizeof sql, "ALTER TABLE orbat.presence SET (fillfactor = %d)", atoi(ff));
        PGconn *side = PQconnectdb(url);
        PGresult *r = PQexec(side, sql);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        PQfinish(side);
        if (!ok) {
            fprintf(stderr, "fillfactor not set\n");
            return 1;
        }
    }
    int pid = backend_pid(url);
    if (pid <= 0 || pid_cpu(pid) < 0) {
        fprintf(stderr, "backend of the store's connection not found (application_name)\n");
        return 1;
    }
    int64_t *ids = malloc((size_t)nassets * sizeof *ids);
    struct store_source src = {.bytes = 1};
    snprintf(src.name, sizeof src.name, "bench");
    snprintf(src.sha256, sizeof src.sha256, "%064d", raw ? 1 : 0);
    if (!ids || store_begin(s) || store_source_begin(s, &src))
        return 1;
    for (long a = 0; a < nassets; a++) {
        struct store_asset as = {.kind = STORE_SHIP, .ident = (uint32_t)(200000000 + a)};
        snprintf(as.name, sizeof as.name, "BENCH %ld", a);
        snprintf(as.category, sizeof as.category, a % 12 ? "civil" : "warship");
        as.military = a % 12 == 0;
        as.confidence = 0.9;
        if (store_asset_put(s, &as) != ORBAT_OK)
            return 1;
        ids[a] = as.id;
    }
    if (store_commit(s))
        return 1;
    long nbatches = (nassets * minutes * per_min + batch - 1) / batch;
    struct phase w;
    long offered = 0;
    phase_start(&w, pid);
    if (traffic(s, ids, nassets, minutes, per_min, batch, raw, src.id, 0, nbatches, &offered)) {
        fprintf(stderr, "write: %s\n", store_errmsg(s));
        return 1;
    }
    phase_end(&w, pid);
    struct store_counts c;
    store_counts(s, &c);
    double stored = (double)c.observations;
    printf("| write, open day: %.0f observations stored of %ld offered (%ld assets x %ld min x %d"
           "/min, %ld per transaction%s) | %.0f stored obs per server CPU-s | backend %.2f CPU-s "
           "(%.2f us/row), client %.2f CPU-s, wall %.2f s |\n",
           stored, offered, nassets, minutes, per_min, batch, raw ? ", with raw messages" : "",
           stored / w.server, w.server, w.server * 1e6 / stored, w.client, w.wall);

    // Redelivery: a fresh connection (no seen cache) writes the first 10%
    // of the batches again: the direct COPY meets stored rows, the merge
    // keeps none.
    store_close(s);
    s = store_open(url, err, sizeof err);
    pid = s ? backend_pid(url) : -1;
    if (pid <= 0)
        return 1;
    long redo = nbatches / 10 ? nbatches / 10 : 1, roff = 0;
    phase_start(&w, pid);
    if (traffic(s, ids, nassets, minutes, per_min, batch, raw, src.id, 0, redo, &roff))
        return 1;
    phase_end(&w, pid);
    struct store_counts c2;
    store_counts(s, &c2);
    printf(
        "| redelivery of %ld batches by a fresh worker (merge path) | %.0f offered obs per server"
        " CPU-s | backend %.2f CPU-s, %llu new rows |\n",
        redo, (double)roff / w.server, w.server,
        (unsigned long long)(c2.observations - c.observations));

    // close-day (tracks, GiST-indexed), then the same day opened again
    // (as late data does, through a second connection) and closed with the
    // points index too.
    for (int points = 0; points < 2; points++) {
        if (points) {
            PGconn *side = PQconnectdb(url);
            PGresult *r = PQexec(
                side, "SET client_min_messages = warning; SELECT orbat.obs_day_write(20468)");
            bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
            PQclear(r);
            PQfinish(side);
            if (!ok) {
                fprintf(stderr, "reopening the day failed\n");
                return 1;
            }
        }
        struct store_pg_day d;
        phase_start(&w, pid);
        int rc = store_pg_close_day(s, DAY0, points ? STORE_PG_POINTS_INDEX : 0, &d);
        phase_end(&w, pid);
        if (rc) {
            fprintf(stderr, "close-day: %s\n", store_errmsg(s));
            return 1;
        }
        printf("| close-day%s: %s%llu LineStringM tracks (GiST-indexed) of %llu observations |"
               " %.2f us per observation (backend CPU) | backend %.2f CPU-s, wall %.2f s |\n",
               points ? " --points-index" : "", points ? "sorted GiST index on the points + " : "",
               (unsigned long long)d.n_tracks, (unsigned long long)d.n_obs,
               w.server * 1e6 / (double)d.n_obs, w.server, w.wall);
    }
    store_close(s);
    free(ids);
    return 0;
}
