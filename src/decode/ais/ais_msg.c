/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_msg.c - decode a de-armoured AIS message, types 1..27, into struct
 * orbat_ais_msg (ITU-R M.1371-5 Annex 8 §3, Tables 45..92). Values stay in
 * raw ITU units with their "not available" sentinels.
 *
 * Length rules follow gpsd 3.22 so that output matches it message for
 * message: lenient ranges where transmitters are known to be sloppy (type
 * 1-3 from 163 bits, type 5 from 420 bits, over-long 4/9/18/19...), strict
 * rejection below the fields a type needs. Fixed-width text fields are read
 * like gpsd's UCHARS (they may read into the zeroed tail of the buffer);
 * variable-length text (types 12, 14) stops at the message end.
 */
#include "orbat/ais.h"

#include <string.h>

#include "decode/common/bits.h"
#include "orbat/orbat.h"

#define U(s, w) ((uint32_t)bits_u(b, (s), (w)))
#define S(s, w) ((int32_t)bits_s(b, (s), (w)))
/* fixed-width text field of `sizeof(to)-1` chars, read as gpsd does */
#define TEXT(s, to) orbat_ais_text(b, ORBAT_AIS_MAX_BITS, (s), sizeof(to) - 1, (to), sizeof(to))

/* Text to the end of the message: (nbits - start) / 6 characters. */
static void text_to_end(const uint8_t *b, unsigned nbits, unsigned start, char *to, size_t tosz)
{
    if (nbits <= start) {
        to[0] = '\0';
        return;
    }
    orbat_ais_text(b, nbits, start, (nbits - start) / 6, to, tosz);
}

/* MMSI 98MIDxxxx: craft associated with a parent ship (ITU-R M.585-9 Annex 2). */
static bool mmsi_auxiliary(uint32_t mmsi)
{
    return mmsi / 10000000 == 98;
}

