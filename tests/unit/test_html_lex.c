/* test_html_lex.c - the html tokenizer's fast paths against plain ones on
 * generated input: the one-pass text scan (SSE2 where there is) against
 * the byte-wise scan, tag names read in one register against a plain
 * lower-case copy, ht_attr_is against strncasecmp, the visible bytes
 * the lexer counts against ht_visible_bytes, attribute name and value
 * ends against byte loops, a tag's picks against its names, and the
 * quoted-attribute path against the general attribute parse.  The plugin's sources are
 * compiled in, as test_archive_names.c does. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>
#include "testutil.h"
#include "../../plugins/in_html/html_tags.c"
#include "../../plugins/in_html/html_lex.c"

/* Generated pages ------------------------------------------------------ */

#define P TU_PIECE

/* Bytes the scans treat specially, each alone and in the company of the
 * others: blanks, \v (not one), no-break spaces whole and cut, references,
 * NULs, CJK, and tags, comments and names of every length. */
static const tu_piece pieces[] = {
    P("a"), P("Z"), P("9"), P(" "), P("\t"), P("\n"), P("\r"), P("\f"), P("\v"), P("\x01"), P("\xc2\xa0"),
    P("\xc2"), P("\xa0"), P("\xc2\xad"), P("&amp;"), P("&nbsp;"), P("&"), P("<"), P(">"), P("/"), P("="),
    P("\""), P("\xe4\xb8\xad"), P("\xe3\x80\x80"), P("\xef\xbb\xbf"), P("\0"), P("<td>"), P("</td>"),
    P("<SPAN class=x>"), P("<p/>"), P("<!-- c -->"), P("<abcdefgh>"), P("<abcdefg>"), P("<blockquote\t>"),
    P("<Td\v>"), P("<t\x01" "d>"), P("<tr\n>"), P("<span>"), P("</span>"), P("<p>"), P("</P>"), P("<div>"),
    P("<B>"), P("<tbody>"), P("</tr>"), P("<h1>"), P("<title>"), P("</title>"), P("<script>"), P("</script>"), P("0123456789abcdef"), P("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97"),
};

/* Fills buf with random pieces up to about want bytes; returns the length. */
static size_t gen(char *buf, size_t want, unsigned *seed)
{
    size_t n = 0, np = sizeof pieces / sizeof pieces[0];
    while (n < want) {
        const tu_piece *p = &pieces[tu_rand(seed) % np];
        memcpy(buf + n, p->s, p->n);
        n += p->n;
    }
    return n;
}

/* Text scan ------------------------------------------------------------ */

START_TEST(text_scan_matches_bytewise)
{
    static char buf[1024];
    unsigned seed = 13;
    for (int round = 0; round < 400; round++) {
        size_t n = gen(buf, tu_rand(&seed) % 300, &seed);
        for (size_t i = 0; i < n; i++) {
            text_scan fast = scan_text(buf, i, n);
            text_scan plain = scan_text_tail((const unsigned char *)buf, i, n, (text_scan){0});
            ck_assert_uint_eq(fast.end, plain.end);
            ck_assert_int_eq(fast.special, plain.special);
            ck_assert_uint_eq(fast.blanks, plain.blanks);
            /* and the count is what ht_visible_bytes finds in the run */
            ck_assert_uint_eq(fast.end - i - fast.blanks, ht_visible_bytes(buf + i, fast.end - i));
        }
    }
}
END_TEST

/* Every text token's visible bytes, counted in the scan, are those of its
 * text (decoded or not). */
START_TEST(text_tokens_count_visible_bytes)
{
    static char buf[2048];
    unsigned seed = 7;
    for (int round = 0; round < 300; round++) {
        size_t n = gen(buf, tu_rand(&seed) % 1500, &seed);
        ht_lexer lx;
        ht_token t = {0};
        ht_lex_init(&lx, buf, n);
        while (ht_lex_next(&lx, &t) && t.kind != HT_TOK_EOF)
            if (t.kind == HT_TOK_TEXT) {
                ck_assert_uint_eq(t.visible, ht_visible_bytes(t.tx, t.txlen));
                if (t.in_page) /* no reference or NUL left undecoded */
                    ck_assert(!memchr(t.tx, '&', t.txlen) && !memchr(t.tx, '\0', t.txlen));
            }
        ht_token_free(&t);
    }
}
END_TEST

