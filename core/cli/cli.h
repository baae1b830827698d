/* cli.h - shared pieces of the nianbao command line.  One file per command
 * (cmd_<name>.c); main.c only dispatches. */
#ifndef NIANBAO_CLI_H
#define NIANBAO_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "nianbao/nianbao.h"

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
} cli_common;

int cli_exit_for(const nb_error *e);
/* -j: the number of online cores; a positive count, else prints and returns 0. */
int cli_default_jobs(void);
int cli_parse_jobs(const char *arg);
void cli_error(const nb_error *e);                 /* "nianbao: where: text" on stderr */
void cli_errorf(const char *fmt, ...) NB_PRINTF(1, 2);
/* Creates the context from the common options; prints and returns NULL on error. */
nb_context *cli_context(const cli_common *co, int *exit_code);
/* Progress line on stderr (carriage return), used as nb_run_config.on_progress. */
void cli_progress(void *ctx, const nb_progress *p);
void cli_progress_done(void);
bool cli_progress_wanted(const cli_common *co);
/* Feeds the inputs (stdin when there are none) to the run and ends it.
 * *missing counts named inputs that do not exist (exit 66). */
nb_status cli_feed(nb_run *run, char **inputs, int n, nb_summary *sum, size_t *missing, nb_error *err);
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
/* What the process is doing ("reading", FILE), named on stderr if it
 * crashes; installs the crash handler (not under the sanitizers). */
void cli_guard_phase(const char *what, const char *name);
/* The log callback for nb_context_config. */
void cli_log(void *ctx, const char *plugin, const char *msg);

int cmd_convert(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_plugins(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_pipelines(int argc, char **argv);

#endif
