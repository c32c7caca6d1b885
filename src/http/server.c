/* SPDX-License-Identifier: BSD-2-Clause
 *
 * server.c - http_server_* (see server.h) on GNU libmicrohttpd. MHD runs in
 * external-polling epoll mode (no threads of its own): http_server_poll
 * waits on the listening socket and MHD's epoll descriptor, accepts new
 * connections itself (so that connections over HTTP_MAX_CONNS get the same
 * 503 JSON answer as before) and hands the rest to MHD with
 * MHD_add_connection, then lets MHD_run read, parse, time out idle
 * connections (HTTP_IDLE_MS) and write. MHD parses the request line and
 * headers (connection memory capped near HTTP_MAX_HEADER), handles
 * keep-alive, pipelining and HEAD; this file fills struct http_req from
 * MHD's connection values, percent-decodes the path with http_pct_decode
 * (MHD's own unescaping is disabled), collects the body up to
 * HTTP_MAX_BODY (413 above) and turns the handler's http_resp into an MHD
 * response. http_req.c's parser is kept for the fuzz target and unit tests
 * and for its decoding helpers.
 *
 * The gate: a new connection is not handed to MHD until its first request
 * head has arrived (read with MSG_PEEK, so MHD still reads it all; poll
 * waits with SO_RCVLOWAT set past the bytes already seen, so a slow head
 * costs no busy loop). A head not complete within HTTP_HEAD_MS gets 408,
 * one over HTTP_MAX_HEADER 431; a request line with more than
 * HTTP_MAX_PARAMS query parameters 414 (MHD 0.9.75 runs out of connection
 * memory on such a line and closes without an answer); a Content-Length
 * that is not a plain decimal number 400, one over HTTP_MAX_BODY 413 (MHD
 * 0.9.75 sends its own answer to a malformed one twice). Later requests on
 * a keep-alive connection go to MHD directly: only its idle timeout bounds
 * them.
 */
#include "http/server.h"
#include "http/listen_addr.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Per-connection MHD memory pool: the request head (HTTP_MAX_HEADER) plus
 * room for MHD's own bookkeeping and the response head. */
#define MHD_POOL_BYTES HTTP_MAX_HEADER

/* A connection whose first request head is not yet complete. */
struct pending {
    int fd;
    int lowat; /* SO_RCVLOWAT set: poll wakes when more bytes arrive */
    int64_t t0_ms;
    struct sockaddr_storage sa;
    socklen_t sl;
};

struct http_server {
    int lfd;
    struct pending pend[HTTP_MAX_CONNS];
    unsigned npend;
    int port;
    bool loopback; /* bound to a loopback address only */
    struct MHD_Daemon *d;
    int mhd_fd;    /* MHD's epoll descriptor */
    unsigned live; /* connections MHD holds (notify_connection) */
    http_handler handler;
    void *ctx;
    struct http_stats st;
    int64_t head_ms; /* HTTP_HEAD_MS, or $ORBAT_HTTP_HEAD_MS (tests) */
};

/* One request in flight (MHD's con_cls). */
struct req_ctx {
    struct http_req rq;
    char *body; /* HTTP_MAX_BODY + 1 bytes once a body is announced */
    size_t len;
    int early; /* error status decided from the head, 0 = none */
};

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

/* MHD's unescaping is replaced by this identity: paths are decoded (and
 * malformed escapes rejected) by http_pct_decode, queries by
 * http_query_get, exactly as before. */
static size_t server_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static void server_notify_conn(void *cls, struct MHD_Connection *c, void **socket_ctx,
                               enum MHD_ConnectionNotificationCode code)
{
    (void)c;
    (void)socket_ctx;
    struct http_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        s->live++;
    else if (code == MHD_CONNECTION_NOTIFY_CLOSED && s->live)
        s->live--;
}

static void server_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                             enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    struct req_ctx *r = *con_cls;
    if (r) {
        free(r->body);
        free(r);
    }
    *con_cls = NULL;
}

/* Rebuild the raw query string from MHD's argument list (kept raw by
 * server_unescape; MHD turned '+' into ' ', turned back here). 0 ok, -1
 * too long. */
struct query_acc {
    char *q;
    size_t n;
    bool overflow;
};

