/* utf8_simd.c - the lookup algorithm of Keiser and Lemire ("Validating
 * UTF-8 in less than one instruction per byte", 2021): three table
 * lookups on the nibbles of each byte and of the byte before it flag every
 * bad pair of bytes; a saturating subtraction finds the third and fourth
 * bytes that must be continuations.  Blocks of ASCII only are skipped
 * after a check that the block before did not end inside a character. */
#include "utf8_simd.h"

#if NB_UTF8_SIMD
#include <immintrin.h>
#include <string.h>

bool nb_utf8_simd_ok(void) { return __builtin_cpu_supports("ssse3"); }

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

#define T16(...) _mm_setr_epi8(__VA_ARGS__)

__attribute__((target("ssse3"))) static __m128i pair_errors(__m128i in, __m128i prev1)
{
    const __m128i lo = _mm_set1_epi8(0x0F);
    const __m128i b1_high = T16(TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
                                TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
                                TOO_SHORT | OVERLONG_3 | SURROGATE,
                                (char)(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
    const __m128i b1_low = T16((char)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), (char)(CARRY | OVERLONG_2),
                               (char)CARRY, (char)CARRY, (char)(CARRY | TOO_LARGE),
                               (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
                               (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
                               (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
                               (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000),
                               (char)(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE),
                               (char)(CARRY | TOO_LARGE | TOO_LARGE_1000), (char)(CARRY | TOO_LARGE | TOO_LARGE_1000));
    const __m128i b2_high =
        T16(TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
            (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
            (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
            (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
            (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE), TOO_SHORT, TOO_SHORT, TOO_SHORT,
            TOO_SHORT);
    __m128i p1h = _mm_shuffle_epi8(b1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), lo));
    __m128i p1l = _mm_shuffle_epi8(b1_low, _mm_and_si128(prev1, lo));
    __m128i p2h = _mm_shuffle_epi8(b2_high, _mm_and_si128(_mm_srli_epi16(in, 4), lo));
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
    const __m128i max = T16(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, (char)(0xF0 - 1),
                            (char)(0xE0 - 1), (char)(0xC0 - 1));
    return _mm_subs_epu8(in, max);
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
