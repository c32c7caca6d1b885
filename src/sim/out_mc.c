/* SPDX-License-Identifier: BSD-2-Clause
 *
 * out_mc.c - `orbat simulate --out-marinecadastre`: the simulated ships'
 * received AIS positions as a MarineCadastre (NOAA/BOEM AccessAIS) CSV.
 * Like the real files, at most one row per ship per UTC minute (the first
 * received report of the minute), the static fields joined to every row.
 * Values are those of the AIS messages sent: lat/lon from the encoded
 * 1/10000-minute units, SOG/COG in 0.1 units, heading 511 = not available.
 *
 * 2025 layout (data dictionary 2025, csv2 sample rows):
 *   mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,
 *   call_sign,vessel_type,status,length,width,draft,cargo,transceiver
 *   time "YYYY-MM-DD HH:MM:SS"; fields without a value are empty.
 * Pre-2025 layout (--mc-legacy):
 *   MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,
 *   VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass
 *   time "YYYY-MM-DDTHH:MM:SS", Heading as "511.0".
 * The first line is "# SIMULATION ..." (real files never have one). A name
 * ending in ".zst" is written as one zstd frame (streaming, level 3).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "orbat/ais_encode.h"
#include "sim/archive_fmt.h"
#include "sim/archive_out.h"

#define FLUSH_AT (1u << 20)

struct mc_out {
    const struct scenario *s;
    bool legacy, zst;
    int fd;
    ZSTD_CCtx *z;
    int64_t *last_min; /* per asset: UTC minute of the last row, -1 = none */
    struct abuf buf;
    char *zout; /* zstd output block of ZSTD_CStreamOutSize() bytes */
    uint64_t rows;
    bool failed;
};

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Write out (compressing when .zst) what is buffered; end closes the frame. */
static int mc_flush(struct mc_out *w, bool end)
{
    if (w->failed)
        return -1;
    if (w->buf.oom) {
        errno = ENOMEM;
        w->failed = true;
        return -1;
    }
    if (!w->zst) {
        int rc = write_all(w->fd, w->buf.p, w->buf.len);
        w->buf.len = 0;
        if (rc < 0)
            w->failed = true;
        return rc;
    }
    ZSTD_inBuffer in = {w->buf.p, w->buf.len, 0};
    for (;;) {
        ZSTD_outBuffer out = {w->zout, ZSTD_CStreamOutSize(), 0};
        size_t left = ZSTD_compressStream2(w->z, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left)) {
            errno = EIO;
            w->failed = true;
            return -1;
        }
        if (write_all(w->fd, w->zout, out.pos) < 0) {
            w->failed = true;
            return -1;
        }
        if (end ? left == 0 : in.pos == in.size)
            break;
    }
    w->buf.len = 0;
    return 0;
}

struct mc_out *mc_out_open(const struct scenario *s, const char *path, bool legacy, char *err,
                           size_t errsz)
{
    struct mc_out *w = calloc(1, sizeof(*w));
    if (w)
        w->last_min = malloc((s->nassets ? s->nassets : 1) * sizeof(*w->last_min));
    if (!w || !w->last_min) {
        snprintf(err, errsz, "out of memory");
        free(w);
        return NULL;
    }
    for (size_t i = 0; i < s->nassets; i++)
        w->last_min[i] = -1;
    w->s = s;
    w->legacy = legacy;
    size_t n = strlen(path);
    w->zst = n >= 4 && !strcmp(path + n - 4, ".zst");
    w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (w->fd < 0 ||
        (w->zst && (!(w->z = ZSTD_createCCtx()) || !(w->zout = malloc(ZSTD_CStreamOutSize()))))) {
        snprintf(err, errsz, "%s: %s", path, w->fd < 0 ? strerror(errno) : "zstd: out of memory");
        if (w->fd >= 0)
            close(w->fd);
        ZSTD_freeCCtx(w->z);
        free(w->last_min);
        free(w);
        return NULL;
    }
    if (w->z)
        ZSTD_CCtx_setParameter(w->z, ZSTD_c_compressionLevel, 3);
    char b0[32], b1[32], line[512];
    sim_format_time(s->start_ms, b0, sizeof(b0));
    sim_format_time(s->end_ms, b1, sizeof(b1));
    snprintf(line, sizeof(line),
             "# SIMULATION - orbat simulate MarineCadastre%s scenario=%s seed=%llu %s..%s: not "
             "real broadcasts\n",
             legacy ? " (pre-2025 layout)" : "", s->name, (unsigned long long)s->seed, b0, b1);
    ab_str(&w->buf, line);
    ab_str(&w->buf, legacy ? "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,"
                             "VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass\n"
                           : "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,"
                             "imo,call_sign,vessel_type,status,length,width,draft,cargo,"
                             "transceiver\n");
    return w;
}

