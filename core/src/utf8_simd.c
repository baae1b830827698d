/* utf8_simd.c - the lookup algorithm of Keiser and Lemire ("Validating
 * UTF-8 in less than one instruction per byte", 2021): three table
 * lookups on the nibbles of each byte and of the byte before it flag every
 * bad pair of bytes; a saturating subtraction finds the third and fourth
 * bytes that must be continuations.  Blocks of ASCII only are skipped
 * after a check that the block before did not end inside a character. */
#include "utf8_simd.h"

#if NB_UTF8_SIMD
#include "cpu_feature.h"
#include <immintrin.h>
#include <string.h>

bool nb_utf8_simd_ok(void) { return NB_CPU_HAS(SSSE3, "ssse3"); }

/* Error bits of a pair of bytes (the first: "byte 1", the second: "byte 2"). */
#define TOO_SHORT (1 << 0)  /* 11______ 0_______ or 11______ 11______ */
#define TOO_LONG (1 << 1)   /* 0_______ 10______ */
#define OVERLONG_3 (1 << 2) /* 11100000 100_____ */
#define TOO_LARGE (1 << 3)  /* 11110100 1001____ and above */
#define SURROGATE (1 << 4)  /* 11101101 101_____ */
#define OVERLONG_2 (1 << 5) /* 1100000_ 10______ */
#define TOO_LARGE_1000 (1 << 6) /* 11110101 1000____ and above */
#define OVERLONG_4 (1 << 6) /* 11110000 1000____ */
#define TWO_CONTS (1 << 7)  /* 10______ 10______ */
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)

/* The three tables, by the high nibble of byte 1, its low nibble, and the
 * high nibble of byte 2; C() makes each entry a char (bit 7 is a flag). */
#define C(x) ((char)(x))
#define B1_HIGH                                                                                        \
    C(TOO_LONG), C(TOO_LONG), C(TOO_LONG), C(TOO_LONG), C(TOO_LONG), C(TOO_LONG), C(TOO_LONG),          \
        C(TOO_LONG), C(TWO_CONTS), C(TWO_CONTS), C(TWO_CONTS), C(TWO_CONTS), C(TOO_SHORT | OVERLONG_2), \
        C(TOO_SHORT), C(TOO_SHORT | OVERLONG_3 | SURROGATE),                                            \
        C(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4)
#define BIG C(CARRY | TOO_LARGE | TOO_LARGE_1000)
#define B1_LOW                                                                                          \
    C(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), C(CARRY | OVERLONG_2), C(CARRY), C(CARRY),         \
        C(CARRY | TOO_LARGE), BIG, BIG, BIG, BIG, BIG, BIG, BIG, BIG,                                   \
        C(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE), BIG, BIG
#define CONT (TOO_LONG | OVERLONG_2 | TWO_CONTS)
#define B2_HIGH                                                                                         \
    C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT), C(TOO_SHORT),   \
        C(TOO_SHORT), C(CONT | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4), C(CONT | OVERLONG_3 | TOO_LARGE), \
        C(CONT | SURROGATE | TOO_LARGE), C(CONT | SURROGATE | TOO_LARGE), C(TOO_SHORT), C(TOO_SHORT),   \
        C(TOO_SHORT), C(TOO_SHORT)
/* Subtracted with saturation from a block's end: nonzero where it ends
 * inside a character (a lead among the last three bytes wanting more). */
#define END_MAX C(0xF0 - 1), C(0xE0 - 1), C(0xC0 - 1)
#define FF4 -1, -1, -1, -1
#define FF13 FF4, FF4, FF4, -1

__attribute__((target("ssse3"))) static __m128i pair_errors(__m128i in, __m128i prev1)
{
    const __m128i lo = _mm_set1_epi8(0x0F);
    __m128i p1h = _mm_shuffle_epi8(_mm_setr_epi8(B1_HIGH), _mm_and_si128(_mm_srli_epi16(prev1, 4), lo));
    __m128i p1l = _mm_shuffle_epi8(_mm_setr_epi8(B1_LOW), _mm_and_si128(prev1, lo));
    __m128i p2h = _mm_shuffle_epi8(_mm_setr_epi8(B2_HIGH), _mm_and_si128(_mm_srli_epi16(in, 4), lo));
    return _mm_and_si128(_mm_and_si128(p1h, p1l), p2h);
}

/* Errors in block in, given the block before it (prev). */
__attribute__((target("ssse3"))) static __m128i block_errors(__m128i in, __m128i prev)
{
    __m128i sc = pair_errors(in, _mm_alignr_epi8(in, prev, 15));
    __m128i prev2 = _mm_alignr_epi8(in, prev, 14), prev3 = _mm_alignr_epi8(in, prev, 13);
    /* only 111_____ two bytes back and 1111____ three back reach 0x80 */
    __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
    __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
    __m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
    return _mm_xor_si128(must23, sc);
}

