/* test_recognise_tokens.c - the recogniser's text side takes short cuts
 * (a cell its own compact form, a folded piece compacted by dropping its
 * quotes, a label key made in one pass, a slice copied instead of folded):
 * every form it keeps must equal the one the plain functions make, for
 * text of every kind (full-width forms, white space of every width,
 * quotes, ordinals, notes, punctuation, glued numbers, invalid bytes). */
#include "testutil.h"
#include "recognise_internal.h"
#include <stdlib.h>
#include <string.h>

/* The label key as first specified: ordinals off, notes off, then the
 * punctuation dropped character by character (text_norm.c before the
 * one-pass key_to). */
static void ref_drop_notes(char *s)
{
    char *close = strchr(s, ')'), *open = strchr(s, '(');
    if (close && (!open || close < open))
        memmove(s, close + 1, strlen(close + 1) + 1);
    char *o = s;
    int depth = 0;
    for (char *p = s; *p; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        else if (depth == 0)
            *o++ = *p;
    }
    *o = '\0';
}

static char *ref_key(const char *compact)
{
    char *c = strdup(compact);
    ck_assert_ptr_nonnull(c);
    for (int guard = 0; guard < 3; guard++) {
        size_t n = nb_text_ordinal_len(c);
        if (n == 0)
            break;
        memmove(c, c + n, strlen(c + n) + 1);
    }
    ref_drop_notes(c);
    char *o = c;
    for (char *p = c; *p;) {
        uint32_t cp;
        size_t n = nb_utf8_next(p, strlen(p), &cp);
        bool punct = cp == ',' || cp == '.' || cp == ';' || cp == ':' || cp == '!' || cp == '?' ||
                     cp == 0x3001 || cp == 0x3002 || cp == 0xB7 || cp == 0x2026;
        if (!punct) {
            memmove(o, p, n);
            o += n;
        }
        p += n;
    }
    *o = '\0';
    size_t n = strlen(c);
    while (n > 0 && strchr(".:;,", c[n - 1]))
        c[--n] = '\0';
    return c;
}

/* Pieces random text is made of: the characters each short cut turns on. */
static const char *const PIECES[] = {
    "一", "二", "十", "四", "、", "（", "）", "(", ")", "，", ",", ".", "。", "·", "…", ":", "：",
    " ", "\t", "　", "\xC2\xA0", "\"", "'", "“", "”", "「", "」", "『", "1", "23", "0", "-", "—",
    "－", "１２", "Ａ", "a", "其他", "规章", "政府信息", "第", "页", "件", "万元", "无", "\xff", "\xE4\xB8",
    "\xE3\x80", "\r", "【", "】", "3.", "（三）", "—、", "1、", "指2020年", "申请", "\xEF\xBC\x8D",
    "1234567890123456789", "《", "》", "〈", "〉", "〔", "〕", "〇", "ア", "\xE3\x80\x80", "\xE3\x80",
    "\xEF\xBC", "\xEF\xBD", "；", "｀", "～", "\xEF\xBD\x9F", "政府信息公开工作年度报告",
};

static char *random_text(unsigned *state, size_t pieces, bool lines)
{
    nb_buf b = {0};
    size_t np = sizeof PIECES / sizeof *PIECES;
    for (size_t i = 0; i < pieces; i++) {
        unsigned r = tu_rand(state);
        if (lines && r % 9 == 0)
            nb_buf_adds(&b, r % 2 ? "\n" : "\t");
        else
            nb_buf_adds(&b, PIECES[r % np]);
    }
    return b.len ? nb_buf_steal(&b) : (nb_buf_free(&b), strdup(""));
}

/* Every unit's compact form and lengths, and whether folding keeps it. */
static void check_units(const rc_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const rc_unit *u = &d->u[i];
        char *c = nb_text_compact(u->text), *f = nb_text_fold(u->text);
        ck_assert_str_eq(u->compact, c);
        ck_assert_uint_eq(u->compact_len, strlen(c));
        ck_assert_uint_eq(u->len, strlen(u->text));
        ck_assert_int_eq(u->fold_same, strcmp(f, u->text) == 0);
        /* the tokeniser copies such a compact form instead of folding */
        ck_assert_msg(u->compact_folded == (u->compact != u->text && strcmp(f, c) == 0), "cell \"%s\": compact_folded %d", u->text,
                      u->compact_folded);
        free(c);
        free(f);
    }
}

/* The fields a token of its kind does not set are zero (new_tok zeroes
 * them: the caller's vector below starts as garbage). */
static void check_unset_fields(const rc_tok *k)
{
    static const char zero[16];
    if (k->kind != RC_TEXT) {
        ck_assert(!k->compact && !k->key && !k->key_len && !k->compact_len && !k->key_chars);
        ck_assert(memcmp(k->ord, zero, sizeof k->ord) == 0);
    } else
        ck_assert(!k->num.v && !k->num.scale && !k->st && !k->glued && !k->has_unit);
    if (!k->has_unit)
        ck_assert(memcmp(k->unit, zero, sizeof k->unit) == 0);
    /* set by put_tok, then only for the tokens of a heading row */
    ck_assert(k->header == 0 || (k->header == 1 && k->in_row));
}

