/* main.c - `nianbao COMMAND ...`: dispatch only; one file per command. */
#include "cli.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
    bool reads_reports; /* works on documents: worth a huge-page heap (cli_malloc.c) */
} command;

static const command commands[] = {
    {"convert", cmd_convert, "convert reports (txt, md, tsv, archives, json) to json, ndjson, csv, xlsx, html", true},
    {"validate", cmd_validate, "check reports against the template's cross-check rules (勾稽关系)", true},
    {"run", cmd_run, "run a named pipeline (see: nianbao pipelines)", true},
    {"pipelines", cmd_pipelines, "list the named pipelines", false},
    {"plugins", cmd_plugins, "list input and output plugins", false},
    {"formats", cmd_formats, "list the report templates and their tables", false},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; name && i < sizeof commands / sizeof *commands; i++)
        if (strcmp(name, commands[i].name) == 0)
            return &commands[i];
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: nianbao COMMAND [OPTIONS] [INPUT...]\n\n"
               "Turns 政府信息公开工作年度报告 (government information-disclosure annual\n"
               "reports) into checked data.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'nianbao COMMAND --help' for a command's options.\n"
               "Exit codes: 0 ok, 1 validation errors, 2 usage, 65 unreadable input,\n"
               "66 input missing, 69 plugin problem, 70 internal, 73 cannot create output,\n"
               "74 I/O error, 78 bad template/rule/pipeline file.\n");
}

/* What a command printed (findings, lists, help) must have reached
 * stdout: a full disk or a closed file does not end in exit 0 with nothing
 * said.  74 stops a run, so it wins over 66, 65 and 1 (docs/cli.md); a
 * status that stopped the run already (2, 69, 70, 73, 78) is kept. */
static int stdout_status(int status)
{
    errno = 0;
    if ((fflush(stdout) == 0 && !ferror(stdout)) || status == EXIT_IOERR) /* said already */
        return status;
    /* errno is the flush's; an earlier failed write leaves none to tell */
    fprintf(stderr, "nianbao: <stdout>: write error: %s\n", errno ? strerror(errno) : "output lost");
    bool kept = status == EXIT_USAGE || status == EXIT_PLUGIN || status == EXIT_INTERNAL ||
                status == EXIT_CANTCREAT || status == EXIT_CONFIG;
    return kept ? status : EXIT_IOERR;
}

int main(int argc, char **argv)
{
    const command *c = find_command(argc > 1 ? argv[1] : NULL);
    cli_tune_malloc(c && c->reads_reports);
    cli_buffer_stdout();
    if (argc < 2) {
        cli_usage_error(NULL, NULL, "which command? (convert, validate, run, pipelines, plugins, formats)");
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return stdout_status(EXIT_OK);
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("nianbao %s (plugin ABI %d.%d)\n", nb_version(), NB_ABI_MAJOR, NB_ABI_MINOR);
        return stdout_status(EXIT_OK);
    }
    if (c)
        return stdout_status(c->fn(argc - 1, argv + 1));
    const char *names[sizeof commands / sizeof *commands];
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        names[i] = commands[i].name;
    cli_usage_error(NULL, cli_suggest(cmd, names, sizeof names / sizeof *names), "unknown command \"%s\"", cmd);
    return EXIT_USAGE;
}
