/* SPDX-License-Identifier: BSD-2-Clause
 *
 * config.c - the configuration behind config.h: libinih (ini.h) splits the
 * text into sections, keys and values; this file feeds it lines, checks
 * every entry against the schema of `orbat run` and keeps the entries.
 *
 * libinih is used through ini_parse_stream with our own line reader, which
 *  - hands libinih one line per call, so libinih's line numbers are ours;
 *  - refuses a line longer than libinih's buffer (the `num` it passes is
 *    its INI_MAX_LINE) instead of letting the rest become a new line;
 *  - refuses NUL bytes (libinih's strings would end there);
 *  - drops leading blanks, so an indented line is an ordinary line and not
 *    one of libinih's multi-line continuations (INI_ALLOW_MULTILINE is on
 *    in Debian's build and would silently append it to the previous key);
 *  - checks "[section]" headers as they pass: Debian's build does not call
 *    the handler on a new section (INI_CALL_HANDLER_ON_NEW_SECTION 0), so
 *    this is the only place a header's own line number is known.
 * libinih's other rules are kept as documented: '=' or ':' between key and
 * value, ';' or '#' comment lines, inline comments after whitespace + ';',
 * surrounding blanks trimmed, a UTF-8 BOM ignored. We add: a value in
 * double quotes keeps its inner blanks.
 */
#include "config/config.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/listen_addr.h"
#include "http/replay.h"
#include "report/rtime.h"

/* libinih copies a section into a 50-byte buffer (MAX_SECTION in ini.c);
 * longer headers would be cut silently, so they are refused. */
#define CFG_MAX_HEADER 49

/* ---- schema of `orbat run` (docs/server.md) ---- */

enum cfg_name {
    NAME_NONE,
    NAME_OPTIONAL,
    NAME_REQUIRED
};
enum cfg_type {
    T_STR,
    T_BOOL,
    T_INT,
    T_NUM,
    T_DUR,
    T_RULE,
    T_TIME,  /* a time as rtime_parse reads it (2025-10-21T02:00Z, @unix) */
    T_SPEED, /* replay_parse_speed: (0, REPLAY_MAX_SPEED] */
    T_SITE,  /* replay_parse_site: LAT,LON */
    T_LISTEN /* listen_addr_parse: HOST:PORT, port 0..65535 */
};

struct cfg_section {
    const char *section;
    enum cfg_name name;
};

struct cfg_key {
    const char *section, *key;
    enum cfg_type type;
    double lo, hi; /* inclusive range of T_INT / T_NUM */
};

static const struct cfg_section cfg_sections[] = {
    {"database", NAME_NONE}, {"server", NAME_NONE},    {"theatre", NAME_NONE},
    {"registry", NAME_NONE}, {"spool", NAME_NONE},     {"feed", NAME_OPTIONAL},
    {"alerts", NAME_NONE},   {"alert", NAME_REQUIRED}, {"aisstream", NAME_NONE},
    {"aishub", NAME_NONE},
};

static const struct cfg_key cfg_keys[] = {
    {"database", "path", T_STR, 0, 0},
    {"server", "listen", T_LISTEN, 0, 0},
    {"server", "enabled", T_BOOL, 0, 0},
    {"server", "token", T_STR, 0, 0},
    {"server", "web", T_STR, 0, 0},
    {"server", "geo", T_STR, 0, 0},
    {"server", "cache_ms", T_INT, 0, 3600000},
    {"server", "replay_start", T_TIME, 0, 0},
    {"server", "replay_speed", T_SPEED, 0, 0},
    {"server", "site", T_SITE, 0, 0},
    {"server", "tar1090", T_STR, 0, 0},
    {"theatre", "name", T_STR, 0, 0},
    {"registry", "file", T_STR, 0, 0},
    {"registry", "no_defaults", T_BOOL, 0, 0},
    {"spool", "dir", T_STR, 0, 0},
    {"spool", "seconds", T_INT, 1, 3600},
    {"spool", "keep", T_BOOL, 0, 0},
    {"feed", "url", T_STR, 0, 0},
    {"feed", "interval", T_INT, 1, 3600},
    {"alerts", "stdout", T_BOOL, 0, 0},
    {"alerts", "file", T_STR, 0, 0},
    {"alerts", "webhook", T_STR, 0, 0},
    {"alerts", "webhook_retries", T_INT, 0, 20},
    {"alerts", "webhook_backoff_ms", T_INT, 1, 3600000},
    {"alert", "rule", T_RULE, 0, 0},
    {"alert", "asset", T_STR, 0, 0},
    {"alert", "theatre", T_STR, 0, 0},
    {"alert", "category", T_STR, 0, 0},
    {"alert", "role", T_STR, 0, 0},
    {"alert", "nm", T_NUM, 0.001, 20000},
    {"alert", "threshold", T_INT, 0, 1000000},
    {"alert", "window", T_DUR, 0, 0},
    {"alert", "gap", T_DUR, 0, 0},
    {"alert", "coastline", T_STR, 0, 0},
    {"aisstream", "key", T_STR, 0, 0},
    {"aishub", "username", T_STR, 0, 0},
};

