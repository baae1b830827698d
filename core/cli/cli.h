/* cli.h - shared pieces of the nianbao command line.  One file per command
 * (cmd_<name>.c); main.c only dispatches. */
#ifndef NIANBAO_CLI_H
#define NIANBAO_CLI_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "nianbao/nianbao.h"
#include "json_internal.h" /* the model's layout: the CLI is built with the library */

/* Exit codes (docs/cli.md).  Scripts rely on them. */
enum {
    EXIT_OK = 0,
    EXIT_FINDINGS = 1,   /* validation found errors (validate, convert --strict) */
    EXIT_USAGE = 2,
    EXIT_DATA = 65,      /* no input could be read as a report */
    EXIT_NOINPUT = 66,
    EXIT_PLUGIN = 69,
    EXIT_INTERNAL = 70,
    EXIT_CANTCREAT = 73,
    EXIT_IOERR = 74,
    EXIT_CONFIG = 78
};

/* Options every command accepts. */
typedef struct cli_common {
    const char *formats_path;
    const char *plugin_path;
    const char *pipelines_path;
    bool quiet;
    int progress;        /* -1 auto (stderr is a tty), 0 off, 1 on */
    bool verbose;        /* -v: one line per report (reader, encoding, template, counts) */
    size_t total;        /* inputs the run will see, 0 unknown (cli_count_inputs) */
    double progress_last;/* when the progress line was last drawn */
    unsigned isolate;    /* --isolate: seconds per input in a child process, 0 off */
    int jobs;            /* -j N given; 0: the CPUs this process may use (cli_run_inputs) */
} cli_common;

int cli_exit_for(const nb_error *e);
/* -j N given: N, else prints a usage error and returns 0. */
int cli_parse_jobs(const char *cmd, const char *arg);
/* Appends kv to a NULL-terminated list of option strings (-I, -O), kept
 * NULL-terminated; false when out of memory. */
bool cli_add_opt(const char ***list, size_t *n, const char *kv);
/* --isolate[=SECONDS]: the time limit (default CLI_ISOLATE_DEFAULT s); 0 after
 * printing a usage error. */
#define CLI_ISOLATE_DEFAULT 300u
unsigned cli_parse_isolate(const char *cmd, const char *arg);
void cli_error(const nb_error *e);                 /* "nianbao: where: text" on stderr */
void cli_errorf(const char *fmt, ...) NB_PRINTF(1, 2);
/* cli_error, plus "Try 'nianbao CMD --help'." for a usage-class error. */
void cli_command_error(const char *cmd, const nb_error *e);
/* Creates the context from the common options; prints and returns NULL on error. */
nb_context *cli_context(const cli_common *co, int *exit_code);
/* Progress line on stderr (carriage return), used as nb_run_config.on_progress
 * with the cli_common as context; never wider than the terminal. */
void cli_progress(void *ctx, const nb_progress *p);
void cli_progress_done(void);
bool cli_progress_wanted(const cli_common *co);
/* Feeds the inputs (stdin when there are none) to the run and ends it;
 * counts them first for the progress line when it is shown.
 * *missing counts named inputs that do not exist (exit 66). */
nb_status cli_feed(cli_common *co, nb_run *run, char **inputs, int n, nb_summary *sum, size_t *missing, nb_error *err);
/* A new run with cfg over the inputs (cli_feed), on co->jobs threads or,
 * when -j was not given, as many as cli_default_jobs says.  done, when given, sees
 * the summary while the run still exists (its run diagnostics live in
 * it).  -1 when the run went through, else the exit code, the error
 * printed for cmd. */
int cli_run_inputs(const char *cmd, nb_context *ctx, const nb_run_config *cfg, cli_common *co, char **inputs,
                   int n, nb_summary *sum, size_t *missing, void (*done)(void *, const nb_summary *),
                   void *done_ctx);
/* The closing line and exit code shared by convert and run: 66 when a
 * named input is missing, 65 when some input could not be read, 1 with
 * strict when a report breaks an error-level rule. */
