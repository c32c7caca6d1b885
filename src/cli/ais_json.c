/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_json.c - write decoded AIS messages as JSON, gpsd 3.22 style.
 *
 * Member names, order and number formats follow gpsd 3.22's
 * json_aivdm_dump (gpsd_json.c) as checked byte for byte against the
 * release-3.22 sample.aivdm .ju.chk/.js.chk and `gpsdecode -u -j` on every
 * log in shared/testdata/ais. Unscaled values are the raw ITU integers;
 * scaled ones use printf rounding of the same doubles gpsd computes
 * (ob_double), which keeps them identical. Integers go through the outbuf
 * appenders: no printf on the unscaled path.
 */
#include "cli/ais_json.h"

#include "cli/ais_json_app.h"
#include "decode/common/bits.h"

#define LIT(s) OB_LIT(ob, s)

/* Decimal appenders: the hot path of --format gpsd. Digits are written
 * straight into the buffer two at a time when there is room. */
static void u(struct outbuf *ob, uint64_t v)
{
    static const char d2[201] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    if (v > 0xFFFFFFFFu || ob->len + 10 > OUTBUF_SIZE) {
        ob_u64(ob, v);
        return;
    }
    uint32_t x = (uint32_t)v; // AIS fields fit 32 bits: cheaper divisions
    unsigned nd = x < 10           ? 1
                  : x < 100        ? 2
                  : x < 1000       ? 3
                  : x < 10000      ? 4
                  : x < 100000     ? 5
                  : x < 1000000    ? 6
                  : x < 10000000   ? 7
                  : x < 100000000  ? 8
                  : x < 1000000000 ? 9
                                   : 10;
    char *e = ob->buf + ob->len + nd;
    ob->len += nd;
    while (x >= 100) {
        uint32_t r = x % 100;
        x /= 100;
        *--e = d2[2 * r + 1];
        *--e = d2[2 * r];
    }
    if (x >= 10) {
        *--e = d2[2 * x + 1];
        *--e = d2[2 * x];
    } else {
        *--e = (char)('0' + x);
    }
}

static void i(struct outbuf *ob, int64_t v)
{
    if (v < 0) {
        ob_putc(ob, '-');
        u(ob, (uint64_t)0 - (uint64_t)v);
    } else {
        u(ob, (uint64_t)v);
    }
}

static void boolean(struct outbuf *ob, bool b)
{
    if (b)
        LIT("true");
    else
        LIT("false");
}

static void str(struct outbuf *ob, const char *s)
{
    ob_json_str(ob, s, strlen(s));
}

/* gpsd's "%zd:%s" data member: count bits starting at `start`, printed as
 * BITS_TO_BYTES(count) hex bytes; bits past the byte-rounded end of the
 * message read as zero (gpsd copies whole bytes into a zeroed buffer). */
static void data_hex(struct outbuf *ob, const struct orbat_ais_msg *m, unsigned start,
                     unsigned count)
{
    uint8_t tmp[ORBAT_AIS_MAX_BYTES];
    unsigned limit = (m->nbits + 7u) & ~7u;
    unsigned nbytes = (count + 7) / 8;
    for (unsigned k = 0; k < nbytes; k++) {
        unsigned pos = start + 8 * k;
        unsigned v = 0;
        if (pos + 8 <= limit) {
            v = (unsigned)bits_u(m->bits, pos, 8);
        } else if (pos < limit) {
            unsigned w = limit - pos;
            v = (unsigned)bits_u(m->bits, pos, w) << (8 - w);
        }
        tmp[k] = (uint8_t)v;
    }
    LIT(",\"data\":\"");
    u(ob, count);
    ob_putc(ob, ':');
    ob_hex(ob, tmp, nbytes);
    ob_putc(ob, '"');
}

/* Position in 1/10000 min (types 1-4, 9, 11, 18, 19, 21): %.6f degrees in 3.22. */
static void latlon4(struct outbuf *ob, int32_t v, bool scaled)
{
    if (scaled)
        ob_double(ob, v / 600000.0, 6);
    else
        i(ob, v);
}

