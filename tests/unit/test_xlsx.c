/* test_xlsx.c - the xlsx output, read back without libxlsxwriter: the zip
 * parts through `unzip -p`, the sheet XML searched for each cell.
 * constant_memory writes strings inline, so every value is in the sheet
 * part itself.  Optionally also through openpyxl (skipped without it). */
#include "test_outputs_common.h"

typedef struct fixture {
    char *dir;
    char *in;
    char *xlsx;
    nb_report *r[TO_NGEN];
} fixture;

static fixture fx;

/* A failure record in the stream: the failures sheet must list it. */
#define FAIL_LINE "{\"schema\":\"nianbao.failure/1\",\"source\":\"bundle.zip!/扫描件.png\"," \
                  "\"status\":\"skipped\",\"reason\":\"not a report (image)\"}\n"

static void setup(void)
{
    fx.dir = tu_tempdir();
    for (int k = 0; k < TO_NGEN; k++)
        fx.r[k] = to_gen_report(k);
    fx.in = to_write_ndjson(fx.dir, "gen.ndjson", fx.r, TO_NGEN);
    FILE *f = fopen(fx.in, "ab");
    fputs(FAIL_LINE, f);
    fclose(f);
    fx.xlsx = tu_path(fx.dir, "out.xlsx");
    nb_error err;
    nb_status st = to_run(fx.in, "ndjson", "xlsx", fx.xlsx, NULL, NULL, &err);
    ck_assert_msg(st == NB_OK, "run: %s: %s", err.where, err.text);
}

static void teardown(void)
{
    for (int k = 0; k < TO_NGEN; k++)
        nb_report_free(fx.r[k]);
    tu_rmrf(fx.dir);
    free(fx.dir);
    free(fx.in);
    free(fx.xlsx);
    memset(&fx, 0, sizeof fx);
}

START_TEST(workbook_has_the_five_sheets)
{
    char *wb = to_unzip(fx.xlsx, "xl/workbook.xml");
    const char *names[] = {"reports", "diagnostics", "failures", "summary", "info"};
    const char *prev = wb;
    for (size_t i = 0; i < 5; i++) {   /* in this order: pandas reads the first */
        char pat[64];
        snprintf(pat, sizeof pat, "<sheet name=\"%s\"", names[i]);
        const char *p = strstr(wb, pat);
        ck_assert_msg(p != NULL && p >= prev, "sheet %s missing or out of order", names[i]);
        prev = p;
    }
    free(wb);
    char *chart = to_unzip(fx.xlsx, "xl/charts/chart1.xml");
    ck_assert_ptr_nonnull(strstr(chart, "summary!$C$"));
    ck_assert_ptr_nonnull(strstr(chart, "<c:dLbls>")); /* data labels */
    free(chart);
}
END_TEST

START_TEST(reports_sheet_holds_every_value)
{
    char *xml = to_unzip(fx.xlsx, "xl/worksheets/sheet1.xml");
    const nb_field_def **cols;
    size_t ncols = nb_templates_columns(tu_templates(), &cols);
    /* Row 1 labels (for people), row 2 key paths (header=1 for pandas). */
    ck_assert_str_eq(to_xl_cell(xml, 1, 0).value, "source");
    ck_assert_str_eq(to_xl_cell(xml, 0, 0).value, "来源");
    for (size_t c = 0; c < ncols; c++) {
        ck_assert_str_eq(to_xl_cell(xml, 1, 6 + c).value, cols[c]->path);
        ck_assert_str_eq(to_xl_cell(xml, 0, 6 + c).value, cols[c]->label);
    }
    char buf[64];
    size_t checked = 0;
    for (int k = 0; k < TO_NGEN; k++) {
        size_t row = 2 + (size_t)k;
        ck_assert_str_eq(to_xl_cell(xml, row, 0).value, fx.r[k]->source.path);
        ck_assert_str_eq(to_xl_cell(xml, row, 1).value, fx.r[k]->agency);
        ck_assert_int_eq(atoi(to_xl_cell(xml, row, 2).value), fx.r[k]->year);
        for (size_t c = 0; c < ncols; c++) {
            const char *want = to_expected(fx.r[k], cols[c], buf, sizeof buf);
            xl_cell got = to_xl_cell(xml, row, 6 + c);
            if (cols[c]->type == NB_TYPE_UNIT) {
                ck_assert_str_eq(got.value, want);
                continue;
            }
            ck_assert_msg(!got.is_string, "%s is text, want a number", cols[c]->path);
            ck_assert_msg(to_same_number(got.value, want), "report %d %s: got '%s', want '%s'",
                          k, cols[c]->path, got.value, want);
            checked += *want != '\0';
        }
    }
    ck_assert_uint_gt(checked, (size_t)TO_NGEN * 50);
    free(xml);
}
END_TEST

