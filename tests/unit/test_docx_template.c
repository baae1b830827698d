/* test_docx_template.c - the national template as agencies receive it in
 * Word (../shared/corpus/docx/gb2021_blank_template.docx: three tables
 * with gridSpan and vMerge, cells holding only full-width spaces), filled
 * at test time with invented numbers, some cells left blank, and an
 * invented agency and year in its title (make_docx.py fill).  Every value,
 * every blank, the agency and the year must read exactly.  Skipped when
 * ../shared is not beside the project. */
#include "testutil.h"
#include "test_docx_util.h"

static char *g_template, *g_dir;

START_TEST(filled_template_reads_exactly)
{
    int seed = 1 + _i * 7;
    char name[64], truth[64], args[4096];
    snprintf(name, sizeof name, "filled_%d.docx", seed);
    snprintf(truth, sizeof truth, "filled_%d.truth.json", seed);
    char *path = tu_path(g_dir, name), *tpath = tu_path(g_dir, truth);
    snprintf(args, sizeof args, "fill '%s' '%s' %d", g_template, path, seed);
    ck_assert_int_eq(dx_make(args), 0);
    json_t *out = tu_convert_json(path);
    dx_compare_with_truth(dx_first_report(out), tpath);
    json_decref(out);
    free(path);
    free(tpath);
}
END_TEST

int main(void)
{
    const char *shared = tu_shared_dir();
    if (!shared) {
        fprintf(stderr, "test_docx_template: skipped: ../shared (the blank national template) is absent\n");
        return TU_SKIP_CODE;
    }
    g_template = tu_path(shared, "corpus/docx/gb2021_blank_template.docx");
    FILE *f = fopen(g_template, "rb");
    if (!f) {
        fprintf(stderr, "test_docx_template: skipped: %s is absent\n", g_template);
        free(g_template);
        return TU_SKIP_CODE;
    }
    fclose(f);
    if (!dx_have_python("test_docx_template"))
        return TU_SKIP_CODE;
    g_dir = tu_tempdir();
    Suite *s = suite_create("docx_template");
    TCase *tc = tcase_create("filled");
    tcase_add_loop_test(tc, filled_template_reads_exactly, 0, 6);
    suite_add_tcase(s, tc);
    int rc = tu_main(s);
    tu_rmrf(g_dir);
    free(g_dir);
    free(g_template);
    return rc;
}