static const char *const cfg_rules[] = {"enter", "near", "count", "gap"};

/* ---- the entry table ---- */

struct config *config_new(void)
{
    return calloc(1, sizeof(struct config));
}

void config_free(struct config *c)
{
    if (!c)
        return;
    free(c->e);
    free(c);
}

static struct config_entry *add(struct config *c)
{
    if (c->n >= CONFIG_MAX_ENTRIES)
        return NULL;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 32;
        struct config_entry *e = realloc(c->e, nc * sizeof(*e));
        if (!e)
            return NULL;
        c->e = e;
        c->cap = nc;
    }
    struct config_entry *e = &c->e[c->n++];
    memset(e, 0, sizeof(*e));
    return e;
}

static bool ident_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(*s == '_' || *s == '-' || *s == '.' || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* ---- schema check ---- */

static bool parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1"))
        *out = true;
    else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") ||
             !strcmp(v, "0"))
        *out = false;
    else
        return false;
    return true;
}

static int check_value(const struct cfg_key *k, const char *value, char *err, size_t errsz)
{
    char *end;
    bool b;
    int64_t ms;
    if (k->type == T_STR)
        return 0;
    if (!*value) {
        snprintf(err, errsz, "%s needs a value", k->key);
        return -1;
    }
    switch (k->type) {
    case T_BOOL:
        if (parse_bool(value, &b))
            return 0;
        snprintf(err, errsz, "%s: '%s' is not a boolean (true/false, yes/no, on/off, 1/0)", k->key,
                 value);
        return -1;
    case T_INT: {
        errno = 0;
        long v = strtol(value, &end, 10);
        if (*end || errno || end == value) {
            snprintf(err, errsz, "%s: '%s' is not an integer", k->key, value);
            return -1;
        }
        if (v < k->lo || v > k->hi) {
            snprintf(err, errsz, "%s: %ld is out of range %.0f..%.0f", k->key, v, k->lo, k->hi);
            return -1;
        }
        return 0;
    }
    case T_NUM: {
        double v = strtod(value, &end);
        if (*end || end == value || !isfinite(v)) {
            snprintf(err, errsz, "%s: '%s' is not a number", k->key, value);
            return -1;
        }
        if (v < k->lo || v > k->hi) {
            snprintf(err, errsz, "%s: %g is out of range %g..%g", k->key, v, k->lo, k->hi);
            return -1;
        }
        return 0;
    }
    case T_DUR:
        if (rtime_parse_duration(value, &ms) == 0)
            return 0;
        snprintf(err, errsz, "%s: '%s' is not a duration (30m, 6h, 1d, 2w)", k->key, value);
        return -1;
    case T_RULE:
        for (size_t i = 0; i < sizeof(cfg_rules) / sizeof(cfg_rules[0]); i++)
            if (!strcmp(value, cfg_rules[i]))
                return 0;
        snprintf(err, errsz, "rule: '%s' is not enter, near, count or gap", value);
        return -1;
    case T_TIME: {
        int pr = rtime_parse(value, &ms);
        if (pr == 0)
            return 0;
        snprintf(err, errsz, "%s: '%s' is %s", k->key, value,
                 pr == -2 ? "outside " RTIME_RANGE_TEXT
                          : "not a time (2025-10-21T02:00Z, 2025-10-21, @unix)");
        return -1;
    }
    case T_SPEED: {
        double v;
        if (replay_parse_speed(value, &v) == 0)
            return 0;
        snprintf(err, errsz, "%s: '%s' is not a number in (0, %g]", k->key, value,
                 REPLAY_MAX_SPEED);
        return -1;
    }
    case T_SITE: {
        double la, lo;
        if (replay_parse_site(value, &la, &lo) == 0)
            return 0;
        snprintf(err, errsz, "%s: '%s' is not LAT,LON in degrees", k->key, value);
        return -1;
    }
    case T_LISTEN: {
        char host[256], port[8], why[200];
        if (listen_addr_parse(value, host, sizeof host, port, sizeof port, why, sizeof why) == 0)
            return 0;
        snprintf(err, errsz, "%s: %s", k->key, why);
        return -1;
    }
    case T_STR:
        break;
    }
    return 0;
}

