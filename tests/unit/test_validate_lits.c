/* test_validate_lits.c - the one-pass search for the strings the text rules
 * need (validate_lits.c) against strstr, the plain path it replaces: on
 * the rules of the source tree and on odd strings (ASCII, short, starting
 * inside a character), over random texts with whole and sliced strings,
 * CJK filler and broken UTF-8; and whole validations with and without it. */
#include "test_validate_util.h"
#include "validate_int.h"
#include <stdio.h>

static const char *const filler[] = {
    "本机关", "依法", "件", "，", "。", "12", "3", " ", "\xe4", "\xb8\xad", "\x80", "a", "%",
    "\xef\xbc", "年度", "共", "收到", "申", "规范", "\xe4\xb8", "\n", "；",
};

/* A random text of whole or sliced strings of list and filler. */
static void random_text(unsigned *seed, const char *const *list, size_t nlist, char *out, size_t cap)
{
    out[0] = '\0';
    size_t parts = (size_t)(rand_r(seed) % 20);
    for (size_t k = 0; k < parts; k++) {
        char cut[128];
        const char *w = filler[rand_r(seed) % (sizeof filler / sizeof *filler)];
        if (nlist && rand_r(seed) % 2) {
            const char *l = list[rand_r(seed) % nlist];
            size_t n = strlen(l) < sizeof cut ? strlen(l) : sizeof cut - 1;
            size_t a = rand_r(seed) % 3 ? 0 : (size_t)rand_r(seed) % (n + 1);
            size_t b = rand_r(seed) % 3 ? n : a + (size_t)rand_r(seed) % (n - a + 1);
            memcpy(cut, l + a, b - a);
            cut[b - a] = '\0';
            w = cut;
        }
        if (strlen(out) + strlen(w) < cap)
            strcat(out, w);
    }
}

/* strstr's answer: the text holds one of the needed strings (none: any text). */
static bool holds_one(const char *needs, const char *text)
{
    if (!needs)
        return true;
    for (const char *n = needs; *n; n += strlen(n) + 1)
        if (strstr(text, n))
            return true;
    return false;
}

typedef struct counts {
    size_t yes, no;
} counts;

/* Compares the mask test with strstr for one pattern on many texts. */
static void compare_one(const v_litset *ls, const char *needs, uint64_t mask,
                        const char *const *list, size_t nlist, unsigned *seed, counts *n)
{
    char text[768];
    for (int i = 0; i < 300; i++) {
        random_text(seed, list, nlist, text, sizeof text);
        bool want = holds_one(needs, text);
        uint64_t held = v_lits_in(ls, text, strlen(text));
        bool got = (held & mask) != 0;
        ck_assert_msg(got == want, "needs %s in \"%s\": strstr %d, one pass %d", needs ? needs : "-",
                      text, want, got);
        ck_assert_msg(!(held & V_LIT_DIGIT) == !strpbrk(text, "0123456789"), "digit in \"%s\"", text);
        n->yes += want;
        n->no += !want;
    }
}

/* Every needed string of the ruleset's text patterns, for the texts. */
static size_t needed_strings(const nb_ruleset *rs, const char **list, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->n; i++) {
        const v_rule *r = &rs->rules[i];
        for (size_t k = 0; r->lits && k < r->nre; k++)
            for (const char *s = r->lits[k]; s && *s && n < cap; s += strlen(s) + 1)
                list[n++] = s;
        for (size_t k = 0; k < r->nfacts; k++)
            for (const char *s = r->facts[k].lit; s && *s && n < cap; s += strlen(s) + 1)
                list[n++] = s;
    }
    return n;
}

START_TEST(the_rules_strings_as_strstr_finds_them)
{
    const nb_ruleset *rs = tv_rules();
    ck_assert_msg(rs->lits != NULL, "the rules' strings fit the one-pass set");
    const char *list[256];
    size_t nlist = needed_strings(rs, list, 256);
    unsigned seed = 7;
    counts n = {0, 0};
    size_t patterns = 0;
    for (size_t i = 0; i < rs->n; i++) {
        const v_rule *r = &rs->rules[i];
        for (size_t k = 0; r->litmask && k < r->nre; k++, patterns++) {
            /* the year rule keeps masks only: its strings made here again */
            char *own = r->lits ? NULL : v_regex_needs(r->re[k].pat);
            compare_one(rs->lits, r->lits ? r->lits[k] : own, r->litmask[k], list, nlist, &seed, &n);
            free(own);
        }
        for (size_t k = 0; k < r->nfacts; k++, patterns++)
            compare_one(rs->lits, r->facts[k].lit, r->facts[k].litmask, list, nlist, &seed, &n);
    }
    ck_assert_uint_gt(patterns, 25);
    ck_assert_uint_gt(n.yes, 1000); /* both answers were compared often */
    ck_assert_uint_gt(n.no, 1000);
}
END_TEST