static void query_put(struct query_acc *a, const char *s)
{
    for (; s && *s; s++) {
        if (a->n + 1 >= HTTP_MAX_QUERY) {
            a->overflow = true;
            return;
        }
        a->q[a->n++] = *s == ' ' ? '+' : *s;
    }
}

static enum MHD_Result query_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    struct query_acc *a = cls;
    if (a->n)
        query_put(a, "&");
    query_put(a, key);
    if (value) {
        query_put(a, "=");
        query_put(a, value);
    }
    a->q[a->n] = 0;
    return a->overflow ? MHD_NO : MHD_YES;
}

/* Count Content-Length fields whose value differs from the first one:
 * RFC 9112 6.3 item 5 makes conflicting lengths an error (400). */
struct cl_scan {
    const char *first;
    bool conflict;
};

static enum MHD_Result cl_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    struct cl_scan *c = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
        return MHD_YES;
    if (!c->first)
        c->first = value ? value : "";
    else if (strcmp(c->first, value ? value : ""))
        c->conflict = true;
    return MHD_YES;
}

static void copy_hdr(struct MHD_Connection *c, const char *name, char *dst, size_t size)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    snprintf(dst, size, "%s", v ? v : "");
}

/* Fill r->rq from the connection; returns 200 or an error status. */
static int req_fill(struct req_ctx *r, struct MHD_Connection *c, const char *url,
                    const char *method, const char *version)
{
    struct http_req *rq = &r->rq;
    if (!strcmp(method, "GET"))
        rq->method = HTTP_GET;
    else if (!strcmp(method, "HEAD"))
        rq->method = HTTP_HEAD;
    else if (!strcmp(method, "POST"))
        rq->method = HTTP_POST;
    else
        rq->method = HTTP_OTHER;
    for (const char *p = method; *p; p++)
        if (*p < 'A' || *p > 'Z')
            return 400;
    rq->http11 = !strcmp(version, "HTTP/1.1");
    if (!rq->http11 && strcmp(version, "HTTP/1.0"))
        return 505;
    if (url[0] != '/' || strchr(url, '#'))
        return 400;
    size_t pl = strlen(url);
    if (pl >= HTTP_MAX_PATH)
        return 414;
    for (size_t i = 0; i < pl; i++)
        if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f)
            return 400;
    if (http_pct_decode(url, pl, rq->path, sizeof(rq->path), false) < 0)
        return 400;
    struct query_acc qa = {rq->query, 0, false};
    rq->query[0] = 0;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_iter, &qa);
    if (qa.overflow)
        return 414;
    copy_hdr(c, MHD_HTTP_HEADER_AUTHORIZATION, rq->auth, sizeof(rq->auth));
    copy_hdr(c, MHD_HTTP_HEADER_CONTENT_TYPE, rq->content_type, sizeof(rq->content_type));
    const char *conn = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONNECTION);
    rq->keep_alive = conn ? strcasecmp(conn, "close") != 0 : rq->http11; /* RFC 9112 9.3 */
    const char *te =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (te)
        return 501; /* chunked request bodies are not accepted */
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    struct cl_scan scan = {NULL, false};
    MHD_get_connection_values(c, MHD_HEADER_KIND, cl_iter, &scan);
    if (scan.conflict)
        return 400;
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(cl, &end, 10);
        if (end == cl || *end || errno || cl[0] == '-' || cl[0] == '+')
            return 400;
        if (v > HTTP_MAX_BODY)
            return 413;
        rq->content_length = (size_t)v;
    }
    return 200;
}

