/* SPDX-License-Identifier: BSD-2-Clause
 *
 * feed.c - TCP clients with reconnect/backoff and UDP listeners in one
 * poll() loop; see feed.h.
 */
#include "feed/feed.h"

#include "feed/aisstream.h"
#include "feed/ws.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct feed_set {
    feed_data_cb on_data;
    feed_reset_cb on_reset;
    void *ctx;
    feed_status_cb on_status; /* optional: failures, retries, (re)connections */
    uint64_t rng;             /* xorshift64 state for the backoff jitter */
    size_t n;
    struct feed feeds[FEED_MAX];
    char *aiskey; /* NULL: $ORBAT_AISSTREAM_KEY */
    struct aisstream_box boxes[AISSTREAM_MAX_BOXES];
    size_t nboxes;
    uint8_t buf[FEED_READ_CAP];
};

void feed_set_aisstream(struct feed_set *s, const char *key, const struct aisstream_box *boxes,
                        size_t nboxes)
{
    if (s->aiskey) {
        explicit_bzero(s->aiskey, strlen(s->aiskey));
        free(s->aiskey);
    }
    s->aiskey = key ? strdup(key) : NULL;
    s->nboxes = nboxes < AISSTREAM_MAX_BOXES ? nboxes : AISSTREAM_MAX_BOXES;
    if (s->nboxes)
        memcpy(s->boxes, boxes, s->nboxes * sizeof boxes[0]);
}

int64_t feed_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct feed_set *feed_set_new(feed_data_cb on_data, feed_reset_cb on_reset, void *ctx)
{
    struct feed_set *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->on_data = on_data;
    s->on_reset = on_reset;
    s->ctx = ctx;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    s->rng = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
    if (!s->rng)
        s->rng = 0x9E3779B97F4A7C15ull;
    return s;
}

void feed_set_free(struct feed_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        struct feed *f = &s->feeds[i];
        if (f->ws)
            ws_client_stop(f->ws); // closes its socket
        else if (f->fd >= 0)
            close(f->fd);
        free(f->ais);
    }
    if (s->aiskey) {
        explicit_bzero(s->aiskey, strlen(s->aiskey));
        free(s->aiskey);
    }
    free(s);
}

bool feed_is_spec(const char *spec)
{
    const char *eq = strchr(spec, '=');
    const char *p = spec;
    if (eq && strchr(spec, '/') > eq)
        p = eq + 1;
    return strncmp(p, "tcp://", 6) == 0 || strncmp(p, "udp://", 6) == 0 || aisstream_is_spec(spec);
}

size_t feed_set_count(const struct feed_set *s)
{
    return s->n;
}

struct feed *feed_set_get(struct feed_set *s, size_t i)
{
    return i < s->n ? &s->feeds[i] : NULL;
}

static bool copy_part(char *dst, size_t cap, const char *src, size_t n)
{
    if (n == 0 || n >= cap)
        return false;
    memcpy(dst, src, n);
    dst[n] = 0;
    return true;
}

static struct feed *add_aisstream(struct feed_set *s, struct feed *f, const char *spec, char *err,
                                  size_t errsz)
{
    struct aisstream_spec *sp = malloc(sizeof *sp);
    struct ws_target t;
    if (!sp) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    if (aisstream_spec_parse(spec, sp, err, errsz) != 0) {
        free(sp);
        return NULL;
    }
    if (ws_target_parse(sp->url, &t) != 0) {
        snprintf(err, errsz, "'%s': bad websocket URL", spec);
        free(sp);
        return NULL;
    }
    f->proto = FEED_WS;
    f->ais = sp;
    snprintf(f->kind, sizeof f->kind, "aisstream");
    snprintf(f->host, sizeof f->host, "%s", t.host);
    snprintf(f->port, sizeof f->port, "%d", t.port);
    if (!f->name[0])
        snprintf(f->name, sizeof f->name, "aisstream");
    f->backoff_ms = FEED_BACKOFF_MIN_MS;
    s->feeds[s->n] = *f;
    return &s->feeds[s->n++];
}

