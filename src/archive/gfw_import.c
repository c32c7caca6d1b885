/* SPDX-License-Identifier: BSD-2-Clause
 *
 * gfw_import.c - a saved GFW API v3 answer into the store's external
 * events (gfw_import.h): read (plain or gzip), check the whole document,
 * then write its events in one transaction.
 */
#include "archive/gfw_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/input.h"

struct put_ctx {
    struct store *s;
    const char *source;
    struct gfw_import_stats *st;
    int err; /* the store's error, if any */
};

static int put_event(void *ctx, const struct gfw_event *e)
{
    struct put_ctx *c = ctx;
    struct store_ext_event x;
    memset(&x, 0, sizeof x);
    store_strlcpy(x.source, c->source, sizeof x.source);
    store_strlcpy(x.provider, GFW_PROVIDER, sizeof x.provider);
    store_strlcpy(x.licence, GFW_LICENCE, sizeof x.licence);
    store_strlcpy(x.ext_id, e->id, sizeof x.ext_id);
    store_strlcpy(x.type, e->type, sizeof x.type);
    x.t_start_ms = e->t_start_ms;
    x.t_end_ms = e->t_end_ms;
    x.lat = e->lat;
    x.lon = e->lon;
    x.mmsi = e->mmsi;
    store_strlcpy(x.name, e->name, sizeof x.name);
    store_strlcpy(x.flag, e->flag, sizeof x.flag);
    x.other_mmsi = e->other_mmsi;
    store_strlcpy(x.detail, e->detail, sizeof x.detail);
    x.raw = e->json;
    x.raw_len = e->json_len;
    int rc = store_ext_event_put(c->s, &x);
    if (rc == ORBAT_OK)
        c->st->events_new++;
    else if (rc == ORBAT_AGAIN)
        c->st->events_known++;
    else
        return c->err = rc;
    return 0;
}

int gfw_import_buf(struct store *s, const char *buf, size_t len, const char *display_name,
                   struct gfw_import_stats *st)
{
    struct gfw_import_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    st->next_offset = -1;
    st->bytes = len;
    const char *name = display_name ? display_name : "-";
    // First pass: the whole document must be good before anything is written.
    struct gfw_parse_result r;
    int rc = gfw_parse(buf, len, NULL, NULL, NULL, &r);
    st->doc = (int)r.doc;
    st->next_offset = r.next_offset;
    if (rc) {
        snprintf(st->err, sizeof st->err, "%s", r.err);
        return rc;
    }
    if (r.doc == GFW_DOC_VESSELS) {
        st->vessels = r.vessels;
        return ORBAT_OK;
    }
    if (!r.events)
        return ORBAT_OK;
    if ((rc = store_begin(s)) != ORBAT_OK) {
        snprintf(st->err, sizeof st->err, "%s", store_errmsg(s));
        return rc;
    }
    struct put_ctx c = {.s = s, .source = name, .st = st};
    rc = gfw_parse(buf, len, put_event, NULL, &c, &r);
    if (c.err) {
        snprintf(st->err, sizeof st->err, "%s", store_errmsg(s));
        return c.err;
    }
    if (rc) { // cannot happen after the first pass, but never commit half
        snprintf(st->err, sizeof st->err, "%s", r.err);
        return rc;
    }
    if ((rc = store_commit(s)) != ORBAT_OK)
        snprintf(st->err, sizeof st->err, "%s", store_errmsg(s));
    return rc;
}

int gfw_import_file(struct store *s, const char *path, const char *display_name,
                    struct gfw_import_stats *st)
{
    struct gfw_import_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    st->next_offset = -1;
    struct input *in = input_open(path);
    if (!in) {
        snprintf(st->err, sizeof st->err, "%s: %s", path, strerror(errno));
        return ORBAT_E_IO;
    }
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    int rc = buf ? ORBAT_OK : ORBAT_E_NOMEM;
    while (!rc) {
        if (len == cap) {
            // One byte over the cap is enough to know the file is too large.
            if (cap > GFW_MAX_DOC) {
                snprintf(st->err, sizeof st->err, "%s: larger than %u MiB of JSON", path,
                         GFW_MAX_DOC >> 20);
                rc = ORBAT_E_TOOLONG;
                break;
            }
            size_t ncap = cap * 2 > (size_t)GFW_MAX_DOC + 1 ? (size_t)GFW_MAX_DOC + 1 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                rc = ORBAT_E_NOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t n = input_read(in, buf + len, cap - len);
        if (n < 0) {
            snprintf(st->err, sizeof st->err, "%s: %s", path, strerror(errno));
            rc = ORBAT_E_IO;
        } else if (n == 0) {
            break;
        } else {
            len += (size_t)n;
        }
    }
    input_close(in);
    if (rc == ORBAT_E_NOMEM)
        snprintf(st->err, sizeof st->err, "%s: out of memory", path);
    if (!rc)
        rc = gfw_import_buf(s, buf, len, display_name ? display_name : path, st);
    free(buf);
    return rc;
}
