/* test_validate_match.c - the rules' own regex search (validate_match.c)
 * against glibc: every pattern of formats/rules and random patterns of the
 * plain subset, on random and mutated sentences (digits, CJK, punctuation,
 * the pattern's own literals spliced in).  Match or not, the whole match
 * and every group's offsets must be regexec's, in the "C" locale. */
#include "testutil.h"
#include "validate_int.h"
#include "validate_match.h"
#include <dirent.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATS 256

typedef struct pats {
    char *v[MAX_PATS];
    size_t n;
} pats;

/* Every string under a key ending in "pattern", however deep. */
static void collect(json_t *j, bool wanted, pats *out)
{
    if (json_is_string(j) && wanted && out->n < MAX_PATS) {
        out->v[out->n++] = strdup(json_string_value(j));
    } else if (json_is_array(j)) {
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e) collect(e, wanted, out);
    } else if (json_is_object(j)) {
        const char *k;
        json_t *e;
        json_object_foreach(j, k, e) {
            size_t n = strlen(k);
            collect(e, n >= 7 && strcmp(k + n - 7, "pattern") == 0, out);
        }
    }
}

static void rule_patterns(pats *out)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/formats/rules", tu_source_dir());
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        json_t *j = json_load_file(path, 0, NULL);
        ck_assert_msg(j != NULL, "cannot read %s", path);
        collect(j, false, out);
        json_decref(j);
    }
    closedir(d);
}

typedef struct fixture {
    nb_ruleset rs;
    size_t compared, matched, ours; /* ours: answered by the search of our own */
    size_t forced;                  /* matches whose groups were all forced */
    unsigned seed;                  /* for the groups a caller reads */
} fixture;

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->rs.cloc = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
    ck_assert_ptr_nonnull(f->rs.cloc);
    pthread_mutex_init(&f->rs.re_mu, NULL);
}

static void fixture_done(fixture *f)
{
    pthread_mutex_destroy(&f->rs.re_mu);
    freelocale(f->rs.cloc);
}

/* The pieces a text is made of: the pattern's own bytes cut at its special
 * characters (so its literals come back whole or in part), and filler. */
static const char *const filler[] = {"0", "7", "12", "2024", "3.5", "年", "件", "次", "，", "、",
                                     "。", ",", "%", "的", "共", "a", "-", "x", "我们", "政府",
                                     "\xe4", "\x80", "申请", "公开"};

static size_t literals_of(const char *pat, char lits[][64], size_t cap)
{
    size_t n = 0, len = 0;
    for (const char *p = pat;; p++) {
        bool special = !*p || strchr("()[]{}|*+?.\\^$", *p);
        if (special || len == 63) {
            if (len && n < cap) {
                lits[n][len] = '\0';
                n++;
            }
            len = 0;
            if (!*p)
                break;
            if (special)
                continue;
        }
        if (n < cap)
            lits[n][len++] = *p;
    }
    return n;
}

static void random_text(unsigned *seed, char lits[][64], size_t nlits, char *out, size_t cap)
{
    out[0] = '\0';
    size_t parts = (size_t)(rand_r(seed) % 24);
    for (size_t k = 0; k < parts; k++) {
        const char *w;
        char cut[64];
        if (nlits && rand_r(seed) % 2) {
            const char *l = lits[rand_r(seed) % nlits];
            size_t n = strlen(l), a = rand_r(seed) % 3 ? 0 : (size_t)rand_r(seed) % (n + 1);
            size_t b = rand_r(seed) % 3 ? n : a + (size_t)rand_r(seed) % (n - a + 1);
            memcpy(cut, l + a, b - a); /* a whole literal, or a slice of it */
            cut[b - a] = '\0';
            w = cut;
        } else {
            w = filler[rand_r(seed) % (sizeof filler / sizeof *filler)];
        }
        if (strlen(out) + strlen(w) < cap)
            strcat(out, w);
    }
}

