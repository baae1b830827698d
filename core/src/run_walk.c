/* run_walk.c - what the user names: a file, "-" (stdin), or a folder
 * walked recursively in sorted order so a run is reproducible.  Symbolic
 * links are followed, but every folder is read once, known by device and
 * inode: a link back to an ancestor (a loop) or a second link to the same
 * folder is a skipped input, not a second copy of every report. */
#include "run_isolate.h"
#include "stream_internal.h"
#include "text_internal.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* An input the walk names: path's bytes open it, its UTF-8 name
 * (nb_text_name_utf8) is what messages and outputs say, so a name written
 * in GBK never puts invalid UTF-8 in a CSV or drops a JSON source. */
static nb_status fail_path(nb_run *run, const char *path, bool skipped, const char *reason, nb_error *err)
{
    char *name = nb_text_name_utf8(path);
    nb_status st = nb_run_record_failure(run, name ? name : path, skipped, reason, err);
    free(name);
    return st;
}

static nb_status run_file(nb_run *run, const char *path, bool top, nb_error *err)
{
    nb_error e;
    nb_error_clear(&e);
    nb_stream *s = nb_stream_open_file(path, &e);
    if (!s)
        return fail_path(run, path, false, e.text, err);
    char *shown = strcmp(path, "-") == 0 ? nb_strdup("<stdin>") : nb_text_name_utf8(path);
    if (!shown || !nb_stream_rename(s, shown)) {
        free(shown);
        nb_stream_free(s);
        nb_error_set(err, NB_E_INTERNAL, NULL, "out of memory");
        return NB_FATAL;
    }
    nb_status st = run->iso.seconds ? nb_run_isolated(run, s, shown, top, err)
                                    : nb_run_process_stream(run, s, shown, 0, top, err);
    nb_stream_free(s);
    free(shown);
    return st;
}

/* Entries are stored behind one byte of their kind: 'R' a regular file
 * (so known from the folder listing), '?' anything the walk must stat. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Folders already entered in this walk, and how many entries other than
 * folders it met (each an input or a named skip). */
typedef struct walk {
    struct dir_id { dev_t dev; ino_t ino; } *seen;
    size_t n, cap;
    size_t entries;
} walk;

/* True the first time a folder is met; false when it was read already. */
static bool first_visit(walk *w, const struct stat *sb)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->seen[i].dev == sb->st_dev && w->seen[i].ino == sb->st_ino)
            return false;
    if (nb_grow((void **)&w->seen, &w->cap, w->n, sizeof *w->seen)) {
        w->seen[w->n].dev = sb->st_dev;
        w->seen[w->n++].ino = sb->st_ino;
    }
    return true;
}

static nb_status run_dir(nb_run *run, walk *w, const char *dir, int depth, nb_error *err);

static nb_status run_subdir(nb_run *run, walk *w, const char *p, const struct stat *sb, int depth,
                            nb_error *err)
{
    if (!first_visit(w, sb))
        return fail_path(run, p, true, "folder already read (a symbolic link loop or a second link to it)", err);
    if (depth >= 64)
        return fail_path(run, p, false, "folders nested too deep", err);
    return run_dir(run, w, p, depth + 1, err);
}

/* Sorted so that a run over a folder is reproducible. */
static nb_status run_dir(nb_run *run, walk *w, const char *dir, int depth, nb_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return fail_path(run, dir, false, strerror(errno), err);
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (nb_grow((void **)&names, &cap, n, sizeof *names))
            names[n++] = nb_strcat3(de->d_type == DT_REG ? "R" : "?", de->d_name, "");
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    nb_status st = NB_OK;
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i] ? names[i] + 1 : NULL;
        char *p = name ? nb_strcat3(dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name) : NULL;
        struct stat sb;
        bool folder = false;
        if (st != NB_OK || !p)
            ;
        else if (name[0] == '.')
            st = fail_path(run, p, true, "hidden file", err);
        else if (names[i][0] == 'R') /* a regular file by its listing: opening it tells the rest */
            st = run_file(run, p, false, err);
        else if (stat(p, &sb) != 0)
            st = fail_path(run, p, false, strerror(errno), err);
        else if ((folder = S_ISDIR(sb.st_mode)))
            st = run_subdir(run, w, p, &sb, depth, err);
        else if (S_ISREG(sb.st_mode))
            st = run_file(run, p, false, err);
        else
            st = fail_path(run, p, true, "not a regular file", err);
        w->entries += !folder; /* a folder is no input of its own */
        free(p);
        free(names[i]);
    }
    free(names);
    return st;
}

nb_status nb_run_input(nb_run *run, const char *path, nb_error *err)
{
    struct stat sb;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        walk w = {NULL, 0, 0, 0};
        first_visit(&w, &sb);
        nb_status st = run_dir(run, &w, path, 0, err);
        free(w.seen);
        if (st == NB_OK && w.entries == 0) { /* a folder named by mistake says so, not only "0 converted" */
            nb_error e;
            nb_error_clear(&e);
            char *name = nb_text_name_utf8(path);
            nb_error_set(&e, NB_E_NOINPUT, name ? name : path, "no files in this folder or below it");
            nb_run_note(run, NULL, NULL, &e);
            free(name);
        }
        return st;
    }
    return run_file(run, path, true, err);
}

