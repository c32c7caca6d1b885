/* SPDX-License-Identifier: BSD-2-Clause
 *
 * decode_modes.c - the Mode S sink of `orbat decode`: framing (Beast binary,
 * AVR lines, SBS CSV; include/orbat/modes_frame.h) -> decoding
 * (include/orbat/modes.h) -> output (JSON lines, BaseStation CSV, or
 * nothing). Positions are resolved the way dump1090-fa does when it prints
 * a frame (track.c updatePosition): a global even/odd pair per aircraft
 * received within 10 s (airborne) / 50 s (surface), else a local decode
 * against the aircraft's own position of the last 60 s, each checked with
 * dump1090's speed filter. Per-aircraft state lives in a bounded hash
 * table (AC_SLOTS entries, least recently seen evicted). DF0/4/5/16/20/21
 * addresses are "known" when the same address was seen in a DF11 with zero
 * remainder or a DF17/18 with good parity in the last 60 s (dump1090's
 * ICAO filter); output marks the others "crc_ok": false.
 *
 * Time of a frame: the 12 MHz receiver counter (Beast, AVR '@'/'<') in ms;
 * none for plain AVR (then the CPR pair window and the known-address expiry
 * are not applied). SBS input is not decoded further: its records are
 * written as JSON with the fields BaseStation carries (or passed through
 * with --format sbs). See docs/modes-feeds.md.
 */
#include "cli/decode.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "orbat/modes.h"
#include "orbat/modes_frame.h"
#include "util/linebuf.h"

#define AC_SLOTS     8192      /* per-aircraft table size (power of two) */
#define AC_PROBE     16        /* linear probe window; beyond it evict the oldest */
#define T_NONE       INT64_MIN /* frame has no receive time */
#define KNOWN_TTL_MS 60000
#define POS_TTL_MS   60000
#define GS_TTL_MS    30000
#define PAIR_AIR_MS  10000
#define PAIR_SURF_MS 50000

struct cpr_half {
    bool valid, surface;
    uint32_t lat, lon;
    int64_t t;
};

struct ac {
    uint32_t key; /* address | non-ICAO flag << 24; 0 with !used = empty */
    bool used;
    bool known; /* seen with verified parity */
    bool has_pos, has_gs;
    int64_t t_seen, t_known, t_pos, t_gs;
    float gs_kt, gs_at_pos;
    double lat, lon;
    struct cpr_half even, odd;
};

enum cpr_outcome {
    CPR_NONE = 0, /* no position this frame */
    CPR_GLOBAL,
    CPR_LOCAL,
};

struct modes_stats {
    uint64_t beast_frames, avr_lines, sbs_lines, comment_lines;
    uint64_t modeac, radarcape, modes;
    uint64_t df[32];
    uint64_t tc[32]; /* DF17/18 by type code */
    uint64_t crc_bad, fixed, ap_unknown, len_mismatch, unknown_df, trunc;
    uint64_t avr_err[3];  /* syntax, bitcount, hex */
    uint64_t sbs_err[3];  /* syntax, range, toolong */
    uint64_t sbs_records; /* non-MSG records (STA, AIR, ...) */
    uint64_t sbs_msgs;    /* MSG records */
    uint64_t cpr_global, cpr_local, cpr_none, cpr_speed, cpr_zone;
    uint64_t ac_evicted;
};

struct modes_sink {
    struct decode_opts opts;
    struct outbuf *out;
    enum decode_format fmt;
    struct orbat_modes_opts mopts;
    struct orbat_beast beast;
    struct linebuf lb;
    enum decode_input line_kind;
    int64_t now; /* time of the frame being handled (ms), T_NONE if unknown */
    struct modes_stats st;
    struct ac *ac; /* AC_SLOTS entries */
};

/* ---- per-aircraft table -------------------------------------------------- */

static uint32_t ac_hash(uint32_t k)
{
    k ^= k >> 15;
    k *= 0x2c1b3c6dU;
    k ^= k >> 12;
    k *= 0x297a2d39U;
    k ^= k >> 15;
    return k;
}

static bool t_older(int64_t t, int64_t now, int64_t ttl)
{
    if (t == T_NONE || now == T_NONE)
        return false;
    int64_t d = now - t;
    return d > ttl || d < -ttl;
}

static int64_t t_diff(int64_t a, int64_t b)
{
    if (a == T_NONE || b == T_NONE)
        return 0;
    return a > b ? a - b : b - a;
}

static struct ac *ac_find(struct modes_sink *s, uint32_t key)
{
    uint32_t h = ac_hash(key) & (AC_SLOTS - 1);
    for (unsigned i = 0; i < AC_PROBE; i++) {
        struct ac *a = &s->ac[(h + i) & (AC_SLOTS - 1)];
        if (!a->used)
            return NULL;
        if (a->key == key)
            return a;
    }
    return NULL;
}

/* Find or create the entry for key. When the probe window is full the
 * least recently seen entry in it is replaced. */
static struct ac *ac_get(struct modes_sink *s, uint32_t key)
{
    uint32_t h = ac_hash(key) & (AC_SLOTS - 1);
    struct ac *victim = NULL;
    for (unsigned i = 0; i < AC_PROBE; i++) {
        struct ac *a = &s->ac[(h + i) & (AC_SLOTS - 1)];
        if (!a->used) {
            victim = a;
            break;
        }
        if (a->key == key)
            return a;
        if (!victim || (a->t_seen != T_NONE && a->t_seen < victim->t_seen))
            victim = a;
    }
    if (victim->used)
        s->st.ac_evicted++;
    memset(victim, 0, sizeof *victim);
    victim->used = true;
    victim->key = key;
    victim->t_seen = victim->t_known = victim->t_pos = victim->t_gs = T_NONE;
    return victim;
}