/* The lead strings of the rules' patterns, for the texts. */
static size_t lead_strings(const nb_ruleset *rs, char **own, const char **list, size_t cap)
{
    size_t n = 0, nown = 0;
    for (size_t i = 0; i < rs->n && nown < 128; i++)
        for (size_t k = 0; k < rs->rules[i].nre && nown < 128; k++) {
            char *lead = v_regex_lead(rs->rules[i].re[k].pat);
            for (const char *l = lead; l && *l && n < cap; l += strlen(l) + 1)
                list[n++] = l;
            if (lead)
                own[nown++] = lead;
        }
    return n;
}

/* A search told the piece's strings (v_regex_exec_held) skips the lead
 * strings the piece lacks: on every pattern that has lead bits, over
 * random pieces and their suffixes, it finds what the search without
 * them finds, at the same place. */
START_TEST(lead_bits_skip_only_absent_leads)
{
    const nb_ruleset *rs = tv_rules();
    const char *list[512];
    char *own[128] = {0};
    size_t nlist = needed_strings(rs, list, 256);
    nlist += lead_strings(rs, own, list + nlist, 256);
    unsigned seed = 11;
    size_t with_bits = 0, found = 0;
    char text[768];
    for (size_t i = 0; i < rs->n; i++)
        for (size_t k = 0; k < rs->rules[i].nre; k++) {
            const v_regex *x = &rs->rules[i].re[k];
            if (!x->leadbit)
                continue;
            with_bits++;
            for (int t = 0; t < 1000; t++) {
                random_text(&seed, list, nlist, text, sizeof text);
                uint64_t held = v_lits_in(rs->lits, text, strlen(text));
                for (size_t off = 0; off <= strlen(text); off += 1 + strlen(text) / 3) {
                    regmatch_t a[10], b[10];
                    bool want = v_regex_exec_read(rs, x, text + off, 10, a, 0, ~0u);
                    bool got = v_regex_exec_held(rs, x, text + off, 10, b, 0, ~0u, held);
                    ck_assert_msg(got == want, "/%s/ on \"%s\"", x->pat, text + off);
                    ck_assert(!want || (a[0].rm_so == b[0].rm_so && a[0].rm_eo == b[0].rm_eo));
                    found += want;
                }
            }
        }
    for (size_t i = 0; i < 128; i++)
        free(own[i]);
    ck_assert_uint_gt(with_bits, 10); /* the text rules' leads got bits */
    ck_assert_uint_gt(found, 30);
}
END_TEST

/* The strings of every needed list of the patterns x (v_regex_needs_all), for the texts. */
static size_t list_strings(const v_regex *x, char **own, size_t *nown, const char **list, size_t cap)
{
    size_t n = 0;
    char *all = *nown < 128 ? v_regex_needs_all(x->pat) : NULL;
    for (const char *l = all; l && *l; l++)
        for (; *l; l += strlen(l) + 1)
            if (n < cap)
                list[n++] = l;
    if (all)
        own[(*nown)++] = all;
    return n;
}

/* Whether held meets every needed list of x. */
static bool meets_lists(const v_regex *x, uint64_t held)
{
    for (size_t i = 0; i < V_NEED_ALL && x->needall[i]; i++)
        if (!(held & x->needall[i]))
            return false;
    return true;
}

/* A search told the piece's strings skips a piece that lacks every string
 * of one of the pattern's needed lists (结转|顺延 where 件 is there): on
 * every pattern with lists (text, fact and year patterns), over random
 * pieces of the rules' strings, their lists' strings and numbers, and
 * their suffixes, it finds what the search without them finds. */