START_TEST(frozen_filtered_and_styled)
{
    char *xml = to_unzip(fx.xlsx, "xl/worksheets/sheet1.xml");
    ck_assert_ptr_nonnull(strstr(xml, "<pane xSplit=\"2\" ySplit=\"2\""));
    ck_assert_ptr_nonnull(strstr(xml, "<autoFilter ref=\"A2:"));
    const nb_field_def **cols;
    size_t ncols = nb_templates_columns(tu_templates(), &cols);
    long blank = -1, amb = -1, flag = -1, plain = -1;
    for (size_t c = 0; c < ncols; c++) {
        if (strcmp(cols[c]->path, TO_BLANK_PATH) == 0) blank = (long)c;
        if (strcmp(cols[c]->path, TO_AMBIG_PATH) == 0) amb = (long)c;
        if (strcmp(cols[c]->path, TO_FLAG_PATH) == 0) flag = (long)c;
        if (strcmp(cols[c]->path, "requests.new_received.total") == 0) plain = (long)c;
    }
    ck_assert(blank >= 0 && amb >= 0 && flag >= 0 && plain >= 0);
    for (int k = 0; k < TO_NGEN; k++) {
        size_t row = 2 + (size_t)k;
        if (!nb_report_cell_c(fx.r[k], TO_FLAG_PATH))
            continue;
        xl_cell p = to_xl_cell(xml, row, 6 + (size_t)plain);
        xl_cell b = to_xl_cell(xml, row, 6 + (size_t)blank);
        xl_cell a = to_xl_cell(xml, row, 6 + (size_t)amb);
        xl_cell f = to_xl_cell(xml, row, 6 + (size_t)flag);
        ck_assert_int_eq(p.style, 0);            /* read as printed: no style */
        ck_assert_int_ne(b.style, 0);            /* blank: visible */
        ck_assert_str_eq(b.value, "0");
        ck_assert(a.found && a.style != 0);      /* ambiguous: styled empty cell */
        ck_assert_str_eq(a.value, "");
        ck_assert(f.style != 0 && f.style != b.style && f.style != a.style); /* flagged */
    }
    free(xml);
    char *styles = to_unzip(fx.xlsx, "xl/styles.xml");
    ck_assert_ptr_nonnull(strstr(styles, "FFC7CE")); /* the error fill exists */
    free(styles);
}
END_TEST

/* Chinese labels over keys; agency, year and member beside each finding;
 * numbers as numbers; a link from the finding to the cell it flags. */
