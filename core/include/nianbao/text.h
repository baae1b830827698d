/* text.h - decoding bytes to UTF-8 and normalising text for matching. */
#ifndef NIANBAO_TEXT_H
#define NIANBAO_TEXT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decodes a whole document: UTF-8 BOM stripped; UTF-16LE/BE by BOM, or by
 * the NUL pattern when there is none; strict UTF-8; else GB18030 (superset
 * of GB2312/GBK) through iconv; else, for a text with a few damaged bytes,
 * UTF-8 or GB18030 with those bytes replaced by U+FFFD.  CRLF and CR become
 * LF.  *encoding is a static string ("UTF-8", "UTF-8-BOM", "UTF-16LE",
 * "UTF-16BE", "GB18030", "UTF-8-REPAIRED", "GB18030-REPAIRED").  *out is
 * NUL-terminated, caller frees. */
NB_API nb_status nb_text_decode(const char *bytes, size_t len, char **out, size_t *outlen,
                                const char **encoding, nb_error *err);
/* Converts between encodings with iconv (caller frees *out). */
NB_API nb_status nb_text_convert(const char *from, const char *to, const char *in,
                                 size_t len, char **out, size_t *outlen, nb_error *err);

NB_API bool nb_utf8_valid(const char *s, size_t len);
/* Decodes one code point; returns its byte length (1 for invalid bytes). */
NB_API size_t nb_utf8_next(const char *s, size_t len, uint32_t *cp);
NB_API size_t nb_utf8_put(uint32_t cp, char *out); /* out has room for 4 */

/* Number of code points. */
NB_API size_t nb_utf8_len(const char *s);

#ifdef __cplusplus
}
#endif
#endif