struct feed *feed_set_add(struct feed_set *s, const char *spec, char *err, size_t errsz)
{
    if (s->n >= FEED_MAX) {
        snprintf(err, errsz, "too many feeds (at most %d)", FEED_MAX);
        return NULL;
    }
    struct feed f;
    memset(&f, 0, sizeof f);
    f.fd = -1;
    const char *p = spec;
    const char *eq = strchr(spec, '=');
    const char *slash = strchr(spec, '/');
    if (eq && (!slash || eq < slash)) {
        if (!copy_part(f.name, sizeof f.name, spec, (size_t)(eq - spec))) {
            snprintf(err, errsz, "bad feed name in '%s'", spec);
            return NULL;
        }
        p = eq + 1;
    }
    if (aisstream_is_spec(p))
        return add_aisstream(s, &f, p, err, errsz);
    if (strncmp(p, "tcp://", 6) == 0) {
        f.proto = FEED_TCP;
    } else if (strncmp(p, "udp://", 6) == 0) {
        f.proto = FEED_UDP;
    } else {
        snprintf(err, errsz, "'%s': expected tcp://HOST:PORT or udp://HOST:PORT", spec);
        return NULL;
    }
    p += 6;
    const char *hs = p, *he;
    if (*p == '[') {
        hs = p + 1;
        he = strchr(hs, ']');
        if (!he || he[1] != ':') {
            snprintf(err, errsz, "'%s': bad [IPv6] address", spec);
            return NULL;
        }
        p = he + 2;
    } else {
        he = strchr(p, ':');
        if (!he) {
            snprintf(err, errsz, "'%s': missing :PORT", spec);
            return NULL;
        }
        p = he + 1;
    }
    if (!copy_part(f.host, sizeof f.host, hs, (size_t)(he - hs))) {
        snprintf(err, errsz, "'%s': bad host", spec);
        return NULL;
    }
    const char *pe = strchr(p, '/');
    size_t pl = pe ? (size_t)(pe - p) : strlen(p);
    if (!copy_part(f.port, sizeof f.port, p, pl) || strspn(f.port, "0123456789") != pl ||
        atoi(f.port) < 1 || atoi(f.port) > 65535) {
        snprintf(err, errsz, "'%s': bad port", spec);
        return NULL;
    }
    if (pe && pe[1]) {
        static const char *const kinds[] = {"nmea", "ais", "beast", "avr", "sbs", "auto"};
        bool ok = false;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            ok |= strcmp(pe + 1, kinds[i]) == 0;
        if (!ok || !copy_part(f.kind, sizeof f.kind, pe + 1, strlen(pe + 1))) {
            snprintf(err, errsz, "'%s': unknown framing '%s' (nmea, beast, avr, sbs, auto)", spec,
                     pe + 1);
            return NULL;
        }
    }
    if (!f.name[0])
        snprintf(f.name, sizeof f.name, "%.40s:%.10s", f.host, f.port);
    f.backoff_ms = FEED_BACKOFF_MIN_MS;
    f.next_try_ms = 0;
    s->feeds[s->n] = f;
    return &s->feeds[s->n++];
}

static unsigned jitter(struct feed_set *s, unsigned ms)
{
    // xorshift64: +-25% so that many clients do not reconnect in lockstep.
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    unsigned span = ms / 2;
    return ms - ms / 4 + (span ? (unsigned)(s->rng % span) : 0);
}

static void schedule_retry(struct feed_set *s, struct feed *f, const char *why)
{
    if (f->ws) {
        ws_client_stop(f->ws); // closes its socket
        f->ws = NULL;
        f->fd = -1;
    }
    if (f->fd >= 0) {
        close(f->fd);
        f->fd = -1;
    }
    if (why)
        snprintf(f->last_error, sizeof f->last_error, "%s", why);
    f->state = FEED_IDLE;
    unsigned wait = jitter(s, f->backoff_ms);
    f->next_try_ms = feed_now_ms() + wait;
    f->backoff_ms =
        f->backoff_ms * 2 > FEED_BACKOFF_MAX_MS ? FEED_BACKOFF_MAX_MS : f->backoff_ms * 2;
    if (s->on_status)
        s->on_status(s->ctx, f, f->last_error, wait);
}

/* The feed is up (connected, or a UDP socket bound). */
static void feed_up(struct feed_set *s, struct feed *f)
{
    f->state = FEED_UP;
    f->c.connects++;
    f->backoff_ms = FEED_BACKOFF_MIN_MS;
    f->last_error[0] = 0;
    if (s->on_status)
        s->on_status(s->ctx, f, NULL, 0);
}

void feed_set_status_cb(struct feed_set *s, feed_status_cb cb)
{
    s->on_status = cb;
}

static void feed_down(struct feed_set *s, struct feed *f, const char *why)
{
    if (f->state == FEED_UP) {
        f->c.disconnects++;
        if (s->on_reset)
            s->on_reset(s->ctx, f);
    } else {
        f->c.failures++;
    }
    schedule_retry(s, f, why);
}

/* Start the websocket client of an aisstream feed; it reconnects by itself
 * from then on. */
static void ws_start(struct feed_set *s, struct feed *f)
{
    const char *key = s->aiskey ? s->aiskey : getenv(AISSTREAM_KEY_ENV);
    struct ws_target t;
    char err[128];
    if (!key || !key[0]) {
        f->c.failures++;
        schedule_retry(s, f,
                       "no aisstream API key: set " AISSTREAM_KEY_ENV
                       " or [aisstream] key in the config file");
        return;
    }
    char *sub = aisstream_subscription(f->ais, key, s->boxes, s->nboxes);
    if (!sub || ws_target_parse(f->ais->url, &t) != 0) {
        free(sub);
        f->c.failures++;
        schedule_retry(s, f, "out of memory");
        return;
    }
    f->ws = ws_client_start(&t, sub, err, sizeof err);
    explicit_bzero(sub, strlen(sub));
    free(sub);
    if (!f->ws) {
        f->c.failures++;
        schedule_retry(s, f, err);
        return;
    }
    f->ws_events = 0;
    f->fd = ws_client_fd(f->ws);
    f->state = FEED_UP; // the message socket; the websocket's own state comes in ws_sync
}

