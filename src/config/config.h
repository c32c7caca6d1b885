/* SPDX-License-Identifier: BSD-2-Clause
 *
 * config.h - the INI configuration of `orbat run` (docs/server.md): a
 * small own parser. "[section]" or "[section name]" headers, "key = value"
 * lines, ';' or '#' comment lines, keys may repeat (feeds, registries).
 * Every option also has a command-line form; the CLI sets entries with
 * config_set, which override the file.
 *
 * Caps: CONFIG_MAX_LINE bytes per line, CONFIG_MAX_ENTRIES entries; longer
 * lines and unknown syntax are errors with the line number (a config is
 * written by hand, so it is rejected rather than half-applied).
 *
 * Ownership: config_new / config_load return a heap object freed with
 * config_free (NULL-safe); returned strings are owned by the config.
 */
#ifndef ORBAT_CONFIG_CONFIG_H
#define ORBAT_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_MAX_LINE    1024
#define CONFIG_MAX_ENTRIES 4096

struct config_entry {
    char section[64]; /* "server", "feed", "alert" ... */
    char name[64];    /* "[feed ais]" -> "ais"; "" when none */
    char key[64];
    char value[CONFIG_MAX_LINE];
    unsigned line; /* 0 when set from the command line */
};

struct config {
    struct config_entry *e;
    size_t n, cap;
};

struct config *config_new(void);
void config_free(struct config *c);
/* Parse INI text (len bytes) named name (for messages) into c. Returns 0, or
 * -1 with "name:line: reason" in err. */
int config_parse(struct config *c, const char *text, size_t len, const char *name, char *err,
                 size_t errsz);
/* Read and parse a file. */
int config_load(struct config *c, const char *path, char *err, size_t errsz);
/* Add (or, when replace, replace every) section/name/key entry. -1 when full. */
int config_set(struct config *c, const char *section, const char *name, const char *key,
               const char *value, bool replace);
/* The last value of section/key in any-named or unnamed section ("" name
 * matches only the unnamed one); NULL if absent. */
const char *config_get(const struct config *c, const char *section, const char *name,
                       const char *key);
/* Typed forms with a default; *bad is set when the value does not parse. */
long config_get_long(const struct config *c, const char *section, const char *name, const char *key,
                     long dflt, bool *bad);
double config_get_double(const struct config *c, const char *section, const char *name,
                         const char *key, double dflt, bool *bad);
bool config_get_bool(const struct config *c, const char *section, const char *name, const char *key,
                     bool dflt, bool *bad);

#endif /* ORBAT_CONFIG_CONFIG_H */
