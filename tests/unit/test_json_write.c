/* test_json_write.c - the direct JSON writer (report_json_write.c) gives
 * the bytes jansson gives for the same report: against the tree form
 * (nb_report_to_json + json_dumps) and against a parse-and-dump round trip,
 * for every flag combination, over generated reports, the reports of
 * tests/cases, odd strings (control characters, quotes, backslashes,
 * slashes, astral characters, invalid UTF-8), empty tables and failures. */
#include "test_outputs_common.h"
#include <glob.h>

static const unsigned flag_sets[] = {
    0, NB_JSON_COMPACT, NB_JSON_PROVENANCE, NB_JSON_PROVENANCE | NB_JSON_COMPACT,
    NB_JSON_NO_SECTIONS, NB_JSON_NO_SECTIONS | NB_JSON_PROVENANCE | NB_JSON_COMPACT};

static char *tree_text(const nb_report *r, unsigned flags)
{
    json_t *j = nb_report_to_json(r, flags);
    char *s = json_dumps(j, nb_json_dump_flags(flags & NB_JSON_COMPACT));
    json_decref(j);
    return s;
}

/* A number as jansson dumps its double: 15 significant digits. */
static double as_dumped(double x)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", x);
    return strtod(buf, NULL);
}

/* Whether two JSON texts are the same bytes but for how their numbers
 * are written (12.50 and 12.5; 123456789012345.678 and 123456789012346):
 * the tree holds doubles, dumped to 15 digits, the direct writer a
 * decimal's digits.  Strings, escapes, keys and layout must match. */
static bool same_but_numbers(const char *a, const char *b)
{
    bool in_str = false;
    while (*a && *b) {
        bool num_a = *a == '-' || (*a >= '0' && *a <= '9'), num_b = *b == '-' || (*b >= '0' && *b <= '9');
        if (!in_str && num_a && num_b) {
            char *ea, *eb;
            double x = strtod(a, &ea), y = strtod(b, &eb);
            if (as_dumped(x) != as_dumped(y))
                return false;
            a = ea;
            b = eb;
            continue;
        }
        if (*a != *b)
            return false;
        if (in_str && *a == '\\') { /* the escaped byte is compared next, never ends the string */
            a++;
            b++;
            if (*a != *b || !*a)
                return false;
        } else if (*a == '"') {
            in_str = !in_str;
        }
        a++;
        b++;
    }
    return *a == *b;
}

/* json_loads then json_dumps with the same flags must give the text back,
 * but for the digits of decimals. */
static void assert_round_trip(const char *text, unsigned flags, const char *what)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    ck_assert_msg(j, "%s: writer output is not JSON: %s", what, je.text);
    char *again = json_dumps(j, nb_json_dump_flags(flags & NB_JSON_COMPACT));
    ck_assert_msg(same_but_numbers(again, text), "%s (flags %u): round trip differs", what, flags);
    free(again);
    json_decref(j);
}

static void assert_same_as_jansson(const nb_report *r, const char *what)
{
    for (size_t i = 0; i < sizeof flag_sets / sizeof *flag_sets; i++) {
        char *direct = nb_report_to_json_text(r, flag_sets[i]);
        char *tree = tree_text(r, flag_sets[i]);
        ck_assert_ptr_nonnull(direct);
        ck_assert_ptr_nonnull(tree);
        ck_assert_msg(same_but_numbers(direct, tree), "%s (flags %u): direct writer differs from jansson",
                      what, flag_sets[i]);
        assert_round_trip(direct, flag_sets[i], what);
        nb_free(direct);
        free(tree);
    }
}

START_TEST(generated_reports)
{
    for (int k = 0; k < TO_NGEN; k++) {
        nb_report *r = to_gen_report(k);
        assert_same_as_jansson(r, "generated report");
        nb_report_free(r);
    }
}
END_TEST

