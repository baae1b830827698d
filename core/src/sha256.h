/* sha256.h - SHA-256 for source fingerprints (FIPS 180-4). */
#ifndef NB_SHA256_H
#define NB_SHA256_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* The check is cpu_feature.h's, with no cpuid of its own (a cpuid per hash
 * costs microseconds in a VM).  Where it falls back to GCC's builtin,
 * clang 14's does not know "sha", so clang builds use the plain rounds. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NB_SHA256_SHANI 1
#else
#define NB_SHA256_SHANI 0
#endif

typedef struct nb_sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t nbuf;
    bool shani; /* the CPU's SHA extensions do the blocks */
} nb_sha256;

void nb_sha256_init(nb_sha256 *c);
void nb_sha256_update(nb_sha256 *c, const void *data, size_t len);
void nb_sha256_hex(nb_sha256 *c, char out[65]); /* finalises c */

#if NB_SHA256_SHANI
/* sha256_shani.c: whether this CPU has them, and nblocks blocks of 64 bytes. */
bool nb_sha256_shani_ok(void);
void nb_sha256_shani(uint32_t h[8], const uint32_t k[64], const unsigned char *p, size_t nblocks);
#endif
#endif