/* Position in 1/10 min (types 17, 27): %.1f degrees in 3.22. */
static void latlon1(struct outbuf *ob, int32_t v, bool scaled)
{
    if (scaled)
        ob_double(ob, v / 600.0, 1);
    else
        i(ob, v);
}

/* Type 22/23 corners: 3.22 prints scaled ones as quoted "%.6f" strings. */
static void corner(struct outbuf *ob, int32_t v, bool scaled)
{
    if (scaled) {
        ob_putc(ob, '"');
        ob_double(ob, v / 600.0, 6);
        ob_putc(ob, '"');
    } else {
        i(ob, v);
    }
}

static void tenths(struct outbuf *ob, unsigned v, bool scaled)
{
    if (scaled)
        ob_double(ob, v / 10.0, 1);
    else
        u(ob, v);
}

/* SOG in 0.1 kn; scaled: "nan" for 1023, "fast" for 1022 (types 1-3 only:
 * gpsd 3.22 prints class B types 18/19 as plain %.1f, 102.3 and 102.2). */
static void speed(struct outbuf *ob, unsigned v, bool scaled)
{
    if (!scaled)
        u(ob, v);
    else if (v == 1023)
        LIT("\"nan\"");
    else if (v == 1022)
        LIT("\"fast\"");
    else
        ob_double(ob, v / 10.0, 1);
}

static void dims(struct outbuf *ob, unsigned bow, unsigned stern, unsigned port, unsigned stbd)
{
    LIT(",\"to_bow\":");
    u(ob, bow);
    LIT(",\"to_stern\":");
    u(ob, stern);
    LIT(",\"to_port\":");
    u(ob, port);
    LIT(",\"to_starboard\":");
    u(ob, stbd);
}

static void epfd(struct outbuf *ob, unsigned e)
{
    LIT(",\"epfd\":");
    u(ob, e);
    LIT(",\"epfd_text\":");
    str(ob, orbat_ais_epfd_text(e));
}

static void shiptype(struct outbuf *ob, unsigned st)
{
    LIT(",\"shiptype\":");
    u(ob, st);
    LIT(",\"shiptype_text\":");
    str(ob, orbat_ais_shiptype_text(st));
}

static void two(struct outbuf *ob, unsigned v)
{
    if (v < 10)
        ob_putc(ob, '0');
    u(ob, v);
}

static const char *aid_type_text(unsigned t)
{
    static const char *const legends[32] = {
        "Unspecified",
        "Reference point",
        "RACON",
        "Fixed offshore structure",
        "Spare, Reserved for future use.",
        "Light, without sectors",
        "Light, with sectors",
        "Leading Light Front",
        "Leading Light Rear",
        "Beacon, Cardinal N",
        "Beacon, Cardinal E",
        "Beacon, Cardinal S",
        "Beacon, Cardinal W",
        "Beacon, Port hand",
        "Beacon, Starboard hand",
        "Beacon, Preferred Channel port hand",
        "Beacon, Preferred Channel starboard hand",
        "Beacon, Isolated danger",
        "Beacon, Safe water",
        "Beacon, Special mark",
        "Cardinal Mark N",
        "Cardinal Mark E",
        "Cardinal Mark S",
        "Cardinal Mark W",
        "Port hand Mark",
        "Starboard hand Mark",
        "Preferred Channel Port hand",
        "Preferred Channel Starboard hand",
        "Isolated danger",
        "Safe Water",
        "Special Mark",
        "Light Vessel / LANBY / Rigs",
    };
    return legends[t & 31];
}

static const char *station_type_text(unsigned t)
{
    static const char *const legends[16] = {
        "All types of mobiles",
        "Reserved for future use",
        "All types of Class B mobile stations",
        "SAR airborne mobile station",
        "Aid to Navigation station",
        "Class B shipborne mobile station",
        "Regional use and inland waterways",
        "Regional use and inland waterways",
        "Regional use and inland waterways",
        "Regional use and inland waterways",
        "Reserved for future use",
        "Reserved for future use",
        "Reserved for future use",
        "Reserved for future use",
        "Reserved for future use",
        "Reserved for future use",
    };
    return legends[t & 15];
}

