/* plugin_index.c - writes a plugin folder's index:
 * `nianbao_plugin_index DIR` -> DIR/nianbao-plugins.index.
 *
 * Every plugin's manifest (PLUGIN.so.manifest, plugin_manifest.c) in one
 * file, each with the size, inode, mtime and ctime of the .so it was read
 * beside, so the host reads one file at start-up, not one per plugin
 * (core/src/loader_index.c says the format and when an entry is used).
 * Run after the plugins are built and after they are installed. */
#include "plugin_index_format.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_plugin_name(const char *s)
{
    size_t n = strlen(s);
    return (strncmp(s, "nianbao-in-", 11) == 0 || strncmp(s, "nianbao-out-", 12) == 0) && n > 3 &&
           strcmp(s + n - 3, ".so") == 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The file's bytes when it is a regular file under 1 MB; NULL otherwise. */
static char *read_small(const char *path, size_t *len)
{
    struct stat st;
    FILE *f = stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (1 << 20) ? fopen(path, "rb") : NULL;
    char *buf = f ? malloc((size_t)st.st_size + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    *len = buf ? (size_t)st.st_size : 0;
    return buf;
}

/* One entry; nothing for a plugin without a readable manifest (it is then
 * listed the plain way, from its own files). */
static int write_entry(FILE *out, const char *dir, const char *name)
{
    char so[4096], man[4200];
    if (snprintf(so, sizeof so, "%s/%s", dir, name) >= (int)sizeof so)
        return 0;
    snprintf(man, sizeof man, "%s.manifest", so);
    struct stat st;
    if (lstat(so, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    size_t len;
    char *text = read_small(man, &len);
    if (!text)
        return 0;
    fprintf(out, "%s\t%zu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\n", name, len, (unsigned long long)st.st_size,
            (unsigned long long)st.st_ino, (unsigned long long)st.st_mtim.tv_sec,
            (unsigned long long)st.st_mtim.tv_nsec, (unsigned long long)st.st_ctim.tv_sec,
            (unsigned long long)st.st_ctim.tv_nsec);
    int bad = fwrite(text, 1, len, out) != len || fputc('\n', out) == EOF;
    free(text);
    return bad;
}

static char **plugin_names(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!is_plugin_name(e->d_name))
            continue;
        if (*n == cap) {
            char **grown = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        if ((names[*n] = strdup(e->d_name)))
            (*n)++;
    }
    if (d)
        closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: nianbao_plugin_index DIR\n");
        return 2;
    }
    char target[4096], tmp[4200];
    if (snprintf(target, sizeof target, "%s/%s", argv[1], NB_PLUGIN_INDEX_NAME) >= (int)sizeof target)
        return 2;
    snprintf(tmp, sizeof tmp, "%s.tmp", target);
    size_t n;
    char **names = plugin_names(argv[1], &n);
    /* written to a temp file and renamed: a reader never sees half an index */
    FILE *out = fopen(tmp, "wb");
    int bad = !out || fputs(NB_PLUGIN_INDEX_HEADER, out) == EOF;
    for (size_t i = 0; i < n; i++) {
        bad |= !bad && write_entry(out, argv[1], names[i]);
        free(names[i]);
    }
    free(names);
    bad |= out && fclose(out) != 0;
    if (bad || rename(tmp, target) != 0) {
        remove(tmp);
        fprintf(stderr, "nianbao_plugin_index: cannot write %s; plugins are listed from their manifests\n",
                target);
        return 1;
    }
    return 0;
}
