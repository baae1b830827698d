/* cli_signal.c - no temp file left behind when the user interrupts.
 *
 * Output goes to a hidden temp file that is renamed at the end (sink.c).
 * SIGINT, SIGTERM, SIGHUP or SIGPIPE (`nianbao ... -o - | head -1`) would
 * otherwise kill the process with that file still there.  The handler
 * only calls async-signal-safe functions: unlink() on a path copied here
 * beforehand, then the default action, so the exit status still says
 * which signal ended the run. */
#include "cli.h"
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* The CLI is one run per process; the library keeps no such state. */
static char guarded[PATH_MAX];

static void on_signal(int sig)
{
    if (guarded[0])
        unlink(guarded);
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_guard_temp(const char *path)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    if (!path || strlen(path) >= sizeof guarded)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&sa.sa_mask, sigs[i]); /* one handler at a time */
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* a signal the caller ignores (nohup) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
    memcpy(guarded, path, strlen(path) + 1);
}
