/* test_validate_literal.c - the literal pre-filter of the text rules: the
 * bytes v_regex_literal derives are in every match (checked with regexec
 * over sample strings), and patterns without a certain literal get none. */
#include "testutil.h"
#include "validate_int.h"
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *pat, *lit; /* lit NULL: no literal is certain */
} cases[] = {
    {"共收到([0-9]+)件", "共收到"},
    {"申请([0-9]+)件", "申请"},
    {"abc?", "ab"},
    {"件?x", "x"},
    {"ab+c", "ab"},
    {"x{2,3}yz", "yz"},
    {"[abc]de", "de"},
    {"[]x]yz", "yz"},
    {"[[:digit:]]+元", "元"},
    {"\\.5", ".5"},
    {"(x)\\1ab", "ab"},
    {"(a|b)cd", "cd"},
    {"(受理|办理)[^0-9]{0,12}([0-9]+)", NULL},
    {"a|b", NULL},
    {"^$", NULL},
    {".", NULL},
    {"ab(c", NULL},
    {"[ab", NULL},
};

START_TEST(derives_the_certain_literal)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *lit = v_regex_literal(cases[i].pat);
        tu_expect_derived(cases[i].pat, lit, cases[i].lit);
        free(lit);
    }
}
END_TEST

static const char *const samples[] = {
    "共收到12件", "申请3件", "ab", "abc", "x", "件x", "abbbc", "xxyz", "ayz", "cde", "]yz",
    "7元", "0.5", "xxab", "acd", "bcd", "受理了5", "办理1", "a", "b", "", "abc(",
};

/* Whenever a pattern matches a sample, its literal is in the sample. */
START_TEST(every_match_contains_the_literal)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        regex_t re;
        if (regcomp(&re, cases[i].pat, REG_EXTENDED) != 0)
            continue;
        char *lit = v_regex_literal(cases[i].pat);
        for (size_t k = 0; lit && k < sizeof samples / sizeof *samples; k++)
            if (regexec(&re, samples[k], 0, NULL, 0) == 0)
                ck_assert_msg(strstr(samples[k], lit), "%s matches \"%s\" without \"%s\"",
                              cases[i].pat, samples[k], lit);
        free(lit);
        regfree(&re);
    }
}
END_TEST

/* v_regex_needs: the list as "a|b" for comparing. */
static char *joined(const char *needs)
{
    static char buf[256];
    buf[0] = '\0';
    for (const char *n = needs; n && *n; n += strlen(n) + 1)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", buf[0] ? "|" : "", n);
    return needs ? buf : NULL;
}

static const struct {
    const char *pat, *needs; /* needs NULL: nothing is certain */
} needs_cases[] = {
    {"共收到([0-9]+)件", "共收到"},
    {"(受理|办理)[^0-9]{0,12}([0-9]+)", "受理|办理"},
    {"(收到|受理)[^0-9]{0,30}(信息公开申请|依申请公开)([0-9]+)", "信息公开申请|依申请公开"},
    {"(a|b)?c*", NULL},
    {"(a|)x*", NULL},
    {"(a(b)|c)d*", NULL},
    {"(a|b)|c", "a|b|c"},
    {"信息处理费|处理费", "信息处理费|处理费"},
    {"ab|[cd]ex|f", "ab|ex|f"},
    {"ab|c*", NULL},
    {"ab|", NULL},
    {"[ab](x\\.y|z)", "x.y|z"},
    {"(ab", NULL},
};

START_TEST(derives_what_every_match_needs)
{
    for (size_t i = 0; i < sizeof needs_cases / sizeof *needs_cases; i++) {
        char *needs = v_regex_needs(needs_cases[i].pat);
        const char *got = joined(needs);
        tu_expect_derived(needs_cases[i].pat, got, needs_cases[i].needs);
        free(needs);
    }
}
END_TEST

/* Whenever a pattern matches a sample, one of the strings it needs is in
 * the sample: random patterns of groups, alternatives and literals. */
START_TEST(every_match_contains_one_needed)
{
    static const char *const bits[] = {"a", "b", "件", "(a|b)", "(ab|c)", "(x|件)", "|", "?", "*", "[ab]",
                                       "(", ")", "c", "{0,2}", "\\."};
    static const char *const texts[] = {"ab", "a", "b", "c", "abc", "件", "x件", "cab", "ba", "xx", "a.b", "件c",
                                        "", "aab", "bcc", "x"};
    unsigned seed = 99;
    size_t tried = 0;
    for (int n = 0; n < 5000; n++) {
        char pat[128] = "";
        for (size_t k = 0, len = 1 + (size_t)(rand_r(&seed) % 6); k < len; k++)
            strcat(pat, bits[rand_r(&seed) % (sizeof bits / sizeof *bits)]);
        regex_t re;
        if (regcomp(&re, pat, REG_EXTENDED) != 0)
            continue;
        char *needs = v_regex_needs(pat);
        for (size_t t = 0; needs && t < sizeof texts / sizeof *texts; t++) {
            if (regexec(&re, texts[t], 0, NULL, 0) != 0)
                continue;
            bool found = false;
            for (const char *x = needs; *x && !found; x += strlen(x) + 1)
                found = strstr(texts[t], x) != NULL;
            ck_assert_msg(found, "%s matches \"%s\" without any of %s", pat, texts[t], joined(needs));
            tried++;
        }
        free(needs);
        regfree(&re);
    }
    ck_assert_uint_gt(tried, 100);
}
END_TEST