/* Every text token's forms, as the plain functions make them. */
static void check_tokens(const rc_toks *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const rc_tok *k = &t->v[i];
        check_unset_fields(k);
        size_t rl = strlen(k->raw);
        if (k->kind == RC_NUM && rl && strspn(k->raw, "0123456789") == rl) {
            /* a bare digit run: its value as nb_num_parse reads it */
            nb_num want;
            bool one = nb_num_parse(k->raw, &want);
            ck_assert_int_eq(one, rl <= 18);
            if (one)
                ck_assert(k->num.v == want.v && k->num.scale == want.scale);
            else /* too long for one value: a glued run, worth nothing alone */
                ck_assert(k->num.v == 0 && k->num.scale == 0);
            ck_assert_int_eq(k->glued, rl >= 2);
        }
        if (k->kind != RC_TEXT)
            continue;
        char *c = nb_text_compact(k->raw), *key = ref_key(c), ord[16];
        nb_text_ordinal_numeral(c, ord);
        ck_assert_str_eq(k->compact, c);
        ck_assert_uint_eq(k->compact_len, strlen(c));
        ck_assert_msg(strcmp(k->key, key) == 0, "key of \"%s\": \"%s\", want \"%s\"", c, k->key, key);
        ck_assert_uint_eq(k->key_len, strlen(key));
        ck_assert_uint_eq(k->key_chars, nb_utf8_len(key));
        ck_assert(memcmp(k->ord, ord, sizeof ord) == 0);
        free(c);
        free(key);
    }
}

/* The plain maps the resumable walks must agree with: each walks the
 * unit from its start. */
static size_t plain_unit_offset(const rc_unit *u, size_t co)
{
    size_t produced;
    return nb_text_compact_walk(u->text, u->len, u->len, co, &produced);
}

static size_t plain_unit_compact_at(const rc_unit *u, size_t off)
{
    size_t produced;
    nb_text_compact_walk(u->text, u->len, off, (size_t)-1, &produced);
    return produced;
}

static void check_text(const nb_templates *t, const char *text, unsigned flags)
{
    nb_doc *doc = nb_doc_new("tokens.txt");
    ck_assert_int_eq(nb_doc_split_text(doc, text, strlen(text), flags), NB_OK);
    rc_doc d;
    ck_assert(rc_doc_build(&d, doc, &nb_templates_get(t, 0)->lexicon));
    check_units(&d);
    /* the whole document, then a region cut inside its first cells */
    rc_toks all = {.v = malloc((d.n + 1) * sizeof *all.v), .cap = d.n + 1};
    ck_assert_ptr_nonnull(all.v);
    memset(all.v, 0xA5, all.cap * sizeof *all.v); /* garbage a token must not keep */
    ck_assert(rc_tokenise(&d, (rc_pos){0, 0}, (rc_pos){d.n, 0}, &all));
    check_tokens(&all);
    rc_toks_free(&all);
    if (d.n > 2) {
        size_t from = plain_unit_offset(&d.u[0], d.u[0].compact_len / 2);
        size_t to = plain_unit_offset(&d.u[d.n - 1], d.u[d.n - 1].compact_len / 2);
        rc_toks part = {0};
        ck_assert(rc_tokenise(&d, (rc_pos){0, from}, (rc_pos){d.n - 1, to}, &part));
        check_tokens(&part);
        rc_toks_free(&part);
    }
    rc_doc_free(&d);
    nb_doc_free(doc);
}

/* The last full stop found backwards (prose_only) against the forward
 * memmem loop it replaced, on random strings of the stop's bytes. */
START_TEST(last_full_stop_equals_forward_search)
{
    static const unsigned char alphabet[] = {0xE3, 0x80, 0x82, 'a', 0xE4};
    unsigned seed = 12345;
    char buf[48];
    for (int round = 0; round < 200000; round++) {
        size_t len = (size_t)(rand_r(&seed) % 40);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)alphabet[rand_r(&seed) % sizeof alphabet];
        const char *want = NULL;
        for (const char *p = buf; (p = memmem(p, (size_t)(buf + len - p), "\xE3\x80\x82", 3)); p += 3)
            want = p;
        ck_assert_ptr_eq(nb_text_last_full_stop(buf, buf + len), want);
    }
}
END_TEST

START_TEST(forms_of_a_report_table)
{
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    check_text(t,
               "二、主动公开政府信息情况\n"
               "第二十条第（一）项\n"
               "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
               "规章\t０\t1\t１２\n"
               "规章\t1234567890123456789\t123456789012345678\t07\n"
               "（三）“行政规范性文件”（含部门文件）\t6\t2\t31\n"
               "1.其他、\t—\t无\t- 4 -\n"
               "四、 行政复议　情况：政府信息77132470（十一）合计 3 985 758。此后1、2\n",
               NB_SPLIT_TABS);
}
END_TEST

/* Rows of cells that are their own compact form (kept characters only:
 * ideographs, digits, and the stops a key minds, 、 《 . , ( ) among
 * them, at every place of cells up to some 60 bytes): a cell that is one
 * text token is told its stops without a count of its own. */
START_TEST(kept_cells_have_the_plain_forms)
{
    static const char *const K[] = {"政府", "信息", "公开", "申请", "其他", "7", "12", "、", "《", "》",
                                    ".", ",", "(", ")", "。", ";", "a", "ア"};
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    unsigned state = 424242u;
    for (int i = 0; i < 400; i++) {
        nb_buf b = {0};
        for (int cell = 0; cell < 6; cell++) {
            size_t n = tu_rand(&state) % 14;
            for (size_t k = 0; k < n; k++) {
                unsigned r = tu_rand(&state);
                /* mostly ideographs, a stop now and then */
                nb_buf_adds(&b, K[r % 4 ? r % 5 : r % (sizeof K / sizeof *K)]);
            }
            nb_buf_addc(&b, cell < 5 ? '\t' : '\n');
        }
        char *text = nb_buf_steal(&b);
        check_text(t, text, NB_SPLIT_TABS);
        free(text);
    }
}
END_TEST

