/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ws.h - a websocket client (RFC 6455) on libwebsockets, run on its own
 * thread, that hands each received message to the caller as one line on a
 * socket (see ws_client_fd), so it sits in feed.c's poll() loop like a TCP
 * feed. Debian 12's libcurl (7.88) is built without ws/wss, hence
 * libwebsockets (libwebsockets-dev).
 *
 * After each connection the client sends one text message (the
 * subscription) and then reads. Messages are reassembled from fragments up
 * to WS_MAX_MSG bytes (longer ones are dropped and counted), CR and LF in
 * them become blanks, and each is written followed by '\n'. A message
 * {"error": "..."} from the server is not forwarded: it becomes the
 * client's last error. A failed connection, a close or an error is retried
 * with exponential backoff (0.5 s doubling to 30 s, +-25% jitter).
 * Nothing is logged: libwebsockets' own log is off, so the subscription
 * (it holds an API key) never reaches a log; errors are read back with
 * ws_client_status.
 *
 * Ownership: ws_client_start copies its arguments and returns a heap
 * object; ws_client_stop joins the thread, closes both ends of the socket
 * and frees it (NULL-safe).
 */
#ifndef ORBAT_FEED_WS_H
#define ORBAT_FEED_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WS_MAX_MSG        65536
#define WS_MAX_SUB        65536
#define WS_BACKOFF_MIN_MS 500
#define WS_BACKOFF_MAX_MS 30000

struct ws_target {
    char host[256];
    int port;
    char path[1024];
    bool tls;
};

struct ws_stats {
    uint64_t messages;   /* messages forwarded */
    uint64_t errors;     /* failed connections, server errors, oversized or unsendable */
    uint64_t connects;   /* websocket handshakes completed */
    uint64_t reconnects; /* connections after the first attempt */
    uint64_t dropped;    /* messages over WS_MAX_MSG */
    bool up;
    uint64_t events;   /* bumped at each connect and each error */
    unsigned retry_ms; /* delay before the next attempt, after an error */
    char last_error[160];
};

struct ws_client;

/* Parse "ws://HOST:PORT/PATH" or "wss://HOST[:PORT]/PATH". -1 if bad. */
int ws_target_parse(const char *url, struct ws_target *t);

/* Start the thread. subscribe: the text sent after each handshake.
 * NULL with a reason in err when the thread or socket cannot be made. */
struct ws_client *ws_client_start(const struct ws_target *t, const char *subscribe, char *err,
                                  size_t errsz);
/* The read end of the message socket (non-blocking). */
int ws_client_fd(const struct ws_client *c);
/* A consistent copy of the counters and the last error. */
void ws_client_status(struct ws_client *c, struct ws_stats *out);
void ws_client_stop(struct ws_client *c);

#endif /* ORBAT_FEED_WS_H */
