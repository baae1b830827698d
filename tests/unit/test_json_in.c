/* test_json_in.c - the json and ndjson inputs: nianbao's own JSON read
 * back losslessly (NDJSON -> NDJSON identical text, JSON array -> same
 * NDJSON), failure records forwarded, a broken record counted without
 * losing the others, and stdin -> stdout chaining through the CLI. */
#include "test_outputs_common.h"

typedef struct fixture {
    char *dir;
    char *in;
    nb_report *r[TO_NGEN];
} fixture;

static fixture fx;

static void setup(void)
{
    fx.dir = tu_tempdir();
    for (int k = 0; k < TO_NGEN; k++)
        fx.r[k] = to_gen_report(k);
    fx.in = to_write_ndjson(fx.dir, "gen.ndjson", fx.r, TO_NGEN);
}

static void teardown(void)
{
    for (int k = 0; k < TO_NGEN; k++)
        nb_report_free(fx.r[k]);
    tu_rmrf(fx.dir);
    free(fx.dir);
    free(fx.in);
    memset(&fx, 0, sizeof fx);
}

static char *pass(const char *in, const char *from, const char *to, const char *name,
                  nb_summary *sum)
{
    char *out = tu_path(fx.dir, name);
    nb_error err;
    nb_status st = to_run(in, from, to, out, NULL, sum, &err);
    ck_assert_msg(st == NB_OK, "run %s -> %s: %s: %s", from, to, err.where, err.text);
    return out;
}

static char *slurp(const char *path)
{
    char *s = tu_read_file(path, NULL);
    ck_assert_msg(s != NULL, "cannot read %s", path);
    return s;
}

START_TEST(ndjson_round_trip_is_identical)
{
    nb_summary sum;
    char *a = pass(fx.in, "ndjson", "ndjson", "a.ndjson", &sum);
    ck_assert_uint_eq(sum.converted, TO_NGEN);
    char *b = pass(a, "ndjson", "ndjson", "b.ndjson", NULL);
    char *ta = slurp(a), *tb = slurp(b), *t0 = slurp(fx.in);
    ck_assert_str_eq(ta, tb);
    ck_assert_str_eq(ta, t0);  /* and the same as the core's own dump */
    free(ta);
    free(tb);
    free(t0);
    free(a);
    free(b);
}
END_TEST

/* Read-back reports equal the generated ones, cell by cell. */
static nb_report *got[TO_NGEN];
static size_t ngot;

static void keep(void *ctx, const nb_report *r)
{
    (void)ctx;
    if (ngot < TO_NGEN) {
        json_t *j = nb_report_to_json(r, NB_JSON_PROVENANCE);
        nb_error err;
        got[ngot++] = nb_report_from_json(tu_templates(), j, &err);
        json_decref(j);
    }
}

START_TEST(values_and_provenance_survive)
{
    /* With provenance in the file, raw tokens and statuses come back too. */
    char *path = tu_path(fx.dir, "prov.ndjson");
    FILE *f = fopen(path, "wb");
    for (int k = 0; k < TO_NGEN; k++) {
        json_t *j = nb_report_to_json(fx.r[k], NB_JSON_PROVENANCE);
        json_dumpf(j, f, nb_json_dump_flags(true));
        fputc('\n', f);
        json_decref(j);
    }
    fclose(f);
    nb_context *c = tu_context();
    nb_run_config cfg = {0};
    cfg.from = "ndjson";
    cfg.on_report = keep;
    nb_error err;
    ngot = 0;
    nb_run *run = nb_run_new(c, &cfg, &err);
    ck_assert_msg(run != NULL, "%s", err.text);
    ck_assert_int_eq(nb_run_input(run, path, &err), NB_OK);
    nb_summary sum;
    ck_assert_int_eq(nb_run_finish(run, &sum, &err), NB_OK);
    nb_run_free(run);
    nb_context_free(c);
    ck_assert_uint_eq(ngot, TO_NGEN);
    const nb_field_def **cols;
    size_t ncols = nb_templates_columns(tu_templates(), &cols);
    for (size_t k = 0; k < ngot; k++) {
        ck_assert_ptr_nonnull(got[k]);
        ck_assert_str_eq(got[k]->agency, fx.r[k]->agency);
        for (size_t i = 0; i < ncols; i++) {
            const nb_cell *a = nb_report_cell_c(fx.r[k], cols[i]->path);
            const nb_cell *b = nb_report_cell_c(got[k], cols[i]->path);
            ck_assert_msg((a == NULL) == (b == NULL), "%s presence", cols[i]->path);
            if (!a)
                continue;
            ck_assert_msg(a->status == b->status, "%s status %d/%d", cols[i]->path, a->status,
                          b->status);
            ck_assert_msg(a->has_value == b->has_value, "%s has_value %d/%d", cols[i]->path,
                          a->has_value, b->has_value);
            if (a->has_value && cols[i]->type != NB_TYPE_UNIT)
                ck_assert_msg(nb_num_cmp(a->num, b->num) == 0, "%s value", cols[i]->path);
        }
        nb_report_free(got[k]);
        got[k] = NULL;
    }
    free(path);
}
END_TEST

