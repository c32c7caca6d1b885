/* SPDX-License-Identifier: BSD-2-Clause
 *
 * frame_beast.c - Beast binary stream framing (Mode-S Beast "binary format",
 * port 30005; the layout dump1090 and readsb emit and accept):
 *   0x1a, type, 6-byte big-endian 12 MHz counter, 1 signal byte, data,
 * with every 0x1a after the leading one doubled (0x1a 0x1a). readsb's
 * 0x1a 0xe3 + 8-byte receiver id prefix is accepted and attached to the next
 * frame. The parser is a byte state machine with a fast path for frames that
 * lie wholly in the current chunk without escapes (the common case).
 */
#include "orbat/modes_frame.h"
#include "orbat/orbat.h"

#include <string.h>

enum {
    ST_SYNC = 0, /* looking for 0x1a */
    ST_TYPE,     /* after 0x1a: expecting the type byte */
    ST_BODY,     /* collecting escaped body bytes */
    ST_BODY_ESC, /* inside body, previous byte was 0x1a */
};

#define BEAST_ESC 0x1a
#define TYPE_RID  0xe3 /* readsb: receiver id prefix, 8 bytes */

/* Body length after the type byte: 6 timestamp + 1 signal + data; 0 for
 * an unknown type. */
static const uint8_t beast_body[256] = {
    [ORBAT_FRAME_MODEAC] = 7 + 2,
    [ORBAT_FRAME_SHORT] = 7 + 7,
    [ORBAT_FRAME_LONG] = 7 + 14,
    [ORBAT_FRAME_RADARCAPE_POS] = 7 + 14,
    [TYPE_RID] = 8,
};

static unsigned beast_body_len(uint8_t type)
{
    return beast_body[type];
}

/* Does p[0..n) contain 0x1a? 8 <= n <= 24. Word-at-a-time (SWAR) test on
 * overlapping 8-byte loads ([0,8) [8,16) [n-8,n)): a byte equal to 0x1a
 * becomes zero after the XOR, and (x - 0x0101..) & ~x & 0x8080.. is
 * non-zero exactly when some byte of x is zero. */
static inline bool beast_word_has_esc(const uint8_t *p)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t w;
    memcpy(&w, p, 8);
    w ^= ones * BEAST_ESC;
    return ((w - ones) & ~w & highs) != 0;
}

static inline bool beast_has_esc(const uint8_t *p, size_t n)
{
    if (beast_word_has_esc(p) || beast_word_has_esc(p + n - 8))
        return true;
    return n > 16 && beast_word_has_esc(p + 8);
}

void orbat_beast_init(struct orbat_beast *b)
{
    memset(b, 0, sizeof *b);
}

/* Turn an assembled body into a frame. Returns false for a receiver-id
 * prefix, which is stored for the next frame instead. */
static bool beast_emit(struct orbat_beast *b, uint8_t type, const uint8_t *body,
                       struct orbat_modes_frame *out)
{
    if (type == TYPE_RID) {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v = v << 8 | body[i];
        b->rid = v;
        b->pending_rid = true;
        return false;
    }
    uint64_t ts = (uint64_t)body[0] << 40 | (uint64_t)body[1] << 32 | (uint64_t)body[2] << 24 |
                  (uint64_t)body[3] << 16 | (uint64_t)body[4] << 8 | body[5];
    out->kind = type;
    out->ts_12mhz = ts;
    out->has_ts = true;
    out->signal = body[6];
    out->has_signal = true;
    out->has_receiver_id = b->pending_rid;
    out->receiver_id = b->pending_rid ? b->rid : 0;
    b->pending_rid = false;
    // Constant-size copies (inlined) for the common lengths.
    if (type == ORBAT_FRAME_SHORT) {
        out->len = 7;
        memcpy(out->data, body + 7, 7);
    } else if (type == ORBAT_FRAME_MODEAC) {
        out->len = 2;
        memcpy(out->data, body + 7, 2);
    } else {
        out->len = 14;
        memcpy(out->data, body + 7, 14);
    }
    b->frames++;
    return true;
}

