/* SPDX-License-Identifier: BSD-2-Clause
 *
 * csv.c - bounded CSV reader; see csv.h. Follows RFC 4180 section 2 for
 * quoting; leniencies: a quote inside an unquoted field is kept as text, and
 * text after a closing quote is appended (as Python's csv module does).
 */
#include "registry/csv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_init(struct csv_reader *r, const char *buf, size_t n, char sep)
{
    r->p = buf;
    r->end = buf + n;
    r->line = 1;
    if (n >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
        (unsigned char)buf[2] == 0xBF)
        r->p += 3;
    if (sep != ',' && sep != ';') {
        size_t commas = 0, semis = 0;
        for (const char *q = r->p; q < r->end && *q != '\n'; q++) {
            commas += *q == ',';
            semis += *q == ';';
        }
        sep = semis > commas ? ';' : ',';
    }
    r->sep = sep;
}

// Skip to just after the next newline (error recovery).
static void csv_skip_line(struct csv_reader *r)
{
    while (r->p < r->end && *r->p != '\n')
        r->p++;
    if (r->p < r->end) {
        r->p++;
        r->line++;
    }
}

static enum csv_status csv_fail(struct csv_reader *r, struct csv_row *row, const char *err,
                                const char *restart, uint32_t restart_line)
{
    row->err = err;
    row->nfields = 0;
    r->p = restart;
    r->line = restart_line;
    csv_skip_line(r);
    return CSV_ERROR;
}

enum csv_status csv_next(struct csv_reader *r, struct csv_row *row)
{
    // Skip blank lines (LF or CRLF only).
    for (;;) {
        if (r->p >= r->end)
            return CSV_EOF;
        if (*r->p == '\n') {
            r->p++;
            r->line++;
        } else if (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n') {
            r->p += 2;
            r->line++;
        } else if (*r->p == '\r' && r->p + 1 == r->end) {
            r->p++;
        } else {
            break;
        }
    }
    const char *start = r->p;
    uint32_t start_line = r->line;
    row->line = start_line;
    row->err = NULL;
    row->nfields = 0;
    size_t out = 0;
    const size_t cap = sizeof row->text;
    const char *p = r->p;
    for (;;) {
        // One field.
        if (row->nfields >= CSV_MAX_FIELDS)
            return csv_fail(r, row, "too many fields", start, start_line);
        row->field[row->nfields++] = row->text + out;
        bool quoted = false;
        if (p < r->end && *p == '"') {
            quoted = true;
            p++;
        }
        for (;;) {
            if (p >= r->end) {
                if (quoted)
                    return csv_fail(r, row, "unterminated quoted field", start, start_line);
                break;
            }
            char c = *p;
            if (quoted) {
                if (c == '"') {
                    if (p + 1 < r->end && p[1] == '"') {
                        c = '"';
                        p++;
                    } else {
                        quoted = false;
                        p++;
                        continue;
                    }
                } else if (c == '\n') {
                    r->line++;
                }
            } else if (c == r->sep || c == '\n' || c == '\r') {
                break;
            }
            if (c == '\0')
                return csv_fail(r, row, "NUL byte in field", start, start_line);
            if (out + 2 >= cap) // room for this byte and the field's NUL
                return csv_fail(r, row, "record longer than 4096 bytes", start, start_line);
            row->text[out++] = c;
            p++;
        }
        row->text[out++] = '\0';
        if (p < r->end && *p == r->sep) {
            p++;
            continue;
        }
        break;
    }
    // End of record: CRLF, LF, lone CR or end of buffer.
    if (p < r->end && *p == '\r')
        p++;
    if (p < r->end && *p == '\n') {
        p++;
        r->line++;
    }
    r->p = p;
    return CSV_RECORD;
}

char *csv_slurp(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                free(buf);
                fclose(f);
                errno = EFBIG;
                return NULL;
            }
            size_t ncap = cap * 2 > max ? max : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                int e = errno ? errno : EIO;
                free(buf);
                fclose(f);
                errno = e;
                return NULL;
            }
            break;
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}
