/* SPDX-License-Identifier: BSD-2-Clause
 *
 * pipeline.c - raw bytes -> framing -> decoders -> struct obs; see
 * pipeline.h. Conversion to common units happens here, at the edge:
 * the decoders keep raw ITU / DO-260B units.
 *
 * Mode S address/parity formats (DF0/4/5/16/20/21) carry no checkable
 * address: like dump1090 we accept them only for an address seen with good
 * parity (DF11/17/18) in the last minute; the rest are counted as
 * unverified and dropped.
 */
#include "core/pipeline.h"

#include "feed/aisstream_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/detect.h"
#include "core/modes_clock.h"
#include "orbat/ais.h"
#include "orbat/modes.h"
#include "orbat/modes_frame.h"
#include "util/input.h"
#include "util/linebuf.h"

#define KNOWN_SLOTS  8192 /* power of two */
#define KNOWN_PROBE  8
#define KNOWN_TTL_MS 60000
#define CHUNK        (1 << 17)
#define DETECT_BYTES 1024 /* bytes gathered before guessing a source's framing */

struct known_addr {
    uint32_t addr; /* 0 = empty slot (address 000000 is not assigned) */
    int64_t seen_ms;
};

struct pipeline {
    struct pipeline_opts opts;
    pipeline_cb cb;
    void *ctx;
    struct pipeline_stats st;
    enum pipeline_input cur; /* framing of the current source */
    char source[256];
    uint64_t line_no;  /* text sources: lines seen */
    uint64_t byte_off; /* bytes fed in the current source */
    /* time */
    int64_t last_ms;        /* last time assigned in this source */
    bool last_abs;          /* last_ms is absolute */
    struct modes_clock clk; /* 12 MHz counter -> time, per source */
    size_t ndetect;
    bool saw_sync;     /* a 0x1a byte was seen while detecting */
    bool comment_line; /* the line being scanned for detection starts with '#' */
    size_t line_start; /* offset of that line in the detection prefix */
    bool simulated;    /* the source declared itself a simulation */
    uint8_t detect[DETECT_BYTES];
    struct linebuf lb;
    struct orbat_ais_reasm reasm;
    struct orbat_ais_msg amsg;
    struct orbat_beast beast;
    struct orbat_modes_msg mmsg;
    char rawhex[64];
    struct known_addr known[KNOWN_SLOTS];
};

/* ---- known Mode S addresses (bounded open addressing) ----------------- */

static uint32_t addr_hash(uint32_t a)
{
    a ^= a >> 13;
    a *= 0x5bd1e995u;
    a ^= a >> 15;
    return a & (KNOWN_SLOTS - 1);
}

static void known_add(struct pipeline *p, uint32_t addr, int64_t t)
{
    if (!addr)
        return;
    uint32_t h = addr_hash(addr), oldest = h;
    for (unsigned i = 0; i < KNOWN_PROBE; i++) {
        uint32_t k = (h + i) & (KNOWN_SLOTS - 1);
        if (p->known[k].addr == addr || p->known[k].addr == 0) {
            p->known[k].addr = addr;
            p->known[k].seen_ms = t;
            return;
        }
        if (p->known[k].seen_ms < p->known[oldest].seen_ms)
            oldest = k;
    }
    p->known[oldest].addr = addr;
    p->known[oldest].seen_ms = t;
}

static bool known_has(void *ctx, uint32_t addr)
{
    struct pipeline *p = ctx;
    uint32_t h = addr_hash(addr);
    for (unsigned i = 0; i < KNOWN_PROBE; i++) {
        const struct known_addr *k = &p->known[(h + i) & (KNOWN_SLOTS - 1)];
        if (k->addr == addr) {
            int64_t age = p->last_ms - k->seen_ms;
            return age < KNOWN_TTL_MS && age > -KNOWN_TTL_MS;
        }
        if (k->addr == 0)
            return false;
    }
    return false;
}

/* ---- lifecycle -------------------------------------------------------- */

struct pipeline *pipeline_new(const struct pipeline_opts *opts, pipeline_cb cb, void *ctx)
{
    struct pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (opts)
        p->opts = *opts;
    p->cb = cb;
    p->ctx = ctx;
    orbat_ais_reasm_init(&p->reasm);
    orbat_beast_init(&p->beast);
    linebuf_init(&p->lb);
    p->cur = p->opts.input;
    return p;
}

