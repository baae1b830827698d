/* recognise_relations.h - the column relations the resolver chooses readings
 * with, taken once from the rule files (recognise_relations.c). */
#ifndef NB_RECOGNISE_RELATIONS_H
#define NB_RECOGNISE_RELATIONS_H

#include "nianbao/template.h"
#include "nianbao/validate.h"
#include "util.h"

/* Gives every table of t the per-column relations of rs's error-level
 * linear rules (Σ lhs = Σ rhs in every column).  Replaces what an earlier
 * call gave; false when out of memory (the tables then have none). */
bool rc_relations_from_rules(nb_templates *t, const nb_ruleset *rs);

#endif
