/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_http_client.c - the libcurl client (src/http/client.c) against
 * orbat's own libmicrohttpd server on a loopback port: URL parsing
 * (http/https, ports, IPv6, refusals), GET and POST round trips, a non-2xx
 * status, the body cap, and the deadline against a peer that never answers.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "http/client.h"
#include "http/server.h"

static void test_url(void)
{
    struct http_url u;
    CHECK_EQ_INT(http_url_parse("http://127.0.0.1:8080/data/aircraft.json", &u), 0, "http url");
    CHECK_EQ_STR(u.host, "127.0.0.1", "host");
    CHECK_EQ_STR(u.port, "8080", "port");
    CHECK_EQ_STR(u.path, "/data/aircraft.json", "path");
    CHECK(!u.tls, "http is not tls");
    CHECK_EQ_INT(http_url_parse("https://example.org", &u), 0, "https url");
    CHECK(u.tls, "https is tls");
    CHECK_EQ_STR(u.port, "443", "https default port");
    CHECK_EQ_STR(u.path, "/", "default path");
    CHECK_EQ_INT(http_url_parse("http://[::1]:9/x", &u), 0, "IPv6 literal");
    CHECK_EQ_STR(u.host, "::1", "IPv6 host without brackets");
    CHECK_EQ_INT(http_url_parse("http://h/x", &u), 0, "no port");
    CHECK_EQ_STR(u.port, "80", "http default port");
    CHECK_EQ_INT(http_url_parse("ftp://h/x", &u), -1, "ftp refused");
    CHECK_EQ_INT(http_url_parse("file:///etc/passwd", &u), -1, "file refused");
    CHECK_EQ_INT(http_url_parse("http://user@h/x", &u), -1, "userinfo refused");
    CHECK_EQ_INT(http_url_parse("http://h:80x/", &u), -1, "bad port refused");
    CHECK_EQ_INT(http_url_parse("http:///x", &u), -1, "empty host refused");
    CHECK_EQ_INT(http_url_parse("http://h/a b", &u), -1, "space in path refused");
}

static volatile sig_atomic_t stop_flag;

static void handler(void *ctx, const struct http_req *rq, const char *body, struct http_resp *rs)
{
    (void)ctx;
    if (!strcmp(rq->path, "/big")) {
        size_t n = HTTP_CLIENT_MAX_BODY + 1;
        char *b = malloc(n);
        if (b)
            memset(b, 'x', n);
        http_resp_set(rs, 200, "text/plain", b, b ? n : 0);
        return;
    }
    if (!strcmp(rq->path, "/missing")) {
        http_resp_error(rs, 404, "no such thing");
        return;
    }
    char *b = malloc(256 + rq->content_length);
    int n = snprintf(b, 256 + rq->content_length, "%s %s %s %.*s",
                     rq->method == HTTP_POST ? "POST" : "GET", rq->path, rq->content_type,
                     (int)rq->content_length, body);
    http_resp_set(rs, 200, "text/plain", b, (size_t)n);
}

static void *serve_thread(void *p)
{
    http_server_run(p, &stop_flag);
    return NULL;
}

static void test_roundtrip(void)
{
    char err[128];
    struct http_server *s = http_server_new("127.0.0.1:0", handler, NULL, err, sizeof(err));
    CHECK(s != NULL, "server up (%s)", s ? "ok" : err);
    if (!s)
        return;
    char url[128];
    pthread_t th;
    pthread_create(&th, NULL, serve_thread, s);
    struct http_url u;
    struct http_client_resp r;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hello", http_server_port(s));
    CHECK_EQ_INT(http_url_parse(url, &u), 0, "parse loopback url");
    CHECK_EQ_INT(http_client_request(&u, "GET", NULL, NULL, 0, 5000, &r), 0, "GET ok");
    CHECK_EQ_INT(r.status, 200, "GET status");
    CHECK_EQ_STR(r.body ? r.body : "", "GET /hello  ", "GET body, NUL-terminated");
    http_client_free(&r);
    CHECK_EQ_INT(http_client_request(&u, "POST", "application/json", "{\"a\":1}", 7, 5000, &r), 0,
                 "POST ok");
    CHECK_EQ_STR(r.body ? r.body : "", "POST /hello application/json {\"a\":1}", "POST body seen");
    http_client_free(&r);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/missing", http_server_port(s));
    http_url_parse(url, &u);
    CHECK_EQ_INT(http_client_request(&u, "GET", NULL, NULL, 0, 5000, &r), 0, "404 is a response");
    CHECK_EQ_INT(r.status, 404, "404 status");
    CHECK(r.body && strstr(r.body, "\"status\":404"), "404 JSON body");
    http_client_free(&r);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/big", http_server_port(s));
    http_url_parse(url, &u);
    CHECK_EQ_INT(http_client_request(&u, "GET", NULL, NULL, 0, 20000, &r), -2,
                 "body over the cap: -2");
    CHECK(r.body == NULL && r.status == 0, "nothing returned over the cap");
    stop_flag = 1;
    pthread_join(th, NULL);
    http_server_free(s);
}

static void test_deadline(void)
{
    /* A listener that never accepts: the request must give up at the deadline. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof(a);
    CHECK(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(fd, 4) == 0 &&
              getsockname(fd, (struct sockaddr *)&a, &al) == 0,
          "silent listener");
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(a.sin_port));
    struct http_url u;
    struct http_client_resp r;
    http_url_parse(url, &u);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ_INT(http_client_request(&u, "GET", NULL, NULL, 0, 300, &r), -1, "timeout: -1");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    CHECK(ms >= 250 && ms < 3000, "gave up after %.0f ms (deadline 300)", ms);
    close(fd);
}

int main(void)
{
    test_url();
    test_roundtrip();
    test_deadline();
    return check_exit();
}
