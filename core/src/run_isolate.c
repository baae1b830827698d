/* run_isolate.c - each named input read by a forked child under a time
 * limit (opt-in: nb_run_set_isolation, the CLI's --isolate).  A plugin
 * that crashes or hangs kills the child, not the run: the parent fails
 * the member (or input) that was being read, names the plugin and why,
 * and for an archive starts a new child that passes over the members
 * already handled and goes on with the next one.
 *
 * The child reads, recognises and sends its outcomes (reports as nianbao
 * JSON with provenance, failures) through a pipe; the parent validates,
 * counts and writes them, so the output is the one a run in one process
 * gives.  Children keep their temp files in a private folder that the
 * parent empties after each child, whatever became of it. */
#include "run_isolate.h"
#include "readings_internal.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define ISO_REAP_MS 10 /* between looks at a child that closed its pipe */

typedef struct iso_open {
    char *plugin, *name; /* plugin "": the format is being detected */
} iso_open;

/* What the parent knows of one child. */
typedef struct iso_child {
    pid_t pid;
    int fd;
    char *buf;
    size_t len, cap;
    iso_open *open; /* readers started and not ended, by depth */
    size_t nopen, capopen;
    uint64_t items; /* top-level items handled, counting earlier children */
    bool done;      /* the child said it finished */
    nb_status child_st;
    nb_error child_err;
} iso_child;


static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Temp folder ---------------------------------------------------------------- */

static void remove_tree(int dirfd, int depth)
{
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return;
    }
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (unlinkat(dirfd, e->d_name, 0) == 0 || errno != EISDIR || depth > 16)
            continue;
        int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (sub >= 0)
            remove_tree(sub, depth + 1);
        unlinkat(dirfd, e->d_name, AT_REMOVEDIR);
    }
    closedir(d);
}

static void empty_tmpdir(const nb_run *run)
{
    int fd = run->iso.tmpdir ? open(run->iso.tmpdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW) : -1;
    if (fd >= 0)
        remove_tree(fd, 0);
}

void nb_iso_free(nb_run *run)
{
    if (!run->iso.tmpdir)
        return;
    empty_tmpdir(run);
    rmdir(run->iso.tmpdir);
    free(run->iso.tmpdir);
    run->iso.tmpdir = NULL;
}

static bool make_tmpdir(nb_run *run, nb_error *err)
{
    if (run->iso.tmpdir)
        return true;
    char *t = nb_strfmt("%s/nianbao-iso-XXXXXX", nb_context_tmpdir(run->ctx));
    if (t && mkdtemp(t)) {
        run->iso.tmpdir = t;
        return true;
    }
    nb_error_set(err, NB_E_IO, nb_context_tmpdir(run->ctx), "cannot create a temporary folder: %s",
                 strerror(errno));
    free(t);
    return false;
}

nb_status nb_run_set_isolation(nb_run *run, unsigned seconds, nb_error *err)
{
    run->iso.seconds = seconds;
    /* fork() is only safe in a process of one thread: a worker caught
     * inside a lock (an allocator's, even while it starts) would leave it
     * held in the child forever.  The parent validates in turn instead;
     * the output is the same for any -j. */
    if (seconds && run->jobs) {
        nb_jobs_free(run->jobs);
        run->jobs = NULL;
    }
    if (seconds)
        run->jobs_auto = false;
    /* made now, so that a caller can clean it up from a signal handler */
    return seconds && !make_tmpdir(run, err) ? NB_FATAL : NB_OK;
}

const char *nb_run_isolation_dir(const nb_run *run)
{
    return run ? run->iso.tmpdir : NULL;
}

/* Child ------------------------------------------------------------------------ */

static _Noreturn void child_main(nb_run *run, const nb_stream *s, const char *name, bool top,
                                 uint64_t skip, int fd)
{
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* a hang must not outlive the run */
#endif
    setpgid(0, 0); /* the parent kills whatever the plugin started as well */
    /* The caller's handlers are the parent's: one that removes the
     * parent's partial output must not run here, and a crash must end the
     * child by its signal, so that the parent can name it. */
    static const int reset[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof reset / sizeof *reset; i++)
        signal(reset[i], SIG_DFL);
    run->iso.fd = fd;
    run->iso.skip = skip;
    /* the context owns its tmpdir string: swap in a copy, so that the old
     * one is not orphaned (valgrind follows the child too) */
    char *tmp = nb_strdup(run->iso.tmpdir);
    if (tmp) {
        free(run->ctx->tmpdir);
        run->ctx->tmpdir = tmp;
        run->ctx->host.tmpdir = tmp;
    }
    nb_error e;
    nb_error_clear(&e);
    nb_stream *cs = nb_stream_reopen(s, &e);
    nb_status st = cs ? nb_run_process_stream(run, cs, name, 0, top, &e)
                      : nb_run_record_failure(run, name, false, e.text, &e);
    nb_stream_free(cs);
    nb_iso_send_done(run, st, &e);
    _exit(0); /* no atexit handlers, no stdio flush: those are the parent's */
}