START_TEST(json_array_reads_as_the_same_reports)
{
    char *arr = pass(fx.in, "ndjson", "json", "all.json", NULL);
    char *text = slurp(arr);
    ck_assert_int_eq(text[0], '[');  /* several reports: an array */
    free(text);
    /* Detected by extension (no -f), element by element. */
    char *back = pass(arr, NULL, "ndjson", "back.ndjson", NULL);
    char *tb = slurp(back), *t0 = slurp(fx.in);
    ck_assert_str_eq(tb, t0);
    free(tb);
    free(t0);
    free(back);
    free(arr);
}
END_TEST

START_TEST(single_object_json)
{
    char *one = to_write_ndjson(fx.dir, "one.json", fx.r, 1);
    nb_summary sum;
    char *out = pass(one, NULL, "ndjson", "one.ndjson", &sum);
    ck_assert_uint_eq(sum.converted, 1);
    free(out);
    free(one);
}
END_TEST

START_TEST(failures_are_forwarded_and_bad_lines_counted)
{
    char *path = tu_path(fx.dir, "mixed.ndjson");
    char *good = slurp(fx.in);
    char *nl = strchr(good, '\n');
    FILE *f = fopen(path, "wb");
    fwrite(good, 1, (size_t)(nl - good + 1), f);   /* report 0 */
    fputs("{\"schema\":\"nianbao.report/1\", \"agency\": oops}\n", f); /* line 2 broken */
    fputs("{\"schema\":\"nianbao.failure/1\",\"source\":\"x.zip!/a.png\",\"status\":\"skipped\","
          "\"reason\":\"image\"}\n\n", f);
    fputs(nl + 1, f);                                /* reports 1.. */
    fclose(f);
    char *out = tu_path(fx.dir, "mixed-out.ndjson");
    nb_error err;
    nb_summary sum;
    nb_status st = to_run(path, "ndjson", "ndjson", out, NULL, &sum, &err);
    ck_assert_int_eq(st, NB_OK);
    ck_assert_uint_eq(sum.converted, TO_NGEN);
    ck_assert_uint_eq(sum.failed, 1);
    ck_assert_uint_eq(sum.skipped, 1);
    char *text = slurp(out);
    ck_assert_ptr_nonnull(strstr(text, "a.png"));   /* the skipped member, forwarded */
    ck_assert_ptr_nonnull(strstr(text, "record 2"));  /* the broken one, by number */
    free(text);
    free(out);
    free(good);
    free(path);
}
END_TEST

/* A report record with no table and no section is no report: it fails,
 * named by its record, as a text with neither does; one with a section
 * (or a table) still reads. */
START_TEST(a_record_of_nothing_is_a_failure)
{
    char *path = tu_path(fx.dir, "empty.ndjson");
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("{\"schema\":\"nianbao.report/1\"}\n", f);
    fputs("{\"schema\":\"nianbao.report/1\",\"agency\":\"甲\",\"year\":2023}\n", f);
    fputs("{\"schema\":\"nianbao.report/1\",\"sections\":[{\"no\":1,\"title\":\"总体情况\"}]}\n", f);
    fclose(f);
    char *out = tu_path(fx.dir, "empty-out.ndjson");
    nb_error err;
    nb_summary sum;
    ck_assert_int_eq(to_run(path, "ndjson", "ndjson", out, NULL, &sum, &err), NB_OK);
    ck_assert_uint_eq(sum.converted, 1);
    ck_assert_uint_eq(sum.failed, 2);
    char *text = slurp(out);
    ck_assert_ptr_nonnull(strstr(text, "record 1: not a valid report: none of the template's tables or sections"));
    ck_assert_ptr_nonnull(strstr(text, "record 2: not a valid report"));
    free(text);
    free(out);
    free(path);
}
END_TEST

