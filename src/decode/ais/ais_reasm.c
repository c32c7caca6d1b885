/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_reasm.c - sentence to message: parse a !xxVDM/!xxVDO line, de-armour
 * its payload and reassemble multi-sentence messages (IEC 61162-1 §8.3.91:
 * fragment count, fragment number, sequential message id, channel).
 *
 * Groups in flight live in a fixed array of slots keyed by (channel,
 * sequential id, fragment count), so interleaved groups on both channels
 * complete independently. Memory is bounded: a group older than
 * ORBAT_AIS_MAX_AGE sentences expires, and when every slot is busy the
 * oldest group is evicted; both are counted in ->expired. When both the
 * group and a new fragment carry a time (tag block or trailer), a group more
 * than ORBAT_AIS_MAX_AGE_MS away from it expires too. A fragment with
 * no group is an orphan, a repeated fragment a duplicate, a gap drops the
 * group. Fill bits are subtracted per fragment and bits OR-ed into a zeroed
 * buffer, exactly as gpsd 3.22 does, so bit counts and padding match it.
 */
#include "orbat/ais.h"

#include <string.h>

#include "orbat/orbat.h"

void orbat_ais_reasm_init(struct orbat_ais_reasm *r)
{
    memset(r, 0, sizeof *r);
}

/* gpsd keeps two contexts: empty, '1' and 'A' share one; '2' and 'B' the other. */
static char chan_key(char c)
{
    return (c == '2' || c == 'B') ? 'B' : 'A';
}

/* Append one raw sentence (what the caller gave us, minus CR/LF) to a
 * '\n'-joined buffer, truncating at the cap. */
static void raw_append(char *raw, uint16_t *raw_len, uint8_t *nraw, const char *p, size_t n)
{
    size_t at = *raw_len;
    if (*nraw > 0 && at < ORBAT_AIS_RAW_CAP)
        raw[at++] = '\n';
    if (n > ORBAT_AIS_RAW_CAP - at)
        n = ORBAT_AIS_RAW_CAP - at;
    memcpy(raw + at, p, n);
    *raw_len = (uint16_t)(at + n);
    (*nraw)++;
}

/* De-armour a fragment onto bits at *nbits and remove its fill bits. */
static int add_payload(const struct orbat_nmea_sentence *s, uint8_t *bits, uint16_t *nbits)
{
    int rc = orbat_ais_dearmor(s->payload, s->payload_len, bits, ORBAT_AIS_MAX_BYTES, nbits);
    if (rc)
        return rc;
    if (s->fill > *nbits)
        return ORBAT_E_PADDING;
    *nbits = (uint16_t)(*nbits - s->fill);
    return ORBAT_OK;
}

static void slot_free(struct orbat_ais_slot *sl)
{
    sl->used = false;
}

static void envelope(struct orbat_ais_msg *out, const struct orbat_nmea_sentence *s)
{
    out->channel = s->channel;
    memcpy(out->talker, s->talker, sizeof out->talker);
    out->own = s->own;
    out->nfrags = s->nfrags;
    out->tag = s->tag;
    out->type = 0;
    out->repeat = 0;
    out->mmsi = 0;
}

static size_t trimmed(const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    return len;
}

int orbat_ais_feed_line(struct orbat_ais_reasm *r, const char *line, size_t len,
                        struct orbat_ais_msg *out)
{
    struct orbat_nmea_sentence s;
    r->sentences++;
    len = trimmed(line, len);
    int rc = orbat_nmea_parse_vdm(line, len, &s);
    if (rc)
        return rc;
    if (s.tag.err)
        r->tag_errors++;

    if (s.nfrags == 1) {
        envelope(out, &s);
        memset(out->bits, 0, sizeof out->bits);
        out->nbits = 0;
        out->nraw = 0;
        out->raw_len = 0;
        raw_append(out->raw, &out->raw_len, &out->nraw, line, len);
        rc = add_payload(&s, out->bits, &out->nbits);
        if (rc)
            return rc;
        return orbat_ais_decode(out);
    }

