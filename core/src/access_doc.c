/* access_doc.c - the ABI 2 accessors for reading a document (doc.h). */
#include "doc_internal.h"

static const nb_doc_line *line_at(const nb_doc *d, size_t i)
{
    return d && i < d->nlines ? &d->lines[i] : NULL;
}

const char *nb_doc_name(const nb_doc *d) { return d ? d->name : NULL; }
const char *nb_doc_encoding(const nb_doc *d) { return d ? d->encoding : NULL; }
size_t nb_doc_line_count(const nb_doc *d) { return d ? d->nlines : 0; }

nb_line_kind nb_doc_line_kind(const nb_doc *d, size_t i)
{
    const nb_doc_line *l = line_at(d, i);
    return l ? l->kind : NB_LINE_TEXT;
}

int nb_doc_line_level(const nb_doc *d, size_t i)
{
    const nb_doc_line *l = line_at(d, i);
    return l ? l->level : 0;
}

int nb_doc_line_number(const nb_doc *d, size_t i)
{
    const nb_doc_line *l = line_at(d, i);
    return l ? l->lineno : 0;
}

size_t nb_doc_cell_count(const nb_doc *d, size_t i)
{
    const nb_doc_line *l = line_at(d, i);
    return l ? l->ncells : 0;
}

const char *nb_doc_cell(const nb_doc *d, size_t i, size_t j)
{
    const nb_doc_line *l = line_at(d, i);
    return l && j < l->ncells ? l->cells[j] : NULL;
}
