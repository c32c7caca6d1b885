/* SPDX-License-Identifier: BSD-2-Clause
 *
 * alert.c - rule evaluation against the store and delivery to stdout, a
 * JSON-lines file and an HTTP webhook (see alert.h). The webhook client is
 * http/client.c (plain http:// to a local receiver or relay; no TLS).
 */
#include "alert/alert.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "geo/layer.h"
#include "http/client.h"
#include "report/report.h"
#include "report/rtime.h"

enum rule_kind {
    RULE_ENTER = 1,
    RULE_NEAR,
    RULE_COUNT,
    RULE_GAP
};

#define MAX_INSIDE 256 /* assets tracked as inside a "near" zone per rule */

struct rule {
    char name[64];
    enum rule_kind kind;
    char asset[64], theatre[32], category[32], role[48];
    double nm;
    long threshold;
    int64_t window_ms, gap_ms;
    struct geo_layer *coast;
    /* state */
    bool active;                /* count / gap: condition currently true */
    int64_t inside[MAX_INSIDE]; /* near: asset ids currently inside */
    size_t ninside;
    int64_t gap_last_ms; /* gap: last_ms when it fired */
};

struct delivery {
    char *body;
    size_t len;
    int attempts;
    int64_t next_ms;
};

struct alerts {
    struct rule r[ALERT_MAX_RULES];
    size_t n;
    char base_url[256];
    bool to_stdout;
    FILE *file;
    struct http_url hook; /* webhook; hook.host "" = none */
    int retries;
    int backoff_ms;
    struct delivery q[ALERT_QUEUE_MAX];
    size_t qn;
    int64_t last_event_id;
    int64_t last_check_ms;
    unsigned rng;
    struct alert_stats st;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_webhook(struct alerts *al, const char *url, char *err, size_t errsz)
{
    if (http_url_parse(url, &al->hook)) {
        snprintf(err, errsz, "webhook '%s': not an http://HOST[:PORT]/PATH URL (no TLS)", url);
        return -1;
    }
    return 0;
}

static int parse_rule(struct rule *r, const struct config *c, const char *name, char *err,
                      size_t errsz)
{
    const char *v;
    bool bad = false;
    snprintf(r->name, sizeof(r->name), "%s", name);
    const char *kind = config_get(c, "alert", name, "rule");
    if (!kind) {
        snprintf(err, errsz, "[alert %s]: no 'rule' (enter, near, count or gap)", name);
        return -1;
    }
    if (!strcmp(kind, "enter"))
        r->kind = RULE_ENTER;
    else if (!strcmp(kind, "near"))
        r->kind = RULE_NEAR;
    else if (!strcmp(kind, "count"))
        r->kind = RULE_COUNT;
    else if (!strcmp(kind, "gap"))
        r->kind = RULE_GAP;
    else {
        snprintf(err, errsz, "[alert %s]: unknown rule '%s'", name, kind);
        return -1;
    }
#define GETS(field, key)                                                                           \
    if ((v = config_get(c, "alert", name, key)))                                                   \
        snprintf(r->field, sizeof(r->field), "%s", v);
    GETS(asset, "asset");
    GETS(theatre, "theatre");
    GETS(category, "category");
    GETS(role, "role");
#undef GETS
    r->nm = config_get_double(c, "alert", name, "nm", 0, &bad);
    r->threshold = config_get_long(c, "alert", name, "threshold", -1, &bad);
    r->window_ms = STORE_DAY_MS;
    if ((v = config_get(c, "alert", name, "window")) && rtime_parse_duration(v, &r->window_ms))
        bad = true;
    if ((v = config_get(c, "alert", name, "gap")) && rtime_parse_duration(v, &r->gap_ms))
        bad = true;
    if (bad) {
        snprintf(err, errsz, "[alert %s]: a number or duration does not parse", name);
        return -1;
    }
    const char *missing = NULL;
    switch (r->kind) {
    case RULE_ENTER:
        missing = !r->asset[0] ? "asset" : !r->theatre[0] ? "theatre" : NULL;
        break;
    case RULE_NEAR:
        missing = !(r->role[0] || r->category[0])              ? "role or category"
                  : r->nm <= 0                                 ? "nm"
                  : !config_get(c, "alert", name, "coastline") ? "coastline"
                                                               : NULL;
        break;
    case RULE_COUNT:
        if (!r->category[0])
            snprintf(r->category, sizeof(r->category), "warship");
        missing = !r->theatre[0] ? "theatre" : r->threshold < 0 ? "threshold" : NULL;
        break;
    case RULE_GAP:
        missing = !r->asset[0] ? "asset" : r->gap_ms <= 0 ? "gap" : NULL;
        break;
    }
    if (missing) {
        snprintf(err, errsz, "[alert %s]: rule %s needs '%s'", name, kind, missing);
        return -1;
    }
    if (r->kind == RULE_NEAR) {
        enum orbat_err e;
        const char *path = config_get(c, "alert", name, "coastline");
        const char *base = strrchr(path, '/');
        r->coast = geo_layer_load(path, base ? base + 1 : path, &e);
        if (!r->coast) {
            snprintf(err, errsz, "[alert %s]: coastline %s: %s", name, path, orbat_strerror(e));
            return -1;
        }
    }
    return 0;
}

struct alerts *alerts_new(const struct config *c, const char *base_url, char *err, size_t errsz)
{
    struct alerts *al = calloc(1, sizeof(*al));
    if (!al) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    snprintf(al->base_url, sizeof(al->base_url), "%s", base_url ? base_url : "");
    al->rng = (unsigned)mono_ms() | 1u;
    bool bad = false;
    al->to_stdout = config_get_bool(c, "alerts", "", "stdout", true, &bad);
    al->retries = (int)config_get_long(c, "alerts", "", "webhook_retries", 5, &bad);
    al->backoff_ms = (int)config_get_long(c, "alerts", "", "webhook_backoff_ms", 500, &bad);
    if (bad || al->retries < 0 || al->retries > 20 || al->backoff_ms < 1) {
        snprintf(err, errsz, "[alerts]: bad stdout, webhook_retries or webhook_backoff_ms");
        alerts_free(al);
        return NULL;
    }
    const char *v = config_get(c, "alerts", "", "file");
    if (v && *v && !(al->file = fopen(v, "a"))) {
        snprintf(err, errsz, "[alerts] file %s: %s", v, strerror(errno));
        alerts_free(al);
        return NULL;
    }
    v = config_get(c, "alerts", "", "webhook");
    if (v && *v && parse_webhook(al, v, err, errsz)) {
        alerts_free(al);
        return NULL;
    }
    for (size_t i = 0; i < c->n; i++) {
        const struct config_entry *e = &c->e[i];
        if (strcmp(e->section, "alert") || strcmp(e->key, "rule"))
            continue;
        bool seen = false;
        for (size_t j = 0; j < al->n; j++)
            seen |= !strcmp(al->r[j].name, e->name);
        if (seen)
            continue;
        if (!e->name[0] || al->n >= ALERT_MAX_RULES) {
            snprintf(err, errsz, "%s",
                     e->name[0] ? "too many alert rules"
                                : "[alert] sections need a name: [alert NAME]");
            alerts_free(al);
            return NULL;
        }
        if (parse_rule(&al->r[al->n++], c, e->name, err, errsz)) {
            alerts_free(al);
            return NULL;
        }
    }
    return al;
}

void alerts_free(struct alerts *al)
{
    if (!al)
        return;
    for (size_t i = 0; i < al->n; i++)
        geo_layer_free(al->r[i].coast);
    for (size_t i = 0; i < al->qn; i++)
        free(al->q[i].body);
    if (al->file)
        fclose(al->file);
    free(al);
}

size_t alerts_count(const struct alerts *al)
{
    return al->n;
}

void alerts_get_stats(const struct alerts *al, struct alert_stats *out)
{
    *out = al->st;
}

/* ---- delivery ---- */

static void queue_webhook(struct alerts *al, const char *body, size_t len)
{
    if (!al->hook.host[0])
        return;
    if (al->qn == ALERT_QUEUE_MAX) { /* drop the oldest */
        free(al->q[0].body);
        memmove(&al->q[0], &al->q[1], (ALERT_QUEUE_MAX - 1) * sizeof(al->q[0]));
        al->qn--;
        al->st.webhook_dropped++;
    }
    char *b = malloc(len);
    if (!b) {
        al->st.webhook_dropped++;
        return;
    }
    memcpy(b, body, len);
    al->q[al->qn++] = (struct delivery){.body = b, .len = len, .next_ms = 0};
}

static void deliver(struct alerts *al, const char *json, size_t len, const char *msg,
                    const char *link)
{
    al->st.fired++;
    if (al->to_stdout) {
        printf("orbat alert: %s (evidence: %s)\n", msg, link);
        fflush(stdout);
    }
    if (al->file) {
        if (fwrite(json, 1, len, al->file) != len || fputc('\n', al->file) == EOF ||
            fflush(al->file))
            al->st.file_errors++;
    }
    queue_webhook(al, json, len);
}

/* One POST; true on a 2xx answer. */
static bool post_once(struct alerts *al, const struct delivery *d)
{
    struct http_client_resp r;
    int rc = http_client_request(&al->hook, "POST", "application/json", d->body, d->len, 2000, &r);
    bool ok = rc == 0 && r.status >= 200 && r.status < 300;
    http_client_free(&r);
    return ok;
}

size_t alerts_pump(struct alerts *al)
{
    int64_t now = mono_ms();
    size_t i = 0;
    while (i < al->qn) {
        struct delivery *d = &al->q[i];
        if (d->next_ms > now) {
            i++;
            continue;
        }
        if (post_once(al, d)) {
            al->st.webhook_sent++;
        } else {
            al->st.webhook_failed_attempts++;
            if (++d->attempts <= al->retries) {
                /* exponential backoff with +-25% jitter */
                int64_t delay = (int64_t)al->backoff_ms << (d->attempts - 1);
                al->rng = al->rng * 1103515245u + 12345u;
                delay += (int64_t)((double)delay * (((al->rng >> 8) % 501) / 1000.0 - 0.25));
                d->next_ms = mono_ms() + delay;
                i++;
                continue;
            }
            al->st.webhook_dropped++;
        }
        free(d->body);
        memmove(&al->q[i], &al->q[i + 1], (al->qn - i - 1) * sizeof(al->q[0]));
        al->qn--;
    }
    return al->qn;
}

/* ---- rule evaluation ---- */

static bool key_matches(const char *key, const struct store_asset *a)
{
    if (!strcmp(key, "*"))
        return true;
    char ident[16];
    snprintf(ident, sizeof(ident), a->kind == STORE_AIRCRAFT ? "%06x" : "%u", a->ident);
    return !strcasecmp(key, a->name) || !strcasecmp(key, a->hull) ||
           (a->callsign[0] && !strcasecmp(key, a->callsign)) ||
           (a->ident && !strcasecmp(key, ident));
}

/* Case-insensitive substring test. */
static bool ci_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return true;
    return n == 0;
}