void pipeline_free(struct pipeline *p)
{
    free(p);
}

const struct pipeline_stats *pipeline_get_stats(const struct pipeline *p)
{
    return &p->st;
}

static void reject(struct pipeline *p, int err)
{
    p->st.rejected++;
    unsigned i = err < 0 ? (unsigned)-err : 0;
    if (i < PIPELINE_REASONS)
        p->st.by_reason[i]++;
}

static void obs_init(struct pipeline *p, struct obs *o, enum obs_kind kind, uint32_t id)
{
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->id = id;
    o->t_ms = p->last_ms;
    if (!p->last_abs && !p->clk.have_ts0 && p->opts.start_ms) {
        o->t_ms = p->opts.start_ms; // no time in the data yet: dated --start
    } else if (!p->last_abs)
        o->flags |= OBS_F_RELTIME;
    if (p->simulated)
        o->flags |= OBS_F_SIMULATED;
    o->source = p->source;
}

static void emit(struct pipeline *p, const struct obs *o)
{
    p->st.obs++;
    p->cb(p->ctx, o);
}

/* ---- AIS -------------------------------------------------------------- */

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* lat/lon in 1/10000 min (types 1-4, 9, 11, 18, 19, 21) or 1/10 min (27). */
static void ais_pos(struct obs *o, int32_t lon, int32_t lat, double div)
{
    double dlon = lon / div, dlat = lat / div;
    if (dlon < -180.0 || dlon > 180.0 || dlat < -90.0 || dlat > 90.0)
        return; // includes the 181/91 "not available" sentinels
    o->lat = dlat;
    o->lon = dlon;
    o->has |= OBS_HAS_POS;
}

static void ais_motion(struct obs *o, unsigned speed, unsigned course, unsigned heading)
{
    if (speed < 1023) {
        o->sog_kn = speed / 10.0;
        o->has |= OBS_HAS_SOG;
    }
    if (course < 3600) {
        o->cog_deg = course / 10.0;
        o->has |= OBS_HAS_COG;
    }
    if (heading < 360) {
        o->hdg_deg = heading;
        o->has |= OBS_HAS_HDG;
    }
}

static void ais_name(struct obs *o, const char *name)
{
    if (name[0]) {
        copy_str(o->name, sizeof o->name, name);
        o->has |= OBS_HAS_NAME;
    }
}

static void ais_callsign(struct obs *o, const char *cs)
{
    if (cs[0]) {
        copy_str(o->callsign, sizeof o->callsign, cs);
        o->has |= OBS_HAS_CALLSIGN;
    }
}

static void ais_dims(struct obs *o, unsigned bow, unsigned stern, unsigned port, unsigned stbd)
{
    if (bow + stern && port + stbd) {
        o->length_m = (uint16_t)(bow + stern);
        o->beam_m = (uint16_t)(port + stbd);
        o->has |= OBS_HAS_DIM;
    }
}

static void ais_shiptype(struct obs *o, unsigned t)
{
    if (t) {
        o->ship_type = (uint8_t)t;
        o->has |= OBS_HAS_SHIPTYPE;
    }
}

