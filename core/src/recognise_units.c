/* recognise_units.c - the document as units (cells) with a compact form
 * for matching and a map back to the original bytes. */
#include "recognise_internal.h"
#include <stdlib.h>
#include <string.h>

/* Same folding as nb_text_compact, but remembering where each compact
 * byte came from so a heading found in the middle of a line can cut it. */
static bool compact_with_map(rc_unit *u)
{
    size_t len = strlen(u->text);
    nb_buf b = {0};
    size_t *map = malloc((len * 4 + 2) * sizeof *map);
    if (!map)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t step = nb_utf8_next(u->text + i, len - i, &c);
        char one[5] = {0};
        memcpy(one, u->text + i, step);
        char *f = nb_text_compact(one);
        size_t fl = f ? strlen(f) : 0;
        if (f && fl) {
            nb_buf_add(&b, f, fl);
            for (size_t k = 0; k < fl; k++)
                map[n++] = i;
        }
        free(f);
        i += step;
    }
    map[n] = len;
    u->compact = nb_buf_steal(&b);
    u->map = map;
    return true;
}

bool rc_doc_build(rc_doc *d, const nb_doc *doc)
{
    memset(d, 0, sizeof *d);
    d->doc = doc;
    size_t cap = 0;
    for (size_t i = 0; i < doc->nlines; i++) {
        const nb_doc_line *l = &doc->lines[i];
        /* Positions only mean something in a line with two or more filled
         * cells, or a label followed by a row of empty cells; "\t0" lines
         * (one cell per line, indented) are not rows. */
        size_t filled = 0;
        for (size_t j = 0; j < l->ncells; j++)
            filled += strspn(l->cells[j], " \t") != strlen(l->cells[j]);
        for (size_t j = 0; j < l->ncells; j++) {
            if (!nb_grow((void **)&d->u, &cap, d->n, sizeof *d->u))
                return false;
            rc_unit *u = &d->u[d->n];
            memset(u, 0, sizeof *u);
            u->text = l->cells[j];
            u->lineno = l->lineno;
            u->cell = (int)j;
            u->line = i;
            u->row = l->kind == NB_LINE_ROW && (filled >= 2 || (filled == 1 && l->ncells >= 4));
            u->heading = l->kind == NB_LINE_HEADING;
            u->blank_line = l->kind == NB_LINE_TEXT && !*l->cells[j];
            d->n++;
            if (!compact_with_map(u))
                return false;
        }
    }
    for (int i = 0; i < 6; i++)
        d->sec_start[i] = d->sec_body[i] = (rc_pos){d->n, 0};
    return true;
}

void rc_doc_free(rc_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->u[i].compact);
        free(d->u[i].map);
    }
    free(d->u);
    for (int i = 0; i < 6; i++)
        free(d->sec_title[i]);
    memset(d, 0, sizeof *d);
}

int rc_pos_cmp(rc_pos a, rc_pos b)
{
    if (a.unit != b.unit)
        return a.unit < b.unit ? -1 : 1;
    return (a.off > b.off) - (a.off < b.off);
}