/* Tag names -------------------------------------------------------------- */

/* What a tag name at s[ns..n) reads as, byte by byte: its end, and the
 * lower-case name cut as a C string is. */
static size_t plain_name(const char *s, size_t ns, size_t n, char out[HT_TAG_MAX])
{
    size_t e = ns;
    while (e < n && !memchr(" \t\n\r\f\v>/", s[e], 8))
        e++;
    size_t k = e - ns < HT_TAG_MAX - 1 ? e - ns : HT_TAG_MAX - 1;
    for (size_t j = 0; j < k; j++)
        out[j] = (char)(s[ns + j] >= 'A' && s[ns + j] <= 'Z' ? s[ns + j] + 32 : s[ns + j]);
    out[k] = '\0';
    return e;
}

/* Pages of tags only, names of 1-12 bytes (letters of both cases, a NUL
 * or control byte now and then) with every terminator, read with the
 * lexer's cache warm: each token's id and name are the plain reading's. */
START_TEST(tag_names_match_plain_reading)
{
    static const char letters[] = "aAbBdDhHlLpPrRsStTnNoO1\x01";
    static const char ends[] = " \t\n\v>/\f\r";
    static char buf[4096];
    static size_t at[512];
    unsigned seed = 99;
    for (int round = 0; round < 200; round++) {
        size_t n = 0, ntags = 0;
        while (n < sizeof buf - 64 && ntags < 500) {
            at[ntags++] = n;
            buf[n++] = '<';
            if (tu_rand(&seed) % 3 == 0)
                buf[n++] = '/';
            buf[n++] = "tTpPsSdD"[tu_rand(&seed) % 8]; /* a letter first: a tag */
            size_t len = tu_rand(&seed) % 12;
            for (size_t j = 0; j < len; j++)
                buf[n++] = tu_rand(&seed) % 40 ? letters[tu_rand(&seed) % (sizeof letters - 1)] : '\0';
            buf[n++] = ends[tu_rand(&seed) % (sizeof ends - 1)];
            buf[n++] = '>';
        }
        /* the last tags sit within sixteen bytes of the end: the byte-wise path */
        ht_lexer lx;
        ht_token t = {0};
        ht_lex_init(&lx, buf, n);
        size_t k = 0;
        while (ht_lex_next(&lx, &t) && t.kind != HT_TOK_EOF) {
            if (t.kind == HT_TOK_TEXT)
                continue;
            ck_assert_uint_lt(k, ntags); /* one token per tag, in order */
            size_t ns = at[k] + 1 + (buf[at[k] + 1] == '/');
            char want[HT_TAG_MAX];
            plain_name(buf, ns, n, want);
            ck_assert_int_eq(t.id, ht_tag_id(want));
            if (t.id == HT_OTHER)
                ck_assert_str_eq(t.name, want);
            k++;
        }
        ht_token_free(&t);
    }
}
END_TEST

/* ht_lex_next takes the usual tag (<td>, </p>) on a short path of its
 * own; every token must be the one the general path (lex_any) reads. */