static void body_pos(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    const struct orbat_ais_pos *p = &m->u.pos;
    LIT(",\"status\":");
    u(ob, p->status);
    LIT(",\"status_text\":");
    str(ob, orbat_ais_status_text(p->status));
    LIT(",\"turn\":");
    if (!scaled) {
        i(ob, p->turn);
    } else if (p->turn == -128) {
        LIT("\"nan\"");
    } else if (p->turn == -127) {
        LIT("\"fastleft\"");
    } else if (p->turn == 127) {
        LIT("\"fastright\"");
    } else {
        double rot = p->turn / 4.733;
        ob_double(ob, rot * rot, 0);
    }
    LIT(",\"speed\":");
    speed(ob, p->speed, scaled);
    LIT(",\"accuracy\":");
    boolean(ob, p->accuracy);
    LIT(",\"lon\":");
    latlon4(ob, p->lon, scaled);
    LIT(",\"lat\":");
    latlon4(ob, p->lat, scaled);
    LIT(",\"course\":");
    tenths(ob, p->course, scaled);
    LIT(",\"heading\":");
    u(ob, p->heading);
    LIT(",\"second\":");
    u(ob, p->second);
    LIT(",\"maneuver\":");
    u(ob, p->maneuver);
    LIT(",\"raim\":");
    boolean(ob, p->raim);
    LIT(",\"radio\":");
    u(ob, p->radio);
}

static void body_base(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    const struct orbat_ais_base *p = &m->u.base;
    LIT(",\"timestamp\":\"");
    if (p->year < 1000)
        ob_putc(ob, '0');
    if (p->year < 100)
        ob_putc(ob, '0');
    two(ob, p->year);
    ob_putc(ob, '-');
    two(ob, p->month);
    ob_putc(ob, '-');
    two(ob, p->day);
    ob_putc(ob, 'T');
    two(ob, p->hour);
    ob_putc(ob, ':');
    two(ob, p->minute);
    ob_putc(ob, ':');
    two(ob, p->second);
    LIT("Z\",\"accuracy\":");
    boolean(ob, p->accuracy);
    LIT(",\"lon\":");
    latlon4(ob, p->lon, scaled);
    LIT(",\"lat\":");
    latlon4(ob, p->lat, scaled);
    epfd(ob, p->epfd);
    LIT(",\"raim\":");
    boolean(ob, p->raim);
    LIT(",\"radio\":");
    u(ob, p->radio);
}

static void body_static(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    const struct orbat_ais_static *p = &m->u.stat;
    LIT(",\"imo\":");
    u(ob, p->imo);
    LIT(",\"ais_version\":");
    u(ob, p->ais_version);
    LIT(",\"callsign\":");
    str(ob, p->callsign);
    LIT(",\"shipname\":");
    str(ob, p->shipname);
    shiptype(ob, p->shiptype);
    dims(ob, p->to_bow, p->to_stern, p->to_port, p->to_starboard);
    epfd(ob, p->epfd);
    LIT(",\"eta\":\"");
    two(ob, p->month);
    ob_putc(ob, '-');
    two(ob, p->day);
    ob_putc(ob, 'T');
    two(ob, p->hour);
    ob_putc(ob, ':');
    two(ob, p->minute);
    LIT("Z\",\"draught\":");
    tenths(ob, p->draught, scaled);
    LIT(",\"destination\":");
    str(ob, p->destination);
    LIT(",\"dte\":");
    u(ob, p->dte);
}