/* Slices longer than the tokeniser's fold buffer on the stack (a long
 * line after its last sentence, a long cell), folded and copied, then
 * short ones again: every form as the plain functions make it. */
START_TEST(long_slices_outgrow_the_stack_buffer)
{
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    for (int n = 50; n <= 800; n *= 4) {
        nb_buf b = {0};
        nb_buf_adds(&b, "规章\t1\t2\n");
        for (int k = 0; k < n; k++) /* full-width digits: folded, not copied */
            nb_buf_adds(&b, k % 2 ? "规章 １２ " : "其他3 ");
        nb_buf_adds(&b, "\t4\n");
        for (int k = 0; k < n; k++) /* folding keeps these: copied */
            nb_buf_adds(&b, "政府信息 7 ");
        nb_buf_adds(&b, "\n规章\t５\t6\n");
        char *text = nb_buf_steal(&b);
        check_text(t, text, NB_SPLIT_TABS);
        free(text);
    }
}
END_TEST

START_TEST(forms_of_random_text)
{
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    unsigned state = 20261130u;
    for (int i = 0; i < 300; i++) {
        char *text = random_text(&state, 1 + tu_rand(&state) % 60, true);
        check_text(t, text, i % 2 ? NB_SPLIT_TABS : NB_SPLIT_TABS | NB_SPLIT_GAPS);
        free(text);
    }
}
END_TEST

/* Tokens of text, read with the tab-separated splitter. */
static void tokens_of(const nb_templates *t, const char *text, nb_doc **doc, rc_doc *d, rc_toks *out)
{
    *doc = nb_doc_new("tokens.txt");
    ck_assert_int_eq(nb_doc_split_text(*doc, text, strlen(text), NB_SPLIT_TABS), NB_OK);
    ck_assert(rc_doc_build(d, *doc, &nb_templates_get(t, 0)->lexicon));
    *out = (rc_toks){0};
    ck_assert(rc_tokenise(d, (rc_pos){0, 0}, (rc_pos){d->n, 0}, out));
}

/* Frees what tokens_of made. */
static void tokens_free(nb_doc *doc, rc_doc *d, rc_toks *toks)
{
    rc_toks_free(toks);
    rc_doc_free(d);
    nb_doc_free(doc);
}

/* Rows of cells of every kind: a cell that no not-applicable or zero word
 * and no number starts, and fewer than two digits end, is one text token
 * of its whole text (the first test tokenise_piece makes); the others
 * are cut as before (their forms checked by check_text). */
START_TEST(plain_row_cells_are_one_token)
{
    static const char *const R[] = {"其他", "规章", "1", "23", "-", "+", "—", "无", "a", "(", "、", "5", "件"};
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    const nb_lexicon *lx = &nb_templates_get(t, 0)->lexicon;
    unsigned state = 99991u;
    for (int i = 0; i < 300; i++) {
        nb_buf b = {0};
        for (int cell = 0; cell < 4; cell++) {
            size_t n = 1 + tu_rand(&state) % 4;
            for (size_t k = 0; k < n; k++)
                nb_buf_adds(&b, R[tu_rand(&state) % (sizeof R / sizeof *R)]);
            nb_buf_addc(&b, cell < 3 ? '\t' : '\n');
        }
        char *text = nb_buf_steal(&b);
        check_text(t, text, NB_SPLIT_TABS);
        nb_doc *doc;
        rc_doc d;
        rc_toks toks;
        tokens_of(t, text, &doc, &d, &toks);
        for (size_t u = 0; u < d.n; u++) {
            const char *c = d.u[u].text;
            size_t len = strlen(c);
            unsigned char b0 = (unsigned char)c[0];
            bool digit0 = c[0] >= '0' && c[0] <= '9', sign = (c[0] == '-' || c[0] == '+') && c[1] >= '0' && c[1] <= '9';
            bool two_digits = len >= 2 && strchr("0123456789", c[len - 1]) && strchr("0123456789", c[len - 2]);
            if (!d.u[u].row || !len || lx->not_applicable.lead[b0] || lx->zero_words.lead[b0] || digit0 || sign ||
                two_digits || d.u[u].compact != c)
                continue;
            size_t n = 0;
            const rc_tok *one = NULL;
            for (size_t k = 0; k < toks.n; k++)
                if (toks.v[k].line == d.u[u].line && toks.v[k].cell == d.u[u].cell) {
                    n++;
                    one = &toks.v[k];
                }
            ck_assert_msg(n == 1 && one->kind == RC_TEXT && strcmp(one->raw, c) == 0, "cell \"%s\": %zu tokens", c, n);
        }
        tokens_free(doc, &d, &toks);
        free(text);
    }
}
END_TEST

/* text with a space after every cell: no cell is then its own compact
 * form, so every slice goes through fold_slice's copy. */
static char *spaced(const char *text)
{
    nb_buf b = {0};
    for (const char *p = text; *p; p++) {
        if (*p == '\t' || *p == '\n')
            nb_buf_addc(&b, ' ');
        nb_buf_addc(&b, *p);
    }
    nb_buf_addc(&b, ' ');
    return nb_buf_steal(&b);
}

