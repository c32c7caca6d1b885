/* SPDX-License-Identifier: BSD-2-Clause
 *
 * bench_sha256.c - SHA-256 over N MiB (default 1024) in 1 MiB updates:
 * orbat's sha256.c (libcrypto's SHA256_* since issue 18), OpenSSL EVP and
 * nettle, CPU seconds of this process, best of 3. Figures are recorded in
 * src/store/sha256.c. Built by hand (not part of `make`):
 *   cc -O2 -Isrc -Iinclude bench/bench_sha256.c src/store/sha256.c \
 *      -o build/bench_sha256 -lcrypto -lnettle
 * OPENSSL_ia32cap=":~0x20000000" masks the SHA extensions (CPUID.7.0:EBX
 * bit 29) for OpenSSL, NETTLE_FAT_OVERRIDE=none for nettle.
 */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/sha256.h"

/* nettle's sha2.h #defines sha256_init & co., which orbat's names clash
 * with: declare the three nettle symbols used here directly. */
union nettle_sha256_ctx_opaque {
    unsigned char b[256]; /* struct sha256_ctx is 112 bytes in nettle 3.8 */
    unsigned long long align;
};
void nettle_sha256_init(void *ctx);
void nettle_sha256_update(void *ctx, size_t length, const unsigned char *data);
void nettle_sha256_digest(void *ctx, size_t length, unsigned char *digest);

#define MIB (1u << 20)

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1024;
    unsigned char *buf = malloc(MIB);
    if (!buf || !mib)
        return 1;
    for (size_t i = 0; i < MIB; i++)
        buf[i] = (unsigned char)((i * 2654435761u) >> 13);
    double best[3] = {1e9, 1e9, 1e9};
    unsigned char d[32];
    char hex[65];
    for (int rep = 0; rep < 3; rep++) {
        double t0 = cpu_s();
        struct sha256 c;
        sha256_init(&c);
        for (size_t i = 0; i < mib; i++)
            sha256_update(&c, buf, MIB);
        sha256_final_hex(&c, hex);
        double t = cpu_s() - t0;
        best[0] = t < best[0] ? t : best[0];

        t0 = cpu_s();
        EVP_MD_CTX *e = EVP_MD_CTX_new();
        unsigned n = 0;
        EVP_DigestInit_ex(e, EVP_sha256(), NULL);
        for (size_t i = 0; i < mib; i++)
            EVP_DigestUpdate(e, buf, MIB);
        EVP_DigestFinal_ex(e, d, &n);
        EVP_MD_CTX_free(e);
        t = cpu_s() - t0;
        best[1] = t < best[1] ? t : best[1];

        t0 = cpu_s();
        union nettle_sha256_ctx_opaque nc;
        nettle_sha256_init(&nc);
        for (size_t i = 0; i < mib; i++)
            nettle_sha256_update(&nc, MIB, buf);
        nettle_sha256_digest(&nc, 32, d);
        t = cpu_s() - t0;
        best[2] = t < best[2] ? t : best[2];
    }
    static const char *const name[3] = {"orbat sha256.c", "openssl EVP", "nettle"};
    for (int i = 0; i < 3; i++)
        printf("%-15s %zu MiB: %.3f s CPU, %.0f MiB/s\n", name[i], mib, best[i],
               (double)mib / best[i]);
    printf("digest %s\n", hex);
    free(buf);
    return 0;
}