int orbat_beast_next(struct orbat_beast *b, const uint8_t *data, size_t n, size_t *used,
                     struct orbat_modes_frame *out)
{
    size_t i = 0;
    // Fast paths: synchronised and a whole frame at data[0].
    if (b->state == ST_SYNC && n >= 2 + 9 && data[0] == BEAST_ESC) {
        uint8_t t = data[1];
        unsigned need = beast_body[t];
        if (need > 8 && n - 2 >= need) {
            if (!beast_has_esc(data + 2, need)) {
                beast_emit(b, t, data + 2, out);
                *used = 2 + need;
                return 0;
            }
            // Escaped bytes inside: unescape in one pass when the frame is
            // complete and well formed; anything else takes the byte path.
            size_t k = 2;
            unsigned got = 0;
            while (got < need && k < n) {
                uint8_t c = data[k++];
                if (c == BEAST_ESC) {
                    if (k >= n || data[k] != BEAST_ESC)
                        break;
                    k++;
                }
                b->body[got++] = c;
            }
            if (got == need) {
                beast_emit(b, t, b->body, out);
                *used = k;
                return 0;
            }
        }
    }
    while (i < n) {
        switch (b->state) {
        case ST_SYNC: {
            if (data[i] == BEAST_ESC) { // the usual case: frames back to back
                i++;
                b->state = ST_TYPE;
                break;
            }
            const uint8_t *q = memchr(data + i, BEAST_ESC, n - i);
            if (!q) {
                b->garbage_bytes += n - i;
                i = n;
                break;
            }
            b->garbage_bytes += (size_t)(q - (data + i));
            i = (size_t)(q - data) + 1;
            b->state = ST_TYPE;
            break;
        }
        case ST_TYPE: {
            uint8_t t = data[i++];
            unsigned need = beast_body_len(t);
            if (!need) {
                // 0x1a 0x1a outside a frame is an escaped data byte seen
                // while unsynchronised; anything else is an unknown type.
                if (t == BEAST_ESC)
                    b->garbage_bytes += 2;
                else
                    b->bad_type++;
                b->state = ST_SYNC;
                break;
            }
            b->type = t;
            b->need = (uint8_t)need;
            b->got = 0;
            // Fast path: whole body in this chunk and no 0x1a inside it.
            if (n - i >= need && !beast_has_esc(data + i, need)) {
                const uint8_t *body = data + i;
                i += need;
                b->state = ST_SYNC;
                if (beast_emit(b, t, body, out)) {
                    *used = i;
                    return 0;
                }
                break;
            }
            b->state = ST_BODY;
            break;
        }
        case ST_BODY:
        case ST_BODY_ESC: {
            uint8_t c = data[i++];
            if (b->state == ST_BODY_ESC) {
                if (c != BEAST_ESC) {
                    // A lone 0x1a: a new frame starts here. Abandon the
                    // partial one and treat c as the new type byte.
                    b->resync++;
                    b->state = ST_TYPE;
                    i--;
                    break;
                }
                b->state = ST_BODY;
            } else if (c == BEAST_ESC) {
                b->state = ST_BODY_ESC;
                break;
            }
            b->body[b->got++] = c;
            if (b->got == b->need) {
                b->state = ST_SYNC;
                if (beast_emit(b, b->type, b->body, out)) {
                    *used = i;
                    return 0;
                }
            }
            break;
        }
        default:
            b->state = ST_SYNC;
            break;
        }
    }
    *used = i;
    return ORBAT_AGAIN;
}

int orbat_beast_finish(struct orbat_beast *b)
{
    int rc = 0;
    if (b->state == ST_BODY || b->state == ST_BODY_ESC || b->state == ST_TYPE) {
        b->truncated++;
        rc = ORBAT_E_TRUNCATED;
    }
    b->state = ST_SYNC;
    b->pending_rid = false;
    return rc;
}

int orbat_beast_parse_one(const uint8_t *p, size_t n, struct orbat_modes_frame *out)
{
    if (n < 1 || p[0] != BEAST_ESC)
        return ORBAT_E_FRAME;
    // Shorter than the smallest frame (Mode A/C: 0x1a, type, 9 bytes).
    if (n < 2 + 9)
        return ORBAT_E_TRUNCATED;
    uint8_t t = p[1];
    unsigned need = beast_body_len(t);
    if (!need || t == TYPE_RID)
        return ORBAT_E_FRAME;
    uint8_t body[24];
    unsigned got = 0;
    size_t i = 2;
    while (got < need) {
        if (i >= n)
            return ORBAT_E_TRUNCATED;
        uint8_t c = p[i++];
        if (c == BEAST_ESC) {
            if (i >= n)
                return ORBAT_E_TRUNCATED;
            if (p[i] != BEAST_ESC)
                return ORBAT_E_FRAME;
            i++;
        }
        body[got++] = c;
    }
    if (i != n)
        return ORBAT_E_TOOLONG;
    struct orbat_beast b;
    orbat_beast_init(&b);
    beast_emit(&b, t, body, out);
    return ORBAT_OK;
}