static bool sink_addr_known(void *ctx, uint32_t addr)
{
    struct modes_sink *s = ctx;
    struct ac *a = ac_find(s, addr);
    return a && a->known && !t_older(a->t_known, s->now, KNOWN_TTL_MS);
}

/* ---- CPR resolution (dump1090-fa track.c, simplified to one source) ------ */

/* Distance in metres, equirectangular approximation: within 0.5% of the
 * great circle up to ~1000 km, which is all the speed/range filters need
 * (they compare against ranges of at most a few hundred km; a longitude
 * difference is taken modulo 360). */
static double distance_m(double lat0, double lon0, double lat1, double lon1)
{
    const double d2r = M_PI / 180.0;
    double dlon = fabs(lon1 - lon0);
    if (dlon > 180)
        dlon = 360 - dlon;
    double x = dlon * d2r * cos((lat0 + lat1) * 0.5 * d2r), y = (lat1 - lat0) * d2r;
    return 6371e3 * sqrt(x * x + y * y);
}

/* dump1090-fa speed_check: is (lat, lon) reachable from the last position? */
static bool speed_ok(const struct modes_sink *s, const struct ac *a, double lat, double lon,
                     bool surface)
{
    if (!a->has_pos || t_older(a->t_pos, s->now, POS_TTL_MS))
        return true;
    double elapsed = (double)t_diff(s->now, a->t_pos);
    double speed;
    if (a->has_gs && !t_older(a->t_gs, s->now, GS_TTL_MS)) {
        speed = a->gs_at_pos > a->gs_kt ? a->gs_at_pos : a->gs_kt;
        speed += 3.0 * (double)t_diff(s->now, a->t_gs) / 1000.0;
    } else {
        speed = surface ? 100 : 600;
    }
    speed = speed * 4 / 3;
    if (surface) {
        if (speed < 20)
            speed = 20;
        if (speed > 150)
            speed = 150;
    } else if (speed < 200) {
        speed = 200;
    }
    double range =
        (surface ? 0.1e3 : 0.5e3) + (elapsed + 1000.0) / 1000.0 * (speed * 1852.0 / 3600.0);
    return distance_m(a->lat, a->lon, lat, lon) <= range;
}

static enum cpr_outcome cpr_resolve(struct modes_sink *s, struct ac *a,
                                    const struct orbat_modes_msg *m, double *lat, double *lon)
{
    bool surface = m->cpr_surface;
    struct cpr_half *h = m->cpr_odd ? &a->odd : &a->even;
    h->valid = true;
    h->surface = surface;
    h->lat = m->cpr_lat;
    h->lon = m->cpr_lon;
    h->t = s->now;
    const struct cpr_half *e = &a->even, *o = &a->odd;
    int64_t window = surface ? PAIR_SURF_MS : PAIR_AIR_MS;
    bool pos_fresh = a->has_pos && !t_older(a->t_pos, s->now, POS_TTL_MS);
    // Surface pairs need a reference for the 90-degree ambiguity: only the
    // aircraft's own recent position (no receiver location here).
    if (e->valid && o->valid && e->surface == o->surface && t_diff(e->t, o->t) <= window &&
        (!surface || pos_fresh)) {
        enum orbat_err rc =
            surface ? orbat_modes_cpr_global_surface(a->lat, a->lon, e->lat, e->lon, o->lat, o->lon,
                                                     m->cpr_odd, lat, lon)
                    : orbat_modes_cpr_global_airborne(e->lat, e->lon, o->lat, o->lon, m->cpr_odd,
                                                      lat, lon);
        if (rc == ORBAT_OK) {
            if (speed_ok(s, a, *lat, *lon, surface))
                return CPR_GLOBAL;
            // Implausible: drop the pair and the position reference
            // (dump1090: "bad data", wait for a fresh pair).
            s->st.cpr_speed++;
            a->even.valid = a->odd.valid = false;
            a->has_pos = false;
            return CPR_NONE;
        }
        // The pair straddles a latitude zone: not fatal, try local.
        s->st.cpr_zone++;
    }
    if (!pos_fresh)
        return CPR_NONE;
    if (orbat_modes_cpr_local(a->lat, a->lon, m->cpr_lat, m->cpr_lon, m->cpr_odd, surface, lat,
                              lon) != ORBAT_OK)
        return CPR_NONE;
    // dump1090-fa: aircraft-relative decodes must stay within 50 km and
    // pass the speed check.
    if (distance_m(a->lat, a->lon, *lat, *lon) > 50e3 || !speed_ok(s, a, *lat, *lon, surface)) {
        s->st.cpr_speed++;
        return CPR_NONE;
    }
    return CPR_LOCAL;
}

/* ---- JSON output --------------------------------------------------------- */

/* Print v with up to `dec` decimals, trailing zeros trimmed ("418", "12.5"). */
static void ob_num(struct outbuf *ob, double v, unsigned dec)
{
    static const double p10[] = {1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7};
    if (!isfinite(v)) {
        OB_LIT(ob, "null");
        return;
    }
    int64_t x = llround(v * p10[dec]);
    while (dec && x % 10 == 0) {
        x /= 10;
        dec--;
    }
    ob_fixed(ob, x, dec);
}

static void key(struct outbuf *ob, const char *k)
{
    ob_putc(ob, ',');
    ob_putc(ob, '"');
    ob_puts(ob, k);
    OB_LIT(ob, "\":");
}

/* Literal-key forms: the key text is assembled at compile time. */
#define KEY_LIT(ob, k) OB_LIT(ob, ",\"" k "\":")
#define KV_INT(ob, k, v)                                                                           \
    do {                                                                                           \
        KEY_LIT(ob, k);                                                                            \
        ob_i64(ob, (v));                                                                           \
    } while (0)
