/* test_pipeline.c - named pipelines: the file format (good and bad, with
 * file:line in the errors), search order, the shipped files, and the
 * `nianbao run` / `nianbao pipelines` commands end to end. */
#include "test_outputs_common.h"
#include "nianbao/pipeline.h"
#include <sys/stat.h>

static char *dir;

static void setup(void)
{
    dir = tu_tempdir();
}

static void teardown(void)
{
    tu_rmrf(dir);
    free(dir);
    dir = NULL;
}

static nb_pipeline *parse(const char *text, nb_error *err)
{
    nb_error_clear(err);
    return nb_pipeline_parse("/x/demo.pipe", text, strlen(text), err);
}

static void put(const char *sub, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
    ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
}

START_TEST(parses_every_key)
{
    nb_error err;
    nb_pipeline *p = parse("# a comment\n"
                           "name: demo\n"
                           "description: 任何输入 → xlsx #1 keeps its hash\n"
                           "input: tsv   # trailing comment\n"
                           "validate: yes\r\n"
                           "output: csv\n"
                           "option: form=long\n"
                           "option: bom=true\n"
                           "strict: on\n"
                           "provenance: false\n",
                           &err);
    ck_assert_msg(p != NULL, "%s: %s", err.where, err.text);
    ck_assert_str_eq(p->name, "demo");
    ck_assert_str_eq(p->description, "任何输入 → xlsx #1 keeps its hash");
    ck_assert_str_eq(p->input, "tsv");
    ck_assert_str_eq(p->output, "csv");
    ck_assert(p->validate && p->strict && !p->provenance);
    ck_assert_uint_eq(p->noptions, 2);
    ck_assert_str_eq(p->options[0], "form=long");
    ck_assert_str_eq(p->options[1], "bom=true");
    ck_assert_ptr_null(p->options[2]);
    nb_run_config cfg = {0};
    nb_pipeline_apply(p, &cfg);
    ck_assert_str_eq(cfg.from, "tsv");
    ck_assert_str_eq(cfg.to, "csv");
    ck_assert(cfg.validate);
    ck_assert_str_eq(cfg.out_options[1], "bom=true");
    nb_pipeline_free(p);
}
END_TEST

START_TEST(steps_shorthand)
{
    nb_error err;
    nb_pipeline *p = parse("steps: auto then validate then xlsx\n", &err);
    ck_assert_msg(p != NULL, "%s", err.text);
    ck_assert_ptr_null(p->input);
    ck_assert_str_eq(p->output, "xlsx");
    ck_assert(p->validate);
    nb_pipeline_free(p);
    p = parse("steps: txt then ndjson\n", &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->input, "txt");
    ck_assert(!p->validate);
    nb_pipeline_free(p);
}
END_TEST

