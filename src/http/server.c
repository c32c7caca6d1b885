/* SPDX-License-Identifier: BSD-2-Clause
 *
 * server.c - the poll() loop behind http_server_* (see server.h): accept,
 * buffer each request up to its caps, parse it with http_req_parse, call
 * the handler, and write the response with Content-Length, keeping the
 * connection open when the client asks for it.
 */
#include "http/server.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define INBUF_CAP (HTTP_MAX_HEADER + HTTP_MAX_BODY)

struct conn {
    int fd;
    char *in; /* INBUF_CAP bytes, allocated on accept */
    size_t in_len;
    char *out; /* response being written */
    size_t out_len, out_off;
    bool close_after;
    int64_t last_ms;
};

struct http_server {
    int lfd;
    int port;
    http_handler handler;
    void *ctx;
    struct conn conns[HTTP_MAX_CONNS];
    struct pollfd pfd[HTTP_MAX_CONNS + 1];
    struct http_stats st;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void http_resp_set(struct http_resp *rs, int status, const char *ctype, char *body, size_t len)
{
    free(rs->body);
    rs->status = status;
    rs->ctype = ctype;
    rs->body = body;
    rs->len = len;
}

void http_resp_error(struct http_resp *rs, int status, const char *msg)
{
    char *b = malloc(strlen(msg) * 6 + 64);
    if (!b) {
        http_resp_set(rs, status, "application/json", NULL, 0);
        return;
    }
    size_t o = (size_t)sprintf(b, "{\"error\":\"");
    for (const char *p = msg; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\')
            o += (size_t)sprintf(b + o, "\\%c", c);
        else if (c < 0x20)
            o += (size_t)sprintf(b + o, "\\u%04x", c);
        else
            b[o++] = (char)c;
    }
    o += (size_t)sprintf(b + o, "\",\"status\":%d}\n", status);
    http_resp_set(rs, status, "application/json", b, o);
}

struct http_server *http_server_new(const char *listen_on, http_handler h, void *ctx, char *err,
                                    size_t errsz)
{
    char host[256] = "", port[16] = "";
    const char *colon = strrchr(listen_on, ':');
    if (!colon || strlen(colon + 1) >= sizeof(port) || !colon[1]) {
        snprintf(err, errsz, "listen address '%s' is not HOST:PORT", listen_on);
        return NULL;
    }
    size_t hl = (size_t)(colon - listen_on);
    if (hl >= sizeof(host)) {
        snprintf(err, errsz, "host too long");
        return NULL;
    }
    memcpy(host, listen_on, hl);
    host[hl] = 0;
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = 0;
    }
    strcpy(port, colon + 1);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV},
                    *res = NULL;
    int gai = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (gai) {
        snprintf(err, errsz, "%s: %s", listen_on, gai_strerror(gai));
        return NULL;
    }
    int fd = -1;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 128) == 0)
            break;
        snprintf(err, errsz, "%s: %s", listen_on, strerror(errno));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return NULL;
    struct http_server *s = calloc(1, sizeof(*s));
    if (!s) {
        close(fd);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    set_nonblock(fd);
    s->lfd = fd;
    s->handler = h;
    s->ctx = ctx;
    for (int i = 0; i < HTTP_MAX_CONNS; i++)
        s->conns[i].fd = -1;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        s->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
    return s;
}

int http_server_port(const struct http_server *s)
{
    return s->port;
}

static void conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    free(c->in);
    free(c->out);
    memset(c, 0, sizeof(*c));
    c->fd = -1;
}

void http_server_free(struct http_server *s)
{
    if (!s)
        return;
    for (int i = 0; i < HTTP_MAX_CONNS; i++)
        if (s->conns[i].fd >= 0)
            conn_close(&s->conns[i]);
    close(s->lfd);
    free(s);
}

void http_server_stats(const struct http_server *s, struct http_stats *out)
{
    *out = s->st;
}

/* Serialize rs (head + body unless HEAD) into c->out. */
static void conn_respond(struct http_server *s, struct conn *c, struct http_resp *rs, bool head,
                         bool keep)
{
    char hdr[768];
    int st = rs->status ? rs->status : 500;
    int hn = snprintf(hdr, sizeof(hdr),
                      "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                      "Connection: %s\r\nX-Content-Type-Options: nosniff\r\n"
                      "Cache-Control: no-cache\r\n%s\r\n",
                      st, http_status_text(st), rs->ctype ? rs->ctype : "application/json", rs->len,
                      keep ? "keep-alive" : "close", rs->extra);
    if (hn < 0 || (size_t)hn >= sizeof(hdr))
        hn = 0;
    size_t blen = head ? 0 : rs->len;
    free(c->out);
    c->out = malloc((size_t)hn + blen + 1);
    c->out_off = 0;
    c->out_len = 0;
    if (c->out) {
        memcpy(c->out, hdr, (size_t)hn);
        if (blen)
            memcpy(c->out + hn, rs->body, blen);
        c->out_len = (size_t)hn + blen;
    }
    c->close_after = !keep;
    free(rs->body);
    rs->body = NULL;
    s->st.requests++;
    if (st < 300)
        s->st.status_2xx++;
    else if (st < 400)
        s->st.status_3xx++;
    else if (st < 500)
        s->st.status_4xx++;
    else
        s->st.status_5xx++;
}

