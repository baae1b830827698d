/* recognise_alike.c - do two variants of a table read a token stream alike?
 *
 * A template that inherits a table gets its own copy of the definition
 * (gb2019's requests and appeals are gb2021's).  Scoring a variant reads
 * the tokens with its grammar (labels, the other tables' labels, match
 * limits) and its rows' widths and subtotals, and counts its markers:
 * when all of that is equal, so is the score and every label match, so
 * the recogniser reads such a table once (choose_variant). */
#include "recognise_internal.h"
#include <string.h>

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The matching forms a grammar takes from a list (add_label). */
static bool same_list(const nb_strlist *a, const nb_strlist *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!same_str(a->compact[i], b->compact[i]) || !same_str(a->key[i], b->key[i]))
            return false;
    return true;
}

static bool same_limits(const nb_match_limits *a, const nb_match_limits *b)
{
    return a->row_window == b->row_window && a->typo_min_chars == b->typo_min_chars &&
           a->chars_per_typo == b->chars_per_typo && a->fragment_min_chars == b->fragment_min_chars &&
           a->lost_total_ratio == b->lost_total_ratio;
}

static bool same_rows(const nb_table_def *a, const nb_table_def *b)
{
    if (a->nrows != b->nrows || a->nblocks != b->nblocks)
        return false;
    for (size_t r = 0; r < a->nrows; r++) {
        const nb_row_def *x = &a->rows[r], *y = &b->rows[r];
        if (x->derived != y->derived || x->block != y->block || !same_list(&x->labels, &y->labels))
            return false;
    }
    for (size_t k = 0; k < a->nblocks; k++)
        if (a->blocks[k].ncols != b->blocks[k].ncols || !same_list(&a->blocks[k].caption, &b->blocks[k].caption))
            return false;
    return true;
}

static bool same_cols(const nb_table_def *a, const nb_table_def *b)
{
    if (a->ncols != b->ncols)
        return false;
    for (size_t c = 0; c < a->ncols; c++)
        if (!same_list(&a->cols[c].labels, &b->cols[c].labels))
            return false;
    return true;
}

bool rc_defs_read_alike(const nb_table_def *a, const nb_table_def *b)
{
    /* the same name: the other tables' labels (add_foreign) are the same too */
    return same_str(a->name, b->name) && a->layout == b->layout && same_limits(&a->match, &b->match) &&
           same_list(&a->markers, &b->markers) && same_list(&a->ignore, &b->ignore) && same_rows(a, b) &&
           same_cols(a, b);
}
