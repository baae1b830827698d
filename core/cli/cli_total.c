/* cli_total.c - how many inputs a run will see, counted before it starts so
 * the progress line can show i/N and time left.  Folders are walked the way
 * the run walks them; a zip counts the entries of its central directory
 * (the last bytes of the file, no decompression).  Anything whose count
 * cannot be known up front (stdin, a tar stream, 7z, rar) makes the total
 * unknown: 0, and the progress line shows the rate alone. */
#include "cli.h"
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define UNKNOWN SIZE_MAX

static bool ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

static unsigned le16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16; }

/* Offset of a zip's end-of-central-directory record in buf, or -1.  It
 * sits in the last 22 + up to 65535 comment bytes. */
static long find_end_record(const unsigned char *buf, size_t got)
{
    for (size_t i = got >= 22 ? got - 22 + 1 : 0; i-- > 0;)
        if (buf[i] == 'P' && buf[i + 1] == 'K' && buf[i + 2] == 5 && buf[i + 3] == 6)
            return (long)i;
    return -1;
}

/* File entries (not folders) of the central directory it describes. */
static size_t count_file_entries(FILE *f, const unsigned char *end)
{
    uint32_t cd_size = le32(end + 12), cd_off = le32(end + 16);
    if (le16(end + 10) == 0xFFFF || cd_size > (64u << 20) || fseek(f, (long)cd_off, SEEK_SET) != 0)
        return UNKNOWN; /* zip64 or implausible: not worth reading */
    unsigned char *cd = malloc(cd_size ? cd_size : 1);
    size_t n = 0;
    if (!cd || fread(cd, 1, cd_size, f) != cd_size)
        n = UNKNOWN;
    for (size_t at = 0; n != UNKNOWN && at + 46 <= cd_size && le32(cd + at) == 0x02014b50;) {
        size_t name = le16(cd + at + 28), len = 46 + name + le16(cd + at + 30) + le16(cd + at + 32);
        if (at + len > cd_size)
            break;
        n += name == 0 || cd[at + 46 + name - 1] != '/';
        at += len;
    }
    free(cd);
    return n;
}

static size_t zip_entries(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1; /* the run names the failure; it is still one outcome */
    const size_t cap = 22 + 65535;
    unsigned char *buf = malloc(cap);
    size_t got = 0, n = UNKNOWN;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (buf && size > 0) {
        long from = size > (long)cap ? size - (long)cap : 0;
        if (fseek(f, from, SEEK_SET) == 0)
            got = fread(buf, 1, cap, f);
    }
    long at = buf ? find_end_record(buf, got) : -1;
    if (at >= 0)
        n = count_file_entries(f, buf + at);
    free(buf);
    fclose(f);
    return n;
}

static size_t file_count(const char *path)
{
    if (ends_with(path, ".zip"))
        return zip_entries(path);
    static const char *const streams[] = {".tar", ".tgz", ".gz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tbz2", ".txz"};
    for (size_t i = 0; i < sizeof streams / sizeof *streams; i++)
        if (ends_with(path, streams[i]))
            return UNKNOWN;
    return 1;
}

static size_t add(size_t a, size_t b) { return a == UNKNOWN || b == UNKNOWN ? UNKNOWN : a + b; }

static size_t path_count(const char *path, int depth);

static size_t dir_count(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return 1;
    size_t n = 0;
    for (struct dirent *de; n != UNKNOWN && (de = readdir(d));) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (de->d_name[0] == '.') { /* hidden: skipped by the run, still one outcome */
            n = add(n, 1);
            continue;
        }
        char *p = malloc(strlen(dir) + strlen(de->d_name) + 2);
        if (!p)
            n = UNKNOWN;
        else {
            sprintf(p, "%s/%s", dir, de->d_name);
            n = add(n, path_count(p, depth + 1));
            free(p);
        }
    }
    closedir(d);
    return n;
}

static size_t path_count(const char *path, int depth)
{
    struct stat st;
    if (strcmp(path, "-") == 0)
        return UNKNOWN;
    if (stat(path, &st) != 0)
        return 0; /* missing: reported, not an outcome of the run */
    if (S_ISDIR(st.st_mode))
        return depth < 64 ? dir_count(path, depth) : UNKNOWN;
    return S_ISREG(st.st_mode) ? file_count(path) : 1;
}

size_t cli_count_inputs(char **inputs, int n)
{
    size_t total = n == 0 ? UNKNOWN : 0;
    for (int i = 0; i < n && total != UNKNOWN; i++)
        total = add(total, path_count(inputs[i], 0));
    return total == UNKNOWN ? 0 : total;
}
