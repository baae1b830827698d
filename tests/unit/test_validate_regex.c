/* test_validate_regex.c - patterns compiled on first use: the load-time
 * syntax check only accepts what regcomp accepts (with the same number of
 * groups), a bad pattern is still a load error, and the lazy compilation
 * gives regcomp's matches, also from several threads at once. */
#include "testutil.h"
#include "validate_int.h"
#include <locale.h>
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

/* regcomp in the C locale, as the rules run; -1 when it refuses. */
static long regcomp_groups(const char *pat)
{
    locale_t c = newlocale(LC_CTYPE_MASK, "C", (locale_t)0), old = uselocale(c);
    regex_t re;
    int rc = regcomp(&re, pat, REG_EXTENDED);
    long n = rc == 0 ? (long)re.re_nsub : -1;
    if (rc == 0)
        regfree(&re);
    uselocale(old);
    freelocale(c);
    return n;
}

static void expect_sure(const char *pat, bool sure)
{
    size_t nsub = 99;
    bool ok = v_regex_syntax_ok(pat, &nsub);
    ck_assert_msg(ok == sure, "%s: syntax check says %s", pat, ok ? "sure" : "not sure");
    if (ok)
        ck_assert_msg((long)nsub == regcomp_groups(pat), "%s: %zu groups, regcomp says %ld", pat, nsub,
                      regcomp_groups(pat));
}

START_TEST(shipped_forms_are_sure)
{
    expect_sure("(收到|受理|接收|接到)[^0-9]{0,30}(信息公开申请|依申请公开)[^0-9]{0,15}([0-9]+)(件|次)", true);
    expect_sure("([12][0-9]{3})年1月1日(起至|至|到|-|—)(([12][0-9]{3})年)?12月31日", true);
    expect_sure("(予以公开|部分公开)[^0-9]{0,9}([0-9]+)(件|次),?占[^0-9]{0,12}([0-9]+(\\.[0-9]+)?)%", true);
    expect_sure("(复议|诉讼).{0,60}均(已)?(结案|审结)", true);
    expect_sure("[0-9.]元", true);
    expect_sure("^a$", true);
    expect_sure("[]a]x", true);
    expect_sure("[^]a-z[:digit:]]+", true);
    expect_sure("x{2}y{3,}z{1,4}", true);
}
END_TEST

START_TEST(errors_and_odd_forms_are_not_sure)
{
    static const char *const pats[] = {
        "([0-9]+件", "a)", "[ab", "*a", "a**", "a{2,1}", "a{", "a{x}", "a{1,256}", "()", "a||b", "|a",
        "a|", "(|a)", "\\", "\\1", "\\w", "[[.a.]]", "[[:foo:]]", "[z-a]", "^*", "a$+", "}", "]", "",
        "[--z]"};
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++)
        expect_sure(pats[i], false);
}
END_TEST

/* Random patterns over the syntax's alphabet: whatever the check accepts,
 * regcomp accepts with as many groups. */
START_TEST(sure_means_regcomp_accepts)
{
    static const char *const bits[] = {"a", "b", "件", "(", ")", "|", "*", "+", "?", "{0,3}", "{2}",
                                       "{1,}", "{3,1}", "[", "]", "^", "-", "[^0-9]", "[a-c]", "[:alpha:]",
                                       ".", "$", "\\.", "\\", "{", "}", ","};
    unsigned seed = 12345;
    size_t sure = 0;
    for (int n = 0; n < 20000; n++) {
        char pat[128] = "";
        size_t len = 1 + (size_t)(rand_r(&seed) % 8);
        for (size_t k = 0; k < len; k++)
            strcat(pat, bits[rand_r(&seed) % (sizeof bits / sizeof *bits)]);
        size_t nsub;
        if (!v_regex_syntax_ok(pat, &nsub))
            continue;
        sure++;
        ck_assert_msg((long)nsub == regcomp_groups(pat), "%s: %zu groups, regcomp says %ld", pat, nsub,
                      regcomp_groups(pat));
    }
    ck_assert_uint_gt(sure, 1000); /* the property was tried on many accepted patterns */
}
END_TEST

static nb_ruleset *ruleset(void)
{
    nb_ruleset *rs = calloc(1, sizeof *rs);
    rs->cloc = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
    pthread_mutex_init(&rs->re_mu, NULL);
    return rs;
}

static void ruleset_free(nb_ruleset *rs)
{
    freelocale(rs->cloc);
    pthread_mutex_destroy(&rs->re_mu);
    free(rs);
}

START_TEST(bad_pattern_fails_at_init_with_regcomp_message)
{
    nb_ruleset *rs = ruleset();
    v_regex x;
    char msg[256] = "";
    ck_assert(!v_regex_init(rs, &x, "([0-9]+件", msg, sizeof msg));
    ck_assert_msg(msg[0] != '\0', "regcomp's message is kept");
    ruleset_free(rs);
}
END_TEST

typedef struct job {
    const nb_ruleset *rs;
    const v_regex *x;
    int hits;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    regmatch_t m[4];
    for (int i = 0; i < 200; i++)
        j->hits += v_regex_exec(j->rs, j->x, "共收到申请12件，办结3件", 4, m, 0) &&
                   m[1].rm_eo - m[1].rm_so == 2;
    return NULL;
}

START_TEST(compiled_once_on_first_use_from_threads)
{
    nb_ruleset *rs = ruleset();
    v_regex x;
    char msg[256];
    ck_assert(v_regex_init(rs, &x, "收到[^0-9]{0,12}([0-9]+)件", msg, sizeof msg));
    ck_assert_uint_eq(x.nsub, 1);
    pthread_t th[4];
    job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job){rs, &x, 0};
        pthread_create(&th[i], NULL, run_job, &jobs[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(jobs[i].hits, 200);
    }
    regmatch_t m[1];
    ck_assert(!v_regex_exec(rs, &x, "办结3件", 1, m, 0));
    v_regex_free(&x);
    ruleset_free(rs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("validate_regex");
    TCase *tc = tcase_create("lazy");
    tcase_add_test(tc, shipped_forms_are_sure);
    tcase_add_test(tc, errors_and_odd_forms_are_not_sure);
    tcase_add_test(tc, sure_means_regcomp_accepts);
    tcase_add_test(tc, bad_pattern_fails_at_init_with_regcomp_message);
    tcase_add_test(tc, compiled_once_on_first_use_from_threads);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
