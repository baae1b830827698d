/* doc.h - the common text stream every text input reduces its bytes to.
 *
 * A document is a list of lines; a line is a list of cells.  Text readers
 * (txt, markdown, tsv, html ...) only decide where lines and cells are;
 * the shared recogniser (recognise.h) maps the stream onto a template.
 * Cells keep their raw text (UTF-8); empty cells are kept because their
 * position can matter (domain.md §5.4). */
#ifndef NIANBAO_DOC_H
#define NIANBAO_DOC_H

#include <stddef.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nb_line_kind {
    NB_LINE_TEXT = 0, /* one cell: a paragraph or a lone table cell */
    NB_LINE_HEADING,  /* markup says it is a heading (markdown #, html <h1>) */
    NB_LINE_ROW       /* several cells: a table row (tabs, pipes, column gaps) */
} nb_line_kind;

typedef struct nb_doc nb_doc;         /* opaque: built with the calls below */

NB_API nb_doc *nb_doc_new(const char *name);
NB_API void nb_doc_free(nb_doc *d);
NB_API void nb_doc_set_encoding(nb_doc *d, const char *enc);
/* Copies the cells.  Returns NB_FATAL only when out of memory.  A
 * document holds at most 262 144 lines and as many cells (far more than a
 * report has): lines past that are dropped, and the recogniser refuses the
 * document as no report, so a reader need not count. */
NB_API nb_status nb_doc_add(nb_doc *d, nb_line_kind kind, int level, int lineno,
                            const char *const *cells, size_t ncells);
/* Convenience: one cell of len bytes (not NUL-terminated). */
NB_API nb_status nb_doc_add_text(nb_doc *d, nb_line_kind kind, int level, int lineno,
                                 const char *s, size_t len);

/* Splits decoded UTF-8 text into lines (LF) and cells.  The readers differ
 * only in the flags they pass. */
enum {
    NB_SPLIT_TABS   = 1u << 0, /* a tab separates cells */
    NB_SPLIT_GAPS   = 1u << 1, /* a run of 2+ spaces separates cells (pdftotext -layout) */
    NB_SPLIT_PIPES  = 1u << 2, /* markdown pipe tables; |---| rows dropped */
    NB_SPLIT_MDHEAD = 1u << 3  /* "# title" lines become headings */
};
NB_API nb_status nb_doc_split_text(nb_doc *d, const char *text, size_t len, unsigned flags);

/* Reading a document (ABI 2 accessors; NULL or out-of-range arguments give
 * NULL / 0 / NB_LINE_TEXT).  Strings are borrowed from the document. */
NB_API const char *nb_doc_name(const nb_doc *d);
NB_API const char *nb_doc_encoding(const nb_doc *d);     /* NULL when not set */
NB_API size_t nb_doc_line_count(const nb_doc *d);
NB_API nb_line_kind nb_doc_line_kind(const nb_doc *d, size_t i);
NB_API int nb_doc_line_level(const nb_doc *d, size_t i);  /* heading level, else 0 */
NB_API int nb_doc_line_number(const nb_doc *d, size_t i); /* 1-based source line */
NB_API size_t nb_doc_cell_count(const nb_doc *d, size_t i);
NB_API const char *nb_doc_cell(const nb_doc *d, size_t i, size_t j);

struct nb_stream;
/* What every text reader does: read the stream (at most 64 MiB), decode it
 * (text.h), split it with flags.  *out is a new document named after the
 * stream, with its encoding set. */
NB_API nb_status nb_doc_read_stream(struct nb_stream *s, unsigned flags, nb_doc **out, nb_error *err);
/* A bid for probe(): 0 unless the bytes look like a report text (UTF-8 or
 * GB18030 with the report's key words). */
NB_API int nb_doc_probe_report_text(const unsigned char *head, size_t len);

#ifdef __cplusplus
}
#endif
#endif
