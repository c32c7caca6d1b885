/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ingest.h - `orbat ingest` as a library: source files -> pipeline (decode)
 * -> identification -> events engine (tracking, CPR, theatre events) ->
 * store, in batched transactions.
 *
 * Idempotency: a source is known by the SHA-256 of its bytes; a completely
 * ingested source is skipped. Thinning keeps, per asset and UTC minute, the
 * earliest position, decided the same way in memory and in the store, so
 * the stored observations depend on the set of messages, not on how they
 * were split into files or in what order the files came (except an
 * aircraft's speed and track, carried from its last velocity message at
 * most 60 s before the position: only from one read before it). Ships and
 * aircraft have an events engine each, on its own data clock; within a
 * class, sources should come in time order (ingest_order_warning).
 * Crash safety: a source is marked complete in the last transaction of
 * its ingest; a killed ingest leaves whole batches, and running it again
 * redoes the source with idempotent writes. See docs/store.md.
 *
 * Threads: ingest_file and ingest_finish read and decode on a reader thread
 * and write through the store on a writer thread (unless single_thread),
 * both joined before they return; meanwhile no other thread may use the
 * store (identification and events stay on the calling thread).
 *
 * Ownership: ingest_new borrows the store, registry, rules and theatre (all
 * may outlive it; reg, rules and th may be NULL) and returns a heap object
 * freed with ingest_free (NULL-safe).
 */
#ifndef ORBAT_STORE_INGEST_H
#define ORBAT_STORE_INGEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/pipeline.h"
#include "geo/theatre.h"
#include "registry/callsign.h"
#include "registry/registry.h"
#include "store/store.h"

struct ingest_opts {
    enum pipeline_input input;
    bool fix1bit;
    int64_t start_ms;    /* unix ms of the first Beast/AVR timestamp (0: unknown) */
    bool progress;       /* progress line on stderr (the CLI sets it when a TTY) */
    bool force;          /* ingest sources even when already complete */
    int64_t batch_ms;    /* commit at least this often (wall clock); default 1000 */
    uint32_t batch_rows; /* or after this many written rows; default 200000 */
    bool single_thread;  /* all on the caller's thread: no reader or writer thread */
};

enum ingest_skip {
    ING_SKIP_NO_TIME,    /* observation without an absolute time (see --start) */
    ING_SKIP_BASE,       /* base station / AtoN / SAR: not a vessel track */
    ING_SKIP_ANON,       /* anonymous or TIS-B address: no stable identity */
    ING_SKIP_UNVERIFIED, /* Mode S address recovered from parity, not confirmed */
    ING_SKIP_BAD_POS,    /* position out of range or 0,0 */
    ING_SKIP_NREASONS
};

struct ingest_stats {
    uint64_t sources, sources_skipped, sources_failed;
    uint64_t bytes;
    uint64_t ais_messages, modes_frames, obs, rejected; /* from the pipeline */
    uint64_t rejected_by[PIPELINE_REASONS];             /* by -enum orbat_err */
    uint64_t unverified, modeac, other_lines;           /* from the pipeline */
    uint64_t ship_obs, aircraft_obs;
    uint64_t skipped[ING_SKIP_NREASONS];
    uint64_t positions; /* observations with a usable position */
    uint64_t kept;      /* positions written (after thinning) */
    uint64_t raw;       /* raw messages written */
    uint64_t events;    /* events written */
    uint64_t commits;
    uint64_t db_errors;
    /* observations over 1 h older than the newest of their class (ships,
     * aircraft) from the sources read before: out of order for the events
     * engine of their class (see ingest_order_warning) */
    uint64_t behind[2];
    /* CPU seconds of the three threads while sources were read (see
     * ingest.c; with --threads 1 all of it counts as cpu_main) */
    double cpu_read, cpu_main, cpu_write;
};

struct ingest;

struct ingest *ingest_new(struct store *s, const struct registry *reg,
                          const struct callsign_rules *rules, struct theatre *th,
                          const struct ingest_opts *opts);
void ingest_free(struct ingest *g);

/* Ingest one source file ("-" = stdin; gzip transparently). Returns
 * ORBAT_OK, ORBAT_AGAIN when it was skipped as already ingested, ORBAT_E_IO
 * (errno set) when it could not be read, or ORBAT_E_DB. */
int ingest_file(struct ingest *g, const char *path);
/* The SHA-256 (lowercase hex) and size of a source file's bytes as
 * ingest_file computes them; -1 with errno set when it cannot be read.
 * Thread-safe (no shared state): `orbat ingest` hashes its sources while
 * the theatre loads on a second thread. */
int ingest_source_sha256(const char *path, char hex[65], uint64_t *size);
/* ingest_file with the source's checksum already computed by
 * ingest_source_sha256 (sha256_hex NULL: compute it here). */
int ingest_file_hashed(struct ingest *g, const char *path, const char *sha256_hex, uint64_t size);
/* As ingest_file_hashed, with the attribution/licence line stored with the
 * source (copied; NULL: none), e.g. a live provider's credit line. */
int ingest_file_licensed(struct ingest *g, const char *path, const char *sha256_hex, uint64_t size,
                         const char *licence);
/* Sources read by a producer instead of the decoding pipeline: the archive
 * importer (src/archive/import.c) turns trace points, CSV rows and
 * snapshots into struct obs itself. */
struct ingest_source_desc {
    const char *name;    /* stored as the source's name (e.g. "X.tar.aa+ab") */
    const char *sha256;  /* the source's identity: re-ingest is skipped when complete */
    uint64_t size;       /* bytes the producer will report through ingest_emit_pos */
    const char *licence; /* attribution and licence line stored with it; NULL: none */
};

/* Runs on the reader thread (or the caller's with single_thread): calls
 * ingest_emit for each observation in order and ingest_emit_pos now and
 * then, and returns 0 when the whole source was read, or a negative enum
 * orbat_err when it stopped on a read/format error (what was emitted is
 * kept; the source stays incomplete). It should return early when
 * ingest_emit_stopped says so (a database error). */
typedef int (*ingest_produce_fn)(void *pctx, struct ingest *g);
/* Hand over one observation (copied, raw bytes included: raw_len at most
 * 4 KiB). obs->source is ignored: the source is the current one. */
void ingest_emit(struct ingest *g, const struct obs *o);
/* The producer's position in bytes (for progress and the source's size). */
void ingest_emit_pos(struct ingest *g, uint64_t pos);
bool ingest_emit_stopped(struct ingest *g);
/* The attribution/licence line stored with the current producer source
 * (copied; called by the producer, e.g. once it knows what it read). */
void ingest_source_licence(struct ingest *g, const char *licence);
/* Ingest one producer source. Returns as ingest_file, or the producer's
 * error (the source is then stored but incomplete). */
int ingest_source(struct ingest *g, const struct ingest_source_desc *d, ingest_produce_fn produce,
                  void *pctx);

/* End of all sources: close the events engine's open spans, write the
 * remaining events and asset first/last times, commit. */
int ingest_finish(struct ingest *g);

const struct ingest_stats *ingest_get_stats(const struct ingest *g);
/* When observations came out of order across sources (ingest_stats.behind),
 * one line saying so, after prefix; nothing otherwise. */
void ingest_order_warning(const struct ingest *g, const char *prefix, FILE *out);
/* The end-of-run summary: messages by kind, errors by reason, assets by
 * category. */
void ingest_summary(const struct ingest *g, FILE *out);

#endif /* ORBAT_STORE_INGEST_H */
