/* SPDX-License-Identifier: BSD-2-Clause
 *
 * client.c - http_client_request (see client.h) on libcurl's easy
 * interface: one handle per request (no connection reuse), redirects not
 * followed, http:// and https:// only (certificates verified by libcurl's
 * defaults), one total deadline (CURLOPT_TIMEOUT_MS), the response body
 * collected in a heap buffer capped at HTTP_CLIENT_MAX_BODY. libcurl is
 * initialised once per process (pthread_once) because pollers and the
 * alert webhook run on different threads; CURLOPT_NOSIGNAL keeps it off
 * SIGALRM. http_url_parse stays ours so that configuration errors are
 * reported when the config is read, not at the first request.
 */
#include "http/client.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int http_url_parse(const char *url, struct http_url *u)
{
    memset(u, 0, sizeof(*u));
    const char *h;
    if (!strncmp(url, "http://", 7)) {
        h = url + 7;
    } else if (!strncmp(url, "https://", 8)) {
        h = url + 8;
        u->tls = true;
    } else {
        return -1;
    }
    const char *slash = strchr(h, '/');
    size_t hl = slash ? (size_t)(slash - h) : strlen(h);
    char hp[300];
    if (hl == 0 || hl >= sizeof(hp))
        return -1;
    memcpy(hp, h, hl);
    hp[hl] = 0;
    if (strlen(slash ? slash : "/") >= sizeof(u->path))
        return -1;
    snprintf(u->path, sizeof(u->path), "%s", slash ? slash : "/");
    for (const char *p = u->path; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return -1;
    char *host = hp, *port = NULL;
    if (hp[0] == '[') {
        char *close = strchr(hp, ']');
        if (!close)
            return -1;
        *close = 0;
        host = hp + 1;
        if (close[1] == ':')
            port = close + 2;
        else if (close[1])
            return -1;
    } else {
        char *colon = strchr(hp, ':');
        if (colon) {
            *colon = 0;
            port = colon + 1;
        }
    }
    if (!*host || strlen(host) >= sizeof(u->host) || (port && (!*port || strlen(port) > 5)))
        return -1;
    for (const char *p = host; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '@' || *p == '/' ||
            *p == '?' || *p == '#')
            return -1; /* no userinfo, nothing curl would read as more than a host */
    for (const char *p = port; p && *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    memcpy(u->host, host, strlen(host) + 1); /* length checked above */
    snprintf(u->port, sizeof(u->port), "%s", port ? port : u->tls ? "443" : "80");
    return 0;
}

void http_client_free(struct http_client_resp *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

static pthread_once_t client_once = PTHREAD_ONCE_INIT;
static CURLcode client_init_rc = CURLE_FAILED_INIT;

static void client_init(void)
{
    client_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct sink {
    char *buf;
    size_t len, cap;
    bool over; /* body exceeded HTTP_CLIENT_MAX_BODY */
};

static size_t client_write(char *p, size_t size, size_t n, void *ud)
{
    struct sink *s = ud;
    size_t add = size * n;
    if (add > HTTP_CLIENT_MAX_BODY - s->len) {
        s->over = true;
        return 0; /* aborts the transfer (CURLE_WRITE_ERROR) */
    }
    if (s->len + add + 1 > s->cap) {
        size_t nc = s->cap ? s->cap : 16384;
        while (nc < s->len + add + 1)
            nc *= 2;
        char *nb = realloc(s->buf, nc);
        if (!nb)
            return 0;
        s->buf = nb;
        s->cap = nc;
    }
    memcpy(s->buf + s->len, p, add);
    s->len += add;
    s->buf[s->len] = 0;
    return add;
}

int http_client_request(const struct http_url *u, const char *method, const char *ctype,
                        const char *body, size_t len, int timeout_ms, struct http_client_resp *out)
{
    memset(out, 0, sizeof(*out));
    pthread_once(&client_once, client_init);
    if (client_init_rc != CURLE_OK)
        return -1;
    char url[1400];
    bool v6 = strchr(u->host, ':') != NULL;
    int un = snprintf(url, sizeof(url), "%s://%s%s%s:%s%s", u->tls ? "https" : "http",
                      v6 ? "[" : "", u->host, v6 ? "]" : "", u->port, u->path);
    if (un < 0 || (size_t)un >= sizeof(url))
        return -1;
    CURL *c = curl_easy_init();
    if (!c)
        return -1;
    struct sink sk = {0};
    struct curl_slist *hdrs = NULL;
    char cth[160];
    int rc = -1;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout_ms > 0 ? timeout_ms : 1));
    curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "orbat");
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HTTP_CLIENT_MAX_BODY);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, client_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sk);
    hdrs = curl_slist_append(hdrs, "Expect:"); /* no 100-continue round trip */
    if (body) {
        snprintf(cth, sizeof(cth), "Content-Type: %s", ctype ? ctype : "application/json");
        struct curl_slist *h2 = hdrs ? curl_slist_append(hdrs, cth) : NULL;
        if (h2)
            hdrs = h2;
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    if (!strcmp(method, "GET") && !body)
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    else if (strcmp(method, "POST"))
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (hdrs)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    CURLcode cr = curl_easy_perform(c);
    if (sk.over || cr == CURLE_FILESIZE_EXCEEDED) {
        rc = -2;
    } else if (cr == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 100 && status <= 599) {
            if (!sk.buf)
                sk.buf = calloc(1, 1); /* callers may read body as a string */
            if (sk.buf) {
                out->status = (int)status;
                out->body = sk.buf;
                out->len = sk.len;
                sk.buf = NULL;
                rc = 0;
            }
        }
    }
    free(sk.buf);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return rc;
}