START_TEST(short_path_matches_general_path)
{
    static char buf[2048];
    unsigned seed = 3;
    for (int round = 0; round < 300; round++) {
        size_t n = gen(buf, tu_rand(&seed) % 1500, &seed);
        ht_lexer fast, plain;
        ht_token a = {0}, b = {0};
        ht_lex_init(&fast, buf, n);
        ht_lex_init(&plain, buf, n);
        for (;;) {
            bool oka = ht_lex_next(&fast, &a), okb = lex_any(&plain, &b);
            ck_assert(oka && okb);
            ck_assert_int_eq(a.kind, b.kind);
            ck_assert_uint_eq(fast.pos, plain.pos);
            ck_assert_int_eq(a.line, b.line);
            if (a.kind == HT_TOK_EOF)
                break;
            if (a.kind == HT_TOK_TEXT) {
                ck_assert_uint_eq(a.txlen, b.txlen);
                ck_assert(memcmp(a.tx, b.tx, a.txlen) == 0);
                continue;
            }
            ck_assert_int_eq(a.id, b.id);
            ck_assert_int_eq(a.self_closing, b.self_closing);
            ck_assert_uint_eq(a.nattrs, b.nattrs);
            if (a.id == HT_OTHER)
                ck_assert_str_eq(a.name, b.name);
        }
        ht_token_free(&a);
        ht_token_free(&b);
    }
}
END_TEST

/* Attribute names ------------------------------------------------------ */

static bool plain_attr_is(const ht_attr *a, const char *name, size_t len)
{
    size_t n = a->nlen < HT_TAG_MAX - 1 ? a->nlen : HT_TAG_MAX - 1;
    const char *nul = memchr(a->name, '\0', n);
    if (nul)
        n = (size_t)(nul - a->name);
    return n == len && strncasecmp(a->name, name, len) == 0;
}

START_TEST(attr_is_matches_strncasecmp)
{
    static const char *const words[] = {"class", "colspan", "hidden", "id", "rowspan", "style"};
    static const char alpha[] = "cClLaAsSiIdDoOlLpPnNrRwWhHeEtTyY\0x";
    unsigned seed = 5;
    for (int round = 0; round < 20000; round++) {
        char name[32];
        size_t nlen = tu_rand(&seed) % 10;
        const char *w = words[tu_rand(&seed) % 6];
        for (size_t j = 0; j < nlen; j++) /* near misses of a word, and random bytes */
            name[j] = tu_rand(&seed) % 2 && j < strlen(w) ? (tu_rand(&seed) % 2 ? w[j] : (char)(w[j] - 32))
                                                            : alpha[tu_rand(&seed) % (sizeof alpha - 1)];
        ht_attr a = {.name = name, .nlen = nlen};
        for (int i = 0; i < 6; i++)
            ck_assert_int_eq(ht_attr_is(&a, words[i], strlen(words[i])), plain_attr_is(&a, words[i], strlen(words[i])));
    }
}
END_TEST

/* name_end and quote_end (sixteen bytes at once where SSE2 is) against
 * the byte loops they stand for, from every offset of generated pages
 * (pieces hold every stop byte, \v and control bytes beside them). */
START_TEST(attr_scans_match_bytewise)
{
    static char buf[1024];
    unsigned seed = 17;
    for (int round = 0; round < 400; round++) {
        size_t n = gen(buf, tu_rand(&seed) % 300, &seed);
        for (size_t i = 0; i < n; i++) {
            size_t e = i;
            while (e < n && !memchr(" \t\n\r\f\v>=/", buf[e], 9))
                e++;
            ck_assert_uint_eq(name_end(buf, i, n), e);
            for (const char *q = "\"'"; *q; q++) {
                const char *qe = memchr(buf + i, *q, n - i);
                ck_assert_uint_eq(quote_end(buf, i, n, *q), qe ? (size_t)(qe - buf) : n);
            }
        }
    }
}
END_TEST

/* parse_attrs reads ` name="value"` on a path of its own: from every
 * offset of generated attribute lists (that form, and its near misses:
 * no blank, two blanks, no quote, an unclosed one, '/', '>' and NULs
 * beside them), it must end where parse_attrs_any ends and keep the same
 * attributes and self-closing mark. */
