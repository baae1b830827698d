/* test_source_hash.c - a source's SHA-256 is computed only when someone can
 * read it (run.c's hash_sources, NB_CAP_NO_SOURCE_HASH).  A stream told
 * not to hash reads "" (unknown), never the empty input's hash; the outputs
 * that print the hash (json, ndjson) do not have the capability and the
 * others do; a run with an on_report callback hashes whatever the output;
 * and a JSON run prints the hash of the bytes read. */
#include "testutil.h"
#include "sha256.h"
#include "stream_internal.h"
#include "nianbao/nianbao.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void sha_of(const void *p, size_t n, char out[65])
{
    nb_sha256 c;
    nb_sha256_init(&c);
    nb_sha256_update(&c, p, n);
    nb_sha256_hex(&c, out);
}

/* The bytes of a stream read to its end, hashed or not. */
static void read_stream(const char *data, size_t len, bool skip, char hash[65])
{
    nb_stream *s = nb_stream_from_memory("m", data, len);
    ck_assert_ptr_nonnull(s);
    if (skip)
        nb_stream_skip_hash(s);
    nb_error err;
    nb_error_clear(&err);
    char *buf = NULL;
    size_t n = 0;
    ck_assert_int_eq(nb_stream_read_all(s, 1u << 20, &buf, &n, &err), NB_OK);
    ck_assert_uint_eq(n, len);
    ck_assert(memcmp(buf, data, len) == 0);
    nb_stream_sha256(s, hash);
    free(buf);
    nb_stream_free(s);
}

START_TEST(skipped_stream_reads_unknown)
{
    static const char *const texts[] = {"", "a", "政府信息公开工作年度报告\n一、总体情况\n"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char got[65], want[65];
        read_stream(texts[i], strlen(texts[i]), false, got);
        sha_of(texts[i], strlen(texts[i]), want);
        ck_assert_str_eq(got, want);
        read_stream(texts[i], strlen(texts[i]), true, got);
        ck_assert_str_eq(got, "");
    }
}
END_TEST

START_TEST(outputs_that_print_the_hash_lack_the_capability)
{
    nb_context *ctx = tu_context();
    ck_assert_ptr_nonnull(ctx);
    static const struct {
        const char *name;
        bool skips;
    } outs[] = {{"json", false}, {"ndjson", false}, {"csv", true}, {"xlsx", true}, {"html", true}};
    for (size_t i = 0; i < sizeof outs / sizeof *outs; i++) {
        const nb_plugin_info *pi = nb_context_find_plugin(ctx, NB_PLUGIN_OUTPUT, outs[i].name);
        ck_assert_msg(pi && pi->plugin, "no %s output", outs[i].name);
        ck_assert_msg(((pi->plugin->caps & NB_CAP_NO_SOURCE_HASH) != 0) == outs[i].skips, "%s: caps %#x",
                      outs[i].name, pi->plugin->caps);
    }
    nb_context_free(ctx);
}
END_TEST

typedef struct seen {
    int n;
    char sha[65];
} seen;

static void on_report(void *ctx, const nb_report *r)
{
    seen *s = ctx;
    s->n++;
    snprintf(s->sha, sizeof s->sha, "%s", nb_report_source_sha256(r));
}

/* Runs one example report to `to` in dir; the callback if given. */
static void run_to(const char *to, const char *in, const char *out, seen *cb)
{
    nb_context *ctx = tu_context();
    ck_assert_ptr_nonnull(ctx);
    nb_run_config cfg = {0};
    cfg.to = to;
    cfg.output = out;
    cfg.validate = true;
    if (cb) {
        cfg.on_report = on_report;
        cfg.cb_ctx = cb;
    }
    nb_error err;
    nb_error_clear(&err);
    nb_run *run = nb_run_new(ctx, &cfg, &err);
    ck_assert_msg(run != NULL, "nb_run_new: %s", err.text);
    ck_assert_int_ne(nb_run_input(run, in, &err), NB_FATAL);
    nb_summary sum;
    ck_assert_int_eq(nb_run_finish(run, &sum, &err), NB_OK);
    nb_run_free(run);
    nb_context_free(ctx);
}

START_TEST(a_callback_gets_the_hash_and_json_prints_it)
{
    char *in = tu_path(tu_source_dir(), "examples/reports/baisha-ecology-2024.txt");
    size_t len = 0;
    char *bytes = tu_read_file(in, &len);
    ck_assert_ptr_nonnull(bytes);
    char want[65];
    sha_of(bytes, len, want);
    char *dir = tu_tempdir();
    char *csv = tu_path(dir, "o.csv"), *json = tu_path(dir, "o.json");
    seen cb = {0};
    run_to("csv", in, csv, &cb); /* an output without the hash, a callback with it */
    ck_assert_int_eq(cb.n, 1);
    ck_assert_str_eq(cb.sha, want);
    run_to("json", in, json, NULL);
    json_error_t je;
    json_t *doc = json_load_file(json, 0, &je);
    ck_assert_msg(doc != NULL, "%s", je.text);
    json_t *first = json_is_array(doc) ? json_array_get(doc, 0) : doc;
    const char *got = json_string_value(json_object_get(json_object_get(first, "source"), "sha256"));
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    json_decref(doc);
    tu_rmrf(dir);
    free(csv);
    free(json);
    free(dir);
    free(bytes);
    free(in);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("source_hash");
    TCase *t = tcase_create("core");
    tcase_add_test(t, skipped_stream_reads_unknown);
    tcase_add_test(t, outputs_that_print_the_hash_lack_the_capability);
    tcase_add_test(t, a_callback_gets_the_hash_and_json_prints_it);
    suite_add_tcase(s, t);
    return tu_main(s);
}
