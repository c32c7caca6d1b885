/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_http.c - unit tests of the HTTP request parser (http_req.c): request
 * line and headers, incomplete input, the 8 KiB / 64 KiB caps, bad
 * versions and codings, percent-decoding, query strings, the static path
 * check; and the server end to end on a loopback socket.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "check.h"
#include "http/http_req.h"
#include "http/listen_addr.h"
#include "http/server.h"

static int parse(const char *s, struct http_req *rq)
{
    return http_req_parse(s, strlen(s), rq);
}

static void test_parse(void)
{
    struct http_req rq;
    const char *r = "GET /api/oob?as_of=2025-10-22&theatre=carib%20bean HTTP/1.1\r\n"
                    "Host: x\r\nAuthorization:  Bearer abc \r\nContent-Length: 3\r\n\r\nxyz";
    CHECK_EQ_INT(parse(r, &rq), 200, "complete GET parses");
    CHECK_EQ_INT(rq.method, HTTP_GET, "method GET");
    CHECK_EQ_STR(rq.path, "/api/oob", "path");
    CHECK_EQ_STR(rq.query, "as_of=2025-10-22&theatre=carib%20bean", "raw query");
    CHECK_EQ_STR(rq.auth, "Bearer abc", "authorization value trimmed (RFC 9112 5.1 OWS)");
    CHECK_EQ_INT(rq.content_length, 3, "content length");
    CHECK_EQ_INT(rq.header_len, strlen(r) - 3, "head length excludes the body");
    CHECK(rq.keep_alive && rq.http11, "HTTP/1.1 keeps alive by default");
    char v[64];
    CHECK_EQ_INT(http_query_get(rq.query, "theatre", v, sizeof(v)), 1, "query key found");
    CHECK_EQ_STR(v, "carib bean", "query value percent-decoded");
    CHECK_EQ_INT(http_query_get(rq.query, "nope", v, sizeof(v)), 0, "absent key");
    CHECK_EQ_INT(http_query_get("a=1+2&b", "b", v, sizeof(v)), 1, "key without '='");
    CHECK_EQ_STR(v, "", "key without '=' is empty");
    CHECK_EQ_INT(http_query_get("a=1+2", "a", v, sizeof(v)), 1, "plus form");
    CHECK_EQ_STR(v, "1 2", "'+' is a space in queries");
    CHECK_EQ_INT(http_query_get("a=%zz", "a", v, sizeof(v)), -1, "bad escape in value");
    CHECK_EQ_INT(http_query_get("a=%00", "a", v, sizeof(v)), -1, "NUL escape rejected");
    CHECK_EQ_INT(http_query_get("a=12345678", "a", v, 4), -1, "value too long for out");

    CHECK_EQ_INT(parse("GET / HTTP/1.0\r\n\r\n", &rq), 200, "HTTP/1.0");
    CHECK(!rq.keep_alive, "HTTP/1.0 closes by default");
    CHECK_EQ_INT(parse("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n", &rq), 200, "close");
    CHECK(!rq.keep_alive, "Connection: close honoured (case-insensitive)");
    CHECK_EQ_INT(parse("GET / HTTP/1.1\nHost: a\n\n", &rq), 200, "bare LF line ends");
    CHECK_EQ_INT(parse("GET / HTTP/1.1\r\nHost: a\r\n", &rq), 0, "incomplete head: need more");
    CHECK_EQ_INT(parse("GET /", &rq), 0, "partial request line: need more");
    CHECK_EQ_INT(parse("BREW / HTTP/1.1\r\n\r\n", &rq), 200, "unknown method parses");
    CHECK_EQ_INT(rq.method, HTTP_OTHER, "... as HTTP_OTHER");
    CHECK_EQ_INT(parse("get / HTTP/1.1\r\n\r\n", &rq), 400, "lower-case method");
    CHECK_EQ_INT(parse("GET / HTTP/2.0\r\n\r\n", &rq), 505, "HTTP/2.0: 505");
    CHECK_EQ_INT(parse("GET / HTTP/1.2\r\n\r\n", &rq), 505, "HTTP/1.2: 505");
    CHECK_EQ_INT(parse("GET / FOO\r\n\r\n", &rq), 400, "no version: 400");
    CHECK_EQ_INT(parse("GET http://x/ HTTP/1.1\r\n\r\n", &rq), 400, "absolute-form: 400");
    CHECK_EQ_INT(parse("GET /a b HTTP/1.1\r\n\r\n", &rq), 400, "space in target: 400");
    CHECK_EQ_INT(parse("GET /%zz HTTP/1.1\r\n\r\n", &rq), 400, "bad escape in path: 400");
    CHECK_EQ_INT(parse("GET /%00 HTTP/1.1\r\n\r\n", &rq), 400, "NUL in path: 400");
    CHECK_EQ_INT(parse("GET / HTTP/1.1\r\n folded\r\n\r\n", &rq), 400, "obs-fold: 400");
    CHECK_EQ_INT(parse("GET / HTTP/1.1\r\nNoColon\r\n\r\n", &rq), 400, "header without colon");
    CHECK_EQ_INT(parse("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", &rq), 400, "space in name");
    CHECK_EQ_INT(parse("GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", &rq), 400, "bad length");
    CHECK_EQ_INT(parse("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", &rq),
                 400, "conflicting lengths (RFC 9112 6.3)");
    CHECK_EQ_INT(parse("POST / HTTP/1.1\r\nContent-Length: 65537\r\n\r\n", &rq), 413,
                 "body over 64 KiB: 413");
    CHECK_EQ_INT(parse("POST / HTTP/1.1\r\nContent-Length: 65536\r\n\r\n", &rq), 200,
                 "body of exactly 64 KiB accepted");
    CHECK_EQ_INT(parse("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", &rq), 413,
                 "absurd length: 413");
    CHECK_EQ_INT(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &rq), 501,
                 "chunked body: 501");

    static char big[HTTP_MAX_HEADER + 64];
    memset(big, 'a', sizeof(big) - 1);
    memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
    big[sizeof(big) - 1] = 0;
    CHECK_EQ_INT(parse(big, &rq), 431, "no end of head within 8 KiB: 431");
    char path[HTTP_MAX_PATH + 32] = "GET /";
    memset(path + 5, 'p', HTTP_MAX_PATH);
    strcpy(path + 5 + HTTP_MAX_PATH, " HTTP/1.1\r\n\r\n");
    CHECK_EQ_INT(parse(path, &rq), 414, "path over 1 KiB: 414");

    CHECK(http_path_safe("/index.html"), "plain path safe");
    CHECK(http_path_safe("/vendor/leaflet/leaflet.js"), "nested path safe");
    CHECK(!http_path_safe("/../etc/passwd"), "'..' unsafe");
    CHECK(!http_path_safe("/a/../../b"), "inner '..' unsafe");
    CHECK(!http_path_safe("//etc/passwd"), "'//' unsafe");
    CHECK(!http_path_safe("/.git/config"), "hidden segment unsafe");
    CHECK(!http_path_safe("/a\\..\\b"), "backslash unsafe");
    CHECK(!http_path_safe("a"), "relative unsafe");
    char d[16];
    CHECK_EQ_INT(http_pct_decode("%2e%2E", 6, d, sizeof(d), false), 2, "escapes decode");
    CHECK_EQ_STR(d, "..", "%2e%2E is '..'");
    CHECK_EQ_INT(http_pct_decode("%2", 2, d, sizeof(d), false), -1, "truncated escape");
    CHECK_EQ_INT(http_pct_decode("a+b", 3, d, sizeof(d), false), 3, "'+' kept in paths");
    CHECK_EQ_STR(d, "a+b", "'+' literal");
}