static void body_sar(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    const struct orbat_ais_sar *p = &m->u.sar;
    LIT(",\"alt\":");
    if (scaled && p->alt == 4095)
        LIT("\"nan\"");
    else
        u(ob, p->alt);
    LIT(",\"speed\":");
    if (scaled && p->speed == 1023)
        LIT("\"nan\"");
    else if (scaled && p->speed == 1022)
        LIT("\"fast\"");
    else
        u(ob, p->speed);
    LIT(",\"accuracy\":");
    boolean(ob, p->accuracy);
    LIT(",\"lon\":");
    latlon4(ob, p->lon, scaled);
    LIT(",\"lat\":");
    latlon4(ob, p->lat, scaled);
    LIT(",\"course\":");
    tenths(ob, p->course, scaled);
    LIT(",\"second\":");
    u(ob, p->second);
    LIT(",\"regional\":");
    u(ob, p->regional);
    LIT(",\"dte\":");
    u(ob, p->dte);
    LIT(",\"raim\":");
    boolean(ob, p->raim);
    LIT(",\"radio\":");
    u(ob, p->radio);
}

static void body_classb(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    const struct orbat_ais_classb *p = &m->u.cb;
    LIT(",\"reserved\":");
    u(ob, p->reserved);
    LIT(",\"speed\":");
    tenths(ob, p->speed, scaled); // 3.22: no "nan"/"fast" legend for 18/19
    LIT(",\"accuracy\":");
    boolean(ob, p->accuracy);
    LIT(",\"lon\":");
    latlon4(ob, p->lon, scaled);
    LIT(",\"lat\":");
    latlon4(ob, p->lat, scaled);
    LIT(",\"course\":");
    tenths(ob, p->course, scaled);
    LIT(",\"heading\":");
    u(ob, p->heading);
    LIT(",\"second\":");
    u(ob, p->second);
    LIT(",\"regional\":");
    u(ob, p->regional);
    if (m->type == 18) {
        LIT(",\"cs\":");
        boolean(ob, p->cs);
        LIT(",\"display\":");
        boolean(ob, p->display);
        LIT(",\"dsc\":");
        boolean(ob, p->dsc);
        LIT(",\"band\":");
        boolean(ob, p->band);
        LIT(",\"msg22\":");
        boolean(ob, p->msg22);
        LIT(",\"raim\":");
        boolean(ob, p->raim);
        LIT(",\"radio\":");
        u(ob, p->radio);
        return;
    }
    LIT(",\"shipname\":");
    str(ob, p->shipname);
    shiptype(ob, p->shiptype);
    dims(ob, p->to_bow, p->to_stern, p->to_port, p->to_starboard);
    epfd(ob, p->epfd);
    LIT(",\"raim\":");
    boolean(ob, p->raim);
    LIT(",\"dte\":");
    u(ob, p->dte);
    LIT(",\"assigned\":");
    boolean(ob, p->assigned);
}

static void body_aton(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    const struct orbat_ais_aton *p = &m->u.aton;
    LIT(",\"aid_type\":");
    u(ob, p->aid_type);
    LIT(",\"aid_type_text\":");
    str(ob, aid_type_text(p->aid_type));
    LIT(",\"name\":");
    str(ob, p->name);
    if (scaled) { // 3.22 orders lon, lat, accuracy when scaled
        LIT(",\"lon\":");
        latlon4(ob, p->lon, scaled);
        LIT(",\"lat\":");
        latlon4(ob, p->lat, scaled);
        LIT(",\"accuracy\":");
        boolean(ob, p->accuracy);
    } else {
        LIT(",\"accuracy\":");
        boolean(ob, p->accuracy);
        LIT(",\"lon\":");
        latlon4(ob, p->lon, scaled);
        LIT(",\"lat\":");
        latlon4(ob, p->lat, scaled);
    }
    dims(ob, p->to_bow, p->to_stern, p->to_port, p->to_starboard);
    epfd(ob, p->epfd);
    LIT(",\"second\":");
    u(ob, p->second);
    LIT(",\"regional\":");
    u(ob, p->regional);
    LIT(",\"off_position\":");
    boolean(ob, p->off_position);
    LIT(",\"raim\":");
    boolean(ob, p->raim);
    LIT(",\"virtual_aid\":");
    boolean(ob, p->virtual_aid);
}

