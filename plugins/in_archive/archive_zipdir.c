/* archive_zipdir.c - a zip's central directory, read by us.
 *
 * Two things libarchive does not tell: how many entries the directory
 * lists (entries sharing one data block come out once), and the raw bytes
 * of a name it could not convert.  A zip that sets the UTF-8 flag (bit 11)
 * on names written in GBK is common from some Chinese tools; libarchive
 * trusts the flag, fails the conversion and drops the name.  Its seekable
 * reader hands entries out in the order of their local header offsets,
 * one per offset, so the n-th entry it gives is the n-th distinct offset
 * of the directory sorted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "archive_priv.h"

#define EOCD_LEN 22u
#define EOCD_MAX (EOCD_LEN + 65535u) /* the end record and the longest comment */
#define CDIR_HEAD 46u                /* fixed part of a directory entry */
#define CDIR_MAX ((uint64_t)256 << 20) /* a larger directory is not read */

struct arc_zipdir {
    uint64_t listed; /* entries the end record counts; 0 unknown */
    arc_zipent *ents;
    size_t n;
};

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return le16(p) | le16(p + 2) << 16; }

/* The end record: its position in the file and its 22 bytes. */
static bool find_end(FILE *f, long *at, unsigned char rec[EOCD_LEN])
{
    unsigned char tail[EOCD_MAX];
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long take = size < (long)sizeof tail ? size : (long)sizeof tail;
    if (take < (long)EOCD_LEN || fseek(f, size - take, SEEK_SET) != 0 ||
        fread(tail, 1, (size_t)take, f) != (size_t)take)
        return false;
    for (long i = take - (long)EOCD_LEN; i >= 0; i--)
        if (memcmp(tail + i, "PK\x05\x06", 4) == 0) {
            memcpy(rec, tail + i, EOCD_LEN);
            *at = size - take + i;
            return true;
        }
    return false;
}

static int by_offset(const void *a, const void *b)
{
    const arc_zipent *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Parses the directory's entries; keeps the first of each offset. */
static void parse_entries(arc_zipdir *d, const unsigned char *p, size_t len)
{
    size_t cap = d->listed, pos = 0;
    if (!(d->ents = calloc(cap ? cap : 1, sizeof *d->ents)))
        return;
    while (d->n < cap && pos + CDIR_HEAD <= len && memcmp(p + pos, "PK\x01\x02", 4) == 0) {
        size_t nlen = le16(p + pos + 28), xlen = le16(p + pos + 30), clen = le16(p + pos + 32);
        if (pos + CDIR_HEAD + nlen > len)
            break;
        arc_zipent *e = &d->ents[d->n];
        e->offset = le32(p + pos + 42);
        e->size = le32(p + pos + 24);
        e->len = nlen;
        if (!(e->name = malloc(nlen + 1)))
            break;
        memcpy(e->name, p + pos + CDIR_HEAD, nlen);
        e->name[nlen] = '\0';
        d->n++;
        pos += CDIR_HEAD + nlen + xlen + clen;
    }
    qsort(d->ents, d->n, sizeof *d->ents, by_offset);
    size_t w = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (w && d->ents[w - 1].offset == d->ents[i].offset) {
            free(d->ents[i].name);
            continue;
        }
        d->ents[w++] = d->ents[i];
    }
    d->n = w;
}

/* The directory sits just before the end record (whatever precedes the
 * zip, as in self-extracting files, does not move it). */
static void read_entries(arc_zipdir *d, FILE *f, long end_at, const unsigned char *rec)
{
    uint64_t size = le32(rec + 12);
    if (le32(rec + 16) == 0xFFFFFFFFu || size > CDIR_MAX || (uint64_t)end_at < size)
        return; /* zip64 or implausible: names stay as libarchive gives them */
    unsigned char *buf = malloc(size ? (size_t)size : 1);
    if (buf && fseek(f, end_at - (long)size, SEEK_SET) == 0 && fread(buf, 1, (size_t)size, f) == size)
        parse_entries(d, buf, (size_t)size);
    free(buf);
}

arc_zipdir *arc_zipdir_read(const char *path, bool with_names)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return NULL;
    arc_zipdir *d = calloc(1, sizeof *d);
    unsigned char rec[EOCD_LEN];
    long at;
    if (d && find_end(f, &at, rec)) {
        d->listed = le16(rec + 10) == 0xFFFFu ? 0 : le16(rec + 10);
        if (with_names && d->listed)
            read_entries(d, f, at, rec);
    }
    fclose(f);
    return d;
}

uint64_t arc_zipdir_listed(const arc_zipdir *d) { return d ? d->listed : 0; }

const arc_zipent *arc_zipdir_entry(const arc_zipdir *d, uint64_t index)
{
    return d && index < d->n ? &d->ents[index] : NULL;
}

void arc_zipdir_free(arc_zipdir *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->ents[i].name);
    free(d->ents);
    free(d);
}