START_TEST(truncated_input_is_a_failure_not_a_crash)
{
    char *path = tu_path(fx.dir, "cut.ndjson");
    char *good = slurp(fx.in);
    size_t len = strlen(good);
    tu_write_file(path, good, len / 2 + 7);
    nb_summary sum;
    nb_error err;
    char *out = tu_path(fx.dir, "cut-out.ndjson");
    ck_assert_int_eq(to_run(path, "ndjson", "ndjson", out, NULL, &sum, &err), NB_OK);
    ck_assert_uint_ge(sum.converted, 1);
    ck_assert_uint_eq(sum.failed, 1);
    free(out);
    free(good);
    free(path);
}
END_TEST

/* A deep copy of v with every object's members in reverse order. */
static json_t *reversed(json_t *v)
{
    if (json_is_array(v)) {
        json_t *a = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) json_array_append_new(a, reversed(x));
        return a;
    }
    if (!json_is_object(v))
        return json_incref(v);
    size_t n = json_object_size(v), i = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) keys[i++] = k;
    json_t *o = json_object();
    while (i-- > 0)
        json_object_set_new(o, keys[i], reversed(json_object_get(v, keys[i])));
    free(keys);
    return o;
}

static char *read_back_text(json_t *j, nb_report **out)
{
    char *text = json_dumps(j, nb_json_dump_flags(true));
    nb_error err;
    nb_report *r = nb_report_from_json_text(tu_templates(), text, strlen(text), &err);
    ck_assert_msg(r != NULL, "%s", err.text);
    free(text);
    json_t *back = nb_report_to_json(r, NB_JSON_PROVENANCE);
    char *s = json_dumps(back, nb_json_dump_flags(true));
    json_decref(back);
    *out = r;
    return s;
}

/* A report read back does not depend on the order of its members (cells
 * are looked up from where the last was found), and a cell's status is
 * that of the first of blank, na, ambiguous, inferred, derived that lists
 * it, wherever the lists stand and however long they are. */
START_TEST(key_order_and_status_lists_do_not_change_a_report)
{
    const nb_field_def **cols;
    size_t ncols = nb_templates_columns(tu_templates(), &cols);
    for (int k = 0; k < TO_NGEN; k++) {
        json_t *j = nb_report_to_json(fx.r[k], 0);
        /* every column derived, the first also na and blank: blank wins,
         * in the record's order and in the reversed one */
        json_t *na = json_array(), *blank = json_array(), *derived = json_array();
        for (size_t i = 0; i < ncols; i++)
            json_array_append_new(derived, json_string(cols[i]->path));
        json_array_append_new(na, json_string(cols[0]->path));
        json_array_append_new(blank, json_string(cols[0]->path));
        json_object_set_new(j, "na", na);
        json_object_set_new(j, "derived", derived);
        json_object_set_new(j, "blank", blank);
        json_t *rev = reversed(j);
        nb_report *a, *b;
        char *ta = read_back_text(j, &a), *tb = read_back_text(rev, &b);
        ck_assert_str_eq(ta, tb);
        const nb_cell *first = nb_report_cell_c(a, cols[0]->path);
        if (first)
            ck_assert_int_eq(first->status, NB_CELL_BLANK);
        for (size_t i = 1; i < ncols; i++) {
            const nb_cell *c = nb_report_cell_c(b, cols[i]->path);
            if (c && c->has_value)
                ck_assert_msg(c->status == NB_CELL_DERIVED, "%s: status %d", cols[i]->path, c->status);
        }
        nb_report_free(a);
        nb_report_free(b);
        free(ta);
        free(tb);
        json_decref(rev);
        json_decref(j);
    }
}
END_TEST

/* The framer copies runs of bytes between the few it must look at: values
 * made of escapes, brackets in strings and line ends, which the 64 KiB
 * read buffer's ends cut at many offsets, come back whole, and the line
 * of a broken value after them is still counted right. */