/* Copy a websocket client's counters into the feed and tell what
 * happened since the last round (connected; error and retry delay). */
static void ws_sync(struct feed_set *s, struct feed *f)
{
    struct ws_stats st;
    ws_client_status(f->ws, &st);
    f->c.connects = st.connects;
    f->c.messages = st.messages;
    f->c.errors = st.errors;
    f->c.reconnects = st.reconnects;
    f->c.disconnects = st.reconnects > st.errors ? st.reconnects - st.errors : 0;
    f->c.failures = st.errors;
    if (st.events == f->ws_events)
        return;
    f->ws_events = st.events;
    if (st.up) {
        f->last_error[0] = 0;
        if (s->on_status)
            s->on_status(s->ctx, f, NULL, 0);
        return;
    }
    snprintf(f->last_error, sizeof f->last_error, "%.127s", st.last_error);
    if (s->on_status)
        s->on_status(s->ctx, f, f->last_error, st.retry_ms);
    if (s->on_reset)
        s->on_reset(s->ctx, f); // a partial line cannot continue
}

static void feed_start(struct feed_set *s, struct feed *f)
{
    if (f->proto == FEED_WS) {
        ws_start(s, f);
        return;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = f->proto == FEED_TCP ? SOCK_STREAM : SOCK_DGRAM;
    hints.ai_flags = f->proto == FEED_UDP ? AI_PASSIVE : 0;
    int gr = getaddrinfo(f->host, f->port, &hints, &res);
    if (gr != 0) {
        f->c.failures++;
        schedule_retry(s, f, gai_strerror(gr));
        return;
    }
    int fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        freeaddrinfo(res);
        f->c.failures++;
        schedule_retry(s, f, strerror(errno));
        return;
    }
    f->fd = fd;
    if (f->proto == FEED_UDP) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, res->ai_addr, res->ai_addrlen) != 0) {
            freeaddrinfo(res);
            f->c.failures++;
            schedule_retry(s, f, strerror(errno));
            return;
        }
        feed_up(s, f);
    } else if (connect(fd, res->ai_addr, res->ai_addrlen) == 0) {
        feed_up(s, f);
    } else if (errno == EINPROGRESS) {
        f->state = FEED_CONNECTING;
    } else {
        int e = errno;
        freeaddrinfo(res);
        f->c.failures++;
        schedule_retry(s, f, strerror(e));
        return;
    }
    freeaddrinfo(res);
}

static void feed_readable(struct feed_set *s, struct feed *f)
{
    // Bounded work per round: a flooding feed cannot starve the others.
    for (int round = 0; round < 16; round++) {
        ssize_t r = f->proto == FEED_UDP ? recv(f->fd, s->buf, sizeof s->buf, 0)
                                         : read(f->fd, s->buf, sizeof s->buf);
        if (r == 0 && f->proto == FEED_WS) {
            feed_down(s, f, "websocket client stopped");
            return;
        }
        if (r > 0) {
            f->c.bytes += (uint64_t)r;
            f->c.reads++;
            s->on_data(s->ctx, f, s->buf, (size_t)r);
            if (f->proto == FEED_UDP && s->on_reset)
                s->on_reset(s->ctx, f); // each datagram stands alone
            continue;
        }
        if (r == 0 && f->proto == FEED_TCP) {
            feed_down(s, f, "connection closed by peer");
            return;
        }
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        if (r < 0) {
            feed_down(s, f, strerror(errno));
            return;
        }
        return;
    }
}

int feed_set_poll(struct feed_set *s, int timeout_ms)
{
    struct pollfd pfd[FEED_MAX];
    struct feed *who[FEED_MAX];
    int64_t now = feed_now_ms();
    int np = 0;
    for (size_t i = 0; i < s->n; i++) {
        struct feed *f = &s->feeds[i];
        if (f->state == FEED_IDLE && now >= f->next_try_ms)
            feed_start(s, f);
        if (f->ws)
            ws_sync(s, f);
        if (f->state == FEED_IDLE) {
            int64_t wait = f->next_try_ms - now;
            if (wait < timeout_ms)
                timeout_ms = wait < 0 ? 0 : (int)wait;
            continue;
        }
        pfd[np].fd = f->fd;
        pfd[np].events = f->state == FEED_CONNECTING ? POLLOUT : POLLIN;
        pfd[np].revents = 0;
        who[np++] = f;
    }
    int r = poll(pfd, (nfds_t)np, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    for (int i = 0; i < np; i++) {
        struct feed *f = who[i];
        if (!pfd[i].revents)
            continue;
        if (f->state == FEED_CONNECTING) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
                feed_down(s, f, strerror(err));
                continue;
            }
            feed_up(s, f);
            continue;
        }
        if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
            feed_readable(s, f);
    }
    return 0;
}