/* Where the matched bytes force every group, they are regexec's. */
static void forced_groups(fixture *f, const char *pat, const v_matcher *m, const char *text,
                          size_t so, size_t eo, const regmatch_t *want)
{
    regmatch_t got[10];
    if (!v_matcher_groups(m, text, so, eo, 10, ~0u, got))
        return;
    for (size_t g = 1; g < 10; g++)
        ck_assert_msg(got[g].rm_so == want[g].rm_so && got[g].rm_eo == want[g].rm_eo,
                      "/%s/ on \"%s\": forced group %zu at %d-%d, regexec %d-%d", pat, text, g,
                      (int)got[g].rm_so, (int)got[g].rm_eo, (int)want[g].rm_so, (int)want[g].rm_eo);
    f->forced++;
}

/* One pattern on one text: v_regex_exec (and our search alone) against
 * regexec, for nm groups asked. */
static void compare_one(fixture *f, const char *pat, const regex_t *re, const v_regex *x,
                        const char *text, size_t nm, int fl)
{
    regmatch_t want[10], got[10];
    memset(want, 0xAB, sizeof want);
    memset(got, 0xCD, sizeof got);
    locale_t old = uselocale(f->rs.cloc);
    bool ref = regexec(re, text, nm, want, fl) == 0;
    uselocale(old);
    bool ours = v_regex_exec(&f->rs, x, text, nm, got, fl);
    ck_assert_msg(ours == ref, "/%s/ on \"%s\": %d, regexec %d", pat, text, ours, ref);
    for (size_t g = 0; ref && g < nm; g++)
        ck_assert_msg(got[g].rm_so == want[g].rm_so && got[g].rm_eo == want[g].rm_eo,
                      "/%s/ on \"%s\" (%zu asked): group %zu at %d-%d, regexec %d-%d", pat, text,
                      nm, g, (int)got[g].rm_so, (int)got[g].rm_eo, (int)want[g].rm_so,
                      (int)want[g].rm_eo);
    /* a caller reading some groups only gets those exactly */
    unsigned read = (unsigned)rand_r(&f->seed) & 0x3FE;
    memset(got, 0xCD, sizeof got);
    ck_assert_int_eq(v_regex_exec_read(&f->rs, x, text, nm, got, fl, read), ref);
    for (size_t g = 0; ref && g < nm; g++)
        ck_assert_msg(!(g == 0 || (read >> g & 1)) ||
                          (got[g].rm_so == want[g].rm_so && got[g].rm_eo == want[g].rm_eo),
                      "/%s/ on \"%s\" (read %x): group %zu at %d-%d, regexec %d-%d", pat, text,
                      read, g, (int)got[g].rm_so, (int)got[g].rm_eo, (int)want[g].rm_so,
                      (int)want[g].rm_eo);
    if (x->vm) {
        size_t so, eo;
        regmatch_t whole[10];
        old = uselocale(f->rs.cloc);
        bool any = regexec(re, text, 10, whole, 0) == 0;
        uselocale(old);
        int r = v_matcher_find(x->vm, text, &so, &eo);
        if (r != VM_GAVE_UP) {
            ck_assert_msg((r == VM_FOUND) == any, "/%s/ on \"%s\": search %d, regexec %d", pat,
                          text, r, any);
            ck_assert_msg(!any || ((regoff_t)so == whole[0].rm_so && (regoff_t)eo == whole[0].rm_eo),
                          "/%s/ on \"%s\": search %zu-%zu, regexec %d-%d", pat, text, so, eo,
                          (int)whole[0].rm_so, (int)whole[0].rm_eo);
            f->ours++;
            if (any)
                forced_groups(f, pat, x->vm, text, so, eo, whole);
        }
    }
    f->compared++;
    f->matched += ref;
}

static void compare_pattern(fixture *f, const char *pat, unsigned *seed, int texts)
{
    regex_t re;
    locale_t old = uselocale(f->rs.cloc);
    int bad = regcomp(&re, pat, REG_EXTENDED);
    uselocale(old);
    if (bad)
        return;
    v_regex x;
    char msg[128];
    ck_assert_msg(v_regex_init(&f->rs, &x, pat, msg, sizeof msg), "%s: %s", pat, msg);
    char lits[32][64];
    size_t nlits = literals_of(pat, lits, 32);
    static const size_t asked[] = {10, 1, 2, 4, 0};
    for (int t = 0; t < texts; t++) {
        char text[600];
        random_text(seed, lits, nlits, text, sizeof text);
        compare_one(f, pat, &re, &x, text, asked[t % 5], t % 7 == 0 ? REG_NOTBOL : 0);
    }
    v_regex_free(&x);
    regfree(&re);
}

