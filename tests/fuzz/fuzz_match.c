/* fuzz_match.c - the text rules' own regex search (validate_match.c)
 * against glibc's regexec on any pattern and text: the input's first line
 * is the pattern when validate_regex_syntax.c accepts it, else one is made
 * from its first bytes (pieces of the rules' forms); the rest is the text.
 * Match or not, the whole match and every forced group must be regexec's. */
#include "validate_int.h"
#include "validate_match.h"
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *pat, const char *text)
{
    fprintf(stderr, "fuzz_match: %s\npattern: %s\ntext: %s\n", what, pat, text);
    abort();
}

/* A pattern of the subset from the bytes d[0..n): each picks a piece. */
static void made_pattern(const uint8_t *d, size_t n, char *out, size_t cap)
{
    static const char *const pieces[] = {"a", "b", "件", "年", "[0-9]", "[^0-9]", ".", "[ab]",
                                         "1", "次", ",", "(", ")", "|", "?", "+", "*", "{0,4}",
                                         "{2}", "{1,}", "(件|次)", "([0-9]+)", "[^0-9]{0,9}"};
    out[0] = '\0';
    for (size_t i = 0; i < n && strlen(out) + 16 < cap; i++)
        strcat(out, pieces[d[i] % (sizeof pieces / sizeof *pieces)]);
}

static void compare(const char *pat, const char *text, locale_t cloc)
{
    /* our automaton first: at most 128 positions keep regcomp's expansion
     * small too (nested bounds such as ((a{0,255}){0,255}){0,255} overflow
     * its recursion, a limit of glibc's, not of the code under test) */
    v_matcher *m = v_matcher_new(pat);
    if (!m)
        return;
    regex_t re;
    locale_t old = uselocale(cloc);
    int bad = regcomp(&re, pat, REG_EXTENDED);
    uselocale(old);
    if (bad) {
        v_matcher_free(m);
        return;
    }
    {
        regmatch_t want[10], got[10];
        old = uselocale(cloc);
        bool any = regexec(&re, text, 10, want, 0) == 0;
        uselocale(old);
        size_t so, eo;
        int r = v_matcher_find(m, text, &so, &eo);
        if (r != VM_GAVE_UP && (r == VM_FOUND) != any)
            fail("match or not differs from regexec", pat, text);
        if (r == VM_FOUND && ((regoff_t)so != want[0].rm_so || (regoff_t)eo != want[0].rm_eo))
            fail("whole match differs from regexec", pat, text);
        if (r == VM_FOUND && v_matcher_groups(m, text, so, eo, 10, ~0u, got))
            for (int g = 1; g < 10; g++)
                if (got[g].rm_so != want[g].rm_so || got[g].rm_eo != want[g].rm_eo)
                    fail("a forced group differs from regexec", pat, text);
        v_matcher_free(m);
    }
    regfree(&re);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        size = 4096;
    char *buf = malloc(size + 1), pat[512];
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *nl = memchr(buf, '\n', size);
    const char *text = nl ? nl + 1 : "";
    size_t nsub;
    if (nl)
        *nl = '\0';
    if (nl && strlen(buf) < sizeof pat && v_regex_syntax_ok(buf, &nsub)) {
        strcpy(pat, buf);
    } else {
        made_pattern(data, size < 12 ? size : 12, pat, sizeof pat);
        text = size > 12 ? buf + 12 : "";
        if (nl && nl < buf + 12)
            text = nl + 1;
    }
    static locale_t cloc; /* the "C" locale the rules run in, made once */
    if (!cloc)
        cloc = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
    if (cloc)
        compare(pat, text, cloc);
    free(buf);
    return 0;
}
