/* test_access.c - the ABI 2 accessors: a report built and read only
 * through functions (values by key path, tables, rows, cells, sections,
 * sources, diagnostics, facts, JSON text), documents, errors, items, and
 * the NULL / out-of-range answers every accessor promises. */
#include "testutil.h"
#include "report_internal.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PATH "requests.new_received.natural_person"

static nb_report *new_requests_report(void)
{
    const nb_templates *t = tu_templates();
    ck_assert_ptr_nonnull(t);
    nb_report *r = nb_report_new(t);
    ck_assert_ptr_nonnull(r);
    nb_error err;
    nb_error_clear(&err);
    const nb_table_def *def = nb_templates_table(t, "requests", "gb2021");
    ck_assert_ptr_nonnull(def);
    ck_assert_int_eq(nb_report_set_variant(r, "requests", def, &err), NB_OK);
    return r;
}

static void *first_row(void *table)
{
    return (void *)nb_table_row_at(table, 0);
}

/* A table's rows are made on first use: the same rows for every reader
 * (two threads asking at once included), each pointing at its table, and
 * made again for the variant set next. */
START_TEST(rows_made_once_on_first_use)
{
    const char *variants[] = {"gb2021", "gb2019", "gb2021"};
    nb_report *r = new_requests_report();
    const nb_table *t = nb_report_table_c(r, "requests");
    for (size_t v = 0; v < 3; v++) {
        nb_error err;
        nb_error_clear(&err);
        const nb_table_def *def = nb_templates_table(tu_templates(), "requests", variants[v]);
        ck_assert_ptr_nonnull(def);
        ck_assert_int_eq(nb_report_set_variant(r, "requests", def, &err), NB_OK);
        pthread_t th[2];
        void *got[2];
        for (int i = 0; i < 2; i++)
            ck_assert_int_eq(pthread_create(&th[i], NULL, first_row, (void *)t), 0);
        for (int i = 0; i < 2; i++)
            ck_assert_int_eq(pthread_join(th[i], &got[i]), 0);
        ck_assert_ptr_nonnull(got[0]);
        ck_assert_ptr_eq(got[0], got[1]);
        ck_assert_ptr_eq(got[0], nb_table_row_at(t, 0));
        nb_table built = {.def = def};
        ck_assert(nb_table_build_rows(&built));
        ck_assert_uint_eq(nb_table_row_count(t), built.nrows);
        for (size_t k = 0; k < built.nrows; k++) {
            const nb_row *row = nb_table_row_at(t, k);
            ck_assert_ptr_eq(row->table, t);
            ck_assert_uint_eq(row->row, built.rows[k].row);
            ck_assert_uint_eq(row->first, built.rows[k].first);
            ck_assert_uint_eq(row->n, built.rows[k].n);
        }
        free(built.rows);
    }
    nb_report_free(r);
}
END_TEST

START_TEST(values_by_key_path)
{
    nb_report *r = new_requests_report();
    nb_error err;
    nb_error_clear(&err);
    nb_num v;
    ck_assert(!nb_report_get_num(r, PATH, &v)); /* MISSING: null */
    ck_assert_int_eq(nb_report_set_num(r, PATH, NB_CELL_OK, nb_num_int(42), "42", 17, 2, &err), NB_OK);
    ck_assert(nb_report_get_num(r, PATH, &v));
    ck_assert_int_eq(nb_num_cmp(v, nb_num_int(42)), 0);
    const nb_cell *c = nb_report_cell_c(r, PATH);
    ck_assert_int_eq(nb_cell_get_status(c), NB_CELL_OK);
    ck_assert_str_eq(nb_cell_raw(c), "42");
    ck_assert_int_eq(nb_cell_line(c), 17);
    ck_assert_int_eq(nb_cell_column(c), 2);
    /* ambiguous stores null whatever number is passed */
    ck_assert_int_eq(nb_report_set_num(r, PATH, NB_CELL_AMBIGUOUS, nb_num_int(7), "7", 1, 0, &err), NB_OK);
    ck_assert(!nb_report_get_num(r, PATH, &v));
    ck_assert(!nb_cell_has_value(nb_report_cell_c(r, PATH)));
    /* a path outside the variant is refused with a message naming it */
    ck_assert_int_eq(nb_report_set_num(r, "requests.no_such_row.total", NB_CELL_OK, nb_num_int(1),
                                       NULL, 0, -1, &err), NB_FAILED);
    ck_assert_ptr_nonnull(strstr(nb_error_message(&err), "no_such_row"));
    ck_assert_int_eq(nb_report_set_num(r, "appeals.x.y", NB_CELL_OK, nb_num_int(1), NULL, 0, -1, &err),
                     NB_FAILED); /* table not read yet */
    nb_report_free(r);
}
END_TEST