/* Each bad file: NB_E_CONFIG, the right line, a message naming the problem. */
START_TEST(errors_name_file_and_line)
{
    static const struct { const char *text, *where, *needle; } cases[] = {
        {"output: xlsx\ncolour: red\n", "/x/demo.pipe:2", "unknown key 'colour'"},
        {"output: xlsx\nvalidate: maybe\n", "/x/demo.pipe:2", "not true or false"},
        {"\n\noutput: xlsx\noutput: csv\n", "/x/demo.pipe:4", "given twice"},
        {"name: other\noutput: xlsx\n", "/x/demo.pipe:1", "does not match"},
        {"output: xlsx\noption: labels\n", "/x/demo.pipe:2", "key=value"},
        {"just words\n", "/x/demo.pipe:1", "key: value"},
        {"steps: auto then then xlsx\n", "/x/demo.pipe:1", "steps"},
        {"steps: auto then sort then xlsx\n", "/x/demo.pipe:1", "unknown step 'sort'"},
        {"steps: auto then\n", "/x/demo.pipe:1", "must have a step after it"},
        {"output: x/y\n", "/x/demo.pipe:1", "not a format name"},
        {"description: only\n", "/x/demo.pipe", "no output"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        nb_error err;
        nb_pipeline *p = parse(cases[i].text, &err);
        ck_assert_msg(p == NULL, "case %zu parsed", i);
        ck_assert_int_eq(err.cls, NB_E_CONFIG);
        ck_assert_msg(strcmp(err.where, cases[i].where) == 0, "case %zu where %s", i, err.where);
        ck_assert_msg(strstr(err.text, cases[i].needle) != NULL, "case %zu: %s", i, err.text);
    }
}
END_TEST

START_TEST(first_directory_wins_and_listing)
{
    put("a", "mine.pipe", "description: from a\noutput: csv\n");
    put("b", "mine.pipe", "description: from b\noutput: xlsx\n");
    put("b", "other.pipe", "description: other\noutput: ndjson\n");
    put("b", "broken.pipe", "output: csv\nwat\n");
    put("b", "notes.txt", "not a pipeline\n");
    char dirs[8192];
    snprintf(dirs, sizeof dirs, "%s/a:%s/missing:%s/b", dir, dir, dir);
    nb_error err;
    nb_pipeline *p = nb_pipeline_find(dirs, "mine", &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->description, "from a");
    nb_pipeline_free(p);
    ck_assert_ptr_null(nb_pipeline_find(dirs, "nosuch", &err));
    ck_assert_int_eq(err.cls, NB_E_USAGE);
    ck_assert_ptr_nonnull(strstr(err.text, "mine, other"));
    nb_pipeline_list l;
    ck_assert_int_eq(nb_pipelines_list(dirs, &l, &err), NB_OK);
    ck_assert_uint_eq(l.n, 4);  /* broken, mine, mine (shadowed), other */
    ck_assert_str_eq(l.v[0].name, "broken");
    ck_assert_ptr_null(l.v[0].pipeline);
    ck_assert_ptr_nonnull(strstr(l.v[0].problem, "broken.pipe:2"));
    ck_assert_str_eq(l.v[1].name, "mine");
    ck_assert(!l.v[1].shadowed);
    ck_assert(l.v[2].shadowed);
    ck_assert_str_eq(l.v[3].name, "other");
    nb_pipeline_list_free(&l);
}
END_TEST

/* Every shipped pipeline parses and names plugins that exist. */
START_TEST(shipped_pipelines_are_valid)
{
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s/pipelines", tu_source_dir());
    nb_pipeline_list l;
    nb_error err;
    ck_assert_int_eq(nb_pipelines_list(dirs, &l, &err), NB_OK);
    ck_assert_uint_ge(l.n, 3);
    nb_context *c = tu_context();
    bool excel = false;
    for (size_t i = 0; i < l.n; i++) {
        ck_assert_msg(l.v[i].pipeline != NULL, "%s", l.v[i].problem);
        ck_assert_msg(*l.v[i].pipeline->description, "%s has no description", l.v[i].name);
        ck_assert_msg(nb_context_find_plugin(c, NB_PLUGIN_OUTPUT, l.v[i].pipeline->output),
                      "%s: no output plugin %s", l.v[i].name, l.v[i].pipeline->output);
        excel |= strcmp(l.v[i].name, "excel-report") == 0;
    }
    ck_assert(excel);
    nb_context_free(c);
    nb_pipeline_list_free(&l);
}
END_TEST

START_TEST(cli_lists_pipelines)
{
    char args[4200];
    snprintf(args, sizeof args, "pipelines");
    setenv("XDG_CONFIG_HOME", dir, 1);
    put("nianbao", ".keep", "");
    put("nianbao/pipelines", "my-own.pipe", "description: mine\nsteps: auto then csv\n");
    int rc;
    char *err = NULL, *out = to_cli(args, NULL, &rc, &err);
    ck_assert_msg(rc == 0, "rc %d: %s", rc, err);
    ck_assert_ptr_nonnull(strstr(out, "excel-report"));
    ck_assert_ptr_nonnull(strstr(out, "excel-report.pipe"));
    ck_assert_ptr_nonnull(strstr(out, "my-own"));  /* the user's directory */
    ck_assert_ptr_nonnull(strstr(out, "mine"));
    free(out);
    free(err);
}
END_TEST

START_TEST(cli_run_excel_report)
{
    char *a = to_fixture("songling_wenlv_2023.txt");
    char *b = to_fixture("bailuwan_shijian_2023.txt");
    char *xlsx = tu_path(dir, "r.xlsx");
    char args[8192];
    snprintf(args, sizeof args, "run -q excel-report '%s' '%s' -o '%s'", a, b, xlsx);
    setenv("XDG_CONFIG_HOME", dir, 1);
    int rc;
    char *err = NULL;
    free(to_cli(args, NULL, &rc, &err));
    ck_assert_msg(rc == 0, "rc %d: %s", rc, err);
    char *xml = to_unzip(xlsx, "xl/worksheets/sheet1.xml");
    ck_assert_str_eq(to_xl_cell(xml, 2, 1).value, "松岭县文化和旅游局");
    ck_assert_str_eq(to_xl_cell(xml, 3, 1).value, "白鹭湾区市场监督管理局");
    free(xml);
    /* validate ran: the unbalanced report has findings on the sheet */
    char *d = to_unzip(xlsx, "xl/worksheets/sheet2.xml");
    ck_assert_ptr_nonnull(strstr(d, "bailuwan_shijian_2023.txt"));
    ck_assert_ptr_nonnull(strstr(d, "R-T2-"));
    free(d);
    free(err);
    free(xlsx);
    free(a);
    free(b);
}
END_TEST

START_TEST(cli_run_csv_with_override_and_user_pipeline)
{
    setenv("XDG_CONFIG_HOME", dir, 1);
    put("nianbao", ".keep", "");
    put("nianbao/pipelines", "tidy.pipe", "description: long csv\nsteps: auto then csv\n"
                                          "option: form=long\n");
    char *a = to_fixture("tongxi_zhen_2022.txt");
    char args[8192];
    snprintf(args, sizeof args, "run -q tidy '%s'", a);
    int rc;
    char *err = NULL, *out = to_cli(args, NULL, &rc, &err);
    ck_assert_msg(rc == 0, "rc %d: %s", rc, err);
    ck_assert_ptr_nonnull(strstr(out, "source,agency,year,table,row,column,value\r\n"));
    free(out);
    free(err);
    /* -O comes after the pipeline's options, so it wins */
    snprintf(args, sizeof args, "run -q tidy '%s' -O form=wide", a);
    out = to_cli(args, NULL, &rc, &err);
    ck_assert_msg(rc == 0, "rc %d: %s", rc, err);
    ck_assert_ptr_nonnull(strstr(out, "source,agency,year,template,errors,warnings,"));
    free(out);
    free(err);
    free(a);
}
END_TEST

START_TEST(cli_run_errors)
{
    setenv("XDG_CONFIG_HOME", dir, 1);
    int rc;
    char *err = NULL;
    free(to_cli("run nosuch-pipeline /dev/null", NULL, &rc, &err));
    ck_assert_int_eq(rc, 2);
    ck_assert_ptr_nonnull(strstr(err, "excel-report"));  /* lists the known ones */
    free(err);
    put("nianbao", ".keep", "");
    put("nianbao/pipelines", "bad.pipe", "output: csv\nfrobnicate: 1\n");
    free(to_cli("run bad /dev/null", NULL, &rc, &err));
    ck_assert_int_eq(rc, 78);
    ck_assert_ptr_nonnull(strstr(err, "bad.pipe:2"));
    free(err);
    put("nianbao/pipelines", "ghost.pipe", "steps: auto then parquet\n");
    free(to_cli("run ghost /dev/null", NULL, &rc, &err));
    ck_assert_int_eq(rc, 78);
    ck_assert_ptr_nonnull(strstr(err, "parquet"));
    free(err);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pipeline");
    TCase *tc = tcase_create("pipeline");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, parses_every_key);
    tcase_add_test(tc, steps_shorthand);
    tcase_add_test(tc, errors_name_file_and_line);
    tcase_add_test(tc, first_directory_wins_and_listing);
    tcase_add_test(tc, shipped_pipelines_are_valid);
    tcase_add_test(tc, cli_lists_pipelines);
    tcase_add_test(tc, cli_run_excel_report);
    tcase_add_test(tc, cli_run_csv_with_override_and_user_pipeline);
    tcase_add_test(tc, cli_run_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
