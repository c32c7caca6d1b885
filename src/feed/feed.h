/* SPDX-License-Identifier: BSD-2-Clause
 *
 * feed.h - live network feeds: TCP clients (readsb/dump1090 Beast 30005,
 * AVR 30002, SBS 30003, AIS-catcher / AISHub NMEA over TCP) and UDP
 * listeners (NMEA AIS, AIS-catcher / rtl_ais style), several at once, each
 * named, in one poll() loop on one thread.
 *
 * A TCP feed reconnects after a failure or a close with exponential backoff
 * (0.5 s doubling to 30 s) and +-25% jitter, and keeps per-feed counters.
 * Received bytes are handed to the caller's on_data callback as they come;
 * on_reset is called when a TCP connection ends, so the caller can flush the
 * framing state of that stream (a partial line or frame cannot continue on
 * a new connection).
 *
 * An aisstream spec ("aisstream:", "aisstream+ws://HOST:PORT/PATH", see
 * aisstream.h) is a websocket feed (FEED_WS): a client thread (ws.h)
 * subscribes, reconnects with the same backoff, and writes each JSON
 * message as one line on a socket this loop reads; its counters and errors
 * are copied into the feed each round and told through the status callback.
 *
 * Ownership: feed_set_new returns a heap object freed with feed_set_free
 * (NULL-safe), which closes every socket. Callbacks and ctx are borrowed.
 * Every read is capped at FEED_READ_CAP bytes; the framing layers behind
 * the callbacks cap lines and frames.
 */
#ifndef ORBAT_FEED_FEED_H
#define ORBAT_FEED_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FEED_MAX            32
#define FEED_READ_CAP       65536
#define FEED_BACKOFF_MIN_MS 500
#define FEED_BACKOFF_MAX_MS 30000

enum feed_proto {
    FEED_TCP = 1, /* we connect to host:port */
    FEED_UDP = 2, /* we listen on host:port */
    FEED_WS = 3,  /* websocket client thread (aisstream); we read its message lines */
};

enum feed_state {
    FEED_IDLE = 0,   /* waiting for the next connection attempt */
    FEED_CONNECTING, /* non-blocking connect in progress */
    FEED_UP,         /* connected (TCP) or bound (UDP) */
};

struct feed_counters {
    uint64_t bytes;       /* bytes received */
    uint64_t reads;       /* successful reads / datagrams */
    uint64_t connects;    /* successful connections (TCP) or binds (UDP) */
    uint64_t disconnects; /* connections closed by the peer or by an error */
    uint64_t failures;    /* failed connection attempts */
    uint64_t messages;    /* whole messages received (FEED_WS) */
    uint64_t errors;      /* errors: failed connections, server refusals (FEED_WS) */
    uint64_t reconnects;  /* connection attempts after the first (FEED_WS) */
};

struct aisstream_spec;
struct ws_client;

struct feed {
    char name[64];
    char host[256];
    char port[16];
    char kind[16]; /* framing hint from the spec ("beast", "nmea", ...) or "" */
    enum feed_proto proto;
    enum feed_state state;
    int fd;
    unsigned backoff_ms; /* delay before the next attempt */
    int64_t next_try_ms; /* monotonic ms of the next attempt */
    char last_error[128];
    struct feed_counters c;
    struct aisstream_spec *ais; /* FEED_WS: the parsed spec (owned by the set) */
    struct ws_client *ws;       /* FEED_WS: the running client, NULL while idle */
    uint64_t ws_events;         /* FEED_WS: client events already told */
};

typedef void (*feed_data_cb)(void *ctx, struct feed *f, const uint8_t *buf, size_t n);
typedef void (*feed_reset_cb)(void *ctx, struct feed *f);

struct feed_set;

/* Told after each failed connection attempt or lost connection (why: the
 * reason, retry_ms: the delay before the next attempt) and after each
 * (re)connection (why NULL), so a front end can say what is happening;
 * the feed code itself writes nothing. ctx is the set's. */
typedef void (*feed_status_cb)(void *ctx, const struct feed *f, const char *why, unsigned retry_ms);

struct feed_set *feed_set_new(feed_data_cb on_data, feed_reset_cb on_reset, void *ctx);
void feed_set_status_cb(struct feed_set *s, feed_status_cb cb);
void feed_set_free(struct feed_set *s);

/* The aisstream API key (copied; NULL: $ORBAT_AISSTREAM_KEY at connect
 * time) and the boxes used when a spec has no bbox= (copied, at most
 * AISSTREAM_MAX_BOXES; none: the whole world). */
struct aisstream_box;
void feed_set_aisstream(struct feed_set *s, const char *key, const struct aisstream_box *boxes,
                        size_t nboxes);

/* Add a feed from a spec "[NAME=]tcp://HOST:PORT[/KIND]" or
 * "[NAME=]udp://HOST:PORT[/KIND]" (KIND: nmea, beast, avr, sbs; HOST may be
 * a name, an IPv4 address or [IPv6]), or an aisstream spec (kind
 * "aisstream": JSON lines). Returns the feed (owned by the set)
 * or NULL with a message in err (errsz bytes). */
struct feed *feed_set_add(struct feed_set *s, const char *spec, char *err, size_t errsz);
/* True when spec looks like a feed URL rather than a file name. */
bool feed_is_spec(const char *spec);
size_t feed_set_count(const struct feed_set *s);
struct feed *feed_set_get(struct feed_set *s, size_t i);

/* One round: start due connection attempts, wait up to timeout_ms for
 * activity, read what arrived and call the callbacks. Returns 0, or -1 when
 * poll() failed for a reason other than EINTR. */
int feed_set_poll(struct feed_set *s, int timeout_ms);

/* Monotonic milliseconds. */
int64_t feed_now_ms(void);

#endif /* ORBAT_FEED_FEED_H */