static void check_case_file(const char *path)
{
    size_t len;
    char *text = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(text);
    nb_error err;
    nb_report *r = tu_recognise_text(text, &err);
    if (r) {
        assert_same_as_jansson(r, path);
        nb_report_free(r);
    }
    free(text);
}

START_TEST(case_reports)
{
    char *pat = tu_path(tu_source_dir(), "tests/cases/*/input.*");
    glob_t g;
    ck_assert_int_eq(glob(pat, 0, NULL, &g), 0);
    ck_assert_uint_gt(g.gl_pathc, 5);
    for (size_t i = 0; i < g.gl_pathc; i++)
        check_case_file(g.gl_pathv[i]);
    globfree(&g);
    free(pat);
}
END_TEST

#define ODD "ctl\x01\x1f tab\t nl\n cr\r bs\b ff\f del\x7f q\"uote\" back\\slash a/b \xe2\x80\xa8 \xf0\x9f\x98\x80 末"
#define BAD_LEAD "bad\xff"
#define OVERLONG "over\xc0\xaf"
#define SURROGATE "sur\xed\xa0\x80"
#define TRUNCATED "cut\xe4\xb8"

/* Odd but valid strings everywhere a string goes, and invalid UTF-8 in
 * places where jansson drops the member. */
static nb_report *odd_report(void)
{
    nb_report *r = to_gen_report(2);
    nb_set_str(&r->agency, ODD);
    nb_set_str(&r->title, BAD_LEAD);
    nb_set_str(&r->published, OVERLONG);
    nb_set_str(&r->source.path, TRUNCATED); /* refused: "format" comes first */
    nb_set_str(&r->sections[0].title, ODD);
    nb_set_str(&r->sections[1].text, SURROGATE);
    nb_set_str(&r->sections[2].text, "");
    nb_report_set_fact(r, "odd", ODD);
    nb_report_set_fact(r, "bad", TRUNCATED);
    nb_report_set_fact(r, TRUNCATED, "key is bad");
    nb_report_add_diag(r, ODD, NB_SEV_INFO, true, BAD_LEAD, ODD, NULL, "%s", SURROGATE);
    char *vals[] = {ODD, BAD_LEAD, "", "12"};
    nb_report_add_extra(r, "requests", ODD, vals, 4, 7);
    nb_report_add_extra(r, "requests", OVERLONG, vals, 0, 8);
    nb_table *t = nb_report_table(r, "requests");
    for (size_t i = 0; i < t->def->nfields; i++) {
        if (i % 3 == 0)
            nb_cell_set_raw(r, &t->cells[i], i % 2 ? ODD : BAD_LEAD);
        if (t->def->fields[i].type == NB_TYPE_UNIT)
            nb_set_str(&t->cells[i].text, i % 2 ? ODD : TRUNCATED);
    }
    return r;
}

START_TEST(odd_and_invalid_strings)
{
    nb_report *r = odd_report();
    assert_same_as_jansson(r, "odd strings");
    char *s = nb_report_to_json_text(r, NB_JSON_COMPACT);
    /* escapes as jansson writes them; dropped members really are gone */
    ck_assert_ptr_nonnull(strstr(s, "ctl\\u0001\\u001F tab\\t nl\\n cr\\r bs\\b ff\\f del\x7f"));
    ck_assert_ptr_nonnull(strstr(s, "q\\\"uote\\\" back\\\\slash a/b"));
    ck_assert_ptr_null(strstr(s, "\"title\":\"bad"));
    ck_assert_ptr_null(strstr(s, "\"published\""));
    ck_assert_ptr_null(strstr(s, "key is bad"));
    ck_assert_ptr_nonnull(strstr(s, "\"facts\":{\"odd\""));
    nb_free(s);
    nb_report_free(r);
}
END_TEST

/* A refused value in a table without extra rows: the plan's text is taken
 * back and the table written with that member dropped, in every layout,
 * the second time too (the plan is kept on the definition). */