/* All the fields two tokens share but the cell they came from. */
static void same_forms(const rc_tok *a, const rc_tok *b)
{
    ck_assert_int_eq(a->kind, b->kind);
    ck_assert_str_eq(a->raw, b->raw);
    if (a->kind == RC_TEXT) {
        ck_assert_str_eq(a->compact, b->compact);
        ck_assert_uint_eq(a->compact_len, b->compact_len);
        ck_assert_str_eq(a->key, b->key);
        ck_assert_uint_eq(a->key_len, b->key_len);
        ck_assert_uint_eq(a->key_chars, b->key_chars);
        ck_assert(memcmp(a->ord, b->ord, sizeof a->ord) == 0);
    }
    ck_assert(a->num.v == b->num.v && a->num.scale == b->num.scale);
    ck_assert_int_eq(a->st, b->st);
    ck_assert_int_eq(a->glued, b->glued);
    ck_assert_int_eq(a->has_unit, b->has_unit);
    ck_assert_str_eq(a->unit, b->unit);
    ck_assert_int_eq(a->in_row, b->in_row);
}

/* same_forms, and from the same place. */
static void same_token(const rc_tok *a, const rc_tok *b)
{
    same_forms(a, b);
    ck_assert_int_eq(a->lineno, b->lineno);
    ck_assert_int_eq(a->cell, b->cell);
    ck_assert_int_eq(a->header, b->header);
}

/* The tokens of text and of spaced(text), which reads every cell
 * through the copying path: the same, field by field. */
static void same_as_spaced(const nb_templates *t, const char *text)
{
    char *sp = spaced(text);
    nb_doc *da, *db;
    rc_doc a, b;
    rc_toks ta, tb;
    tokens_of(t, text, &da, &a, &ta);
    tokens_of(t, sp, &db, &b, &tb);
    ck_assert_msg(ta.n == tb.n, "%zu tokens, %zu when copied, of \"%s\"", ta.n, tb.n, text);
    for (size_t k = 0; k < ta.n; k++)
        same_token(&ta.v[k], &tb.v[k]);
    tokens_free(da, &a, &ta);
    tokens_free(db, &b, &tb);
    free(sp);
}

/* A cell that is one piece as it is is cut in place (whole_piece), and
 * page furniture is told on the unit's compact form: the tokens must be
 * those of the same text read through the copying path. */
START_TEST(cells_cut_in_place_equal_copies)
{
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    unsigned state = 7u;
    for (int i = 0; i < 300; i++) {
        char *text = i == 0 ? strdup("规章\t12\t-3-\n第 2 页\t1.其他\t3.\t(三)合计\n- 4 -\n")
                            : random_text(&state, 1 + tu_rand(&state) % 60, true);
        same_as_spaced(t, text);
        free(text);
    }
}
END_TEST

/* A whole cell of ideographs alone is pushed after one test of its bytes
 * (plain_cell: sixteen, eight or one at a time, the last block ending at
 * the cell's end): one character that needs the general path (a digit,
 * bracket, punctuation, ASCII letter, a zero word) at every place of
 * cells of every length must send it there, alone on its line and in a
 * row, and the tokens must be those of the copying path. */
START_TEST(ideograph_cells_equal_copies)
{
    static const char *const X[] = {"", "1", "(", "（", "、", "。", "「", "a", ".", "一", "无", "，", "—", "·", "十二"};
    static const char *const FILL[] = {"其", "他", "规", "章"};
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    for (size_t n = 0; n <= 12; n++)
        for (size_t at = 0; at <= n; at++)
            for (size_t x = 0; x < sizeof X / sizeof *X; x++) {
                nb_buf b = {0};
                for (size_t k = 0; k <= n; k++) {
                    if (k == at)
                        nb_buf_adds(&b, X[x]);
                    if (k < n)
                        nb_buf_adds(&b, FILL[(k + x) % 4]);
                }
                char *cell = b.len ? nb_buf_steal(&b) : (nb_buf_free(&b), strdup(""));
                char *alone = nb_strfmt("%s\n", cell), *row = nb_strfmt("%s\t%s\t5\n", cell, cell);
                ck_assert(alone && row);
                same_as_spaced(t, alone);
                same_as_spaced(t, row);
                check_text(t, row, NB_SPLIT_TABS);
                free(alone);
                free(row);
                free(cell);
            }
}
END_TEST

/* Glued text (one cell, not a row) is cut before numbers and ordinals
 * only; the characters between are skipped three bytes at a time, and
 * the cuts must stay where the character-by-character loop made them. */
static void glued_as(const nb_templates *t, const char *text, const char *const *want, size_t n)
{
    nb_doc *doc;
    rc_doc d;
    rc_toks tk;
    tokens_of(t, text, &doc, &d, &tk);
    ck_assert_uint_eq(tk.n, n);
    for (size_t i = 0; i < n; i++) {
        bool num = want[i][0] == '#';
        ck_assert_str_eq(tk.v[i].raw, want[i] + num);
        ck_assert_int_eq(tk.v[i].kind, num ? RC_NUM : RC_TEXT);
    }
    tokens_free(doc, &d, &tk);
}

