/* test_loader_index.c - the plugin folder's index (loader_index.c) against
 * the plain path it replaces, each plugin's own manifest: an entry is used
 * only for the exact file it was written for, a malformed index is never
 * read past its end, and the listing from the index equals the listing
 * from the manifests. */
#include "testutil.h"
#include "context_internal.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Appends one entry for `name` describing `st` to buf (the index format). */
static size_t put_entry(char *buf, size_t at, const char *name, const struct stat *st, const char *manifest)
{
    return at + (size_t)sprintf(buf + at, "%s\t%zu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\n%s\n", name,
                                strlen(manifest), (unsigned long long)st->st_size, (unsigned long long)st->st_ino,
                                (unsigned long long)st->st_mtim.tv_sec, (unsigned long long)st->st_mtim.tv_nsec,
                                (unsigned long long)st->st_ctim.tv_sec, (unsigned long long)st->st_ctim.tv_nsec,
                                manifest);
}

static struct stat fake_stat(unsigned seed)
{
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_size = 1000 + seed;
    st.st_ino = 77 + seed;
    st.st_mtim.tv_sec = 1700000000 + seed;
    st.st_mtim.tv_nsec = 123456789 - seed;
    st.st_ctim.tv_sec = 1700000100 + seed;
    st.st_ctim.tv_nsec = 987654321 - seed;
    return st;
}

static char *sample_index(size_t *len, const struct stat *a, const struct stat *b)
{
    char *buf = malloc(4096);
    size_t n = (size_t)sprintf(buf, "nianbao.plugin-index/1\n");
    n = put_entry(buf, n, "nianbao-in-ab.so", b, "{\"m\": \"ab\"}");
    n = put_entry(buf, n, "nianbao-in-a.so", a, "{\"m\": \"a\"}\n\t9\t9");
    *len = n;
    return buf;
}

START_TEST(entry_used_only_for_the_file_it_describes)
{
    struct stat a = fake_stat(1), b = fake_stat(2);
    size_t len, ml = 0, hint = 0;
    char *text = sample_index(&len, &a, &b);
    const char *m = nb_plugin_index_find(text, len, "nianbao-in-a.so", &a, &ml, &hint);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(ml, strlen("{\"m\": \"a\"}\n\t9\t9"));
    ck_assert(memcmp(m, "{\"m\": \"a\"}\n\t9\t9", ml) == 0);
    m = nb_plugin_index_find(text, len, "nianbao-in-ab.so", &b, &ml, &hint);
    ck_assert(m && ml == 11 && memcmp(m, "{\"m\": \"ab\"}", 11) == 0);
    /* any starting hint finds what a search from the start finds */
    for (size_t h = 0; h < len + 5; h++)
        for (int e = 0; e < 2; e++) {
            size_t h0 = 0, hh = h, l0 = 0, lh = 0;
            const char *nm = e ? "nianbao-in-ab.so" : "nianbao-in-a.so";
            const char *m0 = nb_plugin_index_find(text, len, nm, e ? &b : &a, &l0, &h0);
            const char *mh = nb_plugin_index_find(text, len, nm, e ? &b : &a, &lh, &hh);
            ck_assert(m0 && m0 == mh && l0 == lh && h0 == hh);
        }
    /* every recorded property of the file must match */
    for (int f = 0; f < 6; f++) {
        struct stat x = a;
        switch (f) {
        case 0: x.st_size++; break;
        case 1: x.st_ino++; break;
        case 2: x.st_mtim.tv_sec++; break;
        case 3: x.st_mtim.tv_nsec++; break;
        case 4: x.st_ctim.tv_sec++; break;
        default: x.st_ctim.tv_nsec++; break;
        }
        ck_assert_ptr_null(nb_plugin_index_find(text, len, "nianbao-in-a.so", &x, &ml, &hint));
    }
    ck_assert_ptr_null(nb_plugin_index_find(text, len, "nianbao-in-b.so", &a, &ml, &hint)); /* not listed */
    ck_assert_ptr_null(nb_plugin_index_find(text, len, "nianbao-in-a", &a, &ml, &hint));
    ck_assert_ptr_null(nb_plugin_index_find(NULL, 0, "nianbao-in-a.so", &a, &ml, &hint));
    text[8] = 'X'; /* another format */
    ck_assert_ptr_null(nb_plugin_index_find(text, len, "nianbao-in-a.so", &a, &ml, &hint));
    free(text);
}
END_TEST

