/* test_loader_lazy.c - plugins listed from their manifests
 * (PLUGIN.so.manifest) are opened only when a lookup needs them; a stale
 * or broken manifest falls back to opening at start-up, and a manifest
 * that lies is caught when the plugin is opened.  The manifests here are
 * written by the test for a copy of the good fixture plugin. */
#include "testutil.h"
#include "context_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static nb_loaded *entry(nb_context *c, nb_plugin_kind k, const char *name)
{
    for (size_t i = 0; i < c->nplugins; i++)
        if (c->plugins[i].desc.kind == k && strcmp(c->plugins[i].desc.name, name) == 0)
            return &c->plugins[i];
    return NULL;
}

static bool has_problem(const nb_context *c, const char *text)
{
    const nb_load_problem *pr;
    size_t n = nb_context_load_problems(c, &pr);
    for (size_t i = 0; i < n; i++)
        if (strstr(pr[i].message, text))
            return true;
    return false;
}

/* dir/nianbao-in-fixgood.so, a copy of the fixture, and its manifest
 * announcing `name` with ABI `abi` and file size `size_delta` off. */
static char *fixture_with_manifest(const char *dir, const char *name, unsigned abi, long size_delta)
{
    char *src = tu_path(getenv("NB_TEST_PLUGIN_DIR"), "nianbao-in-fixgood.so");
    char *dst = tu_path(dir, "nianbao-in-fixgood.so");
    size_t n;
    char *buf = tu_read_file(src, &n);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(tu_write_file(dst, buf, n), 0);
    char m[1024], mpath[4096];
    int ml = snprintf(m, sizeof m,
                      "{\"schema\": \"nianbao.plugin-manifest/1\", \"file_size\": %ld, \"abi_version\": %u,"
                      " \"struct_size\": %zu, \"name\": \"%s\", \"version\": \"9.9\", \"description\": \"d\","
                      " \"kind\": 1, \"caps\": 0, \"extensions\": [\".fixlazy\"],"
                      " \"options\": [{\"name\": \"level\", \"type\": 2, \"default\": \"3\", \"help\": \"h\"}],"
                      " \"probe\": false}",
                      (long)n + size_delta, abi, sizeof(nb_plugin), name);
    snprintf(mpath, sizeof mpath, "%s.manifest", dst);
    ck_assert_int_eq(tu_write_file(mpath, m, (size_t)ml), 0);
    free(buf);
    free(src);
    return dst;
}

START_TEST(built_plugins_open_on_first_use)
{
    nb_context *c = tu_context();
    ck_assert_ptr_nonnull(c);
    nb_loaded *txt = entry(c, NB_PLUGIN_INPUT, "txt"), *pdf = entry(c, NB_PLUGIN_INPUT, "pdf");
    ck_assert_ptr_nonnull(txt);
    ck_assert_msg(!txt->handle && txt->manifest, "txt opened at start-up: no manifest beside it?");
    ck_assert_ptr_nonnull(txt->desc.extensions); /* listed: chosen by extension without opening */
    const nb_plugin_info *pi = nb_context_plugin_for_name(c, NB_PLUGIN_INPUT, "a/b.TXT");
    ck_assert_ptr_eq(pi, &txt->info);
    ck_assert(txt->handle && pi->plugin->open && pi->plugin->next && pi->plugin->create);
    if (pdf)
        ck_assert_msg(!pdf->handle, "pdf opened though no PDF was asked for");
    nb_context_free(c);
}
END_TEST