static const struct cfg_section *find_section(const char *section)
{
    for (size_t i = 0; i < sizeof(cfg_sections) / sizeof(cfg_sections[0]); i++)
        if (!strcmp(cfg_sections[i].section, section))
            return &cfg_sections[i];
    return NULL;
}

/* The section part of config_check, also used for headers without keys. */
static int check_section(const char *section, const char *name, char *err, size_t errsz)
{
    const struct cfg_section *s = find_section(section);
    if (!s) {
        snprintf(err, errsz, "unknown section [%s]", section);
        return -1;
    }
    if (s->name == NAME_NONE && name[0]) {
        snprintf(err, errsz, "[%s] takes no name", section);
        return -1;
    }
    if (s->name == NAME_REQUIRED && !name[0]) {
        snprintf(err, errsz, "[%s] needs a name: [%s NAME]", section, section);
        return -1;
    }
    return 0;
}

int config_check(const char *section, const char *name, const char *key, const char *value,
                 char *err, size_t errsz)
{
    if (check_section(section, name ? name : "", err, errsz))
        return -1;
    for (size_t i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++)
        if (!strcmp(cfg_keys[i].section, section) && !strcmp(cfg_keys[i].key, key))
            return check_value(&cfg_keys[i], value, err, errsz);
    snprintf(err, errsz, "unknown key '%s' in [%s]", key, section);
    return -1;
}

/* ---- parsing with libinih ---- */

struct parse_ctx {
    struct config *c;
    const char *p, *end; /* text not yet handed to libinih */
    const char *text;
    unsigned line;     /* lines handed to libinih so far = its line number */
    unsigned err_line; /* the first error we found (0: none) */
    char msg[192];
};

static void fail(struct parse_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct parse_ctx *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
    va_end(ap);
    x->err_line = x->line;
}

/* Split "section" or "section name" (trimmed) into its parts. */
static int split_header(const char *s, size_t n, char *section, char *name)
{
    while (n && is_blank(*s)) {
        s++;
        n--;
    }
    while (n && is_blank(s[n - 1]))
        n--;
    size_t k = 0;
    while (k < n && !is_blank(s[k]))
        k++;
    if (k == 0 || k > CFG_MAX_HEADER)
        return -1;
    memcpy(section, s, k);
    section[k] = 0;
    size_t j = k;
    while (j < n && is_blank(s[j]))
        j++;
    memcpy(name, s + j, n - j);
    name[n - j] = 0;
    if (!ident_ok(section) || (name[0] && !ident_ok(name)))
        return -1;
    return 0;
}

/* A "[...]" line: closed, nothing after ']' but an inline comment, a valid
 * and known section name. */
static void check_header(struct parse_ctx *x, const char *s, size_t n)
{
    const char *close = memchr(s, ']', n);
    if (!close) {
        fail(x, "bad section header");
        return;
    }
    const char *q = close + 1, *e = s + n;
    while (q < e && (is_blank(*q) || *q == '\r'))
        q++;
    if (q < e && !(*q == ';' && is_blank(q[-1]))) {
        fail(x, "bad section header");
        return;
    }
    size_t len = (size_t)(close - s - 1);
    char section[CFG_MAX_HEADER + 1], name[CFG_MAX_HEADER + 1];
    if (len > CFG_MAX_HEADER) {
        fail(x, "section header longer than %d bytes", CFG_MAX_HEADER);
        return;
    }
    if (split_header(s + 1, len, section, name)) {
        fail(x, "bad section name");
        return;
    }
    char why[128];
    if (check_section(section, name, why, sizeof(why)))
        fail(x, "%s", why);
}

/* libinih's ini_reader: one line (with its '\n') per call, NULL at the end
 * or after our first error. */