START_TEST(diagnostics_and_failures_sheets)
{
    char *d = to_unzip(fx.xlsx, "xl/worksheets/sheet2.xml");
    const char *keys[] = {"source", "member", "agency", "year", "rule", "severity", "cell", "expected", "found",
                          "message"};
    for (size_t i = 0; i < 10; i++) {
        ck_assert_str_eq(to_xl_cell(d, 1, i).value, keys[i]);
        xl_cell label = to_xl_cell(d, 0, i);
        ck_assert_msg(label.is_string && (unsigned char)label.value[0] >= 0xE0, "column %zu label is not Chinese: %s",
                      i, label.value);
    }
    ck_assert_str_eq(to_xl_cell(d, 2, 0).value, fx.r[0]->source.path);
    ck_assert_ptr_nonnull(strstr(fx.r[0]->source.path, to_xl_cell(d, 2, 1).value));
    ck_assert_str_eq(to_xl_cell(d, 2, 2).value, fx.r[0]->agency);
    xl_cell year = to_xl_cell(d, 2, 3);
    ck_assert(!year.is_string && atoi(year.value) == fx.r[0]->year);
    ck_assert_str_eq(to_xl_cell(d, 2, 4).value, "R-T2-BALANCE");
    ck_assert_str_eq(to_xl_cell(d, 2, 5).value, "错误");
    ck_assert_str_eq(to_xl_cell(d, 2, 6).value, "requests.*.natural_person");
    xl_cell expected = to_xl_cell(d, 2, 7);
    ck_assert(!expected.is_string && strcmp(expected.value, "10") == 0);
    ck_assert_str_eq(to_xl_cell(d, 3, 4).value, "R-T2-ROWSUM");
    ck_assert_str_eq(to_xl_cell(d, 3, 5).value, "警告");
    ck_assert(to_xl_cell(d, 1 + 2 * TO_NGEN, 4).found);
    ck_assert(!to_xl_cell(d, 2 + 2 * TO_NGEN, 4).found);
    /* The warning's link goes to its cell: row 3 of reports, the column
     * whose key is the flagged path.  It is a HYPERLINK() formula (no
     * worksheet links, whose memory grows with the findings) whose cached
     * value is the key path. */
    ck_assert_ptr_null(strstr(d, "<hyperlink "));
    char *p = strstr(d, "<c r=\"G4\"");
    ck_assert_ptr_nonnull(p);
    const char *head = "<f>HYPERLINK(\"#reports!";
    ck_assert_ptr_nonnull(strstr(p, head));
    ck_assert(strstr(p, head) < strstr(p, "</c>"));
    p = strstr(p, head);
    char ref[16] = "";
    sscanf(p + strlen(head), "%15[A-Z0-9]", ref);
    const char *cached = strstr(p, "</f><v>" TO_FLAG_PATH "</v>");
    ck_assert_ptr_nonnull(cached);
    ck_assert(cached < strstr(p, "</c>")); /* G4's own cached value, not a later cell's */
    char col[8] = "";
    int row = 0;
    sscanf(ref, "%7[A-Z]%d", col, &row);
    ck_assert_int_eq(row, 3);
    char *rx = to_unzip(fx.xlsx, "xl/worksheets/sheet1.xml");
    char keyref[16];
    snprintf(keyref, sizeof keyref, "<c r=\"%s2\"", col);
    const char *kc = strstr(rx, keyref);
    ck_assert_ptr_nonnull(kc);
    ck_assert_ptr_nonnull(strstr(kc, TO_FLAG_PATH));
    ck_assert(strstr(kc, TO_FLAG_PATH) < strstr(kc, "</c>"));
    free(rx);
    ck_assert_ptr_nonnull(strstr(d, "orientation=\"landscape\""));
    free(d);
    char *f = to_unzip(fx.xlsx, "xl/worksheets/sheet3.xml");
    /* The core names forwarded failures "<input>!/<source>". */
    ck_assert_ptr_nonnull(strstr(to_xl_cell(f, 2, 0).value, "bundle.zip!/扫描件.png"));
    ck_assert_str_eq(to_xl_cell(f, 2, 1).value, "扫描件.png");
    ck_assert_str_eq(to_xl_cell(f, 2, 2).value, "跳过");
    ck_assert_str_eq(to_xl_cell(f, 2, 3).value, "not a report (image)");
    free(f);
    char *wb = to_unzip(fx.xlsx, "xl/workbook.xml");
    ck_assert_ptr_nonnull(strstr(wb, "_xlnm.Print_Titles")); /* header rows repeat on every page */
    free(wb);
}
END_TEST

/* The summary's totals are sums of the model's values. */
START_TEST(summary_totals)
{
    char *s = to_unzip(fx.xlsx, "xl/worksheets/sheet4.xml");
    const char *path = "requests.new_received.total";
    /* The row whose column B is the key path; one column per year. */
    size_t row = 0;
    while (row < 80 && strcmp(to_xl_cell(s, row, 1).value, path) != 0)
        row++;
    ck_assert_msg(row < 80, "summary has no row %s", path);
    size_t header = row;
    while (header > 0 && strcmp(to_xl_cell(s, header, 1).value, "key") != 0)
        header--;
    size_t years = 0;
    for (size_t col = 2; to_xl_cell(s, header, col).found; col++, years++) {
        int year = atoi(to_xl_cell(s, header, col).value); /* "2023年 gb2021" */
        long long want = 0;
        for (int k = 0; k < TO_NGEN; k++) {
            const nb_cell *c = nb_report_cell_c(fx.r[k], path);
            if (fx.r[k]->year == year && c && c->has_value)
                want += c->num.v;
        }
        ck_assert_msg(atoll(to_xl_cell(s, row, col).value) == want, "%d: got %s, want %lld", year,
                      to_xl_cell(s, row, col).value, want);
    }
    ck_assert_uint_ge(years, 1);
    free(s);
}
END_TEST

/* -o - : the workbook on stdout is the same zip. */
START_TEST(stdout_is_a_zip)
{
    char *out = tu_path(fx.dir, "piped.xlsx");
    char args[8192];
    snprintf(args, sizeof args, "convert -q -f ndjson '%s' -t xlsx -o - > '%s'", fx.in, out);
    int rc;
    char *err = NULL;
    free(to_cli(args, NULL, &rc, &err));
    ck_assert_msg(rc == 0, "rc %d: %s", rc, err);
    size_t len;
    char *bytes = tu_read_file(out, &len);
    ck_assert(bytes && len > 1000 && memcmp(bytes, "PK\x03\x04", 4) == 0);
    char *xml = to_unzip(out, "xl/worksheets/sheet1.xml");
    ck_assert_str_eq(to_xl_cell(xml, 2, 1).value, fx.r[0]->agency);
    free(xml);
    free(bytes);
    free(err);
    free(out);
}
END_TEST

/* openpyxl, when present, reads the same values (the "opens in pandas"
 * promise).  Skipped without it so the suite needs no Python. */
