/* speed_docs.h - bench_speed's PDF and Word bundles (issue 13: the
 * benchmark's bundles include PDF/DOCX once those readers exist). */
#ifndef NB_SPEED_DOCS_H
#define NB_SPEED_DOCS_H
#include <stdbool.h>

/* The peak RSS of a size's runs, per kind (0: not run). */
typedef struct docs_peak {
    long pdf, docx;
} docs_peak;

/* Times n PDF and n DOCX reports, each kind as one tar.gz, with nianbao at
 * -j 1 and at the default -j (jobs: the executable takes -j), against
 * reading the bundle's bytes and, for PDF, poppler alone extracting the
 * same pages' text.  The distinct documents are made once under tmp. */
docs_peak speed_docs(const char *nb, const char *tmp, int n, bool jobs);

/* Removes the documents speed_docs made under tmp. */
void speed_docs_done(const char *tmp);

#endif
