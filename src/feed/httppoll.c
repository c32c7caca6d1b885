/* SPDX-License-Identifier: BSD-2-Clause
 *
 * httppoll.c - one polled HTTP source (aircraft JSON URL, v2 preset,
 * AISHub) turned into SBS or aisstream JSON lines; see httppoll.h.
 */
#include "feed/httppoll.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed/aishub.h"
#include "feed/feed.h"
#include "feed/v2preset.h"

/* The spec after an optional NAME= (a '=' before the scheme's ':'). */
static const char *after_name(const char *spec, size_t *namelen)
{
    const char *eq = strchr(spec, '=');
    const char *colon = strchr(spec, ':');
    if (eq && (!colon || eq < colon)) {
        *namelen = (size_t)(eq - spec);
        return eq + 1;
    }
    *namelen = 0;
    return spec;
}

static bool is_url(const char *p)
{
    return !strncmp(p, "http://", 7) || !strncmp(p, "https://", 8);
}

bool http_poller_is_spec(const char *spec)
{
    size_t nl;
    return aishub_is_spec(spec) || v2_is_spec(spec) || is_url(after_name(spec, &nl));
}

long http_poller_default_secs(const char *spec)
{
    return aishub_is_spec(spec) ? 60 : 5;
}

int http_poller_init(struct http_poller *p, const char *spec, const char *dflt_name, long secs,
                     char *err, size_t errsz)
{
    size_t nl;
    const char *body = after_name(spec, &nl);
    if (nl)
        snprintf(p->name, sizeof p->name, "%.*s", (int)(nl < 63 ? nl : 63), spec);
    snprintf(p->url, sizeof p->url, "%s", body);
    if (aishub_is_spec(spec)) {
        if (!nl)
            snprintf(p->name, sizeof p->name, "%s", dflt_name ? dflt_name : "aishub");
        if (secs < 60 || secs > 3600) {
            snprintf(err, errsz,
                     "interval must be 60..3600 s (AISHub: one request a minute at most)");
            return -1;
        }
        if (!(p->sched = malloc(sizeof *p->sched))) {
            snprintf(err, errsz, "out of memory");
            return -1;
        }
        p->aishub = true;
    } else if (v2_is_spec(spec)) {
        if (!(p->v2 = malloc(sizeof *p->v2)) || !(p->sched = malloc(sizeof *p->sched))) {
            snprintf(err, errsz, "out of memory");
            return -1;
        }
        if (v2_spec_parse(body, p->v2, err, errsz))
            return -1;
        if (!nl)
            snprintf(p->name, sizeof p->name, "%s", dflt_name ? dflt_name : p->v2->p->name);
        if (secs < 1 || secs > 3600) {
            snprintf(err, errsz, "interval must be 1..3600 s");
            return -1;
        }
    } else {
        if (!nl)
            snprintf(p->name, sizeof p->name, "%s", dflt_name ? dflt_name : "http");
        if (http_url_parse(body, &p->u) || secs < 1 || secs > 3600) {
            snprintf(err, errsz, "need http[s]://HOST[:PORT]/PATH and interval 1..3600 s");
            return -1;
        }
    }
    p->interval_ms = secs * 1000;
    return 0;
}

int http_poller_plan(struct http_poller *p, const char *aishub_user, bool has_box, double s,
                     double w, double n, double e, char *err, size_t errsz)
{
    if (p->aishub) {
        char url[V2_URL_CAP];
        if (aishub_url(p->url, aishub_user, has_box, s, w, n, e, url, sizeof url, err, errsz))
            return -1;
        v2_sched_single(p->sched, url, AISHUB_GAP_MS, (unsigned)p->interval_ms);
        return 0;
    }
    if (p->v2)
        return v2_sched_init(p->sched, p->v2, has_box, s, w, n, e, (unsigned)p->interval_ms, err,
                             errsz);
    return 0;
}

const char *http_poller_attribution(const struct http_poller *p)
{
    return p->aishub ? AISHUB_ATTRIBUTION : p->v2 ? p->v2->p->attribution : NULL;
}

const char *http_poller_kind(const struct http_poller *p)
{
    return p->aishub ? "aisstream" : "sbs";
}

bool http_poller_is_attribution(const char *line)
{
    if (!strcmp(line, AISHUB_ATTRIBUTION))
        return true;
    size_t n;
    const struct v2_provider *v = v2_providers(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(line, v[i].attribution))
            return true;
    return false;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One GET; a 200 answer's lines go to out's FILE. Returns the status. */
static int get_one(struct http_poller *p, const struct http_url *u, http_poller_out_fn out,
                   void *ctx, int *refused)
{
    struct http_client_resp resp;
    p->requests++;
    int rc = http_client_request(u, "GET", NULL, NULL, 0, 5000, &resp);
    p->last_status = rc == 0 ? resp.status : 0;
    if (rc || resp.status != 200) {
        p->errors++;
        http_client_free(&resp);
        return p->last_status;
    }
    FILE *f = out(ctx, p);
    if (f && p->aishub) {
        struct aishub_stats hs = {0};
        int n = aishub_to_lines(resp.body, resp.len, wall_ms(), f, &hs);
        p->st.aircraft += hs.records; // records read (vessels here)
        if (n < 0) {
            p->errors++;
            p->st.bad_json++;
            snprintf(p->last_error, sizeof p->last_error, "%s", hs.error);
            if (refused)
                ++*refused;
        } else {
            p->st.lines += (uint64_t)n;
        }
    } else if (f) {
        if (readsb_to_sbs(resp.body, resp.len, wall_ms(), f, &p->st) < 0)
            p->errors++;
    }
    http_client_free(&resp);
    return 200;
}

int http_poller_step(struct http_poller *p, int64_t now_ms, http_poller_out_fn out, void *ctx,
                     int *refused)
{
    if (!p->sched) {
        if (now_ms < p->next_ms)
            return -1;
        int status = get_one(p, &p->u, out, ctx, refused);
        p->next_ms = feed_now_ms() + p->interval_ms;
        return status;
    }
    int64_t wait;
    const char *url = v2_sched_due(p->sched, now_ms, &wait);
    if (!url)
        return -1;
    struct http_url u;
    int status = http_url_parse(url, &u) == 0 ? get_one(p, &u, out, ctx, refused) : 0;
    v2_sched_done(p->sched, now_ms, feed_now_ms(), status);
    p->ratelimit_waits = p->sched->ratelimit_waits;
    return status;
}

void http_poller_free(struct http_poller *p)
{
    free(p->v2);
    free(p->sched);
    p->v2 = NULL;
    p->sched = NULL;
}
