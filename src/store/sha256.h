/* SPDX-License-Identifier: BSD-2-Clause
 *
 * sha256.h - SHA-256 (FIPS 180-4) for source checksums: `orbat ingest`
 * recognises a file it has already ingested by the digest of its bytes.
 *
 * Ownership: the caller owns the context (stack is fine); no allocation.
 */
#ifndef ORBAT_STORE_SHA256_H
#define ORBAT_STORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    size_t nbuf;  /* bytes pending in buf */
    uint8_t buf[64];
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t n);
/* The compression function in use: 1 = x86 SHA extensions, 0 = portable
 * C (probed on first use). sha256_set_hw(0) forces the portable one (tests
 * compare both); sha256_set_hw(1) uses the extensions when the CPU has them.
 * Process-wide; set it before hashing, not while another thread hashes. */
int sha256_get_hw(void);
void sha256_set_hw(int on);
/* Finish and write the digest as 64 lowercase hex digits plus NUL. */
void sha256_final_hex(struct sha256 *c, char out[65]);

#endif /* ORBAT_STORE_SHA256_H */
