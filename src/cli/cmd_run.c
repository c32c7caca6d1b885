/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_run.c - `orbat run`: the daemon. Live feeds (feed.h) are spooled to
 * per-feed files that rotate every few seconds; each closed spool file is
 * ingested as a source (decode -> identify -> track -> events -> store, with
 * its SHA-256 and every stored observation's raw bytes, so live data keeps
 * the same provenance as a capture), alerts are evaluated after each
 * ingest, and the HTTP server answers on its own thread. NMEA lines that
 * arrive without a tag block get one with the receive time (c:UNIX), so
 * live AIS has absolute times. SIGINT/SIGTERM: ingest what was spooled,
 * close the events engine and flush the store, then exit. SIGHUP: reload
 * the registries and the theatre.
 *
 * Threads and ownership: the main thread owns everything in struct run;
 * the server thread runs the api, which borrows the store and the
 * registry and touches them only while it holds store_mu. The reload
 * (load_identity, under store_mu) builds the new registry, hands it to
 * the api (api_set_registry) and frees the old one before it unlocks, so
 * no request ever reads a freed registry, and aircraft.json's r, t, desc
 * and ownOp come from the registry the ingest uses.
 */
#include "cli/cmd.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert.h"
#include "cli/store_cli.h"
#include "config/config.h"
#include "feed/aishub.h"
#include "feed/aisstream.h"
#include "feed/feed.h"
#include "feed/httppoll.h"
#include "feed/v2preset.h"
#include "geo/layer.h"
#include "http/api.h"
#include "http/client.h"
#include "http/readsb.h"
#include "http/server.h"
#include "report/rtime.h"
#include "store/ingest.h"

static const char run_usage[] =
    "usage: orbat run [--config FILE] [--db FILE] [--feed [NAME=]URL]... [--listen ADDR]\n"
    "                 [--no-server] [--theatre NAME] [--registry FILE]... [--token TOKEN]\n"
    "                 [--spool-dir DIR] [--spool-secs N] [--web DIR] [--geo DIR]\n"
    "                 [--alerts-file FILE] [--webhook URL] [--set SECTION[.NAME].KEY=VALUE]...\n"
    "                 [--replay-start TIME [--replay-speed N]] [--site LAT,LON] [--tar1090 DIR]\n"
    "\n"
    "Run orbat as a daemon: read the live feeds, ingest them into the store\n"
    "(through spool files kept as evidence), evaluate alerts and serve the API\n"
    "and web map, until SIGINT or SIGTERM (which flush the store). SIGHUP\n"
    "reloads registries and theatre. Every option has a config-file form\n"
    "(docs/server.md); the command line wins.\n"
    "\n"
    "  -c, --config FILE     INI configuration\n"
    "  -d, --db FILE         [database] path (default $ORBAT_DB or orbat.db)\n"
    "      --feed SPEC       [feed NAME] url: tcp://HOST:PORT/KIND, udp://..., or\n"
    "                        http[s]://HOST:PORT/data/aircraft.json (readsb/tar1090, or a\n"
    "                        readsb v2 API such as /v2/mil), polled every [feed] interval\n"
    "                        seconds (default 5) (repeat)\n"
    "  -l, --listen ADDR     [server] listen (default 127.0.0.1:8080)\n"
    "      --no-server       [server] enabled = false\n"
    "  -t, --theatre NAME    [theatre] name (default caribbean; none = no theatre)\n"
    "  -r, --registry FILE   [registry] file, extra registry CSV (repeat)\n"
    "      --token TOKEN     [server] token for POST endpoints\n"
    "      --spool-dir DIR   [spool] dir (default orbat-spool)\n"
    "      --spool-secs N    [spool] seconds between ingests (default 10)\n"
    "      --web DIR         [server] web (default web)\n"
    "      --geo DIR         [server] geo (default data/geo)\n"
    "      --alerts-file F   [alerts] file, JSON lines\n"
    "      --webhook URL     [alerts] webhook, http://HOST:PORT/PATH\n"
    "      --replay-start TIME  [server] replay_start: /data/aircraft.json without\n"
    "                        as_of replays from TIME (2025-10-21T02:00Z, @unix) at\n"
    "                        --replay-speed; default: live data, else the last hour\n"
    "                        of the store in a loop (docs/tar1090.md)\n"
    "      --replay-speed N  [server] replay_speed, data seconds per real second\n"
    "                        (default 1; up to 100000)\n"
    "      --site LAT,LON    [server] site, the receiver position of\n"
    "                        /data/receiver.json (default: median of the military positions)\n"
    "      --tar1090 DIR     [server] tar1090, a tar1090 html/ directory served\n"
    "                        under /tar1090/\n"
    "      --set S.K=V       any config key, e.g. server.cache_ms=0, feed.mil.interval=30,\n"
    "                        alert.dark.rule=gap (checked like the file; repeat)\n"
    "      --port-file FILE  write the HTTP port there once listening\n";

#define SPOOL_LINE_CAP 4096

static volatile sig_atomic_t run_stop, run_hup;

static void on_stop(int sig)
{
    (void)sig;
    run_stop = 1;
}

static void on_hup(int sig)
{
    (void)sig;
    run_hup = 1;
}

#define RETRY_MAX 4096

/* Per-feed spool state. */
struct spool {
    FILE *f;
    char path[600];
    bool nmea;
    bool jsonl; /* aisstream: whole JSON lines, so no spool file cuts one */
    char line[SPOOL_LINE_CAP];
    size_t len;
    bool overlong;
    uint64_t lines_dropped;
};

/* An HTTP poller ([feed NAME] url = http://... or a preset, interval =
 * seconds; feed/httppoll.h) and its spool file. */
struct poller {
    struct http_poller h;
    struct spool sp;
};

#define MAX_POLLERS 16

struct feed_status {
    char name[64], host[256], port[16], kind[16], last_error[128];
    int state;
    struct feed_counters c;
};

