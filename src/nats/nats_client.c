/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_client.c - connect to a NATS cluster from a URL list and open its
 * JetStream context (see nats_client.h).
 */
#include "nats/nats_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCL_MAX_URLS 32

struct ncl {
    natsConnection *nc;
    jsCtx *js;
};

/* One entry of the list (len bytes at u): 0 or -1 with a message. */
static int check_url(const char *u, size_t len, char *err, size_t errlen)
{
    const char *p = u, *end = u + len;
    const char *sep = NULL;
    for (const char *q = u; q + 2 < end; q++)
        if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
            sep = q;
            break;
        }
    if (sep) {
        size_t sl = (size_t)(sep - u);
        if (!((sl == 4 && !strncmp(u, "nats", 4)) || (sl == 3 && !strncmp(u, "tls", 3)))) {
            snprintf(err, errlen, "unsupported URL scheme '%.*s' in '%.*s' (nats://, tls://)",
                     (int)(sl > 32 ? 32 : sl), u, (int)(len > 200 ? 200 : len), u);
            return -1;
        }
        p = sep + 3;
    }
    // Credentials end at the last '@'.
    for (const char *q = p; q < end; q++)
        if (*q == '@')
            p = q + 1;
    const char *host = p, *hend, *port;
    if (p < end && *p == '[') {
        const char *rb = memchr(p, ']', (size_t)(end - p));
        if (!rb || rb == p + 1)
            goto bad;
        hend = rb + 1;
    } else {
        hend = p;
        while (hend < end && *hend != ':' && *hend != '/')
            hend++;
    }
    if (hend == host || hend >= end || *hend != ':')
        goto bad;
    port = hend + 1;
    if (port == end || end - port > 5)
        goto bad;
    long pv = 0;
    for (const char *q = port; q < end; q++) {
        if (*q < '0' || *q > '9')
            goto bad;
        pv = pv * 10 + (*q - '0');
    }
    if (pv < 1 || pv > 65535)
        goto bad;
    for (const char *q = host; q < hend; q++)
        if ((unsigned char)*q <= ' ' || *q == '/')
            goto bad;
    return 0;
bad:
    snprintf(err, errlen, "'%.*s' is not a NATS server URL (nats://HOST:PORT or tls://HOST:PORT)",
             (int)(len > 200 ? 200 : len), u);
    return -1;
}

int ncl_check_urls(const char *urls, char *err, size_t errlen)
{
    int n = 0;
    const char *p = urls ? urls : "";
    while (*p) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len) {
            if (check_url(p, len, err, errlen))
                return -1;
            if (++n > NCL_MAX_URLS) {
                snprintf(err, errlen, "more than %d server URLs", NCL_MAX_URLS);
                return -1;
            }
        }
        p += len + (c ? 1 : 0);
    }
    if (!n) {
        snprintf(err, errlen, "no server URL given");
        return -1;
    }
    return 0;
}

/* The library's last error text without its "(file.c:123): " source
 * location; "" when it only repeats the status text. */
static const char *last_error_text(const char *status)
{
    const char *last = nats_GetLastError(NULL);
    if (!last)
        return "";
    if (*last == '(') {
        const char *rp = strstr(last, "): ");
        if (rp && (size_t)(rp - last) < 64)
            last = rp + 3;
    }
    if (status && !strcmp(last, status))
        return "";
    return last;
}

const char *ncl_errtext(natsStatus s, jsErrCode je, char *buf, size_t cap)
{
    const char *last = last_error_text(natsStatus_GetText(s));
    if (je)
        snprintf(buf, cap, "%s (JetStream error %d)%s%s", natsStatus_GetText(s), (int)je,
                 last && *last ? ": " : "", last ? last : "");
    else
        snprintf(buf, cap, "%s%s%s", natsStatus_GetText(s), last && *last ? ": " : "",
                 last ? last : "");
    return buf;
}

struct ncl *ncl_open(const struct ncl_opts *o, char *err, size_t errlen)
{
    struct ncl *c = calloc(1, sizeof *c);
    char *copy = strdup(o->urls ? o->urls : "");
    const char *urls[NCL_MAX_URLS];
    char *fixed[NCL_MAX_URLS] = {0};
    int n = 0;
    natsOptions *no = NULL;
    natsStatus s = NATS_NO_MEMORY;
    if (!c || !copy)
        goto fail;
    if (ncl_check_urls(o->urls, err, errlen))
        goto out;
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && n < NCL_MAX_URLS;
         t = strtok_r(NULL, ",", &save)) {
        if (!*t)
            continue;
        if (!strstr(t, "://")) {
            size_t len = strlen(t) + 8;
            if (!(fixed[n] = malloc(len)))
                goto fail;
            snprintf(fixed[n], len, "nats://%s", t);
            urls[n] = fixed[n];
        } else {
            urls[n] = t;
        }
        n++;
    }
    if (n == 0) {
        snprintf(err, errlen, "no server URL given");
        goto out;
    }
    if ((s = natsOptions_Create(&no)) != NATS_OK || (s = natsOptions_SetServers(no, urls, n)) ||
        (s = natsOptions_SetName(no, o->name ? o->name : "orbat")) ||
        (s = natsOptions_SetMaxReconnect(no, -1)) || (s = natsOptions_SetReconnectWait(no, 250)) ||
        (s = natsOptions_SetTimeout(no, 2000)) ||
        // Publishes while reconnecting are buffered up to this size; beyond
        // it they fail and the publisher keeps them in its own buffer.
        (s = natsOptions_SetReconnectBufSize(no, 8 * 1024 * 1024)))
        goto fail;
    if (o->connect_wait_ms > 0) {
        int tries = (int)(o->connect_wait_ms / 250) + 1;
        for (int i = 0; i < tries; i++) {
            if ((s = natsConnection_Connect(&c->nc, no)) == NATS_OK)
                break;
            nats_Sleep(250);
        }
    } else {
        s = natsConnection_Connect(&c->nc, no);
    }
    if (s != NATS_OK)
        goto fail;
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = o->api_wait_ms > 0 ? o->api_wait_ms : 5000;
    jo.PublishAsync.MaxPending = o->max_pending > 0 ? o->max_pending : 256;
    jo.PublishAsync.AckHandler = o->ack;
    jo.PublishAsync.AckHandlerClosure = o->ack_closure;
    jo.PublishAsync.StallWait = 100;
    if ((s = natsConnection_JetStream(&c->js, c->nc, &jo)) != NATS_OK)
        goto fail;
    natsOptions_Destroy(no);
    free(copy);
    for (int i = 0; i < n; i++)
        free(fixed[i]);
    return c;
fail : {
    char b[256];
    snprintf(err, errlen, "cannot connect to %s: %s", o->urls ? o->urls : "(none)",
             ncl_errtext(s, 0, b, sizeof b));
}
out:
    natsOptions_Destroy(no);
    free(copy);
    for (int i = 0; i < NCL_MAX_URLS; i++)
        free(fixed[i]);
    ncl_close(c);
    return NULL;
}

natsConnection *ncl_conn(struct ncl *c)
{
    return c->nc;
}

jsCtx *ncl_js(struct ncl *c)
{
    return c->js;
}

void ncl_close(struct ncl *c)
{
    if (!c)
        return;
    jsCtx_Destroy(c->js);
    if (c->nc) {
        natsConnection_Close(c->nc);
        natsConnection_Destroy(c->nc);
    }
    free(c);
}