START_TEST(listed_from_manifest_then_opened)
{
    char *dir = tu_tempdir();
    free(fixture_with_manifest(dir, "fixgood", NB_ABI_VERSION, 0));
    nb_context *c = tu_context_plugins(dir);
    nb_loaded *L = entry(c, NB_PLUGIN_INPUT, "fixgood");
    ck_assert_ptr_nonnull(L);
    ck_assert_ptr_null(L->handle);
    /* the options are the manifest's until the plugin is opened */
    ck_assert_str_eq(L->desc.options[0].name, "level");
    ck_assert_str_eq(L->desc.version, "9.9");
    ck_assert_ptr_null(L->desc.create);
    const nb_plugin_info *pi = nb_context_find_plugin(c, NB_PLUGIN_INPUT, "FIXGOOD");
    ck_assert_ptr_eq(pi, &L->info);
    ck_assert_ptr_nonnull(L->handle);
    ck_assert_str_eq(pi->plugin->version, "0.0"); /* now the plugin's own descriptor */
    ck_assert_ptr_nonnull(pi->plugin->create);
    ck_assert(!has_problem(c, ""));
    nb_context_free(c);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(stale_manifest_opens_at_start)
{
    char *dir = tu_tempdir();
    free(fixture_with_manifest(dir, "fixgood", NB_ABI_VERSION, 1)); /* the .so changed size */
    nb_context *c = tu_context_plugins(dir);
    nb_loaded *L = entry(c, NB_PLUGIN_INPUT, "fixgood");
    ck_assert_ptr_nonnull(L);
    ck_assert_ptr_nonnull(L->handle);
    ck_assert_str_eq(L->desc.version, "0.0");
    nb_context_free(c);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(nameless_manifest_ignored)
{
    char *dir = tu_tempdir();
    free(fixture_with_manifest(dir, "", NB_ABI_VERSION, 0));
    nb_context *c = tu_context_plugins(dir);
    nb_loaded *L = entry(c, NB_PLUGIN_INPUT, "fixgood"); /* opened and judged itself */
    ck_assert_ptr_nonnull(L);
    ck_assert_ptr_nonnull(L->handle);
    ck_assert(!has_problem(c, ""));
    nb_context_free(c);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(lying_manifest_caught_when_opened)
{
    char *dir = tu_tempdir();
    free(fixture_with_manifest(dir, "fixother", NB_ABI_VERSION, 0));
    nb_context *c = tu_context_plugins(dir);
    ck_assert_ptr_nonnull(entry(c, NB_PLUGIN_INPUT, "fixother"));
    ck_assert_ptr_null(nb_context_find_plugin(c, NB_PLUGIN_INPUT, "fixother"));
    ck_assert(has_problem(c, "does not match its manifest"));
    /* refused once, not opened again */
    ck_assert_ptr_null(nb_context_plugin_for_name(c, NB_PLUGIN_INPUT, "x.fixlazy"));
    nb_context_free(c);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(manifest_abi_mismatch_refused_at_scan)
{
    char *dir = tu_tempdir();
    free(fixture_with_manifest(dir, "fixgood", (uint32_t)((NB_ABI_MAJOR + 1) << 16), 0));
    nb_context *c = tu_context_plugins(dir);
    ck_assert_ptr_null(entry(c, NB_PLUGIN_INPUT, "fixgood"));
    ck_assert(has_problem(c, "ABI mismatch"));
    nb_context_free(c);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(probing_opens_probing_plugins)
{
    nb_context *c = tu_context();
    ck_assert_ptr_nonnull(c);
    static const unsigned char html[] = "<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>";
    int score = 0;
    const nb_plugin_info *pi = nb_context_probe(c, html, sizeof html - 1, &score);
    ck_assert_ptr_nonnull(pi);
    ck_assert_str_eq(pi->plugin->name, "html");
    ck_assert_int_gt(score, 0);
    nb_loaded *out = entry(c, NB_PLUGIN_OUTPUT, "xlsx");
    if (out)
        ck_assert_msg(!out->handle, "probing an input opened an output");
    nb_context_free(c);
}
END_TEST

static Suite *lazy_suite(void)
{
    Suite *s = suite_create("loader_lazy");
    TCase *t = tcase_create("manifests");
    tcase_add_test(t, built_plugins_open_on_first_use);
    tcase_add_test(t, listed_from_manifest_then_opened);
    tcase_add_test(t, stale_manifest_opens_at_start);
    tcase_add_test(t, nameless_manifest_ignored);
    tcase_add_test(t, lying_manifest_caught_when_opened);
    tcase_add_test(t, manifest_abi_mismatch_refused_at_scan);
    tcase_add_test(t, probing_opens_probing_plugins);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_main(lazy_suite()); }
