/* test_locale.c - numbers keep their '.' when the program that embeds
 * libnianbao has set a comma-decimal locale (de_DE), as a GTK front end
 * does with setlocale(LC_ALL, "").  Report JSON read and written, the
 * html page's charts and the workbook's numbers must not depend on
 * LC_NUMERIC.
 *
 * The locale comes from the system, or is compiled into a temp folder with
 * localedef (Debian's `locales` package has the sources) and found through
 * LOCPATH; with neither, the suite is skipped and says so. */
#include <locale.h>
#include "c_locale.h"
#include "util.h"
#include "test_outputs_common.h"

#define COMMA_LOCALE "de_DE.UTF-8"

static char *locdir; /* where localedef wrote it, or NULL */

/* True when LC_ALL is now a locale whose decimal point is a comma. */
static bool enter_comma_locale(void)
{
    if (!setlocale(LC_ALL, COMMA_LOCALE)) {
        locdir = tu_tempdir();
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/" COMMA_LOCALE "' >/dev/null 2>&1", locdir);
        if (system(cmd) != 0 || setenv("LOCPATH", locdir, 1) != 0 || !setlocale(LC_ALL, COMMA_LOCALE))
            return false;
    }
    return strcmp(localeconv()->decimal_point, ",") == 0;
}

START_TEST(helpers_read_and_print_a_point)
{
    ck_assert(strtod("12.5", NULL) == 12.0); /* the locale is in force: plain strtod stops at '.' */
    char *end;
    ck_assert(nb_strtod_c("12.5x", &end) == 12.5);
    ck_assert_str_eq(end, "x");
    char buf[32];
    ck_assert_int_eq(nb_snprintf_c(buf, sizeof buf, "%.2f", 2.5), 4);
    ck_assert_str_eq(buf, "2.50");
    nb_snprintf_c(buf, sizeof buf, "%.*g", 3, 0.125);
    ck_assert_str_eq(buf, "0.125");
    snprintf(buf, sizeof buf, "%.1f", 2.5); /* while this thread's own printf still says 2,5 */
    ck_assert_str_eq(buf, "2,5");
}
END_TEST

/* "5949.088667" and its exponent form both read back as that decimal; the
 * tree writer (nb_report_to_json) writes it whole, not 5949.0. */
START_TEST(report_json_keeps_decimals)
{
    nb_report *r = to_gen_report(0);
    nb_num want;
    ck_assert(nb_report_get_num(r, TO_FEES_PATH, &want));
    char digits[48];
    nb_num_format(want, digits, sizeof digits);
    ck_assert_str_eq(digits, "5949.088667");

    json_t *tree = nb_report_to_json(r, 0);
    char *dumped = json_dumps(tree, JSON_COMPACT);
    ck_assert_msg(strstr(dumped, "\"amount_wan\":5949.088667") != NULL, "tree writer: %.300s",
                  strstr(dumped, "amount_wan") ? strstr(dumped, "amount_wan") : dumped);
    free(dumped);
    json_decref(tree);

    char *text = nb_report_to_json_text(r, 0);
    ck_assert_ptr_nonnull(text);
    char *at = strstr(text, "5949.088667");
    ck_assert_ptr_nonnull(at);
    const char *forms[] = {"5949.088667", "5.949088667e3", "5949088667e-6"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        size_t pre = (size_t)(at - text), old = strlen("5949.088667"), len = strlen(text);
        char *t = malloc(len + 32);
        memcpy(t, text, pre);
        strcpy(t + pre, forms[i]);
        strcat(t, at + old);
        nb_error err;
        nb_report *back = nb_report_from_json_text(tu_templates(), t, strlen(t), &err);
        ck_assert_msg(back != NULL, "%s: %s", forms[i], err.text);
        nb_num got;
        ck_assert_msg(nb_report_get_num(back, TO_FEES_PATH, &got), "%s: the cell is lost", forms[i]);
        nb_num_format(got, digits, sizeof digits);
        ck_assert_msg(nb_num_cmp(got, want) == 0, "%s read back as %s", forms[i], digits);
        nb_report_free(back);
        free(t);
    }
    nb_free(text);
    nb_report_free(r);
}
END_TEST

/* Two generated reports through the output `to` into a new folder *dir;
 * returns the output's path (the caller frees it, removes and frees *dir). */
static char *write_output(const char *to, const char *name, char **dir)
{
    *dir = tu_tempdir();
    nb_report *r[2] = {to_gen_report(0), to_gen_report(2)};
    char *in = to_write_ndjson(*dir, "in.ndjson", r, 2);
    char *out = tu_path(*dir, name);
    nb_error err;
    ck_assert_msg(to_run(in, "ndjson", to, out, NULL, NULL, &err) == NB_OK, "%s: %s", to, err.text);
    free(in);
    nb_report_free(r[0]);
    nb_report_free(r[1]);
    return out;
}

/* The charts' coordinates: the axis of the requests chart sits at y 220.0. */
START_TEST(html_charts_keep_points)
{
    char *dir;
    char *out = write_output("html", "page.html", &dir);
    char *page = tu_read_file(out, NULL);
    ck_assert_ptr_nonnull(page);
    ck_assert_msg(strstr(page, "y1=\"220.0\"") != NULL, "no axis at 220.0");
    ck_assert_msg(strstr(page, "220,0") == NULL, "a comma in the SVG");
    free(page);
    free(out);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

/* Every number in a sheet: cell values and column widths ("13,4" is a
 * file Excel refuses to open). */
static bool comma_number(const char *xml)
{
    for (const char *p = xml; (p = strpbrk(p, "<w")); p++) {
        const char *v = strncmp(p, "<v>", 3) == 0 ? p + 3 : strncmp(p, "width=\"", 7) == 0 ? p + 7 : NULL;
        if (!v)
            continue;
        v += strspn(v, "-0123456789");
        if (*v == ',')
            return true;
    }
    return false;
}

START_TEST(xlsx_numbers_keep_points)
{
    char *dir;
    char *out = write_output("xlsx", "book.xlsx", &dir);
    for (int sheet = 1; sheet <= 4; sheet++) {
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/worksheets/sheet%d.xml", out, sheet);
        FILE *p = popen(cmd, "r");
        ck_assert_ptr_nonnull(p);
        nb_buf b = {0};
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
            nb_buf_add(&b, chunk, n);
        pclose(p);
        ck_assert_msg(b.len > 0, "sheet %d missing", sheet);
        ck_assert_msg(!comma_number(b.s), "sheet %d has a number with a comma", sheet);
        if (sheet == 1)
            ck_assert_msg(strstr(b.s, "<v>5949.088667</v>") != NULL, "the fees cell is not 5949.088667");
        nb_buf_free(&b);
    }
    free(out);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

static void drop_locdir(void)
{
    if (locdir) {
        tu_rmrf(locdir);
        free(locdir);
        locdir = NULL;
    }
}

int main(void)
{
    if (!enter_comma_locale()) {
        fprintf(stderr, "test_locale: no comma-decimal locale (%s; Debian's `locales` package "
                        "has its sources for localedef), skipped\n", COMMA_LOCALE);
        drop_locdir();
        return 77;
    }
    Suite *s = suite_create("locale");
    TCase *tc = tcase_create("comma");
    tcase_add_test(tc, helpers_read_and_print_a_point);
    tcase_add_test(tc, report_json_keeps_decimals);
    tcase_add_test(tc, html_charts_keep_points);
    tcase_add_test(tc, xlsx_numbers_keep_points);
    suite_add_tcase(s, tc);
    int rc = tu_main(s);
    drop_locdir();
    return rc;
}
