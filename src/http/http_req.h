/* SPDX-License-Identifier: BSD-2-Clause
 *
 * http_req.h - HTTP/1.1 request parsing for orbat's server (RFC 9112
 * section 3 request line, section 5 header fields, section 6 message body
 * length; RFC 3986 section 2.1 percent-encoding). Pure functions over a
 * caller's buffer: no I/O, no allocation, so the fuzz target drives them
 * directly.
 *
 * Caps: the request line and header block together are at most
 * HTTP_MAX_HEADER bytes (8 KiB), a body at most HTTP_MAX_BODY (64 KiB);
 * larger requests are rejected with 431 / 413 before any of it is used.
 *
 * Ownership: struct http_req holds copies of the fields it needs in fixed
 * arrays (truncation is an error, never silent), so it does not borrow the
 * input buffer.
 */
#ifndef ORBAT_HTTP_HTTP_REQ_H
#define ORBAT_HTTP_HTTP_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_HEADER 8192
#define HTTP_MAX_BODY   65536
#define HTTP_MAX_PATH   1024
#define HTTP_MAX_QUERY  2048

enum http_method {
    HTTP_GET = 1,
    HTTP_HEAD,
    HTTP_POST,
    HTTP_OTHER, /* parsed but not served: 405 */
};

struct http_req {
    enum http_method method;
    char path[HTTP_MAX_PATH];   /* percent-decoded path, always starts with '/' */
    char query[HTTP_MAX_QUERY]; /* raw query string after '?', "" if none */
    char auth[256];             /* Authorization header value, "" if none */
    char content_type[128];
    size_t content_length; /* 0 when absent */
    size_t header_len;     /* bytes of request line + headers incl. the blank line */
    bool keep_alive;       /* HTTP/1.1 default unless "Connection: close" */
    bool http11;
};

/* Parse the request head in buf[0..len). Returns the HTTP status that
 * describes the outcome: 0 when more bytes are needed, 200 when req is
 * complete (its body, content_length bytes, follows at buf + header_len),
 * or an error status: 400 malformed, 413 body too large, 414 URI too long,
 * 431 header block too large, 501 unsupported transfer coding, 505 HTTP
 * version. */
int http_req_parse(const char *buf, size_t len, struct http_req *req);

/* Percent-decode src[0..n) into dst (size bytes, NUL-terminated); '+' is a
 * space when plus_space. Returns the decoded length, or -1 when the input is
 * malformed, decodes to a NUL byte, or does not fit. */
int http_pct_decode(const char *src, size_t n, char *dst, size_t size, bool plus_space);

/* The decoded value of key in an application/x-www-form-urlencoded query
 * string. Returns 1 found, 0 absent, -1 malformed or too long for out. */
int http_query_get(const char *query, const char *key, char *out, size_t size);

/* True when path (decoded, starting with '/') is safe to map under a
 * static directory: no "..", no "//", no backslash, no control bytes, no
 * hidden ("/.") segments. */
bool http_path_safe(const char *path);

/* The reason phrase of a status code ("Not Found"). */
const char *http_status_text(int status);

#endif /* ORBAT_HTTP_HTTP_REQ_H */
