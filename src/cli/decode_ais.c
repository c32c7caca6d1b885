/* SPDX-License-Identifier: BSD-2-Clause
 *
 * decode_ais.c - the AIS sink of `orbat decode`: split input into lines
 * (capped), each line into sentences (some feeds put two on one line),
 * feed them to the decoder library's reassembler and write JSON.
 *
 * gpsd compatibility lives here: type 24 parts A and B are paired per
 * channel in a small ring (8 entries, as gpsd's type24 queue) and only the
 * merged A+B object is written in the gpsd formats, as gpsdecode does.
 * Every rejected line or fragment is counted by reason for --stats.
 */
#include "cli/decode.h"

#include <stdlib.h>
#include <string.h>

#include "cli/ais_json.h"
#include "feed/aisstream_json.h"
#include "orbat/ais.h"
#include "orbat/orbat.h"
#include "util/linebuf.h"

#define T24_RING 8
#define NERR     64 /* counters for -enum orbat_err values */

struct t24_entry {
    uint32_t mmsi;
    char shipname[21];
};

struct ais_sink {
    enum decode_format format;
    struct outbuf *out;
    uint64_t lines;
    uint64_t sentences;    /* pieces that looked like !xxVDM/!xxVDO */
    uint64_t non_ais;      /* lines with no AIS sentence */
    uint64_t fragments;    /* fragments stored awaiting the rest of a group */
    uint64_t messages;     /* decoded messages */
    uint64_t written;      /* JSON objects written */
    uint64_t t24_unpaired; /* type 24 parts not written in gpsd formats */
    uint64_t by_type[64];
    uint64_t err[NERR];
    struct t24_entry t24[2][T24_RING];
    unsigned t24_next[2];
    struct linebuf lb;
    struct orbat_ais_reasm reasm;
    struct orbat_ais_msg msg;
};

struct ais_sink *ais_sink_new(const struct decode_opts *o, struct outbuf *out)
{
    struct ais_sink *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->format = o->format == DFMT_DEFAULT ? DFMT_GPSD : o->format;
    s->out = out;
    linebuf_init(&s->lb);
    orbat_ais_reasm_init(&s->reasm);
    return s;
}

void ais_sink_free(struct ais_sink *s)
{
    free(s);
}

static void count_err(struct ais_sink *s, int rc)
{
    unsigned k = (unsigned)-rc;
    s->err[k < NERR ? k : 0]++;
}

/* gpsd pairs a part B with a stored part A of the same MMSI on the same
 * channel; the entry is cleared so a repeated part B does not match. */
static bool t24_pair(struct ais_sink *s, struct orbat_ais_msg *m)
{
    unsigned c = (m->channel == 'B' || m->channel == '2') ? 1 : 0;
    if (m->u.sb.part == 0) {
        struct t24_entry *e = &s->t24[c][s->t24_next[c]];
        e->mmsi = m->mmsi;
        memcpy(e->shipname, m->u.sb.shipname, sizeof e->shipname);
        s->t24_next[c] = (s->t24_next[c] + 1) % T24_RING;
        return false;
    }
    for (unsigned k = 0; k < T24_RING; k++) {
        struct t24_entry *e = &s->t24[c][k];
        if (e->mmsi == m->mmsi) {
            memcpy(m->u.sb.shipname, e->shipname, sizeof e->shipname);
            e->mmsi = 0;
            return true;
        }
    }
    return false;
}

static void emit(struct ais_sink *s, struct orbat_ais_msg *m)
{
    switch (s->format) {
    case DFMT_NONE:
        return;
    case DFMT_JSONL:
        ais_json_line(s->out, m);
        break;
    default:
        if (m->type == 24 && !t24_pair(s, m)) {
            s->t24_unpaired++;
            return;
        }
        ais_json_gpsd(s->out, m, s->format == DFMT_GPSD_SCALED);
        break;
    }
    s->written++;
}

static void on_line(void *ctx, const char *line, size_t len)
{
    struct ais_sink *s = ctx;
    size_t off = 0, n;
    bool any = false;
    s->lines++;
    // '#' starts a comment line (gpsd's lexer skips them whole)
    if (len > 0 && line[0] == '#') {
        s->non_ais++;
        return;
    }
    if (len > 0 && line[0] == '{' && aisstream_line_is(line, len)) {
        // aisstream.io JSON (an aisstream feed): one whole message a line.
        int rc = aisstream_parse(line, len, &s->msg, NULL, 0);
        s->sentences++;
        if (rc == ORBAT_OK) {
            s->messages++;
            s->by_type[s->msg.type & 63]++;
            emit(s, &s->msg);
        } else {
            count_err(s, rc);
        }
        return;
    }
    while ((n = orbat_ais_next_piece(line, len, &off)) > 0) {
        int rc = orbat_ais_feed_line(&s->reasm, line + off, n, &s->msg);
        off += n;
        if (rc == ORBAT_E_UNSUPPORTED)
            continue;
        any = true;
        s->sentences++;
        if (rc == ORBAT_OK) {
            s->messages++;
            s->by_type[s->msg.type & 63]++;
            emit(s, &s->msg);
        } else if (rc == ORBAT_AGAIN) {
            s->fragments++;
        } else {
            count_err(s, rc);
        }
    }
    if (!any)
        s->non_ais++;
}

void ais_sink_feed(struct ais_sink *s, const char *p, size_t n, const char *source)
{
    (void)source;
    linebuf_feed(&s->lb, p, n, on_line, s);
}

void ais_sink_end_of_input(struct ais_sink *s)
{
    linebuf_finish(&s->lb, on_line, s);
}

void ais_sink_report(const struct ais_sink *s, FILE *f)
{
    unsigned pending = 0;
    for (unsigned k = 0; k < ORBAT_AIS_SLOTS; k++)
        pending += s->reasm.slot[k].used;
    fprintf(f, "ais: %llu lines, %llu sentences, %llu non-AIS lines, %llu messages, %llu written\n",
            (unsigned long long)s->lines, (unsigned long long)s->sentences,
            (unsigned long long)s->non_ais, (unsigned long long)s->messages,
            (unsigned long long)s->written);
    fprintf(f, "ais: messages by type:");
    for (unsigned t = 0; t < 64; t++)
        if (s->by_type[t])
            fprintf(f, " %u:%llu", t, (unsigned long long)s->by_type[t]);
    fprintf(f, "\n");
    fprintf(f,
            "ais: fragments stored %llu, groups expired %llu, abandoned %llu, "
            "incomplete at end %u\n",
            (unsigned long long)s->fragments, (unsigned long long)s->reasm.expired,
            (unsigned long long)s->reasm.abandoned, pending);
    fprintf(f, "ais: errors:");
    bool any = false;
    for (unsigned k = 1; k < NERR; k++)
        if (s->err[k]) {
            fprintf(f, " %s %llu", orbat_err_name(-(int)k), (unsigned long long)s->err[k]);
            any = true;
        }
    if (s->reasm.tag_errors) {
        fprintf(f, " tagblock %llu", (unsigned long long)s->reasm.tag_errors);
        any = true;
    }
    if (s->lb.toolong) {
        fprintf(f, " toolong-line %llu", (unsigned long long)s->lb.toolong);
        any = true;
    }
    fprintf(f, "%s\n", any ? "" : " none");
    if (s->t24_unpaired)
        fprintf(f, "ais: type 24 parts without a partner (not written in gpsd format): %llu\n",
                (unsigned long long)s->t24_unpaired);
}