START_TEST(refused_value_in_a_planned_table)
{
    nb_report *r = nb_report_new(tu_templates());
    ck_assert_ptr_nonnull(r);
    const nb_table_def *def = nb_templates_table(tu_templates(), "proactive", "gb2019");
    ck_assert_ptr_nonnull(def);
    nb_error err;
    ck_assert_int_eq(nb_report_set_variant(r, "proactive", def, &err), NB_OK);
    nb_table *t = nb_report_table(r, "proactive");
    size_t unit = def->nfields;
    for (size_t i = 0; i < def->nfields; i++) {
        nb_num n = def->fields[i].type == NB_TYPE_INT ? nb_num_int((int64_t)i) : (nb_num){125 + (int64_t)i, 1};
        if (def->fields[i].type == NB_TYPE_UNIT && unit == def->nfields)
            unit = i;
        else if (def->fields[i].type != NB_TYPE_UNIT) /* some listed: blank, derived */
            nb_cell_set(r, &t->cells[i], i % 3 == 1 ? NB_CELL_BLANK : i % 3 == 2 ? NB_CELL_DERIVED : NB_CELL_OK,
                        n, NULL, 1, 1);
    }
    ck_assert_uint_lt(unit, def->nfields);
    assert_same_as_jansson(r, "planned table");
    nb_set_str(&t->cells[unit].text, TRUNCATED);
    assert_same_as_jansson(r, "planned table, refused unit");
    assert_same_as_jansson(r, "planned table, refused unit again");
    char *text = nb_report_to_json_text(r, NB_JSON_COMPACT);
    ck_assert_ptr_null(strstr(text, "\"blank\":[]")); /* the refused table's cells still listed */
    ck_assert_ptr_null(strstr(text, "\"derived\":[]"));
    nb_free(text);
    nb_set_str(&t->cells[unit].text, ODD);
    assert_same_as_jansson(r, "planned table, escaped unit");
    nb_report_free(r);
}
END_TEST

START_TEST(empty_tables_and_cells)
{
    nb_report *r = nb_report_new(tu_templates());
    ck_assert_ptr_nonnull(r);
    assert_same_as_jansson(r, "empty report");
    const nb_table_def *def = nb_templates_table(tu_templates(), "requests", "gb2021");
    nb_error err;
    ck_assert_int_eq(nb_report_set_variant(r, "requests", def, &err), NB_OK);
    assert_same_as_jansson(r, "all cells missing");
    char *s = nb_report_to_json_text(r, NB_JSON_COMPACT | NB_JSON_PROVENANCE);
    ck_assert_ptr_nonnull(strstr(s, "\"blank\":[]"));
    ck_assert_ptr_nonnull(strstr(s, "\"cells\":{}"));
    ck_assert_ptr_nonnull(strstr(s, "\"diagnostics\":[]"));
    nb_free(s);
    nb_report_free(r);
}
END_TEST

START_TEST(failure_records)
{
    nb_failure fs[] = {{"a.zip!/x.png", true, "not a report"}, {NULL, false, NULL},
                       {"b/" ODD, false, BAD_LEAD}};
    for (size_t i = 0; i < sizeof fs / sizeof *fs; i++)
        for (int compact = 0; compact < 2; compact++) {
            char *direct = nb_failure_to_json_text(&fs[i], compact ? NB_JSON_COMPACT : 0);
            json_t *j = nb_failure_to_json(&fs[i]);
            char *tree = json_dumps(j, nb_json_dump_flags(compact));
            ck_assert_str_eq(direct, tree);
            nb_free(direct);
            free(tree);
            json_decref(j);
        }
    ck_assert_ptr_null(nb_failure_to_json_text(NULL, 0));
}
END_TEST

/* A run's finding record: schema, source, then the members a report's
 * diagnostic has, each as jansson writes it (odd strings, a NULL where,
 * the skipped flag); compact and indented. */