START_TEST(rule_patterns_match_as_regexec)
{
    pats p = {{0}, 0};
    rule_patterns(&p);
    ck_assert_uint_gt(p.n, 20); /* the rules were found */
    fixture f;
    fixture_init(&f);
    unsigned seed = 1313;
    size_t searched = 0;
    for (size_t i = 0; i < p.n; i++) {
        v_matcher *m = v_matcher_new(p.v[i]);
        searched += m != NULL;
        v_matcher_free(m);
        compare_pattern(&f, p.v[i], &seed, 1200);
        free(p.v[i]);
    }
    /* the comparison covered matches, and our search answered most */
    ck_assert_uint_ge(searched * 10, p.n * 9);
    ck_assert_uint_gt(f.matched, f.compared / 20);
    ck_assert_uint_gt(f.ours, f.compared / 2);
    ck_assert_uint_gt(f.forced, f.matched / 4);
    fixture_done(&f);
}
END_TEST

/* A random pattern of the subset: literals (ASCII, CJK), classes, '.',
 * groups with alternatives, every quantifier form. */
static void random_pattern(unsigned *seed, char *out, size_t cap, int depth)
{
    static const char *const atoms[] = {"a", "b", "件", "年", "[0-9]", "[^0-9]", ".", "[ab]",
                                        "[[:digit:]x]", "\\.", "1", "次", "[^a]", ","};
    static const char *const quants[] = {"", "", "", "?", "*", "+", "{2}", "{0,3}", "{1,2}",
                                         "{2,}", "{0,7}"};
    static const char *const group_quants[] = {"", "", "?", "{2}"};
    size_t n = 1 + (size_t)(rand_r(seed) % 4);
    for (size_t k = 0; k < n && strlen(out) + 40 < cap; k++) {
        if (depth < 2 && rand_r(seed) % 4 == 0) {
            strcat(out, "(");
            size_t alts = 1 + (size_t)(rand_r(seed) % 3);
            for (size_t a = 0; a < alts; a++) {
                if (a)
                    strcat(out, "|");
                random_pattern(seed, out, cap, depth + 1);
            }
            strcat(out, ")");
            /* a group repeats at most twice, unlooped: glibc's submatch pass takes
             * minutes on loops of groups that may match empty */
            strcat(out, group_quants[rand_r(seed) % (sizeof group_quants / sizeof *group_quants)]);
        } else {
            strcat(out, atoms[rand_r(seed) % (sizeof atoms / sizeof *atoms)]);
            strcat(out, quants[rand_r(seed) % (sizeof quants / sizeof *quants)]);
        }
    }
}

START_TEST(random_patterns_match_as_regexec)
{
    fixture f;
    fixture_init(&f);
    unsigned seed = 2024;
    size_t searched = 0;
    for (int n = 0; n < 1500; n++) {
        char pat[400] = "";
        random_pattern(&seed, pat, sizeof pat, 0);
        v_matcher *m = v_matcher_new(pat);
        searched += m != NULL;
        v_matcher_free(m);
        compare_pattern(&f, pat, &seed, 30);
    }
    ck_assert_uint_gt(searched, 1000);
    ck_assert_uint_gt(f.matched, f.compared / 10);
    ck_assert_uint_gt(f.ours, f.compared / 3);
    ck_assert_uint_gt(f.forced, f.matched / 10);
    fixture_done(&f);
}
END_TEST

/* The further follow sets are kept per position both ways: position j is
 * in extra_of[i] exactly when i is in extra_back[j], and the two unions
 * name the positions that have some (so a step that skips the others
 * loses nothing); "a{0,3}b" has such follows (a skip to b). */
