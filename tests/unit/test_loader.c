/* test_loader.c - the plugin loader: each way a plugin can be refused has
 * its own message, discovery never looks at the cwd, the first of two
 * same-named plugins wins, and plugin options are checked by the core.
 * The fixtures are tests/plugins/fixture.c built once per failure mode. */
#include "testutil.h"
#include "util.h"
#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* tests/plugins/nianbao-in-fix<name>.so in the build tree. */
static char *fixture(const char *name)
{
    const char *dir = getenv("NB_TEST_PLUGIN_DIR");
    ck_assert_msg(dir && *dir, "NB_TEST_PLUGIN_DIR is not set; run through ctest");
    char base[64];
    snprintf(base, sizeof base, "nianbao-in-fix%s.so", name);
    char *p = tu_path(dir, base);
    ck_assert_msg(access(p, R_OK) == 0, "fixture %s not built", p);
    return p;
}

/* A copy of the good fixture under the given file name in dir. */
static char *good_copy(const char *dir, const char *base)
{
    char *src = fixture("good"), *dst = tu_path(dir, base);
    ck_assert_int_eq(tu_copy_file(src, dst), 0);
    free(src);
    return dst;
}

/* Loads one file; the context must be unchanged unless it loaded. */
static nb_status load(nb_context *c, const char *path, nb_error *err)
{
    size_t before = nb_context_plugin_count(c);
    nb_error_clear(err);
    nb_status st = nb_context_load_plugin(c, path, err);
    ck_assert_uint_eq(nb_context_plugin_count(c), before + (st == NB_OK));
    if (st != NB_OK)
        ck_assert_int_eq(err->cls, NB_E_PLUGIN);
    return st;
}

/* True when one of the context's load problems is about a file whose path
 * contains path_part and says text. */
static bool has_problem(const nb_context *c, const char *path_part, const char *text)
{
    const nb_load_problem *pr;
    size_t n = nb_context_load_problems(c, &pr);
    for (size_t i = 0; i < n; i++)
        if (strstr(pr[i].path, path_part) && strstr(pr[i].message, text))
            return true;
    return false;
}

static nb_context *context_or_die(void)
{
    nb_context *c = tu_context();
    ck_assert_ptr_nonnull(c);
    return c;
}

/* The refusals ------------------------------------------------------------ */

START_TEST(good_loads_and_is_listed)
{
    nb_context *c = context_or_die();
    char *path = fixture("good"), real[PATH_MAX];
    ck_assert_ptr_nonnull(realpath(path, real));
    nb_error err;
    ck_assert_int_eq(load(c, path, &err), NB_OK);
    const nb_plugin_info *pi = nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixgood");
    ck_assert_ptr_nonnull(pi);
    ck_assert_str_eq(pi->plugin->name, "fixgood");
    ck_assert_int_eq(pi->plugin->kind, NB_PLUGIN_INPUT);
    ck_assert_str_eq(pi->path, real);
    ck_assert_ptr_null(nb_context_find_plugin(c, NB_PLUGIN_OUTPUT, "fixgood"));
    /* listed among the others, and chosen by its extension */
    const nb_plugin_info *last = nb_context_plugin(c, nb_context_plugin_count(c) - 1);
    ck_assert_ptr_eq(last, pi);
    ck_assert_ptr_eq(nb_context_plugin_for_name(c, NB_PLUGIN_INPUT, "report.FIXTURE"), pi);
    free(path);
    nb_context_free(c);
}
END_TEST

/* The plain rule best_for_name follows: the longest extension that ends
 * the name, any case; the first reader listed wins a tie. */
static const nb_plugin_info *plain_for_name(nb_context *c, const char *name)
{
    const nb_plugin_info *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < nb_context_plugin_count(c); i++) {
        const nb_plugin_info *pi = nb_context_plugin(c, i);
        if (!pi->plugin || pi->plugin->kind != NB_PLUGIN_INPUT || !pi->plugin->extensions)
            continue;
        for (const char *const *e = pi->plugin->extensions; *e; e++)
            if (nb_has_suffix_ci(name, *e) && strlen(*e) > best_len) {
                best = pi;
                best_len = strlen(*e);
            }
    }
    return best;
}