START_TEST(finding_records)
{
    nb_report *r = nb_report_new(tu_templates());
    ck_assert_ptr_nonnull(r);
    nb_report_add_diag(r, "R-T2-CARRY-XYEAR", NB_SEV_WARNING, false, "requests.carried_over.total", "0", "2",
                       "%s", ODD);
    nb_report_add_diag(r, ODD, NB_SEV_ERROR, true, NULL, NULL, BAD_LEAD, "%s", "m");
    const char *sources[] = {"年报.zip!/a/2023.txt", NULL};
    for (size_t i = 0; i < r->ndiags; i++)
        for (int compact = 0; compact < 2; compact++) {
            const nb_diag *d = &r->diags[i];
            char *direct = nb_finding_to_json_text(sources[i], d, compact ? NB_JSON_COMPACT : 0);
            json_t *j = json_object();
            json_object_set_new(j, "schema", json_string(NB_FINDING_SCHEMA));
            json_object_set_new(j, "source", json_string(sources[i] ? sources[i] : ""));
            json_object_set_new(j, "rule", json_string(d->rule));
            json_object_set_new(j, "severity", json_string(nb_severity_name(d->severity)));
            if (d->skipped)
                json_object_set_new(j, "skipped", json_true());
            json_object_set_new(j, "where", d->where ? json_string(d->where) : json_null());
            json_object_set_new(j, "expected", d->expected ? json_string(d->expected) : json_null());
            json_object_set_new(j, "found", d->found ? json_string(d->found) : json_null()); /* NULL: invalid UTF-8 */
            json_object_set_new(j, "message", json_string(d->message));
            char *tree = json_dumps(j, nb_json_dump_flags(compact));
            ck_assert_ptr_nonnull(direct);
            ck_assert_str_eq(direct, tree);
            nb_free(direct);
            free(tree);
            json_decref(j);
        }
    ck_assert_ptr_null(nb_finding_to_json_text("x", NULL, 0));
    nb_report_free(r);
}
END_TEST

/* The text amended with findings added after it was made is the text made
 * afresh, for every flag set amend takes, from no findings or some, by one
 * finding or several (odd strings among them). */
static void assert_amends(nb_report *r, const char *what)
{
    static const unsigned amendable[] = {0, NB_JSON_COMPACT, NB_JSON_NO_SECTIONS,
                                         NB_JSON_NO_SECTIONS | NB_JSON_COMPACT};
    for (size_t f = 0; f < sizeof amendable / sizeof *amendable; f++) {
        unsigned flags = amendable[f];
        size_t from = r->ndiags;
        char *before = nb_report_to_json_text(r, flags);
        ck_assert_ptr_nonnull(before);
        nb_report_add_diag(r, "R-X-ONE", NB_SEV_WARNING, false, "requests.new_received.total", "3", "4",
                           "%s", "第一条");
        nb_report_add_diag(r, ODD, NB_SEV_ERROR, true, NULL, NULL, BAD_LEAD, "%s", ODD);
        char *amended = nb_report_json_amend(r, flags, before, from);
        char *fresh = nb_report_to_json_text(r, flags);
        ck_assert_msg(amended && fresh && strcmp(amended, fresh) == 0, "%s (flags %u): amended text differs",
                      what, flags);
        /* by one finding more, from the amended text */
        nb_report_add_diag(r, "R-X-TWO", NB_SEV_INFO, false, "appeals", NULL, NULL, "%s", "m");
        char *again = nb_report_json_amend(r, flags, amended, r->ndiags - 1);
        nb_free(fresh);
        fresh = nb_report_to_json_text(r, flags);
        ck_assert_msg(again && strcmp(again, fresh) == 0, "%s (flags %u): amended twice differs", what, flags);
        nb_free(again);
        nb_free(amended);
        nb_free(fresh);
        nb_free(before);
    }
}

START_TEST(amended_texts_are_fresh_texts)
{
    for (int k = 0; k < TO_NGEN; k++) {
        nb_report *r = to_gen_report(k);
        assert_amends(r, "generated report");
        nb_report_free(r);
    }
    nb_report *r = nb_report_new(tu_templates());
    ck_assert_ptr_nonnull(r);
    assert_amends(r, "empty report");
    nb_report_free(r);
}
END_TEST

