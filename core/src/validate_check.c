/* validate_check.c - load-time check that every key path of every rule
 * names fields of the templates.  A typo in a rule file would otherwise
 * make the rule silently never fire. */
#include "validate_int.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

#define V_MAXVARIANTS 16

typedef struct pctx {
    const nb_ruleset *rs;
    const v_rule *r;
    const char *alt;
    const nb_table_def *rule_def; /* variant the binding was made against */
    bool found, unbound;
} pctx;

static bool variant_ok(const v_rule *r, const nb_table_def *d)
{
    if (!r->table || strcmp(r->table, d->name) != 0 || r->nvariants == 0)
        return true;
    for (size_t i = 0; i < r->nvariants; i++)
        if (strcmp(r->variants[i], d->variant) == 0)
            return true;
    return false;
}

/* The substituted path and its table's name in stack buffers (a path
 * longer than they are is made on the heap): a check runs a few hundred
 * bindings at every start. */
static bool try_binding(void *ctx, const v_binding *b)
{
    pctx *c = ctx;
    char buf[256], tbuf[64], *heap, *theap;
    const char *p = v_subst_local(c->alt, b, buf, sizeof buf, &heap, NULL);
    if (!p || strchr(p, '{')) {
        c->unbound = p != NULL;
        free(heap);
        return false;
    }
    const char *table = v_table_local(p, tbuf, sizeof tbuf, &theap);
    const nb_table_def *defs[V_MAXVARIANTS];
    size_t n = table ? nb_templates_variants(c->rs->t, table, defs, V_MAXVARIANTS) : 0;
    for (size_t i = 0; i < n && !c->found; i++) {
        if (c->rule_def && strcmp(defs[i]->name, c->rule_def->name) == 0 && defs[i] != c->rule_def)
            continue; /* same table: only the variant the binding came from */
        if (variant_ok(c->r, defs[i]) && v_any_match(p, defs[i]))
            c->found = true; /* one field is enough: the scan stops there */
    }
    free(theap);
    free(heap);
    return !c->found;
}

static nb_status check_alt(const nb_ruleset *rs, const v_rule *r, const char *alt, nb_error *err)
{
    pctx c = {rs, r, alt, NULL, false, false};
    const nb_table_def *defs[V_MAXVARIANTS];
    size_t n = r->table ? nb_templates_variants(rs->t, r->table, defs, V_MAXVARIANTS) : 0;
    if (n == 0)
        v_for_each_binding(r, NULL, try_binding, &c);
    for (size_t i = 0; i < n && !c.found && !c.unbound; i++) {
        if (!variant_ok(r, defs[i]))
            continue;
        c.rule_def = defs[i];
        v_for_each_binding(r, defs[i], try_binding, &c);
    }
    if (c.found)
        return NB_OK;
    nb_error_set(err, NB_E_CONFIG, r->file, "rule %s: key path \"%s\" %s", r->id, alt,
                 c.unbound ? "uses a variable that for_each does not define"
                           : "matches no field of the templates");
    return NB_FAILED;
}

static nb_status check_term(const nb_ruleset *rs, const v_rule *r, const v_term *t, nb_error *err)
{
    for (size_t i = 0; i < t->nalts; i++)
        if (check_alt(rs, r, t->alts[i], err) != NB_OK)
            return NB_FAILED;
    return NB_OK;
}

static nb_status check_sum(const nb_ruleset *rs, const v_rule *r, const v_sum *s, nb_error *err)
{
    for (size_t i = 0; i < s->n; i++)
        if (check_term(rs, r, &s->t[i], err) != NB_OK)
            return NB_FAILED;
    return NB_OK;
}

static nb_status check_rule(const nb_ruleset *rs, const v_rule *r, nb_error *err)
{
    if (check_sum(rs, r, &r->rel.lhs, err) || check_sum(rs, r, &r->rel.rhs, err) ||
        check_term(rs, r, &r->target, err) || check_term(rs, r, &r->cells, err))
        return NB_FAILED;
    for (size_t i = 0; i < r->nwhen; i++)
        if (check_sum(rs, r, &r->when[i].rel.lhs, err) || check_sum(rs, r, &r->when[i].rel.rhs, err) ||
            check_term(rs, r, &r->when[i].cells, err))
            return NB_FAILED;
    for (size_t i = 0; i < r->ncompare; i++)
        if (check_sum(rs, r, &r->compare[i], err))
            return NB_FAILED;
    if (r->target.nalts && r->kind == VK_LINEAR) {
        bool in = false;
        const v_sum *sides[2] = {&r->rel.lhs, &r->rel.rhs};
        for (int s = 0; s < 2; s++)
            for (size_t i = 0; i < sides[s]->n; i++)
                in = in || strcmp(sides[s]->t[i].alts[0], r->target.alts[0]) == 0;
        if (!in) {
            nb_error_set(err, NB_E_CONFIG, r->file, "rule %s: target \"%s\" is not one of the summands",
                         r->id, r->target.alts[0]);
            return NB_FAILED;
        }
    }
    return NB_OK;
}

nb_status v_rules_check_paths(const nb_ruleset *rs, nb_error *err)
{
    for (size_t i = 0; i < rs->n; i++)
        if (check_rule(rs, &rs->rules[i], err) != NB_OK)
            return NB_FAILED;
    return NB_OK;
}
