/* test_archive_writer.h - builds archives at test time with libarchive's
 * write API, for the test_archive*.c suites.
 *
 * The suites link only libnianbao and Check (tests/CMakeLists.txt), so
 * libarchive is opened with dlopen and its prototypes taken from the
 * installed headers (__typeof__ keeps the calls type-checked).  When the
 * library cannot be opened the suite skips (exit 77). */
#ifndef NB_TEST_ARCHIVE_WRITER_H
#define NB_TEST_ARCHIVE_WRITER_H

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct aw_api {
    void *dl;
    __typeof__(archive_write_new) *write_new;
    __typeof__(archive_write_set_format_zip) *format_zip;
    __typeof__(archive_write_set_format_pax_restricted) *format_pax;
    __typeof__(archive_write_set_format_7zip) *format_7zip;
    __typeof__(archive_write_add_filter_gzip) *filter_gzip;
    __typeof__(archive_write_set_options) *set_options;
    __typeof__(archive_write_set_passphrase) *set_passphrase;
    __typeof__(archive_write_open_filename) *open_filename;
    __typeof__(archive_write_header) *write_header;
    __typeof__(archive_write_data) *write_data;
    __typeof__(archive_write_close) *close;
    __typeof__(archive_write_free) *free;
    __typeof__(archive_error_string) *error_string;
    __typeof__(archive_entry_new) *entry_new;
    __typeof__(archive_entry_free) *entry_free;
    __typeof__(archive_entry_set_pathname) *set_pathname;
    __typeof__(archive_entry_set_filetype) *set_filetype;
    __typeof__(archive_entry_set_perm) *set_perm;
    __typeof__(archive_entry_set_size) *set_size;
    __typeof__(archive_entry_set_mtime) *set_mtime;
} aw_api;

#define AW_SYM(field, sym)                                                                  \
    do {                                                                                    \
        *(void **)&api->field = dlsym(api->dl, sym);                                        \
        if (!api->field)                                                                    \
            return false;                                                                   \
    } while (0)

static bool aw_load(aw_api *api)
{
    memset(api, 0, sizeof *api);
    api->dl = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
    if (!api->dl)
        api->dl = dlopen("libarchive.so", RTLD_NOW | RTLD_LOCAL);
    if (!api->dl)
        return false;
    AW_SYM(write_new, "archive_write_new");
    AW_SYM(format_zip, "archive_write_set_format_zip");
    AW_SYM(format_pax, "archive_write_set_format_pax_restricted");
    AW_SYM(format_7zip, "archive_write_set_format_7zip");
    AW_SYM(filter_gzip, "archive_write_add_filter_gzip");
    AW_SYM(set_options, "archive_write_set_options");
    AW_SYM(set_passphrase, "archive_write_set_passphrase");
    AW_SYM(open_filename, "archive_write_open_filename");
    AW_SYM(write_header, "archive_write_header");
    AW_SYM(write_data, "archive_write_data");
    AW_SYM(close, "archive_write_close");
    AW_SYM(free, "archive_write_free");
    AW_SYM(error_string, "archive_error_string");
    AW_SYM(entry_new, "archive_entry_new");
    AW_SYM(entry_free, "archive_entry_free");
    AW_SYM(set_pathname, "archive_entry_set_pathname");
    AW_SYM(set_filetype, "archive_entry_set_filetype");
    AW_SYM(set_perm, "archive_entry_set_perm");
    AW_SYM(set_size, "archive_entry_set_size");
    AW_SYM(set_mtime, "archive_entry_set_mtime");
    return true;
}

typedef enum aw_format { AW_ZIP, AW_TGZ, AW_7Z } aw_format;

typedef struct aw_member {
    const char *name;   /* raw bytes, stored as given */
    const void *data;
    size_t len;
    size_t zeros;       /* extra zero bytes after data (bombs) */
    bool dir;
} aw_member;

typedef struct aw_opts {
    /* Write under a UTF-8 locale: zip sets the UTF-8 flag, pax and 7z
     * store Unicode names.  false: the test's C locale, where zip stores
     * the name bytes as they are with no flag - what Chinese Windows
     * zippers produce with GBK names. */
    bool unicode;
    const char *options;    /* archive_write_set_options, may be NULL */
    const char *passphrase; /* may be NULL */
} aw_opts;

static int aw_member_data(const aw_api *api, struct archive *a, const aw_member *m)
{
    static const char zero[64 * 1024];
    if (m->len && api->write_data(a, m->data, m->len) != (la_ssize_t)m->len)
        return -1;
    for (size_t left = m->zeros; left;) {
        size_t n = left < sizeof zero ? left : sizeof zero;
        if (api->write_data(a, zero, n) != (la_ssize_t)n)
            return -1;
        left -= n;
    }
    return 0;
}

static int aw_member_write(const aw_api *api, struct archive *a, const aw_member *m)
{
    struct archive_entry *e = api->entry_new();
    api->set_pathname(e, m->name);
    api->set_filetype(e, m->dir ? AE_IFDIR : AE_IFREG);
    api->set_perm(e, m->dir ? 0755 : 0644);
    api->set_size(e, m->dir ? 0 : (la_int64_t)(m->len + m->zeros));
    api->set_mtime(e, 1700000000, 0);
    int r = api->write_header(a, e);
    api->entry_free(e);
    if (r < ARCHIVE_WARN) {
        fprintf(stderr, "aw: header %s: %s\n", m->name, api->error_string(a));
        return -1;
    }
    return m->dir ? 0 : aw_member_data(api, a, m);
}

static int aw_set_format(const aw_api *api, struct archive *a, aw_format fmt)
{
    switch (fmt) {
    case AW_ZIP: return api->format_zip(a);
    case AW_7Z: return api->format_7zip(a);
    case AW_TGZ:
        if (api->format_pax(a) != ARCHIVE_OK)
            return ARCHIVE_FATAL;
        return api->filter_gzip(a);
    }
    return ARCHIVE_FATAL;
}

/* Writes path; returns 0 on success. */
static int aw_write(const aw_api *api, const char *path, aw_format fmt, const aw_opts *o,
                    const aw_member *m, size_t n)
{
    locale_t utf8 = o && o->unicode ? newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0) : (locale_t)0;
    locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
    struct archive *a = api->write_new();
    int rc = aw_set_format(api, a, fmt) == ARCHIVE_OK ? 0 : -1;
    if (!rc && o && o->options && api->set_options(a, o->options) != ARCHIVE_OK)
        rc = -1;
    if (!rc && o && o->passphrase && api->set_passphrase(a, o->passphrase) != ARCHIVE_OK)
        rc = -1;
    if (!rc && api->open_filename(a, path) != ARCHIVE_OK)
        rc = -1;
    for (size_t i = 0; !rc && i < n; i++)
        rc = aw_member_write(api, a, &m[i]);
    if (api->close(a) != ARCHIVE_OK)
        rc = -1;
    if (rc)
        fprintf(stderr, "aw: %s: %s\n", path, api->error_string(a) ? api->error_string(a) : "?");
    api->free(a);
    if (old)
        uselocale(old);
    if (utf8)
        freelocale(utf8);
    return rc;
}

#endif
