/* test_validate_lead.c - where a text rule's search may start: the lead
 * strings v_regex_lead derives (every match starts with one), and
 * v_regex_exec, which starts glibc's search at the first of them and skips
 * texts lacking what a match needs, giving exactly regexec's answer and
 * offsets on random patterns and texts. */
#include "testutil.h"
#include "validate_int.h"
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The list as "a|b" for comparing. */
static void joined(const char *list, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (const char *n = list; n && *n; n += strlen(n) + 1)
        snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", buf[0] ? "|" : "", n);
}

static const struct {
    const char *pat, *lead; /* lead NULL: none is certain */
} cases[] = {
    {"自然人[^0-9]{0,18}([0-9]+)(件|次)", "自然人"},
    {"(未|没有|无)(收到|受理)", "未|没有|无"},
    {"共(收到|受理)[^0-9]{0,15}", "共"},
    {"abc?", "ab"},
    {"ab+c", "a"},
    {"件?x", NULL},
    {"件件?x", "件"},
    {"(a|b)?c", NULL},
    {"(a|b)*c", NULL},
    {"a|b", NULL},
    {"(a|b)|c", NULL},
    {"^ab", NULL},
    {"(a(b)|c)d", NULL},
    {"(a|)d", NULL},
    {"([12][0-9]{3})年", NULL},
    {"\\.5元", ".5元"},
    {"[ab]c", NULL},
    {".x", NULL},
    {"ab(c", NULL},
};

START_TEST(derives_the_lead_strings)
{
    char got[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *lead = v_regex_lead(cases[i].pat);
        joined(lead, got, sizeof got);
        tu_expect_derived(cases[i].pat, lead ? got : NULL, cases[i].lead);
        free(lead);
    }
}
END_TEST

static const char *const bits[] = {
    "a", "b", "ab", "自然人", "件", "(a|b)", "(收到|受理)", "(件|次)", "|", "?", "*", "+", "[ab]",
    "[^0-9]{0,4}", "([0-9]+)", "(", ")", ".", "^", "$", "\\.", "{1,2}", "共", "x",
};
static const char *const words[] = {
    "a", "b", "ab", "自然人", "收到", "受理", "12", "3", "件", "次", "x", "共", ".", "。", "ba",
};

static void random_text(unsigned *seed, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t k = 0, n = (size_t)(rand_r(seed) % 12); k < n; k++) {
        const char *w = words[rand_r(seed) % (sizeof words / sizeof *words)];
        if (strlen(out) + strlen(w) < cap)
            strcat(out, w);
    }
}

/* regexec itself, in the "C" locale the rules run in. */
static int reference(const nb_ruleset *rs, const regex_t *re, const char *s, regmatch_t *m, int fl)
{
    locale_t old = uselocale(rs->cloc);
    int rc = regexec(re, s, 10, m, fl);
    uselocale(old);
    return rc;
}

START_TEST(search_from_the_lead_is_regexec)
{
    nb_ruleset rs;
    memset(&rs, 0, sizeof rs);
    rs.cloc = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
    ck_assert_ptr_nonnull(rs.cloc);
    pthread_mutex_init(&rs.re_mu, NULL);
    unsigned seed = 4242;
    size_t led = 0, needed = 0, matched = 0, offset = 0;
    for (int n = 0; n < 3000; n++) {
        char pat[160] = "";
        for (size_t k = 0, len = 1 + (size_t)(rand_r(&seed) % 6); k < len; k++)
            strcat(pat, bits[rand_r(&seed) % (sizeof bits / sizeof *bits)]);
        regex_t re;
        locale_t old = uselocale(rs.cloc);
        int bad = regcomp(&re, pat, REG_EXTENDED);
        uselocale(old);
        if (bad)
            continue;
        v_regex x;
        char msg[128];
        ck_assert_msg(v_regex_init(&rs, &x, pat, msg, sizeof msg), "%s: %s", pat, msg);
        for (int t = 0; t < 30; t++) {
            char text[200];
            random_text(&seed, text, sizeof text);
            int fl = t % 3 == 0 ? REG_NOTBOL : 0;
            regmatch_t want[10], got[10];
            memset(want, 0xAB, sizeof want);
            memset(got, 0xAB, sizeof got);
            bool ref = reference(&rs, &re, text, want, fl) == 0;
            bool ours = v_regex_exec(&rs, &x, text, 10, got, fl);
            ck_assert_msg(ours == ref, "%s on \"%s\": %d, regexec %d", pat, text, ours, ref);
            for (size_t g = 0; ref && g <= re.re_nsub && g < 10; g++)
                ck_assert_msg(got[g].rm_so == want[g].rm_so && got[g].rm_eo == want[g].rm_eo,
                              "%s on \"%s\": group %zu at %d-%d, regexec %d-%d", pat, text, g,
                              (int)got[g].rm_so, (int)got[g].rm_eo, (int)want[g].rm_so,
                              (int)want[g].rm_eo);
            matched += ref;
            offset += ref && x.lead && want[0].rm_so > 0;
        }
        led += x.lead != NULL;
        needed += x.needs != NULL;
        v_regex_free(&x);
        regfree(&re);
    }
    /* the comparison covered searches that started late and texts skipped */
    ck_assert_uint_gt(led, 200);
    ck_assert_uint_gt(needed, 50);
    ck_assert_uint_gt(matched, 1000);
    ck_assert_uint_gt(offset, 100);
    pthread_mutex_destroy(&rs.re_mu);
    freelocale(rs.cloc);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("validate_lead");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, derives_the_lead_strings);
    tcase_add_test(tc, search_from_the_lead_is_regexec);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(suite()); }
