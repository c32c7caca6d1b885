/* SPDX-License-Identifier: BSD-2-Clause
 *
 * config.h - the INI configuration of `orbat run` (docs/server.md), read
 * with libinih (Debian libinih-dev). "[section]" or "[section name]"
 * headers, "key = value" (or "key: value") lines, ';' or '#' comment lines,
 * inline comments after " ;", keys may repeat (feeds, registries). Every
 * section and key is checked against the schema of `orbat run` (below):
 * unknown sections and keys, and values that do not parse or are out of
 * range, are errors with "file:line". Every option also has a command-line
 * form (a dedicated option, or `--set SECTION[.NAME].KEY=VALUE`); the CLI
 * sets entries with config_set / config_set_arg, which override the file.
 *
 * Caps: a line in a file may hold what libinih's line buffer holds
 * (INI_MAX_LINE, 200 bytes with the newline in Debian's build; the limit
 * is read at run time); CONFIG_MAX_LINE bytes per value set from the
 * command line; CONFIG_MAX_ENTRIES entries; a file of at most 1 MiB. A
 * config is written by hand, so it is rejected rather than half-applied.
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
 * -1 with "name:line: reason" in err (entries before the error may have been
 * added; the caller discards c). */
int config_parse(struct config *c, const char *text, size_t len, const char *name, char *err,
                 size_t errsz);
/* Read and parse a file. */
int config_load(struct config *c, const char *path, char *err, size_t errsz);
/* Add (or, when replace, replace every) section/name/key entry. -1 when full. */
int config_set(struct config *c, const char *section, const char *name, const char *key,
               const char *value, bool replace);
/* Check one setting against the schema of `orbat run`: known section (with
 * a NAME where the section needs one), known key, and a value that parses
 * as the key's type within its range. Returns 0, or -1 with the reason in
 * err (no file or line: the caller adds them). */
int config_check(const char *section, const char *name, const char *key, const char *value,
                 char *err, size_t errsz);
/* The command-line form of a setting: "SECTION.KEY=VALUE" or
 * "SECTION.NAME.KEY=VALUE" (e.g. "server.cache_ms=0",
 * "alert.dark.gap=6h"), checked with config_check and appended to c
 * (no replace: the caller merges). Returns 0, or -1 with the reason in
 * err. */
int config_set_arg(struct config *c, const char *arg, char *err, size_t errsz);
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
