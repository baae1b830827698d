/* archive_names.c - member names: bytes to UTF-8, and which members are
 * certainly not reports.
 *
 * Names are taken as raw bytes from libarchive (under a UTF-8 locale it
 * passes UTF-8, UTF-16 and pax names through as UTF-8 and leaves zip names
 * without the UTF-8 flag untouched), then decoded here, where we can tell
 * GBK from UTF-8 by validity instead of trusting a flag that Windows
 * tools never set. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "archive_priv.h"
#include "nianbao/text.h"

/* Valid UTF-8 is copied; invalid sequences become "\xNN" so the name is
 * still printable and still tells members apart. */
static char *escape_invalid(const char *s, size_t len)
{
    char *out = malloc(len * 4 + 1), *o = out;
    if (!out)
        return NULL;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = nb_utf8_next(s + i, len - i, &cp);
        if (n == 0)
            n = 1;
        if (n == 1 && s[i] == '\\') {
            *o++ = '/';
        } else if (nb_utf8_valid(s + i, n)) {
            memcpy(o, s + i, n);
            o += n;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            unsigned char b = (unsigned char)s[i];
            *o++ = '\\', *o++ = 'x', *o++ = hex[b >> 4], *o++ = hex[b & 15];
            n = 1;
        }
        i += n;
    }
    *o = '\0';
    return out;
}

/* The path inside the archive is what users see in source.path
 * ("bundle.zip!/年报/x.txt"): no "./" or "/" in front, and no control
 * characters that could rewrite a terminal line on stderr.  src's first
 * len bytes (up to a NUL) go to dst in one pass; dst may be src.
 *
 * Old Windows zippers store "dir\file": with `slashes` a backslash is a
 * '/'.  That is safe only on UTF-8 (0x5C can be the second byte of a GBK
 * character), and never after invalid bytes were escaped with
 * backslashes of our own. */
static void tidy_into(char *dst, const char *src, size_t len, bool slashes)
{
    const char *nul = memchr(src, '\0', len);
    if (nul)
        len = (size_t)(nul - src);
    size_t i = 0;
    for (;;) {
        if (i < len && (src[i] == '/' || (slashes && src[i] == '\\')))
            i++;
        else if (i + 1 < len && src[i] == '.' && (src[i + 1] == '/' || (slashes && src[i + 1] == '\\')))
            i += 2;
        else
            break;
    }
    char *o = dst;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        *o++ = c < 0x20 || c == 0x7f ? '?' : slashes && c == '\\' ? '/' : (char)c;
    }
    *o = '\0';
}

/* Valid UTF-8 is tidied straight from raw; other names are converted
 * first (or escaped) and tidied in place. */
static char *to_utf8(const char *raw, size_t len, const char *charset)
{
    char *out = NULL;
    if (nb_utf8_valid(raw, len)) {
        if ((out = malloc(len + 1)))
            tidy_into(out, raw, len, true);
        return out;
    }
    size_t outlen = 0;
    nb_error err;
    nb_error_clear(&err);
    if (nb_text_convert(charset, "UTF-8", raw, len, &out, &outlen, &err) == NB_OK && out &&
        nb_utf8_valid(out, outlen)) {
        tidy_into(out, out, strlen(out), true);
        return out;
    }
    free(out);
    if ((out = escape_invalid(raw, len)))
        tidy_into(out, out, strlen(out), false);
    return out;
}

char *arc_name_decode(const char *raw, size_t len, const char *charset)
{
    char *s = to_utf8(raw, len, charset ? charset : "GB18030");
    if (!s)
        return NULL;
    if (!*s) {
        free(s);
        return strdup("(unnamed)");
    }
    return s;
}

/* Junk ------------------------------------------------------------------ */

typedef struct junk_ext {
    const char *reason;
    const char *const *exts;
} junk_ext;

static const char *const images[] = {"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp",
                                     "svg", "ico", "heic", "psd", NULL};
/* Spreadsheets and slides are not reports.  Word, WPS and OpenDocument text
 * files are: they go on to the core, which tells them by content and reads
 * them or fails them with a reason, never "not a report". */
static const char *const office[] = {"xls", "xlsx", "xlsm", "ppt", "pptx", "et", "dps",
                                     "ods", "odp", NULL};
static const char *const media[] = {"mp3", "mp4", "m4a", "avi", "mov", "wmv", "flv", "wav",
                                    "mkv", "webm", NULL};
static const char *const programs[] = {"exe", "dll", "msi", "so", "dylib", "class", "jar", NULL};
static const char *const fonts[] = {"ttf", "otf", "woff", "woff2", "eot", NULL};
static const char *const web[] = {"css", "js", "map", NULL};

static const junk_ext junk_exts[] = {
    {"not a report: image", images},     {"not a report: office document", office},
    {"not a report: audio/video", media}, {"not a report: program", programs},
    {"not a report: font", fonts},       {"not a report: web page asset", web},
};

/* One walk over name's components ('/'-separated): whether a macOS or a
 * version-control folder is among them, and where the last one (the base
 * name) starts and how long it is.  Not a strchr walk per folder name. */
typedef struct name_parts {
    bool mac, vcs;
    bool hidden;          /* a component (folder or base) starts with '.' */
    const char *base;
    size_t base_len;
} name_parts;

static name_parts parts_of(const char *name)
{
    name_parts np = {false, false, false, name, 0};
    for (const char *s = name;;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        np.mac |= n == 8 && memcmp(s, "__MACOSX", 8) == 0;
        np.vcs |= n == 4 && (memcmp(s, ".git", 4) == 0 || memcmp(s, ".svn", 4) == 0);
        np.hidden |= n > 0 && s[0] == '.' && !(n == 1 || (n == 2 && s[1] == '.'));
        if (!e) {
            np.base = s;
            np.base_len = n;
            return np;
        }
        s = e + 1;
    }
}

static const char *metadata_reason(const name_parts *np)
{
    const char *b = np->base;
    if (np->mac || strncmp(b, "._", 2) == 0 || strcmp(b, ".DS_Store") == 0)
        return "not a report: macOS metadata";
    if ((np->base_len == 9 && strcasecmp(b, "Thumbs.db") == 0) ||
        (np->base_len == 11 && (strcasecmp(b, "desktop.ini") == 0 || strcasecmp(b, "ehthumbs.db") == 0)))
        return "not a report: Windows metadata";
    if (strncmp(b, "~$", 2) == 0)
        return "not a report: office lock file";
    if (np->vcs)
        return "not a report: version-control metadata";
    if (np->hidden) /* as a folder's hidden files are (run_walk.c) */
        return "hidden file";
    return NULL;
}

const char *arc_junk_reason(const char *name)
{
    name_parts np = parts_of(name);
    const char *why = metadata_reason(&np);
    if (why)
        return why;
    const char *dot = strrchr(np.base, '.');
    if (!dot)
        return NULL;
    /* the extension lowered once (all listed ones are short ASCII), then
     * plain compares: not fifty strcasecmp calls for every member */
    char ext[8];
    size_t n = 0;
    for (const char *p = dot + 1; *p; p++) {
        if (n + 1 >= sizeof ext)
            return NULL;
        ext[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    }
    ext[n] = '\0';
    for (size_t i = 0; i < sizeof junk_exts / sizeof junk_exts[0]; i++)
        for (const char *const *e = junk_exts[i].exts; *e; e++)
            if (**e == ext[0] && strcmp(ext, *e) == 0)
                return junk_exts[i].reason;
    return NULL;
}