START_TEST(glued_text_cut_at_numbers_and_ordinals)
{
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    static const char *const a[] = {"政府信息公开十一、申请数量", "#12件", "(三)不予公开", "四、其他第(一)项二十一、合计"};
    glued_as(t, "政府信息公开十一、申请数量12件（三）不予公开四、其他第（一）项二十一、合计", a, 4);
    static const char *const b[] = {"规范性文件", "#77132470", "其他十一、", "二、情况", "(三)结果"};
    glued_as(t, "规范性文件77132470其他十一、二、情况(三)结果", b, 5);
    /* no digit: still cut at a bracketed ordinal and at N、 (what the
     * one-token short cut must leave to the loop) */
    static const char *const c[] = {"其他", "(三)合计"};
    glued_as(t, "其他（三）合计", c, 2);
    glued_as(t, "其他(三)合计", c, 2);
    static const char *const e[] = {"其他", "四、合计"};
    glued_as(t, "其他四、合计", e, 2);
    /* the last cut found from the end, sixteen bytes a compare: a number
     * or an ordinal at every place around the blocks' edges */
    for (size_t k = 0; k <= 12; k++)
        for (size_t m = 0; m <= 12; m++)
            for (int ord = 0; ord < 2; ord++) {
                nb_buf g = {0}, l = {0}, r = {0};
                for (size_t i = 0; i < k; i++)
                    nb_buf_adds(&l, "其");
                for (size_t i = 0; i < m; i++)
                    nb_buf_adds(&r, "他");
                char *ls = l.len ? nb_buf_steal(&l) : strdup(""), *rs = r.len ? nb_buf_steal(&r) : strdup("");
                nb_buf_adds(&g, ls);
                nb_buf_adds(&g, ord ? "（三）" : "12");
                nb_buf_adds(&g, rs);
                char *text = nb_buf_steal(&g), *tail = nb_strfmt("(三)%s", rs);
                const char *want[3];
                size_t n = 0;
                if (k)
                    want[n++] = ls;
                if (ord)
                    want[n++] = tail;
                else {
                    want[n++] = "#12";
                    if (m)
                        want[n++] = rs;
                }
                glued_as(t, text, want, n);
                free(text);
                free(tail);
                free(ls);
                free(rs);
            }
}
END_TEST

/* Glued text (a line of one cell) with no digit, bracket or E3/EF byte is
 * pushed as one token without the character loop; a number glued after
 * it sends the same text through the loop, which must cut it nowhere
 * and give it the same forms.  Words from the pieces with such bytes
 * and without must agree as a whole too (check_text). */
START_TEST(uncut_glued_text_is_one_token)
{
    static const char *const W[] = {"其他", "规章", "政府信息公开工作年度报告", "a", "Z", ")", ".", "-", "·", "…",
                                    "一", "十", "第", "页", "件", "“", "\"", "『", "。", "(", "，", "、", "1"};
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    unsigned state = 20261201u;
    for (int i = 0; i < 3000; i++) {
        nb_buf b = {0};
        size_t n = 1 + tu_rand(&state) % 8;
        for (size_t k = 0; k < n; k++)
            nb_buf_adds(&b, W[tu_rand(&state) % (sizeof W / sizeof *W)]);
        char *x = nb_buf_steal(&b), *alone = NULL, *glued = NULL;
        check_text(t, x, NB_SPLIT_TABS);
        bool plain = !strpbrk(x, "0123456789(\xE3\xEF") && x[strlen(x) - 1] != '-';
        if (plain) {
            char *f = nb_text_fold(x);
            plain = f && !strpbrk(f, "0123456789(\xE3\xEF") && !strchr(" \t", f[0]);
            free(f);
        }
        if (!plain) {
            free(x);
            continue;
        }
        alone = nb_strfmt("%s\n", x);
        glued = nb_strfmt("%s12件\n", x);
        ck_assert(alone && glued);
        nb_doc *da, *dg;
        rc_doc a, g;
        rc_toks ta, tg;
        tokens_of(t, alone, &da, &a, &ta);
        tokens_of(t, glued, &dg, &g, &tg);
        if (ta.n == 1) { /* a page number or a sentence cuts otherwise, in both */
            ck_assert_msg(tg.n == 2 && tg.v[1].kind == RC_NUM, "\"%s\": %zu tokens", glued, tg.n);
            same_forms(&ta.v[0], &tg.v[0]);
        }
        tokens_free(da, &a, &ta);
        tokens_free(dg, &g, &tg);
        free(alone);
        free(glued);
        free(x);
    }
}
END_TEST

/* A cell of bare digits outside a row is pushed as its number at once,
 * as the glued loop pushes the same digits after a word: same value,
 * glued flag and status, up to runs too long for one value. */
START_TEST(bare_digits_outside_rows_as_glued)
{
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    unsigned state = 1213u;
    for (int i = 0; i < 2000; i++) {
        char digits[32], *alone = NULL, *glued = NULL;
        size_t n = 1 + tu_rand(&state) % 22;
        for (size_t k = 0; k < n; k++)
            digits[k] = (char)('0' + tu_rand(&state) % 10);
        digits[n] = '\0';
        alone = nb_strfmt("%s\n", digits);
        glued = nb_strfmt("其他%s\n", digits);
        ck_assert(alone && glued);
        nb_doc *da, *dg;
        rc_doc a, g;
        rc_toks ta, tg;
        tokens_of(t, alone, &da, &a, &ta);
        tokens_of(t, glued, &dg, &g, &tg);
        ck_assert_uint_eq(ta.n, 1);
        ck_assert_uint_eq(tg.n, 2);
        ck_assert_int_eq(ta.v[0].kind, RC_NUM);
        same_forms(&ta.v[0], &tg.v[1]);
        tokens_free(da, &a, &ta);
        tokens_free(dg, &g, &tg);
        free(alone);
        free(glued);
    }
}
END_TEST

/* Folding and compacting one code point as first specified (text_norm.c's
 * rules written out again): the code point it becomes, 0 when compacting
 * drops it (*dropped). */
static bool ref_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == 0xA0 || c == 0x3000 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0xFEFF || c == 0x202F;
}

