/* test_archive.c - archive bundles end to end: every member converted,
 * skipped or failed, with the right name and the right values.
 *
 * Archives are built at test time (test_archive_writer.h) from the three
 * small reports in tests/data/archive/ (invented agencies): a tab-separated
 * one, a one-cell-per-line one, and one whose bytes are converted to
 * GB18030 here.  Most cases run the pipeline in-process through nb_run and
 * look at the reports and failures it hands back; a few run the CLI for
 * stderr, stdin and ndjson. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "nianbao/nianbao.h"
#include "nianbao/stream.h"
#include "nianbao/text.h"
#include "testutil.h"
#include "test_archive_writer.h"

#define GBK_NIANBAO "\xC4\xEA\xB1\xA8" /* 年报 in GBK */
#define U8_NIANBAO "年报"

/* Fixture ----------------------------------------------------------------- */

typedef struct fixture {
    aw_api la;
    char *dir;
    char *a, *b, *c_gb; /* report texts; c_gb is GB18030 bytes */
    size_t alen, blen, clen;
} fixture;

static fixture fx;

static char *read_data(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/archive/%s", tu_source_dir(), name);
    char *s = tu_read_file(path, len);
    ck_assert_msg(s != NULL, "cannot read %s", path);
    return s;
}

static void setup(void)
{
    ck_assert_msg(aw_load(&fx.la), "libarchive cannot be opened: %s", dlerror());
    fx.dir = tu_tempdir();
    fx.a = read_data("yunxi_tongji_2023.txt", &fx.alen);
    fx.b = read_data("qinglan_shuiwu_2024.txt", &fx.blen);
    size_t ulen;
    char *c = read_data("bailu_zhen_2024.txt", &ulen);
    nb_error err;
    ck_assert_int_eq(nb_text_convert("UTF-8", "GB18030", c, ulen, &fx.c_gb, &fx.clen, &err), NB_OK);
    ck_assert(!nb_utf8_valid(fx.c_gb, fx.clen)); /* really not UTF-8 any more */
    free(c);
}

static void teardown(void)
{
    tu_rmrf(fx.dir);
    free(fx.dir);
    free(fx.a);
    free(fx.b);
    free(fx.c_gb);
    if (fx.la.dl)
        dlclose(fx.la.dl);
    memset(&fx, 0, sizeof fx);
}

static char *bundle(const char *name, aw_format fmt, const aw_opts *o, const aw_member *m, size_t n)
{
    char *path = tu_path(fx.dir, name);
    ck_assert_msg(aw_write(&fx.la, path, fmt, o, m, n) == 0, "cannot write %s", path);
    return path;
}

/* In-process run ----------------------------------------------------------- */

typedef struct got_report {
    char *path, *agency;
    long long new_total, licensing, review_total, fees_v;
    int fees_scale;
} got_report;

typedef struct got_fail {
    char *source, *reason;
    bool skipped;
} got_fail;

typedef struct got {
    got_report rep[64];
    size_t nrep;
    got_fail fail[64];
    size_t nfail;
    nb_summary sum;
    nb_status st;
    nb_error err;
} got;

static long long cell_v(const nb_report *r, const char *path)
{
    const nb_cell *c = nb_report_cell_c(r, path);
    return c && c->has_value ? (long long)c->num.v : -1;
}

static void on_report(void *ctx, const nb_report *r)
{
    got *g = ctx;
    if (g->nrep == 64)
        return;
    got_report *o = &g->rep[g->nrep++];
    o->path = strdup(r->source.path ? r->source.path : "");
    o->agency = strdup(r->agency ? r->agency : "");
    o->new_total = cell_v(r, "requests.new_received.total");
    o->licensing = cell_v(r, "proactive.licensing.decisions");
    o->review_total = cell_v(r, "appeals.review.total");
    const nb_cell *f = nb_report_cell_c(r, "proactive.admin_fees.amount_wan");
    o->fees_v = f && f->has_value ? f->num.v : -1;
    o->fees_scale = f && f->has_value ? f->num.scale : -1;
}

static void on_failure(void *ctx, const nb_failure *f)
{
    got *g = ctx;
    if (g->nfail == 64)
        return;
    got_fail *o = &g->fail[g->nfail++];
    o->source = strdup(f->source ? f->source : "");
    o->reason = strdup(f->reason ? f->reason : "");
    o->skipped = f->skipped;
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->nrep; i++)
        free(g->rep[i].path), free(g->rep[i].agency);
    for (size_t i = 0; i < g->nfail; i++)
        free(g->fail[i].source), free(g->fail[i].reason);
    free(g);
}