    // Expire stale groups first so their slots can be reused.
    for (unsigned i = 0; i < ORBAT_AIS_SLOTS; i++) {
        struct orbat_ais_slot *sl = &r->slot[i];
        bool stale = r->sentences - sl->born > ORBAT_AIS_MAX_AGE;
        if (sl->used && s.tag.has_time && sl->tag.has_time) {
            int64_t dt = s.tag.time_ms - sl->tag.time_ms;
            if (dt > ORBAT_AIS_MAX_AGE_MS || dt < -ORBAT_AIS_MAX_AGE_MS)
                stale = true;
        }
        if (sl->used && stale) {
            slot_free(sl);
            r->expired++;
        }
    }
    char key = chan_key(s.channel);
    struct orbat_ais_slot *sl = NULL;
    for (unsigned i = 0; i < ORBAT_AIS_SLOTS; i++) {
        struct orbat_ais_slot *c = &r->slot[i];
        if (c->used && c->channel == key && c->seqid == s.seqid && c->nfrags == s.nfrags) {
            sl = c;
            break;
        }
    }
    if (s.frag == 1) {
        if (sl) {
            // a new group reuses the key: the old one never completed
            r->abandoned++;
        } else {
            struct orbat_ais_slot *oldest = NULL;
            for (unsigned i = 0; i < ORBAT_AIS_SLOTS; i++) {
                struct orbat_ais_slot *c = &r->slot[i];
                if (!c->used) {
                    sl = c;
                    break;
                }
                if (!oldest || c->born < oldest->born)
                    oldest = c;
            }
            if (!sl) {
                sl = oldest;
                r->expired++;
            }
        }
        sl->used = true;
        sl->channel = key;
        sl->seqid = s.seqid;
        sl->nfrags = s.nfrags;
        sl->next = 2;
        sl->born = r->sentences;
        sl->nbits = 0;
        sl->nraw = 0;
        sl->raw_len = 0;
        sl->tag = s.tag;
        sl->chan_raw = s.channel;
        memcpy(sl->talker, s.talker, sizeof sl->talker);
        sl->own = s.own;
        memset(sl->bits, 0, sizeof sl->bits);
        rc = add_payload(&s, sl->bits, &sl->nbits);
        if (rc) {
            slot_free(sl);
            return rc;
        }
        raw_append(sl->raw, &sl->raw_len, &sl->nraw, line, len);
        return ORBAT_AGAIN;
    }
    if (!sl)
        return ORBAT_E_ORPHAN;
    if (s.frag != sl->next) {
        if (s.frag > sl->next) // a fragment went missing: the group cannot complete
            slot_free(sl);
        return ORBAT_E_FRAGMENT; // else a duplicate; keep waiting
    }
    rc = add_payload(&s, sl->bits, &sl->nbits);
    if (rc) {
        slot_free(sl);
        return rc;
    }
    raw_append(sl->raw, &sl->raw_len, &sl->nraw, line, len);
    sl->next++;
    if (s.frag < s.nfrags)
        return ORBAT_AGAIN;

    // Complete: hand the group over as one message.
    out->channel = sl->chan_raw;
    memcpy(out->talker, sl->talker, sizeof out->talker);
    out->own = sl->own;
    out->nfrags = sl->nfrags;
    out->tag = sl->tag;
    if (!out->tag.has_time && s.tag.has_time) {
        out->tag.time_ms = s.tag.time_ms;
        out->tag.has_time = true;
    }
    out->nbits = sl->nbits;
    memcpy(out->bits, sl->bits, sizeof out->bits);
    out->nraw = sl->nraw;
    out->raw_len = sl->raw_len;
    memcpy(out->raw, sl->raw, sl->raw_len);
    slot_free(sl);
    return orbat_ais_decode(out);
}