START_TEST(tables_rows_cells_iterate)
{
    nb_report *r = new_requests_report();
    size_t nt = nb_report_table_count(r), found = 0;
    ck_assert_uint_eq(nt, nb_templates_table_count(tu_templates()));
    for (size_t i = 0; i < nt; i++) {
        const nb_table *t = nb_report_table_at(r, i);
        ck_assert_str_eq(nb_table_name(t), nb_templates_table_name(tu_templates(), i));
        if (!nb_table_found(t)) {
            ck_assert_uint_eq(nb_table_cell_count(t), 0);
            ck_assert_ptr_null(nb_table_variant(t));
            continue;
        }
        found++;
        ck_assert_str_eq(nb_table_variant(t), "gb2021");
        /* the rows cover every cell exactly once, in field order */
        size_t seen = 0;
        for (size_t k = 0; k < nb_table_row_count(t); k++) {
            const nb_row *row = nb_table_row_at(t, k);
            ck_assert_ptr_eq(nb_row_table(row), t);
            ck_assert_ptr_nonnull(nb_row_key(row));
            ck_assert_ptr_nonnull(nb_row_label(row));
            for (size_t j = 0; j < nb_row_cell_count(row); j++, seen++) {
                ck_assert_ptr_eq(nb_row_cell_at(row, j), nb_table_cell_at(t, seen));
                const nb_field_def *f = nb_row_field_at(row, j);
                ck_assert_ptr_eq(f, nb_table_field_at(t, seen));
                /* field paths are table.row.column */
                char prefix[256];
                snprintf(prefix, sizeof prefix, "%s.%s.", nb_table_name(t), nb_row_key(row));
                ck_assert_msg(strncmp(nb_field_path(f), prefix, strlen(prefix)) == 0, "%s under %s",
                              nb_field_path(f), prefix);
            }
            ck_assert_ptr_null(nb_row_cell_at(row, nb_row_cell_count(row)));
        }
        ck_assert_uint_eq(seen, nb_table_cell_count(t));
        ck_assert_uint_eq(seen, nb_table_def_field_count(nb_table_definition(t)));
    }
    ck_assert_uint_eq(found, 1);
    ck_assert_ptr_null(nb_report_table_at(r, nt));
    nb_report_free(r);
}
END_TEST

