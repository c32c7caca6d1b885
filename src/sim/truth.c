/* SPDX-License-Identifier: BSD-2-Clause
 *
 * truth.c - the simulator's ground-truth file: what really happened in a
 * scenario, computed from the routes (not from the generated traffic), so
 * end-to-end tests can compare orbat's conclusions with it. Contents and
 * tolerances are documented in docs/simulator.md: order-of-battle counts on
 * chosen dates, theatre arrivals/departures, closest approaches, port
 * visits (3 km in / 4 km out by default), transponder-off gaps, manual
 * sightings, and the run's message counts. Marked "simulation": true.
 */
#include "sim/sim.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_util.h"

#define SHIP_STEP_MS 300000 /* route sampling step: ships 5 min */
#define AIR_STEP_MS  10000  /* aircraft 10 s */

static json_t *jtime(int64_t ms)
{
    char b[32];
    sim_format_time(ms, b, sizeof(b));
    return json_string(b);
}

static const struct sim_asset *find_asset(const struct scenario *s, const char *key)
{
    for (size_t i = 0; i < s->nassets; i++)
        if (!strcmp(s->assets[i].key, key))
            return &s->assets[i];
    return NULL;
}

static json_t *asset_ident(const struct sim_asset *a)
{
    json_t *o = json_object();
    char hex[8];
    json_object_set_new(o, "asset", json_string(a->key));
    json_object_set_new(o, "kind", json_string(a->kind == SIM_SHIP ? "ship" : "aircraft"));
    if (a->kind == SIM_SHIP) {
        json_object_set_new(o, "mmsi", json_integer(a->id));
    } else {
        snprintf(hex, sizeof(hex), "%06x", (unsigned)a->id);
        json_object_set_new(o, "icao", json_string(hex));
    }
    json_object_set_new(o, "name", json_string(a->name));
    return o;
}

static int64_t step_for(const struct sim_asset *a)
{
    return a->kind == SIM_SHIP ? SHIP_STEP_MS : AIR_STEP_MS;
}

static bool pos_at(const struct sim_asset *a, int64_t t, double *lat, double *lon)
{
    double alt, v, c;
    return sim_position(a, t, lat, lon, &alt, &v, &c);
}

static void theatre_moves(const struct scenario *s, const struct sim_asset *a, json_t *arrivals,
                          json_t *departures, json_t *info)
{
    if (a->nwp < 2)
        return;
    int64_t t0 = a->wp[0].t_ms, t1 = a->wp[a->nwp - 1].t_ms, dt = step_for(a);
    bool was_in = false, first = true;
    int64_t first_in = 0, last_in = 0;
    for (int64_t t = t0; t <= t1 + dt - 1; t += dt) {
        int64_t tt = t > t1 ? t1 : t;
        double lat, lon;
        if (!pos_at(a, tt, &lat, &lon))
            continue;
        bool in = sim_in_theatre(s, lat, lon);
        if (in && (first || !was_in)) {
            json_t *o = asset_ident(a);
            json_object_set_new(o, "t", jtime(tt));
            json_object_set_new(o, "lat", json_real(lat));
            json_object_set_new(o, "lon", json_real(lon));
            json_object_set_new(o, "at_route_start", json_boolean(first));
            json_array_append_new(arrivals, o);
            if (!first_in)
                first_in = tt;
        }
        if (!in && was_in && !first) {
            json_t *o = asset_ident(a);
            json_object_set_new(o, "t", jtime(tt));
            json_object_set_new(o, "lat", json_real(lat));
            json_object_set_new(o, "lon", json_real(lon));
            json_array_append_new(departures, o);
        }
        if (in)
            last_in = tt;
        was_in = in;
        first = false;
    }
    if (first_in) {
        json_object_set_new(info, "first_in_theatre", jtime(first_in));
        json_object_set_new(info, "last_in_theatre", jtime(last_in));
    }
}

