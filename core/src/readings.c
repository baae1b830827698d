/* readings.c - the undecided row readings a report keeps (readings_internal.h). */
#include "readings_internal.h"
#include "report_internal.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nb_readings_free(nb_readings *rd)
{
    if (!rd)
        return;
    for (size_t i = 0; i < rd->n; i++)
        free(rd->v[i].sols);
    free(rd->v);
    free(rd);
}

bool nb_readings_add(nb_readings *rd, const char *table, const nb_table_def *def, const size_t *fields,
                     size_t k, const int64_t *sols, size_t nsol)
{
    if (!rd || k == 0 || k > NB_READINGS_MAX_K || nsol < 2 || nsol > NB_READINGS_MAX_SOLS ||
        rd->n >= NB_READINGS_MAX_ROWS || !nb_grow((void **)&rd->v, &rd->cap, rd->n, sizeof *rd->v))
        return false;
    int64_t *copy = malloc(nsol * k * sizeof *copy);
    if (!copy)
        return false;
    memcpy(copy, sols, nsol * k * sizeof *copy);
    nb_reading_row *row = &rd->v[rd->n++];
    memset(row, 0, sizeof *row);
    row->table = table;
    row->def = def;
    row->k = k;
    memcpy(row->fields, fields, k * sizeof *fields);
    row->sols = copy;
    row->nsol = nsol;
    return true;
}

void nb_readings_drop_table(nb_readings *rd, const char *table)
{
    size_t w = 0;
    for (size_t i = 0; rd && i < rd->n; i++) {
        if (strcmp(rd->v[i].table, table) == 0)
            free(rd->v[i].sols);
        else
            rd->v[w++] = rd->v[i];
    }
    if (rd)
        rd->n = w;
}

long nb_readings_owner(const nb_readings *rd, const nb_table_def *def, size_t field, size_t *slot)
{
    for (size_t i = 0; rd && i < rd->n; i++) {
        if (rd->v[i].def != def)
            continue;
        for (size_t j = 0; j < rd->v[i].k; j++)
            if (rd->v[i].fields[j] == field) {
                *slot = j;
                return (long)i;
            }
    }
    return -1;
}

bool nb_readings_filter(nb_reading_row *row, const bool *keep)
{
    size_t w = 0;
    for (size_t s = 0; s < row->nsol; s++) {
        if (!keep[s])
            continue;
        if (w != s)
            memmove(row->sols + w * row->k, row->sols + s * row->k, row->k * sizeof *row->sols);
        w++;
    }
    bool dropped = w != row->nsol;
    row->nsol = w;
    return dropped;
}

bool nb_readings_agreed(const nb_reading_row *row, size_t slot, int64_t *v)
{
    if (row->nsol == 0)
        return false;
    *v = row->sols[slot];
    for (size_t s = 1; s < row->nsol; s++)
        if (row->sols[s * row->k + slot] != *v)
            return false;
    return true;
}

nb_cell *nb_readings_cell(nb_report *r, const nb_reading_row *row, size_t slot)
{
    nb_table *t = nb_report_table(r, row->def->name);
    size_t field = row->fields[slot];
    return t && t->def == row->def && field < row->def->nfields ? &t->cells[field] : NULL;
}

/* The PARSE-GLUED warning of a row says its ambiguous cells were left
 * empty; once evidence has settled every one of them it no longer holds. */
typedef struct glued_where {
    const char *path;
} glued_where;

static bool not_glued_at(const nb_diag *d, const void *ctx)
{
    const glued_where *g = ctx;
    return !d->rule || strcmp(d->rule, "PARSE-GLUED") != 0 || !d->where || strcmp(d->where, g->path) != 0;
}

static void drop_glued_when_settled(nb_report *r, const nb_reading_row *row)
{
    for (size_t j = 0; j < row->k; j++) {
        const nb_cell *c = nb_readings_cell(r, row, j);
        if (c && c->status == NB_CELL_AMBIGUOUS)
            return;
    }
    glued_where g = {row->def->fields[row->fields[0]].path};
    nb_report_filter_diags(r, not_glued_at, &g);
}

