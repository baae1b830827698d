/* recognise_keep.c - the readings of rows recognition left undecided are
 * kept on the report (readings_internal.h): the same agency's report of
 * another year may still choose between them at the emit point
 * (resolve_xyear.c).  Only readings that agree with the cells the table
 * already decided and that the table's column sums still accept are kept,
 * and only complete lists (rc_alts never holds a list cut short at its
 * bound). */
#include "recognise_internal.h"
#include "readings_internal.h"
#include <string.h>

/* Does reading s agree with every cell of the row that has a value? */
static bool agrees(const nb_table *t, const rc_alt *a, size_t s)
{
    for (size_t j = 0; j < a->k; j++) {
        const nb_cell *c = &t->cells[a->fields[j]];
        if (c->status == NB_CELL_AMBIGUOUS)
            continue;
        if (!c->has_value || c->num.scale != 0 || c->num.v != a->sols[s][j])
            return false;
    }
    return true;
}

static bool any_ambiguous(const nb_table *t, const rc_alt *a)
{
    for (size_t j = 0; j < a->k; j++)
        if (t->cells[a->fields[j]].status == NB_CELL_AMBIGUOUS)
            return true;
    return false;
}

void rc_keep_readings(nb_report *r, nb_table *t, const rc_alts *alts)
{
    nb_readings_drop_table(r->readings, t->name);
    for (size_t i = 0; i < alts->n; i++) {
        const rc_alt *a = &alts->v[i];
        if (!any_ambiguous(t, a) || a->nsol >= RC_MAX_SOLUTIONS)
            continue; /* a list that reached its bound may have been cut short */
        int64_t sols[RC_MAX_SOLUTIONS * RC_MAX_COLS];
        size_t n = 0;
        for (size_t s = 0; s < a->nsol; s++)
            if ((!a->fit || (a->fit >> s & 1)) && agrees(t, a, s))
                memcpy(&sols[n++ * a->k], a->sols[s], a->k * sizeof *sols);
        nb_readings *rd = n >= 2 ? nb_report_readings(r) : NULL;
        if (rd)
            nb_readings_add(rd, t->name, t->def, a->fields, a->k, sols, n);
    }
}
