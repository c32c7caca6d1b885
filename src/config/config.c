/* SPDX-License-Identifier: BSD-2-Clause
 *
 * config.c - the INI parser and lookups behind config.h.
 */
#include "config/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static void copy_trim(char *dst, size_t size, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(dst, s, n);
    dst[n] = 0;
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

int config_parse(struct config *c, const char *text, size_t len, const char *name, char *err,
                 size_t errsz)
{
    char section[64] = "", sname[64] = "";
    unsigned line = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        if (n >= CONFIG_MAX_LINE) {
            snprintf(err, errsz, "%s:%u: line longer than %d bytes", name, line, CONFIG_MAX_LINE);
            return -1;
        }
        char buf[CONFIG_MAX_LINE];
        copy_trim(buf, sizeof(buf), p, n);
        p = nl ? nl + 1 : end;
        if (!buf[0] || buf[0] == ';' || buf[0] == '#')
            continue;
        if (buf[0] == '[') {
            char *close = strchr(buf, ']');
            if (!close || close[1]) {
                snprintf(err, errsz, "%s:%u: bad section header", name, line);
                return -1;
            }
            *close = 0;
            char *sp = strpbrk(buf + 1, " \t");
            sname[0] = 0;
            if (sp) {
                copy_trim(sname, sizeof(sname), sp, strlen(sp));
                *sp = 0;
            }
            copy_trim(section, sizeof(section), buf + 1, strlen(buf + 1));
            if (!ident_ok(section) || (sp && !ident_ok(sname))) {
                snprintf(err, errsz, "%s:%u: bad section name", name, line);
                return -1;
            }
            continue;
        }
        char *eq = strchr(buf, '=');
        if (!eq) {
            snprintf(err, errsz, "%s:%u: expected 'key = value'", name, line);
            return -1;
        }
        if (!section[0]) {
            snprintf(err, errsz, "%s:%u: key outside a [section]", name, line);
            return -1;
        }
        struct config_entry *e = add(c);
        if (!e) {
            snprintf(err, errsz, "%s:%u: too many entries", name, line);
            return -1;
        }
        copy_trim(e->key, sizeof(e->key), buf, (size_t)(eq - buf));
        copy_trim(e->value, sizeof(e->value), eq + 1, strlen(eq + 1));
        /* A value may be quoted to keep leading/trailing spaces or ';'. */
        size_t vl = strlen(e->value);
        if (vl >= 2 && e->value[0] == '"' && e->value[vl - 1] == '"') {
            memmove(e->value, e->value + 1, vl - 2);
            e->value[vl - 2] = 0;
        }
        if (!ident_ok(e->key)) {
            c->n--;
            snprintf(err, errsz, "%s:%u: bad key", name, line);
            return -1;
        }
        memcpy(e->section, section, sizeof(section));
        memcpy(e->name, sname, sizeof(sname));
        e->line = line;
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
    fclose(f);
    if (!buf || big) {
        free(buf);
        snprintf(err, errsz, "%s: %s", path, buf ? "larger than 1 MiB" : "out of memory");
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
    if (!v || !*v)
        return dflt;
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1"))
        return true;
    if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") || !strcmp(v, "0"))
        return false;
    *bad = true;
    return dflt;
}
