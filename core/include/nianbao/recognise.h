/* recognise.h - maps a document (doc.h) onto the templates.
 *
 * One recogniser serves every text input: it finds the six sections, the
 * title, agency, year and publication date, and reads each table by using
 * the template as a grammar (expected label order), never line structure.
 * Blank-dropped rows and digits glued together are resolved with the sum
 * constraints of the template; what stays uncertain is marked ambiguous. */
#ifndef NIANBAO_RECOGNISE_H
#define NIANBAO_RECOGNISE_H

#include "doc.h"
#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns a new report (caller frees) or NULL with err set when the document
 * holds no recognisable report (no table and no section heading).  A text
 * that holds several reports gives its first, with a PARSE-SECOND-REPORT
 * warning naming where the next begins (a run, nb_run_input, reads them all);
 * a text that opens with a report cut short gives its first whole report,
 * warned of the cut one. */
NB_API nb_report *nb_recognise(const nb_templates *t, const nb_doc *doc, nb_error *err);

#ifdef __cplusplus
}
#endif
#endif
