/* SPDX-License-Identifier: BSD-2-Clause
 *
 * sim.c - the transmission scheduler and encoder driver of the simulator
 * (see sim.h). Every asset has a few transmission streams (AIS position,
 * AIS static; ADS-B position, velocity, identification, Mode S replies);
 * a binary min-heap keyed by (time, asset, stream) merges them into one
 * time-ordered output. Reporting intervals follow ITU-R M.1371-5 Annex 1
 * Tables 1 and 2 (class A by speed, class B CS) and DO-260B §2.2.3.3 (ES
 * rates), multiplied by the scenario's ais_scale / adsb_scale with +-10 %
 * jitter so streams do not lock step.
 */
#include "sim/sim.h"

#include <stdlib.h>
#include <string.h>

#include "orbat/ais_encode.h"
#include "orbat/modes_encode.h"
#include "sim/sim_util.h"

enum stream {
    ST_AIS_POS = 0,
    ST_AIS_STATIC,
    ST_ES_POS,
    ST_ES_VEL,
    ST_ES_IDENT,
    ST_SURV,
};

struct ev {
    int64_t t_ms;
    uint32_t asset;
    uint8_t stream;
};

struct heap {
    struct ev *v;
    size_t n, cap;
};

static bool ev_less(const struct ev *a, const struct ev *b)
{
    if (a->t_ms != b->t_ms)
        return a->t_ms < b->t_ms;
    if (a->asset != b->asset)
        return a->asset < b->asset;
    return a->stream < b->stream;
}

static int heap_push(struct heap *h, struct ev e)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 256;
        struct ev *nv = realloc(h->v, nc * sizeof(*nv));
        if (!nv)
            return -1;
        h->v = nv;
        h->cap = nc;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!ev_less(&e, &h->v[p]))
            break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = e;
    return 0;
}

static struct ev heap_pop(struct heap *h)
{
    struct ev top = h->v[0], last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const struct ev *best = &last;
        if (l < h->n && ev_less(&h->v[l], best)) {
            m = l;
            best = &h->v[l];
        }
        if (r < h->n && ev_less(&h->v[r], best))
            m = r;
        if (m == i)
            break;
        h->v[i] = h->v[m];
        i = m;
    }
    if (h->n)
        h->v[i] = last;
    return top;
}

struct asset_state {
    bool odd;       /* next CPR format */
    bool pair_next; /* thinned ADS-B: this position is the second of a pair */
    uint8_t surv;   /* rotation of Mode S reply kinds */
    uint16_t group; /* tag-block group id for multi-sentence AIS */
};

struct run {
    const struct scenario *s;
    const struct sim_sink *sink;
    struct sim_stats *st;
    struct sim_rng rng;
    struct asset_state *as;
    struct heap h;
    int64_t from_ms, to_ms;
    uint8_t seq;
};

static double jitter(struct run *R, double base_s)
{
    return base_s * sim_rng_range(&R->rng, 0.9, 1.1);
}

/* Base interval in seconds for a stream, before scaling (see file comment). */
static double base_interval(const struct sim_asset *a, enum stream st, double speed_kn)
{
    switch (st) {
    case ST_AIS_POS:
        if (a->ais_class == 'B')
            return speed_kn > 2.0 ? 30.0 : 180.0;
        if (speed_kn < 0.5)
            return 180.0; // at anchor / moored, not moving faster than 3 kn
        if (speed_kn <= 14.0)
            return 10.0;
        if (speed_kn <= 23.0)
            return 6.0;
        return 2.0;
    case ST_AIS_STATIC:
        return 360.0;
    case ST_ES_POS:
    case ST_ES_VEL:
        return 0.5;
    case ST_ES_IDENT:
        return 5.0;
    case ST_SURV:
        return 2.0;
    }
    return 60.0;
}

/* Best receiver for a position: returns signal 1..255 when received, 0 when
 * out of range, -1 when in range but lost. */
