/* utf8_simd.h - UTF-8 validation 16 (SSSE3) or 32 (AVX2) bytes at a time, for
 * nb_utf8_valid: every document's bytes are validated once. */
#ifndef NB_UTF8_SIMD_H
#define NB_UTF8_SIMD_H
#include <stdbool.h>
#include <stddef.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define NB_UTF8_SIMD 1
/* Whether this CPU runs nb_utf8_valid_simd (read from the compiler
 * runtime's CPU model, set once at start). */
bool nb_utf8_simd_ok(void);
/* Exactly nb_utf8_valid's answer: well-formed UTF-8 (no overlong forms,
 * surrogates, code points past U+10FFFF or cut sequences). */
bool nb_utf8_valid_simd(const char *s, size_t len);
/* The same answer thirty-two bytes at a time, where the CPU has AVX2. */
bool nb_utf8_avx2_ok(void);
bool nb_utf8_valid_avx2(const char *s, size_t len);
#else
#define NB_UTF8_SIMD 0
#endif
#endif