/* Text field: MarineCadastre drops commas and single quotes, trims spaces. */
static void text_field(struct abuf *b, const char *v)
{
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '@'))
        n--;
    for (size_t i = 0; i < n; i++)
        if (v[i] != ',' && v[i] != '\'' && v[i] != '"' && v[i] != '\n' && v[i] != '\r')
            ab_put(b, &v[i], 1);
}

int mc_out_fix(struct mc_out *w, const struct sim_fix *f)
{
    if (f->a->kind != SIM_SHIP || !f->ais)
        return 0;
    const struct orbat_ais_enc *m = f->ais;
    int64_t sec = f->t_ms >= 0 ? f->t_ms / 1000 : (f->t_ms - 999) / 1000;
    int64_t min = sec >= 0 ? sec / 60 : (sec - 59) / 60;
    if (w->last_min[f->asset] == min)
        return 0;
    w->last_min[f->asset] = min;
    struct orbat_ais_enc st;
    sim_ais_static_fields(f->a, &st);
    bool class_b = m->type == 18;
    struct abuf *b = &w->buf;
    char t[32];
    sim_format_time(sec * 1000, t, sizeof(t)); // YYYY-MM-DDThh:mm:ssZ
    t[19] = '\0';
    if (!w->legacy)
        t[10] = ' ';
    ab_int(b, m->mmsi);
    ab_put(b, ",", 1);
    ab_str(b, t);
    ab_put(b, ",", 1);
    double lat = m->lat / 600000.0, lon = m->lon / 600000.0;
    ab_fixed(b, w->legacy ? lat : lon, 5);
    ab_put(b, ",", 1);
    ab_fixed(b, w->legacy ? lon : lat, 5);
    ab_put(b, ",", 1);
    if (m->speed != 1023)
        ab_fixed(b, m->speed / 10.0, 1);
    ab_put(b, ",", 1);
    if (m->course != 3600)
        ab_fixed(b, m->course / 10.0, 1);
    ab_put(b, ",", 1);
    if (w->legacy)
        ab_fixed(b, m->heading, 1);
    else
        ab_int(b, m->heading);
    ab_put(b, ",", 1);
    text_field(b, st.shipname);
    ab_put(b, ",", 1);
    if (st.imo) {
        ab_str(b, "IMO");
        ab_int(b, st.imo);
    }
    ab_put(b, ",", 1);
    text_field(b, st.callsign);
    ab_put(b, ",", 1);
    if (st.shiptype)
        ab_int(b, st.shiptype);
    ab_put(b, ",", 1);
    if (!class_b)
        ab_int(b, m->status);
    ab_put(b, ",", 1);
    if (st.to_bow + st.to_stern)
        ab_int(b, st.to_bow + st.to_stern);
    ab_put(b, ",", 1);
    if (st.to_port + st.to_starboard)
        ab_int(b, st.to_port + st.to_starboard);
    ab_put(b, ",", 1);
    if (!class_b && st.draught)
        ab_fixed(b, st.draught / 10.0, 1);
    ab_put(b, ",", 1);
    if (!class_b && st.shiptype)
        ab_int(b, st.shiptype);
    ab_str(b, class_b ? ",B\n" : ",A\n");
    w->rows++;
    if (w->buf.len >= FLUSH_AT)
        return mc_flush(w, false);
    return w->buf.oom ? (errno = ENOMEM, -1) : 0;
}

int mc_out_close(struct mc_out *w, uint64_t *rows)
{
    if (!w)
        return 0;
    int rc = mc_flush(w, true);
    if (close(w->fd) < 0)
        rc = -1;
    if (rows)
        *rows = w->rows;
    ZSTD_freeCCtx(w->z);
    abuf_free(&w->buf);
    free(w->zout);
    free(w->last_min);
    free(w);
    return rc;
}