static json_t *oob_at(const struct scenario *s, int64_t t)
{
    json_t *o = json_object(), *ships = json_array(), *air = json_array();
    unsigned nship = 0, nship_tx = 0, nair = 0;
    for (size_t i = 0; i < s->nassets; i++) {
        const struct sim_asset *a = &s->assets[i];
        double lat, lon;
        if (!a->military || !pos_at(a, t, &lat, &lon) || !sim_in_theatre(s, lat, lon))
            continue;
        if (a->kind == SIM_SHIP) {
            nship++;
            if (sim_transmitting(a, t))
                nship_tx++;
            json_array_append_new(ships, json_string(a->key));
        } else {
            nair++;
            json_array_append_new(air, json_string(a->key));
        }
    }
    char d[32];
    sim_format_time(t, d, sizeof(d));
    json_object_set_new(o, "as_of", json_string(d));
    json_object_set_new(o, "military_ships", json_integer(nship));
    json_object_set_new(o, "military_ships_broadcasting", json_integer(nship_tx));
    json_object_set_new(o, "military_aircraft_airborne", json_integer(nair));
    json_object_set_new(o, "ships", ships);
    json_object_set_new(o, "aircraft", air);
    return o;
}

static json_t *approach(const struct scenario *s, const struct sim_target *tg)
{
    const struct sim_asset *a = find_asset(s, tg->asset);
    if (!a || a->nwp < 2)
        return NULL;
    double best = 1e18, blat = 0, blon = 0;
    int64_t bt = 0, dt = step_for(a) / 10 > 1000 ? step_for(a) / 10 : 1000;
    for (int64_t t = a->wp[0].t_ms; t <= a->wp[a->nwp - 1].t_ms; t += dt) {
        double lat, lon;
        if (!pos_at(a, t, &lat, &lon))
            continue;
        double d = sim_dist_km(lat, lon, tg->lat, tg->lon);
        if (d < best) {
            best = d;
            bt = t;
            blat = lat;
            blon = lon;
        }
    }
    json_t *o = asset_ident(a);
    json_object_set_new(o, "target", json_string(tg->name));
    json_object_set_new(o, "target_lat", json_real(tg->lat));
    json_object_set_new(o, "target_lon", json_real(tg->lon));
    json_object_set_new(o, "closest_km", json_real(best));
    json_object_set_new(o, "closest_nm", json_real(best / SIM_NM_KM));
    json_object_set_new(o, "t", jtime(bt));
    json_object_set_new(o, "lat", json_real(blat));
    json_object_set_new(o, "lon", json_real(blon));
    json_object_set_new(o, "broadcasting", json_boolean(sim_transmitting(a, bt)));
    return o;
}

static void port_visits(const struct scenario *s, const struct sim_port *p, json_t *out)
{
    const struct sim_asset *a = find_asset(s, p->asset);
    if (!a || a->nwp < 2)
        return;
    bool in = false;
    int64_t arr = 0;
    const int64_t dt = 60000;
    for (int64_t t = a->wp[0].t_ms; t <= a->wp[a->nwp - 1].t_ms; t += dt) {
        double lat, lon;
        if (!pos_at(a, t, &lat, &lon))
            continue;
        double d = sim_dist_km(lat, lon, p->lat, p->lon);
        if (!in && d <= p->in_km) {
            in = true;
            arr = t;
        } else if (in && d > p->out_km) {
            json_t *o = asset_ident(a);
            json_object_set_new(o, "port", json_string(p->name));
            json_object_set_new(o, "arrival", jtime(arr));
            json_object_set_new(o, "departure", jtime(t));
            json_object_set_new(o, "hours", json_real((double)(t - arr) / 3600000.0));
            json_array_append_new(out, o);
            in = false;
        }
    }
    if (in) {
        json_t *o = asset_ident(a);
        json_object_set_new(o, "port", json_string(p->name));
        json_object_set_new(o, "arrival", jtime(arr));
        json_object_set_new(o, "departure", json_null());
        json_array_append_new(out, o);
    }
}