#define KV_NUM(ob, k, v, dec)                                                                      \
    do {                                                                                           \
        KEY_LIT(ob, k);                                                                            \
        ob_num(ob, (v), (dec));                                                                    \
    } while (0)
#define KV_STR(ob, k, v)                                                                           \
    do {                                                                                           \
        const char *kv_s_ = (v);                                                                   \
        KEY_LIT(ob, k);                                                                            \
        ob_json_str(ob, kv_s_, strlen(kv_s_));                                                     \
    } while (0)
#define KV_BOOL(ob, k, v)                                                                          \
    do {                                                                                           \
        KEY_LIT(ob, k);                                                                            \
        if (v)                                                                                     \
            OB_LIT(ob, "true");                                                                    \
        else                                                                                       \
            OB_LIT(ob, "false");                                                                   \
    } while (0)

static void kv_int(struct outbuf *ob, const char *k, int64_t v)
{
    key(ob, k);
    ob_i64(ob, v);
}

static void kv_num(struct outbuf *ob, const char *k, double v, unsigned dec)
{
    key(ob, k);
    ob_num(ob, v, dec);
}

static void kv_squawk(struct outbuf *ob, const char *k, unsigned sq)
{
    char b[4] = {(char)('0' + sq / 1000 % 10), (char)('0' + sq / 100 % 10),
                 (char)('0' + sq / 10 % 10), (char)('0' + sq % 10)};
    key(ob, k);
    ob_json_str(ob, b, 4);
}

static void kv_hex24(struct outbuf *ob, const char *k, uint32_t v)
{
    static const char hx[] = "0123456789abcdef";
    char b[6];
    for (int i = 0; i < 6; i++)
        b[i] = hx[(v >> (20 - 4 * i)) & 15];
    key(ob, k);
    ob_json_str(ob, b, 6);
}

static void json_receive(struct outbuf *ob, const struct orbat_modes_frame *f)
{
    if (f->has_ts)
        KV_INT(ob, "mlat", (int64_t)f->ts_12mhz);
    if (f->has_signal) {
        KV_INT(ob, "signal", f->signal);
        // dump1090's RSSI: 10 log10((level/255)^2), dBFS
        double lv = f->signal / 255.0;
        KV_NUM(ob, "rssi", f->signal ? 10 * log10(lv * lv) : -99.9, 1);
    }
    if (f->has_receiver_id) {
        key(ob, "receiver_id");
        ob_putc(ob, '"');
        uint8_t b[8];
        for (int i = 0; i < 8; i++)
            b[i] = (uint8_t)(f->receiver_id >> (56 - 8 * i));
        ob_hex(ob, b, 8);
        ob_putc(ob, '"');
    }
}

static void json_commb(struct outbuf *ob, const struct orbat_modes_commb *c, bool have_callsign)
{
    if (c->bds)
        KV_STR(ob, "bds", orbat_modes_bds_name(c->bds));
    else
        OB_LIT(ob, ",\"bds\":null");
    static const struct {
        uint8_t bit, bds;
    } cand[] = {
        {ORBAT_MODES_CAND_10, ORBAT_MODES_BDS_10}, {ORBAT_MODES_CAND_17, ORBAT_MODES_BDS_17},
        {ORBAT_MODES_CAND_20, ORBAT_MODES_BDS_20}, {ORBAT_MODES_CAND_30, ORBAT_MODES_BDS_30},
        {ORBAT_MODES_CAND_40, ORBAT_MODES_BDS_40}, {ORBAT_MODES_CAND_50, ORBAT_MODES_BDS_50},
        {ORBAT_MODES_CAND_60, ORBAT_MODES_BDS_60}};
    int nc = 0;
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
        nc += (c->candidates & cand[i].bit) != 0;
    if (!c->bds && nc > 1) {
        key(ob, "bds_candidates");
        ob_putc(ob, '[');
        bool first = true;
        for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++) {
            if (!(c->candidates & cand[i].bit))
                continue;
            if (!first)
                ob_putc(ob, ',');
            first = false;
            ob_puts(ob, "\"");
            ob_puts(ob, orbat_modes_bds_name(cand[i].bds));
            ob_puts(ob, "\"");
        }
        ob_putc(ob, ']');
    }
    uint32_t h = c->has;
    if ((h & ORBAT_MODES_CB_CALLSIGN) && !have_callsign) // no duplicate key
        KV_STR(ob, "callsign", c->callsign);
    if (h & ORBAT_MODES_CB_REGISTRATION)
        KV_STR(ob, "registration", c->registration);
    if (h & ORBAT_MODES_CB_BDS17) {
        key(ob, "supported_bds");
        ob_putc(ob, '[');
        bool first = true;
        // bit 23 = BDS 0,5 ... per Doc 9871 table A-2-23 order
        static const uint8_t order[24] = {0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x20, 0x21,
                                          0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x48, 0x50,
                                          0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x5f, 0x60};
        for (int i = 0; i < 24; i++) {
            if (!(c->supported >> (23 - i) & 1))
                continue;
            if (!first)
                ob_putc(ob, ',');
            first = false;
            char b[3] = {"0123456789abcdef"[order[i] >> 4], ',', "0123456789abcdef"[order[i] & 15]};
            ob_json_str(ob, b, 3);
        }
        ob_putc(ob, ']');
    }
    if (h & ORBAT_MODES_CB_SEL_ALT_MCP)
        KV_INT(ob, "sel_alt_mcp", c->sel_alt_mcp_ft);
    if (h & ORBAT_MODES_CB_SEL_ALT_FMS)
        KV_INT(ob, "sel_alt_fms", c->sel_alt_fms_ft);
    if (h & ORBAT_MODES_CB_BARO_SET)
        KV_NUM(ob, "baro_setting", c->baro_setting_hpa, 1);
    if (h & ORBAT_MODES_CB_ROLL)
        KV_NUM(ob, "roll", c->roll_deg, 2);
    if (h & ORBAT_MODES_CB_TRUE_TRACK)
        KV_NUM(ob, "true_track", c->true_track_deg, 3);
    if (h & ORBAT_MODES_CB_GS)
        KV_INT(ob, "gs", c->gs_kt);
    if (h & ORBAT_MODES_CB_TRACK_RATE)
        KV_NUM(ob, "track_rate", c->track_rate_dps, 3);
    if (h & ORBAT_MODES_CB_TAS)
        KV_INT(ob, "tas", c->tas_kt);
    if (h & ORBAT_MODES_CB_MAG_HDG)
        KV_NUM(ob, "mag_heading", c->mag_heading_deg, 3);
    if (h & ORBAT_MODES_CB_IAS)
        KV_INT(ob, "ias", c->ias_kt);
    if (h & ORBAT_MODES_CB_MACH)
        KV_NUM(ob, "mach", c->mach, 3);
    if (h & ORBAT_MODES_CB_VR_BARO)
        KV_INT(ob, "vr_baro", c->vr_baro_fpm);
    if (h & ORBAT_MODES_CB_VR_INS)
        KV_INT(ob, "vr_ins", c->vr_ins_fpm);
    if (h & ORBAT_MODES_CB_WIND) {
        KV_INT(ob, "wind_speed", c->wind_kt);
        KV_NUM(ob, "wind_direction", c->wind_dir_deg, 1);
    }
    if (h & ORBAT_MODES_CB_SAT)
        KV_NUM(ob, "sat", c->sat_c, 2);
}

