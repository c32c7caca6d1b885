/* SPDX-License-Identifier: BSD-2-Clause
 *
 * import.h - `orbat import`: public archives of a past period into the
 * store through the same identification, tracking, events and store path
 * as live feeds (src/store/ingest.c).
 *
 * What it reads (format detected per file and per archive member, never
 * from the name alone):
 *  - readsb / tar1090 trace files (trace_full_<hex>.json, trace_recent_...,
 *    gzip content or plain JSON), alone, in a directory tree, or inside a
 *    tar: the adsb.lol globe_history daily release is a plain tar split in
 *    parts (<tag>.tar.aa, .tar.ab, ...), read in order as one stream,
 *    without extracting anything to disk;
 *  - AIS CSV: NOAA MarineCadastre (2025+ `ais-YYYY-MM-DD.csv.zst` and the
 *    older `AIS_YYYY_MM_DD.csv`/.zip layout) and DMA aisdk (plain, .gz,
 *    .zst, .zip);
 *  - readsb aircraft.json and v2 API answers saved as files (plain or .gz);
 *  - anything `orbat ingest` reads (NMEA, Beast, AVR, SBS) is handed to it.
 * Global Fishing Watch event files are stored as external events by the
 * caller (cmd_import.c), not through the ingest path.
 *
 * Sources: each PATH argument is one source (a split tar's parts together,
 * a directory tree as a whole), known by the SHA-256 of its bytes (a
 * directory: of its files' relative paths and bytes in sorted order), so
 * importing it again is a no-op. Every observation's raw message names the
 * archive member (or CSV line) and the point index it came from.
 *
 * Threads: importer_path runs inside ingest_source, whose producer (this
 * module's readers) runs on the ingest reader thread.
 *
 * Ownership: importer_new borrows the ingest, registry and theatre (all
 * must outlive it; reg and th may be NULL) and returns a heap object freed
 * with importer_free (NULL-safe).
 */
#ifndef ORBAT_ARCHIVE_IMPORT_H
#define ORBAT_ARCHIVE_IMPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "geo/theatre.h"
#include "registry/registry.h"
#include "store/ingest.h"

struct import_opts {
    /* area filter: keep whole passes (trace legs; a vessel's rows of a CSV
     * file) with at least one position inside; none when both are unset */
    struct theatre *area; /* its zone 0 (the theatre area) */
    bool has_bbox;
    double south, west, north, east; /* degrees; west > east crosses 180 */
    bool mil;                        /* only military aircraft and ships (see import.c) */
    const uint32_t *hex;             /* sorted list of ICAO addresses / MMSIs; NULL: all */
    size_t nhex;
    char *const *callsign; /* fnmatch(3) patterns, case-insensitive; NULL: all */
    size_t ncallsign;
    int64_t from_ms, to_ms; /* keep points in [from, to); 0: open */
    int64_t pass_gap_ms;    /* a trace leg also ends at a gap this long (default 30 min) */
    const char *licence;    /* overrides the attribution stored with the sources */
    size_t sort_mem;        /* memory for time-ordering a source's observations
                               before they are spilled to temporary files
                               (default 64 MiB: a larger buffer costs more in page faults than the spilled
                               runs, bench/RESULTS.md) */
    bool progress;          /* progress line on stderr */
    bool quiet;             /* no per-member error lines */
};

struct import_stats {
    uint64_t units;           /* PATH arguments (sources) read */
    uint64_t members;         /* files in archives/directories looked at */
    uint64_t members_skipped; /* left out by --mil/--hex before their points were read */
    uint64_t members_other;   /* not a format we import (heatmap/, acas/, ...) */
    uint64_t members_bad;     /* could not be read or parsed (reported) */
    uint64_t traces, csv_files, snapshots;
    uint64_t points;     /* trace points / CSV rows / snapshot aircraft read */
    uint64_t bad_points; /* malformed points/rows skipped */
    uint64_t kept;       /* handed to ingest */
    uint64_t bytes_in;   /* archive bytes read */
    uint64_t bytes_inflated;
    uint64_t sort_runs; /* sorted runs spilled to temporary files */
};

struct importer;

struct importer *importer_new(struct ingest *g, const struct registry *reg,
                              const struct import_opts *o);
void importer_free(struct importer *im);

/* What a PATH argument is. */
enum import_kind {
    IMPORT_ARCHIVE,  /* a tar (split or not, compressed or not), zip or a directory */
    IMPORT_TRACE,    /* one trace file */
    IMPORT_CSV,      /* one AIS CSV file */
    IMPORT_SNAPSHOT, /* one aircraft.json / v2 answer */
    IMPORT_GFW,      /* Global Fishing Watch events (the caller stores them) */
    IMPORT_FEED,     /* NMEA / Beast / AVR / SBS: ingest_file */
    IMPORT_BROKEN,   /* compressed, but nothing could be inflated */
};

/* Look at PATH's content. Returns 0 and sets *kind, or -1 with errno set. */
int importer_classify(const char *path, enum import_kind *kind);

/* Import one PATH (file, directory, or one part of a split tar: its
 * sibling parts are found and read with it). Returns ORBAT_OK, ORBAT_AGAIN
 * when it was already imported, ORBAT_E_IO (errno) when it could not be
 * read at all, ORBAT_E_FORMAT when part of it could not be read (what was
 * read is kept), or the ingest's database error. */
int importer_path(struct importer *im, const char *path);

/* Paths of a split tar's parts from one of them ("x.tar.ab" -> x.tar.aa,
 * x.tar.ab, ... as present). Returns the count (0: PATH is not a part);
 * the strings are malloc'ed into out[] (at most max). */
size_t importer_split_parts(const char *path, char **out, size_t max);

const struct import_stats *importer_stats(const struct importer *im);
void importer_summary(const struct importer *im, FILE *out);

#endif /* ORBAT_ARCHIVE_IMPORT_H */
