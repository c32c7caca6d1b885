/* SPDX-License-Identifier: BSD-2-Clause
 *
 * sha256.c - SHA-256 (FIPS 180-4) for source checksums; see sha256.h. The
 * checksum of every ingested file goes through here, so speed matters.
 *
 * OpenSSL's libcrypto does the work: its SHA256_Init/Update/Final keep the
 * state in a plain struct (no allocation, unlike EVP_MD_CTX_new), and the
 * library picks at run time the SHA-NI, AVX2, AVX, SSSE3 or C block
 * function for the CPU. These functions are deprecated in OpenSSL 3 in
 * favour of EVP, but run the same assembly; the deprecation warning is
 * silenced here only.
 *
 * Why a library (issue 18): measured with bench/bench_sha256.c, 1 MiB
 * updates, CPU seconds per GiB, best of 3, on the shared 2-core x86-64
 * build machine (it has SHA-NI), 2026-12-07:
 *                                     with SHA-NI    SHA-NI masked
 *   orbat's own code until this change
 *   (FIPS 180-4 C + SHA-NI via CPUID)  0.595-0.617    3.58-4.00 (its C path)
 *   OpenSSL 3.0.19 libcrypto, EVP      0.600-0.612    2.15-2.31 (AVX2 asm)
 *   nettle 3.8.1                       0.663-0.680    3.18-3.77
 *   this file (libcrypto SHA256_*)     0.603          2.12
 * (masked: OPENSSL_ia32cap=":~0x20000000", NETTLE_FAT_OVERRIDE=none; the
 * old C path ran with sha256_set_hw(0); masked runs hashed 512 MiB.) With
 * SHA-NI libcrypto equals the old SHA-NI path and nettle is 10% slower;
 * without it libcrypto is 1.7x faster than the old C path, nettle about
 * the same. So libcrypto is used, and the own code (two block functions
 * and the CPUID probe) is gone. Debian package: libssl-dev (pkg-config
 * libcrypto).
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "store/sha256.h"

#include <openssl/sha.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((struct sha256 *)0)->ctx),
               "struct sha256 must hold OpenSSL's SHA256_CTX");

static SHA256_CTX *ctx_of(struct sha256 *c)
{
    return (SHA256_CTX *)(void *)c->ctx;
}

void sha256_init(struct sha256 *c)
{
    c->len = 0;
    SHA256_Init(ctx_of(c));
}

void sha256_update(struct sha256 *c, const void *p, size_t n)
{
    c->len += n;
    SHA256_Update(ctx_of(c), p, n);
}

void sha256_final_hex(struct sha256 *c, char out[65])
{
    static const char hx[] = "0123456789abcdef";
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256_Final(d, ctx_of(c));
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[64] = '\0';
}