static void json_frame(struct modes_sink *s, const struct orbat_modes_frame *f,
                       const struct orbat_modes_msg *m, int rc, bool verified, enum cpr_outcome cpr,
                       double lat, double lon)
{
    struct outbuf *ob = s->out;
    uint64_t h = m->has;
    OB_LIT(ob, "{\"df\":");
    ob_u64(ob, m->df);
    if (rc == ORBAT_E_DF || rc == ORBAT_E_BITCOUNT) {
        KV_STR(ob, "error", rc == ORBAT_E_DF ? "unknown_df" : "length");
        goto tail;
    }
    kv_hex24(ob, "icao", m->addr);
    KV_BOOL(ob, "crc_ok", verified);
    KV_INT(ob, "crc", m->crc);
    if (m->addr_src == ORBAT_MODES_ADDR_AP)
        KV_STR(ob, "addr_src", "ap");
    KV_STR(ob, "addr_type", orbat_modes_addr_type_name(m->addr_type));
    if (m->fixed_bit)
        KV_INT(ob, "fixed_bit", m->fixed_bit);
    if (h & ORBAT_MODES_HAS_CA)
        KV_INT(ob, "ca", m->ca);
    if (h & ORBAT_MODES_HAS_CF)
        KV_INT(ob, "cf", m->cf);
    if (h & ORBAT_MODES_HAS_DF19)
        KV_INT(ob, "af", m->ca);
    if (h & ORBAT_MODES_HAS_FS)
        KV_INT(ob, "fs", m->fs);
    if (h & ORBAT_MODES_HAS_DR) {
        KV_INT(ob, "dr", m->dr);
        KV_INT(ob, "um", m->um);
    }
    if (h & ORBAT_MODES_HAS_VS) {
        KV_INT(ob, "vs", m->vs);
        if (m->df == 0)
            KV_INT(ob, "cc", m->cc);
        KV_INT(ob, "sl", m->sl);
        KV_INT(ob, "ri", m->ri);
    }
    if (h & ORBAT_MODES_HAS_IID) {
        if (m->cl == 0) {
            KV_INT(ob, "iid", m->ic);
        } else {
            char b[8];
            snprintf(b, sizeof b, "SI%u", (unsigned)m->ic + 16u * (m->cl - 1u));
            KV_STR(ob, "interrogator", b);
        }
    }
    if (h & ORBAT_MODES_HAS_ME) {
        KV_INT(ob, "tc", m->tc);
        KV_INT(ob, "st", m->st);
    }
    if (h & ORBAT_MODES_HAS_CATEGORY) {
        char b[2] = {(char)m->category_set, (char)('0' + m->category)};
        KV_INT(ob, "category", m->category);
        key(ob, "category_code");
        ob_json_str(ob, b, 2);
    }
    if (h & ORBAT_MODES_HAS_CALLSIGN)
        KV_STR(ob, "callsign", m->callsign);
    if (h & ORBAT_MODES_HAS_ALT) {
        KV_INT(ob, "altitude", m->alt_ft);
        if (m->alt_gnss)
            KV_STR(ob, "alt_src", "gnss");
    }
    if (h & ORBAT_MODES_HAS_SQUAWK)
        kv_squawk(ob, "squawk", m->squawk);
    if (h & ORBAT_MODES_HAS_EMERGENCY)
        KV_INT(ob, "emergency_state", m->emergency_state);
    if (h & ORBAT_MODES_HAS_CPR) {
        KV_INT(ob, "cpr_format", m->cpr_odd);
        KV_INT(ob, "cpr_lat", m->cpr_lat);
        KV_INT(ob, "cpr_lon", m->cpr_lon);
        if (m->cpr_surface)
            KV_BOOL(ob, "surface", true);
    }
    if (cpr != CPR_NONE) {
        KV_NUM(ob, "lat", lat, 6);
        KV_NUM(ob, "lon", lon, 6);
        KV_STR(ob, "cpr_decode", cpr == CPR_GLOBAL ? "global" : "local");
    }
    if (h & ORBAT_MODES_HAS_NUC_P)
        KV_INT(ob, "nuc_p", m->nuc_p);
    if (h & ORBAT_MODES_HAS_MOVEMENT)
        KV_INT(ob, "movement", m->movement);
    if (h & ORBAT_MODES_HAS_GS)
        KV_NUM(ob, "gs", m->gs_kt, 2);
    if (h & ORBAT_MODES_HAS_TRACK)
        KV_NUM(ob, "track", m->track_deg, 3);
    if (h & ORBAT_MODES_HAS_HEADING)
        kv_num(ob, m->heading_true ? "heading" : "mag_heading", m->heading_deg, 3);
    if (h & ORBAT_MODES_HAS_AIRSPEED) {
        kv_int(ob, m->airspeed_tas ? "tas" : "ias", m->airspeed_kt);
        KV_STR(ob, "airspeed_type", m->airspeed_tas ? "TAS" : "IAS");
    }
    if (h & ORBAT_MODES_HAS_VR) {
        KV_INT(ob, "vr", m->vr_fpm);
        KV_STR(ob, "vr_src", m->vr_baro ? "baro" : "gnss");
    }
    if (h & ORBAT_MODES_HAS_GEO_BARO)
        KV_INT(ob, "geo_minus_baro", m->geo_minus_baro_ft);
    if (h & ORBAT_MODES_HAS_NAC_V)
        KV_INT(ob, "nac_v", m->nac_v);
    if (h & ORBAT_MODES_HAS_SEL_ALT) {
        KV_INT(ob, "sel_alt", m->sel_alt_ft);
        KV_STR(ob, "sel_alt_src", m->sel_alt_fms ? "FMS" : "MCP/FCU");
    }
    if (h & ORBAT_MODES_HAS_BARO_SET)
        KV_NUM(ob, "baro_setting", m->baro_setting_hpa, 1);
    if (h & ORBAT_MODES_HAS_SEL_HDG)
        KV_NUM(ob, "sel_heading", m->sel_heading_deg, 2);
    if (h & ORBAT_MODES_HAS_NAV_MODES) {
        KV_BOOL(ob, "autopilot", m->nav_modes & ORBAT_MODES_NAV_AUTOPILOT);
        KV_BOOL(ob, "vnav", m->nav_modes & ORBAT_MODES_NAV_VNAV);
        KV_BOOL(ob, "alt_hold", m->nav_modes & ORBAT_MODES_NAV_ALT_HOLD);
        KV_BOOL(ob, "approach", m->nav_modes & ORBAT_MODES_NAV_APPROACH);
        KV_BOOL(ob, "lnav", m->nav_modes & ORBAT_MODES_NAV_LNAV);
        KV_BOOL(ob, "tcas", m->nav_modes & ORBAT_MODES_NAV_TCAS);
    }
    if (h & ORBAT_MODES_HAS_VERSION)
        KV_INT(ob, "version", m->version);
    if (h & ORBAT_MODES_HAS_NAC_P)
        KV_INT(ob, "nac_p", m->nac_p);
    if (h & ORBAT_MODES_HAS_NIC_BARO)
        KV_INT(ob, "nic_baro", m->nic_baro);
    if (h & ORBAT_MODES_HAS_SIL)
        KV_INT(ob, "sil", m->sil);
    if (h & ORBAT_MODES_HAS_NIC_SUPP)
        KV_INT(ob, "nic_a", m->nic_a);
    if (h & ORBAT_MODES_HAS_GVA)
        KV_INT(ob, "gva", m->gva);
    if (h & ORBAT_MODES_HAS_SDA)
        KV_INT(ob, "sda", m->sda);
    if (h & ORBAT_MODES_HAS_ACAS_RA) {
        KV_INT(ob, "ra_ara", m->ra.ara);
        KV_INT(ob, "ra_tti", m->ra.tti);
        if (m->ra.tti == 1)
            kv_hex24(ob, "ra_threat", m->ra.tid & 0xffffff);
    }
    if (h & ORBAT_MODES_HAS_DF24)
        KV_BOOL(ob, "elm", true);
    if (h & ORBAT_MODES_HAS_MB)
        json_commb(ob, &m->commb, (h & ORBAT_MODES_HAS_CALLSIGN) != 0);
tail:
    json_receive(ob, f);
    OB_LIT(ob, ",\"raw\":\"");
    ob_hex(ob, f->data, f->len);
    OB_LIT(ob, "\"}\n");
}

