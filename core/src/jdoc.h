/* jdoc.h - the library's data files (templates, rules, plugin manifests) as
 * a read-only JSON tree, parsed in one pass in place and freed at once.
 *
 * The accessors answer as jansson's do (NULL, 0 or false for a missing
 * value or another type), and the file is read as jansson reads it: what
 * this parser does not take (an integer past 18 digits, a duplicate key,
 * an escape it does not know, a syntax error) is parsed by jansson, whose
 * value or error message is the answer.  A real number keeps its literal
 * as printed (jd_real_text), which jansson's double cannot. */
#ifndef NB_JDOC_H
#define NB_JDOC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct jd jd;

/* The file's root value (an object or an array), NULL with jansson's
 * error in *err.  reject_dups: a duplicate key is an error (jansson's
 * JSON_REJECT_DUPLICATES), else the last one counts.  Free with jd_free. */
const jd *jd_load_file(const char *path, bool reject_dups, json_error_t *err);
/* The same for a text in memory. */
const jd *jd_load_text(const char *text, size_t len, bool reject_dups, json_error_t *err);
/* A record in memory: any JSON value at the top (jansson's JSON_DECODE_ANY),
 * the last of duplicate keys counts. */
const jd *jd_load_any(const char *text, size_t len, json_error_t *err);
/* A copy of a jansson value, which the caller still owns (NULL: none, or
 * out of memory).  Its reals are written as their shortest decimal. */
const jd *jd_from_json(json_t *v);
/* Frees the whole tree of a root jd_load_* returned; NULL is fine. */
void jd_free(const jd *root);

const jd *jd_get(const jd *object, const char *key);
/* The member named by the klen bytes at key, for keys asked in about the
 * order they are written: the search starts at member *hint (0 at first),
 * goes round the object once and leaves *hint on the member found, so the
 * same key or the next is found at the first or second look.  An object's
 * keys are unique (a text with a duplicate is read by jansson, which keeps
 * one), so the answer is jd_get's. */
const jd *jd_get_near(const jd *object, const char *key, size_t klen, size_t *hint);
const char *jd_str(const jd *v);          /* NULL unless a string */
long long jd_int(const jd *v);            /* 0 unless an integer */
double jd_real(const jd *v);              /* 0 unless a real */
const char *jd_real_text(const jd *v);    /* a real as printed ("12.50"), NULL unless a real */
bool jd_is_obj(const jd *v);
bool jd_is_arr(const jd *v);
bool jd_is_str(const jd *v);
bool jd_is_int(const jd *v);
bool jd_is_real(const jd *v);
bool jd_is_true(const jd *v);
size_t jd_len(const jd *v);               /* elements of an array, else 0 */
size_t jd_nmembers(const jd *v);          /* members of an object, else 0 */
const jd *jd_at(const jd *array, size_t i);
const char *jd_key_at(const jd *object, size_t i);
const jd *jd_val_at(const jd *object, size_t i);

#define jd_array_foreach(a, i, v) for ((i) = 0; (i) < jd_len(a) && ((v) = jd_at((a), (i))); (i)++)
#define jd_object_foreach(o, i, k, v)                                                             \
    for ((i) = 0; (i) < jd_nmembers(o) && ((k) = jd_key_at((o), (i)), (v) = jd_val_at((o), (i))); (i)++)

#endif
