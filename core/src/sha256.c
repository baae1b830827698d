/* sha256.c - a plain SHA-256 so sources can be fingerprinted without
 * pulling a crypto library into the core. */
#include "sha256.h"
#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* The sigma functions with nested rotations (one copy of the argument,
 * not three), Ch with three operations, and Maj reusing the previous
 * round's a ^ b as this round's b ^ c: fewer instructions per round where
 * the CPU has no SHA extensions. */
#define BSIG0(a) ROR(ROR(ROR(a, 9) ^ (a), 11) ^ (a), 2)   /* ROR 2 ^ ROR 13 ^ ROR 22 */
#define BSIG1(e) ROR(ROR(ROR(e, 14) ^ (e), 5) ^ (e), 6)   /* ROR 6 ^ ROR 11 ^ ROR 25 */
#define SSIG0(x) (ROR(ROR(x, 11) ^ (x), 7) ^ ((x) >> 3))  /* ROR 7 ^ ROR 18 ^ SHR 3 */
#define SSIG1(x) (ROR(ROR(x, 2) ^ (x), 17) ^ ((x) >> 10)) /* ROR 17 ^ ROR 19 ^ SHR 10 */
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))

/* One round: the eight working variables rotate by renaming, not copying;
 * bc holds b ^ c on entry, ab receives a ^ b (the next round's b ^ c). */
#define ROUND(a, b, c, d, e, f, g, h, i, bc, ab)                   \
    do {                                                          \
        uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + K[i] + w[i];   \
        ab = a ^ b;                                               \
        uint32_t t2 = BSIG0(a) + (b ^ (ab & bc));                 \
        d += t1;                                                  \
        h = t1 + t2;                                              \
    } while (0)

static void block(uint32_t st[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
               p[4 * i + 3];
    for (int i = 16; i < 64; i++)
        w[i] = w[i - 16] + SSIG0(w[i - 15]) + w[i - 7] + SSIG1(w[i - 2]);
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
    uint32_t x = b ^ c, y;
    for (int i = 0; i < 64; i += 8) {
        ROUND(a, b, c, d, e, f, g, h, i, x, y);
        ROUND(h, a, b, c, d, e, f, g, i + 1, y, x);
        ROUND(g, h, a, b, c, d, e, f, i + 2, x, y);
        ROUND(f, g, h, a, b, c, d, e, i + 3, y, x);
        ROUND(e, f, g, h, a, b, c, d, i + 4, x, y);
        ROUND(d, e, f, g, h, a, b, c, i + 5, y, x);
        ROUND(c, d, e, f, g, h, a, b, i + 6, x, y);
        ROUND(b, c, d, e, f, g, h, a, i + 7, y, x);
    }
    st[0] += a, st[1] += b, st[2] += c, st[3] += d, st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

static void blocks(nb_sha256 *c, const unsigned char *p, size_t n)
{
#if NB_SHA256_SHANI
    if (c->shani) {
        nb_sha256_shani(c->h, K, p, n);
        return;
    }
#endif
    for (; n--; p += 64)
        block(c->h, p);
}

void nb_sha256_init(nb_sha256 *c)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->len = 0;
    c->nbuf = 0;
#if NB_SHA256_SHANI
    c->shani = nb_sha256_shani_ok();
#else
    c->shani = false;
#endif
}

void nb_sha256_update(nb_sha256 *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    if (len == 0)
        return;
    c->len += len;
    if (c->nbuf) { /* complete the pending block first */
        size_t n = 64 - c->nbuf < len ? 64 - c->nbuf : len;
        memcpy(c->buf + c->nbuf, p, n);
        c->nbuf += n;
        p += n;
        len -= n;
        if (c->nbuf < 64)
            return;
        blocks(c, c->buf, 1);
        c->nbuf = 0;
    }
    blocks(c, p, len / 64); /* whole blocks straight from the input */
    memcpy(c->buf, p + len / 64 * 64, len % 64);
    c->nbuf = len % 64;
}

/* The padding goes in as one update of 9 to 72 bytes and the digest is
 * spelled by a table: not a one-byte update per zero and eight snprintf
 * calls for every document hashed. */
void nb_sha256_hex(nb_sha256 *c, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    uint64_t bits = c->len * 8;
    unsigned char pad[72] = {0x80};
    size_t n = (c->nbuf < 56 ? 56 : 120) - c->nbuf; /* 0x80 and zeros up to 56 mod 64 */
    for (int i = 0; i < 8; i++)
        pad[n + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
    nb_sha256_update(c, pad, n + 8);
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 8; k++)
            out[8 * i + k] = digits[(c->h[i] >> (28 - 4 * k)) & 0xF];
    out[64] = '\0';
}