/* ---- BaseStation output (dump1090 modesSendSBSOutput) -------------------- */

/* Surface movement code 1-124 to whole knots as dump1090 writes it in SBS
 * (decodeMovementField): 0 below code 9, 199 for code 124 (over 175 kt). */
static int sbs_movement_kt(unsigned mv)
{
    if (mv > 123)
        return 199;
    if (mv > 108)
        return (int)(mv - 108) * 5 + 100;
    if (mv > 93)
        return (int)(mv - 93) * 2 + 70;
    if (mv > 38)
        return (int)(mv - 38) + 15;
    if (mv > 12)
        return (int)((mv - 11) >> 1) + 2;
    if (mv > 8)
        return (int)((mv - 6) >> 2) + 1;
    return 0;
}

static void sbs_frame(struct modes_sink *s, const struct orbat_modes_msg *m, enum cpr_outcome cpr,
                      double lat, double lon)
{
    struct outbuf *ob = s->out;
    int type;
    switch (m->df) {
    case 4:
    case 20:
        type = 5;
        break;
    case 5:
    case 21:
        type = 6;
        break;
    case 0:
    case 16:
        type = 7;
        break;
    case 11:
        type = 8;
        break;
    case 17:
    case 18:
        if (m->addr_type >= ORBAT_MODES_AT_ADSB_OTHER && m->addr_type != ORBAT_MODES_AT_MODE_S)
            return; // dump1090 suppresses non-ICAO addresses
        if (m->tc >= 1 && m->tc <= 4)
            type = 1;
        else if (m->tc >= 5 && m->tc <= 8)
            type = 2;
        else if ((m->tc >= 9 && m->tc <= 18) || (m->tc >= 20 && m->tc <= 22))
            type = 3;
        else if (m->tc == 19)
            type = 4;
        else
            return; // TC28/29/31: dump1090 writes no SBS line
        break;
    default:
        return;
    }
    uint64_t h = m->has;
    static const char HX[] = "0123456789ABCDEF";
    char hdr[20] = {'M', 'S', 'G', ',', (char)('0' + type), ',', '1', ',', '1', ','};
    for (int i = 0; i < 6; i++)
        hdr[10 + i] = HX[(m->addr >> (20 - 4 * i)) & 15];
    memcpy(hdr + 16, ",1,", 3);
    ob_write(ob, hdr, 19);
    // Fields 7-10 (generated / logged date and time) stay empty: a 12 MHz
    // receiver counter is not a date, and the wall clock (what dump1090
    // writes) would make file decodes unreproducible.
    OB_LIT(ob, ",,,");
    ob_putc(ob, ',');
    if (h & ORBAT_MODES_HAS_CALLSIGN) {
        // dump1090 writes the 8-character field with its trailing spaces.
        char cs[8];
        size_t k = strnlen(m->callsign, 8);
        memcpy(cs, m->callsign, k);
        memset(cs + k, ' ', 8 - k);
        ob_write(ob, cs, 8);
    }
    ob_putc(ob, ',');
    if ((h & ORBAT_MODES_HAS_ALT) && !m->alt_gnss)
        ob_i64(ob, m->alt_ft);
    ob_putc(ob, ',');
    // Speed and track as dump1090 prints them, so tools comparing feeds
    // see the same integers: (int)sqrt(v^2 + 0.5) and (int)(atan2 + 0.5)
    // on the signed angle (which truncates toward zero west of north).
    // The JSON output carries the exact values.
    // Surface positions (TC5-8): dump1090's integer movement table and
    // track (7-bit code * 45) >> 4, whole knots and degrees.
    bool surf = m->tc >= 5 && m->tc <= 8;
    if ((h & ORBAT_MODES_HAS_GS) && m->tc == 19)
        ob_i64(ob, (int64_t)sqrt((double)m->gs_kt * m->gs_kt + 0.5));
    else if (surf && (h & ORBAT_MODES_HAS_MOVEMENT) && m->movement >= 1 && m->movement <= 124)
        ob_i64(ob, sbs_movement_kt(m->movement));
    ob_putc(ob, ',');
    if ((h & ORBAT_MODES_HAS_TRACK) && m->tc == 19) {
        double a = m->track_deg > 180 ? m->track_deg - 360 : m->track_deg;
        int hd = (int)(a + 0.5);
        ob_i64(ob, hd < 0 ? hd + 360 : hd);
    } else if (surf && (h & ORBAT_MODES_HAS_TRACK)) {
        long code = lround(m->track_deg * 128.0 / 360.0) & 127;
        ob_i64(ob, (code * 45) >> 4);
    }
    ob_putc(ob, ',');
    if (cpr != CPR_NONE) {
        // "%1.5f" as dump1090 writes it.
        ob_fixed(ob, llround(lat * 1e5), 5);
        ob_putc(ob, ',');
        ob_fixed(ob, llround(lon * 1e5), 5);
    } else {
        ob_putc(ob, ',');
    }
    ob_putc(ob, ',');
    if (h & ORBAT_MODES_HAS_VR)
        ob_i64(ob, m->vr_fpm);
    ob_putc(ob, ',');
    bool sq = (h & ORBAT_MODES_HAS_SQUAWK) != 0;
    if (sq) {
        unsigned q = m->squawk % 10000u;
        char b[4] = {(char)('0' + q / 1000), (char)('0' + q / 100 % 10), (char)('0' + q / 10 % 10),
                     (char)('0' + q % 10)};
        ob_write(ob, b, 4);
    }
    // 19 alert, 20 emergency, 21 SPI: from FS (DF4/5/20/21), as dump1090.
    bool fs = (h & ORBAT_MODES_HAS_FS) != 0;
    ob_putc(ob, ',');
    if (fs)
        ob_puts(ob, (m->fs >= 2 && m->fs <= 4) ? "-1" : "0");
    ob_putc(ob, ',');
    if (sq)
        ob_puts(ob, (m->squawk == 7500 || m->squawk == 7600 || m->squawk == 7700) ? "-1" : "0");
    ob_putc(ob, ',');
    if (fs)
        ob_puts(ob, (m->fs == 4 || m->fs == 5) ? "-1" : "0");
    ob_putc(ob, ',');
    // 22 on ground: CA (DF11/17) 4 ground, 5 airborne; FS 1/3 ground;
    // VS (DF0/16) 1 ground; surface position ground.
    int ground = -1;
    if ((h & ORBAT_MODES_HAS_CA) && (m->df == 11 || m->df == 17)) {
        if (m->ca == 4)
            ground = 1;
        else if (m->ca == 5)
            ground = 0;
    }
    if (fs && (m->fs == 1 || m->fs == 3))
        ground = 1;
    if ((h & ORBAT_MODES_HAS_VS) && m->vs == 1)
        ground = 1;
    if (type == 2)
        ground = 1;
    if (ground == 1)
        OB_LIT(ob, "-1");
    else if (ground == 0)
        ob_putc(ob, '0');
    OB_LIT(ob, "\r\n");
}