static got *run_limits(const char *path, const nb_limits *lim)
{
    got *g = calloc(1, sizeof *g);
    nb_context *ctx = tu_context();
    ck_assert(ctx != NULL);
    nb_run_config cfg = {0};
    cfg.on_report = on_report;
    cfg.on_failure = on_failure;
    cfg.cb_ctx = g;
    if (lim)
        cfg.limits = *lim;
    nb_run *run = nb_run_new(ctx, &cfg, &g->err);
    ck_assert_msg(run != NULL, "nb_run_new: %s", g->err.text);
    g->st = nb_run_input(run, path, &g->err);
    nb_error ferr;
    ck_assert_int_eq(nb_run_finish(run, &g->sum, &ferr), NB_OK);
    nb_run_free(run);
    nb_context_free(ctx);
    return g;
}

static got *run(const char *path) { return run_limits(path, NULL); }

static const got_report *find_report(const got *g, const char *suffix)
{
    size_t n = strlen(suffix);
    for (size_t i = 0; i < g->nrep; i++) {
        size_t m = strlen(g->rep[i].path);
        if (m >= n && strcmp(g->rep[i].path + m - n, suffix) == 0)
            return &g->rep[i];
    }
    return NULL;
}

static const got_fail *find_fail(const got *g, const char *needle)
{
    for (size_t i = 0; i < g->nfail; i++)
        if (strstr(g->fail[i].source, needle))
            return &g->fail[i];
    return NULL;
}

static void dump(const got *g)
{
    for (size_t i = 0; i < g->nrep; i++)
        fprintf(stderr, "  report %s (%s)\n", g->rep[i].path, g->rep[i].agency);
    for (size_t i = 0; i < g->nfail; i++)
        fprintf(stderr, "  %s %s: %s\n", g->fail[i].skipped ? "skipped" : "failed",
                g->fail[i].source, g->fail[i].reason);
}

/* Asserts a report by path suffix and its values. */
#define ASSERT_REPORT(g, suffix, agency_, newtot, lic, review)                                \
    do {                                                                                      \
        const got_report *r_ = find_report(g, suffix);                                        \
        if (!r_)                                                                              \
            dump(g);                                                                          \
        ck_assert_msg(r_ != NULL, "no report ending in %s", suffix);                          \
        ck_assert_str_eq(r_->agency, agency_);                                                \
        ck_assert_int_eq(r_->new_total, newtot);                                              \
        ck_assert_int_eq(r_->licensing, lic);                                                 \
        ck_assert_int_eq(r_->review_total, review);                                           \
    } while (0)

#define ASSERT_A(g, suffix) ASSERT_REPORT(g, suffix, "云溪县统计局", 15, 35, 1)
#define ASSERT_B(g, suffix) ASSERT_REPORT(g, suffix, "青岚市水务局", 6, 120, 1)
#define ASSERT_C(g, suffix) ASSERT_REPORT(g, suffix, "白鹭镇人民政府", 2, 7, 0)

#define ASSERT_COUNTS(g, c_, s_, f_)                                                       \
    do {                                                                                      \
        if ((g)->sum.converted != (c_) || (g)->sum.skipped != (s_) || (g)->sum.failed != (f_)) \
            dump(g);                                                                          \
        ck_assert_uint_eq((g)->sum.converted, c_);                                            \
        ck_assert_uint_eq((g)->sum.skipped, s_);                                              \
        ck_assert_uint_eq((g)->sum.failed, f_);                                               \
        ck_assert_uint_eq((g)->nrep, c_);                                                     \
        ck_assert_uint_eq((g)->nfail, (s_) + (f_));                                           \
    } while (0)

/* The three reports under a directory, names as given. */
static size_t three_reports(aw_member *m, const char *dir, char names[3][128])
{
    snprintf(names[0], 128, "%s/云溪县统计局2023.txt", dir);
    snprintf(names[1], 128, "%s/青岚市水务局2024.txt", dir);
    snprintf(names[2], 128, "%s/白鹭镇2024.txt", dir);
    m[0] = (aw_member){.name = names[0], .data = fx.a, .len = fx.alen};
    m[1] = (aw_member){.name = names[1], .data = fx.b, .len = fx.blen};
    m[2] = (aw_member){.name = names[2], .data = fx.c_gb, .len = fx.clen};
    return 3;
}