struct run {
    struct config *cfg;
    const char *spool_dir;
    bool keep_spool;
    struct feed_set *fs;
    struct spool sp[FEED_MAX];
    pthread_mutex_t store_mu, status_mu;
    struct store *s;
    struct registry *reg; /* shared with api; swapped under store_mu */
    struct api *api;      /* NULL without a server (or before it starts) */
    struct callsign_rules *rules;
    struct theatre *th;
    struct ingest *g;
    struct alerts *al;
    struct feed_status status[FEED_MAX];
    size_t nstatus;
    struct poller poll[MAX_POLLERS];
    size_t npoll;
    struct poller poll_status[MAX_POLLERS]; /* snapshot for the server thread */
    uint64_t spool_files, ingest_errors;
    struct ingest_stats last;
    /* Spool files whose ingest failed (a full disk, a locked database):
     * retried each cycle, oldest first. */
    char *retry[RETRY_MAX];
    size_t nretry;
};

static size_t feed_index(struct run *r, struct feed *f)
{
    for (size_t i = 0; i < feed_set_count(r->fs); i++)
        if (feed_set_get(r->fs, i) == f)
            return i;
    return 0;
}

static FILE *spool_file(struct run *r, struct feed *f, struct spool *sp)
{
    if (sp->f)
        return sp->f;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(sp->path, sizeof(sp->path), "%s/%s-%lld%03ld.%s", r->spool_dir, f->name,
             (long long)ts.tv_sec, ts.tv_nsec / 1000000, f->kind[0] ? f->kind : "dat");
    sp->f = fopen(sp->path, "wb");
    return sp->f;
}

/* A complete NMEA line: prefix a tag block with the receive time when the
 * line has none (NMEA 4.10 tag block "c:" = UNIX time, IEC 61162-1). */
static void spool_nmea_line(struct spool *sp, FILE *out, const char *l, size_t n)
{
    while (n && (l[n - 1] == '\r' || l[n - 1] == '\n'))
        n--;
    if (!n)
        return;
    if (sp->nmea && l[0] != '\\') {
        char tag[48];
        int tn = snprintf(tag, sizeof(tag), "c:%lld", (long long)time(NULL));
        unsigned char ck = 0;
        for (int i = 0; i < tn; i++)
            ck ^= (unsigned char)tag[i];
        fprintf(out, "\\%s*%02X\\", tag, ck);
    }
    fwrite(l, 1, n, out);
    fputc('\n', out);
}

static void on_data(void *ctx, struct feed *f, const uint8_t *buf, size_t n)
{
    struct run *r = ctx;
    struct spool *sp = &r->sp[feed_index(r, f)];
    FILE *out = spool_file(r, f, sp);
    if (!out)
        return;
    if (!sp->nmea && !sp->jsonl) {
        fwrite(buf, 1, n, out);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char c = (char)buf[i];
        if (c == '\n') {
            if (!sp->overlong)
                spool_nmea_line(sp, out, sp->line, sp->len);
            sp->len = 0;
            sp->overlong = false;
        } else if (sp->len + 1 < SPOOL_LINE_CAP) {
            sp->line[sp->len++] = c;
        } else if (!sp->overlong) {
            sp->overlong = true;
            sp->lines_dropped++;
        }
    }
}

static void on_reset(void *ctx, struct feed *f)
{
    struct run *r = ctx;
    struct spool *sp = &r->sp[feed_index(r, f)];
    sp->len = 0; /* a partial line cannot continue on a new connection */
    sp->overlong = false;
}

static void snapshot_status(struct run *r)
{
    pthread_mutex_lock(&r->status_mu);
    r->nstatus = feed_set_count(r->fs);
    for (size_t i = 0; i < r->nstatus; i++) {
        struct feed *f = feed_set_get(r->fs, i);
        struct feed_status *st = &r->status[i];
        memcpy(st->name, f->name, sizeof(st->name));
        memcpy(st->host, f->host, sizeof(st->host));
        memcpy(st->port, f->port, sizeof(st->port));
        memcpy(st->kind, f->kind, sizeof(st->kind));
        memcpy(st->last_error, f->last_error, sizeof(st->last_error));
        st->state = f->state;
        st->c = f->c;
    }
    memcpy(r->poll_status, r->poll, r->npoll * sizeof(r->poll[0]));
    pthread_mutex_unlock(&r->status_mu);
}

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void feeds_json(void *ctx, FILE *out)
{
    struct run *r = ctx;
    static const char *const states[] = {"idle", "connecting", "up"};
    pthread_mutex_lock(&r->status_mu);
    fputc('[', out);
    for (size_t i = 0; i < r->nstatus; i++) {
        const struct feed_status *st = &r->status[i];
        fputs(i ? ",{\"name\":" : "{\"name\":", out);
        json_str(out, st->name);
        fputs(",\"host\":", out);
        json_str(out, st->host);
        fputs(",\"port\":", out);
        json_str(out, st->port);
        fputs(",\"kind\":", out);
        json_str(out, st->kind);
        fprintf(out,
                ",\"state\":\"%s\",\"bytes\":%llu,\"reads\":%llu,\"connects\":%llu,"
                "\"disconnects\":%llu,\"failures\":%llu,\"last_error\":",
                st->state >= 0 && st->state <= 2 ? states[st->state] : "?",
                (unsigned long long)st->c.bytes, (unsigned long long)st->c.reads,
                (unsigned long long)st->c.connects, (unsigned long long)st->c.disconnects,
                (unsigned long long)st->c.failures);
        json_str(out, st->last_error);
        fputc('}', out);
    }
    for (size_t i = 0; i < r->npoll; i++) {
        const struct poller *p = &r->poll_status[i];
        fputs(r->nstatus || i ? ",{\"name\":" : "{\"name\":", out);
        json_str(out, p->h.name);
        fputs(",\"url\":", out);
        json_str(out, p->h.url);
        fprintf(out,
                ",\"kind\":\"aircraft.json\",\"state\":\"%s\",\"requests\":%llu,\"errors\":%llu,"
                "\"last_status\":%d,\"aircraft\":%llu,\"lines\":%llu}",
                p->h.last_status == 200 ? "up" : "idle", (unsigned long long)p->h.requests,
                (unsigned long long)p->h.errors, p->h.last_status,
                (unsigned long long)p->h.st.aircraft, (unsigned long long)p->h.st.lines);
    }
    fputc(']', out);
    pthread_mutex_unlock(&r->status_mu);
}

