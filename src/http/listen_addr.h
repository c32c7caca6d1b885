/* SPDX-License-Identifier: BSD-2-Clause
 *
 * listen_addr.h - the HOST:PORT syntax of a listen address ([server]
 * listen, --listen of orbat serve and orbat run), checked once for the
 * server and the configuration: "127.0.0.1:8080", "[::1]:8080", ":8080"
 * (all addresses). The port is decimal 0..65535; 0 asks for any free port.
 */
#ifndef ORBAT_HTTP_LISTEN_ADDR_H
#define ORBAT_HTTP_LISTEN_ADDR_H

#include <stddef.h>

/* Split listen into host (brackets of an IPv6 literal removed; "" = all
 * addresses) and port (its decimal digits). Returns 0, or -1 with a
 * message in err (host or port too long for hsz / psz, no ':', a port that
 * is not decimal digits or is over 65535). host, port and err are the
 * caller's buffers, always NUL-terminated when their size is > 0. */
int listen_addr_parse(const char *listen, char *host, size_t hsz, char *port, size_t psz, char *err,
                      size_t errsz);

#endif /* ORBAT_HTTP_LISTEN_ADDR_H */
