/* json_load.h - the library's data files (templates, rules, manifests)
 * parsed quickly into jansson values, with jansson's answers and errors. */
#ifndef NB_JSON_LOAD_H
#define NB_JSON_LOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* What json_load_file(path, flags, err) returns (flags 0 or
 * JSON_REJECT_DUPLICATES; others go straight to jansson). */
json_t *nb_json_load_file(const char *path, size_t flags, json_error_t *err);
/* The value of a JSON text when it is a plain object or array (integers,
 * no duplicate keys, valid UTF-8); NULL: not sure, ask jansson. */
json_t *nb_json_parse_plain(const char *text, size_t len);

#endif