static void count_status(struct http_server *s, int st)
{
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

/* Add each "Name: value\r\n" line of extra as a response header. */
static void add_extra(struct MHD_Response *mr, const char *extra)
{
    char line[256];
    while (*extra) {
        const char *eol = strstr(extra, "\r\n");
        size_t n = eol ? (size_t)(eol - extra) : strlen(extra);
        if (n < sizeof(line)) {
            memcpy(line, extra, n);
            line[n] = 0;
            char *colon = strchr(line, ':');
            if (colon) {
                *colon = 0;
                const char *v = colon + 1;
                while (*v == ' ')
                    v++;
                MHD_add_response_header(mr, line, v);
            }
        }
        extra += n;
        if (eol)
            extra += 2;
    }
}

static enum MHD_Result respond(struct http_server *s, struct MHD_Connection *c,
                               struct http_resp *rs, bool force_close)
{
    int st = rs->status ? rs->status : 500;
    struct MHD_Response *mr =
        MHD_create_response_from_buffer(rs->len, rs->len ? rs->body : NULL,
                                        rs->len ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!mr) {
        free(rs->body);
        rs->body = NULL;
        return MHD_NO;
    }
    if (!rs->len)
        free(rs->body);
    rs->body = NULL; /* owned by mr now */
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
                            rs->ctype ? rs->ctype : "application/json");
    MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    add_extra(mr, rs->extra);
    if (force_close)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)st, mr);
    MHD_destroy_response(mr);
    count_status(s, st);
    s->st.bytes_out += rs->len;
    return ok;
}

static enum MHD_Result server_access(void *cls, struct MHD_Connection *c, const char *url,
                                     const char *method, const char *version, const char *upload,
                                     size_t *upload_size, void **con_cls)
{
    struct http_server *s = cls;
    struct req_ctx *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof(*r));
        if (!r)
            return MHD_NO;
        *con_cls = r;
        int st = req_fill(r, c, url, method, version);
        if (st != 200) {
            /* Answer from the head alone; MHD closes the connection rather
             * than read a body we refused. */
            struct http_resp rs = {0};
            http_resp_error(&rs, st, http_status_text(st));
            r->early = st;
            return respond(s, c, &rs, true);
        }
        if (r->rq.content_length) {
            r->body = malloc(r->rq.content_length + 1);
            if (!r->body)
                return MHD_NO;
        }
        return MHD_YES;
    }
    if (r->early) {
        *upload_size = 0; /* response already queued; drop what still comes */
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        if (r->len + n > r->rq.content_length)
            return MHD_NO; /* cannot happen: MHD honours Content-Length */
        memcpy(r->body + r->len, upload, n);
        r->len += n;
        s->st.bytes_in += n;
        *upload_size = 0;
        return MHD_YES;
    }
    struct http_resp rs = {0};
    static const char empty[1] = "";
    s->handler(s->ctx, &r->rq, r->body ? r->body : empty, &rs);
    // One request per connection (issue 17 F5): every request then passes
    // the request-head gate of a new connection (HTTP_HEAD_MS, the per-address
    // cap), and no client can hold a keep-alive connection open by trickling
    // bytes, which libmicrohttpd's idle timeout allows. The cost is a TCP
    // connect per request: bench/RESULTS.md (HTTP section) has the figures.
    return respond(s, c, &rs, true);
}

struct http_server *http_server_new(const char *listen_on, http_handler h, void *ctx, char *err,
                                    size_t errsz)
{
    char host[256] = "", port[16] = "";
    if (listen_addr_parse(listen_on, host, sizeof(host), port, sizeof(port), err, errsz))
        return NULL;
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
    // The head deadline; tests shorten it (100..60000 ms) instead of waiting 10 s.
    s->head_ms = HTTP_HEAD_MS;
    const char *hm = getenv("ORBAT_HTTP_HEAD_MS");
    if (hm && atoi(hm) >= 100 && atoi(hm) <= 60000)
        s->head_ms = atoi(hm);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        s->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
        if (ss.ss_family == AF_INET)
            s->loopback =
                (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24) == 127; /* 127/8 */
        else if (ss.ss_family == AF_INET6)
            s->loopback = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&ss)->sin6_addr);
    }
    /* No listen socket of MHD's own: http_server_poll accepts (see top). */
    s->d = MHD_start_daemon(
        MHD_USE_EPOLL | MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, server_access, s,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNS, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)(HTTP_IDLE_MS / 1000), MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MHD_POOL_BYTES,
        MHD_OPTION_UNESCAPE_CALLBACK, server_unescape, NULL, MHD_OPTION_NOTIFY_CONNECTION,
        server_notify_conn, s, MHD_OPTION_NOTIFY_COMPLETED, server_completed, NULL, MHD_OPTION_END);
    const union MHD_DaemonInfo *di =
        s->d ? MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
    if (!di) {
        snprintf(err, errsz, "%s: libmicrohttpd failed to start", listen_on);
        if (s->d)
            MHD_stop_daemon(s->d);
        close(fd);
        free(s);
        return NULL;
    }
    s->mhd_fd = di->epoll_fd;
    return s;
}

