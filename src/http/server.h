/* SPDX-License-Identifier: BSD-2-Clause
 *
 * server.h - orbat's HTTP/1.1 server on libmicrohttpd (server.c), driven
 * from one thread by http_server_poll (no threads of MHD's own): keep-alive,
 * request heads capped at 8 KiB (431) and bodies at 64 KiB (413,
 * http_req.h), idle connections closed after HTTP_IDLE_MS, at most
 * HTTP_MAX_CONNS connections (more are refused with 503). The application
 * answers each complete request from a callback, on the polling thread.
 *
 * Ownership: http_server_new returns a heap object freed with
 * http_server_free (NULL-safe), which closes every socket. The handler's
 * response body is heap memory (malloc) that the server frees after
 * sending it.
 */
#ifndef ORBAT_HTTP_SERVER_H
#define ORBAT_HTTP_SERVER_H

#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http_req.h"

#define HTTP_MAX_CONNS 256
#define HTTP_IDLE_MS   30000
/* A new connection must send its first request head within HTTP_HEAD_MS
 * (else 408 and closed); one client address holds at most
 * HTTP_MAX_PER_ADDR connections (503 above); a request line carries at
 * most HTTP_MAX_PARAMS query parameters (414 above). */
#define HTTP_HEAD_MS      10000
#define HTTP_MAX_PER_ADDR 64
#define HTTP_MAX_PARAMS   64

struct http_resp {
    int status;
    const char *ctype; /* static string; NULL = application/json */
    char *body;        /* malloc'd, freed by the server; NULL = empty */
    size_t len;
    char extra[256]; /* extra header lines, each ending in "\r\n" */
};

/* Fill rs for rq; body is the request body (rq->content_length bytes). */
typedef void (*http_handler)(void *ctx, const struct http_req *rq, const char *body,
                             struct http_resp *rs);

struct http_stats {
    /* rejected: over HTTP_MAX_CONNS or HTTP_MAX_PER_ADDR, or a first
     * request head refused or timed out before it reached the handler */
    uint64_t connections, requests, rejected;
    uint64_t status_2xx, status_3xx, status_4xx, status_5xx;
    uint64_t bytes_in, bytes_out;
};

struct http_server;

/* Listen on "HOST:PORT" ("127.0.0.1:8080", "[::1]:8080", ":8080" = all;
 * the syntax of listen_addr.h: a port over 65535 is an error). Port 0
 * picks a free port (see http_server_port). NULL with a message in
 * err on failure. */
struct http_server *http_server_new(const char *listen, http_handler h, void *ctx, char *err,
                                    size_t errsz);
void http_server_free(struct http_server *s);
int http_server_port(const struct http_server *s);
/* True when the server listens on a loopback address only (127.0.0.0/8 or
 * ::1): false means other hosts can reach it. */
bool http_server_loopback(const struct http_server *s);

/* One round: accept, read, answer, write; waits up to timeout_ms. Returns
 * 0, or -1 when poll() failed for a reason other than EINTR. */
int http_server_poll(struct http_server *s, int timeout_ms);
/* Poll until *stop becomes non-zero. */
int http_server_run(struct http_server *s, volatile sig_atomic_t *stop);

/* A snapshot of the counters (safe to call from the handler). */
void http_server_stats(const struct http_server *s, struct http_stats *out);

/* Helpers for handlers: a JSON error body {"error": msg, "status": N}. */
void http_resp_error(struct http_resp *rs, int status, const char *msg);
/* Take ownership of a malloc'd buffer as the body. */
void http_resp_set(struct http_resp *rs, int status, const char *ctype, char *body, size_t len);

#endif /* ORBAT_HTTP_SERVER_H */
