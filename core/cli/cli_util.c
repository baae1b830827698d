/* cli_util.c - messages, exit codes, context and feeding: shared by the commands. */
#include "cli.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_exit_for(const nb_error *e)
{
    switch (e->cls) {
    case NB_E_USAGE: return EXIT_USAGE;
    case NB_E_DATA: return EXIT_DATA;
    case NB_E_NOINPUT: return EXIT_NOINPUT;
    case NB_E_PLUGIN: return EXIT_PLUGIN;
    case NB_E_CANTCREAT: return EXIT_CANTCREAT;
    case NB_E_IO: return EXIT_IOERR;
    case NB_E_CONFIG: return EXIT_CONFIG;
    case NB_E_NONE:
    case NB_E_INTERNAL:
    default: return EXIT_INTERNAL;
    }
}

/* Messages name files, and file names may hold control characters (an
 * escape sequence in a name must not drive the user's terminal): those
 * are written as \xNN (out has room for 4 bytes per byte of s). */
static size_t put_safe(char *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7F) {
            memcpy(out + n, "\\x", 2);
            out[n + 2] = hex[*p >> 4];
            out[n + 3] = hex[*p & 15];
            n += 4;
        } else {
            out[n++] = (char)*p;
        }
    }
    return n;
}

void cli_error(const nb_error *e)
{
    if (e->where[0])
        cli_errorf("%s: %s", e->where, e->text);
    else
        cli_errorf("%s", e->text);
}

void cli_command_error(const char *cmd, const nb_error *e)
{
    cli_error(e);
    if (e->cls == NB_E_USAGE) /* something the user can change: say where to read how */
        fprintf(stderr, "Try 'nianbao %s --help'.\n", cmd);
}

void cli_errorf(const char *fmt, ...)
{
    cli_progress_done();
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* one write: stderr is unbuffered, and a message written a character
     * at a time cost a system call per character */
    char line[sizeof "nianbao: " + 4 * sizeof buf];
    size_t n = strlen("nianbao: ");
    memcpy(line, "nianbao: ", n);
    n += put_safe(line + n, buf);
    line[n++] = '\n';
    fwrite(line, 1, n, stderr);
}

void cli_log(void *ctx, const char *plugin, const char *msg)
{
    (void)ctx;
    cli_progress_done();
    bool named = plugin && *plugin; /* the run's own notes name no plugin */
    fprintf(stderr, "nianbao: %s%s%s\n", named ? plugin : "", named ? ": " : "", msg);
}

/* --plugin-dir DIR[:DIR...] made absolute.  The library ignores relative
 * entries so that NIANBAO_PLUGIN_PATH can never make plugins depend on the
 * cwd; a directory the user typed on the command line is resolved here, on
 * purpose, and one that does not exist is an error rather than silence.
 * Returns a malloc'ed list (NULL for none); *ok false after an error. */
static char *absolute_plugin_dirs(const char *list, bool *ok)
{
    *ok = true;
    if (!list || !*list)
        return NULL;
    size_t cap = strlen(list) + 1, len = 0;
    char *out = NULL, *copy = strdup(list);
    for (char *save = NULL, *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save)) {
        char abs[PATH_MAX];
        struct stat st;
        const char *why = !realpath(d, abs)                                ? strerror(errno)
                          : stat(abs, &st) != 0 || !S_ISDIR(st.st_mode) ? "not a directory"
                                                                          : NULL;
        if (why) {
            cli_errorf("--plugin-dir %s: %s", d, why);
            *ok = false;
            break;
        }
        cap += strlen(abs) + 1;
        char *grown = realloc(out, cap);
        if (!grown) {
            *ok = false;
            break;
        }
        out = grown;
        len += (size_t)sprintf(out + len, "%s%s", len ? ":" : "", abs);
    }
    free(copy);
    if (!*ok) {
        free(out);
        return NULL;
    }
    return out;
}

/* The library drops relative NIANBAO_PLUGIN_PATH entries (plugins must not
 * depend on the cwd); saying so spares a user hunting for a missing plugin. */
static void warn_relative_plugin_path(void)
{
    const char *env = getenv("NIANBAO_PLUGIN_PATH");
    for (const char *p = env; p && *p;) {
        size_t n = strcspn(p, ":");
        if (n && p[0] != '/')
            cli_errorf("warning: NIANBAO_PLUGIN_PATH entry '%.*s' is relative and ignored; use an absolute path",
                       (int)n, p);
        p += n + (p[n] == ':');
    }
}

/* A plugin file that was found but refused (ABI mismatch, no entry point)
 * is named every time, not only when its format is asked for. */
static void warn_refused_plugins(const nb_context *c)
{
    const nb_load_problem *pr;
    size_t n = nb_context_load_problems(c, &pr);
    for (size_t i = 0; i < n; i++)
        cli_errorf("%s: %s (plugin not loaded)", pr[i].path, pr[i].message);
}

