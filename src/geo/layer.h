/* SPDX-License-Identifier: BSD-2-Clause
 *
 * layer.h - one GeoJSON layer (polygons, lines, points) prepared for fast
 * point-in-polygon and distance-to-boundary queries at feed rate.
 *
 * Polygon and MultiPolygon rings form the layer's area under the even-odd
 * rule (holes work; valid GeoJSON parts do not overlap). LineString and
 * MultiLineString parts are lines: they count for distance, not for
 * containment. Point features are kept as named points (ports, airfields).
 * Edges are straight in longitude/latitude, as RFC 7946 section 3.1.1 has
 * it; layers crossing the antimeridian are not supported.
 *
 * Containment index: a uniform grid over the layer's bounding box. Each
 * cell lists the edges that touch it and knows whether its centre is
 * inside. Containment in a cell with no edge is that flag; otherwise a ray
 * to the right is cast through the following cells until one with no edge
 * (exact, PNPOLY's half-open rule).
 *
 * Distance index: the boundary simplified with Douglas-Peucker at
 * GEO_DIST_TOL_M, under a bounding-volume hierarchy (median splits, 8
 * segments a leaf) searched branch-and-bound in a local equirectangular
 * projection at the query latitude; the answer is the WGS84 geodesic
 * distance (Vincenty) to the nearest point found.
 *
 * Ownership: geo_layer_load/parse return a heap object freed with
 * geo_layer_free (NULL-safe). Queries do not modify the layer.
 */
#ifndef ORBAT_GEO_LAYER_H
#define ORBAT_GEO_LAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orbat/orbat.h"

/* Distances beyond this are not computed: queries return INFINITY. */
#define GEO_LAYER_MAX_NM 200.0
/* Distances are measured to the boundary simplified with Douglas-Peucker
 * at this tolerance (metres): results are within it of the full boundary. */
#define GEO_DIST_TOL_M 25.0
/* Input caps: a GeoJSON file larger than this is refused (ORBAT_E_TOOLONG). */
#define GEO_LAYER_MAX_BYTES (64u << 20)
#define GEO_LAYER_MAX_VERTS 4000000u

struct geo_layer;

struct geo_layer_stats {
    uint32_t features; /* features read */
    uint32_t skipped;  /* geometries skipped as malformed (bad type, ring < 4, range) */
    uint32_t rings, lines, points;
    uint32_t vertices, edges;
    uint32_t grid_nx, grid_ny;
    uint32_t dist_segments; /* boundary segments after simplification */
    uint32_t bvh_nodes;
};

/* Parse GeoJSON text (FeatureCollection, Feature or a bare geometry) and
 * build the index. `name` is copied. Returns NULL and sets *err to
 * ORBAT_E_FORMAT (not GeoJSON / nothing usable), ORBAT_E_TOOLONG or
 * ORBAT_E_NOMEM. Malformed geometries inside a good file are skipped and
 * counted in stats.skipped. */
struct geo_layer *geo_layer_parse(const char *text, size_t len, const char *name,
                                  enum orbat_err *err);
/* Read PATH and parse it; ORBAT_E_IO (errno set) if it cannot be read. */
struct geo_layer *geo_layer_load(const char *path, const char *name, enum orbat_err *err);
void geo_layer_free(struct geo_layer *l);

const char *geo_layer_name(const struct geo_layer *l);
const struct geo_layer_stats *geo_layer_get_stats(const struct geo_layer *l);
/* Bytes of heap the layer holds now (vertices, index, cache). */
size_t geo_layer_mem(const struct geo_layer *l);
bool geo_layer_has_area(const struct geo_layer *l);

/* True when (lat, lon) is inside the layer's polygons. */
bool geo_layer_contains(const struct geo_layer *l, double lat, double lon);
/* The extent of the layer's index (every area point lies inside it):
 * false when the layer is empty. */
bool geo_layer_bounds(const struct geo_layer *l, double *south, double *west, double *north,
                      double *east);

/* Geodesic distance in nm from (lat, lon) to the nearest edge (polygon
 * boundary or line). Returns INFINITY when it is more than
 * GEO_LAYER_MAX_NM (or the layer has no edges). If near_lat/near_lon are
 * not NULL they receive the nearest point. Containment is not considered:
 * callers wanting "0 inside" test geo_layer_contains first. */
double geo_layer_dist_nm(const struct geo_layer *l, double lat, double lon, double *near_lat,
                         double *near_lon);

/* Named points (Point/MultiPoint features). name is "" when absent. */
size_t geo_layer_npoints(const struct geo_layer *l);
void geo_layer_point(const struct geo_layer *l, size_t i, double *lat, double *lon,
                     const char **name);

#endif /* ORBAT_GEO_LAYER_H */
