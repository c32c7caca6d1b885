/* SPDX-License-Identifier: BSD-2-Clause
 *
 * client.c - the blocking HTTP/1.1 client behind client.h: non-blocking
 * connect and I/O under poll() with one deadline, then status line,
 * headers and body (Content-Length, chunked per RFC 9112 section 7.1, or
 * until close).
 */
#include "http/client.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int http_url_parse(const char *url, struct http_url *u)
{
    memset(u, 0, sizeof(*u));
    if (strncmp(url, "http://", 7))
        return -1;
    const char *h = url + 7, *slash = strchr(h, '/');
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
    for (const char *p = port; p && *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    memcpy(u->host, host, strlen(host) + 1); /* length checked above */
    snprintf(u->port, sizeof(u->port), "%s", port ? port : "80");
    return 0;
}

void http_client_free(struct http_client_resp *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

static int wait_fd(int fd, short ev, int64_t deadline)
{
    int left = (int)(deadline - now_ms());
    if (left <= 0)
        return -1;
    struct pollfd p = {.fd = fd, .events = ev};
    int r = poll(&p, 1, left);
    return r == 1 ? 0 : -1;
}

static int connect_to(const struct http_url *u, int64_t deadline)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(u->host, u->port, &hints, &res))
        return -1;
    int fd = -1;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0)
            continue;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        int soerr = 0;
        socklen_t sl = sizeof(soerr);
        if ((connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) ||
            wait_fd(fd, POLLOUT, deadline) || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) ||
            soerr) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

static int send_all(int fd, const char *p, size_t n, int64_t deadline)
{
    size_t off = 0;
    while (off < n) {
        if (wait_fd(fd, POLLOUT, deadline))
            return -1;
        ssize_t w = send(fd, p + off, n - off, MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return -1;
        if (w > 0)
            off += (size_t)w;
    }
    return 0;
}

/* Decode a chunked body in place; returns the decoded length or -1. */
static long dechunk(char *b, size_t n)
{
    size_t in = 0, out = 0;
    for (;;) {
        size_t sz = 0;
        int digits = 0;
        while (in < n) {
            int c = (unsigned char)b[in], d = c >= '0' && c <= '9'   ? c - '0'
                                              : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                                     : -1;
            if (d < 0)
                break;
            if (++digits > 8)
                return -1;
            sz = sz * 16 + (size_t)d;
            in++;
        }
        if (!digits)
            return -1;
        const char *nl = memchr(b + in, '\n', n - in); /* skip extensions */
        if (!nl)
            return -1;
        in = (size_t)(nl - b) + 1;
        if (sz == 0)
            return (long)out;
        if (sz > n - in)
            return -1;
        memmove(b + out, b + in, sz);
        out += sz;
        in += sz;
        if (in < n && b[in] == '\r')
            in++;
        if (in < n && b[in] == '\n')
            in++;
    }
}

int http_client_request(const struct http_url *u, const char *method, const char *ctype,
                        const char *body, size_t len, int timeout_ms, struct http_client_resp *out)
{
    memset(out, 0, sizeof(*out));
    int64_t deadline = now_ms() + timeout_ms;
    int fd = connect_to(u, deadline);
    if (fd < 0)
        return -1;
    char head[1600];
    int hn = snprintf(head, sizeof(head),
                      "%s %s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: orbat\r\nAccept: */*\r\n"
                      "Connection: close\r\n",
                      method, u->path, u->host, u->port);
    if (body)
        hn += snprintf(head + hn, sizeof(head) - (size_t)hn,
                       "Content-Type: %s\r\nContent-Length: %zu\r\n",
                       ctype ? ctype : "application/json", len);
    hn += snprintf(head + hn, sizeof(head) - (size_t)hn, "\r\n");
    int rc = -1;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (send_all(fd, head, (size_t)hn, deadline) || (body && send_all(fd, body, len, deadline)))
        goto out;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= HTTP_CLIENT_MAX_BODY + 16384) {
                rc = -2;
                goto out;
            }
            size_t nc = cap ? cap * 2 : 16384;
            char *nb = realloc(buf, nc);
            if (!nb)
                goto out;
            buf = nb;
            cap = nc;
        }
        if (wait_fd(fd, POLLIN, deadline))
            goto out;
        ssize_t r = recv(fd, buf + n, cap - n - 1, 0);
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = 0;
    char *sep = strstr(buf, "\r\n\r\n");
    if (n < 12 || strncmp(buf, "HTTP/1.", 7) || !sep)
        goto out;
    int status = atoi(buf + 9);
    if (status < 100 || status > 599)
        goto out;
    size_t hl = (size_t)(sep - buf) + 4, bl = n - hl;
    bool chunked = false;
    long clen = -1;
    for (char *p = strstr(buf, "\r\n") + 2; p < sep; p = strstr(p, "\r\n") + 2) {
        if (!strncasecmp(p, "content-length:", 15))
            clen = strtol(p + 15, NULL, 10);
        else if (!strncasecmp(p, "transfer-encoding:", 18) && strstr(p, "chunked") &&
                 strstr(p, "chunked") < strstr(p, "\r\n"))
            chunked = true;
    }
    memmove(buf, buf + hl, bl);
    buf[bl] = 0;
    if (chunked) {
        long d = dechunk(buf, bl);
        if (d < 0)
            goto out;
        bl = (size_t)d;
        buf[bl] = 0;
    } else if (clen >= 0) {
        if ((size_t)clen > bl)
            goto out; /* truncated */
        bl = (size_t)clen;
        buf[bl] = 0;
    }
    if (bl > HTTP_CLIENT_MAX_BODY) {
        rc = -2;
        goto out;
    }
    out->status = status;
    out->body = buf;
    out->len = bl;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    close(fd);
    return rc;
}