/* Try to answer one complete request from c->in. Returns true when one
 * was answered (or an error response queued). */
static bool conn_process(struct http_server *s, struct conn *c)
{
    struct http_req rq;
    int st = http_req_parse(c->in, c->in_len, &rq);
    if (st == 0)
        return false;
    struct http_resp rs = {0};
    if (st != 200) {
        http_resp_error(&rs, st, http_status_text(st));
        conn_respond(s, c, &rs, false, false);
        c->in_len = 0;
        return true;
    }
    size_t total = rq.header_len + rq.content_length;
    if (c->in_len < total)
        return false; /* body still coming; total <= INBUF_CAP by the caps */
    s->handler(s->ctx, &rq, c->in + rq.header_len, &rs);
    conn_respond(s, c, &rs, rq.method == HTTP_HEAD, rq.keep_alive);
    memmove(c->in, c->in + total, c->in_len - total);
    c->in_len -= total;
    return true;
}

static void conn_read(struct http_server *s, struct conn *c)
{
    if (c->in_len >= INBUF_CAP) {
        conn_close(c);
        return;
    }
    ssize_t n = recv(c->fd, c->in + c->in_len, INBUF_CAP - c->in_len, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        conn_close(c);
        return;
    }
    if (n < 0)
        return;
    s->st.bytes_in += (uint64_t)n;
    c->in_len += (size_t)n;
    c->last_ms = now_ms();
    if (!c->out)
        conn_process(s, c);
}

static void conn_write(struct http_server *s, struct conn *c)
{
    while (c->out && c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                return;
            conn_close(c);
            return;
        }
        s->st.bytes_out += (uint64_t)n;
        c->out_off += (size_t)n;
        c->last_ms = now_ms();
    }
    free(c->out);
    c->out = NULL;
    if (c->close_after) {
        conn_close(c);
        return;
    }
    /* Pipelined request already buffered. */
    if (c->in_len && conn_process(s, c))
        conn_write(s, c);
}

static void do_accept(struct http_server *s)
{
    for (;;) {
        int fd = accept(s->lfd, NULL, NULL);
        if (fd < 0)
            return;
        s->st.connections++;
        struct conn *c = NULL;
        for (int i = 0; i < HTTP_MAX_CONNS && !c; i++)
            if (s->conns[i].fd < 0)
                c = &s->conns[i];
        char *in = c ? malloc(INBUF_CAP) : NULL;
        if (!c || !in) {
            static const char busy[] =
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                "application/json\r\nContent-Length: 45\r\nConnection: "
                "close\r\n\r\n{\"error\":\"too many connections\",\"status\":503}";
            ssize_t w = send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            (void)w;
            close(fd);
            free(in);
            s->st.rejected++;
            continue;
        }
        set_nonblock(fd);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        c->fd = fd;
        c->in = in;
        c->in_len = 0;
        c->last_ms = now_ms();
    }
}

int http_server_poll(struct http_server *s, int timeout_ms)
{
    struct conn *map[HTTP_MAX_CONNS];
    nfds_t n = 0;
    s->pfd[n++] = (struct pollfd){.fd = s->lfd, .events = POLLIN};
    int64_t now = now_ms();
    for (int i = 0; i < HTTP_MAX_CONNS; i++) {
        struct conn *c = &s->conns[i];
        if (c->fd < 0)
            continue;
        if (now - c->last_ms > HTTP_IDLE_MS) {
            conn_close(c);
            continue;
        }
        map[n - 1] = c;
        s->pfd[n++] = (struct pollfd){.fd = c->fd, .events = c->out ? POLLOUT : POLLIN};
    }
    int r = poll(s->pfd, n, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    for (nfds_t i = 1; i < n; i++) {
        struct conn *c = map[i - 1];
        short re = s->pfd[i].revents;
        if (!re || c->fd < 0)
            continue;
        if (re & (POLLERR | POLLNVAL)) {
            conn_close(c);
            continue;
        }
        if (c->out && (re & (POLLOUT | POLLHUP)))
            conn_write(s, c);
        else if (re & (POLLIN | POLLHUP)) {
            conn_read(s, c);
            if (c->fd >= 0 && c->out)
                conn_write(s, c);
        }
    }
    if (s->pfd[0].revents & POLLIN)
        do_accept(s);
    return 0;
}

int http_server_run(struct http_server *s, volatile sig_atomic_t *stop)
{
    while (!*stop)
        if (http_server_poll(s, 250) < 0)
            return -1;
    return 0;
}