static void ais_to_obs(struct pipeline *p, const struct orbat_ais_msg *m, const char *raw,
                       size_t raw_len)
{
    if (!strcmp(m->tag.source, PIPELINE_SIM_MARK))
        p->simulated = true;
    if (m->tag.has_time) {
        p->last_ms = m->tag.time_ms;
        p->last_abs = true;
    }
    struct obs o;
    obs_init(p, &o, OBS_SHIP, m->mmsi);
    o.msg_type = m->type;
    o.raw = raw;
    o.raw_len = raw_len;
    o.source_offset = p->line_no;
    switch (m->type) {
    case 1:
    case 2:
    case 3:
        ais_pos(&o, m->u.pos.lon, m->u.pos.lat, 600000.0);
        ais_motion(&o, m->u.pos.speed, m->u.pos.course, m->u.pos.heading);
        o.nav_status = m->u.pos.status;
        o.has |= OBS_HAS_NAVSTATUS;
        break;
    case 4:
    case 11:
        o.flags |= OBS_F_BASE;
        ais_pos(&o, m->u.base.lon, m->u.base.lat, 600000.0);
        break;
    case 5:
        o.flags |= OBS_F_STATIC;
        ais_name(&o, m->u.stat.shipname);
        ais_callsign(&o, m->u.stat.callsign);
        ais_shiptype(&o, m->u.stat.shiptype);
        if (m->u.stat.imo) {
            o.imo = m->u.stat.imo;
            o.has |= OBS_HAS_IMO;
        }
        if (m->u.stat.destination[0]) {
            copy_str(o.destination, sizeof o.destination, m->u.stat.destination);
            o.has |= OBS_HAS_DEST;
        }
        ais_dims(&o, m->u.stat.to_bow, m->u.stat.to_stern, m->u.stat.to_port,
                 m->u.stat.to_starboard);
        break;
    case 9:
        ais_pos(&o, m->u.sar.lon, m->u.sar.lat, 600000.0);
        ais_motion(&o, m->u.sar.speed < 1023 ? m->u.sar.speed * 10u : 1023, m->u.sar.course, 511);
        if (m->u.sar.alt < 4095) {
            o.alt_ft = (int32_t)(m->u.sar.alt * 3.28084 + 0.5);
            o.has |= OBS_HAS_ALT;
        }
        break;
    case 18:
    case 19:
        o.flags |= OBS_F_CLASS_B;
        ais_pos(&o, m->u.cb.lon, m->u.cb.lat, 600000.0);
        ais_motion(&o, m->u.cb.speed, m->u.cb.course, m->u.cb.heading);
        if (m->type == 19) {
            o.flags |= OBS_F_STATIC;
            ais_name(&o, m->u.cb.shipname);
            ais_shiptype(&o, m->u.cb.shiptype);
            ais_dims(&o, m->u.cb.to_bow, m->u.cb.to_stern, m->u.cb.to_port, m->u.cb.to_starboard);
        }
        break;
    case 21:
        o.flags |= OBS_F_BASE | OBS_F_STATIC;
        ais_pos(&o, m->u.aton.lon, m->u.aton.lat, 600000.0);
        ais_name(&o, m->u.aton.name);
        break;
    case 24:
        o.flags |= OBS_F_STATIC | OBS_F_CLASS_B;
        if (m->u.sb.part == 0) {
            ais_name(&o, m->u.sb.shipname);
        } else {
            ais_shiptype(&o, m->u.sb.shiptype);
            ais_callsign(&o, m->u.sb.callsign);
            if (!m->u.sb.auxiliary)
                ais_dims(&o, m->u.sb.to_bow, m->u.sb.to_stern, m->u.sb.to_port,
                         m->u.sb.to_starboard);
        }
        break;
    case 27:
        ais_pos(&o, m->u.lr.lon, m->u.lr.lat, 600.0);
        ais_motion(&o, m->u.lr.speed < 63 ? m->u.lr.speed * 10u : 1023,
                   m->u.lr.course < 360 ? m->u.lr.course * 10u : 3600, 511);
        o.nav_status = m->u.lr.status;
        o.has |= OBS_HAS_NAVSTATUS;
        break;
    default:
        break;
    }
    emit(p, &o);
}

static void nmea_line(struct pipeline *p, const char *line, size_t len)
{
    size_t off = 0, n;
    p->line_no++;
    bool any = false;
    while ((n = orbat_ais_next_piece(line, len, &off)) > 0) {
        any = true;
        int rc = orbat_ais_feed_line(&p->reasm, line + off, n, &p->amsg);
        off += n;
        if (rc == ORBAT_OK) {
            p->st.ais_messages++;
            ais_to_obs(p, &p->amsg, p->amsg.raw, p->amsg.raw_len);
        } else if (rc == ORBAT_E_UNSUPPORTED) {
            p->st.other_lines++;
        } else if (rc < 0) {
            reject(p, rc);
        }
    }
    if (!any && len)
        p->st.other_lines++;
}

/* ---- Mode S ----------------------------------------------------------- */