/* The next zip local header after p (memmem is a GNU extension). */
static unsigned char *next_local_header(unsigned char *p, unsigned char *end)
{
    for (p += 4; p + 4 <= end; p++)
        if (memcmp(p, "PK\3\4", 4) == 0)
            return p;
    return NULL;
}

/* Reads the zip's first local header: general purpose flag bit 11 is the
 * UTF-8 flag. */
static bool zip_first_utf8_flag(const char *path)
{
    size_t len;
    char *z = tu_read_file(path, &len);
    ck_assert(z && len > 30 && memcmp(z, "PK\3\4", 4) == 0);
    bool flag = ((unsigned char)z[7] & 0x08) != 0;
    free(z);
    return flag;
}

/* Names ---------------------------------------------------------------------- */

START_TEST(test_zip_gbk_names)
{
    /* GBK bytes for 年报 + the report names, as a Chinese-Windows zipper
     * writes them: no UTF-8 flag. */
    char names[3][128], gbk[3][128];
    aw_member m[4];
    three_reports(m + 1, GBK_NIANBAO, names);
    for (int i = 0; i < 3; i++) {
        char *out = NULL;
        size_t n;
        nb_error err;
        ck_assert_int_eq(nb_text_convert("UTF-8", "GB18030", names[i] + 4, strlen(names[i] + 4),
                                         &out, &n, &err), NB_OK);
        snprintf(gbk[i], sizeof gbk[i], "%s%s", GBK_NIANBAO, out);
        free(out);
        m[i + 1].name = gbk[i];
    }
    m[0] = (aw_member){.name = GBK_NIANBAO "/", .dir = true};
    char *zip = bundle("bundle.zip", AW_ZIP, NULL, m, 4);
    ck_assert(!zip_first_utf8_flag(zip)); /* the case under test */
    got *g = run(zip);
    ASSERT_COUNTS(g, 3, 0, 0);
    ASSERT_A(g, "/bundle.zip!/年报/云溪县统计局2023.txt");
    ASSERT_B(g, "/bundle.zip!/年报/青岚市水务局2024.txt");
    ASSERT_C(g, "/bundle.zip!/年报/白鹭镇2024.txt");
    const got_report *c = find_report(g, "白鹭镇2024.txt");
    ck_assert(c->fees_v == 86 && c->fees_scale == 2); /* 0.86 万元, read from GB18030 bytes */
    got_free(g);
    free(zip);
}
END_TEST

START_TEST(test_zip_utf8_names)
{
    /* Flagged UTF-8 names: libarchive would drop them under LC_CTYPE=C
     * (this process's locale) unless the plugin reads them as UTF-8. */
    char names[3][128];
    aw_member m[3];
    three_reports(m, U8_NIANBAO "/二〇二四", names);
    aw_opts o = {.unicode = true};
    char *zip = bundle("utf8.zip", AW_ZIP, &o, m, 3);
    ck_assert(zip_first_utf8_flag(zip));
    got *g = run(zip);
    ASSERT_COUNTS(g, 3, 0, 0);
    ASSERT_A(g, "/utf8.zip!/年报/二〇二四/云溪县统计局2023.txt");
    ASSERT_C(g, "/utf8.zip!/年报/二〇二四/白鹭镇2024.txt");
    got_free(g);
    free(zip);
}
END_TEST

/* Formats ---------------------------------------------------------------------- */

START_TEST(test_tgz_nested_zip)
{
    char names[3][128];
    aw_member in[3];
    three_reports(in, "内层", names);
    aw_opts o = {.unicode = true};
    char *inner = bundle("inner.zip", AW_ZIP, &o, in + 1, 2); /* B and C */
    size_t zlen;
    char *zbytes = tu_read_file(inner, &zlen);
    aw_member out[3] = {
        {.name = "./外层/", .dir = true},
        {.name = "./外层/云溪县统计局2023.txt", .data = fx.a, .len = fx.alen},
        {.name = "./外层/more.zip", .data = zbytes, .len = zlen},
    };
    char *tgz = bundle("bundle.tar.gz", AW_TGZ, &o, out, 3);
    got *g = run(tgz);
    ASSERT_COUNTS(g, 3, 0, 0);
    ASSERT_A(g, "/bundle.tar.gz!/外层/云溪县统计局2023.txt"); /* "./" dropped */
    ASSERT_B(g, "/bundle.tar.gz!/外层/more.zip!/内层/青岚市水务局2024.txt");
    ASSERT_C(g, "/bundle.tar.gz!/外层/more.zip!/内层/白鹭镇2024.txt");
    got_free(g);
    free(zbytes);
    free(inner);
    free(tgz);
}
END_TEST

