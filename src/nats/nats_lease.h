/* SPDX-License-Identifier: BSD-2-Clause
 *
 * nats_lease.h - the active/standby lease of one shard: a key (the
 * durable's name) in a JetStream key-value bucket "<stream>_LEASES"
 * (history 1, as many replicas as the cluster allows up to 3), whose
 * value names the holder. The holder renews it (an update conditional on
 * the revision it wrote) every third of the lease time; a standby polls the
 * key and takes it over (the same conditional update, on the revision it
 * saw) once that revision has not changed for a whole lease time by the
 * standby's own monotonic clock. Only one conditional update on a revision
 * can succeed, so at most one worker holds the key at a time.
 *
 * A holder that could not renew for two thirds of the lease time (a
 * leader election of the bucket's stream) is "unsure": it must stop
 * fetching until a renewal succeeds (nobody took over: the revision is
 * still its own) or fails with a wrong revision (another worker holds the
 * shard now: lost). The two clocks never need to agree: the standby starts
 * counting after the holder's last write, and the holder stops at two
 * thirds of the same interval.
 *
 * The lease is advisory to the data: a batch processed twice is a no-op in
 * the store (natural keys). It keeps the events engine of a shard in one
 * process.
 *
 * Ownership: nlease_open returns a heap object (freed by nlease_close,
 * NULL-safe); the jsCtx is borrowed and must outlive it.
 */
#ifndef ORBAT_NATS_LEASE_H
#define ORBAT_NATS_LEASE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <nats/nats.h>

#define NLEASE_DEFAULT_MS 5000

struct nlease;

/* Binds (or creates) the bucket, retrying for wait_ms during elections.
 * NULL with err set on failure. log may be NULL. */
struct nlease *nlease_open(jsCtx *js, const char *stream, const char *key, int64_t lease_ms,
                           int64_t wait_ms, FILE *log, char *err, size_t errlen);

/* Blocks until this process holds the lease: 0, or 1 when *stop was set. */
int nlease_acquire(struct nlease *l, volatile sig_atomic_t *stop);

enum nlease_state {
    NLEASE_HELD = 0,
    NLEASE_UNSURE = 1, /* not renewed lately: do not fetch; call again */
    NLEASE_LOST = -1   /* another worker holds it (message in err) */
};

/* Renews when due; cheap otherwise. */
enum nlease_state nlease_keep(struct nlease *l, char *err, size_t errlen);

/* Deletes the key when still held (a standby takes over at once), frees. */
void nlease_close(struct nlease *l);

#endif /* ORBAT_NATS_LEASE_H */
