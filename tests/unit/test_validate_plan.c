/* test_validate_plan.c - rules compiled per (rule, table definition)
 * (validate_plan.c) give the findings the interpreted rules give.
 *
 * A ruleset compiles plans only for its own templates' definitions; a
 * report built on a second load of the same template files has other
 * definitions, so the same ruleset interprets every rule for it.  Both
 * reports get the same generated values, including zeros, negatives and
 * gaps, so arithmetic, cell and omitted-total rules fire, and their
 * findings must be the same, in the same order. */
#include "test_validate_util.h"
#include "test_outputs_common.h"
#include "validate_int.h"

static nb_templates *second_load(void)
{
    char *dir = tu_path(tu_source_dir(), "formats/templates");
    nb_error err;
    nb_error_clear(&err);
    nb_templates *t = nb_templates_load(dir, &err);
    ck_assert_msg(t != NULL, "templates: %s", err.text);
    free(dir);
    return t;
}

/* Report k on templates t: variant v of every table, the generated values,
 * then every seventh cell unknown and every eleventh a blank total. */
static nb_report *gen(const nb_templates *t, int k, size_t v)
{
    nb_report *r = nb_report_new(t);
    ck_assert_ptr_nonnull(r);
    nb_set_str(&r->agency, "示例县人民政府");
    r->year = 2021 + k % 3;
    for (size_t i = 0; i < nb_templates_table_count(t); i++) {
        const char *name = nb_templates_table_name(t, i);
        const nb_table_def *defs[8];
        size_t n = nb_templates_variants(t, name, defs, 8);
        ck_assert_uint_gt(n, 0);
        to_fill_table(r, name, defs[v % n], k);
        nb_table *tab = nb_report_table(r, name);
        for (size_t j = 0; j < defs[v % n]->nfields; j++) {
            if ((j + (size_t)k) % 7 == 0)
                nb_cell_clear(&tab->cells[j]);
            else if ((j + (size_t)k) % 11 == 0)
                nb_cell_set(r, &tab->cells[j], NB_CELL_BLANK, nb_num_int(0), NULL, 1, 1);
        }
    }
    nb_report_derive(r);
    nb_report_update_template(r);
    return r;
}

static void assert_same_diag(const nb_diag *a, const nb_diag *b, int k, size_t i)
{
    ck_assert_msg(nb_streq(a->rule, b->rule) && a->severity == b->severity && a->skipped == b->skipped &&
                      nb_streq(a->where, b->where) && nb_streq(a->expected, b->expected) &&
                      nb_streq(a->found, b->found) && nb_streq(a->message, b->message),
                  "report %d finding %zu: compiled %s %s \"%s\", interpreted %s %s \"%s\"", k, i,
                  a->rule, a->where, a->message, b->rule, b->where, b->message);
}

START_TEST(compiled_rules_find_what_interpreted_rules_find)
{
    nb_templates *other = second_load();
    size_t total = 0;
    for (int k = 0; k < 24; k++) {
        nb_report *own = gen(tu_templates(), k, (size_t)k);
        nb_report *foreign = gen(other, k, (size_t)k);
        nb_validate(tv_rules(), own);      /* plans */
        nb_validate(tv_rules(), foreign);  /* interpreted: not the ruleset's definitions */
        ck_assert_uint_eq(own->ndiags, foreign->ndiags);
        for (size_t i = 0; i < own->ndiags; i++)
            assert_same_diag(&own->diags[i], &foreign->diags[i], k, i);
        total += own->ndiags;
        nb_report_free(own);
        nb_report_free(foreign);
    }
    ck_assert_uint_gt(total, 100); /* the values really break rules */
    nb_templates_free(other);
}
END_TEST

/* A rule's table is named by the templates' own string, so the lookups
 * per report compare pointers; the foreign report above takes the path
 * by name and finds the same. */
/* Every row's parts known and positive, its total in each status in turn
 * (printed, blank, derived, unknown, ambiguous): the omitted-total rule's
 * short cut for a printed total must leave the same findings. */
