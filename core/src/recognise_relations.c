/* recognise_relations.c - the relations that choose between readings come
 * from the rule files, once, when the rules are loaded.
 *
 * Every error-level linear rule that holds in each column of a table
 * ("for_each": {"col": "columns"}, no condition, Σ lhs = Σ rhs, each term a
 * row "<row>.{col}" or a group's leaves "<group>.*.{col}", optionally
 * falling back to "<group>.subtotal.{col}") becomes a column relation of
 * the table variants it applies to (R-T2-BALANCE 一+二 = (七)+四,
 * R-T2-RESULTS (七) = Σ outcomes).  A rule of another shape is the
 * validator's alone.  Row totals are not here: each reading keeps its own
 * row's totals when it is proposed (recognise_solve.c). */
#include "recognise_relations.h"
#include "template_internal.h"
#include "validate_int.h"
#include <stdlib.h>
#include <string.h>

/* "requests.withheld.*.{col}" -> "withheld.*"; NULL when the pattern is not
 * "<table>.<row or group.*>.{var}". */
static char *row_term(const char *pat, const char *table, const char *var)
{
    size_t tl = strlen(table), pl = strlen(pat), vl = strlen(var);
    if (strncmp(pat, table, tl) != 0 || pat[tl] != '.' || pl < tl + vl + 5 || pat[pl - 1] != '}' ||
        strncmp(pat + pl - vl - 3, ".{", 2) != 0 || strncmp(pat + pl - vl - 1, var, vl) != 0)
        return NULL;
    return nb_strndup(pat + tl + 1, pl - vl - 3 - tl - 1);
}

/* Does the term name rows of d: a row key, or "group.*" of a group of d? */
static bool names_rows(const nb_table_def *d, const char *term)
{
    size_t tl = strlen(term);
    bool group = tl > 2 && strcmp(term + tl - 2, ".*") == 0;
    for (size_t r = 0; r < d->nrows; r++) {
        const nb_row_def *rd = &d->rows[r];
        if (group ? rd->group && strncmp(rd->group, term, tl - 2) == 0 && rd->group[tl - 2] == '\0'
                  : strcmp(rd->key, term) == 0)
            return true;
    }
    return false;
}

enum { SHAPE_OTHER = 0, SHAPE_OK = 1, SHAPE_OOM = -1 };

/* The terms of one side as row terms of d, into l; SHAPE_OTHER when a term
 * is of another shape (signed, cross-year, another fallback, ...). */
static int side_terms(const v_sum *s, const v_rule *r, const nb_table_def *d, nb_strlist *l)
{
    const char *var = r->vars[0].name;
    l->v = calloc(s->n ? s->n : 1, sizeof *l->v);
    if (!l->v)
        return SHAPE_OOM;
    for (size_t i = 0; i < s->n; i++) {
        const v_term *t = &s->t[i];
        if (t->coef != 1 || t->prev || t->nalts < 1 || t->nalts > 2)
            return SHAPE_OTHER;
        char *term = row_term(t->alts[0], r->table, var);
        if (!term || !names_rows(d, term)) {
            free(term);
            return SHAPE_OTHER;
        }
        l->v[l->n++] = term;
        if (t->nalts == 2) { /* only "<group>.*|<group>.subtotal": the resolver's own fallback */
            char *alt = row_term(t->alts[1], r->table, var);
            size_t gl = strlen(term) - 2;
            bool fallback = alt && strlen(term) > 2 && strcmp(term + gl, ".*") == 0 &&
                            strncmp(alt, term, gl) == 0 && strcmp(alt + gl, ".subtotal") == 0;
            free(alt);
            if (!fallback)
                return SHAPE_OTHER;
        }
    }
    return SHAPE_OK;
}

static void list_free(nb_strlist *l)
{
    for (size_t i = 0; l->v && i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (nb_strlist){0};
}

static void checks_free(nb_table_def *d)
{
    for (size_t i = 0; i < d->nchecks; i++) {
        list_free(&d->checks[i].lhs);
        list_free(&d->checks[i].rhs);
    }
    free(d->checks);
    d->checks = NULL;
    d->nchecks = 0;
}

static bool per_column(const v_rule *r)
{
    return r->sev == NB_SEV_ERROR && r->kind == VK_LINEAR && !r->cross_year && r->nwhen == 0 &&
           r->rel.op == V_EQ && r->nvars == 1 && r->vars[0].keyword &&
           strcmp(r->vars[0].keyword, "columns") == 0 && r->table;
}

static bool applies_to(const v_rule *r, const nb_table_def *d)
{
    if (strcmp(r->table, d->name) != 0)
        return false;
    for (size_t i = 0; i < r->nvariants; i++)
        if (strcmp(r->variants[i], d->variant) == 0)
            return true;
    return r->nvariants == 0;
}

/* Adds rule r to d when it has the shape of a column relation; false only
 * when out of memory. */
static bool add_relation(nb_table_def *d, const v_rule *r)
{
    nb_column_check c = {0};
    int shape = side_terms(&r->rel.lhs, r, d, &c.lhs);
    if (shape == SHAPE_OK)
        shape = side_terms(&r->rel.rhs, r, d, &c.rhs);
    nb_column_check *v = shape == SHAPE_OK ? realloc(d->checks, (d->nchecks + 1) * sizeof *v) : NULL;
    if (!v) {
        list_free(&c.lhs);
        list_free(&c.rhs);
        return shape == SHAPE_OTHER;
    }
    d->checks = v;
    d->checks[d->nchecks++] = c;
    return true;
}

bool rc_relations_from_rules(nb_templates *t, const nb_ruleset *rs)
{
    nb_table_def *defs[64];
    size_t n = nb_templates_table_defs(t, defs, 64);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        checks_free(defs[i]);
        for (size_t k = 0; rs && ok && k < rs->n; k++)
            if (per_column(&rs->rules[k]) && applies_to(&rs->rules[k], defs[i]))
                ok = add_relation(defs[i], &rs->rules[k]);
    }
    if (!ok)
        for (size_t i = 0; i < n; i++)
            checks_free(defs[i]);
    return ok;
}