/* Messages ---------------------------------------------------------------------- */

static void set_open(iso_child *c, size_t depth, const char *plugin, const char *name)
{
    while (c->nopen > depth) {
        c->nopen--;
        free(c->open[c->nopen].plugin);
        free(c->open[c->nopen].name);
    }
    if (!plugin || c->nopen != depth || !nb_grow((void **)&c->open, &c->capopen, c->nopen, sizeof *c->open))
        return;
    c->open[c->nopen].plugin = nb_strdup(plugin);
    c->open[c->nopen].name = nb_strdup(name);
    c->nopen++;
}

/* payload holds n NUL-separated parts; false when it has fewer. */
static bool split(const char *payload, size_t len, const char **parts, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; k < n && i <= len; k++) {
        parts[k] = payload + i;
        i += strlen(payload + i) + 1;
    }
    return k == n;
}

static nb_status got_report(nb_run *run, const char *name, const char *json, size_t len, nb_error *err)
{
    nb_error e;
    nb_error_clear(&e);
    size_t jlen = strnlen(json, len); /* then a NUL and the kept readings */
    nb_report *r = nb_report_from_json_text(nb_context_templates(run->ctx), json, jlen, &e);
    if (!r) /* cannot happen with the same program on both ends; still counted */
        return nb_run_record_failure(run, name, false, e.text, err);
    if (jlen < len)
        nb_readings_from_text(r, json + jlen + 1);
    return nb_run_deliver(run, r, err);
}

static nb_status handle_message(nb_run *run, iso_child *c, const char *name, char type,
                                const char *p, size_t len, nb_error *err)
{
    const char *a[3];
    switch (type) {
    case NB_ISO_REPORT:
        return got_report(run, name, p, len, err);
    case NB_ISO_FAILURE:
        return split(p, len, a, 3) ? nb_run_record_failure(run, a[1], a[0][0] == 's', a[2], err) : NB_OK;
    case NB_ISO_START:
        if (split(p, len, a, 3))
            set_open(c, (size_t)strtoul(a[0], NULL, 10), a[1], a[2]);
        return NB_OK;
    case NB_ISO_END:
        set_open(c, (size_t)strtoul(p, NULL, 10), NULL, NULL);
        return NB_OK;
    case NB_ISO_ITEM:
        c->items++;
        return NB_OK;
    case NB_ISO_DONE:
        if (split(p, len, a, 3)) {
            int st = 0, cls = 0;
            sscanf(a[0], "%d %d", &st, &cls);
            c->done = true;
            c->child_st = (nb_status)st;
            nb_error_set(&c->child_err, (nb_errclass)cls, a[1], "%s", a[2]);
        }
        return NB_OK;
    default:
        return NB_OK;
    }
}

/* Handles every whole message in the buffer. */
static nb_status drain(nb_run *run, iso_child *c, const char *name, nb_error *err)
{
    size_t at = 0;
    nb_status st = NB_OK;
    while (st == NB_OK && c->len - at >= 5) {
        uint32_t n;
        memcpy(&n, c->buf + at + 1, sizeof n);
        if (c->len - at - 5 < n)
            break;
        char keep = c->buf[at + 5 + n];
        c->buf[at + 5 + n] = '\0'; /* the byte after is the next message's, or spare */
        st = handle_message(run, c, name, c->buf[at], c->buf + at + 5, n, err);
        c->buf[at + 5 + n] = keep;
        at += 5 + (size_t)n;
    }
    memmove(c->buf, c->buf + at, c->len - at);
    c->len -= at;
    return st;
}

/* Reads what the child sends until it closes the pipe (true) or it has
 * said nothing for the run's time limit (false): every message (a reader
 * started or ended, an outcome) is progress, so the limit bounds one
 * step, not a whole archive.  NB_FATAL in *st when the output broke. */
