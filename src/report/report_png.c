/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report_png.c - SVG to PNG behind report_png.h: librsvg parses the
 * document and draws it on a cairo image surface (fonts through pango and
 * fontconfig: the chart names "DejaVu Sans" first, Debian's
 * fonts-dejavu-core), cairo encodes the PNG. glib's GError and GObject
 * references are freed on every path.
 */
#include "report/report_png.h"

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <stdio.h>

/* cairo's PNG writer callback: everything goes to the caller's FILE. */
static cairo_status_t png_write_cb(void *closure, const unsigned char *data, unsigned int length)
{
    FILE *out = closure;
    return fwrite(data, 1, length, out) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int report_png_write(const char *svg, size_t len, double scale, FILE *out, char *err, size_t errsz)
{
    GError *gerr = NULL;
    int ret = -1;
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    if (!(scale > 0 && scale <= 16)) {
        snprintf(err, errsz, "scale %g is not in (0, 16]", scale);
        return -1;
    }
    RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg, len, &gerr);
    if (!h) {
        snprintf(err, errsz, "SVG: %s", gerr ? gerr->message : "cannot be parsed");
        goto out;
    }
    gdouble w = 0, hh = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || !(w > 0 && hh > 0)) {
        snprintf(err, errsz, "SVG has no width and height in pixels");
        goto out;
    }
    double pw = ceil(w * scale), ph = ceil(hh * scale);
    if (pw > REPORT_PNG_MAX_SIDE || ph > REPORT_PNG_MAX_SIDE) {
        snprintf(err, errsz, "%.0fx%.0f pixels is larger than %d on a side", pw, ph,
                 REPORT_PNG_MAX_SIDE);
        goto out;
    }
    surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pw, (int)ph);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsz, "image surface: %s",
                 cairo_status_to_string(cairo_surface_status(surf)));
        goto out;
    }
    cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    RsvgRectangle viewport = {0, 0, w, hh};
    if (!rsvg_handle_render_document(h, cr, &viewport, &gerr)) {
        snprintf(err, errsz, "SVG rendering: %s", gerr ? gerr->message : "failed");
        goto out;
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsz, "drawing: %s", cairo_status_to_string(cairo_status(cr)));
        goto out;
    }
    cairo_surface_flush(surf);
    cairo_status_t st = cairo_surface_write_to_png_stream(surf, png_write_cb, out);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errsz, "PNG: %s", cairo_status_to_string(st));
        goto out;
    }
    ret = 0;
out:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    if (h)
        g_object_unref(h);
    if (gerr)
        g_error_free(gerr);
    return ret;
}
