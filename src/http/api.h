/* SPDX-License-Identifier: BSD-2-Clause
 *
 * api.h - orbat's HTTP application: the JSON API over the store and the
 * reports, tar1090's /data/aircraft.json and /data/receiver.json, Prometheus /metrics, the bearer-
 * token protected POST /api/sightings, and static files (the web map) with
 * no path traversal. docs/server.md lists every endpoint.
 *
 * Ownership: api_new borrows the store (which must outlive the api) and
 * copies the directory names and token; free with api_free (NULL-safe).
 * When lock is set (orbat run: ingest writes on another thread) every store
 * access holds it.
 *
 * The registry (o.reg) is borrowed too, and may be replaced while the
 * server runs (orbat run reloads it on SIGHUP): the api reads the pointer
 * only while it holds *lock (aircraft.json looks its entries up inside the
 * same locked section as the store query), so an owner that holds *lock
 * may call api_set_registry and then free the old registry before it
 * unlocks: no request can still be using it. Without a lock, the registry
 * belongs to the thread that runs the server and is swapped from there
 * (between http_server_poll calls) or not at all.
 */
#ifndef ORBAT_HTTP_API_H
#define ORBAT_HTTP_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "http/replay.h"
#include "http/server.h"
#include "registry/registry.h"
#include "store/store.h"

struct api_opts {
    const char *web_dir;   /* static files for "/", NULL = none */
    const char *geo_dir;   /* served under /geo/ (data/geo), NULL = none */
    const char *token;     /* bearer token for POST endpoints; NULL/"" = read-only */
    pthread_mutex_t *lock; /* NULL when the store is used by this thread only */
    /* Reuse a GET response of the store-backed API for this long (ms; 0 =
     * off). Answers may then lag the store by that much; a POST through
     * this api empties the cache. */
    int cache_ms;
    /* Extra status for /api/sources and /metrics (orbat run: feeds). */
    void (*feeds_json)(void *ctx, FILE *out);    /* writes a JSON array */
    void (*feeds_metrics)(void *ctx, FILE *out); /* writes Prometheus lines */
    void *feeds_ctx;
    /* The data time of /data/aircraft.json without as_of (replay.h):
     * clock.set for --replay-start; t0_mono_ms is set by api_new. */
    struct replay_clock clock;
    /* Aircraft database fields of aircraft.json (r, t, desc, ownOp,
     * dbFlags; acinfo.h); NULL = only what the store has. Borrowed. */
    const struct registry *reg;
    /* /data/receiver.json's position; without it, the centre of the
     * stored positions. */
    bool site_set;
    double site_lat, site_lon;
    /* A tar1090 html directory served under /tar1090/ (its data/ requests
     * answered by orbat); NULL = none. */
    const char *tar1090_dir;
};

struct api;

struct api *api_new(struct store *s, const struct api_opts *o);
/* True when TOKEN cannot be a bearer token: not empty, yet only blanks
 * (" "), which would let a client send "Authorization: Bearer  " and
 * write. Commands refuse such a token before they start. */
bool api_token_blank(const char *token);
void api_free(struct api *a);
/* Replace the registry (NULL = none) that aircraft.json's database
 * fields come from; the old one is no longer read once this returns, and
 * the answer cache (cache_ms) is emptied. The
 * caller holds the api's lock (api_opts.lock), or is the server's thread
 * when there is none; see Ownership above. */
void api_set_registry(struct api *a, const struct registry *reg);
/* The server whose counters /metrics reports (optional). */
void api_set_server(struct api *a, struct http_server *srv);

/* The http_handler: ctx is the struct api. */
void api_handle(void *ctx, const struct http_req *rq, const char *body, struct http_resp *rs);

#endif /* ORBAT_HTTP_API_H */
