/* archive_priv.h - state shared by the archive plugin's source files.
 * Nothing here is exported; the plugin's only public symbol is
 * nb_plugin_entry (archive.c). */
#ifndef NB_IN_ARCHIVE_PRIV_H
#define NB_IN_ARCHIVE_PRIV_H

#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <archive.h>
#include <archive_entry.h>
#include "nianbao/plugin.h"

/* Bytes read ahead from every member before it is handed out: enough to
 * tell an empty or unreadable member (wrong password, unsupported method,
 * corrupt data) from a good one, so those become FAIL/SKIP items with a
 * reason instead of errors in the middle of another plugin's read. */
#define ARC_HEAD_BYTES 8192u
/* Read buffer for archives that are not regular files (callback mode). */
#define ARC_READ_BUF (64u * 1024u)
/* Most bytes inflated after a .tar.gz's end marker to reach its trailer. */
#define ARC_GZ_TAIL_MAX ((uint64_t)64 << 20)

/* The member currently lent to the core; valid until the next next(). */
typedef struct arc_member {
    nb_stream *stream;
    unsigned char head[ARC_HEAD_BYTES];
    size_t head_len, head_pos;
    bool eof;      /* archive_read_data reported the end of this entry */
    bool pending;  /* the entry has data libarchive has not consumed yet */
} arc_member;

typedef struct arc_zipdir arc_zipdir;
typedef struct arc_gz arc_gz;

typedef struct arc {
    const nb_host *host;
    char *name_charset;   /* for member names that are not UTF-8 */
    locale_t utf8_locale; /* (locale_t)0 when the system has no UTF-8 locale */
    struct archive *a;
    nb_stream *in;
    unsigned char *rbuf;  /* callback mode only */
    nb_error in_err;      /* last error from nb_stream_read in callback mode */
    bool dead;            /* a fatal error was reported; next() says EOF */
    bool end_checked;     /* the zip directory's count was compared at the end */
    uint64_t nentries;    /* entries seen (directories included) */
    uint64_t skipped_out; /* bytes decompressed while skipping, whole archive */
    uint64_t skipped_raw; /* compressed bytes consumed meanwhile */
    char *name;           /* item.name of the last item (owned) */
    char *reason;         /* item.reason of the last item (owned) */
    arc_gz *gz;           /* gzip inflated by zlib, not libarchive (owned), else NULL */
    arc_zipdir *zipdir;   /* read when a name is lost (owned), NULL before */
    bool name_recovered;  /* the current name came from the zip's directory */
    char *single;         /* a compressed file that is no archive (report.txt.gz):
                             the name of its one member (owned), else NULL */
    arc_member m;
} arc;

/* Runs libarchive calls under the UTF-8 locale (see arc_create). */
static inline locale_t arc_locale_enter(const arc *x)
{
    return x->utf8_locale != (locale_t)0 ? uselocale(x->utf8_locale) : (locale_t)0;
}
static inline void arc_locale_leave(locale_t old)
{
    if (old != (locale_t)0)
        uselocale(old);
}

/* archive_gunzip.c: gzip through zlib, trailers checked */
bool arc_gz_magic(nb_stream *in);
void arc_gz_free(arc_gz *g);
/* Opens x->a (formats chosen) on the inflated bytes of x->in. */
int arc_gz_open(arc *x);
/* Compressed bytes consumed so far. */
uint64_t arc_gz_bytes_in(const arc_gz *g);
/* Why the data broke off or failed its check; NULL: it did not (yet). */
const char *arc_gz_error(const arc_gz *g);
/* Inflates what is left after the archive's end, to check the last
 * trailer; NULL when all is well, else why. */
const char *arc_gz_check_end(arc *x);

/* archive.c: "年报.txt" for "年报.txt.gz" (owned; NULL: out of memory). */
char *arc_single_name(const char *name);

/* archive_iter.c */
nb_status arc_next(void *inst, nb_item *item, nb_error *err);
void arc_release_member(arc *x);

/* archive_names.c */
/* Member path as UTF-8: valid UTF-8 passes through, anything else is read
 * as `charset` (GB18030 by default: zips made on Chinese Windows carry GBK
 * names without the UTF-8 flag); bytes that still do not decode become
 * \xNN.  Leading "./" and "/" are dropped and control characters become
 * '?'.  Returns a new string, NULL only when out of memory. */
char *arc_name_decode(const char *raw, size_t len, const char *charset);
/* "not a report: image" etc. for members that are certainly not reports,
 * NULL otherwise.  Static strings. */
const char *arc_junk_reason(const char *name);

/* archive_zipdir.c */
typedef struct arc_zipent {
    uint64_t offset; /* of the local header */
    uint64_t size;   /* uncompressed, as the directory says (0xFFFFFFFF: zip64) */
    char *name;      /* raw bytes, NUL added */
    size_t len;
} arc_zipent;
/* The central directory of the zip at path: the count of entries its end
 * record lists, and with_names the entries in the order libarchive's
 * seekable reader gives them.  NULL when the file cannot be opened. */
arc_zipdir *arc_zipdir_read(const char *path, bool with_names);
uint64_t arc_zipdir_listed(const arc_zipdir *d); /* 0: unknown */
/* The index-th entry (from 0) in that order, NULL past the end. */
const arc_zipent *arc_zipdir_entry(const arc_zipdir *d, uint64_t index);
void arc_zipdir_free(arc_zipdir *d);

#endif
