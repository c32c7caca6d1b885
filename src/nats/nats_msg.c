/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_msg.c - header encoding of a batch of raw lines (see nats_msg.h).
 */
#include "nats/nats_msg.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nats/nats_shard.h"

static const char *const kind_names[NMSG_NKINDS] = {"ais", "sbs", "avr", "modes"};

const char *nmsg_kind_name(enum nmsg_kind k)
{
    return (unsigned)k < NMSG_NKINDS ? kind_names[k] : "?";
}

bool nmsg_receiver_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= NMSG_RECEIVER_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

void nmsg_subject(char *buf, size_t cap, enum nmsg_kind k, unsigned shard)
{
    snprintf(buf, cap, "orbat.raw.%s.%u", k == NMSG_AIS ? "ais" : "adsb", shard);
}

void nmsg_msg_id(char *buf, size_t cap, const struct nmsg_hdr *h)
{
    snprintf(buf, cap, "%s.%" PRIu64 ".%" PRIu64, h->receiver, h->run, h->seq);
}

uint64_t nmsg_raw_offset(const struct nmsg_hdr *h, uint64_t pos)
{
    // 12 bits of receiver hash, 28 bits of batch sequence, 24 bits of the
    // position in the message (line number, or byte offset for frames).
    uint64_t rx = nshard_hash(h->receiver, strlen(h->receiver)) & 0xfffu;
    return rx << 52 | (h->seq & 0xfffffffu) << 24 | (pos & 0xffffffu);
}

natsStatus nmsg_put_header(natsMsg *msg, const struct nmsg_hdr *h)
{
    char id[160], v[32];
    nmsg_msg_id(id, sizeof id, h);
    natsStatus s = natsMsgHeader_Set(msg, "Nats-Msg-Id", id);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Orbat-Receiver", h->receiver);
    snprintf(v, sizeof v, "%" PRIu64, h->run);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Orbat-Run", v);
    snprintf(v, sizeof v, "%" PRIu64, h->seq);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Orbat-Seq", v);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Orbat-Kind", nmsg_kind_name(h->kind));
    snprintf(v, sizeof v, "%" PRId64, h->recv_ms);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Orbat-Time", v);
    snprintf(v, sizeof v, "%" PRIu32, h->lines);
    if (s == NATS_OK)
        s = natsMsgHeader_Set(msg, "Orbat-Lines", v);
    if (s == NATS_OK && h->simulated)
        s = natsMsgHeader_Set(msg, "Orbat-Sim", "1");
    return s;
}

static int get_u64(natsMsg *msg, const char *key, uint64_t *out)
{
    const char *v = NULL;
    if (natsMsgHeader_Get(msg, key, &v) != NATS_OK || !v || !*v)
        return -1;
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end)
        return -1;
    *out = x;
    return 0;
}

int nmsg_get_header(natsMsg *msg, struct nmsg_hdr *h)
{
    memset(h, 0, sizeof *h);
    const char *v = NULL;
    if (natsMsgHeader_Get(msg, "Orbat-Receiver", &v) != NATS_OK || !v || !nmsg_receiver_ok(v))
        return -1;
    snprintf(h->receiver, sizeof h->receiver, "%s", v);
    uint64_t t, lines;
    if (get_u64(msg, "Orbat-Run", &h->run) || get_u64(msg, "Orbat-Seq", &h->seq) ||
        get_u64(msg, "Orbat-Time", &t) || get_u64(msg, "Orbat-Lines", &lines) ||
        lines > NMSG_LINES_MAX)
        return -1;
    h->recv_ms = (int64_t)t;
    h->lines = (uint32_t)lines;
    if (natsMsgHeader_Get(msg, "Orbat-Kind", &v) != NATS_OK || !v)
        return -1;
    int k = 0;
    while (k < NMSG_NKINDS && strcmp(v, kind_names[k]))
        k++;
    if (k == NMSG_NKINDS)
        return -1;
    h->kind = (enum nmsg_kind)k;
    h->simulated = natsMsgHeader_Get(msg, "Orbat-Sim", &v) == NATS_OK && v && !strcmp(v, "1");
    return 0;
}
