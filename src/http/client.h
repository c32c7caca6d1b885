/* SPDX-License-Identifier: BSD-2-Clause
 *
 * client.h - a minimal blocking HTTP/1.1 client for plain http:// URLs
 * (RFC 9112): one request per connection ("Connection: close"), a total
 * deadline, Content-Length or read-to-close bodies, chunked transfer coding
 * decoded, response bodies capped. Used for alert webhooks (POST) and for
 * polling readsb / tar1090 aircraft.json (GET). No TLS: point https
 * sources at a local relay.
 *
 * Ownership: a response body is heap memory (malloc) released with
 * http_client_free.
 */
#ifndef ORBAT_HTTP_CLIENT_H
#define ORBAT_HTTP_CLIENT_H

#include <stddef.h>

#define HTTP_CLIENT_MAX_BODY (16u << 20)

struct http_url {
    char host[256];
    char port[16];
    char path[1024];
};

struct http_client_resp {
    int status; /* 0 when no valid response came */
    char *body;
    size_t len;
};

/* Split "http://HOST[:PORT][/PATH]" (HOST may be [IPv6]). -1 if malformed
 * or not http://. */
int http_url_parse(const char *url, struct http_url *u);

/* Send method (GET or POST) with body (may be NULL) and wait at most
 * timeout_ms in total. Returns 0 when a response was read (see status),
 * -1 on a network error or timeout, -2 when the body exceeded the cap. */
int http_client_request(const struct http_url *u, const char *method, const char *ctype,
                        const char *body, size_t len, int timeout_ms, struct http_client_resp *out);
void http_client_free(struct http_client_resp *r);

#endif /* ORBAT_HTTP_CLIENT_H */