static void frame_time(struct pipeline *p, const struct orbat_modes_frame *f)
{
    if (!f->has_ts)
        return;
    // The first counter of a source is --start, or else the last time seen.
    if (p->opts.start_ms)
        p->last_ms = modes_clock_time(&p->clk, f->ts_12mhz, p->opts.start_ms, true, &p->last_abs);
    else
        p->last_ms = modes_clock_time(&p->clk, f->ts_12mhz, p->last_ms, p->last_abs, &p->last_abs);
}

static uint8_t obs_category(const struct orbat_modes_msg *m)
{
    // 'A' (TC4) .. 'D' (TC1) -> 0xA0 .. 0xD0, plus the number.
    return (uint8_t)(((0xA + (m->category_set - 'A')) << 4) | (m->category & 7));
}

static void modes_to_obs(struct pipeline *p, const struct orbat_modes_msg *m)
{
    struct obs o;
    obs_init(p, &o, OBS_AIRCRAFT, m->addr);
    o.msg_type = m->df;
    o.source_offset = p->byte_off;
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < m->len; i++) {
        p->rawhex[2 * i] = hex[m->raw[i] >> 4];
        p->rawhex[2 * i + 1] = hex[m->raw[i] & 15];
    }
    p->rawhex[2 * m->len] = 0;
    o.raw = p->rawhex;
    o.raw_len = 2u * m->len;
    if (m->has & ORBAT_MODES_HAS_ME)
        o.tc = m->tc;
    if (m->has & ORBAT_MODES_HAS_ALT) {
        o.alt_ft = m->alt_ft;
        o.has |= OBS_HAS_ALT;
    }
    if (m->has & ORBAT_MODES_HAS_SQUAWK) {
        o.squawk = m->squawk;
        o.has |= OBS_HAS_SQUAWK;
        if (m->squawk == 7500 || m->squawk == 7600 || m->squawk == 7700)
            o.flags |= OBS_F_EMERGENCY;
    }
    if ((m->has & ORBAT_MODES_HAS_EMERGENCY) && m->emergency_state)
        o.flags |= OBS_F_EMERGENCY;
    if (m->has & ORBAT_MODES_HAS_CALLSIGN) {
        copy_str(o.callsign, sizeof o.callsign, m->callsign);
        o.has |= OBS_HAS_CALLSIGN;
        o.flags |= OBS_F_STATIC;
    } else if ((m->has & ORBAT_MODES_HAS_MB) && (m->commb.has & ORBAT_MODES_CB_CALLSIGN)) {
        copy_str(o.callsign, sizeof o.callsign, m->commb.callsign);
        o.has |= OBS_HAS_CALLSIGN;
    }
    if (m->has & ORBAT_MODES_HAS_CATEGORY) {
        o.category = obs_category(m);
        o.has |= OBS_HAS_CATEGORY;
    }
    if (m->has & ORBAT_MODES_HAS_CPR) {
        o.cpr_lat = m->cpr_lat;
        o.cpr_lon = m->cpr_lon;
        o.cpr_odd = m->cpr_odd;
        o.has |= OBS_HAS_CPR;
        if (m->cpr_surface)
            o.flags |= OBS_F_SURFACE;
    }
    if (m->has & ORBAT_MODES_HAS_GS) {
        o.sog_kn = m->gs_kt;
        o.has |= OBS_HAS_SOG;
    }
    if (m->has & ORBAT_MODES_HAS_TRACK) {
        o.cog_deg = m->track_deg;
        o.has |= OBS_HAS_COG;
    }
    if (m->has & ORBAT_MODES_HAS_HEADING) {
        o.hdg_deg = m->heading_deg;
        o.has |= OBS_HAS_HDG;
    }
    if (m->has & ORBAT_MODES_HAS_VR) {
        o.vr_fpm = m->vr_fpm;
        o.has |= OBS_HAS_VR;
    }
    if (m->df == 19)
        o.flags |= OBS_F_DF19;
    switch (m->addr_type) {
    case ORBAT_MODES_AT_TISB_ICAO:
    case ORBAT_MODES_AT_ADSR_ICAO:
        o.flags |= OBS_F_TISB;
        break;
    case ORBAT_MODES_AT_ADSB_OTHER:
    case ORBAT_MODES_AT_ADSR_OTHER:
    case ORBAT_MODES_AT_TISB_TRACKFILE:
    case ORBAT_MODES_AT_TISB_OTHER:
        o.flags |= OBS_F_ANON | ((m->addr_type == ORBAT_MODES_AT_ADSB_OTHER) ? 0 : OBS_F_TISB);
        break;
    default:
        break;
    }
    emit(p, &o);
}

