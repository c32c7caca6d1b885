/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_geojson.c - libFuzzer target for the GeoJSON layer loader and its
 * index: parse arbitrary bytes, then run containment and distance queries
 * at points derived from the input and at the layer's own vertices.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "geo/layer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum orbat_err err;
    struct geo_layer *l = geo_layer_parse((const char *)data, size, "fuzz", &err);
    if (!l)
        return 0;
    static const double probes[][2] = {{0, 0},      {10, -66}, {-89.9, 179.9}, {89.9, -179.9},
                                       {11.2, -67}, {45, 45},  {1e-9, -1e-9},  {15, -65}};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        (void)geo_layer_contains(l, probes[i][0], probes[i][1]);
        (void)geo_layer_dist_nm(l, probes[i][0], probes[i][1], NULL, NULL);
    }
    for (size_t i = 0; i < geo_layer_npoints(l) && i < 8; i++) {
        double lat, lon;
        const char *name;
        geo_layer_point(l, i, &lat, &lon, &name);
        (void)geo_layer_contains(l, lat, lon);
        (void)geo_layer_dist_nm(l, lat + 0.01, lon - 0.01, NULL, NULL);
    }
    (void)geo_layer_mem(l);
    geo_layer_free(l);
    return 0;
}