/* Why http_req.c keeps its own percent-decoding (its opening comment): MHD's
 * unescape is lenient where ours refuses. If a libmicrohttpd update made it
 * strict, these checks fail and the choice should be revisited. */
static void test_mhd_unescape(void)
{
    char b[16], d[16];
    snprintf(b, sizeof b, "a%%zzb");
    CHECK_EQ_INT((int)MHD_http_unescape(b), 5, "MHD_http_unescape keeps a malformed escape");
    CHECK_EQ_INT(http_pct_decode("a%zzb", 5, d, sizeof d, false), -1, "http_pct_decode refuses it");
    snprintf(b, sizeof b, "a%%00b");
    size_t n = MHD_http_unescape(b);
    CHECK(n == 3 && strlen(b) == 1, "MHD_http_unescape turns %%00 into a NUL that cuts the value");
    CHECK_EQ_INT(http_pct_decode("a%00b", 5, d, sizeof d, false), -1,
                 "http_pct_decode refuses %00");
}

/* End to end: a server on a loopback port, one thread polling it. */
static volatile sig_atomic_t stop_flag;

static void echo_handler(void *ctx, const struct http_req *rq, const char *body,
                         struct http_resp *rs)
{
    (void)ctx;
    char *b = malloc(HTTP_MAX_PATH + 64);
    int n = snprintf(b, HTTP_MAX_PATH + 64, "%s %zu %.*s", rq->path, rq->content_length,
                     (int)rq->content_length, body);
    http_resp_set(rs, 200, "text/plain", b, (size_t)n);
}

