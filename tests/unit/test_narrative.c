/* test_narrative.c - numbers in the narrative as evidence for a glued
 * digit run (recognise_narrative.c): the shipped lexicon's statements
 * narrow the readings of 行政规范性文件 7245 (7|2|45, 7|24|5, 72|4|5) only
 * when the sentence is one the statement describes. */
#include "testutil.h"
#include "model_internal.h"
#include <stdlib.h>
#include <string.h>

static const char TABLE[] = "二、主动公开政府信息情况\n"
                            "%s\n"
                            "第二十条第（一）项\n"
                            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
                            "规章\t0\t0\t0\n"
                            "行政规范性文件\t7245\n";

/* overview: the prose of 一、总体情况; table_prose: a sentence above the table */
static nb_report *recognise(const char *overview, const char *table_prose)
{
    char *tables = nb_strfmt(TABLE, table_prose);
    char *text = nb_strfmt("一、总体情况\n%s\n%s", overview, tables);
    nb_error err;
    nb_error_clear(&err);
    nb_doc *d = nb_doc_new("narrative.txt");
    ck_assert_int_eq(nb_doc_split_text(d, text, strlen(text), NB_SPLIT_TABS), NB_OK);
    nb_doc_set_encoding(d, "UTF-8");
    ck_assert_msg(tu_templates() != NULL, "templates not loaded (run through ctest)");
    nb_report *r = nb_recognise(tu_templates(), d, &err);
    nb_doc_free(d);
    free(text);
    free(tables);
    ck_assert_msg(r != NULL, "not recognised: %s", err.text);
    return r;
}


/* sentence of the overview; the issued cell it must leave (0: undecided) */
static const struct {
    const char *overview;
    long issued;
} CASES[] = {
    {"本年制发行政规范性文件7件。", 7},
    {"本年制发行政规范性文件 72 件，均已备案。", 72},
    {"制发规范性文件共计约有7件。", 7},          /* four characters between: still the statement */
    {"制发规范性文件的数量合计为7件。", 0},      /* too far from its words */
    {"制发工作有序，规范性文件7件。", 0},        /* the words in another clause */
    {"规范性文件制发7件。", 0},                   /* the words out of order */
    {"本年制发行政规范性文件7份。", 0},          /* no unit of the lexicon */
    {"本年制发行政规范性文件9件。", 0},          /* no reading gives 9 */
    {"制发规范性文件7件。另制发规范性文件72件。", 0}, /* two numbers: no evidence */
    {"制发规范性文件7件。另制发规范性文件7件。", 7},  /* the same number twice */
};

START_TEST(statement_narrows_readings)
{
    nb_report *r = recognise(CASES[_i].overview, "");
    const nb_cell *c = nb_report_cell_c(r, "proactive.normative_docs.issued");
    ck_assert_ptr_nonnull(c);
    if (CASES[_i].issued) {
        ck_assert_msg(c->status == NB_CELL_INFERRED && c->num.v == CASES[_i].issued, "%s: want %ld",
                      CASES[_i].overview, CASES[_i].issued);
        ck_assert_uint_ge(tu_count_diags(r, "PARSE-NARRATIVE-DECIDED"), 1);
    } else {
        ck_assert_msg(c->status == NB_CELL_AMBIGUOUS, "%s: left undecided", CASES[_i].overview);
        ck_assert_uint_eq(tu_count_diags(r, "PARSE-NARRATIVE-DECIDED"), 0);
    }
    nb_report_free(r);
}
END_TEST

/* Two statements together leave one reading: every cell is set. */
START_TEST(two_statements_settle_the_row)
{
    nb_report *r = recognise("本年制发行政规范性文件7件，现行有效规范性文件45件。", "");
    const char *paths[] = {"proactive.normative_docs.issued", "proactive.normative_docs.repealed",
                           "proactive.normative_docs.in_force"};
    const long want[] = {7, 2, 45};
    for (size_t i = 0; i < 3; i++) {
        const nb_cell *c = nb_report_cell_c(r, paths[i]);
        ck_assert(c && c->status == NB_CELL_INFERRED && c->num.v == want[i]);
    }
    ck_assert_uint_eq(tu_count_diags(r, "PARSE-NARRATIVE-DECIDED"), 3);
    nb_report_free(r);
}
END_TEST

/* The prose of a table's own section is not narrative evidence. */
START_TEST(table_section_prose_is_no_evidence)
{
    nb_report *r = recognise("本年工作有序开展。", "本年制发行政规范性文件7件。");
    const nb_cell *c = nb_report_cell_c(r, "proactive.normative_docs.issued");
    ck_assert(c && c->status == NB_CELL_AMBIGUOUS);
    nb_report_free(r);
}
END_TEST

static Suite *narrative_suite(void)
{
    Suite *s = suite_create("narrative");
    TCase *tc = tcase_create("narrative");
    tcase_add_loop_test(tc, statement_narrows_readings, 0, (int)(sizeof CASES / sizeof *CASES));
    tcase_add_test(tc, two_statements_settle_the_row);
    tcase_add_test(tc, table_section_prose_is_no_evidence);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(narrative_suite()); }
