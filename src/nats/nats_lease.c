/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_lease.c - the active/standby lease of a shard in a JetStream
 * key-value bucket (see nats_lease.h).
 */
#include "nats/nats_lease.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nats/nats_client.h"

#define POLL_MS 200

struct nlease {
    kvStore *kv;
    char key[128];
    char owner[160]; /* host:pid:nonce */
    int64_t lease_ms;
    FILE *log;
    bool held;
    uint64_t rev;     /* the revision this process wrote last */
    int64_t last_ok;  /* monotonic ms when that write was sent */
    int64_t last_try; /* monotonic ms of the last renewal attempt */
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct nlease *nlease_open(jsCtx *js, const char *stream, const char *key, int64_t lease_ms,
                           int64_t wait_ms, FILE *log, char *err, size_t errlen)
{
    struct nlease *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    char bucket[96], host[64] = "host", b[256];
    snprintf(bucket, sizeof bucket, "%s_LEASES", stream);
    snprintf(l->key, sizeof l->key, "%s", key);
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(l->owner, sizeof l->owner, "%s:%ld:%lx", host, (long)getpid(),
             (unsigned long)(ts.tv_nsec ^ ts.tv_sec));
    l->lease_ms = lease_ms > 0 ? lease_ms : NLEASE_DEFAULT_MS;
    l->log = log;
    natsStatus s;
    int64_t t0 = mono_ms();
    for (;;) {
        if ((s = js_KeyValue(&l->kv, js, bucket)) == NATS_OK)
            return l;
        if (s == NATS_NOT_FOUND) {
            // Replicas: 3, or what a smaller cluster can place.
            for (int r = 3; r >= 1; r -= 2) {
                kvConfig kc;
                kvConfig_Init(&kc);
                kc.Bucket = bucket;
                kc.History = 1;
                kc.StorageType = js_FileStorage;
                kc.Replicas = r;
                if ((s = js_CreateKeyValue(&l->kv, js, &kc)) == NATS_OK)
                    return l;
            }
        }
        if (mono_ms() - t0 >= wait_ms)
            break;
        nats_Sleep(250);
    }
    snprintf(err, errlen, "lease bucket %s: %s", bucket, ncl_errtext(s, 0, b, sizeof b));
    kvStore_Destroy(l->kv);
    free(l);
    return NULL;
}

static void took(struct nlease *l, uint64_t rev, int64_t sent, const char *from)
{
    l->held = true;
    l->rev = rev;
    l->last_ok = l->last_try = sent;
    if (l->log)
        fprintf(l->log, "orbat ingest: lease %s: active as %s (%s%s)\n", l->key, l->owner,
                from ? "took over from " : "free", from ? from : "");
}

int nlease_acquire(struct nlease *l, volatile sig_atomic_t *stop)
{
    uint64_t seen = 0, rev = 0;
    int64_t seen_at = 0;
    char holder[160] = "";
    while (!(stop && *stop)) {
        kvEntry *e = NULL;
        int64_t now = mono_ms();
        natsStatus s = kvStore_Get(&e, l->kv, l->key);
        if (s == NATS_NOT_FOUND) {
            if (kvStore_Create(&rev, l->kv, l->key, l->owner, (int)strlen(l->owner)) == NATS_OK) {
                took(l, rev, now, NULL);
                return 0;
            }
        } else if (s == NATS_OK) {
            uint64_t r = kvEntry_Revision(e);
            if (r != seen) {
                if (!seen && l->log)
                    fprintf(l->log, "orbat ingest: lease %s: standby (held by %.*s)\n", l->key,
                            kvEntry_ValueLen(e), (const char *)kvEntry_Value(e));
                seen = r;
                seen_at = now;
                snprintf(holder, sizeof holder, "%.*s", kvEntry_ValueLen(e),
                         (const char *)kvEntry_Value(e));
            } else if (now - seen_at >= l->lease_ms) {
                // Not renewed for a whole lease: its holder is gone.
                if (kvStore_Update(&rev, l->kv, l->key, l->owner, (int)strlen(l->owner), r) ==
                    NATS_OK) {
                    took(l, rev, now, holder);
                    kvEntry_Destroy(e);
                    return 0;
                }
            }
        }
        kvEntry_Destroy(e);
        nats_Sleep(POLL_MS);
    }
    return 1;
}

enum nlease_state nlease_keep(struct nlease *l, char *err, size_t errlen)
{
    if (!l->held) {
        snprintf(err, errlen, "lease %s: not held", l->key);
        return NLEASE_LOST;
    }
    int64_t now = mono_ms();
    bool unsure = now - l->last_ok >= l->lease_ms * 2 / 3;
    int64_t every = unsure ? POLL_MS : l->lease_ms / 3;
    if (now - l->last_try >= every) {
        uint64_t rev = 0;
        l->last_try = now;
        // kvStore_Update gives no JetStream code: a wrong revision is
        // told apart from an unreachable bucket by reading the key.
        natsStatus s = kvStore_Update(&rev, l->kv, l->key, l->owner, (int)strlen(l->owner), l->rev);
        if (s == NATS_OK) {
            l->rev = rev;
            l->last_ok = now;
            unsure = false;
        } else {
            kvEntry *e = NULL;
            bool got = kvStore_Get(&e, l->kv, l->key) == NATS_OK;
            if (got && kvEntry_ValueLen(e) == (int)strlen(l->owner) &&
                !memcmp(kvEntry_Value(e), l->owner, strlen(l->owner))) {
                // Our own update went through and its answer was lost.
                l->rev = kvEntry_Revision(e);
                l->last_ok = now;
                kvEntry_Destroy(e);
                return NLEASE_HELD;
            }
            if (got && kvEntry_Revision(e) != l->rev) {
                snprintf(err, errlen, "lease %s: lost to %.*s (not renewed for %lld ms)", l->key,
                         kvEntry_ValueLen(e), (const char *)kvEntry_Value(e),
                         (long long)(now - l->last_ok));
                kvEntry_Destroy(e);
                l->held = false;
                return NLEASE_LOST;
            }
            kvEntry_Destroy(e);
        }
    }
    return unsure ? NLEASE_UNSURE : NLEASE_HELD;
}

void nlease_close(struct nlease *l)
{
    if (!l)
        return;
    if (l->held) {
        // Only if the key is still ours (a conditional update cannot
        // delete; the window between the two calls is one round trip).
        kvEntry *e = NULL;
        if (kvStore_Get(&e, l->kv, l->key) == NATS_OK && kvEntry_Revision(e) == l->rev)
            kvStore_Delete(l->kv, l->key);
        kvEntry_Destroy(e);
    }
    kvStore_Destroy(l->kv);
    free(l);
}
