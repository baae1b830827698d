/* spill.c - an unlinked temporary file of records (spill.h).  It is
 * unlinked as soon as it is made: nothing is left behind by a run that
 * ends in any way, and no other process can open it by name. */
#include "spill.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct nb_spill {
    char *dir;
    int fd;          /* -1 until the first record */
    uint64_t end;
};

nb_spill *nb_spill_new(const char *dir)
{
    nb_spill *sp = calloc(1, sizeof *sp);
    if (!sp || !(sp->dir = nb_strdup(dir))) {
        free(sp);
        return NULL;
    }
    sp->fd = -1;
    return sp;
}

void nb_spill_free(nb_spill *sp)
{
    if (!sp)
        return;
    if (sp->fd >= 0)
        close(sp->fd);
    free(sp->dir);
    free(sp);
}

static bool spill_open(nb_spill *sp)
{
    if (sp->fd >= 0)
        return true;
    char *path = nb_strfmt("%s/nianbao-spill-XXXXXX", sp->dir);
    int fd = path ? mkostemp(path, O_CLOEXEC) : -1;
    if (fd >= 0)
        unlink(path);
    free(path);
    sp->fd = fd;
    return fd >= 0;
}

bool nb_spill_put(nb_spill *sp, const void *rec, size_t len, uint64_t *off)
{
    if (!spill_open(sp))
        return false;
    const char *p = rec;
    uint64_t at = sp->end;
    for (size_t left = len; left;) {
        ssize_t w = pwrite(sp->fd, p, left, (off_t)at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false; /* the bytes past sp->end are overwritten by the next record */
        p += w;
        left -= (size_t)w;
        at += (uint64_t)w;
    }
    *off = sp->end;
    sp->end = at;
    return true;
}

bool nb_spill_get(const nb_spill *sp, uint64_t off, void *buf, size_t len)
{
    char *p = buf;
    while (sp->fd >= 0 && len) {
        ssize_t r = pread(sp->fd, p, len, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        p += r;
        len -= (size_t)r;
        off += (uint64_t)r;
    }
    return len == 0;
}
