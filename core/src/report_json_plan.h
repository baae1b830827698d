/* report_json_plan.h - a table's JSON as fixed text between its values.
 *
 * Everything of a table object but its values - braces, keys, commas,
 * line breaks, indentation - depends only on the template, so it is laid
 * out once per definition (both layouts) and a report's table is written
 * as memcpy of that text between its values.  Also each field's path as a
 * quoted JSON string, for the lists of blank, na ... cells. */
#ifndef NB_REPORT_JSON_PLAN_H
#define NB_REPORT_JSON_PLAN_H

#include "json_internal.h"
#include "report_json_nest.h"

/* Fills nt's plans, shadowed list, quoted paths and names from its nesting of d
 * (built with every value present).  A part it cannot build (out of
 * memory, nesting deeper than the writer takes) stays NULL: the callers
 * then take the step-by-step way. */
void nest_plan_build(nest_tree *nt, const nb_table_def *d);

#endif
