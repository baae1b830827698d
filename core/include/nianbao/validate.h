/* validate.h - the validation stage: rules as data (the JSON files of formats/rules)
 * evaluated by one generic engine.  Findings are appended to the report's
 * diagnostics; a report is never rejected. */
#ifndef NIANBAO_VALIDATE_H
#define NIANBAO_VALIDATE_H

#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nb_ruleset nb_ruleset;

/* Loads every *.json of the rules directories (':'-separated).  Rules that
 * name unknown key paths are a load error (NB_E_CONFIG). */
NB_API nb_ruleset *nb_ruleset_load(const char *dirs, const nb_templates *t, nb_error *err);
NB_API void nb_ruleset_free(nb_ruleset *rs);
NB_API size_t nb_ruleset_count(const nb_ruleset *rs);
/* Rule i (0 <= i < count) in load order: its id, severity and the file it
 * came from.  One id may appear several times (one check per entry). */
NB_API const char *nb_ruleset_rule_id(const nb_ruleset *rs, size_t i);
NB_API nb_severity nb_ruleset_rule_severity(const nb_ruleset *rs, size_t i);
NB_API const char *nb_ruleset_rule_file(const nb_ruleset *rs, size_t i);

/* Runs every rule on one report; returns the number of findings added. */
NB_API size_t nb_validate(const nb_ruleset *rs, nb_report *r);

/* Cross-report checks (same agency, consecutive years).  Keeps only the few
 * values the checks need per agency-year, so memory does not grow with the
 * reports' size.  Findings go to the report added last when it is the later
 * year; otherwise they are collected as run findings. */
typedef struct nb_xcheck nb_xcheck;
NB_API nb_xcheck *nb_xcheck_new(const nb_ruleset *rs);
NB_API void nb_xcheck_free(nb_xcheck *x);
NB_API size_t nb_xcheck_add(nb_xcheck *x, nb_report *r);
NB_API size_t nb_xcheck_run_diags(const nb_xcheck *x, const nb_diag **diags,
                                  const char *const **sources);

#ifdef __cplusplus
}
#endif
#endif
