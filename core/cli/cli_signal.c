/* cli_signal.c - no temp file left behind when the user interrupts.
 *
 * Output goes to a hidden temp file that is renamed at the end (sink.c).
 * SIGINT, SIGTERM, SIGHUP or SIGPIPE (`nianbao ... -o - | head -1`) would
 * otherwise kill the process with that file still there.  The handler
 * only calls async-signal-safe functions: unlink() on a path copied here
 * beforehand, then the default action, so the exit status still says
 * which signal ended the run.  A crash (SIGSEGV and the like, in a
 * plugin or in nianbao) is named with what was being read. */
#include "cli.h"
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The CLI is one run per process; the library keeps no such state. */
static char guarded[PATH_MAX];
static char guarded_dir[PATH_MAX]; /* --isolate's temp folder, empty between children */
static char phase[PATH_MAX + 32]; /* "reading FILE", for a crash message */

static void on_signal(int sig)
{
    if (guarded[0])
        unlink(guarded);
    if (guarded_dir[0])
        rmdir(guarded_dir);
    signal(sig, SIG_DFL);
    raise(sig);
}

#if defined(__SANITIZE_ADDRESS__)
#define NB_UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NB_UNDER_SANITIZER 1
#endif
#endif

#ifndef NB_UNDER_SANITIZER
static void put(const char *s)
{
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

/* A plugin (or nianbao) that crashes still gets the input named, and the
 * partial output removed, before the process dies of the signal. */
static void on_crash(int sig)
{
    if (guarded[0])
        unlink(guarded);
    put("\nnianbao: crashed (");
    put(sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : sig == SIGFPE ? "SIGFPE"
        : sig == SIGILL ? "SIGILL" : "SIGABRT");
    put(") while ");
    put(phase[0] ? phase : "starting");
    put("; no output was written\n");
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_crash_handler(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
}
#else
static void install_crash_handler(void) {} /* the sanitizers' own reports say more */
#endif

void cli_guard_phase(const char *what, const char *name)
{
    static bool installed;
    if (!installed)
        install_crash_handler();
    installed = true;
    /* control characters are replaced here: the message is written from a
     * signal handler, which cannot escape them */
    snprintf(phase, sizeof phase, "%s%s%s", what, name ? " " : "", name ? name : "");
    for (char *p = phase; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            *p = '?';
}

/* SIGINT, SIGTERM, SIGHUP and SIGPIPE run on_signal, once. */
static void install_cleanup_handler(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    static bool installed;
    if (installed)
        return;
    installed = true;
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
}

void cli_signals_hold(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

void cli_signals_release(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

void cli_guard_temp(const char *path)
{
    if (!path || strlen(path) >= sizeof guarded)
        return;
    install_cleanup_handler();
    memcpy(guarded, path, strlen(path) + 1);
}

void cli_guard_dir(const char *path)
{
    if (!path || strlen(path) >= sizeof guarded_dir)
        return;
    install_cleanup_handler();
    memcpy(guarded_dir, path, strlen(path) + 1);
}