START_TEST(for_name_matches_plain_rule)
{
    static const char *const names[] = {"a.txt", "A.TXT", "b.tar.gz", "c.TGZ", "d.md", "e.Markdown",
                                        "f.htm", "f.HTML", "g.x", "", "txt", ".txt", "h.ndjson",
                                        "i.json", "j.docx", "k.zip", "l.7z", "m.tsv", "n.pdf", "o.gz",
                                        "p.jsonl", "q.tar", "r.TXTx", "s.xtxt"};
    nb_context *c = context_or_die();
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        ck_assert_msg(nb_context_plugin_for_name(c, NB_PLUGIN_INPUT, names[i]) == plain_for_name(c, names[i]),
                      "reader for %s", names[i]);
    ck_assert_ptr_nonnull(nb_context_plugin_for_name(c, NB_PLUGIN_INPUT, "A.TXT"));
    nb_context_free(c);
}
END_TEST

START_TEST(abi_major_refused)
{
    nb_context *c = context_or_die();
    char *path = fixture("abimajor"), want[64];
    snprintf(want, sizeof want, "ABI mismatch (plugin %d.0, host %d.%d)", NB_ABI_MAJOR + 1, NB_ABI_MAJOR,
             NB_ABI_MINOR);
    nb_error err;
    ck_assert_int_eq(load(c, path, &err), NB_FAILED);
    ck_assert_msg(strncmp(err.text, want, strlen(want)) == 0, "%s", err.text);
    ck_assert_ptr_nonnull(strstr(err.text, "newer nianbao"));
    ck_assert_ptr_nonnull(strstr(err.where, "nianbao-in-fixabimajor.so"));
    ck_assert_ptr_null(nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixabimajor"));
    free(path);
    nb_context_free(c);
}
END_TEST

/* A plugin built against the previous major (1.x) is refused, and the
 * message says what to do. */
START_TEST(abi_old_major_refused)
{
    nb_context *c = context_or_die();
    char *path = fixture("abiold"), want[64];
    snprintf(want, sizeof want, "ABI mismatch (plugin %d.0, host %d.%d)", NB_ABI_MAJOR - 1, NB_ABI_MAJOR,
             NB_ABI_MINOR);
    nb_error err;
    ck_assert_int_eq(load(c, path, &err), NB_FAILED);
    ck_assert_msg(strncmp(err.text, want, strlen(want)) == 0, "%s", err.text);
    ck_assert_msg(strstr(err.text, "rebuild it against this nianbao's SDK"), "%s", err.text);
    ck_assert_ptr_null(nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixabiold"));
    free(path);
    nb_context_free(c);
}
END_TEST

/* A plugin built against an older minor of this major (x.0, with the x.0
 * descriptor size) loads and is used. */
START_TEST(abi_older_minor_loads_and_runs)
{
    char *dir = tu_tempdir(), *fix = fixture("abioldminor");
    char *copy = tu_path(dir, "nianbao-in-fixabioldminor.so"), *input = tu_path(dir, "x.fixture");
    ck_assert_int_eq(tu_copy_file(fix, copy), 0);
    ck_assert_int_eq(tu_write_file(input, "x\n", 2), 0);
    nb_context *c = context_or_die();
    nb_error err;
    ck_assert_int_eq(load(c, copy, &err), NB_OK);
    const nb_plugin_info *pi = nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixabioldminor");
    ck_assert_ptr_nonnull(pi);
    ck_assert_uint_eq(NB_ABI_VERSION_MINOR(pi->plugin->abi_version), 0);
    ck_assert_uint_le(pi->plugin->struct_size, sizeof(nb_plugin));
    nb_context_free(c);

    char cmd[4096], *out = NULL, *errs = NULL;
    snprintf(cmd, sizeof cmd, "'%s' convert '%s' -t json --plugin-dir '%s'", tu_bin(), input, dir);
    int rc = tu_run(cmd, NULL, &out, &errs);
    ck_assert_msg(rc == 0, "exit %d, stderr: %s", rc, errs);
    /* its next() ran: the member it yields is counted as skipped */
    ck_assert_msg(strstr(errs, "fixture member"), "stderr: %s", errs);
    ck_assert_msg(strstr(errs, "0 converted, 1 skipped, 0 failed"), "stderr: %s", errs);
    free(out);
    free(errs);
    free(fix);
    free(copy);
    free(input);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(abi_minor_newer_refused)
{
    nb_context *c = context_or_die();
    char *path = fixture("abiminor"), want[64];
    snprintf(want, sizeof want, "ABI mismatch (plugin %d.%d, host %d.%d)", NB_ABI_MAJOR, NB_ABI_MINOR + 1,
             NB_ABI_MAJOR, NB_ABI_MINOR);
    nb_error err;
    ck_assert_int_eq(load(c, path, &err), NB_FAILED);
    ck_assert_msg(strncmp(err.text, want, strlen(want)) == 0, "%s", err.text);
    free(path);
    nb_context_free(c);
}
END_TEST

START_TEST(no_entry_point_refused)
{
    nb_context *c = context_or_die();
    char *path = fixture("noentry");
    nb_error err;
    ck_assert_int_eq(load(c, path, &err), NB_FAILED);
    ck_assert_ptr_nonnull(strstr(err.text, "no entry point"));
    ck_assert_ptr_nonnull(strstr(err.text, NB_PLUGIN_ENTRY_SYMBOL));
    ck_assert_ptr_null(strstr(err.text, "cannot open"));
    free(path);
    nb_context_free(c);
}
END_TEST

START_TEST(not_a_shared_object_refused)
{
    nb_context *c = context_or_die();
    char *dir = tu_tempdir(), *path = tu_path(dir, "nianbao-in-junk.so");
    const char junk[] = "this is a text file, not an ELF object\n";
    ck_assert_int_eq(tu_write_file(path, junk, sizeof junk - 1), 0);
    nb_error err;
    ck_assert_int_eq(load(c, path, &err), NB_FAILED);
    const char prefix[] = "cannot open plugin: ";
    ck_assert_int_eq(strncmp(err.text, prefix, sizeof prefix - 1), 0);
    /* dlerror()'s own text follows and names the file */
    ck_assert_ptr_nonnull(strstr(err.text + sizeof prefix - 1, "nianbao-in-junk.so"));
    ck_assert_ptr_null(strstr(err.text, "no such file"));
    free(path);
    tu_rmrf(dir);
    free(dir);
    nb_context_free(c);
}
END_TEST

START_TEST(missing_file_refused)
{
    nb_context *c = context_or_die();
    nb_error err;
    ck_assert_int_eq(load(c, "/nonexistent/nianbao-in-nothing.so", &err), NB_FAILED);
    ck_assert_str_eq(err.text, "cannot open plugin: no such file");
    nb_context_free(c);
}
END_TEST

START_TEST(bad_file_name_refused)
{
    nb_context *c = context_or_die();
    char *dir = tu_tempdir();
    const char *names[] = {"libfixgood.so", "nianbao-fixgood.so", "nianbao-in-fixgood.so.1",
                           "nianbao-filter-fixgood.so"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *p = good_copy(dir, names[i]);
        nb_error err;
        ck_assert_int_eq(load(c, p, &err), NB_FAILED);
        ck_assert_msg(strstr(err.text, "not a plugin file name"), "%s: %s", names[i], err.text);
        free(p);
    }
    tu_rmrf(dir);
    free(dir);
    nb_context_free(c);
}
END_TEST

START_TEST(bad_kind_refused)
{
    nb_context *c = context_or_die();
    char *path = fixture("badkind");
    nb_error err;
    ck_assert_int_eq(load(c, path, &err), NB_FAILED);
    ck_assert_str_eq(err.text, "bad descriptor: file name says input, descriptor says output");
    free(path);
    /* the same check the other way round: an input named as an output */
    char *dir = tu_tempdir(), *out = good_copy(dir, "nianbao-out-fixgood.so");
    ck_assert_int_eq(load(c, out, &err), NB_FAILED);
    ck_assert_str_eq(err.text, "bad descriptor: file name says output, descriptor says input");
    free(out);
    tu_rmrf(dir);
    free(dir);
    nb_context_free(c);
}
END_TEST

/* create() runs when a plugin is used, not when it loads: the failure must
 * surface as a failed input that names the plugin's reason. */
START_TEST(init_failure_surfaces_when_used)
{
    char *dir = tu_tempdir(), *fix = fixture("initfails");
    char *link = tu_path(dir, "nianbao-in-fixinitfails.so"), *input = tu_path(dir, "minutes.fixture");
    ck_assert_int_eq(symlink(fix, link), 0);
    ck_assert_int_eq(tu_write_file(input, "x\n", 2), 0);

    nb_context *c = context_or_die();
    nb_error err;
    ck_assert_int_eq(load(c, link, &err), NB_OK); /* loading alone succeeds */
    nb_context_free(c);

    char cmd[4096], *out = NULL, *errs = NULL;
    snprintf(cmd, sizeof cmd, "'%s' convert '%s' -t json --plugin-dir '%s'", tu_bin(), input, dir);
    int rc = tu_run(cmd, NULL, &out, &errs);
    ck_assert_msg(rc == 65, "exit %d, stderr: %s", rc, errs);
    ck_assert_msg(strstr(errs, "failed to initialise"), "stderr: %s", errs);
    ck_assert_msg(strstr(errs, "fixture refuses to start"), "the plugin's reason is lost: %s", errs);
    ck_assert_msg(strstr(errs, "minutes.fixture"), "the input is not named: %s", errs);
    ck_assert_msg(strstr(errs, "0 converted, 0 skipped, 1 failed"), "stderr: %s", errs);
    free(out);
    free(errs);
    free(fix);
    free(link);
    free(input);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

/* Asking for a format whose plugin was refused names the reason (69). */
START_TEST(cli_refused_plugin_explained)
{
    char *dir = tu_tempdir(), *fix = fixture("abimajor");
    char *link = tu_path(dir, "nianbao-in-fixabimajor.so"), *input = tu_path(dir, "r.txt");
    ck_assert_int_eq(symlink(fix, link), 0);
    ck_assert_int_eq(tu_write_file(input, "x\n", 2), 0);
    char cmd[4096], *out = NULL, *errs = NULL;
    snprintf(cmd, sizeof cmd, "'%s' convert '%s' -f fixabimajor -t json --plugin-dir '%s'", tu_bin(), input, dir);
    int rc = tu_run(cmd, NULL, &out, &errs);
    ck_assert_msg(rc == 69, "exit %d, stderr: %s", rc, errs);
    ck_assert_msg(strstr(errs, "ABI mismatch (plugin"), "stderr: %s", errs);
    ck_assert_str_eq(out, "");
    free(out);
    free(errs);
    snprintf(cmd, sizeof cmd, "'%s' plugins --plugin-dir '%s'", tu_bin(), dir);
    rc = tu_run(cmd, NULL, &out, &errs);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(strstr(errs, "nianbao-in-fixabimajor.so: ABI mismatch"), "plugins: %s", errs);
    ck_assert_ptr_null(strstr(out, "fixabimajor"));
    free(out);
    free(errs);
    free(fix);
    free(link);
    free(input);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

/* Duplicates and discovery ------------------------------------------------ */

START_TEST(duplicate_file_second_refused)
{
    nb_context *c = context_or_die();
    char *path = fixture("good");
    nb_error err;
    ck_assert_int_eq(load(c, path, &err), NB_OK);
    ck_assert_int_eq(load(c, path, &err), NB_WARN);
    ck_assert_ptr_nonnull(strstr(err.text, "plugin fixgood already loaded from"));
    free(path);
    nb_context_free(c);
}
END_TEST

START_TEST(duplicate_names_first_dir_wins)
{
    char *a = tu_tempdir(), *b = tu_tempdir();
    free(good_copy(a, "nianbao-in-fixgood.so"));
    free(good_copy(b, "nianbao-in-fixgood.so"));
    char list[2 * PATH_MAX + 2], *formats = tu_path(tu_source_dir(), "formats");
    snprintf(list, sizeof list, "%s:%s", a, b);
    nb_context_config cfg = {.formats_path = formats, .plugin_path = list};
    nb_error err;
    nb_error_clear(&err);
    nb_context *c = nb_context_new(&cfg, &err);
    ck_assert_ptr_nonnull(c);
    const nb_plugin_info *pi = nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixgood");
    ck_assert_ptr_nonnull(pi);
    ck_assert_msg(strncmp(pi->path, a, strlen(a)) == 0, "loaded from %s, not the first dir %s", pi->path, a);
    ck_assert(has_problem(c, b, "already loaded from"));
    ck_assert(!has_problem(c, a, "already loaded"));
    nb_context_free(c);
    free(formats);
    tu_rmrf(a);
    tu_rmrf(b);
    free(a);
    free(b);
}
END_TEST

START_TEST(build_tree_without_environment)
{
    unsetenv("NIANBAO_PLUGIN_PATH");
    nb_context *c = context_or_die();
    char *dir = tu_path(tu_build_dir(), "plugins"), real[PATH_MAX];
    ck_assert_ptr_nonnull(realpath(dir, real));
    const char *ins[] = {"txt", "markdown", "tsv"}, *outs[] = {"json", "ndjson"};
    for (size_t i = 0; i < 3; i++) {
        const nb_plugin_info *pi = nb_context_find_plugin(c, NB_PLUGIN_INPUT, ins[i]);
        ck_assert_msg(pi, "input %s not found in the build tree", ins[i]);
        ck_assert_msg(strncmp(pi->path, real, strlen(real)) == 0, "%s from %s", ins[i], pi->path);
    }
    for (size_t i = 0; i < 2; i++)
        ck_assert_msg(nb_context_find_plugin(c, NB_PLUGIN_OUTPUT, outs[i]), "output %s missing", outs[i]);
    const nb_load_problem *pr;
    size_t np = nb_context_load_problems(c, &pr);
    ck_assert_msg(np == 0, "load problem in the build tree: %s: %s", np ? pr[0].path : "",
                  np ? pr[0].message : "");
    /* the fixtures live elsewhere and are not picked up */
    ck_assert_ptr_null(nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixgood"));
    free(dir);
    nb_context_free(c);
}
END_TEST

START_TEST(environment_adds_directory)
{
    setenv("NIANBAO_PLUGIN_PATH", getenv("NB_TEST_PLUGIN_DIR"), 1);
    nb_context *c = context_or_die();
    unsetenv("NIANBAO_PLUGIN_PATH");
    ck_assert_ptr_nonnull(nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixgood"));
    ck_assert_ptr_nonnull(nb_context_find_plugin(c, NB_PLUGIN_INPUT, "txt")); /* defaults still there */
    /* a scan records each refusal with its own message and goes on */
    ck_assert(has_problem(c, "nianbao-in-fixabimajor.so", "ABI mismatch"));
    ck_assert(has_problem(c, "nianbao-in-fixabiminor.so", "ABI mismatch"));
    ck_assert(has_problem(c, "nianbao-in-fixnoentry.so", "no entry point"));
    ck_assert(has_problem(c, "nianbao-in-fixbadkind.so", "bad descriptor"));
    ck_assert(!has_problem(c, "nianbao-in-fixgood.so", ""));
    nb_context_free(c);
}
END_TEST

/* Relative entries would make the plugins depend on the cwd: ignored. */
START_TEST(relative_directory_ignored)
{
    char *dir = tu_tempdir(), *sub = tu_path(dir, "rel"), old[PATH_MAX];
    ck_assert_ptr_nonnull(getcwd(old, sizeof old));
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    free(good_copy(dir, "nianbao-in-fixgood.so"));
    free(good_copy(sub, "nianbao-in-fixgood.so"));
    ck_assert_int_eq(chdir(dir), 0);
    setenv("NIANBAO_PLUGIN_PATH", ".:rel:./rel:", 1);
    nb_context *c = context_or_die();
    unsetenv("NIANBAO_PLUGIN_PATH");
    ck_assert_ptr_null(nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixgood"));
    ck_assert_ptr_nonnull(nb_context_find_plugin(c, NB_PLUGIN_INPUT, "txt"));
    nb_context_free(c);
    /* the same for the configured path */
    char *formats = tu_path(tu_source_dir(), "formats");
    nb_context_config cfg = {.formats_path = formats, .plugin_path = "rel"};
    nb_error err;
    nb_error_clear(&err);
    c = nb_context_new(&cfg, &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_null(nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixgood"));
    nb_context_free(c);
    ck_assert_int_eq(chdir(old), 0);
    free(formats);
    free(sub);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

/* The CLI resolves --plugin-dir itself, so a relative one given on purpose
 * works, and a missing one is an error instead of silence. */
START_TEST(cli_plugin_dir_relative_and_missing)
{
    char *dir = tu_tempdir(), *sub = tu_path(dir, "mine");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    free(good_copy(sub, "nianbao-in-fixgood.so"));
    char cmd[4096], *out = NULL, *errs = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' plugins --plugin-dir mine", dir, tu_bin());
    int rc = tu_run(cmd, NULL, &out, &errs);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, errs);
    ck_assert_msg(strstr(out, "fixgood") && strstr(out, sub), "not listed: %s", out);
    free(out);
    free(errs);
    snprintf(cmd, sizeof cmd, "'%s' plugins --plugin-dir '%s/absent'", tu_bin(), dir);
    rc = tu_run(cmd, NULL, &out, &errs);
    ck_assert_msg(rc == 2, "exit %d: %s", rc, errs);
    ck_assert_msg(strstr(errs, "absent"), "the directory is not named: %s", errs);
    ck_assert_str_eq(out, "");
    free(out);
    free(errs);
    free(sub);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

/* Options ----------------------------------------------------------------- */

static const nb_option_def defs[] = {
    {"sheet", NB_OPT_STRING, "报表", "sheet name"},
    {"freeze", NB_OPT_BOOL, "false", "freeze the header"},
    {"width", NB_OPT_INT, "12", "column width"},
    {0}};

START_TEST(options_defaults_and_values)
{
    nb_options *o = nb_options_new(defs);
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(nb_options_get(o, "sheet"), "报表");
    ck_assert(!nb_options_get_bool(o, "freeze"));
    ck_assert_int_eq(nb_options_get_int(o, "width"), 12);
    ck_assert_ptr_null(nb_options_get(o, "colour"));
    nb_error err;
    nb_error_clear(&err);
    ck_assert_int_eq(nb_options_set(o, "xlsx", "sheet=年报=2023", &err), NB_OK); /* '=' in a value */
    ck_assert_int_eq(nb_options_set(o, "xlsx", "freeze", &err), NB_OK);          /* bare key: on */
    ck_assert_int_eq(nb_options_set(o, "xlsx", "width=-3", &err), NB_OK);
    ck_assert_str_eq(nb_options_get(o, "sheet"), "年报=2023");
    ck_assert(nb_options_get_bool(o, "freeze"));
    ck_assert_int_eq(nb_options_get_int(o, "width"), -3);
    ck_assert_int_eq(nb_options_set(o, "xlsx", "freeze=off", &err), NB_OK);
    ck_assert(!nb_options_get_bool(o, "freeze"));
    nb_options_free(o);
}
END_TEST

START_TEST(options_unknown_key_lists_valid)
{
    nb_options *o = nb_options_new(defs);
    nb_error err;
    nb_error_clear(&err);
    ck_assert_int_eq(nb_options_set(o, "xlsx", "colour=red", &err), NB_FAILED);
    ck_assert_int_eq(err.cls, NB_E_USAGE);
    ck_assert_str_eq(err.where, "xlsx");
    ck_assert_str_eq(err.text, "unknown option \"colour\"; valid options: sheet, freeze, width");
    /* a prefix of a real key is not that key */
    nb_error_clear(&err);
    ck_assert_int_eq(nb_options_set(o, "xlsx", "wid=3", &err), NB_FAILED);
    ck_assert_ptr_nonnull(strstr(err.text, "unknown option \"wid\""));
    nb_options_free(o);

    nb_options *none = nb_options_new(NULL);
    nb_error_clear(&err);
    ck_assert_int_eq(nb_options_set(none, "txt", "x=1", &err), NB_FAILED);
    ck_assert_ptr_nonnull(strstr(err.text, "valid options: (none)"));
    nb_options_free(none);
}
END_TEST

START_TEST(options_type_errors)
{
    nb_options *o = nb_options_new(defs);
    nb_error err;
    const char *bad[][2] = {{"freeze=maybe", "option freeze takes true or false, not \"maybe\""},
                            {"freeze=", "option freeze takes true or false, not \"\""},
                            {"width=12px", "option width takes a whole number, not \"12px\""},
                            {"width=", "option width takes a whole number, not \"\""},
                            {"width=99999999999999999999", "option width takes a whole number"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        nb_error_clear(&err);
        ck_assert_int_eq(nb_options_set(o, "xlsx", bad[i][0], &err), NB_FAILED);
        ck_assert_int_eq(err.cls, NB_E_USAGE);
        ck_assert_msg(strncmp(err.text, bad[i][1], strlen(bad[i][1])) == 0, "%s: %s", bad[i][0], err.text);
    }
    /* a refused value leaves the previous one in force */
    ck_assert_int_eq(nb_options_get_int(o, "width"), 12);
    ck_assert(!nb_options_get_bool(o, "freeze"));
    nb_options_free(o);
}
END_TEST

static Suite *loader_suite(void)
{
    Suite *s = suite_create("loader");
    TCase *t = tcase_create("refusals");
    tcase_add_test(t, good_loads_and_is_listed);
    tcase_add_test(t, for_name_matches_plain_rule);
    tcase_add_test(t, abi_major_refused);
    tcase_add_test(t, abi_minor_newer_refused);
    tcase_add_test(t, abi_old_major_refused);
    tcase_add_test(t, abi_older_minor_loads_and_runs);
    tcase_add_test(t, no_entry_point_refused);
    tcase_add_test(t, not_a_shared_object_refused);
    tcase_add_test(t, missing_file_refused);
    tcase_add_test(t, bad_file_name_refused);
    tcase_add_test(t, bad_kind_refused);
    tcase_add_test(t, init_failure_surfaces_when_used);
    tcase_add_test(t, cli_refused_plugin_explained);
    suite_add_tcase(s, t);
    t = tcase_create("discovery");
    tcase_add_test(t, duplicate_file_second_refused);
    tcase_add_test(t, duplicate_names_first_dir_wins);
    tcase_add_test(t, build_tree_without_environment);
    tcase_add_test(t, environment_adds_directory);
    tcase_add_test(t, relative_directory_ignored);
    tcase_add_test(t, cli_plugin_dir_relative_and_missing);
    suite_add_tcase(s, t);
    t = tcase_create("options");
    tcase_add_test(t, options_defaults_and_values);
    tcase_add_test(t, options_unknown_key_lists_valid);
    tcase_add_test(t, options_type_errors);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_main(loader_suite()); }
