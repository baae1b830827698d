/* sink.c - output files are written to a temp file beside the target and
 * renamed on success, so a failed run never leaves a partial file. */
#include "stream_internal.h"
#include "util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

FILE *nb_sink_file(nb_sink *s) { return s->fp; }
const char *nb_sink_path(nb_sink *s) { return s->tmp_path; }
const char *nb_sink_target(nb_sink *s) { return s->target; }

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
    *fd = tmpl ? mkstemp(tmpl) : -1;
    if (*fd < 0) {
        free(tmpl);
        return NULL;
    }
    fchmod(*fd, 0644);
    return tmpl;
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
    if (s->to_stdout && !needs_path) {
        s->fp = stdout;
        return s;
    }
    int fd;
    s->tmp_path = temp_beside(target, tmpdir, s->to_stdout, &fd);
    if (!s->tmp_path) {
        nb_error_set(err, NB_E_CANTCREAT, target, "cannot create output: %s", strerror(errno));
        nb_sink_free(s);
        return NULL;
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
    return s;
}

static nb_status copy_to_stdout(nb_sink *s, nb_error *err)
{
    FILE *in = fopen(s->tmp_path, "rb");
    if (!in) {
        nb_error_set(err, NB_E_IO, s->tmp_path, "cannot read back the output: %s", strerror(errno));
        return NB_FATAL;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            break;
    bool bad = ferror(in) || ferror(stdout) || fflush(stdout) != 0;
    fclose(in);
    if (bad) {
        nb_error_set(err, NB_E_IO, "<stdout>", "write error: %s", strerror(errno));
        return NB_FATAL;
    }
    return NB_OK;
}

nb_status nb_sink_commit(nb_sink *s, nb_error *err)
{
    if (s->fp == stdout) {
        s->fp = NULL;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            nb_error_set(err, NB_E_IO, "<stdout>", "write error: %s", strerror(errno));
            return NB_FATAL;
        }
        s->committed = true;
        return NB_OK;
    }
    if (s->fp) {
        bool bad = fflush(s->fp) != 0 || ferror(s->fp) || fsync(fileno(s->fp)) != 0;
        bad |= fclose(s->fp) != 0;
        s->fp = NULL;
        if (bad) {
            nb_error_set(err, NB_E_IO, s->target, "write error: %s", strerror(errno));
            return NB_FATAL;
        }
    }
    if (s->to_stdout) {
        nb_status st = copy_to_stdout(s, err);
        unlink(s->tmp_path);
        s->committed = st == NB_OK;
        return st;
    }
    if (rename(s->tmp_path, s->target) != 0) {
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
    if (s->fp && s->fp != stdout)
        fclose(s->fp);
    if (s->tmp_path && !s->committed)
        unlink(s->tmp_path);
    free(s->tmp_path);
    free(s->target);
    free(s);
}