/* A text that is not the report's as it was gets NULL (formatted afresh),
 * never a splice into the wrong place. */
START_TEST(amend_refuses_other_texts)
{
    nb_report *r = to_gen_report(1);
    size_t from = r->ndiags;
    char *pretty = nb_report_to_json_text(r, 0), *compact = nb_report_to_json_text(r, NB_JSON_COMPACT);
    nb_report_add_diag(r, "R-X-NEW", NB_SEV_WARNING, false, NULL, NULL, NULL, "%s", "new");
    /* another layout, a stale count of findings, a cut text, provenance */
    ck_assert_ptr_null(nb_report_json_amend(r, NB_JSON_COMPACT, pretty, from));
    ck_assert_ptr_null(nb_report_json_amend(r, 0, compact, from));
    ck_assert_ptr_null(nb_report_json_amend(r, NB_JSON_COMPACT, compact, from + 1));
    ck_assert_ptr_null(nb_report_json_amend(r, NB_JSON_COMPACT, compact + strlen(compact) - 3, from));
    ck_assert_ptr_null(nb_report_json_amend(r, NB_JSON_COMPACT, "", from));
    ck_assert_ptr_null(nb_report_json_amend(r, NB_JSON_PROVENANCE | NB_JSON_COMPACT, compact, from));
    ck_assert_ptr_null(nb_report_json_amend(r, NB_JSON_COMPACT, NULL, from));
    ck_assert_ptr_null(nb_report_json_amend(NULL, NB_JSON_COMPACT, compact, from));
    ck_assert_ptr_null(nb_report_json_amend(r, NB_JSON_COMPACT, compact, r->ndiags + 1));
    nb_free(pretty);
    nb_free(compact);
    nb_report_free(r);
}
END_TEST

/* A new report with the gb2021 requests table, every cell missing. */
static nb_report *requests_report(nb_table **t)
{
    nb_report *r = nb_report_new(tu_templates());
    ck_assert_ptr_nonnull(r);
    const nb_table_def *def = nb_templates_table(tu_templates(), "requests", "gb2021");
    nb_error err;
    ck_assert_int_eq(nb_report_set_variant(r, "requests", def, &err), NB_OK);
    *t = nb_report_table(r, "requests");
    return r;
}

/* Integers are written without printf: the extremes of int64, zero, the
 * powers of ten and their neighbours give jansson's digits. */
START_TEST(extreme_integers)
{
    static const int64_t special[] = {0, 1, -1, 9, 10, 11, -9, -10, 99, 100, INT64_MAX, INT64_MIN,
                                      INT64_MAX - 1, INT64_MIN + 1};
    nb_table *t;
    nb_report *r = requests_report(&t);
    const nb_table_def *def = t->def;
    int64_t p = 1;
    for (size_t j = 0; j < def->nfields; j++) {
        size_t ns = sizeof special / sizeof *special;
        int64_t v = j < ns ? special[j] : (j - ns) % 2 ? -p : p - 1;
        if (j >= ns && (j - ns) % 2 && p <= INT64_MAX / 10)
            p *= 10;
        if (def->fields[j].type != NB_TYPE_UNIT)
            nb_cell_set(r, &t->cells[j], NB_CELL_OK, nb_num_int(v), NULL, 1, 1);
    }
    assert_same_as_jansson(r, "extreme integers");
    char *s = nb_report_to_json_text(r, NB_JSON_COMPACT);
    ck_assert_ptr_nonnull(strstr(s, ":-9223372036854775808"));
    ck_assert_ptr_nonnull(strstr(s, ":9223372036854775807"));
    nb_free(s);
    nb_report_free(r);
}
END_TEST

/* Decimals of every scale (to 18), the edges of 15 significant digits and
 * of 1e-4 (below it jansson writes an exponent), zeros, negatives, and
 * overflowed figures: the same values as jansson's, and their digits
 * (decimal_digits_as_printed). */