static bool listen_to(nb_run *run, iso_child *c, const char *name, double *deadline, nb_status *st,
                      nb_error *err)
{
    *st = NB_OK;
    for (;;) {
        double left = *deadline - now();
        if (left <= 0)
            return false;
        struct pollfd pfd = {c->fd, POLLIN, 0};
        int r = poll(&pfd, 1, left > 3600 ? 3600000 : (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue; /* the deadline is checked above */
        if (c->cap - c->len < 65536 + 1) {
            size_t ncap = c->cap ? c->cap * 2 : 131072;
            char *nb = realloc(c->buf, ncap);
            if (!nb) {
                nb_error_set(err, NB_E_INTERNAL, name, "out of memory");
                *st = NB_FATAL;
                return true;
            }
            c->buf = nb, c->cap = ncap;
        }
        ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true;
        c->len += (size_t)n;
        size_t before = c->len;
        if ((*st = drain(run, c, name, err)) != NB_OK)
            return true;
        if (c->len < before) /* at least one whole message */
            *deadline = now() + run->iso.seconds;
    }
}

/* The child's exit status; kills it (and what it started) at the deadline. */
static int reap(pid_t pid, double deadline, bool *killed)
{
    int status = 0;
    *killed = false;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return status;
        if (now() >= deadline && !*killed) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            *killed = true;
        }
        struct timespec ts = {0, ISO_REAP_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* Death ---------------------------------------------------------------------- */

static char *death_text(int status, bool killed, unsigned seconds)
{
    if (killed)
        return nb_strfmt("made no progress for %u s (a hang?) and was stopped", seconds);
    if (WIFSIGNALED(status))
        return nb_strfmt("crashed (signal %d: %s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    return nb_strfmt("ended early (exit status %d)", WEXITSTATUS(status));
}

/* Fails what the child was reading when it died.  True when the input is
 * an archive whose reader is still sound: a new child goes on after the
 * member that was lost. */
static bool report_death(nb_run *run, iso_child *c, const char *name, const char *how,
                         nb_status *st, nb_error *err)
{
    const iso_open *in = c->nopen ? &c->open[c->nopen - 1] : NULL;
    char *why = !in || !in->plugin[0]
                    ? nb_strfmt("%s while its format was being detected", how)
                    : nb_strfmt("plugin %s %s while reading it", in->plugin, how);
    bool member = c->nopen >= 2;
    if (why && !member && c->items) {
        char *more = nb_strfmt("%s; the rest of this input is not read", why);
        free(why);
        why = more;
    }
    *st = nb_run_record_failure(run, member ? in->name : name, false, why ? why : how, err);
    free(why);
    for (size_t d = c->nopen - 1; member && *st == NB_OK && d-- > 1;) {
        char *rest = nb_strfmt("the rest of it is not read: a reader %s at %s", how, in->name);
        *st = nb_run_record_failure(run, c->open[d].name, false, rest ? rest : how, err);
        free(rest);
    }
    return member && *st == NB_OK;
}

/* One child --------------------------------------------------------------------- */

static void forget(iso_child *c)
{
    set_open(c, 0, NULL, NULL);
    free(c->open);
    free(c->buf);
    c->open = NULL;
    c->buf = NULL;
    c->nopen = c->capopen = c->len = c->cap = 0;
}

/* Runs one child over the input, passing over its first `skip` items.
 * *again: a member was lost and the next child should go on after it. */
static nb_status run_child(nb_run *run, const nb_stream *s, const char *name, bool top, iso_child *c,
                           bool *again, nb_error *err)
{
    *again = false;
    int fds[2];
    if (pipe(fds) != 0)
        return nb_run_record_failure(run, name, false, "cannot start a reader process (pipe)", err);
    uint64_t skip = c->items;
    pid_t pid = fork(); /* one thread only: see nb_run_set_isolation */
    if (pid == 0) {
        close(fds[0]);
        child_main(run, s, name, top, skip, fds[1]);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return nb_run_record_failure(run, name, false, "cannot start a reader process (fork)", err);
    }
    c->pid = pid, c->fd = fds[0], c->done = false;
    double deadline = now() + run->iso.seconds;
    nb_status st;
    bool closed = listen_to(run, c, name, &deadline, &st, err);
    bool killed;
    int status = reap(pid, st == NB_OK && closed ? deadline : 0, &killed);
    close(c->fd);
    empty_tmpdir(run);
    if (st != NB_OK)
        return st;
    if (c->done && !killed && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (c->child_st == NB_FATAL)
            *err = c->child_err;
        return c->child_st == NB_FATAL ? NB_FATAL : NB_OK;
    }
    char *how = death_text(status, killed || !closed, run->iso.seconds);
    *again = report_death(run, c, name, how ? how : "died", &st, err);
    free(how);
    if (*again)
        c->items++; /* the lost member is not read again */
    set_open(c, 0, NULL, NULL);
    return st;
}

nb_status nb_run_isolated(nb_run *run, nb_stream *s, const char *name, bool top, nb_error *err)
{
    nb_error e;
    nb_error_clear(&e);
    if (!make_tmpdir(run, err))
        return NB_FATAL;
    /* stdin or a pipe: spooled here, so that every child reads it whole */
    nb_status st = nb_stream_spool(s, nb_context_tmpdir(run->ctx), run->lim.max_total_bytes, &e);
    if (st != NB_OK)
        return st == NB_FATAL ? (*err = e, NB_FATAL) : nb_run_record_failure(run, name, false, e.text, err);
    iso_child c;
    memset(&c, 0, sizeof c);
    bool again = true;
    while (st == NB_OK && again)
        st = run_child(run, s, name, top, &c, &again, err);
    forget(&c);
    return st;
}
