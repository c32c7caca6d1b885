/* SPDX-License-Identifier: BSD-2-Clause
 *
 * fuzz_http.c - libFuzzer target for orbat's HTTP request path: the
 * request head parser (http_req_parse), query-string decoding, the static
 * path check, and routing through api_handle into the API endpoints over
 * an empty in-memory store. Checks the parser's documented invariants.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/api.h"
#include "http/http_req.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *fuzz_store;
static struct api *fuzz_api;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_store) {
        char err[128];
        fuzz_store = store_sqlite_open(":memory:", err, sizeof(err));
        struct api_opts o = {.token = "fuzz-token"};
        fuzz_api = fuzz_store ? api_new(fuzz_store, &o) : NULL;
        if (!fuzz_api)
            abort();
    }
    struct http_req rq;
    int st = http_req_parse((const char *)data, size, &rq);
    switch (st) {
    case 0:
    case 400:
    case 413:
    case 414:
    case 431:
    case 501:
    case 505:
        return 0;
    case 200:
        break;
    default:
        abort();
    }
    if (rq.header_len > size || rq.header_len > HTTP_MAX_HEADER ||
        rq.content_length > HTTP_MAX_BODY || rq.path[0] != '/' ||
        strlen(rq.path) >= sizeof(rq.path) || strlen(rq.query) >= sizeof(rq.query))
        abort();
    char v[64];
    static const char *const keys[] = {"as_of", "from", "to", "window", "theatre", "asset"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (http_query_get(rq.query, keys[i], v, sizeof(v)) == 1 && strlen(v) >= sizeof(v))
            abort();
    /* a safe path has no "." or ".." segment ("a..b" is a legal name) */
    if (http_path_safe(rq.path) && (strstr(rq.path, "/.") || strstr(rq.path, "//")))
        abort();
    /* Route it: the body is whatever follows the head, capped at what is there. */
    if (rq.header_len + rq.content_length > size)
        rq.content_length = size - rq.header_len;
    struct http_resp rs = {0};
    api_handle(fuzz_api, &rq, (const char *)data + rq.header_len, &rs);
    if (rs.status < 200 || rs.status > 599 || (rs.len && !rs.body))
        abort();
    free(rs.body);
    return 0;
}
