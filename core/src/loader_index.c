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
 *   NAME \t LEN \t SIZE \t INO \t MSEC \t MNSEC \t CSEC \t CNSEC \n MANIFEST(LEN bytes) \n
 * (LEN first: an entry of another plugin is skipped without reading the rest). */
#include "context_internal.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* One entry from p: its name (nlen bytes), its file's six numbers still
 * unread at *nums, and its manifest (mlen bytes); NULL at the end or when
 * malformed.  The numbers are read only for the entry asked for. */
static const char *read_entry(const char *p, const char *lim, const char **name, size_t *nlen,
                              const char **nums, unsigned long long *mlen)
{
    const char *tab = p < lim ? memchr(p, '\t', (size_t)(lim - p)) : NULL;
    if (!tab || tab == p)
        return NULL;
    *name = p;
    *nlen = (size_t)(tab - p);
    if (!(*nums = read_num(tab + 1, lim, '\t', mlen)))
        return NULL;
    const char *eol = memchr(*nums, '\n', (size_t)(lim - *nums));
    /* the manifest and its closing newline must lie inside the text */
    if (!eol || *mlen >= (unsigned long long)(lim - eol - 1) || eol[1 + *mlen] != '\n')
        return NULL;
    return eol + 1;
}

/* The six numbers at p (size, inode, mtime s and ns, ctime s and ns) are st's. */
static bool same_file(const char *p, const char *lim, const struct stat *st)
{
    const unsigned long long want[6] = {
        (unsigned long long)st->st_size,          (unsigned long long)st->st_ino,
        (unsigned long long)st->st_mtim.tv_sec,   (unsigned long long)st->st_mtim.tv_nsec,
        (unsigned long long)st->st_ctim.tv_sec,   (unsigned long long)st->st_ctim.tv_nsec};
    unsigned long long v;
    for (int i = 0; i < 6; i++)
        if (!(p = read_num(p, lim, i < 5 ? '\t' : '\n', &v)) || v != want[i])
            return false;
    return true;
}

/* The entry for `base` in [p, lim), NULL when there is none. */
static const char *find_from(const char *p, const char *lim, const char *base, size_t blen, const char **nums,
                             unsigned long long *ml)
{
    const char *name;
    size_t nlen;
    while (p < lim && (p = read_entry(p, lim, &name, &nlen, nums, ml))) {
        if (nlen == blen && memcmp(name, base, blen) == 0)
            return p;
        p += *ml + 1;
    }
    return NULL;
}

const char *nb_plugin_index_find(const char *text, size_t len, const char *base, const struct stat *st,
                                 size_t *mlen, size_t *hint)
{
    size_t hl = sizeof NB_PLUGIN_INDEX_HEADER - 1;
    if (!text || len < hl || memcmp(text, NB_PLUGIN_INDEX_HEADER, hl) != 0)
        return NULL;
    const char *lim = text + len, *nums, *m = NULL;
    size_t blen = strlen(base);
    unsigned long long ml;
    /* the folder is scanned in the index's order: the entry asked for is
     * usually the one after the last found; from the start otherwise */
    if (*hint > hl && *hint < len)
        m = find_from(text + *hint, lim, base, blen, &nums, &ml);
    if (!m)
        m = find_from(text + hl, lim, base, blen, &nums, &ml);
    if (!m || !same_file(nums, lim, st))
        return NULL;
    *mlen = (size_t)ml;
    *hint = (size_t)(m - text) + *mlen + 1;
    return m;
}
