/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report_png.h - an SVG document (the timeline chart) rendered to PNG with
 * librsvg and cairo (Debian librsvg2-dev). This is the only place orbat
 * touches librsvg, cairo or glib; the header exposes none of them.
 *
 * Ownership: the caller owns svg and out (opened for binary writing) and
 * closes out; nothing is kept between calls.
 */
#ifndef ORBAT_REPORT_REPORT_PNG_H
#define ORBAT_REPORT_REPORT_PNG_H

#include <stddef.h>
#include <stdio.h>

/* The largest PNG side we render, in pixels (a 16384 x 16384 ARGB image is
 * 1 GiB of memory). */
#define REPORT_PNG_MAX_SIDE 16384

/* Render the SVG document svg (len bytes) at scale times its intrinsic
 * size in pixels (2 = crisp on high-density screens) on a white background
 * and write it to out as an 8-bit RGB PNG. Returns 0, or -1 with the reason
 * in err (not an SVG, no size, too large for REPORT_PNG_MAX_SIDE, out of
 * memory, a write error on out). */
int report_png_write(const char *svg, size_t len, double scale, FILE *out, char *err, size_t errsz);

#endif /* ORBAT_REPORT_REPORT_PNG_H */