static void body_chan(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    const struct orbat_ais_chanmgmt *p = &m->u.chan;
    LIT(",\"channel_a\":");
    u(ob, p->channel_a);
    LIT(",\"channel_b\":");
    u(ob, p->channel_b);
    LIT(",\"txrx\":");
    u(ob, p->txrx);
    LIT(",\"power\":");
    boolean(ob, p->power);
    if (!p->addressed) {
        LIT(",\"ne_lon\":");
        corner(ob, p->ne_lon, scaled);
        LIT(",\"ne_lat\":");
        corner(ob, p->ne_lat, scaled);
        LIT(",\"sw_lon\":");
        corner(ob, p->sw_lon, scaled);
        LIT(",\"sw_lat\":");
        corner(ob, p->sw_lat, scaled);
    } else {
        LIT(",\"dest1\":");
        u(ob, p->dest1);
        LIT(",\"dest2\":");
        u(ob, p->dest2);
    }
    LIT(",\"addressed\":");
    boolean(ob, p->addressed);
    LIT(",\"band_a\":");
    boolean(ob, p->band_a);
    LIT(",\"band_b\":");
    boolean(ob, p->band_b);
    LIT(",\"zonesize\":");
    u(ob, p->zonesize);
}

static void body_group(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    const struct orbat_ais_group *p = &m->u.grp;
    LIT(",\"ne_lon\":");
    corner(ob, p->ne_lon, scaled);
    LIT(",\"ne_lat\":");
    corner(ob, p->ne_lat, scaled);
    LIT(",\"sw_lon\":");
    corner(ob, p->sw_lon, scaled);
    LIT(",\"sw_lat\":");
    corner(ob, p->sw_lat, scaled);
    LIT(",\"stationtype\":");
    u(ob, p->stationtype);
    LIT(",\"stationtype_text\":");
    str(ob, station_type_text(p->stationtype));
    shiptype(ob, p->shiptype);
    LIT(",\"interval\":");
    u(ob, p->interval);
    LIT(",\"quiet\":");
    u(ob, p->quiet);
}

static void body_static_b(struct outbuf *ob, const struct orbat_ais_msg *m)
{
    const struct orbat_ais_static_b *p = &m->u.sb;
    LIT(",\"shipname\":");
    str(ob, p->shipname);
    shiptype(ob, p->shiptype);
    LIT(",\"vendorid\":");
    str(ob, p->vendorid);
    LIT(",\"model\":");
    u(ob, p->model);
    LIT(",\"serial\":");
    u(ob, p->serial);
    LIT(",\"callsign\":");
    str(ob, p->callsign);
    if (p->auxiliary) {
        LIT(",\"mothership_mmsi\":");
        u(ob, p->mothership_mmsi);
    } else {
        dims(ob, p->to_bow, p->to_stern, p->to_port, p->to_starboard);
    }
}

static void body_slot(struct outbuf *ob, const struct orbat_ais_msg *m)
{
    const struct orbat_ais_slotbin *p = &m->u.slot;
    LIT(",\"addressed\":");
    boolean(ob, p->addressed);
    LIT(",\"structured\":");
    boolean(ob, p->structured);
    LIT(",\"dest_mmsi\":");
    u(ob, p->dest_mmsi);
    LIT(",\"app_id\":");
    u(ob, p->app_id);
    data_hex(ob, m, p->data_start, p->data_bits);
    if (m->type == 26) {
        LIT(",\"radio\":");
        u(ob, p->radio);
    }
}