static void feeds_metrics(void *ctx, FILE *out)
{
    struct run *r = ctx;
    pthread_mutex_lock(&r->status_mu);
    static const char *const names[] = {"bytes",    "reads",    "connects", "disconnects",
                                        "failures", "messages", "errors",   "reconnects"};
    for (int k = 0; k < 8; k++) {
        fprintf(out, "# TYPE orbat_feed_%s_total counter\n", names[k]);
        for (size_t i = 0; i < r->nstatus; i++) {
            const struct feed_counters *c = &r->status[i].c;
            uint64_t v[] = {c->bytes,    c->reads,    c->connects, c->disconnects,
                            c->failures, c->messages, c->errors,   c->reconnects};
            fprintf(out, "orbat_feed_%s_total{feed=", names[k]);
            json_str(out, r->status[i].name);
            fprintf(out, "} %llu\n", (unsigned long long)v[k]);
        }
    }
    fputs("# TYPE orbat_feed_up gauge\n", out);
    for (size_t i = 0; i < r->nstatus; i++) {
        fputs("orbat_feed_up{feed=", out);
        json_str(out, r->status[i].name);
        fprintf(out, "} %d\n", r->status[i].state == FEED_UP);
    }
    static const char *const pnames[] = {"requests", "errors",   "aircraft",
                                         "lines",    "bad_json", "ratelimit_waits"};
    for (int k = 0; r->npoll && k < 6; k++) {
        fprintf(out, "# TYPE orbat_poll_%s_total counter\n", pnames[k]);
        for (size_t i = 0; i < r->npoll; i++) {
            const struct http_poller *p = &r->poll_status[i].h;
            uint64_t v[] = {p->requests, p->errors,      p->st.aircraft,
                            p->st.lines, p->st.bad_json, p->ratelimit_waits};
            fprintf(out, "orbat_poll_%s_total{feed=", pnames[k]);
            json_str(out, p->name);
            fprintf(out, "} %llu\n", (unsigned long long)v[k]);
        }
    }
    if (r->npoll) {
        static const char *const reasons[] = {"no_position", "non_icao", "bad_field"};
        fputs("# TYPE orbat_poll_skipped_total counter\n", out);
        for (size_t i = 0; i < r->npoll; i++)
            for (int k = 0; k < RSB_SKIP_NREASONS; k++) {
                fputs("orbat_poll_skipped_total{feed=", out);
                json_str(out, r->poll_status[i].h.name);
                fprintf(out, ",reason=\"%s\"} %llu\n", reasons[k],
                        (unsigned long long)r->poll_status[i].h.st.skipped[k]);
            }
    }
    const struct ingest_stats *s = &r->last;
    fprintf(out,
            "# HELP orbat_messages_total Messages decoded from the live feeds, by kind.\n"
            "# TYPE orbat_messages_total counter\n"
            "orbat_messages_total{kind=\"ais\"} %llu\norbat_messages_total{kind=\"modes\"} %llu\n"
            "# HELP orbat_decode_rejected_total Input the decoders rejected.\n"
            "# TYPE orbat_decode_rejected_total counter\norbat_decode_rejected_total %llu\n"
            "# TYPE orbat_ingest_skipped_total counter\n"
            "orbat_ingest_skipped_total{reason=\"no_time\"} %llu\n"
            "orbat_ingest_skipped_total{reason=\"base_station\"} %llu\n"
            "orbat_ingest_skipped_total{reason=\"anonymous\"} %llu\n"
            "orbat_ingest_skipped_total{reason=\"unverified\"} %llu\n"
            "orbat_ingest_skipped_total{reason=\"bad_position\"} %llu\n"
            "# TYPE orbat_spool_files_total counter\norbat_spool_files_total %llu\n"
            "# TYPE orbat_ingest_errors_total counter\norbat_ingest_errors_total %llu\n",
            (unsigned long long)s->ais_messages, (unsigned long long)s->modes_frames,
            (unsigned long long)s->rejected, (unsigned long long)s->skipped[ING_SKIP_NO_TIME],
            (unsigned long long)s->skipped[ING_SKIP_BASE],
            (unsigned long long)s->skipped[ING_SKIP_ANON],
            (unsigned long long)s->skipped[ING_SKIP_UNVERIFIED],
            (unsigned long long)s->skipped[ING_SKIP_BAD_POS], (unsigned long long)r->spool_files,
            (unsigned long long)r->ingest_errors);
    uint64_t dropped = 0;
    for (size_t i = 0; i < FEED_MAX; i++)
        dropped += r->sp[i].lines_dropped;
    fprintf(out,
            "# TYPE orbat_spool_lines_dropped_total counter\n"
            "orbat_spool_lines_dropped_total %llu\n",
            (unsigned long long)dropped);
    if (r->al) {
        struct alert_stats a;
        alerts_get_stats(r->al, &a);
        fprintf(out,
                "# TYPE orbat_alerts_total counter\norbat_alerts_total %llu\n"
                "# TYPE orbat_alert_webhook_sent_total counter\norbat_alert_webhook_sent_total "
                "%llu\n# TYPE orbat_alert_webhook_failed_attempts_total counter\n"
                "orbat_alert_webhook_failed_attempts_total %llu\n"
                "# TYPE orbat_alert_webhook_dropped_total counter\n"
                "orbat_alert_webhook_dropped_total %llu\n",
                (unsigned long long)a.fired, (unsigned long long)a.webhook_sent,
                (unsigned long long)a.webhook_failed_attempts,
                (unsigned long long)a.webhook_dropped);
    }
    pthread_mutex_unlock(&r->status_mu);
}

