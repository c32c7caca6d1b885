/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_client.h - a connection to a NATS cluster given as a URL list
 * ("nats://h1:4222,nats://h2:4222,..."), with its JetStream context.
 * The client reconnects by itself (to any server of the list or learned
 * from the cluster) with no limit on attempts; connect fails only when no
 * server answers at the start.
 *
 * Ownership: ncl_open returns a heap object freed with ncl_close
 * (NULL-safe); the natsConnection and jsCtx it hands out are borrowed.
 */
#ifndef ORBAT_NATS_CLIENT_H
#define ORBAT_NATS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

struct ncl_opts {
    const char *urls;        /* comma-separated; "nats://" is optional */
    const char *name;        /* connection name shown by the server */
    int64_t api_wait_ms;     /* JetStream API/ack wait (default 5000) */
    jsPubAckHandler ack;     /* async publish results (NULL: none) */
    void *ack_closure;       /* borrowed */
    int64_t max_pending;     /* async publishes in flight (default 256) */
    int64_t connect_wait_ms; /* retry the first connect this long (default 0) */
};

struct ncl;

/* Check a URL list before connecting: each comma-separated entry is
 * [nats://|tls://][user[:password]@]HOST:PORT (HOST a name, an IPv4
 * address or [IPv6]; PORT 1..65535); an entry without a scheme means
 * nats://. 0, or -1 with a one-line message in err. */
int ncl_check_urls(const char *urls, char *err, size_t errlen);

/* NULL on failure with a message in err. */
struct ncl *ncl_open(const struct ncl_opts *o, char *err, size_t errlen);
natsConnection *ncl_conn(struct ncl *c);
jsCtx *ncl_js(struct ncl *c);
void ncl_close(struct ncl *c);

/* "status text (JetStream error code N)" into buf; returns buf. */
const char *ncl_errtext(natsStatus s, jsErrCode je, char *buf, size_t cap);

#endif /* ORBAT_NATS_CLIENT_H */
