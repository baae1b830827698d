/* text_gb18030_table.h - the GB18030 two-byte table's shape and entry
 * format, one definition for its writer (core/tools/gb18030_table.c, run
 * at build time), its reader (text_gb18030.c) and test_gb18030, so they
 * cannot drift apart.  The table itself, nb_gb18030_pairs, is generated
 * into the build tree as text_gb18030_data.h. */
#ifndef NB_TEXT_GB18030_TABLE_H
#define NB_TEXT_GB18030_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define GB_LEAD0 0x81u  /* leads 0x81-0xFE */
#define GB_LEADS 126u
#define GB_TRAIL0 0x40u /* trails 0x40-0xFE (0x7F is none: glibc refuses it) */
#define GB_TRAILS 191u
/* An entry: the pair's UTF-8 bytes in the low three bytes (first lowest),
 * their count in the high one; or GB_REFUSED when iconv refuses the pair
 * or gives anything but one code point of at most three bytes (no UTF-8
 * form has this value). */
#define GB_REFUSED 1u

/* The entry for iconv's answer: out[0..n) when the pair converted whole,
 * n == (size_t)-1 when it did not. */
static inline uint32_t nb_gb18030_entry(const unsigned char *out, size_t n)
{
    if (n == 0 || n > 3)
        return GB_REFUSED;
    size_t want = out[0] < 0x80 ? 1 : out[0] < 0xE0 ? 2 : out[0] < 0xF0 ? 3 : 4;
    if (want != n)
        return GB_REFUSED;
    uint32_t v = (uint32_t)n << 24;
    for (size_t b = 0; b < n; b++)
        v |= (uint32_t)out[b] << (8 * b);
    return v;
}

#endif
