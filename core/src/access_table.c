/* access_table.c - the ABI 2 accessors of tables, rows and cells.  Every
 * function tolerates NULL handles and indexes out of range. */
#include "nianbao/report.h"
#include "report_internal.h"
#include <stdlib.h>

bool nb_table_build_rows(nb_table *t)
{
    const nb_table_def *d = t->def;
    t->rows = calloc(d->nrows ? d->nrows : 1, sizeof *t->rows);
    if (!t->rows)
        return false;
    t->nrows = d->nrows;
    for (size_t r = 0; r < d->nrows; r++)
        t->rows[r] = (nb_row){t, r, 0, 0};
    /* fields are grouped by row, in row order (template.c build_fields) */
    for (size_t f = d->nfields; f-- > 0;) {
        nb_row *row = &t->rows[d->fields[f].row];
        row->first = f;
        row->n++;
    }
    return true;
}

/* Tables ------------------------------------------------------------------ */

size_t nb_report_table_count(const nb_report *r) { return r ? r->ntables : 0; }

const nb_table *nb_report_table_at(const nb_report *r, size_t i)
{
    return r && i < r->ntables ? &r->tables[i] : NULL;
}

const char *nb_table_name(const nb_table *t) { return t ? t->name : NULL; }
bool nb_table_found(const nb_table *t) { return t && t->def && t->cells; }
const char *nb_table_variant(const nb_table *t) { return nb_table_found(t) ? t->def->variant : NULL; }
const nb_table_def *nb_table_definition(const nb_table *t) { return nb_table_found(t) ? t->def : NULL; }
size_t nb_table_cell_count(const nb_table *t) { return nb_table_found(t) ? t->def->nfields : 0; }

/* Spelled out rather than through nb_table_cell_count: an exported
 * function is not inlined into another (interposition), and outputs ask
 * for every cell of a report. */
const nb_cell *nb_table_cell_at(const nb_table *t, size_t i)
{
    return t && t->def && t->cells && i < t->def->nfields ? &t->cells[i] : NULL;
}

const nb_field_def *nb_table_field_at(const nb_table *t, size_t i)
{
    return i < nb_table_cell_count(t) ? &t->def->fields[i] : NULL;
}

size_t nb_table_row_count(const nb_table *t) { return nb_table_found(t) ? t->def->nrows : 0; }

/* The rows, made on first use: only a few outputs walk them, and every
 * report's tables would otherwise copy them.  Published like the
 * definitions' plans, as readers of one report may share it. */
static const nb_row *table_rows(const nb_table *t)
{
    nb_row **slot = &((nb_table *)t)->rows; /* a cache, not the table's content */
    nb_row *rows = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (rows)
        return rows;
    nb_table fresh = {.def = t->def};
    if (!nb_table_copy_rows(&fresh) && !nb_table_build_rows(&fresh))
        return NULL;
    for (size_t r = 0; r < fresh.nrows; r++)
        fresh.rows[r].table = t;
    if (__atomic_compare_exchange_n(slot, &rows, fresh.rows, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return fresh.rows;
    free(fresh.rows); /* another reader made them first */
    return rows;
}

const nb_row *nb_table_row_at(const nb_table *t, size_t i)
{
    const nb_row *rows = i < nb_table_row_count(t) ? table_rows(t) : NULL;
    return rows ? &rows[i] : NULL;
}

size_t nb_table_extra_count(const nb_table *t) { return t ? t->nextra : 0; }

const char *nb_table_extra_label(const nb_table *t, size_t i)
{
    return t && i < t->nextra ? t->extra[i].label : NULL;
}

size_t nb_table_extra_value_count(const nb_table *t, size_t i)
{
    return t && i < t->nextra ? t->extra[i].nvalues : 0;
}

const char *nb_table_extra_value(const nb_table *t, size_t i, size_t j)
{
    return j < nb_table_extra_value_count(t, i) ? t->extra[i].values[j] : NULL;
}

int nb_table_extra_line(const nb_table *t, size_t i)
{
    return t && i < t->nextra ? t->extra[i].line : 0;
}

/* Rows -------------------------------------------------------------------- */

static const nb_row_def *row_def(const nb_row *row)
{
    return row ? &row->table->def->rows[row->row] : NULL;
}

const nb_table *nb_row_table(const nb_row *row) { return row ? row->table : NULL; }
const char *nb_row_key(const nb_row *row) { return row ? row_def(row)->key : NULL; }

const char *nb_row_label(const nb_row *row)
{
    const nb_row_def *rd = row_def(row);
    return rd && rd->labels.n ? rd->labels.v[0] : NULL;
}

const char *nb_row_group(const nb_row *row) { return row ? row_def(row)->group : NULL; }
bool nb_row_derived(const nb_row *row) { return row && row_def(row)->derived; }
size_t nb_row_cell_count(const nb_row *row) { return row ? row->n : 0; }

const nb_cell *nb_row_cell_at(const nb_row *row, size_t i)
{
    return row && i < row->n ? &row->table->cells[row->first + i] : NULL;
}

const nb_field_def *nb_row_field_at(const nb_row *row, size_t i)
{
    return row && i < row->n ? &row->table->def->fields[row->first + i] : NULL;
}

/* Cells ------------------------------------------------------------------- */

nb_cell_status nb_cell_get_status(const nb_cell *c) { return c ? c->status : NB_CELL_MISSING; }
bool nb_cell_has_value(const nb_cell *c) { return c && c->has_value; }

bool nb_cell_get_num(const nb_cell *c, nb_num *out)
{
    bool has = c && c->has_value; /* nb_cell_has_value, inline as above */
    if (out)
        *out = has ? c->num : (nb_num){0, 0};
    return has;
}

const char *nb_cell_raw(const nb_cell *c) { return c ? c->raw : NULL; }
const char *nb_cell_unit(const nb_cell *c) { return c ? c->text : NULL; }
int nb_cell_line(const nb_cell *c) { return c ? c->line : 0; }
int nb_cell_column(const nb_cell *c) { return c ? c->cell : -1; }