static int receive(struct run *R, const struct sim_asset *a, double lat, double lon)
{
    const struct scenario *s = R->s;
    bool in_range = false;
    int best = 0;
    for (size_t i = 0; i < s->nrx; i++) {
        const struct sim_receiver *rx = &s->rx[i];
        if (a->kind == SIM_SHIP ? !rx->ais : !rx->adsb)
            continue;
        // Cheap latitude/longitude pre-checks before the haversine (1 deg >= 111.19 km
        // of latitude; of longitude >= 111.19 cos(lat) km at the point nearer the pole).
        double dlat_km = fabs(lat - rx->lat) * 111.19;
        if (dlat_km > rx->range_km)
            continue;
        double dlon = fabs(lon - rx->lon);
        if (dlon > 180.0)
            dlon = 360.0 - dlon;
        double cmin = cos((fabs(lat) > fabs(rx->lat) ? fabs(lat) : fabs(rx->lat)) * SIM_DEG);
        if (dlon * 111.19 * cmin > rx->range_km * 1.01)
            continue;
        double d = sim_dist_km(lat, lon, rx->lat, rx->lon);
        if (d > rx->range_km)
            continue;
        in_range = true;
        if (sim_rng_unit(&R->rng) < rx->loss)
            continue;
        double q = 1.0 - d / rx->range_km;
        int sig = 10 + (int)(245.0 * q * q);
        if (sig > best)
            best = sig;
    }
    if (best)
        return best;
    return in_range ? -1 : 0;
}

static bool emit_ais(struct run *R, struct asset_state *as, struct orbat_ais_enc *m, int64_t t_ms,
                     char channel)
{
    char buf[600];
    size_t len;
    struct orbat_ais_nmea_opts o = {0};
    o.channel = channel;
    o.tag_time = true;
    o.time_s = t_ms / 1000;
    o.source = "SIMULATION";
    o.seq_id = R->seq;
    o.group_id = ++as->group;
    if (orbat_ais_encode_nmea(m, &o, buf, sizeof(buf), &len) != ORBAT_OK) {
        R->st->encode_errors++;
        return false;
    }
    R->seq = (uint8_t)((R->seq + 1) % 10);
    R->st->ais_messages++;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n')
            R->st->ais_sentences++;
    if (R->sink->ais)
        R->sink->ais(R->sink->ctx, buf, len, t_ms);
    return true;
}

static int32_t raw_deg(double d)
{
    return orbat_ais_deg_to_raw(d);
}

/* Returns 0, or -1 when the fix sink asks to stop. */
static int ais_pos(struct run *R, uint32_t idx, struct asset_state *as, int64_t t, double lat,
                   double lon, double sog, double cog)
{
    const struct sim_asset *a = &R->s->assets[idx];
    struct orbat_ais_enc m;
    memset(&m, 0, sizeof(m));
    m.mmsi = a->id;
    m.lon = raw_deg(lon);
    m.lat = raw_deg(lat);
    m.speed = (uint16_t)(sog * 10.0 + 0.5 > 1022 ? 1022 : sog * 10.0 + 0.5);
    m.course = (uint16_t)((int)(cog * 10.0 + 0.5) % 3600);
    m.heading = (uint16_t)((int)(cog + 0.5) % 360);
    m.second = (uint8_t)((t / 1000) % 60);
    m.accuracy = true;
    if (a->ais_class == 'B') {
        m.type = 18;
        m.cs = true;
        m.msg22 = true;
        m.band = true;
        m.radio = 0xE0000u | (uint32_t)(t / 1000 % 8192);
    } else {
        m.type = 1;
        m.status = sog < 0.5 ? 1 : (a->ship_type == 30 && sog < 4.0 ? 7 : 0);
        m.turn = 0;
        m.radio = (uint32_t)(t / 1000 % 16384);
    }
    if (!emit_ais(R, as, &m, t, (sim_rng_next(&R->rng) & 1) ? 'B' : 'A') || !R->sink->fix)
        return 0;
    struct sim_fix f = {a, idx, t, lat, lon, 0, false, sog, cog, 0, &m};
    return R->sink->fix(R->sink->ctx, &f);
}

/* Copy at most dstsz-1 bytes of src (AIS text fields are shorter than
 * scenario names; the tail is dropped). */