START_TEST(openpyxl_reads_it)
{
    char *o = NULL, *e = NULL;
    if (tu_run("/usr/bin/python3 -c 'import openpyxl'", NULL, &o, &e) != 0) {
        free(o);
        free(e);
        return; /* not installed: nothing to check */
    }
    free(o);
    free(e);
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import openpyxl,sys\n"
             "wb=openpyxl.load_workbook(sys.argv[1],read_only=True)\n"
             "ws=wb[\"reports\"]\n"
             "rows=list(ws.iter_rows(values_only=True))\n"
             "h=rows[1]\n"
             "i=h.index(\"requests.granted.total\")\n"
             "print(wb.sheetnames, len(rows), rows[2][1], rows[3][i])' '%s'",
             fx.xlsx);
    int rc = tu_run(cmd, NULL, &o, &e);
    ck_assert_msg(rc == 0, "openpyxl: %s", e);
    char want[512];
    const nb_cell *c = nb_report_cell_c(fx.r[1], "requests.granted.total");
    ck_assert_ptr_nonnull(c);
    snprintf(want, sizeof want, "['reports', 'diagnostics', 'failures', 'summary', 'info'] %d %s %lld\n",
             2 + TO_NGEN, fx.r[0]->agency, (long long)c->num.v);
    ck_assert_str_eq(o, want);
    free(o);
    free(e);
}
END_TEST

/* The documented one-liner, pd.read_excel(f, sheet_name=S, header=1),
 * gives key-path columns holding numbers (the label row above is skipped),
 * on the reports and diagnostics sheets, and a linked cell's key path as
 * text.  Skipped without pandas. */
START_TEST(pandas_reads_numbers_with_header_1)
{
    char *o = NULL, *e = NULL;
    if (tu_run("/usr/bin/python3 -c 'import pandas'", NULL, &o, &e) != 0) {
        free(o);
        free(e);
        return; /* not installed: nothing to check */
    }
    free(o);
    free(e);
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import pandas as pd,sys\n"
             "df=pd.read_excel(sys.argv[1], sheet_name=\"reports\", header=1)\n"
             "d=pd.read_excel(sys.argv[1], sheet_name=\"diagnostics\", header=1)\n"
             "c=df[\"requests.granted.total\"]\n"
             "print(len(df), c.dtype.kind in \"if\", int(c.sum()), d[\"year\"].dtype.kind, len(d), d[\"cell\"][1])' '%s'",
             fx.xlsx);
    int rc = tu_run(cmd, NULL, &o, &e);
    ck_assert_msg(rc == 0, "pandas: %s", e);
    long long sum = 0;
    for (int k = 0; k < TO_NGEN; k++) {
        const nb_cell *c = nb_report_cell_c(fx.r[k], "requests.granted.total");
        sum += c && c->has_value ? c->num.v : 0;
    }
    char want[256];
    /* the linked key path reads as its text (a formula's cached value) */
    snprintf(want, sizeof want, "%d True %lld i %d %s\n", TO_NGEN, sum, 2 * TO_NGEN, TO_FLAG_PATH);
    ck_assert_str_eq(o, want);
    free(o);
    free(e);
}
END_TEST

/* XML 1.0 cannot hold C0 controls: text with them comes out as plain
 * text with spaces, and no control byte reaches the sheet XML. */
START_TEST(control_characters_are_cleaned)
{
    nb_report *r = to_gen_report(7);
    nb_set_str(&r->agency, "坏\x01名\x1f字");
    char *in = to_write_ndjson(fx.dir, "ctl.ndjson", &r, 1);
    char *out = tu_path(fx.dir, "ctl.xlsx");
    nb_error err;
    ck_assert_msg(to_run(in, "ndjson", "xlsx", out, NULL, NULL, &err) == NB_OK, "%s", err.text);
    char *xml = to_unzip(out, "xl/worksheets/sheet1.xml");
    for (const unsigned char *p = (const unsigned char *)xml; *p; p++)
        ck_assert_msg(*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r', "control 0x%02x", *p);
    ck_assert_ptr_nonnull(strstr(xml, "坏 名 字"));
    free(xml);
    free(out);
    free(in);
    nb_report_free(r);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("xlsx");
    TCase *tc = tcase_create("xlsx");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, workbook_has_the_five_sheets);
    tcase_add_test(tc, reports_sheet_holds_every_value);
    tcase_add_test(tc, frozen_filtered_and_styled);
    tcase_add_test(tc, diagnostics_and_failures_sheets);
    tcase_add_test(tc, summary_totals);
    tcase_add_test(tc, stdout_is_a_zip);
    tcase_add_test(tc, openpyxl_reads_it);
    tcase_add_test(tc, pandas_reads_numbers_with_header_1);
    tcase_add_test(tc, control_characters_are_cleaned);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
