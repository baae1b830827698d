/* cli_progress.c - the one progress line on stderr, redrawn in place.  It
 * never wraps: it is cut to the terminal's width, counting CJK characters
 * as two columns, so a redraw overwrites it instead of scrolling. */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Anything else printed on stderr first clears the line (cli_progress_done). */
static bool progress_shown;

static size_t terminal_columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    const char *env = getenv("COLUMNS"); /* set by the shell, or by a test */
    long n = env ? strtol(env, NULL, 10) : 0;
    return n >= 20 && n <= 1000 ? (size_t)n : 80;
}

static void format_duration(double s, char *buf, size_t len)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else
        snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
}

/* "i/N 42% 12/s 1m05s left" when the total is known, else "i done 12/s". */
static void counts_text(const cli_common *co, const nb_progress *p, char *buf, size_t len)
{
    size_t done = p->done + p->skipped + p->failed;
    double rate = p->elapsed > 0 ? (double)done / p->elapsed : 0;
    size_t total = co && co->total > done ? co->total : done;
    if (co && co->total) {
        char left[32];
        format_duration(rate > 0 ? (double)(total - done) / rate : 0, left, sizeof left);
        snprintf(buf, len, "%zu/%zu %3.0f%% %.0f/s %s left", done, total,
                 total ? 100.0 * (double)done / (double)total : 100.0, rate, left);
    } else
        snprintf(buf, len, "%zu done %.0f/s", done, rate);
    if (p->failed || p->skipped) {
        size_t l = strlen(buf);
        snprintf(buf + l, len - l, " (%zu skipped, %zu failed)", p->skipped, p->failed);
    }
}

void cli_progress(void *ctx, const nb_progress *p)
{
    cli_common *co = ctx;
    if (co && p->elapsed - co->progress_last < 0.2 && p->done + p->skipped + p->failed > 1)
        return;
    if (co)
        co->progress_last = p->elapsed;
    char line[160];
    counts_text(co, p, line, sizeof line);
    size_t cols = terminal_columns() - 1; /* the last column would wrap on some terminals */
    if (strlen(line) > cols) /* the counts are ASCII: bytes are columns */
        line[cols] = '\0';
    size_t used = cli_display_width(line);
    const char *cur = p->current ? p->current : "";
    fprintf(stderr, "\r\033[K%s", line);
    size_t avail = used + 1 < cols ? cols - used - 1 : 0; /* after one space */
    if (*cur && cli_display_width(cur) <= avail)
        fprintf(stderr, " %s", cur);
    else if (*cur && avail > 8) /* the end of a path says most: the file name */
        fprintf(stderr, " ...%s", cli_tail_fitting(cur, avail - 3));
    fflush(stderr);
    progress_shown = true;
}

void cli_progress_done(void)
{
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        progress_shown = false;
    }
}