static void modes_frame(struct pipeline *p, const struct orbat_modes_frame *f)
{
    frame_time(p, f);
    if (f->kind == ORBAT_FRAME_MODEAC) {
        p->st.modeac++;
        return;
    }
    if (f->len != ORBAT_MODES_SHORT_LEN && f->len != ORBAT_MODES_LONG_LEN) {
        reject(p, ORBAT_E_BITCOUNT);
        return;
    }
    struct orbat_modes_opts mo = {
        .fix_1bit = p->opts.fix1bit, .addr_known = known_has, .addr_ctx = p};
    enum orbat_err rc = orbat_modes_decode(f->data, f->len, &mo, &p->mmsg);
    const struct orbat_modes_msg *m = &p->mmsg;
    if (rc != ORBAT_OK) {
        reject(p, rc);
        return;
    }
    if (m->addr_src == ORBAT_MODES_ADDR_AA) {
        if (!m->crc_ok) {
            reject(p, ORBAT_E_CRC);
            return;
        }
        // DF11: a non-zero remainder is an interrogator code, which 127 of
        // 2^24 corrupt frames also show; such a reply counts only from an
        // address already confirmed, and only II = 0 confirms one
        // (dump1090-fa, readsb; docs/modes.md "DF11"). DF18 non-ICAO
        // addresses are not a transponder's own.
        if (m->df == 11 && m->crc != 0 && !m->addr_known) {
            p->st.unverified++;
            return;
        }
        if ((m->df == 11 && m->crc == 0) || m->df == 17 ||
            (m->df == 18 && m->addr_type == ORBAT_MODES_AT_ADSB_ICAO_NT))
            known_add(p, m->addr, p->last_ms);
    } else if (!m->addr_known) {
        p->st.unverified++;
        return;
    }
    p->st.modes_frames++;
    modes_to_obs(p, m);
}

static void sbs_line(struct pipeline *p, const char *line, size_t len)
{
    struct orbat_sbs s;
    p->line_no++;
    int rc = orbat_sbs_parse(line, len, &s);
    if (rc != ORBAT_OK) {
        reject(p, rc);
        return;
    }
    if (s.type != ORBAT_SBS_MSG || !(s.has & ORBAT_SBS_ICAO)) {
        p->st.other_lines++;
        return;
    }
    if (s.has & ORBAT_SBS_TIME_GEN) {
        p->last_ms = s.t_gen_ms;
        p->last_abs = true;
    }
    p->st.modes_frames++;
    struct obs o;
    obs_init(p, &o, OBS_AIRCRAFT, s.icao);
    o.msg_type = 0;
    o.raw = line;
    o.raw_len = len;
    o.source_offset = p->line_no;
    if (s.icao_nonicao)
        o.flags |= OBS_F_ANON | OBS_F_TISB;
    if (s.has & ORBAT_SBS_CALLSIGN) {
        copy_str(o.callsign, sizeof o.callsign, s.callsign);
        o.has |= OBS_HAS_CALLSIGN;
        o.flags |= OBS_F_STATIC;
    }
    if (s.has & ORBAT_SBS_ALT) {
        o.alt_ft = s.alt_ft;
        o.has |= OBS_HAS_ALT;
    }
    if (s.has & ORBAT_SBS_GS) {
        o.sog_kn = s.gs_kt;
        o.has |= OBS_HAS_SOG;
    }
    if (s.has & ORBAT_SBS_TRACK) {
        o.cog_deg = s.track_deg;
        o.has |= OBS_HAS_COG;
    }
    if (s.has & ORBAT_SBS_POS) {
        o.lat = s.lat;
        o.lon = s.lon;
        o.has |= OBS_HAS_POS;
    }
    if (s.has & ORBAT_SBS_VR) {
        o.vr_fpm = s.vr_fpm;
        o.has |= OBS_HAS_VR;
    }
    if (s.has & ORBAT_SBS_SQUAWK) {
        o.squawk = s.squawk;
        o.has |= OBS_HAS_SQUAWK;
    }
    if ((s.has & ORBAT_SBS_EMERGENCY) && s.emergency)
        o.flags |= OBS_F_EMERGENCY;
    if ((s.has & ORBAT_SBS_GROUND) && s.ground)
        o.flags |= OBS_F_SURFACE;
    emit(p, &o);
}