START_TEST(values_across_read_buffers)
{
    static const char piece[] = "\"\\{\n}[引"; /* escapes, brackets, a line end */
    char *path = tu_path(fx.dir, "long.json");
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("[\n", f);
    enum { NREC = 9 };
    char *titles[NREC];
    for (int k = 0; k < NREC; k++) {
        size_t cap = 90000, len = 0;
        titles[k] = malloc(cap);
        for (int pad = 0; pad < k; pad++)
            titles[k][len++] = 'x';
        while (len + sizeof piece < cap - 1) {
            memcpy(titles[k] + len, piece, sizeof piece - 1);
            len += sizeof piece - 1;
        }
        titles[k][len] = '\0';
        json_t *j = nb_report_to_json(fx.r[k % TO_NGEN], 0);
        json_object_set_new(j, "title", json_string(titles[k]));
        /* pretty: line ends between members, counted for the lines below */
        char *text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        fprintf(f, "%s,\n", text);
        free(text);
        json_decref(j);
    }
    fclose(f);
    char *all = slurp(path);
    long line = 1;
    for (const char *p = all; *p; p++)
        line += *p == '\n';
    free(all);
    f = fopen(path, "ab");
    fputs("{\"schema\": \"nianbao.report/1\", \"agency\": \"甲\n\"}\n]\n", f); /* a raw line end in a string */
    fclose(f);
    nb_summary sum;
    char *out = pass(path, "json", "ndjson", "long.ndjson", &sum);
    ck_assert_uint_eq(sum.converted, NREC);
    ck_assert_uint_ge(sum.failed, 1); /* the broken value (and what its line end leaves) */
    char *text = slurp(out);
    const char *p = text;
    for (int k = 0; k < NREC; k++) {
        const char *nl = strchr(p, '\n');
        ck_assert_ptr_nonnull(nl);
        json_t *j = json_loadb(p, (size_t)(nl - p), 0, NULL);
        ck_assert_ptr_nonnull(j);
        ck_assert_str_eq(json_string_value(json_object_get(j, "title")), titles[k]);
        json_decref(j);
        free(titles[k]);
        p = nl + 1;
    }
    char want[64];
    snprintf(want, sizeof want, "long.json:%ld", line);
    ck_assert_msg(strstr(p, want) != NULL, "no %s in %s", want, p);
    free(text);
    free(out);
    free(path);
}
END_TEST

/* Probe: no -f, an extension nobody claims, the content decides. */
START_TEST(content_probe_picks_ndjson)
{
    char *path = tu_path(fx.dir, "reports.data");
    char *good = slurp(fx.in);
    tu_write_file(path, good, strlen(good));
    nb_summary sum;
    char *out = pass(path, NULL, "ndjson", "probe.ndjson", &sum);
    ck_assert_uint_eq(sum.converted, TO_NGEN);
    free(out);
    free(good);
    free(path);
}
END_TEST

/* The chain: convert a text report to NDJSON on stdout, read it
 * from stdin as NDJSON, write CSV to stdout. */
START_TEST(stdin_stdout_chain)
{
    char *in = to_fixture("songling_wenlv_2023.txt");
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "'%s' convert -q '%s' -t ndjson | '%s' convert -q -f ndjson -t csv", tu_bin(), in,
             tu_bin());
    char *out = NULL, *err = NULL;
    int rc = tu_run(cmd, NULL, &out, &err);
    ck_assert_msg(rc == 0, "rc %d: %s", rc, err);
    csv_table t = csv_parse(out, strlen(out));
    ck_assert_uint_eq(t.nrows, 2);
    ck_assert_str_eq(t.rows[1][csv_col(&t, "agency")], "松岭县文化和旅游局");
    ck_assert_str_eq(t.rows[1][csv_col(&t, "requests.granted.total")], "6");
    csv_free(&t);
    free(out);
    free(err);
    /* and the fixture's NDJSON survives a second pass unchanged */
    snprintf(cmd, sizeof cmd,
             "'%s' convert -q '%s' -t ndjson > '%s/f1.ndjson' && "
             "'%s' convert -q -f ndjson -t ndjson < '%s/f1.ndjson' > '%s/f2.ndjson' && "
             "cmp '%s/f1.ndjson' '%s/f2.ndjson'",
             tu_bin(), in, fx.dir, tu_bin(), fx.dir, fx.dir, fx.dir, fx.dir);
    rc = tu_run(cmd, NULL, &out, &err);
    ck_assert_msg(rc == 0, "rc %d: %s %s", rc, out, err);
    free(out);
    free(err);
    free(in);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("json_in");
    TCase *tc = tcase_create("json_in");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, ndjson_round_trip_is_identical);
    tcase_add_test(tc, values_and_provenance_survive);
    tcase_add_test(tc, json_array_reads_as_the_same_reports);
    tcase_add_test(tc, single_object_json);
    tcase_add_test(tc, failures_are_forwarded_and_bad_lines_counted);
    tcase_add_test(tc, truncated_input_is_a_failure_not_a_crash);
    tcase_add_test(tc, a_record_of_nothing_is_a_failure);
    tcase_add_test(tc, content_probe_picks_ndjson);
    tcase_add_test(tc, key_order_and_status_lists_do_not_change_a_report);
    tcase_add_test(tc, values_across_read_buffers);
    tcase_add_test(tc, stdin_stdout_chain);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
