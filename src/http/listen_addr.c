/* SPDX-License-Identifier: BSD-2-Clause
 *
 * listen_addr.c - the HOST:PORT syntax of a listen address; see
 * listen_addr.h.
 */
#include "http/listen_addr.h"

#include <stdio.h>
#include <string.h>

int listen_addr_parse(const char *listen, char *host, size_t hsz, char *port, size_t psz, char *err,
                      size_t errsz)
{
    if (hsz)
        host[0] = '\0';
    if (psz)
        port[0] = '\0';
    const char *colon = strrchr(listen, ':');
    if (!colon || !colon[1]) {
        snprintf(err, errsz, "listen address '%s' is not HOST:PORT", listen);
        return -1;
    }
    const char *p = colon + 1;
    size_t pl = strlen(p);
    if (strspn(p, "0123456789") != pl) {
        snprintf(err, errsz, "listen address '%s': port '%s' is not a number 0..65535", listen, p);
        return -1;
    }
    // Leading zeros are allowed ("08080"); the value is what counts.
    unsigned long v = 0;
    for (const char *q = p; *q; q++) {
        v = v * 10 + (unsigned long)(*q - '0');
        if (v > 65535) {
            snprintf(err, errsz,
                     "listen address '%s': port %s is out of range 0..65535 (0 = any "
                     "free port)",
                     listen, p);
            return -1;
        }
    }
    size_t hl = (size_t)(colon - listen);
    if (hl >= hsz) {
        snprintf(err, errsz, "listen address '%s': host too long", listen);
        return -1;
    }
    if (psz < 6) {
        snprintf(err, errsz, "listen address: port buffer too small");
        return -1;
    }
    memcpy(host, listen, hl);
    host[hl] = '\0';
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = '\0';
    }
    snprintf(port, psz, "%lu", v);
    return 0;
}
