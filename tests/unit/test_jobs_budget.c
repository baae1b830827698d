/* test_jobs_budget.c - with -j, inputs read on the workers are held as
 * bytes until a worker takes them, within a budget of J_HELD_PER_THREAD a
 * thread (run_jobs.c); past it the reading thread reads the input itself.
 * Reports of about 1 MB each, read by tests/plugins/gate_in.c, whose
 * workers wait at a gate this test opens once every input is queued: the
 * ring fills the same way on every machine and under valgrind.  The held
 * bytes never pass the budget, the inputs past it are refused and the
 * rest held, and the reports come out as a sequential run gives them, in
 * the same order. */
#include "testutil.h"
#include "run_internal.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NFILES 24
#define FILE_BYTES (1000u << 10) /* under run_reading.c's 1 MiB for the workers */

/* A report of the example's text and a long closing section, size bytes
 * or just under (whole lines of one sentence); the sentence count tells
 * the files apart. */
static char *padded_report(const char *base, size_t size, size_t *len)
{
    static const char line[] = "本机关将继续完善政府信息公开工作机制，及时回应社会关切，提升公开质量。\n";
    size_t n = strlen(base);
    char *s = malloc(size + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, base, n);
    while (n + sizeof line - 1 <= size) {
        memcpy(s + n, line, sizeof line - 1);
        n += sizeof line - 1;
    }
    s[n] = '\0';
    *len = n;
    return s;
}

typedef struct seen {
    nb_run *run;     /* NULL: a sequential run (no budget to look at) */
    char *texts[NFILES];
    size_t n;
    nb_jobs_held queued; /* once every input is queued */
    nb_jobs_held last;   /* at the end of the run */
} seen;

/* On the writing thread, which is also the reading thread: the budget's
 * counters are its own. */
static void on_report(void *ctx, const nb_report *r)
{
    seen *s = ctx;
    ck_assert_uint_lt(s->n, NFILES);
    s->texts[s->n++] = nb_report_to_json_text(r, 0);
    if (s->run && s->run->jobs) {
        nb_jobs_held b = nb_jobs_budget(s->run->jobs);
        ck_assert_msg(b.held <= b.max, "%zu bytes held, budget %zu", b.held, b.max);
    }
}

/* A context with the build's plugins and the gate fixture (copied to its
 * own folder: the fixtures' folder holds plugins refused on purpose). */
static nb_context *gate_context(const char *plugins)
{
    char *src = tu_path(getenv("NB_TEST_PLUGIN_DIR"), "nianbao-in-fixgate.so");
    char *dst = tu_path(plugins, "nianbao-in-fixgate.so");
    ck_assert_msg(tu_copy_file(src, dst) == 0, "%s not built", src);
    free(src);
    free(dst);
    return tu_context_plugins(plugins);
}

/* Converts the folder in with `jobs` threads; gate: the file the workers
 * wait for, made once every input is queued (nb_run_input returns). */
static void run_dir(const char *in, const char *plugins, const char *gate, int jobs, seen *out)
{
    nb_context *ctx = gate_context(plugins);
    char opt[600];
    snprintf(opt, sizeof opt, "fixgate.gate=%s", gate);
    const char *const in_options[] = {opt, NULL};
    nb_run_config cfg = {0};
    cfg.validate = true;
    cfg.jobs = jobs;
    cfg.in_options = in_options;
    cfg.on_report = on_report;
    cfg.cb_ctx = out;
    nb_error err;
    nb_error_clear(&err);
    nb_run *run = nb_run_new(ctx, &cfg, &err);
    ck_assert_msg(run != NULL, "nb_run_new: %s", err.text);
    out->run = jobs > 1 ? run : NULL;
    ck_assert_int_ne(nb_run_input(run, in, &err), NB_FATAL);
    if (out->run) /* all queued, no worker past its first input */
        out->queued = nb_jobs_budget(run->jobs);
    ck_assert_int_eq(tu_write_file(gate, "", 0), 0);
    nb_summary sum;
    ck_assert_int_eq(nb_run_finish(run, &sum, &err), NB_OK);
    ck_assert_uint_eq(sum.converted, NFILES);
    if (out->run)
        out->last = nb_jobs_budget(run->jobs);
    out->run = NULL;
    remove(gate);
    nb_run_free(run);
    nb_context_free(ctx);
}

START_TEST(inputs_past_the_budget_are_read_here_with_the_same_output)
{
    char *ex = tu_path(tu_source_dir(), "examples/reports/baisha-ecology-2024.txt");
    size_t blen = 0;
    char *base = tu_read_file(ex, &blen);
    ck_assert_ptr_nonnull(base);
    char *dir = tu_tempdir(), *plugins = tu_tempdir();
    char *in = tu_path(dir, "in"), *gate = tu_path(dir, "gate");
    ck_assert_int_eq(mkdir(in, 0700), 0);
    size_t sizes[NFILES];
    for (int i = 0; i < NFILES; i++) {
        size_t len;
        char *text = padded_report(base, FILE_BYTES - 300u * (unsigned)i, &len);
        sizes[i] = len;
        char name[32];
        snprintf(name, sizeof name, "r%02d.fixgate", i);
        char *path = tu_path(in, name);
        ck_assert_int_eq(tu_write_file(path, text, len), 0);
        free(path);
        free(text);
    }
    seen one = {0}, two = {0};
    run_dir(in, plugins, gate, 1, &one);
    run_dir(in, plugins, gate, 2, &two);
    /* the inputs as the reading thread counts them: in order, each held
     * while it fits the budget (the workers wait at the gate) */
    size_t held = 0, refused = 0;
    for (int i = 0; i < NFILES; i++) {
        if (held + sizes[i] <= two.queued.max)
            held += sizes[i];
        else
            refused++;
    }
    ck_assert_msg(held > 0 && refused > 0, "a budget of %zu bytes takes all or none of these inputs",
                  two.queued.max);
    ck_assert_uint_eq(two.queued.held, held);
    ck_assert_uint_eq(two.queued.refused, refused);
    ck_assert_uint_eq(two.last.held, 0); /* all written, nothing held */
    ck_assert_uint_eq(two.last.refused, refused);
    ck_assert_uint_eq(one.n, two.n);
    for (size_t i = 0; i < one.n; i++) {
        ck_assert_ptr_nonnull(one.texts[i]);
        ck_assert_ptr_nonnull(two.texts[i]);
        ck_assert_msg(strcmp(one.texts[i], two.texts[i]) == 0, "report %zu differs between -j 1 and -j 2", i);
        free(one.texts[i]);
        free(two.texts[i]);
    }
    tu_rmrf(dir);
    tu_rmrf(plugins);
    free(in);
    free(gate);
    free(dir);
    free(plugins);
    free(base);
    free(ex);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jobs_budget");
    TCase *tc = tcase_create("budget");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, inputs_past_the_budget_are_read_here_with_the_same_output);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