static uint32_t ref_fold(uint32_t c, bool *dropped)
{
    *dropped = ref_space(c) || c == '"' || c == '\'' || c == 0x201C || c == 0x201D || c == 0x2018 ||
               c == 0x2019 || (c >= 0x300C && c <= 0x300F);
    if (c >= 0xFF01 && c <= 0xFF5E)
        return c - 0xFEE0;
    if (ref_space(c))
        return ' ';
    if (c == 0x201C || c == 0x201D)
        return '"';
    if (c == 0x2018 || c == 0x2019)
        return '\'';
    if (c == 0x3008 || c == 0x3010 || c == 0x3014)
        return '(';
    if (c == 0x3009 || c == 0x3011 || c == 0x3015)
        return ')';
    return c;
}

/* Every code point of the BMP: folded and compacted as specified, and
 * taken for "kept as it is" (the copy short cuts) only when it is. */
START_TEST(every_code_point_folds_as_specified)
{
    for (uint32_t c = 1; c < 0x10000; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        char s[5] = {0}, want[5] = {0};
        size_t n = nb_utf8_put(c, s);
        bool dropped;
        nb_utf8_put(ref_fold(c, &dropped), want);
        char *f = nb_text_fold(s), *k = nb_text_compact(s);
        ck_assert_msg(strcmp(f, want) == 0, "fold of U+%04X", (unsigned)c);
        ck_assert_msg(strcmp(k, dropped ? "" : want) == 0, "compact of U+%04X", (unsigned)c);
        if (nb_text_kept_prefix(s, n) == n)
            ck_assert_msg(!dropped && strcmp(want, s) == 0, "U+%04X taken as kept", (unsigned)c);
        free(f);
        free(k);
    }
}
END_TEST

/* s folded (compact false) or compacted a character at a time with
 * ref_fold: the plain path the copy short cuts must agree with. */
static char *ref_transform(const char *s, size_t len, bool compact)
{
    char *out = malloc(3 * len + 5);
    ck_assert_ptr_nonnull(out);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        bool dropped;
        i += nb_utf8_next(s + i, len - i, &c);
        uint32_t f = ref_fold(c, &dropped);
        if (!(compact && dropped))
            o += nb_utf8_put(f, out + o);
    }
    out[o] = '\0';
    return out;
}

/* Runs of ideographs (E4..E9 leads, the edges of the range, and E3, EA
 * and broken sequences beside them) of every length around the 15 bytes
 * folding copies at a time, cut anywhere: fold and compact as the plain
 * path has them, and the copy never writes past the room it is given. */
START_TEST(ideograph_runs_fold_as_the_plain_path)
{
    static const char *const P[] = {"\xe4\xb8\x80", "\xe9\xbf\xbf", "\xe4\x80\x80", "\xe6\x94\xbf",
                                    "\xe9\xbe\x99", "\xe3\x80\x81", "\xe3\x81\x82", "\xea\xb0\x80",
                                    "\xef\xbc\x8c", "\xe4\xb8", "\xe5\x41", "7", " ", "\xe3\x80\x80",
                                    "\xe8\x80\x80\xe8\x80\x80\xe8\x80\x80"};
    unsigned state = 1301u;
    for (int i = 0; i < 4000; i++) {
        nb_buf b = {0};
        size_t pieces = tu_rand(&state) % 40;
        for (size_t k = 0; k < pieces; k++) {
            unsigned r = tu_rand(&state);
            /* mostly ideographs: the runs the short cut takes */
            nb_buf_adds(&b, P[r % 3 ? r % 5 : r % (sizeof P / sizeof *P)]);
        }
        size_t len = b.len;
        char *s = b.len ? nb_buf_steal(&b) : (nb_buf_free(&b), strdup(""));
        for (int compact = 0; compact < 2; compact++) {
            char *want = ref_transform(s, len, compact), *got = compact ? nb_text_compact(s) : nb_text_fold(s);
            size_t room = NB_TEXT_FOLD_ROOM(len);
            char *out = malloc(room); /* exactly the room promised: valgrind sees a write past it */
            ck_assert_ptr_nonnull(out);
            ck_assert_str_eq(got, want);
            ck_assert_uint_eq(nb_text_transform_to(s, len, compact, out), strlen(want));
            ck_assert_str_eq(out, want);
            if (compact) {
                bool same;
                ck_assert_uint_eq(nb_text_compact_to(s, len, out, &same), strlen(want));
                ck_assert_str_eq(out, want);
                char *f = ref_transform(s, len, false);
                ck_assert_int_eq(same, strcmp(f, s) == 0);
                free(f);
            }
            free(out);
            free(got);
            free(want);
        }
        free(s);
    }
}
END_TEST

/* The leading ordinal of a compact string as first written: a character
 * at a time, its numeral into num (zeroed first). */