START_TEST(test_7z)
{
    char names[3][128];
    aw_member m[3];
    three_reports(m, "报告", names);
    aw_opts o = {.unicode = true};
    char *p = bundle("bundle.7z", AW_7Z, &o, m, 3);
    got *g = run(p);
    ASSERT_COUNTS(g, 3, 0, 0);
    ASSERT_A(g, "/bundle.7z!/报告/云溪县统计局2023.txt");
    ASSERT_B(g, "/bundle.7z!/报告/青岚市水务局2024.txt");
    ASSERT_C(g, "/bundle.7z!/报告/白鹭镇2024.txt");
    got_free(g);
    free(p);
}
END_TEST

/* Junk ---------------------------------------------------------------------- */

static const aw_member junk[] = {
    {.name = "__MACOSX/._云溪县统计局2023.txt", .data = "\0\5\26\7", .len = 4},
    {.name = "年报/.DS_Store", .data = "\0\0\0\1Bud1", .len = 8},
    {.name = "年报/logo.png", .data = "\x89PNG\r\n\x1a\n", .len = 8},
    {.name = "年报/空白.txt", .len = 0},
    {.name = "年报/Thumbs.db", .data = "\xd0\xcf\x11\xe0", .len = 4},
    {.name = "年报/说明.xlsx", .data = "PK\3\4", .len = 4},
};
#define NJUNK (sizeof junk / sizeof junk[0])

START_TEST(test_junk_skipped)
{
    aw_member m[NJUNK + 1];
    memcpy(m, junk, sizeof junk);
    m[NJUNK] = (aw_member){.name = "年报/云溪县统计局2023.txt", .data = fx.a, .len = fx.alen};
    aw_opts o = {.unicode = true};
    char *zip = bundle("junk.zip", AW_ZIP, &o, m, NJUNK + 1);
    got *g = run(zip);
    ASSERT_COUNTS(g, 1, NJUNK, 0);
    ASSERT_A(g, "/junk.zip!/年报/云溪县统计局2023.txt");
    struct { const char *name, *reason; } want[] = {
        {"junk.zip!/__MACOSX/._云溪县统计局2023.txt", "macOS"},
        {"junk.zip!/年报/.DS_Store", "macOS"},
        {"junk.zip!/年报/logo.png", "image"},
        {"junk.zip!/年报/空白.txt", "empty"},
        {"junk.zip!/年报/Thumbs.db", "Windows"},
        {"junk.zip!/年报/说明.xlsx", "office"},
    };
    for (size_t i = 0; i < NJUNK; i++) {
        const got_fail *f = find_fail(g, want[i].name);
        ck_assert_msg(f != NULL, "%s not reported", want[i].name);
        ck_assert_msg(f->skipped, "%s counted as failed", want[i].name);
        ck_assert_msg(strstr(f->reason, want[i].reason), "%s: reason '%s'", want[i].name, f->reason);
    }
    got_free(g);
    free(zip);
}
END_TEST

START_TEST(test_junk_named_on_stderr)
{
    aw_member m[NJUNK + 1];
    memcpy(m, junk, sizeof junk);
    m[NJUNK] = (aw_member){.name = "年报/青岚市水务局2024.txt", .data = fx.b, .len = fx.blen};
    aw_opts o = {.unicode = true};
    char *zip = bundle("junk.zip", AW_ZIP, &o, m, NJUNK + 1);
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "'%s' convert '%s' -t ndjson", tu_bin(), zip);
    int rc = tu_run(cmd, NULL, &out, &err);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
    for (size_t i = 0; i < NJUNK; i++)
        ck_assert_msg(strstr(err, junk[i].name), "stderr does not name %s:\n%s", junk[i].name, err);
    ck_assert_msg(strstr(out, "junk.zip!/年报/青岚市水务局2024.txt"), "ndjson: %s", out);
    ck_assert_msg(strstr(out, "青岚市水务局"), "ndjson: %s", out);
    free(out);
    free(err);
    free(zip);
}
END_TEST

