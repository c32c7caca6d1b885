/* SPDX-License-Identifier: BSD-2-Clause
 *
 * http_req.c - HTTP/1.1 request head parsing, percent-decoding, query
 * strings and static path checks (see http_req.h). Everything is bounded by
 * the caller's length; nothing here allocates.
 *
 * libmicrohttpd parses the live requests (server.c: request line, headers,
 * and the query split into MHD_GET_ARGUMENT_KIND values with
 * MHD_get_connection_values). Its unescaping is not used because it does
 * not serve (issue 18; checked with libmicrohttpd 0.9.75, see
 * tests/unit/test_http.c "MHD_http_unescape"): it is lenient, so "%zz" and
 * a truncated "%2" stay in the value instead of being refused with 400, and
 * "%00" becomes a NUL byte that cuts the value short where MHD hands it out
 * as a C string ("a%00b" reads as "a"), which would let a parameter or a
 * static path mean something else than was sent. http_pct_decode refuses
 * all three. The request-head parser here is kept for the fuzz target and
 * the unit tests.
 */
#include "http/http_req.h"

#include <string.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-insensitive compare of a header name (n bytes) with a literal. */
static bool name_is(const char *p, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    if (n != l)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)p[i]) != lower((unsigned char)lit[i]))
            return false;
    return true;
}

static bool value_has_token(const char *p, size_t n, const char *tok)
{
    size_t l = strlen(tok);
    for (size_t i = 0; i + l <= n; i++) {
        size_t j = 0;
        while (j < l && lower((unsigned char)p[i + j]) == tok[j])
            j++;
        if (j == l)
            return true;
    }
    return false;
}

int http_pct_decode(const char *src, size_t n, char *dst, size_t size, bool plus_space)
{
    size_t o = 0;
    if (size == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)src[i];
        if (c == '%') { /* RFC 3986 2.1: "%" HEXDIG HEXDIG */
            if (i + 2 >= n)
                return -1;
            int h = hexval((unsigned char)src[i + 1]), l = hexval((unsigned char)src[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            c = h * 16 + l;
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        }
        if (c == 0 || o + 1 >= size)
            return -1;
        dst[o++] = (char)c;
    }
    dst[o] = 0;
    return (int)o;
}

int http_query_get(const char *query, const char *key, char *out, size_t size)
{
    size_t kl = strlen(key);
    const char *p = query;
    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t seg = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', seg);
        size_t nl = eq ? (size_t)(eq - p) : seg;
        char name[64];
        if (nl < sizeof(name) && http_pct_decode(p, nl, name, sizeof(name), true) >= 0 &&
            strlen(name) == kl && !memcmp(name, key, kl)) {
            if (!eq) {
                if (size == 0)
                    return -1;
                out[0] = 0;
                return 1;
            }
            return http_pct_decode(eq + 1, seg - nl - 1, out, size, true) < 0 ? -1 : 1;
        }
        p = amp ? amp + 1 : NULL;
    }
    return 0;
}

bool http_path_safe(const char *path)
{
    if (path[0] != '/')
        return false;
    for (const char *p = path; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f || c == '\\' || c == ':')
            return false;
        if (c == '/' && (p[1] == '/' || p[1] == '.'))
            return false; /* "//", "/.", "/..", hidden files */
    }
    return true;
}

/* RFC 9112 3: request-line = method SP request-target SP HTTP-version. */
static int parse_request_line(const char *p, size_t n, struct http_req *req)
{
    const char *sp1 = memchr(p, ' ', n);
    if (!sp1 || sp1 == p)
        return 400;
    size_t ml = (size_t)(sp1 - p);
    if (ml == 3 && !memcmp(p, "GET", 3))
        req->method = HTTP_GET;
    else if (ml == 4 && !memcmp(p, "HEAD", 4))
        req->method = HTTP_HEAD;
    else if (ml == 4 && !memcmp(p, "POST", 4))
        req->method = HTTP_POST;
    else
        req->method = HTTP_OTHER;
    for (size_t i = 0; i < ml; i++)
        if (p[i] < 'A' || p[i] > 'Z')
            return 400;
    const char *t = sp1 + 1, *end = p + n;
    const char *sp2 = memchr(t, ' ', (size_t)(end - t));
    if (!sp2 || sp2 == t)
        return 400;
    const char *v = sp2 + 1;
    size_t vl = (size_t)(end - v);
    if (vl != 8 || memcmp(v, "HTTP/1.", 7))
        return vl == 8 && !memcmp(v, "HTTP/", 5) ? 505 : 400;
    if (v[7] == '1')
        req->http11 = true;
    else if (v[7] != '0')
        return 505;
    /* origin-form only (RFC 9112 3.2.1); absolute-form to a proxy is not served */
    if (*t != '/')
        return 400;
    size_t tl = (size_t)(sp2 - t);
    for (size_t i = 0; i < tl; i++)
        if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
            return 400;
    const char *q = memchr(t, '?', tl);
    size_t pl = q ? (size_t)(q - t) : tl;
    if (pl >= HTTP_MAX_PATH)
        return 414;
    const char *hash = memchr(t, '#', tl);
    if (hash)
        return 400;
    if (http_pct_decode(t, pl, req->path, sizeof(req->path), false) < 0)
        return 400;
    if (q) {
        size_t ql = tl - pl - 1;
        if (ql >= HTTP_MAX_QUERY)
            return 414;
        memcpy(req->query, q + 1, ql);
        req->query[ql] = 0;
    }
    return 200;
}

