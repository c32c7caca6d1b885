/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ws.c - websocket client thread on libwebsockets; see ws.h.
 */
#include "feed/ws.h"

#include <errno.h>
#include <fcntl.h>
#include <libwebsockets.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct ws_client {
    struct ws_target t;
    char *sub;
    size_t sublen;
    int fds[2]; /* [0] read by the caller, [1] written by the thread */
    pthread_t th;
    pthread_mutex_t mu;
    volatile int stop;
    struct lws_context *ctx;
    /* connection state (thread only) */
    bool closed, sent, got_msg, oversized;
    char *rx;
    size_t rxlen;
    uint64_t rng;
    unsigned backoff_ms;
    struct ws_stats st; /* under mu */
    char lwslog[96];    /* libwebsockets' last error/warning line (thread only) */
};

/* libwebsockets logs through one process-wide function; it runs on the
 * service thread, which names its client here. Its error and warning lines
 * (protocol violations, TLS failures; they never hold payloads) become the
 * reason given for a lost connection. */
static _Thread_local struct ws_client *tl_client;

static void lws_log(int level, const char *line)
{
    (void)level;
    struct ws_client *c = tl_client;
    if (!c)
        return;
    const char *p = strstr(line, ": ");
    p = p ? p + 2 : line;
    size_t n = 0;
    for (; p[n] && p[n] != '\n' && n + 1 < sizeof c->lwslog; n++)
        c->lwslog[n] = (p[n] >= ' ' && p[n] < 127) ? p[n] : '?';
    c->lwslog[n] = 0;
}

int ws_target_parse(const char *url, struct ws_target *t)
{
    memset(t, 0, sizeof *t);
    const char *p;
    if (!strncmp(url, "ws://", 5)) {
        p = url + 5;
        t->port = 80;
    } else if (!strncmp(url, "wss://", 6)) {
        p = url + 6;
        t->tls = true;
        t->port = 443;
    } else {
        return -1;
    }
    size_t hl = strcspn(p, ":/?");
    if (hl == 0 || hl >= sizeof t->host)
        return -1;
    memcpy(t->host, p, hl);
    p += hl;
    if (*p == ':') {
        char *end;
        long port = strtol(p + 1, &end, 10);
        if (end == p + 1 || port < 1 || port > 65535)
            return -1;
        t->port = (int)port;
        p = end;
    }
    if (*p && *p != '/')
        return -1;
    if (strlen(*p ? p : "/") >= sizeof t->path)
        return -1;
    snprintf(t->path, sizeof t->path, "%s", *p ? p : "/");
    return 0;
}

static void set_error(struct ws_client *c, const char *prefix, const char *what)
{
    pthread_mutex_lock(&c->mu);
    snprintf(c->st.last_error, sizeof c->st.last_error, "%s%s", prefix, what);
    c->st.errors++;
    pthread_mutex_unlock(&c->mu);
}

/* Write one message and '\n' to the socket; blocks when the reader is
 * behind (back-pressure), fails once ws_client_stop shut it down. */
