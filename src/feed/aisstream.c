/* SPDX-License-Identifier: BSD-2-Clause
 *
 * aisstream.c - aisstream.io feed specs and subscriptions; see aisstream.h.
 */
#include "feed/aisstream.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool aisstream_is_spec(const char *spec)
{
    const char *eq = strchr(spec, '=');
    const char *colon = strchr(spec, ':');
    const char *p = eq && (!colon || eq < colon) ? eq + 1 : spec;
    return !strncmp(p, "aisstream:", 10) || !strncmp(p, "aisstream+", 10);
}

static int parse_boxes(const char *v, size_t n, struct aisstream_spec *sp, char *err, size_t errsz)
{
    char buf[1024];
    if (n >= sizeof buf) {
        snprintf(err, errsz, "bbox too long");
        return -1;
    }
    memcpy(buf, v, n);
    buf[n] = 0;
    char *save = NULL;
    for (char *b = strtok_r(buf, ";", &save); b; b = strtok_r(NULL, ";", &save)) {
        struct aisstream_box x;
        int used = 0;
        if (sp->nbox >= AISSTREAM_MAX_BOXES) {
            snprintf(err, errsz, "at most %d boxes", AISSTREAM_MAX_BOXES);
            return -1;
        }
        if (sscanf(b, "%lf,%lf,%lf,%lf%n", &x.s, &x.w, &x.n, &x.e, &used) != 4 || b[used] != 0 ||
            !isfinite(x.s) || !isfinite(x.w) || !isfinite(x.n) || !isfinite(x.e) || x.s < -90 ||
            x.n > 90 || x.s >= x.n || x.w < -180 || x.w > 180 || x.e < -180 || x.e > 180) {
            snprintf(err, errsz, "bad bbox '%.60s': expected S,W,N,E in degrees", b);
            return -1;
        }
        sp->box[sp->nbox++] = x;
    }
    return 0;
}

static int parse_list(const char *v, size_t n, char *dst, size_t width, size_t max, size_t *count,
                      bool digits9, char *err, size_t errsz)
{
    size_t i = 0;
    while (i < n) {
        size_t k = i;
        while (k < n && v[k] != ',')
            k++;
        size_t l = k - i;
        bool ok = l > 0 && l < width && *count < max;
        if (ok && digits9) {
            ok = l == 9;
            for (size_t j = i; j < k && ok; j++)
                ok = v[j] >= '0' && v[j] <= '9';
        }
        for (size_t j = i; j < k && ok && !digits9; j++)
            ok = (v[j] >= 'A' && v[j] <= 'Z') || (v[j] >= 'a' && v[j] <= 'z');
        if (!ok) {
            snprintf(err, errsz, "bad %s '%.*s'", digits9 ? "mmsi" : "message type", (int)l, v + i);
            return -1;
        }
        memcpy(dst + *count * width, v + i, l);
        dst[*count * width + l] = 0;
        (*count)++;
        i = k + 1;
    }
    return 0;
}

int aisstream_spec_parse(const char *spec, struct aisstream_spec *sp, char *err, size_t errsz)
{
    memset(sp, 0, sizeof *sp);
    const char *q;
    if (!strncmp(spec, "aisstream:", 10)) {
        snprintf(sp->url, sizeof sp->url, "%s", AISSTREAM_URL);
        q = spec + 10;
        if (*q && *q != '?') {
            snprintf(err, errsz, "'%s': expected aisstream:[?PARAMS]", spec);
            return -1;
        }
    } else if (!strncmp(spec, "aisstream+ws://", 15) || !strncmp(spec, "aisstream+wss://", 16)) {
        const char *u = spec + 10;
        size_t ul = strcspn(u, "?");
        if (ul >= sizeof sp->url) {
            snprintf(err, errsz, "URL too long");
            return -1;
        }
        memcpy(sp->url, u, ul);
        sp->url[ul] = 0;
        q = u + ul;
    } else {
        snprintf(err, errsz, "'%s': expected aisstream: or aisstream+ws://HOST:PORT/PATH", spec);
        return -1;
    }
    if (*q == '?')
        q++;
    while (*q) {
        size_t l = strcspn(q, "&");
        const char *eq = memchr(q, '=', l);
        if (!eq) {
            snprintf(err, errsz, "bad parameter '%.*s' (bbox=, mmsi=, types=)", (int)l, q);
            return -1;
        }
        size_t kl = (size_t)(eq - q), vl = l - kl - 1;
        int rc;
        if (kl == 4 && !memcmp(q, "bbox", 4))
            rc = parse_boxes(eq + 1, vl, sp, err, errsz);
        else if (kl == 4 && !memcmp(q, "mmsi", 4))
            rc = parse_list(eq + 1, vl, &sp->mmsi[0][0], sizeof sp->mmsi[0], AISSTREAM_MAX_MMSI,
                            &sp->nmmsi, true, err, errsz);
        else if (kl == 5 && !memcmp(q, "types", 5))
            rc = parse_list(eq + 1, vl, &sp->types[0][0], sizeof sp->types[0], AISSTREAM_MAX_TYPES,
                            &sp->ntypes, false, err, errsz);
        else {
            snprintf(err, errsz, "unknown parameter '%.*s' (bbox=, mmsi=, types=)", (int)kl, q);
            return -1;
        }
        if (rc)
            return -1;
        q += l;
        if (*q == '&')
            q++;
    }
    return 0;
}

static json_t *corner(double lat, double lon)
{
    return json_pack("[ff]", lat, lon);
}

char *aisstream_subscription(const struct aisstream_spec *sp, const char *key,
                             const struct aisstream_box *dflt, size_t ndflt)
{
    static const struct aisstream_box world = {-90, -180, 90, 180};
    const struct aisstream_box *b = sp->nbox ? sp->box : ndflt ? dflt : &world;
    size_t nb = sp->nbox ? sp->nbox : ndflt ? ndflt : 1;
    json_t *root = json_object();
    json_t *boxes = json_array();
    if (!root || !boxes) {
        json_decref(root);
        json_decref(boxes);
        return NULL;
    }
    json_object_set_new(root, "APIKey", json_string(key ? key : ""));
    for (size_t i = 0; i < nb; i++)
        json_array_append_new(boxes,
                              json_pack("[oo]", corner(b[i].s, b[i].w), corner(b[i].n, b[i].e)));
    json_object_set_new(root, "BoundingBoxes", boxes);
    if (sp->nmmsi) {
        json_t *a = json_array();
        for (size_t i = 0; i < sp->nmmsi; i++)
            json_array_append_new(a, json_string(sp->mmsi[i]));
        json_object_set_new(root, "FiltersShipMMSI", a);
    }
    if (sp->ntypes) {
        json_t *a = json_array();
        for (size_t i = 0; i < sp->ntypes; i++)
            json_array_append_new(a, json_string(sp->types[i]));
        json_object_set_new(root, "FilterMessageTypes", a);
    }
    char *s = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(root);
    return s;
}
