/* loader_index.c - a plugin folder's index, NIANBAO_PLUGIN_INDEX beside the
 * plugins, written by `nianbao_manifest --index DIR` at build and install:
 * every plugin's manifest in one file, so a start reads one file instead of
 * opening each manifest (four system calls per plugin).
 *
 * An entry is used only for the .so it was written for: its size, inode,
 * mtime and ctime (which no one can set back) must all match the file
 * found now; otherwise the plugin's own manifest is read as before.  A
 * plugin missing from the index is found by the folder scan like any other,
 * so a stale index can only cost time.  Format, one entry per plugin:
 *   nianbao.plugin-index/1\n
 *   NAME \t SIZE \t INO \t MSEC \t MNSEC \t CSEC \t CNSEC \t LEN \n MANIFEST(LEN bytes) \n */
#include "context_internal.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NB_INDEX_HEADER "nianbao.plugin-index/1\n"

/* Reads an unsigned decimal ending in `end`; NULL when malformed. */
static const char *read_num(const char *p, const char *lim, char end, unsigned long long *out)
{
    unsigned long long v = 0;
    const char *s = p;
    for (; p < lim && *p >= '0' && *p <= '9'; p++) {
        if (v > (~0ULL - 9) / 10)
            return NULL;
        v = v * 10 + (unsigned)(*p - '0');
    }
    if (p == s || p >= lim || *p != end)
        return NULL;
    *out = v;
    return p + 1;
}

/* One entry's header from p: its name (nlen bytes), seven numbers, and the
 * start of its manifest; NULL at the end or when malformed. */
static const char *read_entry(const char *p, const char *lim, const char **name, size_t *nlen,
                              unsigned long long f[7])
{
    const char *tab = p < lim ? memchr(p, '\t', (size_t)(lim - p)) : NULL;
    if (!tab || tab == p)
        return NULL;
    *name = p;
    *nlen = (size_t)(tab - p);
    p = tab + 1;
    for (int i = 0; p && i < 7; i++)
        p = read_num(p, lim, i < 6 ? '\t' : '\n', &f[i]);
    /* the manifest and its closing newline must lie inside the text */
    if (!p || f[6] >= (unsigned long long)(lim - p) || p[f[6]] != '\n')
        return NULL;
    return p;
}

static bool same_file(const unsigned long long f[6], const struct stat *st)
{
    return f[0] == (unsigned long long)st->st_size && f[1] == (unsigned long long)st->st_ino &&
           f[2] == (unsigned long long)st->st_mtim.tv_sec && f[3] == (unsigned long long)st->st_mtim.tv_nsec &&
           f[4] == (unsigned long long)st->st_ctim.tv_sec && f[5] == (unsigned long long)st->st_ctim.tv_nsec;
}

const char *nb_plugin_index_find(const char *text, size_t len, const char *base, const struct stat *st,
                                 size_t *mlen)
{
    size_t hl = sizeof NB_INDEX_HEADER - 1;
    if (!text || len < hl || memcmp(text, NB_INDEX_HEADER, hl) != 0)
        return NULL;
    const char *p = text + hl, *lim = text + len, *name;
    size_t nlen, blen = strlen(base);
    unsigned long long f[7];
    while (p < lim && (p = read_entry(p, lim, &name, &nlen, f))) {
        if (nlen == blen && memcmp(name, base, blen) == 0)
            return same_file(f, st) ? (*mlen = (size_t)f[6], p) : NULL;
        p += f[6] + 1;
    }
    return NULL;
}