static bool role_matches(const struct rule *r, const struct store_asset *a)
{
    if (r->category[0] && strcasecmp(r->category, a->category))
        return false;
    return !r->role[0] || ci_contains(a->role, r->role);
}

/* Build the alert JSON and deliver it. */
static void fire(struct alerts *al, const struct rule *r, const struct store_asset *a, int64_t t_ms,
                 const char *theatre, int64_t event_id, int64_t raw_id, const char *msg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    char ts[32], link[512];
    rtime_format(t_ms, ts, sizeof(ts));
    if (a && a->id > 0)
        snprintf(link, sizeof(link), "%s/api/assets/%lld", al->base_url, (long long)a->id);
    else
        snprintf(link, sizeof(link), "%s/api/oob?theatre=%s&as_of=%s", al->base_url, theatre, ts);
    static const char *const kinds[] = {"", "enter", "near", "count", "gap"};
    fprintf(f, "{\"time\":\"%s\",\"rule\":", ts);
    report_json_str(f, r->name);
    fprintf(f, ",\"kind\":\"%s\",\"message\":", kinds[r->kind]);
    report_json_str(f, msg);
    fputs(",\"theatre\":", f);
    report_json_str(f, theatre ? theatre : "");
    if (a) {
        fputs(",\"asset\":{", f);
        report_json_asset_fields(f, a);
        fputc('}', f);
    }
    fputs(",\"evidence\":{\"url\":", f);
    report_json_str(f, link);
    if (event_id > 0)
        fprintf(f, ",\"event_id\":%lld", (long long)event_id);
    if (raw_id > 0)
        fprintf(f, ",\"raw_id\":%lld", (long long)raw_id);
    fputs("}}", f);
    if (fclose(f) == 0)
        deliver(al, buf, len, msg, link);
    free(buf);
}