/* v_regex_needs_all: the lists as "a|b;c" for comparing. */
static char *joined_all(const char *all)
{
    static char buf[1024];
    buf[0] = '\0';
    for (const char *l = all; l && *l;) {
        if (buf[0])
            strcat(buf, ";");
        strcat(buf, joined(l));
        while (*l)
            l += strlen(l) + 1;
        l++;
    }
    return all ? buf : NULL;
}

static const struct {
    const char *pat, *all; /* all NULL: nothing is certain */
} all_cases[] = {
    {"共收到([0-9]+)件", "共收到;0|1|2|3|4|5|6|7|8|9;件"},
    {"([0-9]+)(件|次)[^0-9]{0,24}(结转(至|到)?下(一)?年(度)?|顺延(到|至)下(一)?年(度)?)", "0|1|2|3|4|5|6|7|8|9;件|次;结转|顺延"},
    {"(收到|受理)[^0-9]{0,30}(信息公开申请|依申请公开)([0-9]+)", "收到|受理;信息公开申请|依申请公开;0|1|2|3|4|5|6|7|8|9"},
    {"([12][0-9]{3})年1月1日(起至|至|-)(([12][0-9]{3})年)?12月31日", "0|1|2|3|4|5|6|7|8|9;年1月1日;起至|至|-;12月31日"},
    {"[1-9]x[^0-9]y[0-9-]z[]0]", "0|1|2|3|4|5|6|7|8|9;x;y;z"},
    {"[0-9]+元|x", NULL},
    {"[0-9]?元[0-9]*a[0-9]{0,2}b[0-9]{,2}c[0-9]{1,2}", "元;a;b;c;0|1|2|3|4|5|6|7|8|9"},
    {"(第[0-9]|[0-9]+)x", "第|0|1|2|3|4|5|6|7|8|9;x"},
    {"([0-9]?a|b)", NULL},
    {"(复议|诉讼).{0,60}均(获|被)?(维持|支持)", "复议|诉讼;均;维持|支持"},
    {"abc?d", "ab;d"},
    {"ab*", "a"},
    {"ab+c", "a;c"},
    {"x{2,3}yz", "yz"},
    {"(ab*|c)d", "a|c;d"},
    {"(ab|c)?d", "d"},
    {"(ab|c){1,2}d", "d"},
    {"(ab|)d", "d"},
    {"([a-z]x|y)d", "d"},
    {"(a(b|c)|d[e])f", "a|d;f"},
    {"\\.5(a\\.|b|c)", ".5;a.|b|c"},
    {"a|b", NULL},
    {"(a|b)|c", NULL},
    {"[ab]*", NULL},
    {"(ab", NULL},
    {"ab[", NULL},
    {"a{2", NULL},
};

START_TEST(derives_every_list_each_match_needs)
{
    for (size_t i = 0; i < sizeof all_cases / sizeof *all_cases; i++) {
        char *all = v_regex_needs_all(all_cases[i].pat);
        const char *got = joined_all(all);
        tu_expect_derived(all_cases[i].pat, got, all_cases[i].all);
        free(all);
    }
}
END_TEST

/* Whenever a pattern matches a sample, the sample holds a string of every
 * list: random patterns of groups, alternatives, quantifiers and literals. */
START_TEST(every_match_meets_every_list)
{
    static const char *const bits[] = {"a", "b", "件", "(a|b)", "(ab|c)", "(x|件)", "|", "?", "*", "+", "[ab]",
                                       "(", ")", "c", "{0,2}", "{1,2}", "\\.", "(a(b|c)?|件x)", "(b|c)*",
                                       ".", "x", "[0-9]", "([0-9]+)", "([0-9]|a)", "[0-9]{0,2}", "3", "[12]", "[1-3]+", "([12]x|3)"};
    static const char *const texts[] = {"ab", "a", "b", "c", "abc", "件", "x件", "cab", "ba", "xx", "a.b", "件c",
                                        "", "aab", "bcc", "x", "件x", "abcx", "acx件", "abbc", "cxb", "件xb",
                                        "ax", "bx", "abab", "a.件x", "3", "a3", "件12x", "3a", "b7件", "x3b"};
    unsigned seed = 7;
    size_t tried = 0, lists = 0;
    for (int n = 0; n < 20000; n++) {
        char pat[160] = "";
        for (size_t k = 0, len = 1 + (size_t)(rand_r(&seed) % 7); k < len; k++)
            strcat(pat, bits[rand_r(&seed) % (sizeof bits / sizeof *bits)]);
        regex_t re;
        if (regcomp(&re, pat, REG_EXTENDED) != 0)
            continue;
        char *all = v_regex_needs_all(pat);
        for (size_t t = 0; all && t < sizeof texts / sizeof *texts; t++) {
            if (regexec(&re, texts[t], 0, NULL, 0) != 0)
                continue;
            for (const char *l = all; *l; l++, lists++) {
                bool found = false;
                for (; *l; l += strlen(l) + 1)
                    found = found || strstr(texts[t], l) != NULL;
                ck_assert_msg(found, "%s matches \"%s\" without any of a list of %s", pat, texts[t],
                              joined_all(all));
            }
            tried++;
        }
        free(all);
        regfree(&re);
    }
    ck_assert_uint_gt(tried, 500);
    ck_assert_uint_gt(lists, 1000);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("validate_literal");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, derives_the_certain_literal);
    tcase_add_test(tc, every_match_contains_the_literal);
    tcase_add_test(tc, derives_what_every_match_needs);
    tcase_add_test(tc, every_match_contains_one_needed);
    tcase_add_test(tc, derives_every_list_each_match_needs);
    tcase_add_test(tc, every_match_meets_every_list);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
