/* test_csv.c - the csv output, read back with the test's own RFC 4180
 * parser: every value of every generated report exactly, the fixed column
 * order, quoting, CRLF, BOM, GB18030, long form, diagnostics. */
#include "test_outputs_common.h"
#include "nianbao/text.h"

typedef struct fixture {
    char *dir;
    char *in;                 /* NDJSON of the generated reports */
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

/* Converts the generated reports to CSV with options; returns the bytes. */
static char *convert(const char *name, const char *const *opts, size_t *len)
{
    char *out = tu_path(fx.dir, name);
    nb_error err;
    nb_status st = to_run(fx.in, "ndjson", "csv", out, opts, NULL, &err);
    ck_assert_msg(st == NB_OK, "run: %s: %s", err.where, err.text);
    char *s = tu_read_file(out, len);
    ck_assert_ptr_nonnull(s);
    free(out);
    return s;
}

START_TEST(wide_holds_every_value)
{
    size_t len;
    char *s = convert("wide.csv", NULL, &len);
    csv_table t = csv_parse(s, len);
    ck_assert_msg(!t.bare_lf, "records must end in CRLF");
    const nb_field_def **cols;
    size_t ncols = nb_templates_columns(tu_templates(), &cols);
    ck_assert_uint_gt(ncols, 100);
    ck_assert_uint_eq(t.nrows, 1 + TO_NGEN);
    /* Header: identifying columns, then every key path in template order. */
    const char *ids[] = {"source", "agency", "year", "template", "errors", "warnings"};
    ck_assert_uint_eq(t.nfields[0], 6 + ncols);
    for (size_t i = 0; i < 6; i++)
        ck_assert_str_eq(t.rows[0][i], ids[i]);
    for (size_t c = 0; c < ncols; c++)
        ck_assert_str_eq(t.rows[0][6 + c], cols[c]->path);
    char buf[64];
    size_t nonempty = 0;
    for (int k = 0; k < TO_NGEN; k++) {
        char **row = t.rows[1 + k];
        ck_assert_uint_eq(t.nfields[1 + k], 6 + ncols);
        ck_assert_str_eq(row[0], fx.r[k]->source.path);
        ck_assert_str_eq(row[1], fx.r[k]->agency);
        ck_assert_int_eq(atoi(row[2]), fx.r[k]->year);
        ck_assert_str_eq(row[4], "1");  /* one error */
        ck_assert_str_eq(row[5], "1");  /* one warning */
        for (size_t c = 0; c < ncols; c++) {
            const char *want = to_expected(fx.r[k], cols[c], buf, sizeof buf);
            ck_assert_msg(strcmp(row[6 + c], want) == 0, "report %d %s: got '%s', want '%s'", k,
                          cols[c]->path, row[6 + c], want);
            nonempty += *want != '\0';
        }
    }
    ck_assert_uint_gt(nonempty, (size_t)TO_NGEN * 50);
    csv_free(&t);
    free(s);
}
END_TEST

START_TEST(quoting_blank_null_and_decimals)
{
    size_t len;
    char *s = convert("q.csv", NULL, &len);
    /* The odd agency is quoted with doubled quotes, as RFC 4180 says. */
    ck_assert_ptr_nonnull(strstr(s, ",\"青石县\"\"便民\"\"服务中心, 东区\","));
    csv_table t = csv_parse(s, len);
    long blank = csv_col(&t, TO_BLANK_PATH), amb = csv_col(&t, TO_AMBIG_PATH);
    long fees = csv_col(&t, TO_FEES_PATH);
    ck_assert_int_ge(blank, 0);
    ck_assert_int_ge(amb, 0);
    ck_assert_int_ge(fees, 0);
    bool saw_fee = false;
    for (int k = 0; k < TO_NGEN; k++) {
        if (nb_report_cell_c(fx.r[k], TO_BLANK_PATH))
            ck_assert_str_eq(t.rows[1 + k][blank], "0"); /* blank is 0 */
        ck_assert_str_eq(t.rows[1 + k][amb], "");        /* ambiguous is null */
        if (nb_report_cell_c(fx.r[k], TO_FEES_PATH)) {
            char want[32];
            snprintf(want, sizeof want, "%lld.%06lld", (5949088667LL + k * 1000003LL) / 1000000,
                     (5949088667LL + k * 1000003LL) % 1000000);
            ck_assert_str_eq(t.rows[1 + k][fees], want);  /* exact, as printed */
            saw_fee = true;
        }
    }
    ck_assert(saw_fee);
    csv_free(&t);
    free(s);
}
END_TEST

START_TEST(labels_and_bom)
{
    const char *opts[] = {"labels=true", "bom=true", NULL};
    size_t len;
    char *s = convert("l.csv", opts, &len);
    ck_assert(len > 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0);
    csv_table t = csv_parse(s + 3, len - 3);
    ck_assert_uint_eq(t.nrows, 2 + TO_NGEN);
    ck_assert_str_eq(t.rows[0][0], "source");
    ck_assert_str_eq(t.rows[1][0], "来源");
    const nb_field_def **cols;
    nb_templates_columns(tu_templates(), &cols);
    ck_assert_str_eq(t.rows[1][6], cols[0]->label);
    csv_free(&t);
    free(s);
}
END_TEST

START_TEST(gb18030_is_the_same_text)
{
    const char *opts[] = {"encoding=gb18030", NULL};
    size_t ulen, glen;
    char *u = convert("u.csv", NULL, &ulen);
    char *g = convert("g.csv", opts, &glen);
    ck_assert(!nb_utf8_valid(g, glen)); /* really converted */
    char *back = NULL;
    size_t blen = 0;
    nb_error err;
    ck_assert_int_eq(nb_text_convert("GB18030", "UTF-8", g, glen, &back, &blen, &err), NB_OK);
    ck_assert_uint_eq(blen, ulen);
    ck_assert(memcmp(back, u, ulen) == 0);
    free(back);
    free(u);
    free(g);
}
END_TEST

START_TEST(long_form)
{
    const char *opts[] = {"form=long", NULL};
    size_t len;
    char *s = convert("long.csv", opts, &len);
    csv_table t = csv_parse(s, len);
    const char *head[] = {"source", "agency", "year", "table", "row", "column", "value"};
    ck_assert_uint_eq(t.nfields[0], 7);
    for (size_t i = 0; i < 7; i++)
        ck_assert_str_eq(t.rows[0][i], head[i]);
    size_t want = 0;
    for (int k = 0; k < TO_NGEN; k++)
        for (size_t i = 0; i < fx.r[k]->ntables; i++)
            want += fx.r[k]->tables[i].def ? fx.r[k]->tables[i].def->nfields : 0;
    ck_assert_uint_eq(t.nrows, 1 + want);
    /* Every row's table.row.column is a key path of that report whose value
     * is the model's. */
    char path[256], buf[64];
    for (size_t i = 1; i < t.nrows; i++) {
        char **row = t.rows[i];
        ck_assert_uint_eq(t.nfields[i], 7);
        int k = -1;
        for (int j = 0; j < TO_NGEN; j++)
            if (strcmp(row[0], fx.r[j]->source.path) == 0)
                k = j;
        ck_assert_int_ge(k, 0);
        snprintf(path, sizeof path, "%s.%s.%s", row[3], row[4], row[5]);
        const nb_field_def *f = nb_report_field(fx.r[k], path);
        ck_assert_msg(f != NULL, "no field %s", path);
        ck_assert_str_eq(row[6], to_expected(fx.r[k], f, buf, sizeof buf));
    }
    csv_free(&t);
    free(s);
}
END_TEST

START_TEST(diagnostics_table)
{
    const char *opts[] = {"table=diagnostics", NULL};
    size_t len;
    char *s = convert("d.csv", opts, &len);
    csv_table t = csv_parse(s, len);
    ck_assert_uint_eq(t.nrows, 1 + 2 * TO_NGEN);
    long rule = csv_col(&t, "rule"), where = csv_col(&t, "where"), msg = csv_col(&t, "message");
    long sev = csv_col(&t, "severity");
    ck_assert(rule >= 0 && where >= 0 && msg >= 0 && sev >= 0);
    ck_assert_str_eq(t.rows[1][rule], "R-T2-BALANCE");
    ck_assert_str_eq(t.rows[1][sev], "error");
    ck_assert_str_eq(t.rows[1][where], "requests.*.natural_person");
    ck_assert_str_eq(t.rows[2][msg], "总计 does not add up, \"quoted\", with a comma");
    csv_free(&t);
    free(s);
}
END_TEST

START_TEST(bad_option_is_a_usage_error)
{
    const char *opts[] = {"form=sideways", NULL};
    char *out = tu_path(fx.dir, "bad.csv");
    nb_error err;
    nb_status st = to_run(fx.in, "ndjson", "csv", out, opts, NULL, &err);
    ck_assert_int_ne(st, NB_OK);
    ck_assert_msg(strstr(err.text, "wide, long") != NULL, "%s", err.text); /* lists the values */
    ck_assert_ptr_null(tu_read_file(out, NULL)); /* nothing left behind */
    free(out);
}
END_TEST

/* The text fixtures through the CLI, stdin to stdout. */
START_TEST(cli_fixture_to_csv)
{
    char *in = to_fixture("songling_wenlv_2023.txt");
    char args[4200];
    snprintf(args, sizeof args, "convert -q '%s' -t csv", in);
    int rc;
    char *err = NULL, *out = to_cli(args, NULL, &rc, &err);
    ck_assert_msg(rc == 0, "rc %d: %s", rc, err);
    csv_table t = csv_parse(out, strlen(out));
    ck_assert_uint_eq(t.nrows, 2);
    long nr = csv_col(&t, "requests.new_received.total");
    long fee = csv_col(&t, TO_FEES_PATH);
    ck_assert_str_eq(t.rows[1][csv_col(&t, "agency")], "松岭县文化和旅游局");
    ck_assert_str_eq(t.rows[1][nr], "11");
    ck_assert_str_eq(t.rows[1][fee], "15.38");
    csv_free(&t);
    free(out);
    free(err);
    free(in);
}
END_TEST

/* The output's amend, called as the host calls it: a text format made
 * before findings came, amended, is the text format makes after them, in
 * every form, table and encoding; a wide row that is not the report's as
 * it was is declined (NULL), never spliced.  The agency has a quote and a
 * comma. */
START_TEST(amended_text_is_the_fresh_text)
{
    static const char *const opts[][2] = {
        {NULL, NULL}, {"encoding=gb18030", NULL}, {"form=long", NULL}, {"table=diagnostics", NULL},
        {"table=diagnostics", "encoding=gb18030"}, {"labels=true", "bom=true"}, {"table=failures", NULL}};
    nb_context *c = tu_context();
    const nb_plugin_info *pi = nb_context_find_plugin(c, NB_PLUGIN_OUTPUT, "csv");
    ck_assert_ptr_nonnull(pi);
    const nb_plugin *p = pi->plugin;
    ck_assert_ptr_nonnull(p->amend);
    for (size_t k = 0; k < sizeof opts / sizeof *opts; k++) {
        nb_error err;
        nb_error_clear(&err);
        nb_options *o = nb_options_new(p->options);
        for (int i = 0; i < 2 && opts[k][i]; i++)
            ck_assert_int_eq(nb_options_set(o, "csv", opts[k][i], &err), NB_OK);
        void *inst = NULL;
        ck_assert_int_eq(p->create(nb_context_host(c), o, &inst, &err), NB_OK);
        for (int g = 0; g < TO_NGEN; g++) {
            nb_report *r = to_gen_report(g);
            nb_set_str(&r->agency, TO_ODD_AGENCY);
            size_t from = nb_report_diag_count(r);
            char *before = p->format(inst, r);
            ck_assert_ptr_nonnull(before);
            nb_report_add_diag(r, "R-X-DUPLICATE", NB_SEV_WARNING, false, "agency", NULL, NULL, "%s", "重复，\"两份\"");
            nb_report_add_diag(r, "R-T2-CARRY-XYEAR", NB_SEV_ERROR, false, "requests.carried_over.total", "1",
                               "0", "%s", "结转");
            nb_report_add_diag(r, "R-T1-OLD-XYEAR", NB_SEV_INFO, true, NULL, NULL, NULL, "%s", "未做");
            char *amended = p->amend(inst, r, before, from), *fresh = p->format(inst, r);
            ck_assert_msg(amended && fresh && strcmp(amended, fresh) == 0, "options %s %s, report %d: amended differs",
                          opts[k][0] ? opts[k][0] : "-", opts[k][1] ? opts[k][1] : "-", g);
            if (!opts[k][0] || strncmp(opts[k][0], "encoding", 8) == 0) /* a wide row of other counts */
                ck_assert_ptr_null(p->amend(inst, r, fresh, from));
            nb_free(amended);
            nb_free(fresh);
            nb_free(before);
            nb_report_free(r);
        }
        p->destroy(inst);
        nb_options_free(o);
    }
    nb_context_free(c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("csv");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, wide_holds_every_value);
    tcase_add_test(tc, quoting_blank_null_and_decimals);
    tcase_add_test(tc, labels_and_bom);
    tcase_add_test(tc, gb18030_is_the_same_text);
    tcase_add_test(tc, long_form);
    tcase_add_test(tc, diagnostics_table);
    tcase_add_test(tc, bad_option_is_a_usage_error);
    tcase_add_test(tc, cli_fixture_to_csv);
    tcase_add_test(tc, amended_text_is_the_fresh_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
