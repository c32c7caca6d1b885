/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_config.c - libFuzzer target for the configuration reader
 * (src/config/config.c on libinih): arbitrary bytes -> config_parse. On
 * success every entry must carry a known section, a line number within the
 * input and a value that config_check accepts (the schema ran on it); on
 * failure the message must start with "NAME:" and name a line. The first
 * line of the input is also tried as a --set argument (config_set_arg).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    struct config *c = config_new();
    if (!c)
        return 0;
    char err[256] = "";
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    if (config_parse(c, (const char *)data, size, "f", err, sizeof(err)) == 0) {
        for (size_t i = 0; i < c->n; i++) {
            const struct config_entry *e = &c->e[i];
            char why[256];
            if (e->line < 1 || e->line > lines ||
                config_check(e->section, e->name, e->key, e->value, why, sizeof(why)))
                abort(); // every stored entry passed the schema on its own line
        }
    } else {
        unsigned line = 0;
        if (sscanf(err, "f:%u:", &line) != 1 || line < 1 || line > lines)
            abort(); // every parse error names its line
    }
    config_free(c);

    char arg[512];
    size_t n = 0;
    while (n < size && n < sizeof(arg) - 1 && data[n] != '\n' && data[n])
        n++;
    memcpy(arg, data, n);
    arg[n] = 0;
    c = config_new();
    if (c && config_set_arg(c, arg, err, sizeof(err)) == 0 && c->n != 1)
        abort();
    config_free(c);
    return 0;
}