static void totals_in_every_status(nb_report *r, int k)
{
    nb_table *t = nb_report_table(r, "requests");
    for (size_t j = 0; t && t->def && j < t->def->nfields; j++) {
        const nb_field_def *f = &t->def->fields[j];
        if (f->type == NB_TYPE_UNIT)
            continue;
        size_t n = strlen(f->path);
        if (n < 6 || strcmp(f->path + n - 6, ".total") != 0) {
            nb_cell_set(r, &t->cells[j], NB_CELL_OK, nb_num_int((long)(j % 5) + 1), NULL, 1, 1);
            continue;
        }
        static const nb_cell_status st[] = {NB_CELL_OK, NB_CELL_BLANK, NB_CELL_DERIVED, NB_CELL_MISSING,
                                            NB_CELL_AMBIGUOUS};
        nb_cell_set(r, &t->cells[j], st[(f->row + (size_t)k) % 5], nb_num_int(3), NULL, 1, 1);
    }
}

START_TEST(omitted_totals_compiled_as_interpreted)
{
    nb_templates *other = second_load();
    size_t omitted = 0;
    for (int k = 0; k < 10; k++) {
        nb_report *own = gen(tu_templates(), k, (size_t)k);
        nb_report *foreign = gen(other, k, (size_t)k);
        totals_in_every_status(own, k);
        totals_in_every_status(foreign, k);
        nb_validate(tv_rules(), own);
        nb_validate(tv_rules(), foreign);
        ck_assert_uint_eq(own->ndiags, foreign->ndiags);
        for (size_t i = 0; i < own->ndiags; i++) {
            assert_same_diag(&own->diags[i], &foreign->diags[i], k, i);
            omitted += strstr(own->diags[i].rule, "-OMITTED") != NULL;
        }
        nb_report_free(own);
        nb_report_free(foreign);
    }
    ck_assert_uint_gt(omitted, 5); /* blank and derived totals were found */
    nb_templates_free(other);
}
END_TEST

/* Every number cell of every table in turn whole, negative, a decimal,
 * a decimal that is whole (2.0), huge, or unknown: the values rules'
 * compiled walk must find what the interpreted one finds. */
static void values_of_every_kind(nb_report *r, int k)
{
    static const nb_num kinds[] = {{7, 0}, {-3, 0}, {15, 1}, {20, 1}, {(int64_t)1 << 50, 0}, {0, 0}};
    for (size_t i = 0; i < nb_templates_table_count(r->templates); i++) {
        nb_table *t = &r->tables[i];
        for (size_t j = 0; t->def && j < t->def->nfields; j++) {
            if (t->def->fields[j].type == NB_TYPE_UNIT)
                continue;
            size_t c = (j + (size_t)k) % 6;
            if (c == 5)
                nb_cell_clear(&t->cells[j]);
            else
                nb_cell_set(r, &t->cells[j], NB_CELL_OK, kinds[c], NULL, 1, 1);
        }
    }
}

START_TEST(values_rules_compiled_as_interpreted)
{
    nb_templates *other = second_load();
    size_t values = 0;
    for (int k = 0; k < 12; k++) {
        nb_report *own = gen(tu_templates(), k, (size_t)k);
        nb_report *foreign = gen(other, k, (size_t)k);
        values_of_every_kind(own, k);
        values_of_every_kind(foreign, k);
        nb_validate(tv_rules(), own);
        nb_validate(tv_rules(), foreign);
        ck_assert_uint_eq(own->ndiags, foreign->ndiags);
        for (size_t i = 0; i < own->ndiags; i++) {
            assert_same_diag(&own->diags[i], &foreign->diags[i], k, i);
            values += strstr(own->diags[i].rule, "-INT") != NULL;
        }
        nb_report_free(own);
        nb_report_free(foreign);
    }
    ck_assert_uint_gt(values, 50); /* negatives and decimals were found */
    nb_templates_free(other);
}
END_TEST

START_TEST(rule_tables_are_the_templates_names)
{
    const nb_ruleset *rs = tv_rules();
    size_t named = 0;
    for (size_t i = 0; i < rs->n; i++) {
        const char *t = rs->rules[i].table;
        if (!t)
            continue;
        bool own = false;
        for (size_t k = 0; k < nb_templates_table_count(tu_templates()); k++)
            own = own || t == nb_templates_table_name(tu_templates(), k);
        ck_assert_msg(own, "rule %s: table %s", rs->rules[i].id, t);
        named++;
    }
    ck_assert_uint_gt(named, 10);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("validate_plan");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, compiled_rules_find_what_interpreted_rules_find);
    tcase_add_test(tc, omitted_totals_compiled_as_interpreted);
    tcase_add_test(tc, values_rules_compiled_as_interpreted);
    tcase_add_test(tc, rule_tables_are_the_templates_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
