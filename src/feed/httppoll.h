/* SPDX-License-Identifier: BSD-2-Clause
 *
 * httppoll.h - one polled HTTP source, shared by `orbat run` and `orbat
 * decode`: a readsb / tar1090 aircraft.json URL polled every interval, a
 * readsb v2 preset (v2preset.h: adsblol:, airplaneslive:, adsbfi:) polled
 * within its provider's rate, or AISHub (aishub.h). Each answer becomes
 * lines on a FILE the caller hands out: SBS BaseStation lines (aircraft)
 * or aisstream JSON lines (AISHub), which the decoders and the ingest path
 * read like any capture.
 *
 *   [NAME=]http[s]://HOST[:PORT]/PATH   aircraft JSON, every interval
 *   [NAME=]adsblol:[?PARAMS] ...         a preset (see v2preset.h)
 *   [NAME=]aishub:[?bbox=S,W,N,E]        AISHub (see aishub.h)
 *
 * Ownership: struct http_poller is the caller's; http_poller_init
 * allocates the preset's spec and schedule, freed by http_poller_free
 * (safe on a zeroed or half-initialised poller). Writes nothing to
 * stderr: a refused answer is left in last_error for the caller to show.
 */
#ifndef ORBAT_FEED_HTTPPOLL_H
#define ORBAT_FEED_HTTPPOLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "http/client.h"
#include "http/readsb.h"

struct v2_spec;
struct v2_sched;

struct http_poller {
    char name[64];
    char url[1024]; /* the URL, or the preset / AISHub spec without NAME= */
    struct http_url u;
    int64_t interval_ms, next_ms;
    struct readsb_stats st; /* AISHub: aircraft counts the vessel records */
    uint64_t requests, errors, ratelimit_waits;
    int last_status;
    char last_error[128];   /* the last refused answer (AISHub's ERROR_MESSAGE) */
    struct v2_spec *v2;     /* preset: heap; NULL otherwise */
    struct v2_sched *sched; /* preset or AISHub: heap; NULL for a plain URL */
    bool aishub;
};

/* True when spec is something http_poller_init takes. */
bool http_poller_is_spec(const char *spec);
/* The default interval in seconds for spec (AISHub 60, else 5). */
long http_poller_default_secs(const char *spec);
/* Parse spec; dflt_name names it when the spec has no NAME=; secs: the
 * least time between rounds (AISHub 60..3600, else 1..3600). -1 with a
 * reason in err. */
int http_poller_init(struct http_poller *p, const char *spec, const char *dflt_name, long secs,
                     char *err, size_t errsz);
/* Plan the requests: AISHub's URL with user (NULL: none) and the box;
 * a preset's circles over the spec's box, else this box (has_box false:
 * only /v2/mil). Nothing to do for a plain URL. -1 with a reason in err. */
int http_poller_plan(struct http_poller *p, const char *aishub_user, bool has_box, double s,
                     double w, double n, double e, char *err, size_t errsz);
/* The provider's credit line to show with its data, or NULL (plain URL). */
const char *http_poller_attribution(const struct http_poller *p);
/* The kind of lines written: "aisstream" (JSON lines) or "sbs". */
const char *http_poller_kind(const struct http_poller *p);
/* True when one of the known providers' credit lines is exactly line. */
bool http_poller_is_attribution(const char *line);

/* Where an answer's lines go: called once a 200 answer is in hand; NULL
 * drops the answer. */
typedef FILE *(*http_poller_out_fn)(void *ctx, struct http_poller *p);

/* Make the request that is due at now_ms (monotonic, feed_now_ms), if
 * any (one request at most). Returns -1 when nothing was due, else the
 * HTTP status (0: no answer);
 * AISHub's refusals and unreadable answers count as errors and leave
 * last_error set (then 1 is added to *refused when given). */
int http_poller_step(struct http_poller *p, int64_t now_ms, http_poller_out_fn out, void *ctx,
                     int *refused);
void http_poller_free(struct http_poller *p);

#endif /* ORBAT_FEED_HTTPPOLL_H */
