/* readings.c - the undecided row readings a report keeps (readings_internal.h). */
#include "readings_internal.h"
#include "util.h"
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

nb_readings *nb_report_readings(nb_report *r)
{
    if (!r->readings)
        r->readings = calloc(1, sizeof *r->readings);
    return r->readings;
}
