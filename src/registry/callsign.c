/* SPDX-License-Identifier: BSD-2-Clause
 *
 * callsign.c - callsign rule file loader and matcher; see callsign.h.
 */
#include "registry/callsign.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/csv.h"

#define RULES_MAX      4096
#define RULES_MAX_FILE (4u << 20)

struct callsign_rules {
    struct callsign_rule *v;
    size_t n, cap;
};

struct callsign_rules *callsign_rules_new(void)
{
    return calloc(1, sizeof(struct callsign_rules));
}

void callsign_rules_free(struct callsign_rules *r)
{
    if (!r)
        return;
    free(r->v);
    free(r);
}

size_t callsign_rules_count(const struct callsign_rules *r)
{
    return r ? r->n : 0;
}

const struct callsign_rule *callsign_rule_at(const struct callsign_rules *r, size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

int callsign_pattern_match(const char *p, const char *s)
{
    for (; *p; p++, s++) {
        if (*p == '*' && p[1] == '\0')
            return 1;
        if (!*s)
            return 0;
        if (*p == '#') {
            if (!isdigit((unsigned char)*s))
                return 0;
        } else if (*p != '?' && *p != *s) {
            return 0;
        }
    }
    return *s == '\0';
}

static int pattern_literals(const char *p)
{
    int n = 0;
    for (; *p; p++)
        n += isalnum((unsigned char)*p) ? 2 : (*p == '#' || *p == '?');
    return n;
}

const struct callsign_rule *callsign_rules_match(const struct callsign_rules *r,
                                                 const char *callsign)
{
    if (!r || !callsign)
        return NULL;
    char cs[16];
    size_t o = 0;
    for (; *callsign && o + 1 < sizeof cs; callsign++)
        if (!isspace((unsigned char)*callsign))
            cs[o++] = (char)toupper((unsigned char)*callsign);
    cs[o] = '\0';
    if (!o)
        return NULL;
    const struct callsign_rule *best = NULL;
    int best_lit = -1;
    for (size_t i = 0; i < r->n; i++) {
        if (!callsign_pattern_match(r->v[i].pattern, cs))
            continue;
        int lit = pattern_literals(r->v[i].pattern);
        if (lit > best_lit) {
            best = &r->v[i];
            best_lit = lit;
        }
    }
    return best;
}

static void report(reg_err_cb cb, void *ctx, const char *name, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(reg_err_cb cb, void *ctx, const char *name, uint32_t line, const char *fmt, ...)
{
    if (!cb)
        return;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cb(ctx, name, line, msg);
}

static int valid_pattern(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n >= sizeof((struct callsign_rule *)0)->pattern)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '*' && i == n - 1 && i > 0)
            continue;
        if (!(isupper((unsigned char)c) || isdigit((unsigned char)c) || c == '#' || c == '?'))
            return 0;
    }
    return 1;
}

int callsign_rules_load_buf(struct callsign_rules *r, const char *buf, size_t n, const char *name,
                            reg_err_cb cb, void *ctx)
{
    struct csv_reader rd;
    csv_init(&rd, buf, n, ',');
    struct csv_row *row = malloc(sizeof *row);
    if (!row)
        return -1;
    int added = 0;
    bool have_header = false;
    enum csv_status st;
    while ((st = csv_next(&rd, row)) != CSV_EOF) {
        if (st == CSV_ERROR) {
            report(cb, ctx, name, row->line, "%s", row->err);
            continue;
        }
        if (row->field[0][0] == '#')
            continue;
        if (!have_header) {
            if (row->nfields != 7 || strcmp(row->field[0], "pattern") ||
                strcmp(row->field[6], "source")) {
                report(cb, ctx, name, row->line,
                       "bad header (want pattern,category,role,operator,country,strength,"
                       "source)");
                free(row);
                return -1;
            }
            have_header = true;
            continue;
        }
        if (row->nfields != 7) {
            report(cb, ctx, name, row->line, "%d fields, expected 7", row->nfields);
            continue;
        }
        struct callsign_rule ru;
        memset(&ru, 0, sizeof ru);
        ru.line = row->line;
        if (!valid_pattern(row->field[0])) {
            report(cb, ctx, name, row->line,
                   "bad pattern '%.20s' (A-Z, 0-9, '#', '?', trailing '*'; at most 15)",
                   row->field[0]);
            continue;
        }
        snprintf(ru.pattern, sizeof ru.pattern, "%s", row->field[0]);
        int c = registry_category_parse(row->field[1]);
        if (c <= 0) {
            report(cb, ctx, name, row->line, "bad category '%.24s'", row->field[1]);
            continue;
        }
        int ro = registry_role_parse(row->field[2]);
        if (ro < 0) {
            report(cb, ctx, name, row->line, "bad role '%.24s'", row->field[2]);
            continue;
        }
        if (!strcmp(row->field[5], "weak"))
            ru.strength = STRENGTH_WEAK;
        else if (!strcmp(row->field[5], "medium"))
            ru.strength = STRENGTH_MEDIUM;
        else {
            report(cb, ctx, name, row->line, "bad strength '%.16s' (weak or medium)",
                   row->field[5]);
            continue;
        }
        if (!row->field[6][0]) {
            report(cb, ctx, name, row->line, "rule has no source");
            continue;
        }
        ru.category = (uint8_t)c;
        ru.role = (uint8_t)ro;
        snprintf(ru.operator_name, sizeof ru.operator_name, "%s", row->field[3]);
        snprintf(ru.country, sizeof ru.country, "%s", row->field[4]);
        snprintf(ru.source, sizeof ru.source, "%s", row->field[6]);
        if (r->n >= RULES_MAX) {
            report(cb, ctx, name, row->line, "too many rules (max %d)", RULES_MAX);
            break;
        }
        if (r->n == r->cap) {
            size_t nc = r->cap ? r->cap * 2 : 64;
            struct callsign_rule *nv = realloc(r->v, nc * sizeof *nv);
            if (!nv) {
                free(row);
                return -1;
            }
            r->v = nv;
            r->cap = nc;
        }
        r->v[r->n++] = ru;
        added++;
    }
    free(row);
    if (!have_header) {
        report(cb, ctx, name, 0, "no header line");
        return -1;
    }
    return added;
}

int callsign_rules_load_file(struct callsign_rules *r, const char *path, reg_err_cb cb, void *ctx)
{
    size_t n;
    char *buf = csv_slurp(path, RULES_MAX_FILE, &n);
    if (!buf) {
        report(cb, ctx, path, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    int rc = callsign_rules_load_buf(r, buf, n, path, cb, ctx);
    free(buf);
    return rc;
}
