/* cli_suggest.c - usage errors a person can act on: one line, a "did you
 * mean" when a known word is close, and where to read more. */
#include "cli.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Optimal string alignment distance (Levenshtein plus swapped neighbours),
 * bytewise: typos in commands, flags and format names are ASCII. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1], best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *cli_suggest(const char *word, const char *const *candidates, size_t n)
{
    if (!word || !*word)
        return NULL;
    /* a third of the word may be wrong, at least one character, at most three */
    size_t limit = strlen(word) / 3, best_d = (size_t)-1;
    limit = limit < 1 ? 1 : limit > 3 ? 3 : limit;
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i])
            continue;
        size_t dist = edit_distance(word, candidates[i]);
        if (dist <= limit && dist < best_d) {
            best_d = dist;
            best = candidates[i];
        }
    }
    return best;
}

void cli_usage_error(const char *cmd, const char *suggestion, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (suggestion)
        cli_errorf("%s; did you mean '%s'?", msg, suggestion);
    else
        cli_errorf("%s", msg);
    if (cmd)
        fprintf(stderr, "Try 'nianbao %s --help'.\n", cmd);
    else
        fputs("Try 'nianbao --help'.\n", stderr);
}

/* "--name" for every long option, so a typo is compared with what it was
 * meant to be. */
static const char *long_suggestion(const char *arg, const struct option *longs, char *buf, size_t len)
{
    const char *names[128];
    char flags[128][40];
    size_t n = 0;
    for (; longs && longs->name && n < 128; longs++, n++) {
        snprintf(flags[n], sizeof flags[n], "--%s", longs->name);
        names[n] = flags[n];
    }
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)strcspn(arg, "="), arg);
    const char *s = cli_suggest(word, names, n);
    if (!s)
        return NULL;
    snprintf(buf, len, "%s", s);
    return buf;
}

int cli_bad_option(const char *cmd, int c, char **argv, const struct option *longs)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    char sug[64];
    if (c == ':') {
        if (optopt)
            cli_usage_error(cmd, NULL, "%s: option '-%c' needs a value", cmd, optopt);
        else
            cli_usage_error(cmd, NULL, "%s: option '%s' needs a value", cmd, arg);
    } else if (optopt)
        cli_usage_error(cmd, NULL, "%s: unknown option '-%c'", cmd, optopt);
    else
        cli_usage_error(cmd, strncmp(arg, "--", 2) == 0 ? long_suggestion(arg, longs, sug, sizeof sug) : NULL,
                        "%s: unknown option '%s'", cmd, arg);
    return EXIT_USAGE;
}
