/* json_writer.h - JSON text written straight into a growing buffer.
 *
 * Byte-for-byte the layout jansson's json_dumps gives with the flags of
 * nb_json_dump_flags (indent 2 or compact, key order as inserted, no
 * ASCII escaping, '/' left alone), so writing a report without building a
 * jansson tree changes no output.  Like json_string, a string that is not
 * valid UTF-8 (or NULL where a string is due) makes its member or element
 * vanish: the jw_*_str calls return false and write nothing then. */
#ifndef NB_JSON_WRITER_H
#define NB_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JW_MAX_DEPTH 32

typedef struct jw {
    char *buf;
    size_t len, cap;
    bool compact;
    bool failed;                  /* out of memory or nesting too deep */
    bool after_key;               /* a key was written, its value is due */
    int depth;
    bool has_items[JW_MAX_DEPTH]; /* per open container: written one yet */
} jw;

void jw_init(jw *w, bool compact);
/* The text (caller frees), or NULL after a failure; w is reset either way. */
char *jw_finish(jw *w);
void jw_free(jw *w);
/* A writer for text spliced in as the value of a member at nesting depth
 * `depth` of some document (a table's plan, report_json_plan.c): it starts
 * right after that member's key. */
void jw_init_member(jw *w, bool compact, int depth);
/* A writer for members added to an object that is open at nesting depth
 * `depth` and already has members: it starts where its next key goes
 * (the end of a report's text, report_json_write.c). */
void jw_init_next_member(jw *w, bool compact, int depth);

/* True when s is UTF-8 as jansson accepts it (no overlongs, surrogates). */
bool jw_utf8_ok(const char *s, size_t len);

/* Containers: begin_* at top level or after jw_key / inside an array. */
void jw_begin_object(jw *w);
void jw_end_object(jw *w);
void jw_begin_array(jw *w);
void jw_end_array(jw *w);

/* Object members: the key then exactly one value. The key must be valid
 * UTF-8 (check with jw_utf8_ok first when it may not be). */
void jw_key(jw *w, const char *key);
void jw_keyn(jw *w, const char *key, size_t len);
/* True when s needs no escape in a JSON string (a key that is checked once
 * and then written with jw_key_plain). */
bool jw_plain(const char *s, size_t len);
/* jw_keyn for a key known to be plain (jw_plain). */
void jw_key_plain(jw *w, const char *key, size_t len);

/* Values (after jw_key, or as array elements). */
void jw_null(jw *w);
void jw_true(jw *w);
void jw_int(jw *w, int64_t v);
/* Whether json_real would take d (it refuses non-finite values: the
 * member is then not set); check before writing the key. */
bool jw_real_ok(double d);
/* A real as jansson prints it with 15 significant digits. */
void jw_real(jw *w, double d);
void jw_str(jw *w, const char *s, size_t len);
/* jw_str for a string that may not be UTF-8: false, and nothing written,
 * when it is not (json_string would refuse it). */
bool jw_str_valid(jw *w, const char *s, size_t len);

/* Pre-built text (a plan's pieces).  jw_hole: a value is due here but is
 * written later, elsewhere; the writer carries on as if it were written.
 * jw_splice: text continuing the current value verbatim (the caller built
 * it with this writer's layout); value_due: it ends with a key or opens a
 * place where the next jw_* value call goes.  jw_value_text: one whole
 * value given as its JSON text (an array element or after a key). */
void jw_hole(jw *w);
void jw_splice(jw *w, const char *s, size_t n, bool value_due);
void jw_value_text(jw *w, const char *s, size_t n);
/* jw_value_text for n array elements at once, element i being the text
 * s[at[ix[i]], at[ix[i] + 1]) (an empty one is skipped), none longer
 * than `longest`: room is made once and each piece copied in 16-byte
 * chunks, so s must stay readable 16 bytes past its last piece (a plan's
 * quoted paths are padded). */
void jw_value_texts16(jw *w, const char *s, const size_t *at, const size_t *ix, size_t n,
                      size_t longest);

/* Writing in place, for a hot loop: jw_room gives room for n more bytes
 * at the end (NULL after a failure); the caller writes at most n there,
 * then jw_wrote(w, end of what it wrote, value_due as for jw_splice). */
char *jw_room(jw *w, size_t n);
void jw_wrote(jw *w, char *end, bool value_due);
/* v's decimal digits at o (room for 20 bytes), as jw_int writes them;
 * returns their end.  Inline for the small counts most cells hold (a
 * report's table writes a few hundred). */
char *jw_digits_long(char *o, int64_t v);
static inline char *jw_digits(char *o, int64_t v)
{
    if (v >= 0 && v < 10) {
        *o++ = (char)('0' + v);
        return o;
    }
    if (v >= 10 && v < 100) {
        o[0] = (char)('0' + v / 10);
        o[1] = (char)('0' + v % 10);
        return o + 2;
    }
    return jw_digits_long(o, v);
}

/* A place to come back to when a value written after it turns out to be
 * refused; valid while the nesting depth stays the same. */
typedef struct jw_mark {
    size_t len;
    bool after_key;
} jw_mark;
jw_mark jw_here(const jw *w);
void jw_back(jw *w, jw_mark m);

/* Member helpers that follow jansson's set_new rules: nothing is written
 * when the value string is NULL or not UTF-8 (json_string failed). */
bool jw_member_str(jw *w, const char *key, const char *s);
/* As jw_member_str, but NULL is written as null. */
void jw_member_str_or_null(jw *w, const char *key, const char *s);
void jw_member_int(jw *w, const char *key, int64_t v);
/* The same with a key known to be plain (jw_plain) and its length: a
 * literal, written as JW_LIT("title") (no strlen, no escape check). */
#define JW_LIT(s) ("" s ""), (sizeof(s) - 1)
bool jw_member_str_lit(jw *w, const char *key, size_t klen, const char *s);
void jw_member_str_or_null_lit(jw *w, const char *key, size_t klen, const char *s);
void jw_member_int_lit(jw *w, const char *key, size_t klen, int64_t v);
/* A member after text the caller lays out itself (an object whose keys
 * and nesting are fixed): `piece` - its comma, line break, indentation,
 * key and colon - then s as a string, or null when s is NULL; false, and
 * nothing written, when s is not UTF-8.  One call for what the jw_member_*
 * calls check step by step. */
bool jw_member_piece(jw *w, const char *piece, size_t n, const char *s);
/* Array element helper: nothing when s is NULL or not UTF-8. */
void jw_elem_str(jw *w, const char *s);

#endif