/* Hostile ---------------------------------------------------------------------- */

START_TEST(test_encrypted_member_fails)
{
    aw_member m[2] = {
        {.name = "secret.txt", .data = fx.b, .len = fx.blen},
    };
    aw_opts o = {.options = "zip:encryption=zipcrypt", .passphrase = "mima"};
    char *zip = bundle("locked.zip", AW_ZIP, &o, m, 1);
    got *g = run(zip);
    ASSERT_COUNTS(g, 0, 0, 1);
    const got_fail *f = find_fail(g, "locked.zip!/secret.txt");
    ck_assert(f && !f->skipped);
    ck_assert_msg(strstr(f->reason, "encrypted"), "reason: %s", f->reason);
    got_free(g);
    free(zip);
}
END_TEST

/* Flips bytes inside the second member's compressed data. */
START_TEST(test_corrupt_zip)
{
    char names[3][128];
    aw_member m[3];
    three_reports(m, "d", names);
    char *zip = bundle("bad.zip", AW_ZIP, NULL, m, 3);
    size_t len;
    unsigned char *z = (unsigned char *)tu_read_file(zip, &len);
    /* second local header: search past the first one */
    unsigned char *second = next_local_header(z, z + len);
    ck_assert(second != NULL);
    size_t name_len = second[26] | second[27] << 8, extra = second[28] | second[29] << 8;
    unsigned char *data = second + 30 + name_len + extra;
    for (int i = 10; i < 200; i += 3)
        data[i] ^= 0x5A;
    ck_assert_int_eq(tu_write_file(zip, z, len), 0);
    got *g = run(zip);
    ck_assert_uint_eq(g->sum.converted, 2);
    ck_assert_uint_eq(g->sum.failed, 1);
    ck_assert(find_fail(g, "bad.zip!/d/青岚市水务局2024.txt") != NULL);
    ASSERT_A(g, "/bad.zip!/d/云溪县统计局2023.txt");
    ASSERT_C(g, "/bad.zip!/d/白鹭镇2024.txt");
    got_free(g);
    free(z);
    free(zip);
}
END_TEST

/* Cut in the middle of the last member: the central directory is gone. */
START_TEST(test_truncated_zip)
{
    char names[3][128];
    aw_member m[3];
    three_reports(m, "t", names);
    char *zip = bundle("cut.zip", AW_ZIP, NULL, m, 3);
    size_t len;
    unsigned char *z = (unsigned char *)tu_read_file(zip, &len);
    unsigned char *second = next_local_header(z, z + len);
    ck_assert(second != NULL);
    unsigned char *third = next_local_header(second, z + len);
    ck_assert(third != NULL);
    size_t cut = (size_t)(third - z) + 200;
    ck_assert_int_eq(tu_write_file(zip, z, cut), 0);
    got *g = run(zip);
    ck_assert_uint_ge(g->sum.failed, 1);
    ck_assert_uint_eq(g->sum.converted, 2);
    ASSERT_A(g, "/cut.zip!/t/云溪县统计局2023.txt");
    ASSERT_B(g, "/cut.zip!/t/青岚市水务局2024.txt");
    got_free(g);
    free(z);
    free(zip);
}
END_TEST

/* Garbage with a zip magic: one failure, no crash, no hang. */
START_TEST(test_garbage_with_zip_magic)
{
    unsigned char junkbytes[4096];
    uint32_t s = 12345;
    for (size_t i = 0; i < sizeof junkbytes; i++)
        junkbytes[i] = (unsigned char)((s = s * 1103515245u + 12345u) >> 16);
    memcpy(junkbytes, "PK\3\4", 4);
    char *p = tu_path(fx.dir, "garbage.zip");
    ck_assert_int_eq(tu_write_file(p, junkbytes, sizeof junkbytes), 0);
    got *g = run(p);
    ck_assert_uint_eq(g->sum.converted, 0);
    ck_assert_uint_ge(g->sum.failed, 1);
    ck_assert_uint_ge(g->nfail, 1);
    ck_assert(strstr(g->fail[0].source, "garbage.zip") != NULL);
    got_free(g);
    free(p);
}
END_TEST