/* Load registries, call-sign rules and theatre from the config. */
static int load_identity(struct run *r)
{
    char *files[64];
    size_t nf = 0;
    for (size_t i = 0; i < r->cfg->n && nf < 64; i++)
        if (!strcmp(r->cfg->e[i].section, "registry") && !strcmp(r->cfg->e[i].key, "file"))
            files[nf++] = r->cfg->e[i].value;
    bool bad = false;
    bool nodef = config_get_bool(r->cfg, "registry", "", "no_defaults", false, &bad);
    int failed = 0;
    char data_dir[512] = "";
    struct registry *reg = registry_setup(nodef, files, nf, registry_err_print, stderr, &failed,
                                          data_dir, sizeof(data_dir));
    struct callsign_rules *rules = callsign_rules_new();
    if (!reg || !rules) {
        registry_free(reg);
        callsign_rules_free(rules);
        cmd_error("run", "out of memory");
        return -1;
    }
    if (failed)
        cmd_error("run", "%d registry file(s) could not be loaded", failed);
    char rules_path[600];
    snprintf(rules_path, sizeof(rules_path), "%s/rules/callsigns.csv", data_dir);
    if (data_dir[0] && access(rules_path, R_OK) == 0 &&
        callsign_rules_load_file(rules, rules_path, registry_err_print, stderr) < 0) {
        cmd_error("run", "callsign rules %s could not be loaded", rules_path);
        failed++;
    }
    // On reload (SIGHUP), a file that does not load keeps the old set
    // rather than running on without it (docs/server.md).
    if (failed && r->g) {
        registry_free(reg);
        callsign_rules_free(rules);
        return -1;
    }
    const char *tname = config_get(r->cfg, "theatre", "", "name");
    if (!tname)
        tname = "caribbean";
    struct theatre *th = NULL;
    if (strcmp(tname, "none")) {
        enum orbat_err terr;
        char msg[256];
        th = theatre_load(tname, &terr, msg, sizeof(msg));
        if (!th) {
            cmd_error("run", "theatre %s: %s", tname, msg);
            registry_free(reg);
            callsign_rules_free(rules);
            return -1;
        }
    }
    struct ingest_opts io = {.input = PIPE_AUTO};
    struct ingest *g = ingest_new(r->s, reg, rules, th, &io);
    if (!g) {
        cmd_error("run", "out of memory");
        theatre_free(th);
        registry_free(reg);
        callsign_rules_free(rules);
        return -1;
    }
    /* swap in */
    if (r->g) {
        ingest_finish(r->g);
        ingest_free(r->g);
    }
    theatre_free(r->th);
    // The caller holds store_mu, which the api holds while it reads the
    // registry (api.h): after api_set_registry no request uses the old one.
    if (r->api)
        api_set_registry(r->api, reg);
    registry_free(r->reg);
    callsign_rules_free(r->rules);
    r->g = g;
    r->th = th;
    r->reg = reg;
    r->rules = rules;
    return 0;
}

/* A poller's spool file, opened at its first answer; a provider's credit
 * line comes first, so the attribution travels with its data. */
static FILE *poll_spool(void *ctx, struct http_poller *h)
{
    struct run *r = ctx;
    struct poller *p = (struct poller *)h; // h is the first member
    if (!p->sp.f) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(p->sp.path, sizeof(p->sp.path), "%s/%s-%lld%03ld.%s", r->spool_dir, h->name,
                 (long long)ts.tv_sec, ts.tv_nsec / 1000000, http_poller_kind(h));
        p->sp.f = fopen(p->sp.path, "wb");
        const char *credit = http_poller_attribution(h);
        if (p->sp.f && credit)
            fprintf(p->sp.f, "# %s\n", credit);
    }
    return p->sp.f;
}

/* A poller's next request, when one is due. */
static void poll_step(struct run *r, struct poller *p)
{
    int refused = 0;
    http_poller_step(&p->h, feed_now_ms(), poll_spool, r, &refused);
    if (refused)
        fprintf(stderr, "orbat run: feed %s: %s\n", p->h.name, p->h.last_error);
}

/* Write what the feeds delivered to the spool files (the kernel's page
 * cache): a killed process then loses at most SPOOL_FLUSH_MS of data. */
#define SPOOL_FLUSH_MS 500

static void spool_flush(struct run *r)
{
    size_t nf = feed_set_count(r->fs);
    for (size_t i = 0; i < nf + r->npoll; i++) {
        struct spool *sp = i < nf ? &r->sp[i] : &r->poll[i - nf].sp;
        if (sp->f)
            fflush(sp->f);
    }
}

static int spool_ingest(struct run *r, const char *path, bool queued);

/* The names of the complete sources in the store (spool_recover). */
struct name_set {
    char **v;
    size_t n, cap;
};

static int name_set_cb(void *ctx, const struct store_source *src)
{
    struct name_set *ns = ctx;
    if (!src->complete)
        return 0;
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 64;
        char **v = realloc(ns->v, cap * sizeof *v);
        if (!v)
            return ORBAT_E_NOMEM;
        ns->v = v;
        ns->cap = cap;
    }
    if (!(ns->v[ns->n] = strdup(src->name)))
        return ORBAT_E_NOMEM;
    ns->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* At start-up: ingest the spool files an earlier run left (killed before
 * it ingested them), oldest first. Files recorded as complete sources are
 * skipped by name without reading them (ingest_file would skip them by
 * content too); unless spool.keep, they are removed. */