void nb_readings_set_cell(nb_report *r, const nb_reading_row *row, size_t slot, nb_cell *c, int64_t v,
                          const char *rule, const char *by)
{
    nb_cell_set(r, c, NB_CELL_INFERRED, nb_num_int(v), c->raw, c->line, c->cell);
    const nb_field_def *fd = &row->def->fields[row->fields[slot]];
    char found[24];
    snprintf(found, sizeof found, "%lld", (long long)v);
    nb_report_add_diag(r, rule, NB_SEV_INFO, false, fd->path, NULL, found, "%s: 数字串有多种拆分，由%s确定为 %lld",
                       fd->label, by, (long long)v);
    drop_glued_when_settled(r, row);
}

nb_readings *nb_report_readings(nb_report *r)
{
    if (!r->readings)
        r->readings = calloc(1, sizeof *r->readings);
    return r->readings;
}

/* Text form, for the pipe of --isolate (run_isolate*.c): a line per row,
 * "table variant k nsol" then the k field indices and nsol*k values. */
char *nb_readings_to_text(const nb_readings *rd)
{
    size_t cap = 64, len = 0;
    char *s = calloc(1, cap);
    for (size_t i = 0; s && rd && i < rd->n; i++) {
        const nb_reading_row *row = &rd->v[i];
        size_t need = len + 64 + strlen(row->table) + strlen(row->def->variant) + (row->k + row->nsol * row->k) * 22;
        char *grown = need > cap ? realloc(s, cap = need * 2) : s;
        if (!grown) {
            free(s);
            return NULL;
        }
        s = grown;
        len += (size_t)snprintf(s + len, cap - len, "%s %s %zu %zu", row->table, row->def->variant, row->k, row->nsol);
        for (size_t j = 0; j < row->k; j++)
            len += (size_t)snprintf(s + len, cap - len, " %zu", row->fields[j]);
        for (size_t j = 0; j < row->nsol * row->k; j++)
            len += (size_t)snprintf(s + len, cap - len, " %lld", (long long)row->sols[j]);
        s[len++] = '\n';
        s[len] = '\0';
    }
    return s;
}

/* One line of the text form into r; false when it does not fit r. */
static bool row_from_text(nb_report *r, char *line)
{
    char *save = NULL, *table = strtok_r(line, " ", &save), *variant = strtok_r(NULL, " ", &save);
    const nb_table *t = table ? nb_report_table_c(r, table) : NULL;
    if (!t || !t->def || !variant || strcmp(t->def->variant, variant) != 0)
        return false;
    char *k_s = strtok_r(NULL, " ", &save), *n_s = strtok_r(NULL, " ", &save);
    size_t k = k_s ? strtoul(k_s, NULL, 10) : 0, nsol = n_s ? strtoul(n_s, NULL, 10) : 0;
    if (k == 0 || k > NB_READINGS_MAX_K || nsol < 2 || nsol > NB_READINGS_MAX_SOLS)
        return false;
    size_t fields[NB_READINGS_MAX_K];
    int64_t sols[NB_READINGS_MAX_SOLS * NB_READINGS_MAX_K];
    for (size_t j = 0; j < k + nsol * k; j++) {
        char *tok = strtok_r(NULL, " ", &save);
        if (!tok)
            return false;
        if (j < k && (fields[j] = strtoul(tok, NULL, 10)) >= t->def->nfields)
            return false;
        if (j >= k)
            sols[j - k] = strtoll(tok, NULL, 10);
    }
    nb_readings *rd = nb_report_readings(r);
    return rd && nb_readings_add(rd, t->name, t->def, fields, k, sols, nsol);
}

void nb_readings_from_text(nb_report *r, const char *text)
{
    char *copy = text && *text ? nb_strdup(text) : NULL;
    for (char *save = NULL, *line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save))
        row_from_text(r, line);
    free(copy);
}
