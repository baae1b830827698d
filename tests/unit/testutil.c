/* testutil.c - helpers shared by the Check suites. */
#include "testutil.h"
#include "recognise_relations.h"
#include "model_internal.h"
#include <stdbool.h>
#include <jansson.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

const char *tu_source_dir(void) { return env_or("NB_SOURCE_DIR", "."); }
const char *tu_build_dir(void) { return env_or("NB_BUILD_DIR", "."); }
const char *tu_bin(void) { return env_or("NB_BIN", "nianbao"); }

const char *tu_shared_dir(void)
{
    const char *d = getenv("NB_SHARED_DIR");
    struct stat st;
    if (d && *d && stat(d, &st) == 0 && S_ISDIR(st.st_mode))
        return d;
    return NULL;
}

/* The suites link the core statically (nianbao_internal); the plugins they
 * load link libnianbao.so.  Pinning that library once keeps it from being
 * unloaded and loaded again with every context's plugins, which made
 * suites that create a context per case slow. */
static void pin_shared_library(void)
{
    static bool pinned;
    if (pinned)
        return;
    pinned = true;
    char *lib = tu_path(tu_build_dir(), "lib/libnianbao.so." NB_ABI_MAJOR_STR);
    (void)dlopen(lib, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE); /* absent: plugins load it */
    free(lib);
}

nb_context *tu_context(void)
{
    pin_shared_library();
    nb_error err;
    nb_error_clear(&err);
    char *formats = tu_path(tu_source_dir(), "formats");
    nb_context_config cfg = {.formats_path = formats};
    nb_context *c = nb_context_new(&cfg, &err);
    free(formats);
    if (!c)
        fprintf(stderr, "tu_context: %s: %s\n", err.where, err.text);
    return c;
}

/* Loaded once per test process and kept until exit: the suites' reports
 * borrow from it. */
const nb_templates *tu_templates(void)
{
    static nb_templates *t;
    if (!t) {
        nb_error err;
        nb_error_clear(&err);
        char *dir = tu_path(tu_source_dir(), "formats/templates");
        t = nb_templates_load(dir, &err);
        free(dir);
        if (!t)
            fprintf(stderr, "tu_templates: %s: %s\n", err.where, err.text);
        /* the recogniser's column relations come from the rules, as in a context */
        char *rdir = tu_path(tu_source_dir(), "formats/rules");
        nb_ruleset *rs = t ? nb_ruleset_load(rdir, t, &err) : NULL;
        free(rdir);
        if (t && (!rs || !rc_relations_from_rules(t, rs)))
            fprintf(stderr, "tu_templates: rules: %s: %s\n", err.where, err.text);
        nb_ruleset_free(rs);
    }
    return t;
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + r + 1 > cap) {
            cap = (n + r + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        memcpy(buf + n, chunk, r);
        n += r;
    }
    fclose(f);
    if (!buf && !(buf = malloc(1)))
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int tu_write_file(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(buf, 1, len, f);
    return fclose(f) == 0 && w == len ? 0 : -1;
}

int tu_copy_file(const char *from, const char *to)
{
    size_t n;
    char *buf = tu_read_file(from, &n);
    int rc = buf ? tu_write_file(to, buf, n) : -1;
    free(buf);
    return rc;
}

char *tu_tempdir(void)
{
    const char *base = env_or("TMPDIR", "/tmp");
    char *t = malloc(strlen(base) + 32);
    if (!t)
        return NULL;
    sprintf(t, "%s/nbtest-XXXXXX", base);
    if (!mkdtemp(t)) {
        free(t);
        return NULL;
    }
    return t;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

void tu_rmrf(const char *path)
{
    if (path)
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_path(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    if (p)
        sprintf(p, "%s/%s", dir, name);
    return p;
}

static char *slurp_fd(int fd)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    char chunk[65536];
    ssize_t r;
    while ((r = read(fd, chunk, sizeof chunk)) > 0) {
        if (n + (size_t)r + 1 > cap) {
            cap = (n + (size_t)r + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb)
                break;
            buf = nb;
        }
        memcpy(buf + n, chunk, (size_t)r);
        n += (size_t)r;
    }
    if (!buf)
        buf = calloc(1, 1);
    else
        buf[n] = '\0';
    return buf;
}

/* stdin, stdout and stderr go through temp files so a large output cannot
 * dead-lock the pipe. */
int tu_run(const char *cmdline, const char *stdin_data, char **out, char **err)
{
    char in_path[] = "/tmp/nbrun-in-XXXXXX", out_path[] = "/tmp/nbrun-out-XXXXXX",
         err_path[] = "/tmp/nbrun-err-XXXXXX";
    int in_fd = mkstemp(in_path), out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    if (in_fd < 0 || out_fd < 0 || err_fd < 0)
        return -1;
    if (stdin_data && write(in_fd, stdin_data, strlen(stdin_data)) < 0)
        return -1;
    lseek(in_fd, 0, SEEK_SET);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in_fd, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        execl("/bin/sh", "sh", "-c", cmdline, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    lseek(out_fd, 0, SEEK_SET);
    lseek(err_fd, 0, SEEK_SET);
    char *o = slurp_fd(out_fd), *e = slurp_fd(err_fd);
    close(in_fd);
    close(out_fd);
    close(err_fd);
    unlink(in_path);
    unlink(out_path);
    unlink(err_path);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

json_t *tu_convert_json(const char *path)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' convert '%s' -t json -q", tu_bin(), path);
    char *out = NULL, *err = NULL;
    int rc = tu_run(cmd, NULL, &out, &err);
    ck_assert_msg(rc == 0, "convert %s: rc %d: %s", path, rc, err ? err : "");
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    ck_assert_msg(j != NULL, "json: %s", je.text);
    free(out);
    free(err);
    return j;
}

nb_report *tu_recognise_text(const char *text, nb_error *err)
{
    nb_doc *d = nb_doc_new("test.txt");
    if (!d)
        return NULL;
    nb_doc_split_text(d, text, strlen(text), NB_SPLIT_TABS);
    nb_doc_set_encoding(d, "UTF-8");
    nb_report *r = nb_recognise(tu_templates(), d, err);
    nb_doc_free(d);
    return r;
}

int tu_main(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

nb_context *tu_context_plugins(const char *dir)
{
    char *formats = tu_path(tu_source_dir(), "formats");
    nb_context_config cfg = {.formats_path = formats, .plugin_path = dir};
    nb_error err;
    nb_error_clear(&err);
    nb_context *c = nb_context_new(&cfg, &err);
    free(formats);
    ck_assert_msg(c, "%s: %s", err.where, err.text);
    return c;
}

void tu_expect_derived(const char *what, const char *got, const char *want)
{
    if (want)
        ck_assert_msg(got && strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"", what, got ? got : "(none)",
                      want);
    else
        ck_assert_msg(!got, "%s: got \"%s\", want none", what, got);
}

unsigned tu_rand(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7FFF;
}

size_t tu_count_diags(const nb_report *r, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < r->ndiags; i++)
        n += r->diags[i].rule && strcmp(r->diags[i].rule, rule) == 0;
    return n;
}