/* Nonzero where the block ends inside a character. */
__attribute__((target("ssse3"))) static __m128i unfinished(__m128i in)
{
    return _mm_subs_epu8(in, _mm_setr_epi8(FF13, END_MAX));
}

__attribute__((target("ssse3"))) static bool none(__m128i err)
{
    return _mm_movemask_epi8(_mm_cmpeq_epi8(err, _mm_setzero_si128())) == 0xFFFF;
}

__attribute__((target("ssse3"))) bool nb_utf8_valid_simd(const char *s, size_t len)
{
    __m128i prev = _mm_setzero_si128(), err = _mm_setzero_si128(), cut = _mm_setzero_si128();
    for (size_t i = 0;; i += 16) {
        __m128i in;
        bool last = len - i < 16;
        if (last) { /* the rest, then NULs: a cut character shows as too short */
            unsigned char tail[16] = {0};
            if (len > i) /* s may be NULL when len is 0 */
                memcpy(tail, s + i, len - i);
            in = _mm_loadu_si128((const __m128i *)tail);
        } else
            in = _mm_loadu_si128((const __m128i *)(s + i));
        if (_mm_movemask_epi8(in) == 0) {
            err = _mm_or_si128(err, cut); /* ASCII: only the end of the block before matters */
            cut = _mm_setzero_si128();
        } else {
            err = _mm_or_si128(err, block_errors(in, prev));
            cut = unfinished(in);
        }
        prev = in;
        if (last)
            return none(err);
        if ((i & 63) == 48 && !none(err)) /* GBK text fails early: stop there */
            return false;
    }
}
#endif

/* The same, thirty-two bytes at a time (AVX2).  A lane's "byte before"
 * comes from the other lane or the block before: permute2x128 lines up
 * [prev high, in low] for the alignr. ----------------------------------- */

#if NB_UTF8_SIMD
bool nb_utf8_avx2_ok(void) { return NB_CPU_HAS(AVX2, "avx2"); }

#define AVX2 __attribute__((target("avx2")))

AVX2 static __m256i pair_errors32(__m256i in, __m256i prev1)
{
    const __m256i lo = _mm256_set1_epi8(0x0F);
    __m256i p1h = _mm256_shuffle_epi8(_mm256_setr_epi8(B1_HIGH, B1_HIGH),
                                      _mm256_and_si256(_mm256_srli_epi16(prev1, 4), lo));
    __m256i p1l = _mm256_shuffle_epi8(_mm256_setr_epi8(B1_LOW, B1_LOW), _mm256_and_si256(prev1, lo));
    __m256i p2h = _mm256_shuffle_epi8(_mm256_setr_epi8(B2_HIGH, B2_HIGH),
                                      _mm256_and_si256(_mm256_srli_epi16(in, 4), lo));
    return _mm256_and_si256(_mm256_and_si256(p1h, p1l), p2h);
}

AVX2 static __m256i block_errors32(__m256i in, __m256i prev)
{
    __m256i before = _mm256_permute2x128_si256(prev, in, 0x21);
    __m256i sc = pair_errors32(in, _mm256_alignr_epi8(in, before, 15));
    __m256i prev2 = _mm256_alignr_epi8(in, before, 14), prev3 = _mm256_alignr_epi8(in, before, 13);
    __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
    __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must23, sc);
}

AVX2 static bool none32(__m256i err) { return _mm256_testz_si256(err, err); }

AVX2 bool nb_utf8_valid_avx2(const char *s, size_t len)
{
    const __m256i end_max = _mm256_setr_epi8(FF13, FF13, -1, -1, -1, END_MAX);
    __m256i prev = _mm256_setzero_si256(), err = _mm256_setzero_si256(), cut = _mm256_setzero_si256();
    for (size_t i = 0;; i += 32) {
        __m256i in;
        bool last = len - i < 32;
        if (last) { /* the rest, then NULs: a cut character shows as too short */
            unsigned char tail[32] = {0};
            if (len > i) /* s may be NULL when len is 0 */
                memcpy(tail, s + i, len - i);
            in = _mm256_loadu_si256((const __m256i *)tail);
        } else
            in = _mm256_loadu_si256((const __m256i *)(s + i));
        if (_mm256_movemask_epi8(in) == 0) {
            err = _mm256_or_si256(err, cut);
            cut = _mm256_setzero_si256();
        } else {
            err = _mm256_or_si256(err, block_errors32(in, prev));
            cut = _mm256_subs_epu8(in, end_max);
        }
        prev = in;
        if (last)
            return none32(err);
        if ((i & 127) == 96 && !none32(err))
            return false;
    }
}
#endif
