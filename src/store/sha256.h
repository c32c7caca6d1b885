/* SPDX-License-Identifier: BSD-2-Clause
 *
 * sha256.h - SHA-256 (FIPS 180-4) for source checksums: `orbat ingest`
 * recognises a file it has already ingested by the digest of its bytes.
 *
 * OpenSSL's libcrypto computes it (see sha256.c for the measurement).
 * Ownership: the caller owns the context (stack is fine); no allocation.
 */
#ifndef ORBAT_STORE_SHA256_H
#define ORBAT_STORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Holds libcrypto's SHA256_CTX (sha256.c checks the size at compile time)
 * so that callers need not include OpenSSL headers. */
struct sha256 {
    uint64_t len; /* bytes hashed so far */
    _Alignas(8) unsigned char ctx[128];
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t n);
/* Finish and write the digest as 64 lowercase hex digits plus NUL. */
void sha256_final_hex(struct sha256 *c, char out[65]);

#endif /* ORBAT_STORE_SHA256_H */