/* ---- frame handling ------------------------------------------------------ */

static void handle_modes(struct modes_sink *s, const struct orbat_modes_frame *f)
{
    struct orbat_modes_msg m;
    s->st.modes++;
    int rc = orbat_modes_decode(f->data, f->len, &s->mopts, &m);
    bool verified = false;
    struct ac *a = NULL;
    enum cpr_outcome cpr = CPR_NONE;
    double lat = 0, lon = 0;
    switch (rc) {
    case ORBAT_OK:
        break;
    case ORBAT_E_CRC:
        s->st.crc_bad++;
        break;
    case ORBAT_E_DF:
        s->st.unknown_df++;
        break;
    case ORBAT_E_BITCOUNT:
        s->st.len_mismatch++;
        break;
    default:
        s->st.trunc++;
        break;
    }
    if (rc == ORBAT_E_TRUNCATED)
        return;
    s->st.df[m.df & 31]++;
    if (rc == ORBAT_OK) {
        if (m.fixed_bit)
            s->st.fixed++;
        bool nonicao = m.addr_type >= ORBAT_MODES_AT_ADSB_OTHER &&
                       m.addr_type <= ORBAT_MODES_AT_TISB_OTHER &&
                       m.addr_type != ORBAT_MODES_AT_TISB_ICAO;
        uint32_t k = m.addr | (nonicao ? 1u << 24 : 0);
        if (m.addr_src == ORBAT_MODES_ADDR_AP) {
            verified = m.addr_known;
            if (!verified)
                s->st.ap_unknown++;
            else
                a = ac_find(s, k);
        } else {
            // DF11 needs a zero remainder (II = 0) to vouch for the address.
            verified = m.df != 11 || m.crc == 0 || m.addr_known;
            if (verified)
                a = ac_get(s, k);
            if (a && (m.df == 17 || (m.df == 18 && !nonicao) || (m.df == 11 && m.crc == 0))) {
                a->known = true;
                a->t_known = s->now;
            }
        }
        if (a)
            a->t_seen = s->now;
        if (m.df == 17 || m.df == 18)
            s->st.tc[m.tc & 31]++;
        if (a && verified) {
            if (m.has & ORBAT_MODES_HAS_GS) {
                a->gs_kt = m.gs_kt;
                a->has_gs = true;
                a->t_gs = s->now;
            }
            if (m.has & ORBAT_MODES_HAS_CPR) {
                cpr = cpr_resolve(s, a, &m, &lat, &lon);
                if (cpr == CPR_NONE) {
                    s->st.cpr_none++;
                } else {
                    if (cpr == CPR_GLOBAL)
                        s->st.cpr_global++;
                    else
                        s->st.cpr_local++;
                    a->has_pos = true;
                    a->lat = lat;
                    a->lon = lon;
                    a->t_pos = s->now;
                    a->gs_at_pos = a->has_gs ? a->gs_kt : 0;
                }
            }
        }
    }
    if (s->fmt == DFMT_JSONL)
        json_frame(s, f, &m, rc, rc == ORBAT_OK && verified, cpr, lat, lon);
    else if (s->fmt == DFMT_SBS && rc == ORBAT_OK && verified)
        sbs_frame(s, &m, cpr, lat, lon);
}

