/* json.h - the report as JSON (jansson), both ways.  Lossless: a report
 * written with NB_JSON_PROVENANCE and read back is the same report. */
#ifndef NIANBAO_JSON_H
#define NIANBAO_JSON_H

#include <jansson.h>
#include "report.h"
#include "plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags: NB_JSON_* of report.h. */
/* New reference.  Decimals are JSON reals written with up to 15 significant
 * digits (see nb_json_dump_flags), which keeps every figure as printed. */
NB_API json_t *nb_report_to_json(const nb_report *r, unsigned flags);
NB_API nb_report *nb_report_from_json(const nb_templates *t, json_t *j, nb_error *err);
NB_API json_t *nb_failure_to_json(const nb_failure *f);
/* Flags for json_dumpf that keep decimals exact. */
NB_API size_t nb_json_dump_flags(bool compact);
/* Exact decimal from a JSON number (integer or real). */
NB_API bool nb_json_num(const json_t *v, nb_num *out);

#define NB_FAILURE_SCHEMA "nianbao.failure/1"

#ifdef __cplusplus
}
#endif
#endif
