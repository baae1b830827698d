/* sink.c - output files are written to a temp file beside the target and
 * renamed on success, so a failed run never leaves a partial file.  The
 * new file gets the mode a plain create would (0666 less the umask), or
 * the mode of the file it replaces; nb_run_temp_path lets the caller
 * remove the temp file when a signal ends the process.  A binary output
 * on stdout (xlsx) is made in the temp folder, unlinked at once and named
 * by its descriptor, then copied out. */
#include "stream_internal.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* stdio's default, the block size (4 KB), made two write calls per report */
#define SINK_BUFFER (1u << 16)

FILE *nb_sink_file(nb_sink *s) { return s->fp; }
const char *nb_sink_path(nb_sink *s) { return s->tmp_path; }
const char *nb_sink_target(nb_sink *s) { return s->target; }
const char *nb_sink_named_temp(const nb_sink *s) { return s->held_fd < 0 ? s->tmp_path : NULL; }

/* Like mkstemp, but created with mode 0666 so the umask applies, as it
 * would to any file the user's shell creates. */
static int create_unique(char *tmpl)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t len = strlen(tmpl);
    if (len < 6 || strcmp(tmpl + len - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return -1;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned char rnd[6];
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
            return -1;
        for (int i = 0; i < 6; i++)
            tmpl[len - 6 + i] = digits[rnd[i] % (sizeof digits - 1)];
        int fd = open(tmpl, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* A file that replaces another keeps that file's permissions. */
static void keep_mode(int fd, const char *target)
{
    struct stat st;
    if (stat(target, &st) == 0 && S_ISREG(st.st_mode))
        fchmod(fd, st.st_mode & 07777);
}

static char *temp_beside(const char *target, const char *tmpdir, bool to_stdout, int *fd)
{
    char *tmpl;
    if (to_stdout)
        tmpl = nb_strfmt("%s/nianbao-out-XXXXXX", tmpdir ? tmpdir : "/tmp");
    else {
        const char *slash = strrchr(target, '/');
        const char *base = slash ? slash + 1 : target;
        tmpl = slash ? nb_strfmt("%.*s/.%s.XXXXXX", (int)(slash - target), target, base)
                     : nb_strfmt(".%s.XXXXXX", base);
    }
    *fd = tmpl ? (to_stdout ? mkostemp(tmpl, O_CLOEXEC) : create_unique(tmpl)) : -1;
    if (*fd < 0) {
        free(tmpl);
        return NULL;
    }
    if (!to_stdout)
        keep_mode(*fd, target);
    return tmpl;
}

/* The file a finished output replaces.  A symbolic link is followed, as
 * the shell's `>` follows it: the file it points to gets the new content
 * and the link stays (a rename over the link would replace the link).  A
 * link that leads nowhere is replaced. */
static char *destination(const char *target)
{
    struct stat st;
    char *real = lstat(target, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(target, NULL) : NULL;
    return real ? real : nb_strdup(target);
}

/* An existing target that is not a regular file: a device or a pipe. */
static bool is_special(const char *target)
{
    struct stat st;
    return stat(target, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

static const char *direct_name(const nb_sink *s)
{
    return s->own_direct ? s->target : "<stdout>";
}

/* A file or device this sink opened gets a larger buffer (stdout is the
 * program's; a terminal keeps its line buffering).  glibc ignores the
 * size unless it is given the buffer, so the sink owns it. */
static void buffer(nb_sink *s)
{
    if (s->fp == stdout || isatty(fileno(s->fp)) || !(s->buf = malloc(SINK_BUFFER)))
        return; /* stdio's own buffer does */
    setvbuf(s->fp, s->buf, _IOFBF, SINK_BUFFER);
}

nb_sink *nb_sink_open(const char *target, bool needs_path, const char *tmpdir, nb_error *err)
{
    nb_sink *s = calloc(1, sizeof *s);
    if (!s) {
        nb_error_set(err, NB_E_INTERNAL, target, "out of memory");
        return NULL;
    }
    s->target = nb_strdup(target);
    s->to_stdout = strcmp(target, "-") == 0;
    s->direct = stdout;
    s->held_fd = -1;
    struct stat st;
    if (!s->to_stdout && stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* said now, not after the whole run, when the rename would fail */
        nb_error_set(err, NB_E_CANTCREAT, target, "is a folder: -o names the file to write");
        nb_sink_free(s);
        return NULL;
    }
    if (!s->to_stdout && is_special(target)) {
        /* -o /dev/null, a fifo: written in place, as renaming a file over
         * it would replace the device */
        if (!(s->direct = fopen(target, "wb"))) {
            nb_error_set(err, NB_E_CANTCREAT, target, "cannot open output: %s", strerror(errno));
            nb_sink_free(s);
            return NULL;
        }
        s->own_direct = s->to_stdout = true;
    }
    if (s->to_stdout && !needs_path) {
        s->fp = s->direct;
        buffer(s);
        return s;
    }
    int fd;
    if (!s->to_stdout && !(s->dest = destination(target))) {
        nb_error_set(err, NB_E_INTERNAL, target, "out of memory");
        nb_sink_free(s);
        return NULL;
    }
    s->tmp_path = temp_beside(s->to_stdout ? target : s->dest, tmpdir, s->to_stdout, &fd);
    if (!s->tmp_path && s->to_stdout) { /* a binary output on stdout is made in the temp folder */
        nb_error_set(err, NB_E_CANTCREAT, direct_name(s), "cannot create its temporary file in %s (TMPDIR): %s",
                     tmpdir ? tmpdir : "/tmp", strerror(errno));
        nb_sink_free(s);
        return NULL;
    }
    if (!s->tmp_path) {
        nb_error_set(err, NB_E_CANTCREAT, target, "cannot create output: %s", strerror(errno));
        nb_sink_free(s);
        return NULL;
    }
    if (needs_path && s->to_stdout && !nb_temp_unname(&s->tmp_path, fd)) {
        /* the plugin writes the workbook by the fd's name; nothing can be
         * left in the temp folder, not even by SIGKILL */
        s->held_fd = fd;
        return s;
    }
    if (needs_path) {
        close(fd);
        return s;
    }
    if (!(s->fp = fdopen(fd, "wb"))) {
        close(fd);
        nb_error_set(err, NB_E_CANTCREAT, target, "cannot create output: %s", strerror(errno));
        nb_sink_free(s);
        return NULL;
    }
    buffer(s);
    return s;
}

static nb_status copy_to_direct(nb_sink *s, nb_error *err)
{
    FILE *in = fopen(s->tmp_path, "rb");
    if (!in) {
        nb_error_set(err, NB_E_IO, s->tmp_path, "cannot read back the output: %s", strerror(errno));
        return NB_FATAL;
    }
    /* gone from the folder before the first byte goes out: a reader that
     * stops early (| head) kills us by SIGPIPE with nothing left behind */
    if (s->held_fd < 0)
        unlink(s->tmp_path);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, s->direct) != n)
            break;
    bool bad = ferror(in) || ferror(s->direct) || fflush(s->direct) != 0;
    fclose(in);
    if (bad) {
        nb_error_set(err, NB_E_IO, direct_name(s), "write error: %s", strerror(errno));
        return NB_FATAL;
    }
    return NB_OK;
}

nb_status nb_sink_commit(nb_sink *s, nb_error *err)
{
    if (s->fp && s->fp == s->direct) {
        s->fp = NULL;
        if (fflush(s->direct) != 0 || ferror(s->direct)) {
            nb_error_set(err, NB_E_IO, direct_name(s), "write error: %s", strerror(errno));
            return NB_FATAL;
        }
        s->committed = true;
        return NB_OK;
    }
    /* Not fsynced: the rename makes the file appear whole or not at all
     * to every reader, and a failed run leaves none, which is what -o
     * promises.  Surviving a power cut is another promise, at the price
     * of a disk flush per run (0.8 ms of a 7.4 ms one-report run here,
     * tens of ms on a spinning disk, in a shell loop over thousands of
     * files); as with gzip, sort -o or sed -i, `sync` after the run gives
     * it.  A workbook written by path was never fsynced either. */
    if (s->fp) {
        bool bad = fflush(s->fp) != 0 || ferror(s->fp);
        bad |= fclose(s->fp) != 0;
        s->fp = NULL;
        if (bad) {
            nb_error_set(err, NB_E_IO, s->target, "write error: %s", strerror(errno));
            return NB_FATAL;
        }
    }
    if (s->to_stdout) {
        nb_status st = copy_to_direct(s, err);
        if (s->held_fd < 0)
            unlink(s->tmp_path);
        s->committed = st == NB_OK;
        return st;
    }
    if (rename(s->tmp_path, s->dest) != 0) {
        nb_error_set(err, NB_E_CANTCREAT, s->target, "cannot rename the finished output: %s",
                     strerror(errno));
        return NB_FATAL;
    }
    s->committed = true;
    return NB_OK;
}

void nb_sink_free(nb_sink *s)
{
    if (!s)
        return;
    if (s->fp && s->fp != s->direct)
        fclose(s->fp);
    if (s->own_direct && s->direct)
        fclose(s->direct);
    if (s->tmp_path && !s->committed && s->held_fd < 0)
        unlink(s->tmp_path);
    if (s->held_fd >= 0)
        close(s->held_fd);
    free(s->buf); /* after the fclose that last used it */
    free(s->tmp_path);
    free(s->target);
    free(s->dest);
    free(s);
}