static void forward(struct ws_client *c, char *msg, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (msg[i] == '\n' || msg[i] == '\r')
            msg[i] = ' ';
    msg[n] = '\n';
    size_t off = 0;
    while (off < n + 1 && !c->stop) {
        ssize_t w = send(c->fds[1], msg + off, n + 1 - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (size_t)w;
    }
    pthread_mutex_lock(&c->mu);
    c->st.messages++;
    pthread_mutex_unlock(&c->mu);
}

/* {"error": "..."}: the server's refusal (bad key, bad subscription). */
static bool server_error(struct ws_client *c, const char *msg, size_t n)
{
    size_t i = 0;
    while (i < n && (msg[i] == ' ' || msg[i] == '\t'))
        i++;
    if (n - i < 10 || memcmp(msg + i, "{\"error\"", 8) != 0)
        return false;
    const char *q = memchr(msg + i + 8, '"', n - i - 8);
    char text[120];
    size_t k = 0;
    if (q)
        for (q++; q < msg + n && *q != '"' && k + 1 < sizeof text; q++)
            text[k++] = (*q >= ' ' && *q < 127) ? *q : '?';
    text[k] = 0;
    set_error(c, "server refused: ", text);
    return true;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    (void)user;
    struct ws_client *c = lws_context_user(lws_get_context(wsi));
    if (!c)
        return 0;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        set_error(c, "", in ? (const char *)in : "connection failed");
        c->closed = true;
        break;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        pthread_mutex_lock(&c->mu);
        c->st.connects++;
        c->st.up = true;
        c->st.events++;
        pthread_mutex_unlock(&c->mu);
        lws_callback_on_writable(wsi);
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (!c->sent) {
            unsigned char *buf = malloc(LWS_PRE + c->sublen);
            if (!buf)
                return -1;
            memcpy(buf + LWS_PRE, c->sub, c->sublen);
            int w = lws_write(wsi, buf + LWS_PRE, c->sublen, LWS_WRITE_TEXT);
            free(buf);
            if (w < (int)c->sublen) {
                set_error(c, "", "could not send the subscription");
                return -1;
            }
            c->sent = true;
        }
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (lws_is_first_fragment(wsi)) {
            c->rxlen = 0;
            c->oversized = false;
        }
        if (!c->oversized && c->rxlen + len <= WS_MAX_MSG) {
            memcpy(c->rx + c->rxlen, in, len);
            c->rxlen += len;
        } else {
            c->oversized = true;
        }
        if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
            if (c->oversized) {
                pthread_mutex_lock(&c->mu);
                c->st.dropped++;
                pthread_mutex_unlock(&c->mu);
            } else if (!server_error(c, c->rx, c->rxlen)) {
                if (!c->got_msg)
                    c->backoff_ms = WS_BACKOFF_MIN_MS; // a working subscription
                c->got_msg = true;
                forward(c, c->rx, c->rxlen);
            }
            c->rxlen = 0;
        }
        break;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (len >= 2) {
            const unsigned char *b = in;
            char why[48];
            snprintf(why, sizeof why, "%u", (unsigned)(b[0] << 8 | b[1]));
            pthread_mutex_lock(&c->mu);
            if (!c->st.last_error[0])
                snprintf(c->st.last_error, sizeof c->st.last_error, "closed by server (code %s)",
                         why);
            pthread_mutex_unlock(&c->mu);
        }
        break;
    case LWS_CALLBACK_CLIENT_CLOSED:
        c->closed = true;
        break;
    default:
        break;
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    {"orbat-ws", callback, 0, WS_MAX_MSG, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static unsigned jitter(struct ws_client *c, unsigned ms)
{
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 7;
    c->rng ^= c->rng << 17;
    unsigned span = ms / 2;
    return ms - ms / 4 + (span ? (unsigned)(c->rng % span) : 0);
}

static void nap(struct ws_client *c, unsigned ms)
{
    while (ms && !c->stop) {
        unsigned step = ms < 100 ? ms : 100;
        struct timespec ts = {0, (long)step * 1000000L};
        nanosleep(&ts, NULL);
        ms -= step;
    }
}

static void *run(void *arg)
{
    struct ws_client *c = arg;
    bool first = true;
    tl_client = c;
    while (!c->stop) {
        c->closed = c->sent = c->got_msg = false;
        c->rxlen = 0;
        c->lwslog[0] = 0;
        pthread_mutex_lock(&c->mu);
        c->st.last_error[0] = 0;
        if (!first)
            c->st.reconnects++;
        pthread_mutex_unlock(&c->mu);
        first = false;
        struct lws_client_connect_info ci;
        memset(&ci, 0, sizeof ci);
        ci.context = c->ctx;
        ci.address = c->t.host;
        ci.port = c->t.port;
        ci.path = c->t.path;
        ci.host = c->t.host;
        ci.origin = c->t.host;
        ci.protocol = NULL;
        ci.ssl_connection = c->t.tls ? LCCSCF_USE_SSL : 0;
        ci.ietf_version_or_minus_one = -1;
        if (!lws_client_connect_via_info(&ci)) {
            set_error(c, "", "cannot start the connection");
            c->closed = true;
        }
        while (!c->closed && !c->stop)
            lws_service(c->ctx, 0);
        if (c->stop)
            break;
        unsigned wait = jitter(c, c->backoff_ms);
        pthread_mutex_lock(&c->mu);
        if (!c->st.last_error[0] && c->lwslog[0]) {
            snprintf(c->st.last_error, sizeof c->st.last_error, "connection lost: %s", c->lwslog);
            c->st.errors++;
        } else if (!c->st.last_error[0]) {
            snprintf(c->st.last_error, sizeof c->st.last_error, "%s",
                     c->got_msg ? "connection closed without a close frame"
                                : "connection closed before any message (dropped by the server, "
                                  "or a frame that breaks the websocket protocol)");
        }
        c->st.up = false;
        c->st.retry_ms = wait;
        c->st.events++;
        pthread_mutex_unlock(&c->mu);
        c->backoff_ms =
            c->backoff_ms * 2 > WS_BACKOFF_MAX_MS ? WS_BACKOFF_MAX_MS : c->backoff_ms * 2;
        nap(c, wait);
    }
    return NULL;
}

struct ws_client *ws_client_start(const struct ws_target *t, const char *subscribe, char *err,
                                  size_t errsz)
{
    size_t sl = strlen(subscribe);
    if (sl > WS_MAX_SUB) {
        snprintf(err, errsz, "subscription too long");
        return NULL;
    }
    struct ws_client *c = calloc(1, sizeof *c);
    if (!c || !(c->sub = malloc(sl + 1)) || !(c->rx = malloc(WS_MAX_MSG + 1))) {
        if (c) {
            free(c->sub);
            free(c);
        }
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    memcpy(c->sub, subscribe, sl + 1);
    c->sublen = sl;
    c->t = *t;
    c->backoff_ms = WS_BACKOFF_MIN_MS;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    c->rng = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
    if (!c->rng)
        c->rng = 0x9E3779B97F4A7C15ull;
    pthread_mutex_init(&c->mu, NULL);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c->fds) != 0) {
        snprintf(err, errsz, "socketpair: %s", strerror(errno));
        goto fail;
    }
    fcntl(c->fds[0], F_SETFL, fcntl(c->fds[0], F_GETFL) | O_NONBLOCK);
    lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.gid = -1;
    info.uid = -1;
    info.user = c;
    info.options = t->tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
    c->ctx = lws_create_context(&info);
    if (!c->ctx) {
        snprintf(err, errsz, "libwebsockets: cannot create a context");
        goto fail_fds;
    }
    if (pthread_create(&c->th, NULL, run, c) != 0) {
        snprintf(err, errsz, "cannot start a thread");
        lws_context_destroy(c->ctx);
        goto fail_fds;
    }
    return c;
fail_fds:
    close(c->fds[0]);
    close(c->fds[1]);
fail:
    pthread_mutex_destroy(&c->mu);
    free(c->rx);
    free(c->sub);
    free(c);
    return NULL;
}

int ws_client_fd(const struct ws_client *c)
{
    return c->fds[0];
}

void ws_client_status(struct ws_client *c, struct ws_stats *out)
{
    pthread_mutex_lock(&c->mu);
    *out = c->st;
    pthread_mutex_unlock(&c->mu);
}

void ws_client_stop(struct ws_client *c)
{
    if (!c)
        return;
    c->stop = 1;
    shutdown(c->fds[0], SHUT_RDWR); // a send blocked on a full socket returns
    lws_cancel_service(c->ctx);
    pthread_join(c->th, NULL);
    lws_context_destroy(c->ctx);
    close(c->fds[0]);
    close(c->fds[1]);
    pthread_mutex_destroy(&c->mu);
    explicit_bzero(c->sub, c->sublen);
    free(c->sub);
    free(c->rx);
    free(c);
}