static bool ref_numeral_cp(uint32_t c)
{
    static const uint32_t cn[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
    for (size_t k = 0; k < 10; k++)
        if (c == cn[k])
            return true;
    return c >= '0' && c <= '9';
}

static bool ref_dash_cp(uint32_t c)
{
    return c == 0x2014 || c == 0x2013 || c == 0x2012 || c == 0xFF0D || c == '-' || c == 0x2015 || c == 0x2500;
}

static size_t ref_ordinal(const char *s, char num[16])
{
    size_t len = strlen(s), i = s[0] == '(', start = i;
    bool paren = i == 1;
    uint32_t c = 0;
    memset(num, 0, 16);
    while (i < len) {
        size_t n = nb_utf8_next(s + i, len - i, &c);
        if (!(ref_numeral_cp(c) || (i == start && ref_dash_cp(c) && !paren)))
            break;
        i += n;
        if (i - start > 6)
            return 0;
    }
    if (i == start || i >= len)
        return 0;
    size_t n = nb_utf8_next(s + i, len - i, &c), r = 0;
    if (c == ')')
        r = i + n;
    else if (paren)
        return 0;
    else if (c == 0x3001)
        r = i + n;
    else if (s[start] >= '0' && s[start] <= '9' && (c == '.' || c == ','))
        r = i + n < len && s[i + n] >= '0' && s[i + n] <= '9' ? 0 : i + n;
    if (r) {
        uint32_t d;
        size_t o = 0, k = start, step = nb_utf8_next(s + k, i - k, &d);
        if (d == 0x2014 || d == 0x2013 || d == 0xFF0D || d == '-') {
            o = nb_utf8_put(0x4E00, num);
            k += step;
        }
        memcpy(num + o, s + k, i - k);
    }
    return r;
}

/* Ordinals of digits, numerals and dashes with every terminator (ASCII
 * after ASCII digits is read without decoding): length and numeral as the
 * character-at-a-time reference has them. */
START_TEST(ordinals_equal_the_reference)
{
    static const char *const O[] = {"(", "1", "2", "9", "0", "一", "十", "四", "—", "-", ".", ",", ")",
                                    "、", "a", "其他", "1.5", "\xEF\xBC\x8D", "：", " "};
    unsigned state = 4711u;
    for (int i = 0; i < 20000; i++) {
        char s[96];
        size_t n = 0, pieces = tu_rand(&state) % 9;
        for (size_t k = 0; k < pieces; k++) {
            unsigned r = tu_rand(&state);
            const char *p = O[r % 3 ? 1 + r % 4 : r % (sizeof O / sizeof *O)]; /* digits mostly */
            memcpy(s + n, p, strlen(p));
            n += strlen(p);
        }
        s[n] = '\0';
        char want[16], got[16];
        size_t w = ref_ordinal(s, want);
        ck_assert_msg(nb_text_ordinal_len(s) == w, "ordinal of \"%s\": %zu, want %zu", s, nb_text_ordinal_len(s), w);
        nb_text_ordinal_numeral(s, got);
        ck_assert_msg(memcmp(got, want, 16) == 0, "numeral of \"%s\"", s);
    }
    /* numerals and their ends mostly: one numeral and its ) or 、 is read
     * without the numeral loop, (三 十一、 四) 五、3 must not be */
    static const char *const N[] = {"(", "一", "十", "四", ")", "、", "其他", "1", "—", "\xEF\xBC\x8D", "\xE3\x80"};
    for (int i = 0; i < 20000; i++) {
        char s[96];
        size_t n = 0, pieces = tu_rand(&state) % 6;
        for (size_t k = 0; k < pieces; k++) {
            const char *p = N[tu_rand(&state) % (sizeof N / sizeof *N)];
            memcpy(s + n, p, strlen(p));
            n += strlen(p);
        }
        s[n] = '\0';
        char want[16], got[16];
        size_t w = ref_ordinal(s, want);
        ck_assert_msg(nb_text_ordinal_len(s) == w, "ordinal of \"%s\": %zu, want %zu", s, nb_text_ordinal_len(s), w);
        nb_text_ordinal_numeral(s, got);
        ck_assert_msg(memcmp(got, want, 16) == 0, "numeral of \"%s\"", s);
    }
}
END_TEST

/* nb_text_compact_walk as first written: one character at a time. */
static size_t ref_walk(const char *s, size_t len, size_t off_limit, size_t co_limit, size_t *produced)
{
    size_t i = 0, n = 0;
    while (i < len && i < off_limit) {
        uint32_t c;
        bool dropped;
        char out[4];
        size_t step = nb_utf8_next(s + i, len - i, &c);
        size_t bytes = nb_utf8_put(ref_fold(c, &dropped), out);
        if (dropped)
            bytes = 0;
        if (n + bytes > co_limit)
            break;
        n += bytes;
        i += step;
    }
    *produced = n;
    return i;
}

START_TEST(compact_walk_equals_the_reference)
{
    unsigned state = 99u;
    for (int i = 0; i < 3000; i++) {
        char *s = random_text(&state, tu_rand(&state) % 16, false);
        size_t len = strlen(s), c_len = 0;
        char *c = nb_text_compact(s);
        c_len = strlen(c);
        for (int q = 0; q < 8; q++) {
            size_t off = q % 2 ? tu_rand(&state) % (len + 2) : len;
            size_t co = q % 2 ? (size_t)-1 : tu_rand(&state) % (c_len + 2);
            size_t got_p, want_p;
            size_t got = nb_text_compact_walk(s, len, off, co, &got_p);
            size_t want = ref_walk(s, len, off, co, &want_p);
            ck_assert_msg(got == want && got_p == want_p, "walk of \"%s\" to %zu/%zu: %zu/%zu, want %zu/%zu", s,
                          off, co, got, got_p, want, want_p);
        }
        free(c);
        free(s);
    }
}
END_TEST

/* The resumable walks answer as the plain maps do, asked in any order:
 * mostly forward along a unit (where they resume), sometimes back or on
 * another unit (where they must start again). */
static void check_walks(const rc_doc *d, unsigned *state)
{
    rc_walk w = {(size_t)-1, 0, 0};
    for (int q = 0; q < 40 && d->n; q++) {
        size_t ui = tu_rand(state) % 5 ? (w.unit < d->n ? w.unit : 0) : tu_rand(state) % d->n;
        const rc_unit *u = &d->u[ui];
        size_t r = tu_rand(state);
        if (r % 2) {
            size_t co = r % 7 ? w.co + r % 5 : r % (u->compact_len + 2);
            ck_assert_uint_eq(rc_walk_offset(d, &w, ui, co), plain_unit_offset(u, co));
        } else {
            size_t off = r % 7 ? w.off + r % 5 : r % (u->len + 2);
            ck_assert_uint_eq(rc_walk_compact_at(d, &w, ui, off), plain_unit_compact_at(u, off));
        }
    }
}

START_TEST(walks_equal_the_plain_maps)
{
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    unsigned state = 4242u;
    for (int i = 0; i < 300; i++) {
        char *text = random_text(&state, 1 + tu_rand(&state) % 80, i % 3 != 0);
        nb_doc *doc = nb_doc_new("walks.txt");
        ck_assert_int_eq(nb_doc_split_text(doc, text, strlen(text), NB_SPLIT_TABS), NB_OK);
        rc_doc d;
        ck_assert(rc_doc_build(&d, doc, &nb_templates_get(t, 0)->lexicon));
        check_walks(&d, &state);
        rc_doc_free(&d);
        nb_doc_free(doc);
        free(text);
    }
}
END_TEST

START_TEST(key_forms_equal_the_reference)
{
    unsigned state = 7u;
    for (int i = 0; i < 3000; i++) {
        char *s = random_text(&state, tu_rand(&state) % 12, false);
        char *c = nb_text_compact(s), *want = ref_key(c), *key = nb_text_key_of_compact(c);
        char *room = malloc(strlen(c) + 1), ord[16], want_ord[16];
        ck_assert_ptr_nonnull(room);
        size_t n = nb_text_key_forms(c, room, ord);
        nb_text_ordinal_numeral(c, want_ord);
        ck_assert_msg(strcmp(key, want) == 0, "key of \"%s\": \"%s\", want \"%s\"", c, key, want);
        ck_assert_str_eq(room, want);
        ck_assert_uint_eq(n, strlen(want));
        ck_assert(memcmp(ord, want_ord, sizeof ord) == 0);
        /* in two steps: a key that is a tail of the compact form is that
         * tail; another is made from the ordinals' end into garbage room */
        bool tail;
        size_t cl = strlen(c), lead = nb_text_key_lead(c, cl, ord, &tail);
        ck_assert(memcmp(ord, want_ord, sizeof ord) == 0);
        ck_assert_uint_le(lead, cl);
        if (tail)
            ck_assert_str_eq(c + lead, want);
        else {
            memset(room, 'x', cl + 1);
            ck_assert_uint_eq(nb_text_key_rest(c, lead, cl, room), strlen(want));
            ck_assert_str_eq(room, want);
        }
        /* kept_prefix covering s: s is its own fold and compact form */
        bool same;
        char *out = malloc(3 * strlen(s) + 5), *f = nb_text_fold(s);
        ck_assert_ptr_nonnull(out);
        ck_assert_uint_eq(nb_text_compact_to(s, strlen(s), out, &same), strlen(c));
        ck_assert_str_eq(out, c);
        ck_assert_int_eq(same, strcmp(f, s) == 0);
        /* the kept prefix without the length, and compacting resumed after
         * any part of it, as the plain calls */
        size_t kept = nb_text_kept_prefix(s, strlen(s));
        nb_kept kc = nb_text_kept_prefix_chars(s);
        ck_assert_uint_eq(kc.bytes, kept);
        ck_assert_uint_eq(kc.chars, nb_text_chars(s, kept));
        for (size_t step = 0; step <= kept; step += 1 + kept / 3) {
            size_t k = step;
            while (k && ((unsigned char)s[k] & 0xC0) == 0x80)
                k--; /* at a character's start, as callers give it */
            bool same_after;
            char *after = malloc(3 * strlen(s) + 5);
            ck_assert_ptr_nonnull(after);
            ck_assert_uint_eq(nb_text_compact_after(s, strlen(s), k, after, &same_after, NULL), strlen(c));
            ck_assert_str_eq(after, c);
            ck_assert_int_eq(same_after, same);
            free(after);
        }
        if (kept == strlen(s)) {
            ck_assert_str_eq(c, s);
            ck_assert_str_eq(f, s);
        }
        free(out);
        free(f);
        free(room);
        free(key);
        free(want);
        free(c);
        free(s);
    }
}
END_TEST

static Suite *tokens_suite(void)
{
    Suite *s = suite_create("recognise_tokens");
    TCase *tc = tcase_create("forms");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, forms_of_a_report_table);
    tcase_add_test(tc, forms_of_random_text);
    tcase_add_test(tc, kept_cells_have_the_plain_forms);
    tcase_add_test(tc, long_slices_outgrow_the_stack_buffer);
    tcase_add_test(tc, plain_row_cells_are_one_token);
    tcase_add_test(tc, cells_cut_in_place_equal_copies);
    tcase_add_test(tc, ideograph_cells_equal_copies);
    tcase_add_test(tc, key_forms_equal_the_reference);
    tcase_add_test(tc, walks_equal_the_plain_maps);
    tcase_add_test(tc, every_code_point_folds_as_specified);
    tcase_add_test(tc, ideograph_runs_fold_as_the_plain_path);
    tcase_add_test(tc, ordinals_equal_the_reference);
    tcase_add_test(tc, compact_walk_equals_the_reference);
    tcase_add_test(tc, last_full_stop_equals_forward_search);
    tcase_add_test(tc, glued_text_cut_at_numbers_and_ordinals);
    tcase_add_test(tc, uncut_glued_text_is_one_token);
    tcase_add_test(tc, bare_digits_outside_rows_as_glued);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(tokens_suite()); }
