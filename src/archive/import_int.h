/* SPDX-License-Identifier: BSD-2-Clause
 *
 * import_int.h - the importer's internals shared by import.c (units,
 * archives, traces), import_csv.c (AIS CSV) and import_snap.c (aircraft.json
 * snapshots). Not a public interface.
 */
#ifndef ORBAT_ARCHIVE_IMPORT_INT_H
#define ORBAT_ARCHIVE_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "archive/import.h"
#include "archive/obs_sort.h"
#include "core/obs.h"

/* Kinds of content seen in a source: they choose its attribution line. */
enum imp_seen {
    SEEN_TRACE = 1u << 0,
    SEEN_MC = 1u << 1,  /* MarineCadastre CSV */
    SEEN_DMA = 1u << 2, /* DMA aisdk CSV */
    SEEN_SNAP = 1u << 3,
    SEEN_SIM = 1u << 4, /* written by orbat simulate */
    SEEN_ADSBLOL = 1u << 5,
};

/* A byte stream: a file or an archive member, plain, gzip or zstd. */
struct rstream;

/* Open over a file descriptor (borrowed) or a libarchive handle positioned
 * at a member (borrowed); `head` is bytes already read from it (copied).
 * Decompression is chosen from the first bytes. NULL when out of memory. */
struct rstream *rs_open_fd(int fd, const unsigned char *head, size_t nhead);
struct rstream *rs_open_member(void *archive, const unsigned char *head, size_t nhead);
/* Read up to n decompressed bytes: >0, 0 at the end, -1 on an error
 * (rs_error says which: a read error, corrupt or truncated data). */
ssize_t rs_read(struct rstream *r, void *buf, size_t n);
const char *rs_error(const struct rstream *r);
uint64_t rs_raw_pos(const struct rstream *r); /* compressed bytes consumed */
void rs_close(struct rstream *r);

struct importer {
    struct ingest *g;
    const struct registry *reg;
    struct import_opts o;
    struct import_stats st;
    /* the unit (source) being read */
    const char *unit;   /* its display name */
    uint64_t unit_size; /* bytes, for the progress line */
    uint64_t unit_pos;  /* bytes read so far (archive position) */
    unsigned seen;      /* enum imp_seen */
    int err;            /* first member error of the unit (ORBAT_E_FORMAT/IO) */
    /* progress */
    int64_t prog_t0, prog_last;
    /* scratch */
    unsigned char *mbuf; /* a member's bytes as stored */
    size_t mcap;
    char *jbuf; /* inflated */
    size_t jcap;
    void *pts; /* trace points of one member */
    size_t npts, cappts;
    void *dd; /* libdeflate decompressor */
    void *pz; /* zlib z_stream for header peeks, reused */
    struct obs ob;
    struct obs_sort *sort; /* the unit's kept observations, put in time order */
    int sort_err;          /* errno of a failed obs_sort_add */
    uint64_t drained;
    char licence[160]; /* the unit's attribution line (licence_for) */
};

/* Report a member's error (once per member) and remember it for the unit. */
void imp_member_error(struct importer *im, const char *member, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Filters shared by the readers. */
bool imp_in_area(const struct importer *im, double lat, double lon);
bool imp_has_area(const struct importer *im);
bool imp_hex_ok(const struct importer *im, uint32_t id);
bool imp_callsign_ok(const struct importer *im, const char *cs);
bool imp_time_ok(const struct importer *im, int64_t t_ms);
/* ICAO address military by orbat's own tables (military block, registry). */
bool imp_mil_icao(const struct importer *im, uint32_t icao);
/* MMSI of a warship by orbat's own registry or MID conventions. */
bool imp_mil_mmsi(const struct importer *im, uint32_t mmsi);
void imp_emit(struct importer *im, struct obs *o, const char *member, uint64_t offset,
              const char *what, uint64_t index, const char *text, size_t text_len);
void imp_progress(struct importer *im, bool final);

/* Readers of one stream (import_csv.c, import_snap.c). `member` names it
 * in errors and provenance; `offset` is its position in the unit. `again`
 * reopens the same stream from its start; prefix is what was already read
 * from rs (for the CSV area filter's second
 * pass); NULL when it cannot be reread. Return ORBAT_OK or an error (what
 * was read is kept). */
typedef struct rstream *(*imp_reopen_fn)(void *ctx);
int imp_csv(struct importer *im, const char *prefix, size_t nprefix, struct rstream *rs,
            const char *member, uint64_t offset, imp_reopen_fn again, void *again_ctx);
int imp_snapshot(struct importer *im, const char *buf, size_t len, const char *member,
                 uint64_t offset);
/* Is this text the header line of an AIS CSV layout we read? */
bool imp_csv_header(const char *line, size_t len);

#endif /* ORBAT_ARCHIVE_IMPORT_INT_H */