static void copy_trunc(char *dst, size_t dstsz, const char *src)
{
    size_t n = strnlen(src, dstsz - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void sim_ais_static_fields(const struct sim_asset *a, struct orbat_ais_enc *m)
{
    memset(m, 0, sizeof(*m));
    m->type = a->ais_class == 'B' ? 24 : 5;
    m->mmsi = a->id;
    copy_trunc(m->shipname, sizeof(m->shipname), a->name);
    copy_trunc(m->callsign, sizeof(m->callsign), a->callsign);
    m->shiptype = a->ship_type;
    unsigned len = a->length_m, beam = a->beam_m;
    m->to_bow = (uint16_t)(len * 2 / 3 > 511 ? 511 : len * 2 / 3);
    m->to_stern = (uint16_t)(len - len * 2 / 3 > 511 ? 511 : len - len * 2 / 3);
    m->to_port = (uint8_t)(beam / 2 > 63 ? 63 : beam / 2);
    m->to_starboard = (uint8_t)(beam - beam / 2 > 63 ? 63 : beam - beam / 2);
    m->epfd = 1;
    if (a->ais_class != 'B') {
        m->hour = 24; // ETA not available (month 0, day 0, hour 24, minute 60)
        m->minute = 60;
        m->draught = (uint8_t)(len / 25 + 30 > 255 ? 255 : len / 25 + 30);
        m->dte = false;
        copy_trunc(m->destination, sizeof(m->destination), a->military ? "" : "CARIBBEAN");
    }
}

static void ais_static(struct run *R, const struct sim_asset *a, struct asset_state *as, int64_t t)
{
    struct orbat_ais_enc m;
    sim_ais_static_fields(a, &m);
    char ch = (sim_rng_next(&R->rng) & 1) ? 'B' : 'A';
    if (a->ais_class == 'B') {
        // Parts A and B back to back on one channel, as receivers pair them per channel.
        m.type = 24;
        m.part = 0;
        emit_ais(R, as, &m, t, ch);
        m.part = 1;
        copy_trunc(m.vendorid, sizeof(m.vendorid), "SIM");
        m.serial = a->id & 0xFFFFF;
        emit_ais(R, as, &m, t, ch);
        return;
    }
    m.type = 5;
    emit_ais(R, as, &m, t, ch);
}

static void emit_frame(struct run *R, const uint8_t *f, size_t n, int64_t t, int sig)
{
    const struct scenario *s = R->s;
    R->st->modes_frames++;
    if (R->sink->beast) {
        uint8_t out[64];
        // 12 MHz counter since the scenario start (wraps after 271 days; docs/simulator.md).
        uint64_t ts = (uint64_t)(t - s->start_ms) * 12000u & 0xFFFFFFFFFFFFull;
        size_t k = orbat_modes_beast(f, n, ts, (uint8_t)sig, out, sizeof(out));
        if (k)
            R->sink->beast(R->sink->ctx, out, k, t);
    }
    if (R->sink->avr) {
        char line[48];
        size_t k = orbat_modes_avr(f, n, false, 0, line, sizeof(line));
        if (k)
            R->sink->avr(R->sink->ctx, line, k, t);
    }
}

static void emit_sbs(struct run *R, const struct orbat_modes_sbs *m)
{
    if (!R->sink->sbs)
        return;
    char line[256];
    size_t k = orbat_modes_sbs_line(m, line, sizeof(line));
    if (k) {
        R->st->sbs_lines++;
        R->sink->sbs(R->sink->ctx, line, k, m->t_ms);
    }
}

/* The altitude as the frames carry it (ft, rounded, capped at the Gillham limit). */
static int32_t enc_alt(double alt)
{
    int32_t alt_ft = (int32_t)(alt + 0.5);
    return alt_ft > 50175 ? 50175 : alt_ft;
}

/* Encode and emit one transmission; returns false when it was not sent. */
static bool aircraft_tx(struct run *R, const struct sim_asset *a, struct asset_state *as,
                        enum stream st, int64_t t, double lat, double lon, double alt, double gs,
                        double trk, double vr, int sig)
{
    uint8_t f[ORBAT_MODES_LONG];
    size_t n = ORBAT_MODES_LONG;
    int32_t alt_ft = enc_alt(alt);
    struct orbat_modes_sbs sb = {0};
    sb.icao = a->id;
    sb.t_ms = t;
    enum orbat_err e = ORBAT_OK;
    switch (st) {
    case ST_ES_POS: {
        struct orbat_modes_enc_pos p = {a->id, 5, 11, 0, false, alt_ft, false, as->odd, lat, lon};
        as->odd = !as->odd;
        e = orbat_modes_enc_airpos(&p, f);
        sb.msg_type = 3;
        sb.has_alt = sb.has_pos = true;
        sb.alt_ft = alt_ft;
        sb.lat = lat;
        sb.lon = lon;
        break;
    }
    case ST_ES_VEL: {
        double ew = gs * sin(trk * SIM_DEG), ns = gs * cos(trk * SIM_DEG);
        struct orbat_modes_enc_vel v = {
            a->id, 5, (int16_t)lround(ew), (int16_t)lround(ns), (int32_t)lround(vr), true, 0, 1};
        e = orbat_modes_enc_velocity(&v, f);
        sb.msg_type = 4;
        sb.has_gs = sb.has_vr = true;
        sb.gs_kt = gs;
        sb.track_deg = trk;
        sb.vr_fpm = (int32_t)lround(vr);
        break;
    }
    case ST_ES_IDENT: {
        uint8_t set = (uint8_t)(a->category >> 4), num = (uint8_t)(a->category & 7);
        uint8_t tc = (uint8_t)(set >= 0xA && set <= 0xD ? 4 - (set - 0xA) : 4);
        e = orbat_modes_enc_ident(a->id, 5, tc, num, a->callsign, f);
        sb.msg_type = 1;
        sb.callsign = a->callsign;
        break;
    }
    case ST_SURV: {
        // Rotate DF11 all-call, DF4 altitude, DF5 identity, DF20/DF21 with BDS 2,0.
        uint8_t mb[7] = {0x20};
        unsigned k = as->surv++ % 5;
        if (k == 0) {
            e = orbat_modes_enc_allcall(a->id, 5, 0, f);
            n = ORBAT_MODES_SHORT;
            sb.msg_type = 8;
        } else if (k == 1 || k == 3) {
            e = orbat_modes_enc_altitude_reply(k == 1 ? 4 : 20, a->id, 0, 0, 0, alt_ft,
                                               k == 3 ? mb : NULL, f, &n);
            sb.msg_type = 5;
            sb.has_alt = true;
            sb.alt_ft = alt_ft;
        } else {
            uint16_t sq = a->squawk ? a->squawk : 2000;
            e = orbat_modes_enc_identity_reply(k == 2 ? 5 : 21, a->id, 0, 0, 0, sq,
                                               k == 4 ? mb : NULL, f, &n);
            sb.msg_type = 6;
            sb.has_squawk = true;
            sb.squawk = sq;
        }
        if (k == 3 || k == 4) {
            // BDS 2,0 in MB: register number then the 8 identification characters.
            uint8_t id[ORBAT_MODES_LONG];
            if (orbat_modes_enc_ident(a->id, 0, 4, 0, a->callsign, id) == ORBAT_OK) {
                memcpy(f + 4, (uint8_t[]){0x20, id[5], id[6], id[7], id[8], id[9], id[10]}, 7);
                uint32_t ap = orbat_modes_enc_crc(f, ORBAT_MODES_LONG) ^ a->id;
                f[11] = (uint8_t)(ap >> 16);
                f[12] = (uint8_t)(ap >> 8);
                f[13] = (uint8_t)ap;
            }
        }
        break;
    }
    default:
        return false;
    }
    if (e != ORBAT_OK) {
        R->st->encode_errors++;
        return false;
    }
    emit_frame(R, f, n, t, sig);
    emit_sbs(R, &sb);
    return true;
}

static int schedule(struct run *R, uint32_t idx, uint8_t stream, int64_t t)
{
    if (t > R->to_ms)
        return 0;
    struct ev e = {t, idx, stream};
    return heap_push(&R->h, e);
}

/* Handle one popped transmission opportunity; schedules the next one. */
static int step(struct run *R, struct ev e)
{
    const struct scenario *s = R->s;
    const struct sim_asset *a = &s->assets[e.asset];
    struct asset_state *as = &R->as[e.asset];
    int64_t t = e.t_ms;
    double lat, lon, alt, sog, cog;
    if (!sim_position(a, t, &lat, &lon, &alt, &sog, &cog))
        return 0; // past the end of the route
    bool ship = a->kind == SIM_SHIP;
    double scale = ship ? s->ais_scale : s->adsb_scale;
    double base = base_interval(a, (enum stream)e.stream, sog);
    if (e.stream == ST_AIS_STATIC)
        base = s->static_interval_s;
    double interval = base * scale;
    if (e.stream == ST_AIS_POS && s->ais_max_interval_s > 0 && interval > s->ais_max_interval_s)
        interval = s->ais_max_interval_s; // thinning keeps slow ships visible
    int64_t next = t + (int64_t)(jitter(R, interval) * 1000.0);
    if (e.stream == ST_ES_POS && scale > 1.0) {
        // Thinned positions still go out as an even/odd pair 0.5 s apart (a
        // transponder alternates them every 0.5 s, DO-260B 2.2.3.3.1), once every
        // two intervals: a receiver needs both formats within 10 s to decode the
        // position globally, and the mean rate stays 1 per interval.
        double gap = as->pair_next ? 2.0 * interval - 0.5 : 0.5;
        next = t + (int64_t)(jitter(R, gap) * 1000.0);
        as->pair_next = !as->pair_next;
    }
    if (!ship && alt < 50.0) {
        // On the ground: no airborne transmissions (and so nothing for the
        // archive writers either: they carry what the feeds carry); resume
        // at the next waypoint.
        size_t lo = 0, hi = a->nwp - 1;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (a->wp[mid].t_ms <= t)
                lo = mid;
            else
                hi = mid;
        }
        int64_t resume = a->wp[lo + 1].t_ms;
        if (resume > next)
            next = resume + (int64_t)(sim_rng_unit(&R->rng) * base * scale * 1000.0);
        return schedule(R, e.asset, e.stream, next);
    }
    if (!sim_transmitting(a, t)) {
        R->st->off++;
        return schedule(R, e.asset, e.stream, next);
    }
    R->st->transmissions++;
    int sig = receive(R, a, lat, lon);
    if (sig == 0)
        R->st->out_of_range++;
    else if (sig < 0)
        R->st->lost++;
    else if (ship && e.stream == ST_AIS_POS) {
        if (ais_pos(R, e.asset, as, t, lat, lon, sog, cog) < 0)
            return -1;
    } else if (ship)
        ais_static(R, a, as, t);
    else {
        double vr = sim_vrate_fpm(a, t);
        if (aircraft_tx(R, a, as, (enum stream)e.stream, t, lat, lon, alt, sog, cog, vr, sig) &&
            e.stream == ST_ES_POS && R->sink->fix) {
            struct sim_fix f = {a, e.asset, t, lat, lon, enc_alt(alt), false, sog, cog, vr, NULL};
            if (R->sink->fix(R->sink->ctx, &f) < 0)
                return -1;
        }
    }
    return schedule(R, e.asset, e.stream, next);
}

int sim_run(const struct scenario *s, const struct sim_opts *o, const struct sim_sink *sink,
            struct sim_stats *st)
{
    struct run R;
    memset(&R, 0, sizeof(R));
    memset(st, 0, sizeof(*st));
    R.s = s;
    R.sink = sink;
    R.st = st;
    R.from_ms = o && o->from_ms ? o->from_ms : s->start_ms;
    R.to_ms = o && o->to_ms ? o->to_ms : s->end_ms;
    sim_rng_seed(&R.rng, s->seed);
    R.as = calloc(s->nassets ? s->nassets : 1, sizeof(*R.as));
    if (!R.as)
        return -1;
    int rc = 0;
    for (uint32_t i = 0; i < s->nassets && rc == 0; i++) {
        const struct sim_asset *a = &s->assets[i];
        if (a->nwp < 2)
            continue;
        int64_t t0 = a->wp[0].t_ms > R.from_ms ? a->wp[0].t_ms : R.from_ms;
        static const uint8_t ship_streams[] = {ST_AIS_POS, ST_AIS_STATIC};
        static const uint8_t air_streams[] = {ST_ES_POS, ST_ES_VEL, ST_ES_IDENT, ST_SURV};
        const uint8_t *ss = a->kind == SIM_SHIP ? ship_streams : air_streams;
        size_t ns = a->kind == SIM_SHIP ? 2 : 4;
        double scale = a->kind == SIM_SHIP ? s->ais_scale : s->adsb_scale;
        for (size_t k = 0; k < ns && rc == 0; k++) {
            double phase = sim_rng_unit(&R.rng) * 2.0 * scale * 1000.0;
            rc = schedule(&R, i, ss[k], t0 + (int64_t)phase);
        }
    }
    while (rc == 0 && R.h.n > 0) {
        struct ev e = heap_pop(&R.h);
        rc = step(&R, e);
    }
    free(R.h.v);
    free(R.as);
    return rc;
}