static void avr_line(struct pipeline *p, const char *line, size_t len)
{
    struct orbat_modes_frame f;
    p->line_no++;
    int rc = orbat_avr_parse(line, len, &f);
    if (rc != ORBAT_OK) {
        if (len)
            reject(p, rc);
        return;
    }
    modes_frame(p, &f);
}

/* A timed Mode S line of `orbat publish`: "<unix ms> <AVR line>", the
 * time resolved by the publisher (a Beast frame's counter, or its receive
 * time). The frame's own counter, if any, is not used again. */
static void timed_line(struct pipeline *p, const char *line, size_t len)
{
    struct orbat_modes_frame f;
    p->line_no++;
    size_t i = 0;
    int64_t t = 0;
    while (i < len && i < 15 && line[i] >= '0' && line[i] <= '9')
        t = t * 10 + (line[i++] - '0');
    if (i == 0 || i == 15 || i >= len || line[i] != ' ') {
        reject(p, ORBAT_E_SYNTAX);
        return;
    }
    i++;
    int rc = orbat_avr_parse(line + i, len - i, &f);
    if (rc != ORBAT_OK) {
        reject(p, rc);
        return;
    }
    f.has_ts = false;
    p->last_ms = t;
    p->last_abs = true;
    modes_frame(p, &f);
}

/* A '#' line is a comment in every text framing; one that says SIMULATION
 * (orbat simulate's header) marks the whole source as simulated. */
static bool comment_line(struct pipeline *p, const char *line, size_t len)
{
    if (!len || line[0] != '#')
        return false;
    p->line_no++;
    p->st.other_lines++;
    size_t k = sizeof PIPELINE_SIM_MARK - 1;
    for (size_t i = 1; i + k <= len; i++)
        if (!memcmp(line + i, PIPELINE_SIM_MARK, k)) {
            p->simulated = true;
            break;
        }
    return true;
}

/* An aisstream.io JSON message (a live aisstream feed's spool file): the
 * same observation as the NMEA sentence it was decoded from, with the JSON
 * itself as the raw evidence. */
static void aisstream_line(struct pipeline *p, const char *line, size_t len)
{
    p->line_no++;
    int rc = aisstream_parse(line, len, &p->amsg, NULL, 0);
    if (rc == ORBAT_OK) {
        p->st.ais_messages++;
        ais_to_obs(p, &p->amsg, line, len);
    } else if (rc == ORBAT_E_UNSUPPORTED) {
        p->st.other_lines++;
    } else {
        reject(p, rc);
    }
}

static void on_line(void *ctx, const char *line, size_t len)
{
    struct pipeline *p = ctx;
    if (comment_line(p, line, len))
        return;
    if (len && line[0] == '{' && aisstream_line_is(line, len)) {
        aisstream_line(p, line, len);
        return;
    }
    enum pipeline_input k = p->cur;
    // Detected text framings are chosen per line, so a file that mixes
    // NMEA with AVR or SBS lines loses none of them.
    if (p->opts.input == PIPE_AUTO)
        k = detect_line((const uint8_t *)line, len, true, k);
    switch (k) {
    case PIPE_AVR:
        avr_line(p, line, len);
        break;
    case PIPE_SBS:
        sbs_line(p, line, len);
        break;
    case PIPE_TIMED:
        timed_line(p, line, len);
        break;
    default:
        nmea_line(p, line, len);
        break;
    }
}

/* ---- feeding ---------------------------------------------------------- */

static void feed_framed(struct pipeline *p, const uint8_t *buf, size_t n);