static char *cfg_reader(char *str, int num, void *stream)
{
    struct parse_ctx *x = stream;
    if (x->err_line || x->p >= x->end || num < 3)
        return NULL;
    const char *s = x->p;
    const char *nl = memchr(s, '\n', (size_t)(x->end - s));
    size_t n = nl ? (size_t)(nl - s) : (size_t)(x->end - s);
    x->p = nl ? nl + 1 : x->end;
    x->line++;
    if (memchr(s, 0, n)) {
        fail(x, "NUL byte");
        return NULL;
    }
    if (x->line == 1 && n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
        s += 3;
        n -= 3;
    }
    while (n && is_blank(*s)) {
        s++;
        n--;
    }
    if (n + 2 > (size_t)num) {
        fail(x, "line longer than %d bytes (libinih's line buffer)", num - 2);
        return NULL;
    }
    if (n && *s == '[') {
        check_header(x, s, n);
        if (x->err_line)
            return NULL;
    }
    memcpy(str, s, n);
    str[n] = '\n';
    str[n + 1] = 0;
    return str;
}

/* libinih's handler: one "key = value" of section (libinih has already
 * trimmed key and value and cut an inline comment). Returns 0 on error. */
static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    struct parse_ctx *x = user;
    if (x->err_line)
        return 1; /* the reader stops at the next line */
    if (!*section) {
        fail(x, "key outside a [section]");
        return 0;
    }
    char sec[CFG_MAX_HEADER + 1], name[CFG_MAX_HEADER + 1];
    if (split_header(section, strlen(section), sec, name)) {
        fail(x, "bad section name"); /* not reached: the reader checked it */
        return 0;
    }
    if (strlen(key) >= sizeof(x->c->e[0].key) || !ident_ok(key)) {
        fail(x, "bad key");
        return 0;
    }
    /* A value may be quoted to keep leading/trailing blanks. libinih has
     * already cut at " ;", so an opening quote without its closing one is
     * a value whose comment cut it short. */
    char val[CONFIG_MAX_LINE];
    size_t vl = strlen(value);
    if (vl >= sizeof(val)) {
        fail(x, "value too long");
        return 0;
    }
    memcpy(val, value, vl + 1);
    if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
        memmove(val, val + 1, vl - 2);
        val[vl - 2] = 0;
    } else if (vl && val[0] == '"') {
        fail(x, "unbalanced quote (a ';' after a blank starts a comment, even inside quotes)");
        return 0;
    }
    char why[160];
    if (config_check(sec, name, key, val, why, sizeof(why))) {
        fail(x, "%s", why);
        return 0;
    }
    struct config_entry *e = add(x->c);
    if (!e) {
        fail(x, "too many entries");
        return 0;
    }
    snprintf(e->section, sizeof(e->section), "%s", sec);
    snprintf(e->name, sizeof(e->name), "%s", name);
    snprintf(e->key, sizeof(e->key), "%s", key);
    snprintf(e->value, sizeof(e->value), "%s", val);
    e->line = x->line;
    return 1;
}

/* What libinih refused on line `line` (its own syntax errors): a header it
 * could not close, or a line without '=' or ':'. */
static const char *syntax_reason(const char *text, size_t len, unsigned line)
{
    const char *p = text, *end = text + len;
    for (unsigned i = 1; i < line && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    while (p < end && is_blank(*p))
        p++;
    return p < end && *p == '[' ? "bad section header" : "expected 'key = value'";
}

int config_parse(struct config *c, const char *text, size_t len, const char *name, char *err,
                 size_t errsz)
{
    struct parse_ctx x = {.c = c, .p = text, .end = text + len, .text = text};
    int rc = ini_parse_stream(cfg_reader, &x, on_entry, &x);
    if (rc < 0) {
        snprintf(err, errsz, "%s: libinih error %d", name, rc);
        return -1;
    }
    if (rc > 0 && (!x.err_line || (unsigned)rc < x.err_line)) {
        snprintf(err, errsz, "%s:%d: %s", name, rc, syntax_reason(text, len, (unsigned)rc));
        return -1;
    }
    if (x.err_line) {
        snprintf(err, errsz, "%s:%u: %s", name, x.err_line, x.msg);
        return -1;
    }
    return 0;
}

int config_load(struct config *c, const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, 1 << 20, f) : 0;
    bool big = buf && n == 1 << 20;
    bool rerr = ferror(f) != 0;
    fclose(f);
    if (!buf || big || rerr) {
        free(buf);
        snprintf(err, errsz, "%s: %s", path,
                 !buf  ? "out of memory"
                 : big ? "larger than 1 MiB"
                       : "read error");
        return -1;
    }
    int rc = config_parse(c, buf, n, path, err, errsz);
    free(buf);
    return rc;
}