START_TEST(scaled_decimals)
{
    static const int64_t mags[] = {0, 1, 5, 9, 10, 99, 100, 1000, 10000, 12345, 99999, 100000,
                                   999999999999999, 1000000000000000, 123456789012345678};
    nb_table *t;
    nb_report *r = requests_report(&t);
    const nb_table_def *def = t->def;
    size_t nm = sizeof mags / sizeof *mags, j = 0;
    for (int pass = 0; pass < 4; pass++) {
        for (size_t f = 0; f < def->nfields; f++) {
            if (def->fields[f].type == NB_TYPE_UNIT)
                continue;
            int scale = (int)(j / (2 * nm)) % 20 - 1; /* -1 (overflowed) to 18 (nb_num_format's limit) */
            int64_t v = mags[j % nm] * (j / nm % 2 ? -1 : 1);
            nb_cell_set(r, &t->cells[f], NB_CELL_OK, (nb_num){v, scale}, NULL, 1, 1);
            j++;
        }
        assert_same_as_jansson(r, "scaled decimals");
    }
    nb_report_free(r);
}
END_TEST

/* The requests table of a new report with one decimal in its first
 * number cell; *cell gets that cell's index. */
static nb_report *one_decimal(nb_num n, size_t *cell)
{
    nb_table *t;
    nb_report *r = requests_report(&t);
    const nb_table_def *def = t->def;
    size_t f = 0;
    while (def->fields[f].type == NB_TYPE_UNIT)
        f++;
    nb_cell_set(r, &t->cells[f], NB_CELL_OK, n, NULL, 1, 1);
    *cell = f;
    return r;
}

/* The value at the first ':' followed by `text` and then ',' or '}'. */
static bool has_value(const char *json, const char *text)
{
    size_t n = strlen(text);
    for (const char *p = strstr(json, text); p; p = strstr(p + 1, text))
        if (p > json && p[-1] == ':' && (p[n] == ',' || p[n] == '}'))
            return true;
    return false;
}

/* A decimal is written as its digits and read back as them: 12.50 stays
 * 12.50 (scale 2), 0.00005 is not 5e-05, 18 digits keep all 18, and
 * the text read back and written again is the same text.  The forms
 * older versions wrote (12.5 for 12.50, 5e-05) still read. */
