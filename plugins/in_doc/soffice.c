/* soffice.c - the opt-in converter route: LibreOffice in headless mode,
 * with its own profile in a private temp directory (so a running office
 * or a locked profile cannot block it), killed when it overruns. */
#include "doc_priv.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool on_path(const char *prog)
{
    const char *path = getenv("PATH");
    char buf[4096];
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, prog);
        if (n && access(buf, X_OK) == 0)
            return true;
        p += n + (p[n] == ':');
    }
    return false;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void doc_remove_tree(const char *dir)
{
    if (dir)
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Only async-signal-safe calls between fork and exec (the run may have
 * worker threads): everything is prepared by the parent. */
static void run_child(const char *dir, const char *src, const char *profile)
{
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0), dup2(null, 1), dup2(null, 2);
        close(null);
    }
    setpgid(0, 0);
    execlp("soffice", "soffice", profile, "--headless", "--norestore", "--convert-to", "docx",
           "--outdir", dir, src, (char *)NULL);
    _exit(127);
}

/* Waits for pid at most timeout_s seconds; kills its process group after. */
static int wait_bounded(pid_t pid, long timeout_s, bool *timed_out)
{
    struct timespec step = {0, 50 * 1000 * 1000};
    long waited_ms = 0;
    int status = 0;
    *timed_out = false;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return -1;
        if (waited_ms >= timeout_s * 1000) {
            *timed_out = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        nanosleep(&step, NULL);
        waited_ms += 50;
    }
}

/* LibreOffice names the result after the source: dir/<base without ext>.docx */
static char *result_path(const char *dir, const char *src)
{
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    const char *dot = strrchr(base, '.');
    size_t n = dot ? (size_t)(dot - base) : strlen(base);
    size_t len = strlen(dir) + n + 8;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%.*s.docx", dir, (int)n, base);
    return p;
}

/* A copy of src at dst: for a source named by its descriptor (an archive
 * member's spooled copy, /proc/self/fd/N, already unlinked), which soffice
 * in its own process could not open by that name. */
static bool copy_file(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
    char buf[65536];
    size_t n;
    bool ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    if (out && fclose(out) != 0)
        ok = false;
    if (in)
        fclose(in);
    return ok;
}

/* soffice picks the filter by extension: the source gets one it knows. */
static char *link_source(const char *dir, const char *src)
{
    size_t len = strlen(dir) + 16;
    char *p = malloc(len);
    if (!p)
        return NULL;
    snprintf(p, len, "%s/input.doc", dir);
    if (strncmp(src, "/proc/self/fd/", 14) == 0) {
        if (copy_file(src, p))
            return p;
        free(p);
        return NULL;
    }
    char *abs = realpath(src, NULL);
    bool ok = abs && symlink(abs, p) == 0;
    free(abs);
    if (!ok) {
        free(p);
        return NULL;
    }
    return p;
}

nb_status doc_soffice_convert(const char *src, const char *tmpdir, long timeout_s, char **dir,
                              char **out, nb_error *err)
{
    *dir = *out = NULL;
    if (!on_path("soffice")) {
        nb_error_set(err, NB_E_DATA, NULL,
                     "doc.convert=soffice: soffice (LibreOffice) is not on PATH; install it, "
                     "or save the file as DOCX");
        return NB_FAILED;
    }
    size_t len = strlen(tmpdir ? tmpdir : "/tmp") + 24;
    char *d = malloc(len);
    if (!d)
        return nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory"), NB_FATAL;
    snprintf(d, len, "%s/nianbao-doc.XXXXXX", tmpdir ? tmpdir : "/tmp");
    char *in = mkdtemp(d) ? link_source(d, src) : NULL;
    if (!in) {
        nb_error_set(err, NB_E_IO, NULL, "cannot make a private temp directory for soffice: %s",
                     strerror(errno));
        doc_remove_tree(d);
        free(d);
        return NB_FAILED;
    }
    char profile[4200];
    snprintf(profile, sizeof profile, "-env:UserInstallation=file://%s/profile", d);
    pid_t pid = fork();
    if (pid == 0)
        run_child(d, in, profile);
    bool timed_out = false;
    int status = pid > 0 ? wait_bounded(pid, timeout_s, &timed_out) : -1;
    char *res = result_path(d, in);
    free(in);
    struct stat st;
    if (status == 0 && res && stat(res, &st) == 0 && st.st_size > 0) {
        *dir = d, *out = res;
        return NB_OK;
    }
    if (timed_out)
        nb_error_set(err, NB_E_DATA, NULL, "soffice did not convert it within %ld s (doc.timeout); "
                     "save it as DOCX", timeout_s);
    else
        nb_error_set(err, NB_E_DATA, NULL, "soffice could not convert it to DOCX (exit %d); save it "
                     "as DOCX in Word or WPS", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    free(res);
    doc_remove_tree(d);
    free(d);
    return NB_FAILED;
}