/* Every prefix and many mutations of an index, each in a block of its
 * exact size (ASan sees a read past it): a found manifest lies inside. */
START_TEST(malformed_index_never_read_past_its_end)
{
    struct stat a = fake_stat(3), b = fake_stat(4);
    size_t len, ml, hint = 0;
    char *text = sample_index(&len, &a, &b);
    const char *names[] = {"nianbao-in-a.so", "nianbao-in-ab.so"};
    const struct stat *sts[] = {&a, &b};
    unsigned seed = 12345, found = 0;
    for (size_t round = 0; round < 4000; round++) {
        size_t cut = round <= len ? round : len;
        char *copy = malloc(cut ? cut : 1);
        memcpy(copy, text, cut);
        if (round > len)
            for (int k = 0; k < 3; k++) {
                seed = seed * 1103515245u + 12345u;
                copy[(seed >> 8) % cut] = "\t\n09x\0"[(seed >> 20) % 6];
            }
        for (int e = 0; e < 2; e++) {
            hint = (seed >> 4) % (len + 9); /* any hint is safe */
            const char *m = nb_plugin_index_find(copy, cut, names[e], sts[e], &ml, &hint);
            if (m) {
                ck_assert(m >= copy && m + ml < copy + cut && m[ml] == '\n');
                found++;
            }
        }
        free(copy);
    }
    ck_assert_uint_gt(found, 100);
    /* lengths that overflow or point past the end */
    const char *huge = "nianbao.plugin-index/1\nnianbao-in-a.so\t99999999999999999999999\t1\t1\t1\t1\t1\t1\n{}\n";
    ck_assert_ptr_null(nb_plugin_index_find(huge, strlen(huge), "nianbao-in-a.so", &a, &ml, &hint));
    free(text);
}
END_TEST

static const nb_loaded *fixgood(const nb_context *c)
{
    for (size_t i = 0; i < c->nplugins; i++)
        if (strcmp(c->plugins[i].desc.name, "fixgood") == 0)
            return &c->plugins[i];
    return NULL;
}

static char *manifest_text(long size, const char *description)
{
    char *m = malloc(1024);
    sprintf(m,
            "{\"schema\": \"nianbao.plugin-manifest/1\", \"file_size\": %ld, \"abi_version\": %u,"
            " \"struct_size\": %zu, \"name\": \"fixgood\", \"version\": \"9.9\", \"description\": \"%s\","
            " \"kind\": 1, \"caps\": 0, \"extensions\": [\".fixidx\"], \"options\": [], \"probe\": false}",
            size, NB_ABI_VERSION, sizeof(nb_plugin), description);
    return m;
}

/* A copy of the fixture plugin with its manifest, then an index whose copy
 * of the manifest says another description: used while the .so is the
 * one it was written for, ignored once the file changes. */