int http_server_port(const struct http_server *s)
{
    return s->port;
}

bool http_server_loopback(const struct http_server *s)
{
    return s->loopback;
}

void http_server_free(struct http_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->d); /* closes every connection */
    for (unsigned i = 0; i < s->npend; i++)
        close(s->pend[i].fd);
    close(s->lfd);
    free(s);
}

void http_server_stats(const struct http_server *s, struct http_stats *out)
{
    *out = s->st;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    if (a->ss_family == AF_INET6)
        return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                       &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr));
    return false;
}

/* Answer status with a JSON error and close fd. The bytes the client sent
 * are read first (what is there), so that closing does not reset the
 * connection before the client reads the answer. */
static void reject_fd(struct http_server *s, int fd, int status, const char *msg)
{
    char junk[4096];
    for (int i = 0; i < 16 && recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0; i++)
        ;
    char body[160], resp[400];
    int bl = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"status\":%d}", msg, status);
    int n = snprintf(resp, sizeof(resp),
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: "
                     "%d\r\nConnection: close\r\n\r\n%s",
                     status, http_status_text(status), bl, body);
    // Counted before the answer leaves: a client that reads the counters
    // right after the answer sees them.
    s->st.rejected++;
    count_status(s, status);
    ssize_t w = send(fd, resp, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)w;
    shutdown(fd, SHUT_WR);
    for (int i = 0; i < 16 && recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0; i++)
        ;
    close(fd);
}

/* Check a complete request head (len bytes, the first request on a
 * connection); 0 when MHD may have it, else the status to answer. */
static int head_check(const char *h, size_t len, const char **msg)
{
    const char *eol = memchr(h, '\n', len);
    const char *sp = memchr(h, ' ', eol ? (size_t)(eol - h) : len);
    if (eol && sp) {
        const char *t = sp + 1;
        const char *te = memchr(t, ' ', (size_t)(eol - t));
        if (!te)
            te = eol;
        const char *q = memchr(t, '?', (size_t)(te - t));
        unsigned params = q ? 1 : 0;
        for (const char *p = q; p && p < te; p++)
            params += *p == '&';
        if (params > HTTP_MAX_PARAMS) {
            *msg = "too many query parameters";
            return 414;
        }
    }
    for (const char *p = eol ? eol + 1 : h + len; p < h + len;) {
        const char *e = memchr(p, '\n', (size_t)(h + len - p));
        if (!e)
            break;
        static const char cl[] = "content-length:";
        if ((size_t)(e - p) > sizeof(cl) - 1 && !strncasecmp(p, cl, sizeof(cl) - 1)) {
            const char *v = p + sizeof(cl) - 1, *ve = e;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            unsigned long long n = 0;
            bool big = false;
            if (v == ve) {
                *msg = "bad Content-Length";
                return 400;
            }
            for (const char *d = v; d < ve; d++) {
                if (*d < '0' || *d > '9') {
                    *msg = "bad Content-Length";
                    return 400;
                }
                if (n > HTTP_MAX_BODY)
                    big = true;
                else
                    n = n * 10 + (unsigned)(*d - '0');
            }
            if (big || n > HTTP_MAX_BODY) {
                *msg = "request body too large";
                return 413;
            }
        }
        p = e + 1;
    }
    return 0;
}

static void pend_drop(struct http_server *s, unsigned i)
{
    s->pend[i] = s->pend[--s->npend];
}

/* Hand fd to MHD (it closes fd itself when it fails to take it). */
static void to_mhd(struct http_server *s, struct pending *p)
{
    int one = 1;
    setsockopt(p->fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof(one));
    setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (MHD_add_connection(s->d, p->fd, (struct sockaddr *)&p->sa, p->sl) != MHD_YES)
        s->st.rejected++;
}

/* Look at pending connection i again: hand it over, refuse it, or keep
 * waiting (with the low-water mark past what has arrived). */
