/* SPDX-License-Identifier: BSD-2-Clause
 *
 * theatre.h - a theatre: a named area (GeoJSON polygons) plus the layers
 * events measure against: zones (polygons, or derived buffers "within N nm
 * of a coastline", labelled as approximations), approach lines (a named
 * coastline, a 12 nm line), land (for "distance from shore") and sites
 * (ports and airfields, from CSV or GeoJSON points).
 *
 * A theatre is defined by a small JSON file (data/theatres/NAME.json, see
 * docs/events.md for the format) whose file paths are relative to itself,
 * or is a single GeoJSON file whose polygons are the area.
 *
 * Ownership: theatre_load returns a heap object freed with theatre_free
 * (NULL-safe); it owns its layers. Queries fill layer caches, so a theatre
 * is used from one thread at a time.
 */
#ifndef ORBAT_GEO_THEATRE_H
#define ORBAT_GEO_THEATRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "geo/layer.h"
#include "orbat/orbat.h"

#define TH_MAX_LAYERS      16
#define TH_MAX_ZONES       4 /* zone 0 is the theatre area itself */
#define TH_MAX_APPROACH    2
#define TH_MAX_SITES       100000
#define TH_SITE_MAX_KM     10.0 /* the largest arrival/departure radius supported */
#define TH_SITE_BLOOM_BITS 16   /* 8 KB filter in front of the site index */

enum th_site_kind {
    TH_SITE_PORT = 1,
    TH_SITE_AIRFIELD = 2,
};

struct th_zone {
    char name[64];
    struct geo_layer *layer; /* borrowed from the theatre's layers */
    double buffer_nm;        /* 0: the layer's polygons; > 0: within buffer_nm of its edges */
    bool approx;             /* a derived buffer: an approximation, say so */
};

struct th_approach {
    char name[64];
    struct geo_layer *layer; /* distance to its edges; 0 inside its polygons */
};

struct th_site {
    char id[16];
    char name[80];
    double lat, lon;
    enum th_site_kind kind;
};

struct theatre {
    char name[64];
    char description[256];
    struct geo_layer *layers[TH_MAX_LAYERS];
    size_t nlayers;
    struct th_zone zones[TH_MAX_ZONES];
    size_t nzones;
    struct th_approach approach[TH_MAX_APPROACH];
    size_t napproach;
    struct geo_layer *land; /* NULL when the theatre has none */
    struct th_site *sites;
    size_t nsites;
    /* site index: (cell key, site) pairs sorted by key, 0.1-degree cells */
    uint64_t *site_cells;
    size_t nsite_cells;
    /* filter over the cells present in site_cells (theatre.c site_bloom_bit) */
    uint64_t site_bloom[(1u << TH_SITE_BLOOM_BITS) / 64];
};

/* Load a theatre by NAME (looked up as theatres/NAME.json under $ORBAT_DATA,
 * ./data, and the data directory next to the executable) or from FILE (a
 * theatre .json or a bare .geojson). On failure returns NULL, sets *err and
 * writes a reason into msg (msglen bytes). */
struct theatre *theatre_load(const char *name_or_file, enum orbat_err *err, char *msg,
                             size_t msglen);
void theatre_free(struct theatre *th);

/* Zone membership. For a buffer zone: inside the layer's area or within
 * buffer_nm of its edges. */
bool theatre_in_zone(struct theatre *th, size_t zone, double lat, double lon);
/* Distance to the approach layer (nm; 0 inside its polygons; INFINITY
 * beyond GEO_LAYER_MAX_NM). near_* may be NULL. */
double theatre_approach_nm(struct theatre *th, size_t i, double lat, double lon, double *near_lat,
                           double *near_lon);
/* Distance from shore (nm): 0 on land, INFINITY beyond GEO_LAYER_MAX_NM or
 * with no land layer. */
double theatre_shore_nm(struct theatre *th, double lat, double lon);
/* The nearest site of a kind in kind_mask within max_m metres (<=
 * TH_SITE_MAX_KM km); NULL if none. *dist_m receives its distance. */
const struct th_site *theatre_near_site(const struct theatre *th, double lat, double lon,
                                        unsigned kind_mask, double max_m, double *dist_m);
/* Add one site (copies). Returns ORBAT_E_NOMEM or ORBAT_E_RANGE. */
enum orbat_err theatre_add_site(struct theatre *th, const char *id, const char *name, double lat,
                                double lon, enum th_site_kind kind) ORBAT_WARN_UNUSED;
/* Rebuild the site index after adding sites. */
enum orbat_err theatre_index_sites(struct theatre *th) ORBAT_WARN_UNUSED;

#endif /* ORBAT_GEO_THEATRE_H */
