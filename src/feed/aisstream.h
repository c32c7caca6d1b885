/* SPDX-License-Identifier: BSD-2-Clause
 *
 * aisstream.h - the aisstream.io feed spec and its subscription message.
 *
 *   aisstream:[?PARAMS]                     wss://stream.aisstream.io/v0/stream
 *   aisstream+ws://HOST:PORT/PATH[?PARAMS]  plain ws:// (local tests)
 *   aisstream+wss://HOST[:PORT]/PATH[?PARAMS]
 *
 * PARAMS, '&'-separated: bbox=S,W,N,E[;S,W,N,E...] (degrees; without it the
 * caller's theatre box is used), mmsi=M[,M...] (9 digits each, at most
 * AISSTREAM_MAX_MMSI), types=PositionReport[,ShipStaticData...] (aisstream
 * message type names). The API key is never part of a spec: it comes from
 * $ORBAT_AISSTREAM_KEY or the config file ([aisstream] key).
 *
 * Subscription (aisstream.io documentation):
 *   {"APIKey": "...", "BoundingBoxes": [[[S, W], [N, E]], ...],
 *    "FiltersShipMMSI": ["..."], "FilterMessageTypes": ["..."]}
 *
 * Ownership: plain structs; aisstream_subscription returns heap text freed
 * with free().
 */
#ifndef ORBAT_FEED_AISSTREAM_H
#define ORBAT_FEED_AISSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AISSTREAM_URL       "wss://stream.aisstream.io/v0/stream"
#define AISSTREAM_MAX_BOXES 16
#define AISSTREAM_MAX_MMSI  50
#define AISSTREAM_MAX_TYPES 24
#define AISSTREAM_KEY_ENV   "ORBAT_AISSTREAM_KEY"

struct aisstream_box {
    double s, w, n, e;
};

struct aisstream_spec {
    char url[1100]; /* ws:// or wss:// */
    struct aisstream_box box[AISSTREAM_MAX_BOXES];
    size_t nbox;
    char mmsi[AISSTREAM_MAX_MMSI][10];
    size_t nmmsi;
    char types[AISSTREAM_MAX_TYPES][40];
    size_t ntypes;
};

/* True when spec (after an optional NAME=) starts with "aisstream:" or
 * "aisstream+". */
bool aisstream_is_spec(const char *spec);
/* Parse spec (without NAME=). -1 with a reason in err. */
int aisstream_spec_parse(const char *spec, struct aisstream_spec *sp, char *err, size_t errsz);
/* The subscription JSON with key and the boxes (sp's, else dflt[0..ndflt),
 * else the whole world). NULL when out of memory. */
char *aisstream_subscription(const struct aisstream_spec *sp, const char *key,
                             const struct aisstream_box *dflt, size_t ndflt);

#endif /* ORBAT_FEED_AISSTREAM_H */