static void handle_frame(struct modes_sink *s, const struct orbat_modes_frame *f)
{
    s->now = f->has_ts ? (int64_t)(f->ts_12mhz / 12000) : T_NONE;
    switch (f->kind) {
    case ORBAT_FRAME_MODEAC:
        s->st.modeac++;
        return;
    case ORBAT_FRAME_RADARCAPE_POS:
        s->st.radarcape++;
        return;
    default:
        handle_modes(s, f);
    }
}

/* SBS input: the same JSON fields where BaseStation has them. */
static void handle_sbs(struct modes_sink *s, const char *line, size_t len)
{
    struct orbat_sbs r;
    s->st.sbs_lines++;
    if (!len)
        return; // heartbeat
    int rc = orbat_sbs_parse(line, len, &r);
    if (rc != ORBAT_OK) {
        s->st.sbs_err[rc == ORBAT_E_RANGE ? 1 : rc == ORBAT_E_TOOLONG ? 2 : 0]++;
        return;
    }
    if (r.type != ORBAT_SBS_MSG) {
        s->st.sbs_records++;
        return;
    }
    s->st.sbs_msgs++;
    if (s->fmt == DFMT_SBS) {
        // Pass through unchanged (normalised line ending).
        ob_write(s->out, line, len);
        OB_LIT(s->out, "\r\n");
        return;
    }
    if (s->fmt != DFMT_JSONL)
        return;
    struct outbuf *ob = s->out;
    OB_LIT(ob, "{\"sbs\":");
    ob_u64(ob, r.tt);
    if (r.has & ORBAT_SBS_ICAO) {
        kv_hex24(ob, "icao", r.icao);
        if (r.icao_nonicao)
            KV_BOOL(ob, "non_icao", true);
    }
    if (r.has & ORBAT_SBS_TIME_GEN) {
        key(ob, "t");
        ob_fixed(ob, r.t_gen_ms, 3);
    }
    if (r.has & ORBAT_SBS_CALLSIGN)
        KV_STR(ob, "callsign", r.callsign);
    if (r.has & ORBAT_SBS_ALT)
        KV_INT(ob, "altitude", r.alt_ft);
    if (r.has & ORBAT_SBS_GS)
        KV_NUM(ob, "gs", r.gs_kt, 2);
    if (r.has & ORBAT_SBS_TRACK)
        KV_NUM(ob, "track", r.track_deg, 3);
    if (r.has & ORBAT_SBS_POS) {
        KV_NUM(ob, "lat", r.lat, 6);
        KV_NUM(ob, "lon", r.lon, 6);
    }
    if (r.has & ORBAT_SBS_VR)
        KV_INT(ob, "vr", r.vr_fpm);
    if (r.has & ORBAT_SBS_SQUAWK)
        kv_squawk(ob, "squawk", r.squawk);
    if (r.has & ORBAT_SBS_ALERT)
        KV_BOOL(ob, "alert", r.alert);
    if (r.has & ORBAT_SBS_EMERGENCY)
        KV_BOOL(ob, "emergency", r.emergency);
    if (r.has & ORBAT_SBS_SPI)
        KV_BOOL(ob, "spi", r.spi);
    if (r.has & ORBAT_SBS_GROUND)
        KV_BOOL(ob, "ground", r.ground);
    OB_LIT(ob, "}\n");
}

