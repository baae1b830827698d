/* test_validate_literal.c - the literal pre-filter of the text rules: the
 * bytes v_regex_literal derives are in every match (checked with regexec
 * over sample strings), and patterns without a certain literal get none. */
#include "testutil.h"
#include "validate_int.h"
#include <regex.h>
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
        if (cases[i].lit)
            ck_assert_msg(lit && strcmp(lit, cases[i].lit) == 0, "%s: got \"%s\", want \"%s\"",
                          cases[i].pat, lit ? lit : "(none)", cases[i].lit);
        else
            ck_assert_msg(!lit, "%s: got \"%s\", want none", cases[i].pat, lit);
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

static Suite *suite(void)
{
    Suite *s = suite_create("validate_literal");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, derives_the_certain_literal);
    tcase_add_test(tc, every_match_contains_the_literal);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