START_TEST(test_zip_bomb_refused)
{
    aw_member m[2] = {
        {.name = "a/云溪县统计局2023.txt", .data = fx.a, .len = fx.alen},
        {.name = "a/炸弹.txt", .data = "一、", .len = 6, .zeros = 48u << 20},
    };
    aw_opts o = {.unicode = true};
    char *zip = bundle("bomb.zip", AW_ZIP, &o, m, 2);
    nb_limits lim = nb_limits_default();
    lim.max_member_bytes = 4u << 20;
    got *g = run_limits(zip, &lim);
    ck_assert_uint_eq(g->sum.converted, 1);
    ck_assert_uint_eq(g->sum.failed, 1);
    const got_fail *f = find_fail(g, "bomb.zip!/a/炸弹.txt");
    if (!f)
        dump(g);
    ck_assert(f && !f->skipped);
    ck_assert_msg(strstr(f->reason, "limit") || strstr(f->reason, "large") ||
                  strstr(f->reason, "ratio") || strstr(f->reason, "bytes"),
                  "unclear reason: %s", f->reason);
    got_free(g);
    free(zip);
}
END_TEST

/* A bomb the core never reads (it looks like an image): skipping it in a
 * tar.gz means inflating it, which the plugin stops. */
START_TEST(test_skipped_bomb_in_tgz_stops)
{
    aw_member m[2] = {
        {.name = "云溪县统计局2023.txt", .data = fx.a, .len = fx.alen},
        {.name = "大图.png", .zeros = 160u << 20},
    };
    aw_opts o = {.unicode = true};
    char *tgz = bundle("bomb.tgz", AW_TGZ, &o, m, 2);
    got *g = run(tgz);
    ck_assert_uint_eq(g->sum.converted, 1);
    ck_assert_uint_ge(g->sum.failed, 1);
    bool said = false;
    for (size_t i = 0; i < g->nfail; i++)
        said |= strstr(g->fail[i].reason, "decompression bomb") != NULL;
    if (!said)
        dump(g);
    ck_assert(said);
    got_free(g);
    free(tgz);
}
END_TEST

/* gzip ------------------------------------------------------------------------ */

/* The tar inside a .tgz bundle() made, inflated here. */
static unsigned char *gunzip_all(const char *path, size_t *len)
{
    size_t zlen;
    char *z = tu_read_file(path, &zlen);
    size_t cap = 1 << 20;
    unsigned char *out = malloc(cap);
    z_stream st = {0};
    ck_assert_int_eq(inflateInit2(&st, 16 + MAX_WBITS), Z_OK);
    st.next_in = (unsigned char *)z;
    st.avail_in = (uInt)zlen;
    st.next_out = out;
    st.avail_out = (uInt)cap;
    ck_assert_int_eq(inflate(&st, Z_FINISH), Z_STREAM_END);
    *len = st.total_out;
    inflateEnd(&st);
    free(z);
    return out;
}