int config_set(struct config *c, const char *section, const char *name, const char *key,
               const char *value, bool replace)
{
    if (replace) {
        size_t o = 0;
        for (size_t i = 0; i < c->n; i++)
            if (strcmp(c->e[i].section, section) || strcmp(c->e[i].name, name) ||
                strcmp(c->e[i].key, key))
                c->e[o++] = c->e[i];
        c->n = o;
    }
    struct config_entry *e = add(c);
    if (!e)
        return -1;
    snprintf(e->section, sizeof(e->section), "%s", section);
    snprintf(e->name, sizeof(e->name), "%s", name);
    snprintf(e->key, sizeof(e->key), "%s", key);
    snprintf(e->value, sizeof(e->value), "%s", value);
    return 0;
}

int config_set_arg(struct config *c, const char *arg, char *err, size_t errsz)
{
    const char *eq = strchr(arg, '=');
    const char *dot1 = eq ? memchr(arg, '.', (size_t)(eq - arg)) : NULL;
    const char *dot2 = dot1;
    for (const char *q = dot1; q && q < eq; q++)
        if (*q == '.')
            dot2 = q;
    char section[64], name[64], key[64];
    size_t ls = dot1 ? (size_t)(dot1 - arg) : 0;
    size_t ln = dot2 > dot1 ? (size_t)(dot2 - dot1 - 1) : 0;
    size_t lk = dot2 ? (size_t)(eq - dot2 - 1) : 0;
    if (!eq || !dot1 || !ls || !lk || ls >= sizeof(section) || ln >= sizeof(name) ||
        lk >= sizeof(key) || (dot2 > dot1 && !ln)) {
        snprintf(err, errsz, "expected SECTION.KEY=VALUE or SECTION.NAME.KEY=VALUE");
        return -1;
    }
    memcpy(section, arg, ls);
    section[ls] = 0;
    memcpy(name, dot1 + 1, ln);
    name[ln] = 0;
    memcpy(key, dot2 + 1, lk);
    key[lk] = 0;
    const char *value = eq + 1;
    if (strlen(value) >= CONFIG_MAX_LINE) {
        snprintf(err, errsz, "value longer than %d bytes", CONFIG_MAX_LINE - 1);
        return -1;
    }
    if (name[0] && !ident_ok(name)) {
        snprintf(err, errsz, "bad name '%s'", name);
        return -1;
    }
    if (config_check(section, name, key, value, err, errsz))
        return -1;
    if (config_set(c, section, name, key, value, false)) {
        snprintf(err, errsz, "too many settings");
        return -1;
    }
    return 0;
}

const char *config_get(const struct config *c, const char *section, const char *name,
                       const char *key)
{
    const char *v = NULL;
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->e[i].section, section) && !strcmp(c->e[i].name, name ? name : "") &&
            !strcmp(c->e[i].key, key))
            v = c->e[i].value;
    return v;
}

long config_get_long(const struct config *c, const char *section, const char *name, const char *key,
                     long dflt, bool *bad)
{
    const char *v = config_get(c, section, name, key);
    if (!v || !*v)
        return dflt;
    char *end;
    errno = 0;
    long r = strtol(v, &end, 10);
    if (*end || errno) {
        *bad = true;
        return dflt;
    }
    return r;
}

double config_get_double(const struct config *c, const char *section, const char *name,
                         const char *key, double dflt, bool *bad)
{
    const char *v = config_get(c, section, name, key);
    if (!v || !*v)
        return dflt;
    char *end;
    double r = strtod(v, &end);
    if (*end || r != r) {
        *bad = true;
        return dflt;
    }
    return r;
}

bool config_get_bool(const struct config *c, const char *section, const char *name, const char *key,
                     bool dflt, bool *bad)
{
    const char *v = config_get(c, section, name, key);
    bool r;
    if (!v || !*v)
        return dflt;
    if (parse_bool(v, &r))
        return r;
    *bad = true;
    return dflt;
}
