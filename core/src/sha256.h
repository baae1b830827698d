/* sha256.h - SHA-256 for source fingerprints (FIPS 180-4). */
#ifndef NB_SHA256_H
#define NB_SHA256_H
#include <stdint.h>
#include <stddef.h>

typedef struct nb_sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t nbuf;
} nb_sha256;

void nb_sha256_init(nb_sha256 *c);
void nb_sha256_update(nb_sha256 *c, const void *data, size_t len);
void nb_sha256_hex(nb_sha256 *c, char out[65]); /* finalises c */
#endif