START_TEST(index_used_for_current_files_only)
{
    char *dir = tu_tempdir();
    char *src = tu_path(getenv("NB_TEST_PLUGIN_DIR"), "nianbao-in-fixgood.so");
    char *so = tu_path(dir, "nianbao-in-fixgood.so"), *ix = tu_path(dir, NB_PLUGIN_INDEX_NAME);
    size_t n;
    char *buf = tu_read_file(src, &n);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(tu_write_file(so, buf, n), 0);
    char mpath[4096];
    snprintf(mpath, sizeof mpath, "%s.manifest", so);
    char *plain = manifest_text((long)n, "plain"), *indexed = manifest_text((long)n, "indexed");
    ck_assert_int_eq(tu_write_file(mpath, plain, strlen(plain)), 0);

    nb_context *c = tu_context_plugins(dir); /* no index: the manifest */
    ck_assert_str_eq(fixgood(c)->desc.description, "plain");
    nb_context_free(c);

    struct stat st;
    ck_assert_int_eq(stat(so, &st), 0);
    char text[4096];
    size_t tl = put_entry(text, (size_t)sprintf(text, "nianbao.plugin-index/1\n"), "nianbao-in-fixgood.so", &st,
                          indexed);
    ck_assert_int_eq(tu_write_file(ix, text, tl), 0);
    c = tu_context_plugins(dir);
    const nb_loaded *L = fixgood(c);
    ck_assert_str_eq(L->desc.description, "indexed");
    ck_assert_ptr_null(L->handle);
    ck_assert_str_eq(L->desc.extensions[0], ".fixidx");
    nb_context_free(c);

    /* the .so rewritten in place (same size, same inode): its ctime moved */
    struct timespec ts[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = st.st_mtim.tv_sec, .tv_nsec = st.st_mtim.tv_nsec}};
    ck_assert_int_eq(tu_write_file(so, buf, n), 0);
    ck_assert_int_eq(utimensat(AT_FDCWD, so, ts, 0), 0); /* mtime set back: only ctime tells */
    struct stat now;
    ck_assert_int_eq(stat(so, &now), 0);
    if (now.st_ctim.tv_sec != st.st_ctim.tv_sec || now.st_ctim.tv_nsec != st.st_ctim.tv_nsec) {
        c = tu_context_plugins(dir);
        ck_assert_str_eq(fixgood(c)->desc.description, "plain");
        nb_context_free(c);
    }
    free(plain);
    free(indexed);
    free(buf);
    free(src);
    free(so);
    free(ix);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

static bool same_list(const char *const *a, const char *const *b)
{
    for (; a && b && *a && *b; a++, b++)
        if (strcmp(*a, *b) != 0)
            return false;
    return (!a || !*a) == (!b || !*b);
}

/* The built plugins: each one listed (from the build's index when there
 * is one) exactly as its own manifest describes it. */
START_TEST(built_listing_equals_the_manifests)
{
    nb_context *c = tu_context();
    ck_assert_ptr_nonnull(c);
    size_t compared = 0;
    for (size_t i = 0; i < c->nplugins; i++) {
        const nb_loaded *L = &c->plugins[i];
        char mpath[4096];
        snprintf(mpath, sizeof mpath, "%s.manifest", L->path);
        size_t len;
        char *text = tu_read_file(mpath, &len);
        struct stat st;
        nb_loaded M = {0};
        if (!text || L->handle || stat(L->path, &st) != 0 || !nb_manifest_parse(text, len, st.st_size, &M)) {
            free(text);
            continue;
        }
        const nb_plugin *x = &L->desc, *y = &M.desc;
        ck_assert_str_eq(x->name, y->name);
        ck_assert_int_eq(x->kind, y->kind);
        ck_assert_uint_eq(x->caps, y->caps);
        ck_assert_uint_eq(x->abi_version, y->abi_version);
        ck_assert_str_eq(x->version ? x->version : "", y->version ? y->version : "");
        ck_assert_str_eq(x->description ? x->description : "", y->description ? y->description : "");
        ck_assert(same_list(x->extensions, y->extensions));
        size_t k = 0;
        for (; x->options[k].name && y->options[k].name; k++)
            ck_assert_str_eq(x->options[k].name, y->options[k].name);
        ck_assert(!x->options[k].name && !y->options[k].name);
        ck_assert_int_eq(L->m_probes, M.m_probes);
        nb_manifest_free(&M);
        free(text);
        compared++;
    }
    ck_assert_uint_gt(compared, 3);
    nb_context_free(c);
}
END_TEST

static Suite *index_suite(void)
{
    Suite *s = suite_create("loader_index");
    TCase *t = tcase_create("index");
    tcase_add_test(t, entry_used_only_for_the_file_it_describes);
    tcase_add_test(t, malformed_index_never_read_past_its_end);
    tcase_add_test(t, index_used_for_current_files_only);
    tcase_add_test(t, built_listing_equals_the_manifests);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_main(index_suite()); }