START_TEST(metadata_sections_source)
{
    nb_report *r = new_requests_report();
    nb_error err;
    nb_error_clear(&err);
    nb_report_set_agency(r, "青河县市场监督管理局");
    nb_report_set_year(r, 2023);
    nb_report_set_published(r, "2024-01-20");
    ck_assert_str_eq(nb_report_agency(r), "青河县市场监督管理局");
    ck_assert_int_eq(nb_report_year(r), 2023);
    ck_assert_str_eq(nb_report_published(r), "2024-01-20");
    ck_assert_int_eq(nb_report_section_count(r), 6);
    ck_assert_int_eq(nb_report_set_section(r, 2, "主动公开政府信息情况", "正文", 9, &err), NB_OK);
    ck_assert_str_eq(nb_report_section_title(r, 2), "主动公开政府信息情况");
    ck_assert_int_eq(nb_report_section_line(r, 2), 9);
    ck_assert_ptr_null(nb_report_section_text(r, 1));
    ck_assert_int_eq(nb_report_set_section(r, 7, "x", NULL, 0, &err), NB_FAILED);
    ck_assert_ptr_null(nb_report_section_title(r, 0));
    nb_report_set_source(r, "a.zip!/b.txt", "txt", "GB18030", 1234, "not-a-hash");
    ck_assert_str_eq(nb_report_source_path(r), "a.zip!/b.txt");
    ck_assert_str_eq(nb_report_source_encoding(r), "GB18030");
    ck_assert_uint_eq(nb_report_source_bytes(r), 1234);
    ck_assert_str_eq(nb_report_source_sha256(r), "");
    nb_report_set_source(r, NULL, NULL, NULL, 1, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    ck_assert_str_eq(nb_report_source_format(r), "txt"); /* NULL left it */
    ck_assert_uint_eq(strlen(nb_report_source_sha256(r)), 64);
    nb_report_set_fact(r, "other_matters.fee", "0");
    ck_assert_uint_eq(nb_report_fact_count(r), 1);
    ck_assert_str_eq(nb_report_fact_key(r, 0), "other_matters.fee");
    ck_assert_str_eq(nb_report_fact_value(r, 0), "0");
    nb_report_add_diag(r, "R-X", NB_SEV_ERROR, false, PATH, "1", "2", "sum %d", 3);
    ck_assert_uint_eq(nb_report_diag_count(r), 1);
    const nb_diag *d = nb_report_diag_at(r, 0);
    ck_assert_str_eq(nb_diag_rule(d), "R-X");
    ck_assert_int_eq(nb_diag_severity(d), NB_SEV_ERROR);
    ck_assert_str_eq(nb_diag_message(d), "sum 3");
    ck_assert_str_eq(nb_diag_expected(d), "1");
    ck_assert_ptr_null(nb_report_diag_at(r, 1));
    nb_report_free(r);
}
END_TEST

START_TEST(json_text_round_trip)
{
    nb_report *r = new_requests_report();
    nb_error err;
    nb_error_clear(&err);
    ck_assert_int_eq(nb_report_set_num(r, PATH, NB_CELL_OK, nb_num_int(5), "5", 3, 1, &err), NB_OK);
    nb_report_set_agency(r, "白露镇人民政府");
    char *pretty = nb_report_to_json_text(r, NB_JSON_PROVENANCE);
    char *compact = nb_report_to_json_text(r, NB_JSON_PROVENANCE | NB_JSON_COMPACT);
    ck_assert_ptr_nonnull(pretty);
    ck_assert_ptr_null(strchr(compact, '\n'));
    ck_assert_ptr_nonnull(strchr(pretty, '\n'));
    nb_report *back = nb_report_from_json_text(tu_templates(), compact, strlen(compact), &err);
    ck_assert_msg(back != NULL, "%s", nb_error_message(&err));
    char *again = nb_report_to_json_text(back, NB_JSON_PROVENANCE | NB_JSON_COMPACT);
    ck_assert_str_eq(again, compact);
    ck_assert_int_eq(nb_cell_line(nb_report_cell_c(back, PATH)), 3);
    ck_assert_ptr_null(nb_report_from_json_text(tu_templates(), "{\"schema\":", 10, &err));
    ck_assert_int_eq(nb_error_class(&err), NB_E_DATA);
    ck_assert_ptr_null(nb_report_from_json_text(tu_templates(), "[1]", 3, &err));
    nb_free(pretty);
    nb_free(compact);
    nb_free(again);
    nb_report_free(back);
    nb_report_free(r);
}
END_TEST

START_TEST(documents_errors_items)
{
    nb_doc *d = nb_doc_new("x.txt");
    const char *cells[] = {"一、本年新收", "3", ""};
    ck_assert_int_eq(nb_doc_add(d, NB_LINE_ROW, 0, 4, cells, 3), NB_OK);
    ck_assert_int_eq(nb_doc_add_text(d, NB_LINE_HEADING, 2, 5, "标题xyz", 6), NB_OK);
    nb_doc_set_encoding(d, "UTF-8");
    ck_assert_str_eq(nb_doc_name(d), "x.txt");
    ck_assert_str_eq(nb_doc_encoding(d), "UTF-8");
    ck_assert_uint_eq(nb_doc_line_count(d), 2);
    ck_assert_int_eq(nb_doc_line_kind(d, 0), NB_LINE_ROW);
    ck_assert_uint_eq(nb_doc_cell_count(d, 0), 3);
    ck_assert_str_eq(nb_doc_cell(d, 0, 2), "");
    ck_assert_str_eq(nb_doc_cell(d, 1, 0), "标题");
    ck_assert_int_eq(nb_doc_line_level(d, 1), 2);
    ck_assert_int_eq(nb_doc_line_number(d, 1), 5);
    ck_assert_ptr_null(nb_doc_cell(d, 0, 3));
    ck_assert_ptr_null(nb_doc_cell(d, 2, 0));

    nb_error e, copy;
    nb_error_clear(&e);
    ck_assert(!nb_error_is_set(&e));
    ck_assert_str_eq(nb_error_where(&e), "");
    nb_error_set(&e, NB_E_IO, "a.txt", "cannot read %d bytes", 9);
    nb_error_copy(&copy, &e);
    ck_assert(nb_error_is_set(&copy));
    ck_assert_int_eq(nb_error_class(&copy), NB_E_IO);
    ck_assert_str_eq(nb_error_where(&copy), "a.txt");
    ck_assert_str_eq(nb_error_message(&copy), "cannot read 9 bytes");

    nb_item it;
    memset(&it, 0xff, sizeof it);
    nb_item_set_doc(&it, d);
    ck_assert_int_eq(it.kind, NB_ITEM_DOC);
    ck_assert_ptr_eq(it.doc, d);
    ck_assert_ptr_null(it.name);
    nb_item_set_skip(&it, "m.png", "image");
    ck_assert_int_eq(it.kind, NB_ITEM_SKIP);
    ck_assert_ptr_null(it.doc); /* a stale pointer never survives a set */
    ck_assert_str_eq(it.reason, "image");
    nb_doc_free(d);
}
END_TEST

START_TEST(null_handles_are_absent)
{
    nb_num v = nb_num_int(9);
    ck_assert_ptr_null(nb_report_agency(NULL));
    ck_assert_int_eq(nb_report_year(NULL), 0);
    ck_assert_uint_eq(nb_report_table_count(NULL), 0);
    ck_assert_ptr_null(nb_table_name(NULL));
    ck_assert(!nb_table_found(NULL));
    ck_assert_uint_eq(nb_table_row_count(NULL), 0);
    ck_assert_ptr_null(nb_row_key(NULL));
    ck_assert_int_eq(nb_cell_get_status(NULL), NB_CELL_MISSING);
    ck_assert(!nb_cell_get_num(NULL, &v));
    ck_assert_int_eq(nb_num_cmp(v, nb_num_int(0)), 0);
    ck_assert_int_eq(nb_cell_column(NULL), -1);
    ck_assert(!nb_report_get_num(NULL, PATH, &v));
    ck_assert_ptr_null(nb_diag_rule(NULL));
    ck_assert_uint_eq(nb_doc_line_count(NULL), 0);
    ck_assert_ptr_null(nb_report_to_json_text(NULL, 0));
    ck_assert_uint_eq(nb_summary_count(NULL, NB_SUM_FAILED), 0);
    ck_assert_ptr_null(nb_failure_source(NULL));
    ck_assert_ptr_null(nb_host_templates(NULL));
    nb_host_log(NULL, "x", "y"); /* no crash */
}
END_TEST

static Suite *access_suite(void)
{
    Suite *s = suite_create("access");
    TCase *tc = tcase_create("accessors");
    tcase_add_test(tc, values_by_key_path);
    tcase_add_test(tc, tables_rows_cells_iterate);
    tcase_add_test(tc, rows_made_once_on_first_use);
    tcase_add_test(tc, metadata_sections_source);
    tcase_add_test(tc, json_text_round_trip);
    tcase_add_test(tc, documents_errors_items);
    tcase_add_test(tc, null_handles_are_absent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(access_suite()); }