int cli_finish(const cli_common *co, const nb_summary *sum, size_t missing, bool strict);
/* Prints a skipped/failed input on stderr (nb_run_config.on_failure with
 * the cli_common as context). */
void cli_on_failure(void *ctx, const nb_failure *f);
/* Removes the run's temp output file (nb_run_temp_path) if SIGINT,
 * SIGTERM, SIGHUP or SIGPIPE ends the process; NULL: nothing to guard. */
void cli_guard_temp(const char *path);
/* Holds SIGINT, SIGTERM, SIGHUP and SIGPIPE (old: the mask to give back)
 * while the run creates its temp output and the guard is set: a signal
 * in between would end the process with the temp file left beside the
 * target.  A held signal is delivered, to the guard, on release. */
void cli_signals_hold(sigset_t *old);
void cli_signals_release(const sigset_t *old);
/* A folder to rmdir() as well when a signal ends the run (--isolate's). */
void cli_guard_dir(const char *path);
/* What the process is doing ("reading", FILE), named on stderr if it
 * crashes; installs the crash handler (not under the sanitizers). */
void cli_guard_phase(const char *what, const char *name);
/* The log callback for nb_context_config. */
void cli_log(void *ctx, const char *plugin, const char *msg);

/* Inputs (files, zip entries, folder contents) the run will see; 0 when
 * that cannot be known up front (stdin, tar streams). */
size_t cli_count_inputs(char **inputs, int n);
/* Terminal columns UTF-8 text takes (CJK two), and the shortest tail of s
 * that fits in cols columns. */
size_t cli_display_width(const char *s);
const char *cli_tail_fitting(const char *s, size_t cols);

/* The closest of candidates to a mistyped word, NULL when none is close. */
const char *cli_suggest(const char *word, const char *const *candidates, size_t n);
/* Allocator settings for a run over many reports (cli_malloc.c). */
void cli_tune_malloc(bool huge_heap);
/* A 64 KB buffer for stdout unless it is a terminal (cli_stdout.c). */
void cli_buffer_stdout(void);
/* A usage error: "nianbao: MESSAGE[; did you mean 'S'?]" and a line
 * "Try 'nianbao CMD --help'." (cmd NULL: 'nianbao --help'). */
void cli_usage_error(const char *cmd, const char *suggestion, const char *fmt, ...) NB_PRINTF(3, 4);
/* For getopt_long's '?' and ':' (optstring starting with ':', opterr 0):
 * names the option, suggests the closest long one, returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, char **argv, const struct option *longs);
/* Names of the loaded plugins of a kind, for suggestions; caller frees the array. */
const char **cli_format_names(nb_context *ctx, nb_plugin_kind kind, size_t *n);
/* An unknown -f/-t format: a refused plugin's reason (exit 69), else a
 * usage error with a suggestion (exit 2). */
int cli_unknown_format(const char *cmd, nb_context *ctx, nb_plugin_kind kind, const char *name);

/* -O keys the output plugin does not have: a usage error with a suggestion
 * (EXIT_USAGE); -1 when all are known. */
int cli_check_out_options(const char *cmd, nb_context *ctx, const char *to, const char *const *opts);
/* -I "PLUGIN.key=value" entries: an unknown plugin or key is a usage error
 * with a suggestion; -1 when all are known. */
int cli_check_in_options(const char *cmd, nb_context *ctx, const char *const *opts);

/* -v: "nianbao: SOURCE: reader R, encoding E, template T, YEAR AGENCY; counts". */
void cli_report_verbose(const nb_report *r);
/* "SOURCE:LINE" of a finding (compiler style), "SOURCE" when no line is known. */
void cli_diag_location(const nb_report *r, const nb_diag *d, char *buf, size_t len);
const char *cli_report_source(const nb_report *r);
/* 1-based source line of the value a finding names, 0 when unknown. */
int cli_diag_line(const nb_report *r, const nb_diag *d);
/* on_report for convert and run: the -v line when asked for. */
void cli_on_report(void *ctx, const nb_report *r);

int cmd_convert(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_plugins(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_pipelines(int argc, char **argv);

#endif