/* data[0..len) as one gzip member appended to buf at *at. */
static void gzip_member(unsigned char *buf, size_t *at, size_t cap, const unsigned char *data, size_t len)
{
    z_stream st = {0};
    ck_assert_int_eq(deflateInit2(&st, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    st.next_in = (unsigned char *)data;
    st.avail_in = (uInt)len;
    st.next_out = buf + *at;
    st.avail_out = (uInt)(cap - *at);
    ck_assert_int_eq(deflate(&st, Z_FINISH), Z_STREAM_END);
    *at += st.total_out;
    deflateEnd(&st);
}

/* data[0..len) as one gzip member of stored blocks, exactly `size` bytes
 * long: the first k bytes of data go in, k returned. */
static size_t stored_member(unsigned char *buf, size_t *at, size_t cap, const unsigned char *data, size_t len,
                            size_t size)
{
    for (size_t k = size > 64 ? size - 64 : 0; k < len && k < size; k++) {
        size_t mark = *at;
        z_stream st = {0};
        ck_assert_int_eq(deflateInit2(&st, 0, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
        st.next_in = (unsigned char *)data;
        st.avail_in = (uInt)k;
        st.next_out = buf + mark;
        st.avail_out = (uInt)(cap - mark);
        ck_assert_int_eq(deflate(&st, Z_FINISH), Z_STREAM_END);
        size_t made = st.total_out;
        deflateEnd(&st);
        if (made == size) {
            *at = mark + made;
            return k;
        }
    }
    ck_abort_msg("no stored member of %zu bytes", size);
    return 0;
}

/* A tar gzipped as several members: every member is read, wherever the
 * plugin's reads split the next member's two-byte magic (the first member
 * ends a byte before, at and after the first read sizes, 4 KB and 64 KB
 * on); the last trailer's CRC-32 changed, the archive fails after its
 * members.  libarchive's own gzip filter never checks a trailer. */
START_TEST(test_tgz_members_and_trailer)
{
    char names[3][128];
    aw_member m[3];
    three_reports(m, "年报", names);
    aw_opts o = {.unicode = true};
    /* a member of noise makes the tar long enough for a 64 KB split */
    static unsigned char noise[100000];
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (unsigned char)((i * 2654435761u) >> 13);
    aw_member all[4] = {m[0], m[1], {.name = "noise.bin", .data = (const char *)noise, .len = sizeof noise}, m[2]};
    char *tgz = bundle("four.tgz", AW_TGZ, &o, all, 4);
    size_t tlen;
    unsigned char *tar = gunzip_all(tgz, &tlen);
    size_t cap = 2 * tlen + 4096;
    unsigned char *gz = malloc(cap);
    static const size_t firsts[] = {4095, 4096, 4097, 65535, 65536, 65537, 69631, 69632, 69633};
    char *path = tu_path(fx.dir, "members.tar.gz");
    for (size_t i = 0; i < sizeof firsts / sizeof *firsts; i++) {
        size_t at = 0, k = stored_member(gz, &at, cap, tar, tlen, firsts[i]);
        gzip_member(gz, &at, cap, tar + k, (tlen - k) / 2);
        gzip_member(gz, &at, cap, tar + k + (tlen - k) / 2, tlen - k - (tlen - k) / 2);
        tu_write_file(path, gz, at);
        got *g = run(path);
        if (g->sum.converted != 3)
            fprintf(stderr, "first member of %zu bytes:\n", firsts[i]);
        ASSERT_COUNTS(g, 3, 1, 0);
        got_free(g);
        if (i + 1 < sizeof firsts / sizeof *firsts)
            continue;
        gz[at - 8] ^= 0x20; /* the last member's CRC-32 */
        tu_write_file(path, gz, at);
        g = run(path);
        ASSERT_COUNTS(g, 3, 1, 1);
        const got_fail *f = NULL;
        for (size_t j = 0; j < g->nfail && !f; j++)
            f = g->fail[j].skipped ? NULL : &g->fail[j];
        ck_assert(f != NULL);
        ck_assert_msg(strstr(f->reason, "checksum (CRC-32) does not match"), "%s", f->reason);
        ck_assert_msg(strstr(f->source, "members.tar.gz") && !strstr(f->source, "!/"), "%s", f->source);
        got_free(g);
    }
    free(path);
    free(gz);
    free(tar);
    free(tgz);
}
END_TEST

START_TEST(test_deep_nest)
{
    /* level 1 holds report A and level2.zip; level 5 holds report B */
    aw_opts o = {.unicode = true};
    aw_member leaf = {.name = "青岚市水务局2024.txt", .data = fx.b, .len = fx.blen};
    char *cur = bundle("l5.zip", AW_ZIP, &o, &leaf, 1);
    for (int lvl = 4; lvl >= 1; lvl--) {
        size_t len;
        char *bytes = tu_read_file(cur, &len), name[32], file[32];
        snprintf(name, sizeof name, "level%d.zip", lvl + 1);
        snprintf(file, sizeof file, "l%d.zip", lvl);
        aw_member m[2] = {{.name = name, .data = bytes, .len = len},
                          {.name = "云溪县统计局2023.txt", .data = fx.a, .len = fx.alen}};
        free(cur);
        cur = bundle(file, AW_ZIP, &o, m, lvl == 1 ? 2 : 1);
        free(bytes);
    }
    nb_limits lim = nb_limits_default();
    lim.max_depth = 2;
    got *g = run_limits(cur, &lim);
    ck_assert_uint_eq(g->sum.converted, 1);
    ck_assert_uint_eq(g->sum.failed, 1);
    ASSERT_A(g, "/l1.zip!/云溪县统计局2023.txt");
    ck_assert_msg(g->fail[0].reason[0] != '\0', "no reason");
    ck_assert_msg(strstr(g->fail[0].source, "level"), "fail at %s", g->fail[0].source);
    ck_assert_msg(strstr(g->fail[0].reason, "depth") || strstr(g->fail[0].reason, "nest"),
                  "unclear reason: %s", g->fail[0].reason);
    got_free(g);
    free(cur);
}
END_TEST

/* Flips a few bytes of each format many times over (as libarchive's own
 * test_fuzz does): every run must end, and account for the input. */
START_TEST(test_fuzz_no_crash)
{
    char names[3][128];
    aw_member m[3];
    three_reports(m, "f", names);
    aw_opts o = {.unicode = true};
    const struct { const char *file; aw_format fmt; } kinds[] = {
        {"f.zip", AW_ZIP}, {"f.tar.gz", AW_TGZ}, {"f.7z", AW_7Z}};
    uint32_t seed = 2024;
    for (size_t k = 0; k < 3; k++) {
        char *p = bundle(kinds[k].file, kinds[k].fmt, &o, m, 3);
        size_t len;
        unsigned char *orig = (unsigned char *)tu_read_file(p, &len);
        unsigned char *buf = malloc(len);
        for (int round = 0; round < 25; round++) {
            memcpy(buf, orig, len);
            for (int i = 0; i < 1 + (int)(len / 200); i++) {
                seed = seed * 1103515245u + 12345u;
                buf[(seed >> 8) % len] ^= (unsigned char)(1u + (seed >> 24) % 255u);
            }
            ck_assert_int_eq(tu_write_file(p, buf, len), 0);
            got *g = run(p);
            ck_assert_uint_ge(g->sum.converted + g->sum.skipped + g->sum.failed, 1);
            got_free(g);
        }
        free(buf);
        free(orig);
        free(p);
    }
}
END_TEST

/* stdin ----------------------------------------------------------------------- */

START_TEST(test_stdin_zip)
{
    char names[3][128];
    aw_member m[3];
    three_reports(m, "年报", names);
    aw_opts o = {.unicode = true};
    char *zip = bundle("in.zip", AW_ZIP, &o, m, 3);
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "cat '%s' | '%s' convert -f archive - -t ndjson", zip, tu_bin());
    int rc = tu_run(cmd, NULL, &out, &err);
    ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
    size_t lines = 0;
    for (const char *p = out; (p = strchr(p, '\n')); p++)
        lines++;
    ck_assert_msg(lines == 3, "%zu lines:\n%s\n%s", lines, out, err);
    ck_assert(strstr(out, "!/年报/云溪县统计局2023.txt") != NULL);
    ck_assert(strstr(out, "!/年报/白鹭镇2024.txt") != NULL);
    ck_assert(strstr(out, "白鹭镇人民政府") != NULL);
    free(out);
    free(err);
    free(zip);
}
END_TEST

static Suite *archive_suite(void)
{
    Suite *s = suite_create("archive");
    TCase *names = tcase_create("names");
    tcase_add_checked_fixture(names, setup, teardown);
    tcase_add_test(names, test_zip_gbk_names);
    tcase_add_test(names, test_zip_utf8_names);
    suite_add_tcase(s, names);
    TCase *fmts = tcase_create("formats");
    tcase_add_checked_fixture(fmts, setup, teardown);
    tcase_add_test(fmts, test_tgz_nested_zip);
    tcase_add_test(fmts, test_7z);
    tcase_add_test(fmts, test_stdin_zip);
    suite_add_tcase(s, fmts);
    TCase *junkc = tcase_create("junk");
    tcase_add_checked_fixture(junkc, setup, teardown);
    tcase_add_test(junkc, test_junk_skipped);
    tcase_add_test(junkc, test_junk_named_on_stderr);
    suite_add_tcase(s, junkc);
    TCase *hostile = tcase_create("hostile");
    tcase_add_checked_fixture(hostile, setup, teardown);
    tcase_add_test(hostile, test_encrypted_member_fails);
    tcase_add_test(hostile, test_corrupt_zip);
    tcase_add_test(hostile, test_truncated_zip);
    tcase_add_test(hostile, test_garbage_with_zip_magic);
    tcase_add_test(hostile, test_zip_bomb_refused);
    tcase_add_test(hostile, test_skipped_bomb_in_tgz_stops);
    tcase_add_test(hostile, test_tgz_members_and_trailer);
    tcase_add_test(hostile, test_deep_nest);
    tcase_add_test(hostile, test_fuzz_no_crash);
    suite_add_tcase(s, hostile);
    return s;
}

int main(void)
{
    return tu_main(archive_suite());
}