START_TEST(needed_lists_skip_only_pieces_that_cannot_match)
{
    const nb_ruleset *rs = tv_rules();
    const char *list[1024];
    char *own[256] = {0};
    size_t nown = 0;
    size_t nlist = needed_strings(rs, list, 256);
    nlist += lead_strings(rs, own, list + nlist, 256);
    const v_regex *xs[128];
    size_t nx = 0;
    for (size_t i = 0; i < rs->n; i++) {
        const v_rule *r = &rs->rules[i];
        for (size_t k = 0; k < r->nre && nx < 128; k++)
            xs[nx++] = &r->re[k];
        for (size_t k = 0; k < r->nfacts && nx < 128; k++)
            xs[nx++] = &r->facts[k].re;
    }
    for (size_t i = 0; i < nx; i++)
        nlist += list_strings(xs[i], own + 128, &nown, list + nlist, 1024 - 64 - nlist);
    static const char *const more[] = {"3件", "12次", "2024年", "下年度", "下一年", "到", "至", "0", "1月1日",
                                       "元", "均已", "及", "件，", "占", "50%"};
    for (size_t i = 0; i < sizeof more / sizeof *more; i++)
        list[nlist++] = more[i];
    unsigned seed = 13;
    size_t with_lists = 0, found = 0, skipped = 0;
    char text[768];
    for (size_t i = 0; i < nx; i++) {
        const v_regex *x = xs[i];
        if (!x->needall[0])
            continue;
        with_lists++;
        for (int t = 0; t < 3000; t++) {
            random_text(&seed, list, nlist, text, sizeof text);
            uint64_t held = v_lits_in(rs->lits, text, strlen(text));
            skipped += !meets_lists(x, held);
            for (size_t off = 0; off <= strlen(text); off += 1 + strlen(text) / 3) {
                regmatch_t a[10], b[10];
                bool want = v_regex_exec_read(rs, x, text + off, 10, a, 0, ~0u);
                bool got = v_needs_met(x, held) && v_regex_exec_held(rs, x, text + off, 10, b, 0, ~0u, held);
                ck_assert_msg(got == want, "/%s/ on \"%s\"", x->pat, text + off);
                ck_assert(!want || (a[0].rm_so == b[0].rm_so && a[0].rm_eo == b[0].rm_eo));
                found += want;
            }
        }
    }
    for (size_t i = 0; i < 128; i++)
        free(own[i]);
    for (size_t i = 0; i < nown; i++)
        free(own[128 + i]);
    ck_assert_uint_gt(with_lists, 20); /* most text patterns got lists */
    ck_assert_uint_gt(found, 100);
    ck_assert_uint_gt(skipped, 3000);
}
END_TEST

/* A ruleset of text rules needing the given lists ("a\0b\0" form). */
static void odd_rules(nb_ruleset *rs, v_rule *rules, char **lits, const char *const *needs, size_t n)
{
    memset(rs, 0, sizeof *rs);
    for (size_t i = 0; i < n; i++) {
        memset(&rules[i], 0, sizeof rules[i]);
        rules[i].kind = VK_TEXT;
        rules[i].nre = 1;
        rules[i].lits = &lits[i];
        lits[i] = (char *)needs[i];
    }
    rs->rules = rules;
    rs->n = n;
    v_litset_build(rs);
}

static void odd_free(nb_ruleset *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        free(rs->rules[i].litmask);
    v_litset_free(rs->lits);
}

START_TEST(odd_strings_as_strstr_finds_them)
{
    /* ASCII, one- and two-byte strings, strings starting inside a character
     * or with a broken lead, and a pattern without any */
    static const char *const needs[] = {
        "%\0", "a\0\xe4\0", "\xb8\xad\0", "件\0次\0", "\xe4\xb8\0", "12\0", "申请\0年度\0", NULL,
        "\xef\xbc\x9b\0", "规范性文件\0",
    };
    const size_t n = sizeof needs / sizeof *needs;
    const char *list[] = {"%", "a", "\xe4", "\xb8\xad", "件", "次", "\xe4\xb8", "12", "申请", "年度",
                          "\xef\xbc\x9b", "规范性文件", "中"};
    nb_ruleset rs;
    v_rule rules[16];
    char *lits[16];
    unsigned seed = 11;
    counts c = {0, 0};
    for (size_t skip = 0; skip <= n; skip++) { /* with and without a continuation-byte start */
        odd_rules(&rs, rules, lits, needs, n);
        ck_assert_ptr_nonnull(rs.lits);
        for (size_t i = 0; i < n; i++)
            if (i != skip)
                compare_one(rs.lits, needs[i], rules[i].litmask[0], list, sizeof list / sizeof *list,
                            &seed, &c);
        odd_free(&rs);
    }
    ck_assert_uint_gt(c.yes, 1000);
    ck_assert_uint_gt(c.no, 1000);
}
END_TEST

START_TEST(ascii_starts_in_the_skip_loop_as_strstr_finds_them)
{
    /* strings starting with ASCII bytes (% a 1) and none starting inside a
     * character or a short one with a lead byte: the skip loop then runs
     * and must stop at those bytes and pass the others */
    static const char *const needs[] = {"%\0", "a\0件\0", "12\0", "申请\0年度\0", "规范性文件\0", "(3)\0"};
    const size_t n = sizeof needs / sizeof *needs;
    const char *list[] = {"%", "a", "12", "件", "申请", "年度", "规范性文件", "(3)", "中", "3"};
    nb_ruleset rs;
    v_rule rules[8];
    char *lits[8];
    unsigned seed = 13;
    counts c = {0, 0};
    odd_rules(&rs, rules, lits, needs, n);
    ck_assert_ptr_nonnull(rs.lits);
    for (int round = 0; round < 4; round++)
        for (size_t i = 0; i < n; i++)
            compare_one(rs.lits, needs[i], rules[i].litmask[0], list, sizeof list / sizeof *list, &seed, &c);
    odd_free(&rs);
    ck_assert_uint_gt(c.yes, 1000);
    ck_assert_uint_gt(c.no, 1000);
}
END_TEST