static void line_cb(void *ctx, const char *line, size_t len)
{
    struct modes_sink *s = ctx;
    // '#' lines are comments (e.g. orbat simulate's SIMULATION header).
    if (len && line[0] == '#') {
        s->st.comment_lines++;
        return;
    }
    if (s->line_kind == DIN_SBS) {
        handle_sbs(s, line, len);
        return;
    }
    s->st.avr_lines++;
    // Skip blank lines (heartbeats) silently.
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
        k++;
    if (k == len)
        return;
    struct orbat_modes_frame f;
    int rc = orbat_avr_parse(line, len, &f);
    if (rc != ORBAT_OK) {
        s->st.avr_err[rc == ORBAT_E_BITCOUNT ? 1 : rc == ORBAT_E_FRAME ? 2 : 0]++;
        return;
    }
    handle_frame(s, &f);
}

/* ---- sink API (decode.h) ------------------------------------------------- */

struct modes_sink *modes_sink_new(const struct decode_opts *o, struct outbuf *out)
{
    struct modes_sink *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ac = calloc(AC_SLOTS, sizeof *s->ac);
    if (!s->ac) {
        free(s);
        return NULL;
    }
    s->opts = *o;
    s->out = out;
    s->fmt = o->format == DFMT_DEFAULT ? DFMT_JSONL : o->format;
    if (s->fmt == DFMT_GPSD || s->fmt == DFMT_GPSD_SCALED)
        s->fmt = DFMT_JSONL; // gpsd formats are AIS-only
    s->mopts.fix_1bit = o->fix1bit;
    s->mopts.addr_known = sink_addr_known;
    s->mopts.addr_ctx = s;
    orbat_beast_init(&s->beast);
    linebuf_init(&s->lb);
    s->line_kind = DIN_AUTO;
    s->now = T_NONE;
    return s;
}

void modes_sink_feed(struct modes_sink *s, enum decode_input kind, const uint8_t *p, size_t n,
                     const char *source)
{
    (void)source;
    if (kind == DIN_BEAST) {
        while (n) {
            size_t used = 0;
            struct orbat_modes_frame f;
            int rc = orbat_beast_next(&s->beast, p, n, &used, &f);
            p += used;
            n -= used;
            if (rc == 0) {
                s->st.beast_frames++;
                handle_frame(s, &f);
            }
        }
        return;
    }
    s->line_kind = kind;
    linebuf_feed(&s->lb, (const char *)p, n, line_cb, s);
}

void modes_sink_end_of_input(struct modes_sink *s, enum decode_input kind)
{
    if (kind == DIN_BEAST) {
        (void)orbat_beast_finish(&s->beast);
        return;
    }
    s->line_kind = kind;
    linebuf_finish(&s->lb, line_cb, s);
}

static void rep(FILE *f, const char *name, uint64_t v)
{
    if (v)
        fprintf(f, "  %-34s %llu\n", name, (unsigned long long)v);
}

void modes_sink_report(const struct modes_sink *s, FILE *f)
{
    const struct modes_stats *t = &s->st;
    char name[64];
    fprintf(f, "Mode S:\n");
    rep(f, "beast frames", t->beast_frames);
    rep(f, "avr lines", t->avr_lines);
    rep(f, "sbs lines", t->sbs_lines);
    rep(f, "comment lines", t->comment_lines);
    rep(f, "mode A/C frames (not decoded)", t->modeac);
    rep(f, "radarcape position frames", t->radarcape);
    rep(f, "mode S frames", t->modes);
    for (int i = 0; i < 32; i++) {
        snprintf(name, sizeof name, "DF%d", i);
        rep(f, name, t->df[i]);
    }
    for (int i = 1; i < 32; i++) {
        snprintf(name, sizeof name, "DF17/18 TC%d", i);
        rep(f, name, t->tc[i]);
    }
    rep(f, "crc failures (DF11/17/18)", t->crc_bad);
    rep(f, "1-bit corrections used", t->fixed);
    rep(f, "AP address not known (DF0/4/5/16/20/21)", t->ap_unknown);
    rep(f, "unknown DF", t->unknown_df);
    rep(f, "length does not match DF", t->len_mismatch);
    rep(f, "cpr global positions", t->cpr_global);
    rep(f, "cpr local positions", t->cpr_local);
    rep(f, "cpr no position", t->cpr_none);
    rep(f, "cpr pair across zones", t->cpr_zone);
    rep(f, "cpr rejected (speed/range)", t->cpr_speed);
    rep(f, "aircraft table evictions", t->ac_evicted);
    fprintf(f, "Mode S framing errors:\n");
    rep(f, "beast garbage bytes", s->beast.garbage_bytes);
    rep(f, "beast unknown type", s->beast.bad_type);
    rep(f, "beast frame cut by 0x1a (resync)", s->beast.resync);
    rep(f, "beast truncated at end", s->beast.truncated);
    rep(f, "avr syntax", t->avr_err[0]);
    rep(f, "avr wrong digit count", t->avr_err[1]);
    rep(f, "avr bad hex", t->avr_err[2]);
    rep(f, "sbs syntax", t->sbs_err[0]);
    rep(f, "sbs out of range", t->sbs_err[1]);
    rep(f, "sbs line too long", t->sbs_err[2]);
    rep(f, "sbs MSG records", t->sbs_msgs);
    rep(f, "sbs non-MSG records", t->sbs_records);
    rep(f, "lines over the length cap", s->lb.toolong);
}

void modes_sink_free(struct modes_sink *s)
{
    if (!s)
        return;
    free(s->ac);
    free(s);
}