START_TEST(decimal_digits_as_printed)
{
    static const struct {
        int64_t v;
        int scale;
        const char *text, *old; /* old: as the double went out before */
    } cases[] = {
        {1250, 2, "12.50", "12.5"}, {5, 5, "0.00005", "5e-05"}, {-310, 2, "-3.10", "-3.1"},
        {123456789012345678, 6, "123456789012.345678", NULL}, {0, 3, "0.000", "0.0"},
        {7, 1, "0.7", NULL}, {-1, 9, "-0.000000001", "-1e-09"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t f;
        nb_report *r = one_decimal((nb_num){cases[i].v, cases[i].scale}, &f);
        char *text = nb_report_to_json_text(r, NB_JSON_COMPACT);
        ck_assert_msg(has_value(text, cases[i].text), "%s is not written as its digits", cases[i].text);
        nb_error err;
        nb_report *back = nb_report_from_json_text(tu_templates(), text, strlen(text), &err);
        ck_assert_msg(back, "%s: %s", cases[i].text, err.text);
        nb_num got = nb_report_table(back, "requests")->cells[f].num;
        ck_assert_msg(got.v == cases[i].v && got.scale == cases[i].scale, "%s read back as %lld scale %d",
                      cases[i].text, (long long)got.v, got.scale);
        char *again = nb_report_to_json_text(back, NB_JSON_COMPACT);
        ck_assert_str_eq(again, text);
        if (cases[i].old) { /* the same record as an older version wrote it */
            char *p = strstr(text, cases[i].text), *old = NULL;
            ck_assert_int_ge(asprintf(&old, "%.*s%s%s", (int)(p - text), text, cases[i].old,
                                      p + strlen(cases[i].text)), 0);
            nb_report *o = nb_report_from_json_text(tu_templates(), old, strlen(old), &err);
            ck_assert_msg(o, "%s: %s", old, err.text);
            nb_num on = nb_report_table(o, "requests")->cells[f].num;
            ck_assert_msg(nb_num_cmp(on, got) == 0, "old form %s read as another value", cases[i].old);
            nb_report_free(o);
            free(old);
        }
        nb_free(again);
        nb_report_free(back);
        nb_free(text);
        nb_report_free(r);
    }
}
END_TEST

/* A table named like a member every report has would write that member
 * twice: the template is refused at load instead, naming the table. */
START_TEST(table_named_like_a_report_member_is_refused)
{
    static const char *const taken[] = {"source", "blank", "diagnostics", "cells"};
    char *src = tu_path(tu_source_dir(), "formats/templates/gb2021.json");
    size_t len;
    char *text = tu_read_file(src, &len);
    free(src);
    ck_assert_ptr_nonnull(text);
    const char *from = "\"name\": \"proactive\"";
    char *at = strstr(text, from);
    ck_assert_ptr_nonnull(at);
    for (size_t i = 0; i < sizeof taken / sizeof *taken; i++) {
        char *edited = nb_strfmt("%.*s\"name\": \"%s\"%s", (int)(at - text), text, taken[i], at + strlen(from));
        char *dir = tu_tempdir();
        char *path = tu_path(dir, "t.json");
        ck_assert_int_eq(tu_write_file(path, edited, strlen(edited)), 0);
        nb_error err;
        nb_error_clear(&err);
        nb_templates *t = nb_templates_load_file(path, &err);
        ck_assert_ptr_null(t);
        ck_assert_msg(strstr(err.text, taken[i]) && strstr(err.text, "taken"), "%s", err.text);
        free(path);
        tu_rmrf(dir);
        free(dir);
        free(edited);
    }
    free(text);
}
END_TEST

/* The blank/na/... lists from the statuses the tables note as they are
 * written (report_json_write.c's table_marks): every status in every cell
 * at random, in planned tables, tables with extra rows (the cached
 * nesting) and tables with a refused unit (their own nesting). */
START_TEST(status_lists_of_random_statuses)
{
    unsigned seed = 1313;
    for (int k = 0; k < 24; k++) {
        nb_report *r = to_gen_report(k);
        for (size_t i = 0; i < r->ntables; i++) {
            nb_table *t = &r->tables[i];
            for (size_t j = 0; t->def && j < t->def->nfields; j++)
                t->cells[j].status = (nb_cell_status)(tu_rand(&seed) % 7);
        }
        char *vals[] = {"1", "2"};
        if (k % 3 == 1)
            nb_report_add_extra(r, "requests", "其他", vals, 2, 9);
        nb_table *t = nb_report_table(r, "proactive");
        for (size_t j = 0; k % 3 == 2 && j < t->def->nfields; j++)
            if (t->def->fields[j].type == NB_TYPE_UNIT)
                nb_set_str(&t->cells[j].text, TRUNCATED);
        assert_same_as_jansson(r, "random statuses");
        nb_report_free(r);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("json_write");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, generated_reports);
    tcase_add_test(tc, case_reports);
    tcase_add_test(tc, odd_and_invalid_strings);
    tcase_add_test(tc, empty_tables_and_cells);
    tcase_add_test(tc, refused_value_in_a_planned_table);
    tcase_add_test(tc, status_lists_of_random_statuses);
    tcase_add_test(tc, failure_records);
    tcase_add_test(tc, finding_records);
    tcase_add_test(tc, amended_texts_are_fresh_texts);
    tcase_add_test(tc, amend_refuses_other_texts);
    tcase_add_test(tc, extreme_integers);
    tcase_add_test(tc, scaled_decimals);
    tcase_add_test(tc, decimal_digits_as_printed);
    tcase_add_test(tc, table_named_like_a_report_member_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