static void copy_value(char *dst, size_t size, const char *v, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(dst, v, n);
    dst[n] = 0;
}

int http_req_parse(const char *buf, size_t len, struct http_req *req)
{
    memset(req, 0, sizeof(*req));
    /* Find the end of the head: CRLF CRLF (bare LF tolerated, RFC 9112 2.2). */
    size_t scan = len < HTTP_MAX_HEADER ? len : HTTP_MAX_HEADER;
    size_t head = 0;
    for (size_t i = 0; i < scan; i++) {
        if (buf[i] != '\n')
            continue;
        if (i + 1 < scan && buf[i + 1] == '\n') {
            head = i + 2;
            break;
        }
        if (i + 2 < scan && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
            head = i + 3;
            break;
        }
    }
    if (!head)
        return len >= HTTP_MAX_HEADER ? 431 : 0;
    req->header_len = head;
    /* Request line. */
    const char *nl = memchr(buf, '\n', head);
    size_t ll = (size_t)(nl - buf);
    if (ll && buf[ll - 1] == '\r')
        ll--;
    int st = parse_request_line(buf, ll, req);
    if (st != 200)
        return st;
    req->keep_alive = req->http11;
    bool have_len = false;
    /* Header fields: field-name ":" OWS field-value OWS (RFC 9112 5). */
    const char *p = nl + 1, *end = buf + head;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            return 400;
        size_t n = (size_t)(e - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n == 0)
            break;
        if (*p == ' ' || *p == '\t')
            return 400; /* obs-fold is rejected (RFC 9112 5.2) */
        const char *colon = memchr(p, ':', n);
        if (!colon || colon == p)
            return 400;
        size_t nlen = (size_t)(colon - p);
        for (size_t i = 0; i < nlen; i++)
            if (p[i] == ' ' || p[i] == '\t' || (unsigned char)p[i] < 0x21)
                return 400;
        const char *v = colon + 1, *ve = p + n;
        while (v < ve && (*v == ' ' || *v == '\t'))
            v++;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        size_t vl = (size_t)(ve - v);
        if (name_is(p, nlen, "content-length")) {
            size_t cl = 0;
            if (vl == 0 || vl > 9)
                return vl > 9 ? 413 : 400;
            for (size_t i = 0; i < vl; i++) {
                if (v[i] < '0' || v[i] > '9')
                    return 400;
                cl = cl * 10 + (size_t)(v[i] - '0');
            }
            if (have_len && cl != req->content_length)
                return 400; /* RFC 9112 6.3 item 5 */
            have_len = true;
            req->content_length = cl;
            if (cl > HTTP_MAX_BODY)
                return 413;
        } else if (name_is(p, nlen, "transfer-encoding")) {
            return 501; /* chunked request bodies are not accepted */
        } else if (name_is(p, nlen, "connection")) {
            if (value_has_token(v, vl, "close"))
                req->keep_alive = false;
            else if (value_has_token(v, vl, "keep-alive"))
                req->keep_alive = true;
        } else if (name_is(p, nlen, "authorization")) {
            if (vl >= sizeof(req->auth))
                return 431;
            copy_value(req->auth, sizeof(req->auth), v, vl);
        } else if (name_is(p, nlen, "content-type")) {
            copy_value(req->content_type, sizeof(req->content_type), v, vl);
        }
        p = e + 1;
    }
    return 200;
}

const char *http_status_text(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}