nb_context *cli_context(const cli_common *co, int *exit_code)
{
    warn_relative_plugin_path();
    bool ok;
    char *dirs = absolute_plugin_dirs(co->plugin_path, &ok);
    if (!ok) {
        *exit_code = EXIT_USAGE;
        return NULL;
    }
    nb_context_config cfg = {co->formats_path, dirs, co->pipelines_path, NULL, cli_log, NULL};
    nb_error err;
    nb_error_clear(&err);
    cli_guard_phase("loading plugins and formats", NULL);
    nb_context *c = nb_context_new(&cfg, &err);
    free(dirs);
    if (!c) {
        cli_error(&err);
        *exit_code = cli_exit_for(&err);
    } else
        warn_refused_plugins(c);
    return c;
}

bool cli_progress_wanted(const cli_common *co)
{
    if (co->quiet)
        return false;
    return co->progress > 0 || (co->progress < 0 && isatty(STDERR_FILENO));
}

nb_status cli_feed(cli_common *co, nb_run *run, char **inputs, int n, nb_summary *sum, size_t *missing, nb_error *err)
{
    nb_status st = NB_OK;
    *missing = 0;
    cli_guard_temp(nb_run_temp_path(run));
    if (co->isolate && nb_run_set_isolation(run, co->isolate, err) != NB_OK) {
        cli_progress_done();
        return NB_FATAL;
    }
    cli_guard_dir(nb_run_isolation_dir(run));
    if (n == 0 && isatty(STDIN_FILENO)) {
        /* waiting for a terminal to type a report is never what was meant */
        nb_error_set(err, NB_E_USAGE, NULL, "no input: name files or folders, or pipe a report into '-'");
        cli_progress_done();
        return NB_FATAL;
    }
    if (cli_progress_wanted(co))
        co->total = cli_count_inputs(inputs, n);
    for (int i = 0; i < n; i++)
        *missing += strcmp(inputs[i], "-") != 0 && access(inputs[i], F_OK) != 0;
    if (n == 0) {
        cli_guard_phase("reading", "<stdin>");
        st = nb_run_input(run, "-", err);
    }
    for (int i = 0; i < n && st == NB_OK; i++) {
        cli_guard_phase("reading", inputs[i]);
        st = nb_run_input(run, inputs[i], err);
    }
    cli_guard_phase("writing the output", NULL);
    if (st == NB_OK)
        st = nb_run_finish(run, sum, err);
    cli_progress_done();
    return st;
}

int cli_run_inputs(const char *cmd, nb_context *ctx, const nb_run_config *cfg, cli_common *co, char **inputs,
                   int n, nb_summary *sum, size_t *missing, void (*done)(void *, const nb_summary *),
                   void *done_ctx)
{
    nb_error err;
    nb_error_clear(&err);
    *missing = 0;
    sigset_t held;
    cli_signals_hold(&held);
    nb_run_config with_jobs = *cfg;
    /* the default is counted by the run when a second input comes (it
     * reads /proc and cgroup files), so one file costs no more than -j 1 */
    with_jobs.jobs = co->jobs ? co->jobs : NB_JOBS_AUTO;
    nb_run *run = nb_run_new(ctx, &with_jobs, &err);
    if (run)
        cli_guard_temp(nb_run_temp_path(run));
    cli_signals_release(&held);
    if (run && co->verbose) /* in a container the default is worth seeing */
        cli_errorf("-j %d%s", co->jobs ? co->jobs : nb_default_jobs(),
                   co->jobs ? "" : " (the CPUs this process may use)");
    nb_status st = run ? cli_feed(co, run, inputs, n, sum, missing, &err) : NB_FATAL;
    if (st == NB_OK && done)
        done(done_ctx, sum);
    nb_run_free(run);
    if (st == NB_OK)
        return -1;
    cli_command_error(cmd, &err);
    return cli_exit_for(&err);
}

int cli_finish(const cli_common *co, const nb_summary *sum, size_t missing, bool strict)
{
    if (!co->quiet)
        cli_errorf("%zu converted, %zu skipped, %zu failed; %zu with errors, %zu with warnings only",
                   sum->converted, sum->skipped, sum->failed, sum->with_errors, sum->with_warnings);
    if (missing)
        return EXIT_NOINPUT;
    if (sum->failed)
        return EXIT_DATA;
    return strict && sum->with_errors ? EXIT_FINDINGS : EXIT_OK;
}

void cli_on_failure(void *ctx, const nb_failure *f)
{
    const cli_common *co = ctx;
    if (co->quiet && f->skipped)
        return;
    cli_errorf("%s %s: %s", f->skipped ? "skipped" : "failed", f->source, f->reason);
}

unsigned cli_parse_isolate(const char *cmd, const char *arg)
{
    if (!arg)
        return CLI_ISOLATE_DEFAULT;
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (*end || v == 0 || v > 86400 || strchr(arg, '-')) {
        cli_usage_error(cmd, NULL, "--isolate takes a number of seconds from 1 to 86400, not '%s'", arg);
        return 0;
    }
    return (unsigned)v;
}

bool cli_add_opt(const char ***list, size_t *n, const char *kv)
{
    const char **v = realloc(*list, (*n + 2) * sizeof *v);
    if (!v)
        return false;
    *list = v;
    v[(*n)++] = kv;
    v[*n] = NULL;
    return true;
}

int cli_parse_jobs(const char *cmd, const char *arg)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (*end || n < 1 || n > 256) {
        cli_usage_error(cmd, NULL, "-j takes a number of worker threads from 1 to 256, not '%s'", arg);
        return 0;
    }
    return (int)n;
}
