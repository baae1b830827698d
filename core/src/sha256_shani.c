/* sha256_shani.c - SHA-256 blocks with the x86 SHA extensions (SHA-NI),
 * about ten times the plain C rounds; every input byte is hashed for the
 * source fingerprint, so this is a visible share of a whole run.  The
 * message schedule runs four words ahead of the rounds (Intel's scheme). */
#include "sha256.h"

#if NB_SHA256_SHANI
#include "cpu_feature.h"
#include <immintrin.h>

bool nb_sha256_shani_ok(void)
{
    return NB_CPU_HAS(SHA, "sha") && NB_CPU_HAS(SSE4_1, "sse4.1") && NB_CPU_HAS(SSSE3, "ssse3");
}

__attribute__((target("sha,sse4.1,ssse3"))) void
nb_sha256_shani(uint32_t h[8], const uint32_t k[64], const unsigned char *p, size_t nblocks)
{
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* CDAB */
    __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B);  /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);                                        /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);                                             /* CDGH */
    for (; nblocks--; p += 64) {
        __m128i abef = s0, cdgh = s1, m[4];
        /* unrolled: the window m[] then lives in registers and the
         * conditions below vanish (a rolled loop kept m[] on the stack) */
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) { /* rounds 4g .. 4g+3 */
            if (g < 4)
                m[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), swap);
            __m128i x = m[g % 4];
            __m128i msg = _mm_add_epi32(x, _mm_loadu_si128((const __m128i *)&k[4 * g]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
            if (g >= 3 && g <= 14) { /* finishes the words of rounds 4g+4 .. 4g+7 */
                __m128i t = _mm_alignr_epi8(x, m[(g + 3) % 4], 4);
                m[(g + 1) % 4] = _mm_sha256msg2_epu32(_mm_add_epi32(m[(g + 1) % 4], t), x);
            }
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0E));
            if (g >= 1 && g <= 12) /* starts the words of rounds 4g+12 .. 4g+15 */
                m[(g + 3) % 4] = _mm_sha256msg1_epu32(m[(g + 3) % 4], x);
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);                                   /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);                                    /* DCHG */
    _mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(tmp, s1, 0xF0)); /* DCBA */
    _mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(s1, tmp, 8));    /* HGFE */
}
#endif