static void spool_recover(struct run *r)
{
    DIR *d = opendir(r->spool_dir);
    if (!d)
        return;
    struct name_set done = {0}, files = {0};
    int rc = store_sources(r->s, name_set_cb, &done);
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[600];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s", r->spool_dir, e->d_name) >= (int)sizeof path ||
            stat(path, &st) || !S_ISREG(st.st_mode))
            continue;
        struct store_source fake = {.complete = true};
        store_strlcpy(fake.name, path, sizeof fake.name);
        rc = name_set_cb(&files, &fake);
    }
    closedir(d);
    if (rc)
        cmd_error("run", "spool recovery: %s", orbat_strerror(rc));
    if (done.n)
        qsort(done.v, done.n, sizeof *done.v, cmp_str);
    if (files.n)
        qsort(files.v, files.n, sizeof *files.v, cmp_str);
    unsigned recovered = 0;
    for (size_t i = 0; i < files.n && !rc; i++) {
        const char *path = files.v[i];
        bool seen = done.n && bsearch(&path, done.v, done.n, sizeof *done.v, cmp_str);
        if (seen) {
            if (!r->keep_spool)
                unlink(path);
        } else if (spool_ingest(r, path, false) == ORBAT_OK) {
            recovered++;
        }
    }
    if (recovered)
        fprintf(stderr, "orbat run: ingested %u spool file(s) left by an earlier run\n", recovered);
    for (size_t i = 0; i < done.n; i++)
        free(done.v[i]);
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    free(done.v);
    free(files.v);
}

/* After a store error the ingest keeps failing (it holds the first
 * error): roll back what is open and start a fresh one with the same
 * identity, so that ingest resumes by itself once the cause is gone (disk
 * space freed, the lock released). The events engine's open state is
 * lost; what was committed stays. */
static void ingest_reset(struct run *r)
{
    store_rollback(r->s);
    struct ingest_opts io = {.input = PIPE_AUTO};
    struct ingest *g = ingest_new(r->s, r->reg, r->rules, r->th, &io);
    if (!g) {
        cmd_error("run", "out of memory");
        return;
    }
    ingest_free(r->g);
    r->g = g;
}

/* Ingest one spool file; on failure, log the store's message, count it and
 * queue the file for the next cycle. Returns the ingest's result. */
/* A preset's spool file starts with "# " and its provider's credit line
 * (poll_spool): stored as the source's licence, so reports and the API
 * credit the provider. Other first lines give none (NULL). */
static const char *spool_credit(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    bool got = fgets(buf, (int)size, f) != NULL;
    fclose(f);
    if (!got || strncmp(buf, "# ", 2) != 0)
        return NULL;
    buf[strcspn(buf, "\r\n")] = 0;
    return http_poller_is_attribution(buf + 2) ? buf + 2 : NULL;
}

static int spool_ingest(struct run *r, const char *path, bool queued)
{
    char line[256];
    int rc = ingest_file_licensed(r->g, path, NULL, 0, spool_credit(path, line, sizeof(line)));
    if (rc == ORBAT_OK || rc == ORBAT_AGAIN) {
        if (!r->keep_spool)
            unlink(path);
        return rc;
    }
    r->ingest_errors++;
    if (rc == ORBAT_E_IO)
        cmd_error("run", "ingest %s: %s", path, strerror(errno));
    else
        cmd_error("run", "ingest %s: %s: %s", path, orbat_strerror(rc), store_errmsg(r->s));
    if (rc != ORBAT_E_IO) {
        ingest_reset(r);
        if (!queued && r->nretry < RETRY_MAX && (r->retry[r->nretry] = strdup(path)) != NULL)
            r->nretry++;
    }
    return rc;
}

/* Retry the queued spool files, oldest first; stop at the first that
 * still fails. */
static void spool_retry(struct run *r)
{
    size_t done = 0;
    while (done < r->nretry) {
        int rc = spool_ingest(r, r->retry[done], true);
        if (rc != ORBAT_OK && rc != ORBAT_AGAIN && rc != ORBAT_E_IO)
            break;
        if (rc == ORBAT_OK)
            fprintf(stderr, "orbat run: ingested %s on retry\n", r->retry[done]);
        free(r->retry[done++]);
    }
    memmove(r->retry, r->retry + done, (r->nretry - done) * sizeof *r->retry);
    r->nretry -= done;
}

/* Close the spool files and ingest them; then alerts. */
static void cycle(struct run *r)
{
    pthread_mutex_lock(&r->store_mu);
    spool_retry(r);
    size_t nf = feed_set_count(r->fs);
    for (size_t i = 0; i < nf + r->npoll; i++) {
        struct spool *sp = i < nf ? &r->sp[i] : &r->poll[i - nf].sp;
        if (!sp->f)
            continue;
        long size = ftell(sp->f);
        fclose(sp->f);
        sp->f = NULL;
        if (size <= 0) {
            unlink(sp->path);
            continue;
        }
        spool_ingest(r, sp->path, false);
        r->spool_files++;
    }
    const struct ingest_stats *st = ingest_get_stats(r->g);
    if (r->al) {
        int n = alerts_check(r->al, r->s);
        if (n < 0)
            cmd_error("run", "alerts: %s", orbat_strerror(n));
    }
    pthread_mutex_unlock(&r->store_mu);
    pthread_mutex_lock(&r->status_mu);
    r->last = *st;
    pthread_mutex_unlock(&r->status_mu);
    if (r->al)
        alerts_pump(r->al);
}

struct server_thread {
    struct http_server *srv;
};

static void *server_main(void *p)
{
    struct server_thread *t = p;
    http_server_run(t->srv, &run_stop);
    return NULL;
}

static int set_opt(struct config *c, const char *section, const char *key, const char *v,
                   bool replace)
{
    if (config_set(c, section, "", key, v, replace)) {
        cmd_error("run", "too many options");
        return -1;
    }
    return 0;
}