START_TEST(further_follows_both_ways)
{
    unsigned seed = 77;
    size_t with_extras = 0;
    for (int n = 0; n < 300; n++) {
        char pat[400] = "";
        if (n == 0)
            strcpy(pat, "a{0,3}b");
        else
            random_pattern(&seed, pat, sizeof pat, 0);
        v_matcher *m = v_matcher_new(pat);
        if (!m)
            continue;
        size_t npos = (size_t)(64 * VM_WORDS);
        bool any = false;
        for (size_t i = 0; i < npos; i++) {
            bool src = m->extra_src.w[i / 64] >> (i % 64) & 1, dst = m->extra_dst.w[i / 64] >> (i % 64) & 1;
            bool has_of = false, has_back = false;
            for (size_t j = 0; j < npos; j++) {
                bool of = src && (m->extra_of[i].w[j / 64] >> (j % 64) & 1);
                bool dst_j = m->extra_dst.w[j / 64] >> (j % 64) & 1;
                bool back = dst_j && (m->extra_back[j].w[i / 64] >> (i % 64) & 1);
                ck_assert_msg(of == back, "/%s/: %zu -> %zu one way only", pat, i, j);
                has_of = has_of || of;
            }
            for (size_t j = 0; dst && j < npos; j++)
                has_back = has_back || (m->extra_back[i].w[j / 64] >> (j % 64) & 1);
            ck_assert_msg(src == has_of && dst == has_back, "/%s/: position %zu", pat, i);
            any = any || src;
        }
        with_extras += any;
        if (n == 0)
            ck_assert(any);
        v_matcher_free(m);
    }
    ck_assert_uint_gt(with_extras, 30);
}
END_TEST

START_TEST(outside_the_subset_glibc_searches)
{
    static const char *const outside[] = {"^ab", "ab$", "a*", "(a|b)?", "x{0}", "a\\1", "[[.a.]]",
                                          "a{3", ""};
    for (size_t i = 0; i < sizeof outside / sizeof *outside; i++)
        ck_assert_msg(v_matcher_new(outside[i]) == NULL, "%s", outside[i]);
    v_matcher *m = v_matcher_new("(收到|受理)[^0-9]{0,30}([0-9]+)件");
    ck_assert_ptr_nonnull(m);
    size_t so, eo;
    ck_assert_int_eq(v_matcher_find(m, "今年受理了申请12件。", &so, &eo), VM_FOUND);
    ck_assert_uint_eq(so, strlen("今年"));
    ck_assert_uint_eq(eo, strlen("今年受理了申请12件"));
    ck_assert_int_eq(v_matcher_find(m, "受理12次", &so, &eo), VM_NONE);
    v_matcher_free(m);
}
END_TEST

/* A group every match begins with, one byte a position, is given its span
 * from the build (no pass); others are not.  Read alone or beside a group
 * that needs the passes, its span is regexec's. */