void pipeline_feed(struct pipeline *p, const uint8_t *buf, size_t n, const char *source)
{
    if (source && strcmp(source, p->source) != 0)
        copy_str(p->source, sizeof p->source, source);
    if (!n)
        return;
    p->st.bytes += n;
    if (p->cur != PIPE_AUTO) {
        feed_framed(p, buf, n);
        return;
    }
    // Guess the framing from a prefix of the source so that the result does
    // not depend on how it is chunked: text (no 0x1a before the first
    // newline) is decided on its first line, so a live feed is not held
    // back; binary on its first DETECT_BYTES (or all of it, if shorter).
    size_t k = DETECT_BYTES - p->ndetect, decide = 0;
    if (k > n)
        k = n;
    for (size_t i = 0; i < k; i++) {
        size_t at = p->ndetect + i; // position in the source
        if (buf[i] == 0x1a)
            p->saw_sync = true;
        if (buf[i] != '\n') {
            if (at == p->line_start && buf[i] == '#')
                p->comment_line = true;
            continue;
        }
        // Comment and empty lines (a "# SIMULATION ..." header) do not decide.
        bool content = !p->comment_line && at > p->line_start;
        p->line_start = at + 1;
        p->comment_line = false;
        if (content && !p->saw_sync) {
            decide = at + 1;
            k = i + 1;
            break;
        }
    }
    memcpy(p->detect + p->ndetect, buf, k);
    p->ndetect += k;
    if (!decide && p->ndetect == DETECT_BYTES)
        decide = DETECT_BYTES;
    if (!decide)
        return;
    p->cur = detect_input(p->detect, decide);
    p->ndetect = 0;
    p->saw_sync = false;
    p->line_start = 0;
    p->comment_line = false;
    feed_framed(p, p->detect, decide);
    if (n > k)
        feed_framed(p, buf + k, n - k);
}

static void feed_framed(struct pipeline *p, const uint8_t *buf, size_t n)
{
    if (p->cur != PIPE_BEAST) {
        p->byte_off += n;
        linebuf_feed(&p->lb, (const char *)buf, n, on_line, p);
        return;
    }
    size_t off = 0;
    while (off < n) {
        size_t used = 0;
        struct orbat_modes_frame f;
        int rc = orbat_beast_next(&p->beast, buf + off, n - off, &used, &f);
        off += used;
        p->byte_off += used;
        if (rc == ORBAT_OK)
            modes_frame(p, &f);
        else if (rc == ORBAT_AGAIN || used == 0)
            break;
    }
}

void pipeline_end_source(struct pipeline *p)
{
    if (p->cur == PIPE_AUTO && p->ndetect) {
        p->cur = detect_input(p->detect, p->ndetect);
        feed_framed(p, p->detect, p->ndetect);
        p->ndetect = 0;
        p->saw_sync = false;
        p->line_start = 0;
        p->comment_line = false;
    }
    if (p->cur == PIPE_BEAST) {
        int rc = orbat_beast_finish(&p->beast);
        if (rc != ORBAT_OK)
            reject(p, rc);
    } else {
        linebuf_finish(&p->lb, on_line, p);
    }
    p->st.rejected += p->lb.toolong;
    p->st.by_reason[-ORBAT_E_TOOLONG] += p->lb.toolong;
    linebuf_init(&p->lb);
    orbat_beast_init(&p->beast);
    orbat_ais_reasm_init(&p->reasm);
    p->cur = p->opts.input;
    p->line_no = 0;
    p->byte_off = 0;
    modes_clock_reset(&p->clk);
    p->simulated = false;
}

int pipeline_run_file(struct pipeline *p, const char *path)
{
    struct input *in = input_open(path);
    if (!in)
        return -1;
    uint8_t *buf = malloc(CHUNK);
    if (!buf) {
        input_close(in);
        errno = ENOMEM;
        return -1;
    }
    ssize_t n;
    while ((n = input_read(in, buf, CHUNK)) > 0)
        pipeline_feed(p, buf, (size_t)n, path);
    int e = errno;
    pipeline_end_source(p);
    free(buf);
    input_close(in);
    if (n < 0) {
        errno = e;
        return -1;
    }
    return 0;
}