struct enter_ctx {
    struct alerts *al;
    int64_t max_id;
    bool prime;
};

static int enter_cb(void *ctx, const struct store_event *e, const struct store_asset *a)
{
    struct enter_ctx *c = ctx;
    if (e->id <= c->al->last_event_id)
        return 0;
    if (e->id > c->max_id)
        c->max_id = e->id;
    if (c->prime)
        return 0;
    for (size_t i = 0; i < c->al->n; i++) {
        const struct rule *r = &c->al->r[i];
        if (r->kind != RULE_ENTER || strcasecmp(r->theatre, e->theatre) ||
            !key_matches(r->asset, a))
            continue;
        char msg[256], lb[64];
        snprintf(msg, sizeof(msg), "%s entered %s", report_asset_label(a, lb, sizeof(lb)),
                 e->theatre);
        fire(c->al, r, a, e->t_ms, e->theatre, e->id, e->raw_id, msg);
    }
    return 0;
}

struct near_ctx {
    struct alerts *al;
    struct rule *r;
    int64_t seen[MAX_INSIDE];
    size_t nseen;
    bool prime;
};

static int near_cb(void *ctx, const struct store_presence *p)
{
    struct near_ctx *c = ctx;
    struct rule *r = c->r;
    if (!role_matches(r, &p->asset))
        return 0;
    double d = geo_layer_dist_nm(r->coast, p->last_lat, p->last_lon, NULL, NULL);
    if (geo_layer_has_area(r->coast) && geo_layer_contains(r->coast, p->last_lat, p->last_lon))
        d = 0;
    if (!(d <= r->nm))
        return 0;
    if (c->nseen < MAX_INSIDE)
        c->seen[c->nseen++] = p->asset.id;
    for (size_t i = 0; i < r->ninside; i++)
        if (r->inside[i] == p->asset.id)
            return 0; /* already inside: fired before */
    if (c->prime)
        return 0;
    char msg[256], lb[64];
    snprintf(msg, sizeof(msg), "%s (%s) within %.0f nm of %s: %.1f nm",
             report_asset_label(&p->asset, lb, sizeof(lb)),
             p->asset.role[0] ? p->asset.role : p->asset.category, r->nm, geo_layer_name(r->coast),
             d);
    fire(c->al, r, &p->asset, p->last_ms, "", 0, 0, msg);
    return 0;
}