START_TEST(quoted_attrs_match_general_parse)
{
    static const tu_piece parts[] = {
        P(" a=\"1\""), P(" class='x y'"), P(" colspan=\"2\""), P(" Style=\"a:b\""), P(" x=\"\""),
        P(" v=\"0123456789abcdefghij\""), P(" q=\">\""), P(" a"), P(" a=b"), P("  a=\"1\""), P("\ta=\"1\""),
        P(" a =\"1\""), P(" a= \"1\""), P(" a=\"1"), P(" 1=\"2\""), P(" =\"x\""), P("/"), P(">"), P(" /"),
        P("/>"), P(" "), P("\""), P("'"), P("="), P("a"), P("\0"), P("\n"),
    };
    static char buf[1024];
    unsigned seed = 29;
    for (int round = 0; round < 400; round++) {
        size_t n = 0, want = tu_rand(&seed) % 200;
        while (n < want) {
            const tu_piece *p = &parts[tu_rand(&seed) % (sizeof parts / sizeof parts[0])];
            memcpy(buf + n, p->s, p->n);
            n += p->n;
        }
        ht_lexer lx;
        ht_lex_init(&lx, buf, n);
        for (size_t i = 0; i < n; i++) {
            ht_token a = {0}, b = {0};
            bool oka = true, okb = true;
            size_t ea = parse_attrs(&lx, i, &a, true, &oka), eb = parse_attrs_any(&lx, i, &b, true, &okb);
            ck_assert(oka && okb);
            ck_assert_uint_eq(ea, eb);
            ck_assert_int_eq(a.self_closing, b.self_closing);
            ck_assert_int_eq(a.picks, b.picks);
            ck_assert_uint_eq(a.nattrs, b.nattrs);
            for (size_t k = 0; k < a.nattrs; k++) {
                ck_assert_ptr_eq(a.attrs[k].name, b.attrs[k].name);
                ck_assert_uint_eq(a.attrs[k].nlen, b.attrs[k].nlen);
                ck_assert_uint_eq(a.attrs[k].vlen, b.attrs[k].vlen);
                if (a.attrs[k].vlen)
                    ck_assert_ptr_eq(a.attrs[k].value, b.attrs[k].value);
            }
            ht_token_free(&a);
            ht_token_free(&b);
        }
    }
}
END_TEST

/* A start tag's picks: set exactly when some attribute kept has a name
 * beginning with c, h, i, r or s in either case (the names the tree may
 * read; it looks at no attribute of a tag without picks). */
START_TEST(picks_match_attribute_names)
{
    static const char *const names[] = {"class", "CLASS", "align", "id", "ID", "hidden", "rowspan",
                                        "Style", "colspan", "border", "width", "href", "lang", "x"};
    static char buf[4096];
    unsigned seed = 23;
    for (int round = 0; round < 2000; round++) {
        size_t n = 0;
        int want = 0, nat = (int)(tu_rand(&seed) % 4);
        n += (size_t)sprintf(buf + n, "<%s", tu_rand(&seed) % 2 ? "td" : "p");
        for (int k = 0; k < nat; k++) {
            const char *a = names[tu_rand(&seed) % (sizeof names / sizeof names[0])];
            unsigned c = (unsigned char)a[0] | 0x20u;
            want |= c == 'c' || c == 'h' || c == 'i' || c == 'r' || c == 's';
            n += (size_t)sprintf(buf + n, " %s=\"%u\"", a, tu_rand(&seed) % 10);
        }
        n += (size_t)sprintf(buf + n, ">x</p>                  ");
        ht_lexer lx;
        ht_token t = {0};
        ht_lex_init(&lx, buf, n);
        ck_assert(ht_lex_next(&lx, &t));
        ck_assert_int_eq(t.kind, HT_TOK_START);
        ck_assert_uint_eq(t.nattrs, (size_t)nat);
        if (nat)
            ck_assert_int_eq(t.picks, want);
        ht_token_free(&t);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("html_lex");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, text_scan_matches_bytewise);
    tcase_add_test(tc, text_tokens_count_visible_bytes);
    tcase_add_test(tc, tag_names_match_plain_reading);
    tcase_add_test(tc, short_path_matches_general_path);
    tcase_add_test(tc, attr_is_matches_strncasecmp);
    tcase_add_test(tc, attr_scans_match_bytewise);
    tcase_add_test(tc, picks_match_attribute_names);
    tcase_add_test(tc, quoted_attrs_match_general_parse);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
