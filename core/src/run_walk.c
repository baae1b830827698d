/* run_walk.c - what the user names: a file, "-" (stdin), or a folder
 * walked recursively in sorted order so a run is reproducible. */
#include "run_internal.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static nb_status run_file(nb_run *run, const char *path, bool top, nb_error *err)
{
    nb_error e;
    nb_error_clear(&e);
    nb_stream *s = nb_stream_open_file(path, &e);
    if (!s)
        return nb_run_record_failure(run, path, false, e.text, err);
    nb_status st = nb_run_process_stream(run, s, strcmp(path, "-") == 0 ? "<stdin>" : path, 0, top, err);
    nb_stream_free(s);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted so that a run over a folder is reproducible. */
static nb_status run_dir(nb_run *run, const char *dir, int depth, nb_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return nb_run_record_failure(run, dir, false, strerror(errno), err);
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (nb_grow((void **)&names, &cap, n, sizeof *names))
            names[n++] = nb_strdup(de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    nb_status st = NB_OK;
    for (size_t i = 0; i < n; i++) {
        char *p = nb_strfmt("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        struct stat sb;
        if (st != NB_OK || !p)
            ;
        else if (names[i][0] == '.')
            st = nb_run_record_failure(run, p, true, "hidden file", err);
        else if (stat(p, &sb) != 0)
            st = nb_run_record_failure(run, p, false, strerror(errno), err);
        else if (S_ISDIR(sb.st_mode))
            st = depth < 64 ? run_dir(run, p, depth + 1, err)
                            : nb_run_record_failure(run, p, false, "folders nested too deep", err);
        else if (S_ISREG(sb.st_mode))
            st = run_file(run, p, false, err);
        else
            st = nb_run_record_failure(run, p, true, "not a regular file", err);
        free(p);
        free(names[i]);
    }
    free(names);
    return st;
}

nb_status nb_run_input(nb_run *run, const char *path, nb_error *err)
{
    struct stat sb;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return run_dir(run, path, 0, err);
    return run_file(run, path, true, err);
}

