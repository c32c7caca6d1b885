/* SPDX-License-Identifier: BSD-2-Clause
 *
 * csv.h - a bounded CSV record reader over an in-memory buffer (RFC 4180:
 * quoted fields, "" escapes, CRLF or LF line ends, newlines inside quotes),
 * with ',' or ';' as separator. Used for the registry and rule files.
 *
 * Every record is capped: at most CSV_MAX_FIELDS fields and CSV_MAX_ROW
 * bytes of field text. A record that breaks a cap or has an unterminated
 * quote is returned as an error with the line it started on; the reader
 * then resumes at the next line, so one bad row loses nothing else.
 *
 * Ownership: the reader borrows the buffer for its lifetime. The field
 * pointers in struct csv_row point into the row itself and are valid until
 * the next csv_next call on that row.
 */
#ifndef ORBAT_REGISTRY_CSV_H
#define ORBAT_REGISTRY_CSV_H

#include <stddef.h>
#include <stdint.h>

#define CSV_MAX_FIELDS 32
#define CSV_MAX_ROW    4096

struct csv_reader {
    const char *p;   /* next unread byte */
    const char *end; /* one past the buffer */
    uint32_t line;   /* line number of the next unread byte (1-based) */
    char sep;        /* ',' or ';' */
};

struct csv_row {
    uint32_t line; /* line the record starts on */
    int nfields;
    const char *field[CSV_MAX_FIELDS];
    const char *err; /* static text when csv_next returned CSV_ERROR */
    char text[CSV_MAX_ROW + CSV_MAX_FIELDS];
};

enum csv_status {
    CSV_EOF = 0,
    CSV_RECORD = 1,
    CSV_ERROR = -1,
};

/* Begin reading buf[0..n). A UTF-8 byte-order mark is skipped. sep is ','
 * or ';' (0: guess from the first line, ',' unless it has more ';'). */
void csv_init(struct csv_reader *r, const char *buf, size_t n, char sep);

/* Read the next record into *row. Blank lines are skipped. Returns
 * CSV_RECORD, CSV_EOF, or CSV_ERROR (row->err and row->line set; the
 * reader has skipped past the bad record's line). */
enum csv_status csv_next(struct csv_reader *r, struct csv_row *row);

/* Read a whole file into a NUL-terminated heap buffer (capped at max
 * bytes; gzip not supported). Returns NULL with errno set on failure
 * (EFBIG when over the cap). Caller frees. */
char *csv_slurp(const char *path, size_t max, size_t *len);

#endif /* ORBAT_REGISTRY_CSV_H */