struct gap_ctx {
    struct store_asset a;
    bool found;
};

static int gap_cb(void *ctx, const struct store_asset *a)
{
    struct gap_ctx *g = ctx;
    if (!g->found || a->last_ms > g->a.last_ms)
        g->a = *a;
    g->found = true;
    return 0;
}

static int check(struct alerts *al, struct store *s, bool prime)
{
    int64_t first, now;
    int rc = store_time_range(s, &first, &now);
    if (rc == ORBAT_E_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    uint64_t fired0 = al->st.fired;
    /* enter: new "enter" events since the last check */
    struct enter_ctx ec = {.al = al, .max_id = al->last_event_id, .prime = prime};
    rc = store_events(s, "enter", INT64_MIN / 2, INT64_MAX / 2, enter_cb, &ec);
    if (rc < 0)
        return rc;
    al->last_event_id = ec.max_id;
    for (size_t i = 0; i < al->n; i++) {
        struct rule *r = &al->r[i];
        if (r->kind == RULE_NEAR) {
            struct near_ctx nc = {.al = al, .r = r, .prime = prime};
            /* positions in the last 30 minutes before now */
            rc = store_presence(s, NULL, now - 1800000, now, false, near_cb, &nc);
            if (rc < 0)
                return rc;
            memcpy(r->inside, nc.seen, nc.nseen * sizeof(nc.seen[0]));
            r->ninside = nc.nseen;
        } else if (r->kind == RULE_COUNT) {
            struct report_opts o = {
                .theatre = r->theatre, .as_of_ms = now, .window_ms = r->window_ms};
            struct report_oob oob;
            rc = report_oob_build(s, &o, &oob);
            if (rc)
                return rc;
            long n = 0;
            for (size_t k = 0; k < oob.n; k++)
                n += role_matches(r, &oob.e[k].asset);
            report_oob_free(&oob);
            bool on = n > r->threshold;
            if (on && !r->active && !prime) {
                char msg[256];
                char what[96], phrase[128];
                snprintf(what, sizeof(what), "%s%s", r->role[0] ? r->role : r->category,
                         r->role[0] || !strcmp(r->category, "warship") ? "" : " asset");
                report_count_phrase((unsigned long)n, what, phrase, sizeof(phrase));
                snprintf(msg, sizeof(msg), "%s in %s (more than %ld)", phrase, r->theatre,
                         r->threshold);
                fire(al, r, NULL, now, r->theatre, 0, 0, msg);
            }
            r->active = on;
        } else if (r->kind == RULE_GAP) {
            struct gap_ctx g = {.found = false};
            rc = store_asset_find(s, r->asset, gap_cb, &g);
            if (rc < 0)
                return rc;
            if (!g.found || g.a.last_ms <= 0)
                continue;
            bool on = now - g.a.last_ms > r->gap_ms;
            if (on && (!r->active || r->gap_last_ms != g.a.last_ms) && !prime) {
                char msg[256], lb[64], ls[32];
                rtime_format(g.a.last_ms, ls, sizeof(ls));
                snprintf(msg, sizeof(msg), "AIS gap: %s silent for %.1f h (last seen %s)",
                         report_asset_label(&g.a, lb, sizeof(lb)),
                         (double)(now - g.a.last_ms) / 3600000.0, ls);
                fire(al, r, &g.a, now, "", 0, g.a.raw_id, msg);
                r->gap_last_ms = g.a.last_ms;
            }
            r->active = on;
        }
    }
    al->last_check_ms = now;
    return (int)(al->st.fired - fired0);
}

int alerts_prime(struct alerts *al, struct store *s)
{
    int rc = check(al, s, true);
    return rc < 0 ? rc : 0;
}

int alerts_check(struct alerts *al, struct store *s)
{
    return check(al, s, false);
}