static void gaps(const struct sim_asset *a, json_t *out)
{
    for (size_t i = 0; i < a->noff; i++) {
        const struct sim_span *g = &a->off[i];
        json_t *o = asset_ident(a);
        double lat, lon;
        json_object_set_new(o, "from", jtime(g->from_ms));
        json_object_set_new(o, "to", jtime(g->to_ms));
        json_object_set_new(o, "hours", json_real((double)(g->to_ms - g->from_ms) / 3600000.0));
        if (pos_at(a, g->from_ms, &lat, &lon)) {
            json_object_set_new(o, "lat_from", json_real(lat));
            json_object_set_new(o, "lon_from", json_real(lon));
        }
        if (pos_at(a, g->to_ms, &lat, &lon)) {
            json_object_set_new(o, "lat_to", json_real(lat));
            json_object_set_new(o, "lon_to", json_real(lon));
        }
        json_array_append_new(out, o);
    }
}

int sim_truth_write(const struct scenario *s, const struct sim_stats *st, FILE *f)
{
    json_t *root = json_object();
    json_object_set_new(root, "simulation", json_true());
    json_object_set_new(root, "notice",
                        json_string("SIMULATED DATA generated by orbat simulate; not a recording "
                                    "of real broadcasts"));
    json_object_set_new(root, "scenario", json_string(s->name));
    json_object_set_new(root, "seed", json_integer((json_int_t)s->seed));
    json_object_set_new(root, "start", jtime(s->start_ms));
    json_object_set_new(root, "end", jtime(s->end_ms));
    json_object_set_new(root, "theatre", json_string(s->theatre_name));
    json_object_set_new(root, "beast_timestamp",
                        json_string("12 MHz ticks since start (48-bit, wraps after 271 days)"));
    json_t *tol = json_object();
    json_object_set_new(tol, "route_sampling_s_ships", json_integer(SHIP_STEP_MS / 1000));
    json_object_set_new(tol, "route_sampling_s_aircraft", json_integer(AIR_STEP_MS / 1000));
    json_object_set_new(tol, "distance", json_string("spherical Earth, ~0.5 %"));
    json_object_set_new(root, "sampling", tol);
    if (s->sources_json) {
        json_t *src = json_loads(s->sources_json, 0, NULL);
        if (src)
            json_object_set_new(root, "sources", src);
    }
    json_t *rx = json_array();
    for (size_t i = 0; i < s->nrx; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(s->rx[i].name));
        json_object_set_new(o, "lat", json_real(s->rx[i].lat));
        json_object_set_new(o, "lon", json_real(s->rx[i].lon));
        json_object_set_new(o, "range_km", json_real(s->rx[i].range_km));
        json_object_set_new(o, "loss", json_real(s->rx[i].loss));
        json_object_set_new(o, "ais", json_boolean(s->rx[i].ais));
        json_object_set_new(o, "adsb", json_boolean(s->rx[i].adsb));
        json_array_append_new(rx, o);
    }
    json_object_set_new(root, "receivers", rx);
    json_t *assets = json_array(), *arrivals = json_array(), *departures = json_array(),
           *gap = json_array();
    unsigned nbg_ship = 0, nbg_air = 0;
    for (size_t i = 0; i < s->nassets; i++) {
        const struct sim_asset *a = &s->assets[i];
        if (a->background) {
            if (a->kind == SIM_SHIP)
                nbg_ship++;
            else
                nbg_air++;
            continue;
        }
        json_t *o = asset_ident(a);
        json_object_set_new(o, "callsign", json_string(a->callsign));
        json_object_set_new(o, "type", json_string(a->type));
        if (a->hull[0])
            json_object_set_new(o, "hull", json_string(a->hull));
        json_object_set_new(o, "military", json_boolean(a->military));
        json_object_set_new(o, "transponder", json_string(a->transponder_off ? "off" : "on"));
        json_object_set_new(o, "route_start", jtime(a->wp[0].t_ms));
        json_object_set_new(o, "route_end", jtime(a->wp[a->nwp - 1].t_ms));
        if (a->military)
            theatre_moves(s, a, arrivals, departures, o);
        gaps(a, gap);
        json_array_append_new(assets, o);
    }
    json_object_set_new(root, "assets", assets);
    json_t *bg = json_object();
    json_object_set_new(bg, "ships", json_integer(nbg_ship));
    json_object_set_new(bg, "aircraft", json_integer(nbg_air));
    json_object_set_new(root, "background", bg);
    json_t *oob = json_array();
    for (size_t i = 0; i < s->noob; i++)
        json_array_append_new(oob, oob_at(s, s->oob_ms[i]));
    json_object_set_new(root, "order_of_battle", oob);
    json_object_set_new(root, "arrivals", arrivals);
    json_object_set_new(root, "departures", departures);
    json_object_set_new(root, "transponder_gaps", gap);
    json_t *ap = json_array();
    for (size_t i = 0; i < s->ntargets; i++) {
        json_t *o = approach(s, &s->targets[i]);
        if (o)
            json_array_append_new(ap, o);
    }
    json_object_set_new(root, "approaches", ap);
    json_t *pv = json_array();
    for (size_t i = 0; i < s->nports; i++)
        port_visits(s, &s->ports[i], pv);
    json_object_set_new(root, "port_visits", pv);
    json_t *sg = json_array();
    for (size_t i = 0; i < s->nsightings; i++) {
        const struct sim_sighting *x = &s->sightings[i];
        json_t *o = json_object();
        const struct sim_asset *a = find_asset(s, x->asset);
        json_object_set_new(o, "asset", json_string(x->asset));
        if (a) {
            json_object_set_new(o, "name", json_string(a->name));
            if (a->hull[0])
                json_object_set_new(o, "hull", json_string(a->hull));
        }
        json_object_set_new(o, "t", jtime(x->t_ms));
        json_object_set_new(o, "lat", json_real(x->lat));
        json_object_set_new(o, "lon", json_real(x->lon));
        json_object_set_new(o, "source", json_string(x->source));
        json_object_set_new(o, "url", json_string(x->url));
        json_object_set_new(o, "note", json_string(x->note));
        json_array_append_new(sg, o);
    }
    json_object_set_new(root, "sightings", sg);
    if (st) {
        json_t *c = json_object();
        json_object_set_new(c, "transmissions", json_integer((json_int_t)st->transmissions));
        json_object_set_new(c, "transponder_off", json_integer((json_int_t)st->off));
        json_object_set_new(c, "out_of_range", json_integer((json_int_t)st->out_of_range));
        json_object_set_new(c, "lost", json_integer((json_int_t)st->lost));
        json_object_set_new(c, "ais_messages", json_integer((json_int_t)st->ais_messages));
        json_object_set_new(c, "ais_sentences", json_integer((json_int_t)st->ais_sentences));
        json_object_set_new(c, "modes_frames", json_integer((json_int_t)st->modes_frames));
        json_object_set_new(c, "sbs_lines", json_integer((json_int_t)st->sbs_lines));
        json_object_set_new(root, "counts", c);
    }
    int rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_REAL_PRECISION(9));
    if (rc == 0 && fputc('\n', f) == EOF)
        rc = -1;
    json_decref(root);
    return rc == 0 ? 0 : -1;
}

/* Tabs and newlines would break the TSV: write them as spaces. */
static void tsv_field(FILE *f, const char *v)
{
    for (; *v; v++)
        fputc(*v == '\t' || *v == '\n' || *v == '\r' ? ' ' : *v, f);
}

int sim_sightings_write(const struct scenario *s, FILE *f)
{
    fputs("name\ttime\tlat\tlon\tsource\tnote\n", f);
    for (size_t i = 0; i < s->nsightings; i++) {
        const struct sim_sighting *x = &s->sightings[i];
        const struct sim_asset *a = find_asset(s, x->asset);
        char t[32];
        sim_format_time(x->t_ms, t, sizeof(t));
        tsv_field(f, a ? (a->hull[0] ? a->hull : a->name) : x->asset);
        fprintf(f, "\t%s\t%.5f\t%.5f\t", t, x->lat, x->lon);
        tsv_field(f, x->url[0] ? x->url : x->source);
        fputs("\tSIMULATED scenario sighting: ", f);
        tsv_field(f, x->note);
        fputs(" (", f);
        tsv_field(f, x->source);
        fputs(")\n", f);
    }
    return ferror(f) ? -1 : 0;
}