void ais_json_body(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    switch (m->type) {
    case 1:
    case 2:
    case 3:
        body_pos(ob, m, scaled);
        break;
    case 4:
    case 11:
        body_base(ob, m, scaled);
        break;
    case 5:
        body_static(ob, m, scaled);
        break;
    case 6:
        LIT(",\"seqno\":");
        u(ob, m->u.bin.seqno);
        LIT(",\"dest_mmsi\":");
        u(ob, m->u.bin.dest_mmsi);
        LIT(",\"retransmit\":");
        boolean(ob, m->u.bin.retransmit);
        /* fall through */
    case 8:
        LIT(",\"dac\":");
        u(ob, m->u.bin.dac);
        LIT(",\"fid\":");
        u(ob, m->u.bin.fid);
        // m->bits keeps the last sentence's fill bits after nbits and is zero
        // padded to ORBAT_AIS_MAX_BYTES, so up to 5 bits past the end may be
        // read, as gpsd does on short messages (docs/ais-apps.md).
        ais_json_app_tail_fill(ob, m->bits, m->nbits, 5, scaled);
        break;
    case 7:
    case 13:
        LIT(",\"mmsi1\":");
        u(ob, m->u.ack.mmsi[0]);
        LIT(",\"mmsi2\":");
        u(ob, m->u.ack.mmsi[1]);
        LIT(",\"mmsi3\":");
        u(ob, m->u.ack.mmsi[2]);
        LIT(",\"mmsi4\":");
        u(ob, m->u.ack.mmsi[3]);
        break;
    case 9:
        body_sar(ob, m, scaled);
        break;
    case 10:
        LIT(",\"dest_mmsi\":");
        u(ob, m->u.text.dest_mmsi);
        break;
    case 12:
        LIT(",\"seqno\":");
        u(ob, m->u.text.seqno);
        LIT(",\"dest_mmsi\":");
        u(ob, m->u.text.dest_mmsi);
        LIT(",\"retransmit\":");
        boolean(ob, m->u.text.retransmit);
        /* fall through */
    case 14:
        LIT(",\"text\":");
        str(ob, m->u.text.text);
        break;
    case 15: {
        const struct orbat_ais_interrogation *p = &m->u.inq;
        LIT(",\"mmsi1\":");
        u(ob, p->mmsi1);
        LIT(",\"type1_1\":");
        u(ob, p->type1_1);
        LIT(",\"offset1_1\":");
        u(ob, p->offset1_1);
        LIT(",\"type1_2\":");
        u(ob, p->type1_2);
        LIT(",\"offset1_2\":");
        u(ob, p->offset1_2);
        LIT(",\"mmsi2\":");
        u(ob, p->mmsi2);
        LIT(",\"type2_1\":");
        u(ob, p->type2_1);
        LIT(",\"offset2_1\":");
        u(ob, p->offset2_1);
        break;
    }
    case 16: {
        const struct orbat_ais_assigned *p = &m->u.asg;
        LIT(",\"mmsi1\":");
        u(ob, p->mmsi1);
        LIT(",\"offset1\":");
        u(ob, p->offset1);
        LIT(",\"increment1\":");
        u(ob, p->increment1);
        LIT(",\"mmsi2\":");
        u(ob, p->mmsi2);
        LIT(",\"offset2\":");
        u(ob, p->offset2);
        LIT(",\"increment2\":");
        u(ob, p->increment2);
        break;
    }
    case 17:
        LIT(",\"lon\":");
        latlon1(ob, m->u.gnss.lon, scaled);
        LIT(",\"lat\":");
        latlon1(ob, m->u.gnss.lat, scaled);
        data_hex(ob, m, m->u.gnss.data_start, m->u.gnss.data_bits);
        break;
    case 18:
    case 19:
        body_classb(ob, m, scaled);
        break;
    case 20: {
        static const char *const k[4][4] = {
            {",\"offset1\":", ",\"number1\":", ",\"timeout1\":", ",\"increment1\":"},
            {",\"offset2\":", ",\"number2\":", ",\"timeout2\":", ",\"increment2\":"},
            {",\"offset3\":", ",\"number3\":", ",\"timeout3\":", ",\"increment3\":"},
            {",\"offset4\":", ",\"number4\":", ",\"timeout4\":", ",\"increment4\":"},
        };
        for (unsigned j = 0; j < 4; j++) {
            ob_puts(ob, k[j][0]);
            u(ob, m->u.dlm.offset[j]);
            ob_puts(ob, k[j][1]);
            u(ob, m->u.dlm.number[j]);
            ob_puts(ob, k[j][2]);
            u(ob, m->u.dlm.timeout[j]);
            ob_puts(ob, k[j][3]);
            u(ob, m->u.dlm.increment[j]);
        }
        break;
    }
    case 21:
        body_aton(ob, m, scaled);
        break;
    case 22:
        body_chan(ob, m, scaled);
        break;
    case 23:
        body_group(ob, m, scaled);
        break;
    case 24:
        body_static_b(ob, m);
        break;
    case 25:
    case 26:
        body_slot(ob, m);
        break;
    case 27: {
        const struct orbat_ais_longrange *p = &m->u.lr;
        LIT(",\"status\":");
        if (scaled)
            str(ob, orbat_ais_status_text(p->status));
        else
            u(ob, p->status);
        LIT(",\"accuracy\":");
        boolean(ob, p->accuracy);
        LIT(",\"lon\":");
        latlon1(ob, p->lon, scaled);
        LIT(",\"lat\":");
        latlon1(ob, p->lat, scaled);
        LIT(",\"speed\":");
        u(ob, p->speed);
        LIT(",\"course\":");
        u(ob, p->course);
        LIT(",\"raim\":");
        boolean(ob, p->raim);
        LIT(",\"gnss\":");
        boolean(ob, p->gnss);
        break;
    }
    default:
        break;
    }
}

