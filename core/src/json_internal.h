/* json_internal.h - the report as a jansson value, both ways.  Lossless: a
 * report written with NB_JSON_PROVENANCE and read back is the same report.
 * Private to the library (no jansson type in the public headers); plugins
 * use the text forms of nianbao/report.h (nb_report_to_json_text ...). */
#ifndef NB_JSON_INTERNAL_H
#define NB_JSON_INTERNAL_H

#include <jansson.h>
#include "plugin_internal.h"

/* New reference.  Decimals are JSON reals written with up to 15 significant
 * digits (see nb_json_dump_flags), which keeps every figure as printed. */
json_t *nb_report_to_json(const nb_report *r, unsigned flags);
nb_report *nb_report_from_json(const nb_templates *t, json_t *j, nb_error *err);
json_t *nb_failure_to_json(const nb_failure *f);
/* Flags for json_dumpf that keep decimals exact. */
size_t nb_json_dump_flags(bool compact);
/* Exact decimal from a JSON number (integer or real). */
bool nb_json_num(const json_t *v, nb_num *out);

#endif