static void *serve_thread(void *p)
{
    http_server_run(p, &stop_flag);
    return NULL;
}

static size_t roundtrip(int port, const char *req, char *out, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    size_t got = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        send(fd, req, strlen(req), 0) == (ssize_t)strlen(req)) {
        ssize_t n;
        while (got + 1 < size && (n = recv(fd, out + got, size - 1 - got, 0)) > 0)
            got += (size_t)n;
    }
    out[got] = 0;
    close(fd);
    return got;
}

static void test_server(void)
{
    char err[128];
    struct http_server *s = http_server_new("127.0.0.1:0", echo_handler, NULL, err, sizeof(err));
    CHECK(s != NULL, "server listens on an ephemeral port (%s)", s ? "ok" : err);
    if (!s)
        return;
    int port = http_server_port(s);
    CHECK(port > 0, "bound port %d", port);
    pthread_t th;
    pthread_create(&th, NULL, serve_thread, s);
    char out[4096];
    roundtrip(port, "POST /echo HTTP/1.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
              out, sizeof(out));
    CHECK(strstr(out, "HTTP/1.1 200 OK\r\n") == out, "status line");
    CHECK(strstr(out, "Content-Length: 13\r\n") != NULL, "content length of the body");
    CHECK(strstr(out, "\r\n\r\n/echo 5 hello") != NULL, "handler saw path and body");
    roundtrip(port, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n", out,
              sizeof(out));
    // One request per connection (issue 17 F5): the first is answered with
    // "Connection: close", the pipelined second is not read.
    CHECK(strstr(out, "/a 0") && !strstr(out, "/b 0") && strstr(out, "Connection: close\r\n"),
          "pipelined requests: the first answered, then the connection closed");
    /* libmicrohttpd closes the connection on a request line it cannot
     * split, without an answer; a 400 (from a later MHD) is fine too. */
    size_t got = roundtrip(port, "NONSENSE\r\n\r\n", out, sizeof(out));
    CHECK(got == 0 || strstr(out, "HTTP/1.1 400 ") == out,
          "garbage is refused: connection closed or 400 (%zu bytes)", got);
    roundtrip(port, "GET /x HTTP/1.1\r\nContent-Length: 70000\r\n\r\n", out, sizeof(out));
    CHECK(strstr(out, "HTTP/1.1 413 ") == out, "oversized body gets 413 before it is sent");
    struct http_stats st;
    http_server_stats(s, &st);
    /* The garbage line never reaches server.c, so it is not counted. */
    CHECK(st.requests == 3 && st.status_2xx == 2 && st.status_4xx == 1,
          "counters: %llu requests (3), %llu 2xx (2), %llu 4xx (1)",
          (unsigned long long)st.requests, (unsigned long long)st.status_2xx,
          (unsigned long long)st.status_4xx);
    stop_flag = 1;
    pthread_join(th, NULL);
    http_server_free(s);
    char err2[128];
    CHECK(http_server_new("nonsense", echo_handler, NULL, err2, sizeof(err2)) == NULL,
          "listen address without a port is refused (%s)", err2);
    // 99999 used to bind 34463 (99999 mod 65536): out of range is an error.
    CHECK(http_server_new("127.0.0.1:99999", echo_handler, NULL, err2, sizeof(err2)) == NULL &&
              strstr(err2, "out of range 0..65535"),
          "port 99999 is refused (%s)", err2);
    CHECK(http_server_new("127.0.0.1:-1", echo_handler, NULL, err2, sizeof(err2)) == NULL &&
              strstr(err2, "not a number"),
          "port -1 is refused (%s)", err2);
    char host[64], hp[8];
    CHECK(listen_addr_parse("[::1]:08080", host, sizeof host, hp, sizeof hp, err2, sizeof err2) ==
                  0 &&
              !strcmp(host, "::1") && !strcmp(hp, "8080"),
          "[::1]:08080 -> ::1 8080 (%s %s)", host, hp);
    CHECK(listen_addr_parse(":65535", host, sizeof host, hp, sizeof hp, err2, sizeof err2) == 0 &&
              !host[0] && !strcmp(hp, "65535"),
          ":65535 -> all addresses, 65535");
    CHECK(listen_addr_parse("h:65536", host, sizeof host, hp, sizeof hp, err2, sizeof err2) == -1,
          "65536 is refused");
    CHECK(listen_addr_parse("h:0", host, sizeof host, hp, sizeof hp, err2, sizeof err2) == 0,
          "port 0 (any free port) is accepted");
}

int main(void)
{
    test_parse();
    test_mhd_unescape();
    test_server();
    return check_exit();
}