static void head(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled, bool device)
{
    if (device)
        LIT("{\"class\":\"AIS\",\"device\":\"stdin\",\"type\":");
    else
        LIT("{\"class\":\"AIS\",\"type\":");
    u(ob, m->type);
    LIT(",\"repeat\":");
    u(ob, m->repeat);
    LIT(",\"mmsi\":");
    u(ob, m->mmsi);
    if (scaled)
        LIT(",\"scaled\":true");
    else
        LIT(",\"scaled\":false");
}

void ais_json_gpsd(struct outbuf *ob, const struct orbat_ais_msg *m, bool scaled)
{
    head(ob, m, scaled, true);
    ais_json_body(ob, m, scaled);
    LIT("}\r\n");
}

void ais_json_line(struct outbuf *ob, const struct orbat_ais_msg *m)
{
    head(ob, m, false, false);
    if (m->type == 24) {
        if (m->u.sb.part == 0) {
            LIT(",\"part\":\"A\",\"shipname\":");
            str(ob, m->u.sb.shipname);
        } else {
            LIT(",\"part\":\"B\"");
            // part B alone: shipname is not in it, so skip that member
            const struct orbat_ais_static_b *p = &m->u.sb;
            shiptype(ob, p->shiptype);
            LIT(",\"vendorid\":");
            str(ob, p->vendorid);
            LIT(",\"model\":");
            u(ob, p->model);
            LIT(",\"serial\":");
            u(ob, p->serial);
            LIT(",\"callsign\":");
            str(ob, p->callsign);
            if (p->auxiliary) {
                LIT(",\"mothership_mmsi\":");
                u(ob, p->mothership_mmsi);
            } else {
                dims(ob, p->to_bow, p->to_stern, p->to_port, p->to_starboard);
            }
        }
    } else {
        ais_json_body(ob, m, false);
    }
    // provenance
    if (m->channel) {
        LIT(",\"channel\":\"");
        ob_putc(ob, m->channel);
        ob_putc(ob, '"');
    }
    LIT(",\"talker\":");
    ob_json_str(ob, m->talker, strnlen(m->talker, 2));
    if (m->tag.has_time) {
        LIT(",\"time_ms\":");
        i(ob, m->tag.time_ms);
    }
    if (m->tag.source[0]) {
        LIT(",\"source\":");
        str(ob, m->tag.source);
    }
    if (m->tag.has_group) {
        LIT(",\"group\":\"");
        u(ob, m->tag.group_seq);
        ob_putc(ob, '-');
        u(ob, m->tag.group_n);
        ob_putc(ob, '-');
        u(ob, m->tag.group_id);
        ob_putc(ob, '"');
    }
    LIT(",\"nbits\":");
    u(ob, m->nbits);
    LIT(",\"raw\":[");
    const char *p = m->raw, *end = m->raw + m->raw_len;
    bool first = true;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        if (!first)
            ob_putc(ob, ',');
        ob_json_str(ob, p, (size_t)(nl - p));
        first = false;
        p = nl + 1;
    }
    LIT("]}\n");
}