static int run_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"config", required_argument, 0, 'c'},
                                             {"db", required_argument, 0, 'd'},
                                             {"feed", required_argument, 0, 'F'},
                                             {"listen", required_argument, 0, 'l'},
                                             {"no-server", no_argument, 0, 'N'},
                                             {"theatre", required_argument, 0, 't'},
                                             {"registry", required_argument, 0, 'r'},
                                             {"token", required_argument, 0, 'T'},
                                             {"spool-dir", required_argument, 0, 'S'},
                                             {"spool-secs", required_argument, 0, 's'},
                                             {"web", required_argument, 0, 'w'},
                                             {"geo", required_argument, 0, 'g'},
                                             {"alerts-file", required_argument, 0, 'A'},
                                             {"webhook", required_argument, 0, 'W'},
                                             {"port-file", required_argument, 0, 'P'},
                                             {"set", required_argument, 0, 'X'},
                                             {"replay-start", required_argument, 0, 'B'},
                                             {"replay-speed", required_argument, 0, 'V'},
                                             {"site", required_argument, 0, 'L'},
                                             {"tar1090", required_argument, 0, 'J'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    struct config *cli = config_new(), *cfg = config_new();
    const char *config_path = NULL, *port_file = NULL;
    int c, ret = 2, nfeed = 0;
    if (!cli || !cfg) {
        cmd_error("run", "out of memory");
        goto out_cfg;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:d:l:t:r:h", longopts, NULL)) != -1) {
        int e = 0;
        char nm[16];
        switch (c) {
        case 'c':
            config_path = optarg;
            break;
        case 'd':
            e = set_opt(cli, "database", "path", optarg, true);
            break;
        case 'F':
            snprintf(nm, sizeof(nm), "cli%d", nfeed++);
            e = config_set(cli, "feed", nm, "url", optarg, false);
            break;
        case 'l':
            e = set_opt(cli, "server", "listen", optarg, true);
            break;
        case 'N':
            e = set_opt(cli, "server", "enabled", "false", true);
            break;
        case 't':
            e = set_opt(cli, "theatre", "name", optarg, true);
            break;
        case 'r':
            e = set_opt(cli, "registry", "file", optarg, false);
            break;
        case 'T':
            e = set_opt(cli, "server", "token", optarg, true);
            break;
        case 'S':
            e = set_opt(cli, "spool", "dir", optarg, true);
            break;
        case 's':
            e = set_opt(cli, "spool", "seconds", optarg, true);
            break;
        case 'w':
            e = set_opt(cli, "server", "web", optarg, true);
            break;
        case 'g':
            e = set_opt(cli, "server", "geo", optarg, true);
            break;
        case 'A':
            e = set_opt(cli, "alerts", "file", optarg, true);
            break;
        case 'W':
            e = set_opt(cli, "alerts", "webhook", optarg, true);
            break;
        case 'P':
            port_file = optarg;
            break;
        case 'B':
        case 'V':
        case 'L':
        case 'J': {
            // checked by the same schema as the file's [server] keys
            static const char *const keys[][2] = {{"replay-start", "replay_start"},
                                                  {"replay-speed", "replay_speed"},
                                                  {"site", "site"},
                                                  {"tar1090", "tar1090"}};
            int k = c == 'B' ? 0 : c == 'V' ? 1 : c == 'L' ? 2 : 3;
            char why[256];
            if (config_check("server", "", keys[k][1], optarg, why, sizeof(why))) {
                cmd_error("run", "--%s %s: %s", keys[k][0], optarg, why);
                e = -1;
            } else {
                e = set_opt(cli, "server", keys[k][1], optarg, true);
            }
            break;
        }
        case 'X': {
            char why[256];
            if (config_set_arg(cli, optarg, why, sizeof(why))) {
                cmd_error("run", "--set %s: %s", optarg, why);
                e = -1;
            }
            break;
        }
        case 'h':
            fputs(run_usage, stdout);
            ret = 0;
            goto out_cfg;
        default:
            fputs(run_usage, stderr);
            goto out_cfg;
        }
        if (e)
            goto out_cfg;
    }
    if (optind != argc) {
        fputs(run_usage, stderr);
        goto out_cfg;
    }
    char err[512];
    if (config_path && config_load(cfg, config_path, err, sizeof(err))) {
        cmd_error("run", "%s", err);
        ret = 1;
        goto out_cfg;
    }
    /* Command line over the file: replace single-valued keys, append lists. */
    for (size_t i = 0; i < cli->n; i++) {
        const struct config_entry *e = &cli->e[i];
        bool list = !strcmp(e->section, "feed") || !strcmp(e->section, "registry");
        if (config_set(cfg, e->section, e->name, e->key, e->value, !list)) {
            cmd_error("run", "too many options");
            goto out_cfg;
        }
    }

    struct run r = {.cfg = cfg};
    bool bad = false;
    const char *db = config_get(cfg, "database", "", "path");
    const char *listen_on = config_get(cfg, "server", "", "listen");
    const char *web = config_get(cfg, "server", "", "web");
    const char *geo = config_get(cfg, "server", "", "geo");
    const char *token = config_get(cfg, "server", "", "token");
    bool serve = config_get_bool(cfg, "server", "", "enabled", true, &bad);
    long cache_ms = config_get_long(cfg, "server", "", "cache_ms", 1000, &bad);
    long spool_secs = config_get_long(cfg, "spool", "", "seconds", 10, &bad);
    r.keep_spool = config_get_bool(cfg, "spool", "", "keep", true, &bad);
    r.spool_dir = config_get(cfg, "spool", "", "dir");
    if (bad || spool_secs < 1 || spool_secs > 3600 || cache_ms < 0 || cache_ms > 3600000) {
        cmd_error("run", "a number or boolean in the configuration does not parse or is out of "
                         "range (spool seconds 1..3600, cache_ms 0..3600000)");
        goto out_cfg;
    }
    // tar1090's clock and receiver (replay.h); the values passed the
    // schema check (config_check) when they were set.
    struct replay_clock clock = {.set = false, .speed = 1.0};
    const char *replay_start = config_get(cfg, "server", "", "replay_start");
    const char *replay_speed = config_get(cfg, "server", "", "replay_speed");
    const char *site = config_get(cfg, "server", "", "site");
    const char *tar1090 = config_get(cfg, "server", "", "tar1090");
    double site_lat = 0, site_lon = 0;
    if ((replay_start && rtime_parse(replay_start, &clock.start_ms)) ||
        (replay_speed && replay_parse_speed(replay_speed, &clock.speed)) ||
        (site && replay_parse_site(site, &site_lat, &site_lon))) {
        cmd_error("run", "[server] replay_start, replay_speed or site does not parse");
        goto out_cfg;
    }
    clock.set = replay_start != NULL;
    if (replay_speed && !clock.set) {
        cmd_error("run", "--replay-speed ([server] replay_speed) needs --replay-start TIME "
                         "([server] replay_start)");
        goto out_cfg;
    }
    struct stat tst;
    if (serve && tar1090 && (stat(tar1090, &tst) || !S_ISDIR(tst.st_mode))) {
        cmd_error("run", "--tar1090 ([server] tar1090): '%s' is not a directory", tar1090);
        goto out_cfg;
    }
    if (serve && api_token_blank(token)) {
        cmd_error("run", "the server token is only blanks: refusing it");
        goto out_cfg;
    }
    if (!db)
        db = store_cli_default_db();
    if (!listen_on)
        listen_on = "127.0.0.1:8080";
    if (!r.spool_dir)
        r.spool_dir = "orbat-spool";
    if (mkdir(r.spool_dir, 0755) && errno != EEXIST) {
        cmd_error("run", "spool directory %s: %s", r.spool_dir, strerror(errno));
        ret = 1;
        goto out_cfg;
    }
    ret = 1;
    pthread_mutex_init(&r.store_mu, NULL);
    pthread_mutex_init(&r.status_mu, NULL);
    r.fs = feed_set_new(on_data, on_reset, &r);
    if (!r.fs) {
        cmd_error("run", "out of memory");
        goto out_mu;
    }
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *e = &cfg->e[i];
        if (strcmp(e->section, "feed") || strcmp(e->key, "url"))
            continue;
        if (http_poller_is_spec(e->value)) {
            if (r.npoll >= MAX_POLLERS) {
                cmd_error("run", "at most %d HTTP feeds", MAX_POLLERS);
                goto out_fs;
            }
            struct poller *p = &r.poll[r.npoll++];
            bool pbad = false;
            long secs = config_get_long(cfg, "feed", e->name, "interval",
                                        http_poller_default_secs(e->value), &pbad);
            if (http_poller_init(&p->h, e->value, e->name[0] ? e->name : NULL, pbad ? -1 : secs,
                                 err, sizeof(err))) {
                cmd_error("run", "feed %s: %s", e->value, err);
                goto out_fs;
            }
            continue;
        }
        char spec[1200];
        if (e->name[0] && !strchr(e->value, '='))
            snprintf(spec, sizeof(spec), "%s=%s", e->name, e->value);
        else
            snprintf(spec, sizeof(spec), "%s", e->value);
        struct feed *f = feed_set_add(r.fs, spec, err, sizeof(err));
        if (!f) {
            cmd_error("run", "feed %s: %s", spec, err);
            goto out_fs;
        }
        r.sp[feed_set_count(r.fs) - 1].nmea = !strcmp(f->kind, "nmea");
        r.sp[feed_set_count(r.fs) - 1].jsonl = !strcmp(f->kind, "aisstream");
    }
    if (!(r.s = store_cli_open("run", db)))
        goto out_fs;
    if (load_identity(&r))
        goto out_store;
    {
        // aisstream: the key from the config file (else $ORBAT_AISSTREAM_KEY),
        // the theatre's area box for specs without bbox=.
        struct aisstream_box box;
        bool hasbox = r.th && r.th->nzones &&
                      geo_layer_bounds(r.th->zones[0].layer, &box.s, &box.w, &box.n, &box.e);
        feed_set_aisstream(r.fs, config_get(cfg, "aisstream", "", "key"), &box, hasbox ? 1 : 0);
        // provider presets: the theatre box cut into circles, plus /v2/mil
        const char *user = config_get(cfg, "aishub", "", "username");
        if (!user)
            user = getenv(AISHUB_USER_ENV);
        for (size_t i = 0; i < r.npoll; i++) {
            struct http_poller *p = &r.poll[i].h;
            if (http_poller_plan(p, user, hasbox, box.s, box.w, box.n, box.e, err, sizeof(err))) {
                cmd_error("run", "feed %s: %s", p->name, err);
                goto out_store;
            }
            if (p->aishub)
                fprintf(stderr, "orbat run: feed %s: one request every %ld s; %s\n", p->name,
                        (long)(p->interval_ms / 1000), AISHUB_ATTRIBUTION);
            else if (p->v2)
                fprintf(stderr,
                        "orbat run: feed %s: %zu requests a round at most every %.2f s (%s); %s\n",
                        p->name, p->sched->n, p->sched->gap_ms / 1000.0, p->v2->p->rate,
                        p->v2->p->attribution);
        }
    }
    struct http_server *srv = NULL;
    struct api *api = NULL;
    char base_url[300];
    snprintf(base_url, sizeof(base_url), "http://%s", listen_on);
    if (serve) {
        struct api_opts ao = {.web_dir = web ? web : "web",
                              .geo_dir = geo ? geo : "data/geo",
                              .token = token,
                              .lock = &r.store_mu,
                              .cache_ms = (int)cache_ms,
                              .feeds_json = feeds_json,
                              .feeds_metrics = feeds_metrics,
                              .feeds_ctx = &r,
                              .clock = clock,
                              .reg = r.reg, // swapped on SIGHUP (load_identity)
                              .site_set = site != NULL,
                              .site_lat = site_lat,
                              .site_lon = site_lon,
                              .tar1090_dir = tar1090};
        api = api_new(r.s, &ao);
        srv = api ? http_server_new(listen_on, api_handle, api, err, sizeof(err)) : NULL;
        if (!srv) {
            cmd_error("run", "server: %s", api ? err : "out of memory");
            api_free(api);
            goto out_ingest;
        }
        api_set_server(api, srv);
        r.api = api; // from now on the reload hands the api its registry
        if (!http_server_loopback(srv))
            fprintf(stderr,
                    "orbat run: warning: %s is not a loopback address: the API is reachable "
                    "from other hosts\n",
                    listen_on);
        snprintf(base_url, sizeof(base_url), "http://%.*s:%d",
                 (int)(strrchr(listen_on, ':') - listen_on), listen_on, http_server_port(srv));
    }
    r.al = alerts_new(cfg, base_url, err, sizeof(err));
    if (!r.al) {
        cmd_error("run", "alerts: %s", err);
        goto out_server;
    }
    if (alerts_prime(r.al, r.s) < 0)
        cmd_error("run", "alerts: could not read the store");

    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    run_stop = run_hup = 0;

    pthread_t th;
    struct server_thread st = {.srv = srv};
    bool thread_up = srv && pthread_create(&th, NULL, server_main, &st) == 0;
    if (srv && !thread_up) {
        cmd_error("run", "cannot start the server thread");
        goto out_alerts;
    }
    if (srv && port_file) {
        FILE *pf = fopen(port_file, "w");
        if (pf) {
            fprintf(pf, "%d\n", http_server_port(srv));
            fclose(pf);
        }
    }
    fprintf(stderr,
            "orbat run: %zu feed(s), %zu HTTP poller(s), %zu alert rule(s), database %s, %s%s\n",
            feed_set_count(r.fs), r.npoll, alerts_count(r.al), db, srv ? "serving " : "no server",
            srv ? base_url : "");
    if (srv && clock.set) {
        char t0[32];
        rtime_format(clock.start_ms, t0, sizeof t0);
        fprintf(stderr, "orbat run: /data/aircraft.json replays from %s at %gx\n", t0, clock.speed);
    }
    if (srv && tar1090)
        fprintf(stderr, "orbat run: tar1090 from %s at %s/tar1090/\n", tar1090, base_url);
    pthread_mutex_lock(&r.store_mu);
    spool_recover(&r);
    pthread_mutex_unlock(&r.store_mu);
    int64_t next_cycle = feed_now_ms() + spool_secs * 1000;
    int64_t next_flush = feed_now_ms() + SPOOL_FLUSH_MS;
    ret = 0;
    while (!run_stop) {
        if (feed_set_poll(r.fs, 200) < 0) {
            cmd_error("run", "poll failed: %s", strerror(errno));
            ret = 1;
            break;
        }
        if (feed_now_ms() >= next_flush) {
            spool_flush(&r);
            next_flush = feed_now_ms() + SPOOL_FLUSH_MS;
        }
        for (size_t i = 0; i < r.npoll; i++)
            poll_step(&r, &r.poll[i]);
        snapshot_status(&r);
        if (run_hup) {
            run_hup = 0;
            pthread_mutex_lock(&r.store_mu);
            int rc = load_identity(&r);
            pthread_mutex_unlock(&r.store_mu);
            fprintf(stderr, "orbat run: SIGHUP: registries and theatre %s\n",
                    rc ? "NOT reloaded (kept the old ones)" : "reloaded");
        }
        if (feed_now_ms() >= next_cycle) {
            cycle(&r);
            next_cycle = feed_now_ms() + spool_secs * 1000;
        } else if (r.al) {
            alerts_pump(r.al);
        }
    }
    /* Clean shutdown: ingest what is spooled, close the events engine, flush. */
    cycle(&r);
    pthread_mutex_lock(&r.store_mu);
    if (ingest_finish(r.g) != ORBAT_OK) {
        cmd_error("run", "flushing the store failed: %s", store_errmsg(r.s));
        ret = 1;
    }
    pthread_mutex_unlock(&r.store_mu);
    if (r.al)
        alerts_pump(r.al);
    run_stop = 1;
    if (thread_up)
        pthread_join(th, NULL);
    fprintf(stderr, "orbat run: stopped; %llu spool file(s) ingested\n",
            (unsigned long long)r.spool_files);
out_alerts:
    alerts_free(r.al);
out_server:
    http_server_free(srv);
    r.api = NULL;
    api_free(api);
out_ingest:
    for (size_t i = 0; i < r.nretry; i++)
        free(r.retry[i]);
    ingest_free(r.g);
    theatre_free(r.th);
    registry_free(r.reg);
    callsign_rules_free(r.rules);
out_store:
    store_close(r.s);
out_fs:
    for (size_t i = 0; i < FEED_MAX; i++)
        if (r.sp[i].f)
            fclose(r.sp[i].f);
    for (size_t i = 0; i < r.npoll; i++) {
        if (r.poll[i].sp.f)
            fclose(r.poll[i].sp.f);
        http_poller_free(&r.poll[i].h);
    }
    feed_set_free(r.fs);
out_mu:
    pthread_mutex_destroy(&r.store_mu);
    pthread_mutex_destroy(&r.status_mu);
out_cfg:
    config_free(cli);
    config_free(cfg);
    return ret;
}

const struct orbat_cmd cmd_run = {
    .name = "run",
    .summary = "daemon: live feeds -> store, alerts and the HTTP server in one process",
    .usage = run_usage,
    .exec = run_exec,
};