int orbat_ais_decode(struct orbat_ais_msg *m)
{
    const uint8_t *b = m->bits;
    unsigned n = m->nbits;
    memset(&m->u, 0, sizeof m->u);
    if (n < 38) {
        m->type = n >= 6 ? (uint8_t)U(0, 6) : 0;
        return ORBAT_E_BITCOUNT;
    }
    // Common header, Table 45: message id, repeat indicator, user id.
    m->type = (uint8_t)U(0, 6);
    m->repeat = (uint8_t)U(6, 2);
    m->mmsi = U(8, 30);

#define RANGE(lo, hi)                                                                              \
    if (n < (lo) || n > (hi))                                                                      \
    return ORBAT_E_BITCOUNT
#define ATLEAST(lo)                                                                                \
    if (n < (lo))                                                                                  \
    return ORBAT_E_BITCOUNT

    switch (m->type) {
    case 1: // §3.1 Table 45: position report, scheduled / assigned / interrogated
    case 2:
    case 3: {
        struct orbat_ais_pos *p = &m->u.pos;
        ATLEAST(163); // gpsd 3.22: no upper bound (later gpsd: 204)
        p->status = (uint8_t)U(38, 4);
        p->turn = (int16_t)S(42, 8);
        p->speed = (uint16_t)U(50, 10);
        p->accuracy = U(60, 1);
        p->lon = S(61, 28);
        p->lat = S(89, 27);
        p->course = (uint16_t)U(116, 12);
        p->heading = (uint16_t)U(128, 9);
        p->second = (uint8_t)U(137, 6);
        p->maneuver = (uint8_t)U(143, 2);
        p->raim = U(148, 1);
        p->radio = n >= 168 ? U(149, 19) : U(149, n - 149);
        break;
    }
    case 4:    // §3.2 Table 46: base station report
    case 11: { // §3.9: UTC/date response, same layout
        struct orbat_ais_base *p = &m->u.base;
        ATLEAST(168);
        p->year = (uint16_t)U(38, 14);
        p->month = (uint8_t)U(52, 4);
        p->day = (uint8_t)U(56, 5);
        p->hour = (uint8_t)U(61, 5);
        p->minute = (uint8_t)U(66, 6);
        p->second = (uint8_t)U(72, 6);
        p->accuracy = U(78, 1);
        p->lon = S(79, 28);
        p->lat = S(107, 27);
        p->epfd = (uint8_t)U(134, 4);
        p->raim = U(148, 1);
        p->radio = U(149, 19);
        break;
    }
    case 5: { // §3.3 Table 48: static and voyage related data (424 bits; 420+ accepted)
        struct orbat_ais_static *p = &m->u.stat;
        ATLEAST(420);
        p->ais_version = (uint8_t)U(38, 2);
        p->imo = U(40, 30);
        TEXT(70, p->callsign);
        TEXT(112, p->shipname);
        p->shiptype = (uint8_t)U(232, 8);
        p->to_bow = (uint16_t)U(240, 9);
        p->to_stern = (uint16_t)U(249, 9);
        p->to_port = (uint8_t)U(258, 6);
        p->to_starboard = (uint8_t)U(264, 6);
        p->epfd = (uint8_t)U(270, 4);
        p->month = (uint8_t)U(274, 4);
        p->day = (uint8_t)U(278, 5);
        p->hour = (uint8_t)U(283, 5);
        p->minute = (uint8_t)U(288, 6);
        p->draught = (uint8_t)U(294, 8);
        TEXT(302, p->destination);
        p->dte = n >= 423 ? (uint8_t)U(422, 1) : 0;
        break;
    }
    case 6: { // §3.4 Table 49: addressed binary message
        struct orbat_ais_binary *p = &m->u.bin;
        RANGE(88, 1008);
        p->seqno = (uint8_t)U(38, 2);
        p->dest_mmsi = U(40, 30);
        p->retransmit = U(70, 1);
        p->dac = (uint16_t)U(72, 10);
        p->fid = (uint8_t)U(82, 6);
        p->data_start = 88;
        p->data_bits = (uint16_t)(n - 88);
        break;
    }
    case 7:    // §3.5 Table 50: binary acknowledge
    case 13: { // §3.11: safety related acknowledge, same layout
        struct orbat_ais_ack *p = &m->u.ack;
        RANGE(72, 168);
        for (unsigned i = 0; i < 4; i++)
            if (40 + 32 * i < n) {
                p->mmsi[i] = U(40 + 32 * i, 30);
                p->seqno[i] = (uint8_t)U(70 + 32 * i, 2);
            }
        break;
    }
    case 8: { // §3.6 Table 51: binary broadcast message
        struct orbat_ais_binary *p = &m->u.bin;
        RANGE(56, 1008);
        p->dac = (uint16_t)U(40, 10);
        p->fid = (uint8_t)U(50, 6);
        p->data_start = 56;
        p->data_bits = (uint16_t)(n - 56);
        break;
    }
    case 9: { // §3.7 Table 52: standard SAR aircraft position report
        struct orbat_ais_sar *p = &m->u.sar;
        ATLEAST(168);
        p->alt = (uint16_t)U(38, 12);
        p->speed = (uint16_t)U(50, 10);
        p->accuracy = U(60, 1);
        p->lon = S(61, 28);
        p->lat = S(89, 27);
        p->course = (uint16_t)U(116, 12);
        p->second = (uint8_t)U(128, 6);
        p->regional = (uint8_t)U(134, 8);
        p->dte = (uint8_t)U(142, 1);
        p->assigned = U(146, 1);
        p->raim = U(147, 1);
        p->radio = U(148, 20);
        break;
    }
    case 10: // §3.8 Table 53: UTC/date inquiry
        ATLEAST(72);
        m->u.text.dest_mmsi = U(40, 30);
        break;
    case 12: { // §3.10 Table 55: addressed safety related message
        struct orbat_ais_text *p = &m->u.text;
        RANGE(72, 1008);
        p->seqno = (uint8_t)U(38, 2);
        p->dest_mmsi = U(40, 30);
        p->retransmit = U(70, 1);
        text_to_end(b, n, 72, p->text, sizeof p->text);
        break;
    }
    case 14: // §3.12 Table 57: safety related broadcast message
        RANGE(40, 1008);
        text_to_end(b, n, 40, m->u.text.text, sizeof m->u.text.text);
        break;
    case 15: { // §3.13 Table 58: interrogation
        struct orbat_ais_interrogation *p = &m->u.inq;
        RANGE(88, 168);
        p->mmsi1 = U(40, 30);
        p->type1_1 = (uint8_t)U(70, 6);
        p->offset1_1 = (uint16_t)U(76, 12);
        if (n > 90) {
            p->type1_2 = (uint8_t)U(90, 6);
            p->offset1_2 = (uint16_t)U(96, 12);
            if (n > 110) {
                p->mmsi2 = U(110, 30);
                p->type2_1 = (uint8_t)U(140, 6);
                p->offset2_1 = (uint16_t)U(146, 12);
            }
        }
        break;
    }
    case 16: { // §3.14 Table 59: assigned mode command
        struct orbat_ais_assigned *p = &m->u.asg;
        RANGE(96, 168);
        p->mmsi1 = U(40, 30);
        p->offset1 = (uint16_t)U(70, 12);
        p->increment1 = (uint16_t)U(82, 10);
        if (n >= 144) {
            p->mmsi2 = U(92, 30);
            p->offset2 = (uint16_t)U(122, 12);
            p->increment2 = (uint16_t)U(134, 10);
        }
        break;
    }
    case 17: { // §3.15 Table 60: GNSS broadcast binary message
        struct orbat_ais_gnss *p = &m->u.gnss;
        RANGE(80, 816);
        p->lon = S(40, 18);
        p->lat = S(58, 17);
        p->data_start = 80;
        p->data_bits = (uint16_t)(n - 80);
        break;
    }
    case 18: { // §3.16 Table 61: standard Class B position report
        struct orbat_ais_classb *p = &m->u.cb;
        ATLEAST(168);
        p->reserved = (uint8_t)U(38, 8);
        p->speed = (uint16_t)U(46, 10);
        p->accuracy = U(56, 1);
        p->lon = S(57, 28);
        p->lat = S(85, 27);
        p->course = (uint16_t)U(112, 12);
        p->heading = (uint16_t)U(124, 9);
        p->second = (uint8_t)U(133, 6);
        p->regional = (uint8_t)U(139, 2);
        p->cs = U(141, 1);
        p->display = U(142, 1);
        p->dsc = U(143, 1);
        p->band = U(144, 1);
        p->msg22 = U(145, 1);
        p->assigned = U(146, 1);
        p->raim = U(147, 1);
        p->radio = U(148, 20);
        break;
    }
    case 19: { // §3.17 Table 62: extended Class B position report
        struct orbat_ais_classb *p = &m->u.cb;
        ATLEAST(312);
        p->reserved = (uint8_t)U(38, 8);
        p->speed = (uint16_t)U(46, 10);
        p->accuracy = U(56, 1);
        p->lon = S(57, 28);
        p->lat = S(85, 27);
        p->course = (uint16_t)U(112, 12);
        p->heading = (uint16_t)U(124, 9);
        p->second = (uint8_t)U(133, 6);
        p->regional = (uint8_t)U(139, 4);
        TEXT(143, p->shipname);
        p->shiptype = (uint8_t)U(263, 8);
        p->to_bow = (uint16_t)U(271, 9);
        p->to_stern = (uint16_t)U(280, 9);
        p->to_port = (uint8_t)U(289, 6);
        p->to_starboard = (uint8_t)U(295, 6);
        p->epfd = (uint8_t)U(301, 4);
        p->raim = U(305, 1);
        p->dte = U(306, 1);
        p->assigned = U(307, 1);
        break;
    }
    case 20: { // §3.18 Table 63: data link management
        struct orbat_ais_dlm *p = &m->u.dlm;
        RANGE(72, 186);
        for (unsigned i = 0; i < 4; i++) {
            unsigned o = 40 + 30 * i;
            p->offset[i] = (uint16_t)U(o, 12);
            p->number[i] = (uint8_t)U(o + 12, 4);
            p->timeout[i] = (uint8_t)U(o + 16, 3);
            p->increment[i] = (uint16_t)U(o + 19, 11);
        }
        break;
    }
    case 21: { // §3.19 Table 64: aid-to-navigation report
        struct orbat_ais_aton *p = &m->u.aton;
        RANGE(272, 368);
        p->aid_type = (uint8_t)U(38, 5);
        // name: 20 chars, not trimmed until the extension is appended
        size_t k = 0;
        static const char sixchr[65] =
            "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";
        for (; k < 20; k++) {
            char ch = sixchr[U(43 + 6 * (unsigned)k, 6)];
            if (ch == '@')
                break;
            p->name[k] = ch;
        }
        p->name[k] = '\0';
        p->accuracy = U(163, 1);
        p->lon = S(164, 28);
        p->lat = S(192, 27);
        p->to_bow = (uint16_t)U(219, 9);
        p->to_stern = (uint16_t)U(228, 9);
        p->to_port = (uint8_t)U(237, 6);
        p->to_starboard = (uint8_t)U(243, 6);
        p->epfd = (uint8_t)U(249, 4);
        p->second = (uint8_t)U(253, 6);
        p->off_position = U(259, 1);
        p->regional = (uint8_t)U(260, 8);
        p->raim = U(268, 1);
        p->virtual_aid = U(269, 1);
        p->assigned = U(270, 1);
        if (k == 20 && n > 272)
            text_to_end(b, n, 272, p->name + 20, sizeof p->name - 20);
        k = strlen(p->name);
        while (k > 0 && (p->name[k - 1] == ' ' || p->name[k - 1] == '@'))
            p->name[--k] = '\0';
        break;
    }
    case 22: { // §3.20 Table 65: channel management
        struct orbat_ais_chanmgmt *p = &m->u.chan;
        ATLEAST(168);
        p->channel_a = (uint16_t)U(40, 12);
        p->channel_b = (uint16_t)U(52, 12);
        p->txrx = (uint8_t)U(64, 4);
        p->power = U(68, 1);
        p->addressed = U(139, 1);
        if (!p->addressed) {
            p->ne_lon = S(69, 18);
            p->ne_lat = S(87, 17);
            p->sw_lon = S(104, 18);
            p->sw_lat = S(122, 17);
        } else {
            p->dest1 = U(69, 30);
            p->dest2 = U(104, 30);
        }
        p->band_a = U(140, 1);
        p->band_b = U(141, 1);
        p->zonesize = (uint8_t)U(142, 3);
        break;
    }
    case 23: { // §3.21 Table 67: group assignment command
        struct orbat_ais_group *p = &m->u.grp;
        ATLEAST(160);
        p->ne_lon = S(40, 18);
        p->ne_lat = S(58, 17);
        p->sw_lon = S(75, 18);
        p->sw_lat = S(93, 17);
        p->stationtype = (uint8_t)U(110, 4);
        p->shiptype = (uint8_t)U(114, 8);
        p->txrx = (uint8_t)U(144, 4);
        p->interval = (uint8_t)U(146, 4);
        p->quiet = (uint8_t)U(150, 4);
        break;
    }
    case 24: { // §3.22 Tables 68-69: static data report, part A or B
        struct orbat_ais_static_b *p = &m->u.sb;
        unsigned part = U(38, 2);
        if (part == 0) {
            RANGE(160, 168);
            p->part = 0;
            TEXT(40, p->shipname);
        } else if (part == 1) {
            ATLEAST(168);
            p->part = 1;
            p->shiptype = (uint8_t)U(40, 8);
            // vendor id: 7 chars before M.1371-4, 3 chars + model + serial after;
            // both are decoded, as gpsd does.
            TEXT(48, p->vendorid);
            p->model = (uint8_t)U(66, 4);
            p->serial = U(70, 20);
            TEXT(90, p->callsign);
            p->auxiliary = mmsi_auxiliary(m->mmsi);
            if (p->auxiliary) {
                p->mothership_mmsi = U(132, 30);
            } else {
                p->to_bow = (uint16_t)U(132, 9);
                p->to_stern = (uint16_t)U(141, 9);
                p->to_port = (uint8_t)U(150, 6);
                p->to_starboard = (uint8_t)U(156, 6);
            }
        } else {
            return ORBAT_E_RANGE; // parts C and D are not defined
        }
        break;
    }
    case 25: { // §3.23 Table 87: single slot binary message
        struct orbat_ais_slotbin *p = &m->u.slot;
        RANGE(40, 168);
        p->addressed = U(38, 1);
        p->structured = U(39, 1);
        unsigned hdr = 40 + 16u * p->structured + 30u * p->addressed;
        if (n < hdr)
            return ORBAT_E_BITCOUNT;
        if (p->addressed)
            p->dest_mmsi = U(40, 30);
        if (p->structured)
            p->app_id = (uint16_t)U(40 + 30u * p->addressed, 16);
        p->data_start = (uint16_t)hdr;
        p->data_bits = (uint16_t)(n - hdr);
        break;
    }
    case 26: { // §3.24 Table 88: multiple slot binary message (20-bit radio at the end)
        struct orbat_ais_slotbin *p = &m->u.slot;
        RANGE(60, 1004);
        p->addressed = U(38, 1);
        p->structured = U(39, 1);
        unsigned hdr = 40 + 16u * p->structured + 30u * p->addressed;
        if (n < hdr + 20)
            return ORBAT_E_BITCOUNT;
        if (p->addressed)
            p->dest_mmsi = U(40, 30);
        if (p->structured)
            p->app_id = (uint16_t)U(40 + 30u * p->addressed, 16);
        p->data_start = (uint16_t)hdr;
        // gpsd counts the data as everything after the header less 20 bits
        p->data_bits = (uint16_t)(n - hdr - 20);
        p->radio = 0; // gpsd 3.22 never fills it
        break;
    }
    case 27: { // §3.25 Table 90: long range broadcast (96 bits; 168 seen in the wild)
        struct orbat_ais_longrange *p = &m->u.lr;
        if (n != 96 && n != 168)
            return ORBAT_E_BITCOUNT;
        p->accuracy = U(38, 1);
        p->raim = U(39, 1);
        p->status = (uint8_t)U(40, 4);
        p->lon = S(44, 18);
        p->lat = S(62, 17);
        p->speed = (uint8_t)U(79, 6);
        p->course = (uint16_t)U(85, 9);
        p->gnss = U(94, 1);
        break;
    }
    default: // 0 and 28..63: no such message
        return ORBAT_E_RANGE;
    }
#undef RANGE
#undef ATLEAST
    return ORBAT_OK;
}
