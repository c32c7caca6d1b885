/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_open.c - the store URL dispatcher (see store.h): a postgresql:// or
 * postgres:// URL opens the PostgreSQL backend, anything else an SQLite
 * file ("sqlite:" prefix optional). It
 * sits above the backends, which include only store.h and the helpers in
 * store_util.c, so no backend depends on another.
 */
#include "store/store.h"
#include "store/store_pg.h"

#include <string.h>

struct store *store_open(const char *url, char *errmsg, size_t errmsg_size)
{
    if (store_pg_url(url))
        return store_pg_open(url, errmsg, errmsg_size);
    if (!strncmp(url, "sqlite:", 7))
        url += 7;
    return store_sqlite_open(url, errmsg, errmsg_size);
}

struct store *store_open_reader(const char *url, char *errmsg, size_t errmsg_size)
{
    if (store_pg_url(url))
        return store_pg_open(url, errmsg, errmsg_size);
    if (!strncmp(url, "sqlite:", 7))
        url += 7;
    return store_sqlite_open_reader(url, errmsg, errmsg_size);
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}