static void pend_check(struct http_server *s, unsigned i, int64_t now)
{
    struct pending *p = &s->pend[i];
    char h[HTTP_MAX_HEADER];
    ssize_t n = recv(p->fd, h, sizeof(h), MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        close(p->fd); /* gone before its request */
        pend_drop(s, i);
        return;
    }
    size_t len = n > 0 ? (size_t)n : 0;
    const char *end = NULL;
    for (size_t k = 0; k + 1 < len && !end; k++)
        if (h[k] == '\n' &&
            (h[k + 1] == '\n' || (h[k + 1] == '\r' && k + 2 < len && h[k + 2] == '\n')))
            end = h + k + 1;
    if (end) {
        const char *msg = "";
        int st = head_check(h, (size_t)(end - h), &msg);
        if (st)
            reject_fd(s, p->fd, st, msg);
        else
            to_mhd(s, p);
        pend_drop(s, i);
    } else if (len >= sizeof(h)) {
        reject_fd(s, p->fd, 431, "request head too large");
        pend_drop(s, i);
    } else if (now - p->t0_ms >= s->head_ms) {
        reject_fd(s, p->fd, 408, "request head not sent in time");
        pend_drop(s, i);
    } else if ((int)len + 1 != p->lowat) {
        p->lowat = (int)len + 1;
        setsockopt(p->fd, SOL_SOCKET, SO_RCVLOWAT, &p->lowat, sizeof(p->lowat));
    }
}

static void do_accept(struct http_server *s)
{
    for (;;) {
        struct sockaddr_storage sa;
        socklen_t sl = sizeof(sa);
        int fd = accept(s->lfd, (struct sockaddr *)&sa, &sl);
        if (fd < 0)
            return;
        set_nonblock(fd);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        s->st.connections++;
        unsigned same = 0;
        for (unsigned i = 0; i < s->npend; i++)
            same += same_addr(&s->pend[i].sa, &sa);
        if (same >= HTTP_MAX_PER_ADDR) {
            reject_fd(s, fd, 503, "too many connections from this address");
            continue;
        }
        if (s->live + s->npend >= HTTP_MAX_CONNS) {
            static const char busy[] =
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                "application/json\r\nContent-Length: 45\r\nConnection: "
                "close\r\n\r\n{\"error\":\"too many connections\",\"status\":503}";
            ssize_t w = send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            (void)w;
            close(fd);
            s->st.rejected++;
            continue;
        }
        struct pending *p = &s->pend[s->npend++];
        *p = (struct pending){.fd = fd, .lowat = 1, .t0_ms = mono_ms(), .sa = sa, .sl = sl};
        pend_check(s, s->npend - 1, p->t0_ms);
    }
}

int http_server_poll(struct http_server *s, int timeout_ms)
{
    MHD_UNSIGNED_LONG_LONG to;
    if (MHD_get_timeout(s->d, &to) == MHD_YES && (unsigned long long)timeout_ms > to)
        timeout_ms = (int)to;
    int64_t now = mono_ms();
    struct pollfd pfd[2 + HTTP_MAX_CONNS] = {{.fd = s->lfd, .events = POLLIN},
                                             {.fd = s->mhd_fd, .events = POLLIN}};
    unsigned np = s->npend;
    for (unsigned i = 0; i < np; i++) {
        pfd[2 + i] = (struct pollfd){.fd = s->pend[i].fd, .events = POLLIN};
        int64_t left = s->pend[i].t0_ms + s->head_ms - now;
        if (left < timeout_ms)
            timeout_ms = left > 0 ? (int)left : 0;
    }
    int r = poll(pfd, 2 + np, timeout_ms);
    if (r < 0 && errno != EINTR)
        return -1;
    now = mono_ms();
    // Pending connections first (from the last, as pend_drop moves the
    // last entry into a freed slot), then new ones.
    for (unsigned i = np; i-- > 0;)
        if ((r > 0 && pfd[2 + i].revents) || now - s->pend[i].t0_ms >= s->head_ms)
            pend_check(s, i, now);
    if (r > 0 && (pfd[0].revents & POLLIN))
        do_accept(s);
    MHD_run(s->d);
    return 0;
}

int http_server_run(struct http_server *s, volatile sig_atomic_t *stop)
{
    while (!*stop)
        if (http_server_poll(s, 250) < 0)
            return -1;
    return 0;
}
