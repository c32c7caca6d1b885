/* SPDX-License-Identifier: BSD-2-Clause
 *
 * client.h - a blocking HTTP client on libcurl (client.c) for http:// and
 * https:// URLs: one request per handle, no connection reuse, no redirects,
 * a total deadline, response bodies capped at HTTP_CLIENT_MAX_BODY. Used
 * for alert webhooks (POST) and for polling readsb / tar1090 aircraft.json
 * (GET). Safe to call from several threads at once.
 *
 * Ownership: a response body is heap memory (malloc) released with
 * http_client_free.
 */
#ifndef ORBAT_HTTP_CLIENT_H
#define ORBAT_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_CLIENT_MAX_BODY (16u << 20)

struct http_url {
    char host[256];
    char port[16];
    char path[1024];
    bool tls; /* https:// */
};

struct http_client_resp {
    int status; /* 0 when no valid response came */
    char *body;
    size_t len;
};

/* Split "http[s]://HOST[:PORT][/PATH]" (HOST may be [IPv6]; the port
 * defaults to 80 or 443). -1 if malformed or neither http:// nor https://. */
int http_url_parse(const char *url, struct http_url *u);

/* Send method (GET or POST) with body (may be NULL) and wait at most
 * timeout_ms in total. Returns 0 when a response was read (see status),
 * -1 on a network error or timeout, -2 when the body exceeded the cap. */
int http_client_request(const struct http_url *u, const char *method, const char *ctype,
                        const char *body, size_t len, int timeout_ms, struct http_client_resp *out);
void http_client_free(struct http_client_resp *r);

#endif /* ORBAT_HTTP_CLIENT_H */