START_TEST(head_groups_by_width)
{
    static const struct {
        const char *pat;
        size_t group, head;
    } cases[] = {
        {"([12][0-9]{3})年", 1, 4},
        {"([12][0-9]{3})年1月1日(起至|至|到|-|—)(([12][0-9]{3})年)?12月31日", 1, 4},
        {"([12][0-9]{3})年1月1日(起至|至|到|-|—)(([12][0-9]{3})年)?12月31日", 3, 0},
        {"(ab)c", 1, 2},
        {"(a|b)c", 1, 0},     /* two first positions */
        {"([0-9]+)件", 1, 0}, /* a loop */
        {"(ab)?c", 1, 0},     /* not on every path */
        {"x(ab)c", 1, 0},     /* not first */
        {"(abc)", 1, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        v_matcher *m = v_matcher_new(cases[i].pat);
        ck_assert_ptr_nonnull(m);
        ck_assert_uint_eq(m->groups[cases[i].group - 1].head, cases[i].head);
        v_matcher_free(m);
    }
    const char *pat = cases[1].pat;
    v_matcher *m = v_matcher_new(pat);
    const char *texts[] = {"统计期限自2024年1月1日起至2024年12月31日止", "从2023年1月1日至12月31日",
                           "2022年1月1日到2021年12月31日"};
    regex_t re;
    ck_assert_int_eq(regcomp(&re, pat, REG_EXTENDED), 0);
    for (size_t t = 0; t < 3; t++) {
        regmatch_t want[5], got[5], one[5];
        ck_assert_int_eq(regexec(&re, texts[t], 5, want, 0), 0);
        size_t so = (size_t)want[0].rm_so, eo = (size_t)want[0].rm_eo;
        ck_assert(v_matcher_groups(m, texts[t], so, eo, 5, 1u << 1 | 1u << 3, got));
        ck_assert(v_matcher_groups(m, texts[t], so, eo, 2, 1u << 1, one));
        for (size_t g = 1; g <= 3; g += 2)
            ck_assert(got[g].rm_so == want[g].rm_so && got[g].rm_eo == want[g].rm_eo);
        ck_assert(one[1].rm_so == want[1].rm_so && one[1].rm_eo == want[1].rm_eo);
        ck_assert(got[2].rm_so == -1 && got[4].rm_so == -1); /* not read */
    }
    regfree(&re);
    v_matcher_free(m);
}
END_TEST

/* A group entered at most once whose bytes no other position takes gets
 * its span from the matched bytes alone (the text rules' digit runs); the
 * spans equal regexec's, read alone or among other groups. */
START_TEST(run_groups_by_bytes)
{
    static const struct {
        const char *pat;
        size_t group;
        bool run;
    } cases[] = {
        {"自然人[^0-9]{0,18}([0-9]+)(件|次)", 1, true},
        {"([0-9]+)(件|次)[^0-9]{0,24}(结转(至|到)?下(一)?年(度)?)", 1, true},
        {"([0-9]+)(件|次)[^0-9]{0,24}(结转(至|到)?下(一)?年(度)?)", 3, false}, /* 年 bytes in [^0-9] */
        {"结转([0-9]{4}年)?[^0-9]{0,24}([0-9]+)件", 2, false},      /* digits outside it too */
        {"([0-9]+)件,?占[^0-9]{0,12}([0-9]+(\\.[0-9]+)?)%", 1, false}, /* two digit groups */
        {"a(b)?c", 1, true},                                       /* optional: unset when absent */
        {"a(b+)*c", 1, false},                                     /* looped */
        {"x(b|c)y", 1, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        v_matcher *m = v_matcher_new(cases[i].pat);
        ck_assert_ptr_nonnull(m);
        ck_assert_msg(m->groups[cases[i].group - 1].run == cases[i].run, "%s group %zu", cases[i].pat,
                      cases[i].group);
        v_matcher_free(m);
    }
    static const struct {
        const char *pat, *text;
        unsigned read;
    } spans[] = {
        {"自然人[^0-9]{0,18}([0-9]+)(件|次)", "其中自然人申请12件，法人3件", 1u << 1},
        {"(收到|受理)[^0-9]{0,30}(信息公开申请)[^0-9]{0,15}([0-9]+)(件|次)", "共收到政府信息公开申请共1024件", 1u << 3},
        {"(收到|受理)[^0-9]{0,30}(信息公开申请)[^0-9]{0,15}([0-9]+)(件|次)", "受理信息公开申请7次", 1u << 1 | 1u << 3},
        {"a(b)?c", "xxac", 1u << 1},
        {"a(b)?c", "xxabc", 1u << 1},
    };
    for (size_t i = 0; i < sizeof spans / sizeof *spans; i++) {
        v_matcher *m = v_matcher_new(spans[i].pat);
        regex_t re;
        ck_assert_int_eq(regcomp(&re, spans[i].pat, REG_EXTENDED), 0);
        regmatch_t want[5], got[5];
        ck_assert_int_eq(regexec(&re, spans[i].text, 5, want, 0), 0);
        ck_assert(v_matcher_groups(m, spans[i].text, (size_t)want[0].rm_so, (size_t)want[0].rm_eo, 5,
                                   spans[i].read, got));
        for (size_t g = 1; g < 5; g++)
            if (spans[i].read >> g & 1)
                ck_assert_msg(got[g].rm_so == want[g].rm_so && got[g].rm_eo == want[g].rm_eo,
                              "%s group %zu: %d-%d, regexec %d-%d", spans[i].pat, g, (int)got[g].rm_so,
                              (int)got[g].rm_eo, (int)want[g].rm_so, (int)want[g].rm_eo);
        regfree(&re);
        v_matcher_free(m);
    }
}
END_TEST

/* A group entered at most once whose edges the bytes show (its first
 * byte the first of its first bytes, or the start of a run of its own
 * bytes; its end likewise) gets its span without the live positions;
 * an optional one only when no path matches without it.  Spans equal
 * regexec's, the group used or not. */
START_TEST(edge_groups_by_bytes)
{
    static const struct {
        const char *pat;
        size_t group;
        bool edge;
    } cases[] = {
        {"信息处理费[^0-9]{0,24}([0-9]+(\\.[0-9]+)?)元", 1, true},     /* '.' also in the gap */
        {"结转(下年|[0-9]{4}年)[^0-9]{0,24}([0-9]+)(件|次)", 2, true},  /* digits before it too */
        {"([12][0-9]{3})年1月1日(至|到)(([12][0-9]{3})年)?12月31日", 3, true}, /* optional */
        {"(ab|ba)(a)", 1, false},                                        /* a and b on both sides */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        v_matcher *m = v_matcher_new(cases[i].pat);
        ck_assert_ptr_nonnull(m);
        ck_assert_msg(m->groups[cases[i].group - 1].edge == cases[i].edge, "%s group %zu", cases[i].pat,
                      cases[i].group);
        v_matcher_free(m);
    }
    static const struct {
        const char *pat, *text;
        unsigned read;
    } spans[] = {
        {"信息处理费[^0-9]{0,24}([0-9]+(\\.[0-9]+)?)元", "收取信息处理费共计12.50元", 1u << 1},
        {"信息处理费[^0-9]{0,24}([0-9]+(\\.[0-9]+)?)元", "信息处理费.3元", 1u << 1},
        {"结转(下年|[0-9]{4}年)[^0-9]{0,24}([0-9]+)(件|次)", "结转2024年办理的申请7件", 1u << 2},
        {"([12][0-9]{3})年1月1日(至|到)(([12][0-9]{3})年)?12月31日", "2023年1月1日至2023年12月31日", 1u << 1 | 1u << 3},
        {"([12][0-9]{3})年1月1日(至|到)(([12][0-9]{3})年)?12月31日", "2023年1月1日至12月31日", 1u << 1 | 1u << 3},
    };
    for (size_t i = 0; i < sizeof spans / sizeof *spans; i++) {
        v_matcher *m = v_matcher_new(spans[i].pat);
        ck_assert_ptr_nonnull(m);
        regex_t re;
        ck_assert_int_eq(regcomp(&re, spans[i].pat, REG_EXTENDED), 0);
        regmatch_t want[5], got[5];
        ck_assert_int_eq(regexec(&re, spans[i].text, 5, want, 0), 0);
        ck_assert(v_matcher_groups(m, spans[i].text, (size_t)want[0].rm_so, (size_t)want[0].rm_eo, 5,
                                   spans[i].read, got));
        for (size_t g = 1; g < 5; g++)
            if (spans[i].read >> g & 1)
                ck_assert_msg(got[g].rm_so == want[g].rm_so && got[g].rm_eo == want[g].rm_eo,
                              "%s on %s group %zu: %d-%d, regexec %d-%d", spans[i].pat, spans[i].text, g,
                              (int)got[g].rm_so, (int)got[g].rm_eo, (int)want[g].rm_so, (int)want[g].rm_eo);
        regfree(&re);
        v_matcher_free(m);
    }
}
END_TEST

static bool second_ok(const v_matcher *m, unsigned char a, unsigned char b)
{
    unsigned r = m->start_row[a];
    return r && (m->second[r - 1].w[b / 64] >> (b % 64) & 1);
}

/* A start byte is run only when its next byte may follow it; a start that
 * may match alone lets every byte follow.  The searches of the other
 * tests compare with regexec over texts where most starts fail here. */
START_TEST(second_bytes_filter_starts)
{
    v_matcher *m = v_matcher_new("(收到|受理)[^0-9]{0,30}([0-9]+)件");
    ck_assert_ptr_nonnull(m);
    ck_assert(second_ok(m, 0xE6, 0x94));  /* 收 = E6 94 B6 */
    ck_assert(second_ok(m, 0xE5, 0x8F));  /* 受 = E5 8F 97 */
    ck_assert(!second_ok(m, 0xE6, 0x80)); /* E6 80: no character of the starts */
    ck_assert(!second_ok(m, 0xE6, 0x00)); /* the string's end */
    ck_assert(!second_ok(m, '1', '2'));   /* not a start */
    size_t so, eo;
    ck_assert_int_eq(v_matcher_find(m, "怀收到申请3件", &so, &eo), VM_FOUND);
    ck_assert_uint_eq(so, 3);
    v_matcher_free(m);
    m = v_matcher_new("a|ab");
    ck_assert_ptr_nonnull(m);
    for (unsigned b = 0; b < 256; b++)
        ck_assert(second_ok(m, 'a', (unsigned char)b)); /* "a" alone matches */
    ck_assert_int_eq(v_matcher_find(m, "xa", &so, &eo), VM_FOUND);
    ck_assert_uint_eq(eo, 2);
    v_matcher_free(m);
}
END_TEST

/* A pattern whose matches begin with a few ASCII bytes keeps them
 * (start_ascii) and the search skips to the next of them; one that may
 * begin with a CJK lead byte, or with more than sixteen bytes, keeps none.
 * The search finds what regexec finds either way (the rule and random
 * pattern comparisons above run both kinds). */
START_TEST(ascii_starts_are_skipped_to)
{
    static const struct {
        const char *pat, *starts;
    } cases[] = {
        {"([12][0-9]{3})年", "12"},
        {"([0-9]+)(件|次)", "0123456789"},
        {"[a-q]x", "abcdefghijklmnopq"}, /* > 16: none kept */
        {"(收到|受理)[^0-9]{0,30}([0-9]+)件", ""},
        {"a|[0-9]b", "0123456789a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        v_matcher *m = v_matcher_new(cases[i].pat);
        ck_assert_ptr_nonnull(m);
        const char *want = strcmp(cases[i].starts, "abcdefghijklmnopq") == 0 ? "" : cases[i].starts;
        ck_assert_msg(strcmp(m->start_ascii, want) == 0, "%s: starts \"%s\", want \"%s\"", cases[i].pat,
                      m->start_ascii, want);
        v_matcher_free(m);
    }
    v_matcher *m = v_matcher_new("([12][0-9]{3})年");
    size_t so, eo;
    ck_assert_int_eq(v_matcher_find(m, "全年共3件，统计2024年度，2023年", &so, &eo), VM_FOUND);
    ck_assert_uint_eq(so, strlen("全年共3件，统计"));
    ck_assert_uint_eq(eo, so + strlen("2024年"));
    ck_assert_int_eq(v_matcher_find(m, "年度考核工作123", &so, &eo), VM_NONE);
    ck_assert_int_eq(v_matcher_find(m, "1", &so, &eo), VM_NONE);
    v_matcher_free(m);
}
END_TEST

START_TEST(hostile_text_gives_up_not_quadratic)
{
    /* every byte starts a run that lives to the end of the text */
    v_matcher *m = v_matcher_new("[^0-9]+[0-9]");
    ck_assert_ptr_nonnull(m);
    char *text = malloc(20001);
    memset(text, 'x', 20000);
    text[20000] = '\0';
    size_t so, eo;
    ck_assert_int_eq(v_matcher_find(m, text, &so, &eo), VM_GAVE_UP);
    free(text);
    v_matcher_free(m);
}
END_TEST

/* v_matcher_find on m with its DFA and with the automaton alone (dfa
 * NULL): the same answer and span. */
static void same_both_ways(v_matcher *m, const char *pat, const char *text)
{
    size_t so1 = 0, eo1 = 0, so2 = 0, eo2 = 0;
    int with = v_matcher_find(m, text, &so1, &eo1);
    struct vm_dfa *dfa = m->dfa;
    m->dfa = NULL;
    int without = v_matcher_find(m, text, &so2, &eo2);
    m->dfa = dfa;
    ck_assert_msg(with == without && (with != VM_FOUND || (so1 == so2 && eo1 == eo2)),
                  "/%s/ on \"%s\": %d %zu-%zu with the DFA, %d %zu-%zu without", pat, text, with, so1,
                  eo1, without, so2, eo2);
}

#define P TU_PIECE
static const tu_piece dfa_pieces[] = {
    P("收到"), P("受理"), P("信息公开申请"), P("依申请公开"), P("件"), P("次"), P("年"), P("申请"),
    P("规范性文件"), P("结转"), P("下一年度"), P("予以公开"), P("行政复议"), P("均"), P("维持"),
    P("信息处理费"), P("元"), P("0"), P("1"), P("12"), P("2024"), P("3.5"), P("%"), P("，"), P("、"),
    P(","), P("a"), P("b"), P("x"), P("的"), P("工作"), P("\xE4"), P("\x80")};
#undef P

/* Random text of dfa_pieces into out (cap bytes, NUL-ended). */
static void dfa_text(unsigned *seed, char *out, size_t cap)
{
    size_t n = 0, np = sizeof dfa_pieces / sizeof *dfa_pieces, want = tu_rand(seed) % (cap / 2);
    while (n < want) {
        const tu_piece *p = &dfa_pieces[tu_rand(seed) % np];
        if (n + p->n >= cap)
            break;
        memcpy(out + n, p->s, p->n);
        n += p->n;
    }
    out[n] = '\0';
}

/* The DFA's runs (validate_match_dfa.c) end where the automaton's own do,
 * on the rules' patterns and random ones, over random texts and their
 * suffixes; a pattern with more states than the DFA keeps (2^10 sets
 * of the last ten a/b) fills it, and the search still answers the same. */
START_TEST(dfa_runs_as_the_automaton)
{
    pats p = {{0}, 0};
    rule_patterns(&p);
    static const char *const full = "(a|b)*a(a|b){9}";
    p.v[p.n++] = strdup(full);
    unsigned seed = 1414;
    while (p.n < MAX_PATS) {
        char pat[400] = "";
        random_pattern(&seed, pat, sizeof pat, 0);
        p.v[p.n++] = strdup(pat);
    }
    size_t with_dfa = 0, filled = 0;
    char text[512];
    for (size_t i = 0; i < p.n; i++) {
        v_matcher *m = v_matcher_new(p.v[i]);
        with_dfa += m && m->dfa;
        for (int t = 0; m && m->dfa && t < 60; t++) {
            dfa_text(&seed, text, sizeof text);
            for (size_t off = 0; off <= strlen(text); off += 1 + tu_rand(&seed) % 7)
                same_both_ways(m, p.v[i], text + off);
        }
        if (m && m->dfa && strcmp(p.v[i], full) == 0) {
            for (int t = 0; t < 200; t++) { /* long a/b runs: the DFA fills, then the automaton runs */
                size_t k = 0, steps = 0;
                for (; k < 300; k++)
                    text[k] = tu_rand(&seed) % 2 ? 'a' : 'b';
                text[k] = '\0';
                filled += vm_dfa_longest(m, (const unsigned char *)text, &steps) == VM_DFA_NONE;
                same_both_ways(m, p.v[i], text);
            }
        }
        v_matcher_free(m);
        free(p.v[i]);
    }
    ck_assert_uint_gt(with_dfa, 200); /* the rules' and most random patterns of the subset */
    ck_assert_uint_gt(filled, 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("validate_match");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, rule_patterns_match_as_regexec);
    tcase_add_test(tc, random_patterns_match_as_regexec);
    tcase_add_test(tc, outside_the_subset_glibc_searches);
    tcase_add_test(tc, further_follows_both_ways);
    tcase_add_test(tc, hostile_text_gives_up_not_quadratic);
    tcase_add_test(tc, head_groups_by_width);
    tcase_add_test(tc, second_bytes_filter_starts);
    tcase_add_test(tc, ascii_starts_are_skipped_to);
    tcase_add_test(tc, run_groups_by_bytes);
    tcase_add_test(tc, edge_groups_by_bytes);
    tcase_add_test(tc, dfa_runs_as_the_automaton);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