START_TEST(too_many_strings_fall_back_to_strstr)
{
    static char bufs[70][16];
    const char *needs[70];
    for (int i = 0; i < 70; i++) {
        snprintf(bufs[i], sizeof bufs[i] - 1, "w%d", i); /* ends in two NULs: a list of one */
        needs[i] = bufs[i];
    }
    nb_ruleset rs;
    v_rule rules[70];
    char *lits[70];
    odd_rules(&rs, rules, lits, needs, 70);
    ck_assert_ptr_null(rs.lits);
    for (int i = 0; i < 70; i++)
        ck_assert_ptr_null(rules[i].litmask);
    odd_free(&rs);
}
END_TEST

/* Findings and facts of a report as one string, for comparing runs. */
static void findings(const nb_report *r, size_t from, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t i = from; i < r->ndiags; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s|%d|%s|%s|%s;", r->diags[i].rule,
                 (int)r->diags[i].severity, r->diags[i].where ? r->diags[i].where : "",
                 r->diags[i].found ? r->diags[i].found : "", r->diags[i].message);
    const char *fee = nb_report_get_fact(r, "other_matters.processing_fee_yuan");
    snprintf(out + strlen(out), cap - strlen(out), "fee=%s", fee ? fee : "-");
}

START_TEST(validation_is_the_same_without_the_one_pass)
{
    char *dir = tu_path(tu_source_dir(), "formats/rules");
    nb_error err;
    nb_error_clear(&err);
    nb_ruleset *rs = nb_ruleset_load(dir, tu_templates(), &err);
    free(dir);
    ck_assert_ptr_nonnull(rs);
    ck_assert_ptr_nonnull(rs->lits);
    const char *list[256];
    size_t nlist = needed_strings(rs, list, 256);
    /* years and periods too: the year check picks its sentences by mask */
    static const char *const numbers[] = {"3件", "5件", "1次", "0件", "2份", "10元", "50%", "。", "，",
                                          "2019年", "2019年1月1日至2019年12月31日", "2018年"};
    unsigned seed = 5;
    static char a[16384], b[16384];
    size_t fired = 0, years = 0;
    for (int round = 0; round < 150; round++) {
        nb_report *r = tv_report("gb2021");
        tv_zero(r);
        tv_requests_ok(r);
        for (int s = 1; s <= 6; s++) {
            char text[1024];
            random_text(&seed, list, nlist, text, 700);
            for (int k = 0; k < 6; k++) /* numbers after the strings, so the patterns match */
                strcat(text, numbers[rand_r(&seed) % (sizeof numbers / sizeof *numbers)]);
            tv_section(r, s, text);
        }
        size_t before = r->ndiags;
        nb_validate(rs, r);
        findings(r, before, a, sizeof a);
        fired += r->ndiags > before;
        for (size_t i = before; i < r->ndiags; i++)
            years += strcmp(r->diags[i].rule, "R-X-YEAR") == 0 && !r->diags[i].skipped;
        v_litset *ls = rs->lits;
        rs->lits = NULL; /* the strstr path */
        before = r->ndiags;
        nb_report_set_fact(r, "other_matters.processing_fee_yuan", "-");
        nb_validate(rs, r);
        rs->lits = ls;
        findings(r, before, b, sizeof b);
        ck_assert_msg(strcmp(a, b) == 0, "one pass:\n%s\nstrstr:\n%s", a, b);
        nb_report_free(r);
    }
    ck_assert_uint_gt(fired, 20);
    ck_assert_uint_gt(years, 20); /* the year check found something to say */
    nb_ruleset_free(rs);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("validate_lits");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, the_rules_strings_as_strstr_finds_them);
    tcase_add_test(tc, odd_strings_as_strstr_finds_them);
    tcase_add_test(tc, ascii_starts_in_the_skip_loop_as_strstr_finds_them);
    tcase_add_test(tc, lead_bits_skip_only_absent_leads);
    tcase_add_test(tc, needed_lists_skip_only_pieces_that_cannot_match);
    tcase_add_test(tc, too_many_strings_fall_back_to_strstr);
    tcase_add_test(tc, validation_is_the_same_without_the_one_pass);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
