/* SPDX-License-Identifier: BSD-2-Clause
 *
 * alert.h - watchlist and threshold alerts of `orbat run`, configured in
 * [alert NAME] sections (docs/server.md):
 *
 *   rule = enter  asset = KEY|*  theatre = T       asset X enters theatre T
 *   rule = near   role = bomber  nm = N  coastline = FILE.geojson
 *                                                  any such asset within N nm
 *   rule = count  category = warship  theatre = T  threshold = N  [window = 1d]
 *                                                  more than N in theatre T
 *   rule = gap    asset = KEY  gap = 2h            no position from a watched
 *                                                  asset for that long
 *
 * Rules are evaluated against the store (alerts_check) with the newest
 * stored time as "now", edge-triggered (a rule fires when it becomes true,
 * and again only after it was false). Each alert is a JSON object with the
 * asset, a message and its evidence: the asset's evidence URL on the server
 * and the event / raw message ids behind it.
 *
 * Delivery ([alerts] section): stdout (a log line), a JSON-lines file, and
 * an HTTP webhook (POST application/json to http://HOST:PORT/PATH) with
 * retries and exponential backoff with jitter, queued so a slow receiver
 * never blocks ingest (alerts_pump sends what is due).
 *
 * Ownership: alerts_new returns a heap object freed with alerts_free
 * (NULL-safe). The store passed to alerts_check is borrowed for the call.
 */
#ifndef ORBAT_ALERT_ALERT_H
#define ORBAT_ALERT_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "store/store.h"

#define ALERT_MAX_RULES   64
#define ALERT_QUEUE_MAX   256 /* webhook deliveries waiting; older ones are dropped */
#define ALERT_WEBHOOK_CAP 8192

struct alert_stats {
    uint64_t fired;
    uint64_t webhook_sent, webhook_failed_attempts, webhook_dropped;
    uint64_t file_errors;
};

struct alerts;

/* Build the rules and sinks from c. NULL with a message in err when a rule
 * or sink is invalid (unknown rule, missing key, bad number, unreadable
 * coastline, webhook URL not http://). base_url prefixes evidence links
 * ("http://127.0.0.1:8080"). */
struct alerts *alerts_new(const struct config *c, const char *base_url, char *err, size_t errsz);
void alerts_free(struct alerts *al);
size_t alerts_count(const struct alerts *al);

/* Remember what the store already holds (events so far, current counts)
 * so that starting orbat does not replay history as alerts. */
int alerts_prime(struct alerts *al, struct store *s);
/* Evaluate every rule; deliver to stdout and the file now and queue the
 * webhook. Returns the number of alerts fired or a negative store error. */
int alerts_check(struct alerts *al, struct store *s);
/* Send due webhook deliveries (each attempt waits at most 2 s). Returns the
 * number still queued. */
size_t alerts_pump(struct alerts *al);
void alerts_get_stats(const struct alerts *al, struct alert_stats *out);

#endif /* ORBAT_ALERT_ALERT_H */
