/* test_recognise_units.c - the recogniser's units (recognise_units.c):
 * built in one pass per line, and the walks between compact and text
 * offsets, which answer without walking on a unit that is its own
 * compact form.  Both are checked against what they are defined by:
 * nb_text_compact and nb_text_compact_walk from the unit's start. */
#include "testutil.h"
#include "recognise_internal.h"
#include <stdlib.h>
#include <string.h>

static const char *const PIECES[] = {"a", "7", " ", "\t", "|", "中", "、", "。", "（", "１",
                                     "\xe3\x80\x80", "\"", "\n", "\n", "\xe2\x80\x9c", ""};

static char *random_text(unsigned *seed, size_t *len)
{
    char *s = malloc(400);
    size_t n = 0, want = tu_rand(seed) % 80;
    while (n < want) {
        const char *p = PIECES[tu_rand(seed) % (sizeof PIECES / sizeof *PIECES)];
        memcpy(s + n, p, strlen(p));
        n += strlen(p);
    }
    s[n] = '\0';
    *len = n;
    return s;
}

static size_t f_min(uint64_t bits) { return (size_t)__builtin_ctzll(bits); }

static bool blank(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return !*s;
}

START_TEST(units_match_their_cells)
{
    unsigned seed = 4242u + (unsigned)_i;
    for (int round = 0; round < 300; round++) {
        size_t len;
        char *text = random_text(&seed, &len);
        nb_doc *doc = nb_doc_new("u");
        ck_assert_int_eq(nb_doc_split_text(doc, text, len, NB_SPLIT_TABS | NB_SPLIT_PIPES), NB_OK);
        rc_doc d;
        ck_assert(rc_doc_build(&d, doc, NULL));
        size_t k = 0;
        for (size_t i = 0; i < nb_doc_line_count(doc); i++) {
            size_t filled = 0, n = nb_doc_cell_count(doc, i);
            for (size_t j = 0; j < n; j++)
                filled += !blank(nb_doc_cell(doc, i, j));
            bool row = nb_doc_line_kind(doc, i) == NB_LINE_ROW && (filled >= 2 || (filled == 1 && n >= 4));
            for (size_t j = 0; j < n; j++, k++) {
                const rc_unit *u = &d.u[k];
                const char *cell = nb_doc_cell(doc, i, j);
                char *compact = nb_text_compact(cell);
                ck_assert_ptr_eq(u->text, cell);
                ck_assert_uint_eq(u->len, strlen(cell));
                ck_assert_str_eq(u->compact, compact);
                ck_assert_uint_eq(u->compact_len, strlen(compact));
                /* its code points counted in the build's pass, or unknown
                 * (only when compact is a copy) */
                if (u->compact_chars != RC_CHARS_UNKNOWN)
                    ck_assert_uint_eq(u->compact_chars, nb_text_chars(compact, strlen(compact)));
                ck_assert(u->compact_chars != RC_CHARS_UNKNOWN || u->compact != u->text);
                ck_assert_uint_eq(nb_u8_count(compact, strlen(compact)), nb_text_chars(compact, strlen(compact)));
                ck_assert_int_eq(u->row, row);
                ck_assert_uint_eq(u->line, i);
                ck_assert_int_eq(u->cell, (int)j);
                ck_assert_int_eq(u->blank_line, nb_doc_line_kind(doc, i) == NB_LINE_TEXT && !*cell);
                free(compact);
            }
        }
        ck_assert_uint_eq(d.n, k);
        rc_doc_free(&d);
        nb_doc_free(doc);
        free(text);
    }
}
END_TEST

/* Every compact offset and every text offset of every unit, asked in
 * increasing order on one walk (resuming) and on a fresh one. */
START_TEST(walks_match_compact_walk)
{
    unsigned seed = 99u + (unsigned)_i;
    for (int round = 0; round < 200; round++) {
        size_t len;
        char *text = random_text(&seed, &len);
        nb_doc *doc = nb_doc_new("w");
        ck_assert_int_eq(nb_doc_split_text(doc, text, len, NB_SPLIT_TABS), NB_OK);
        rc_doc d;
        ck_assert(rc_doc_build(&d, doc, NULL));
        for (size_t ui = 0; ui < d.n; ui++) {
            const rc_unit *u = &d.u[ui];
            rc_walk along = {(size_t)-1, 0, 0};
            for (size_t co = 0; co <= u->compact_len + 1; co++) {
                size_t produced, want = nb_text_compact_walk(u->text, u->len, u->len, co, &produced);
                rc_walk fresh = {(size_t)-1, 0, 0};
                ck_assert_uint_eq(rc_walk_offset(&d, &fresh, ui, co), want);
                ck_assert_uint_eq(rc_walk_offset(&d, &along, ui, co), want);
            }
            along = (rc_walk){(size_t)-1, 0, 0};
            for (size_t off = 0; off <= u->len + 1; off++) {
                size_t want;
                nb_text_compact_walk(u->text, u->len, off, (size_t)-1, &want);
                rc_walk fresh = {(size_t)-1, 0, 0};
                ck_assert_uint_eq(rc_walk_compact_at(&d, &fresh, ui, off), want);
                ck_assert_uint_eq(rc_walk_compact_at(&d, &along, ui, off), want);
            }
        }
        rc_doc_free(&d);
        nb_doc_free(doc);
        free(text);
    }
}
END_TEST

/* Headings among rows of short cells (the cells the heading search
 * passes over without a look): numbered at a cell's start, glued to the
 * end of prose too long to be a heading, marked up, and alone on their
 * line, with short traps beside them (a numeral alone, a numeral and its
 * '.', digits); each found on its line, with its title. */
START_TEST(headings_among_short_cells)
{
    static const char TEXT[] = "2024年度报告\n"
                               "一\t一.\t1\t12\n"
                               "一、总体情况\n"
                               "7\t8\t二\t9\t二.\n"
                               "1\t本年度本机关认真贯彻落实条例的各项要求，做好各项工作，取得了明显的成效。"
                               "二、主动公开政府信息情况\n"
                               "3\t4\n"
                               "## 收到和处理政府信息公开申请情况\n"
                               "5\t6\t四、政府信息公开行政复议、行政诉讼情况\n"
                               "五、存在的主要问题及改进情况\t1\n"
                               "0\t六\t0\n"
                               "其他需要报告的事项\n"
                               "无\n";
    static const int LINE[6] = {3, 5, 7, 8, 9, 11};
    static const char *const TITLE[6] = {"总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                         "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况",
                                         "其他需要报告的事项"};
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    nb_doc *doc = nb_doc_new("h");
    ck_assert_int_eq(nb_doc_split_text(doc, TEXT, strlen(TEXT), NB_SPLIT_TABS | NB_SPLIT_MDHEAD), NB_OK);
    rc_doc d;
    const nb_template *tp = nb_templates_get(t, 0);
    ck_assert(rc_doc_build(&d, doc, &tp->lexicon));
    ck_assert(rc_find_sections(&d, tp));
    for (int i = 0; i < 6; i++) {
        ck_assert_msg(d.sec_found[i], "section %d not found", i + 1);
        ck_assert_int_eq(d.u[d.sec_start[i].unit].lineno, LINE[i]);
        ck_assert_str_eq(d.sec_title[i], TITLE[i]);
    }
    rc_doc_free(&d);
    nb_doc_free(doc);
}
END_TEST

/* Short cells the heading search passes over without a look (next_unit),
 * and traps it must look into: numerals and their '.' or 、 alone, a
 * numeral opening a longer cell, digits of every length around the
 * numbered heading's four bytes. */
static const tu_piece TRAPS[] = {TU_PIECE("1"),    TU_PIECE("12"),     TU_PIECE("123"),    TU_PIECE("1234"),
                                 TU_PIECE("12345"), TU_PIECE(""),       TU_PIECE("一"),     TU_PIECE("二."),
                                 TU_PIECE("三、"),  TU_PIECE("四、a"),  TU_PIECE("七、"),   TU_PIECE("六"),
                                 TU_PIECE("、"),    TU_PIECE("。"),     TU_PIECE("a"),      TU_PIECE("件"),
                                 TU_PIECE("五1"),   TU_PIECE("\xe3\x80\x80")};

/* The six headings, each written one of three ways: numbered at a line's
 * start, marked up (## text), glued numbered to the end of a row's long
 * prose cell. */
static void put_heading(nb_buf *b, int sec, const char *title, unsigned *seed)
{
    static const char *const NUM[6] = {"一", "二", "三", "四", "五", "六"};
    switch (tu_rand(seed) % 3) {
    case 0:
        nb_buf_adds(b, NUM[sec]);
        nb_buf_adds(b, tu_rand(seed) % 2 ? "、" : ".");
        break;
    case 1:
        nb_buf_adds(b, "## ");
        break;
    default:
        nb_buf_adds(b, "1\t本年度本机关认真贯彻落实条例的各项要求，做好各项工作。");
        nb_buf_adds(b, NUM[sec]);
        nb_buf_adds(b, "、");
    }
    nb_buf_adds(b, title);
    nb_buf_addc(b, '\n');
}

/* Headings among random rows of short cells and traps: each found on
 * the line it was put on, with its title. */
START_TEST(headings_among_random_short_cells)
{
    static const char *const TITLE[6] = {"总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                         "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况",
                                         "其他需要报告的事项"};
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    const nb_template *tp = nb_templates_get(t, 0);
    unsigned seed = 2718u + (unsigned)_i;
    for (int round = 0; round < 100; round++) {
        nb_buf b = {0};
        nb_buf_adds(&b, "2024年度报告\n");
        int line = 2, at[6];
        for (int sec = 0; sec < 6; sec++) {
            for (unsigned rows = tu_rand(&seed) % 4; rows; rows--, line++) {
                for (unsigned cells = 1 + tu_rand(&seed) % 6; cells; cells--) {
                    const tu_piece *p = &TRAPS[tu_rand(&seed) % (sizeof TRAPS / sizeof *TRAPS)];
                    nb_buf_add(&b, p->s, p->n);
                    nb_buf_addc(&b, cells > 1 ? '\t' : '\n');
                }
            }
            at[sec] = line++;
            put_heading(&b, sec, TITLE[sec], &seed);
        }
        nb_doc *doc = nb_doc_new("h");
        ck_assert_int_eq(nb_doc_split_text(doc, b.s, b.len, NB_SPLIT_TABS | NB_SPLIT_MDHEAD), NB_OK);
        rc_doc d;
        ck_assert(rc_doc_build(&d, doc, &tp->lexicon));
        ck_assert(rc_find_sections(&d, tp));
        for (int i = 0; i < 6; i++) {
            ck_assert_msg(d.sec_found[i], "section %d not found in:\n%s", i + 1, b.s);
            ck_assert_int_eq(d.u[d.sec_start[i].unit].lineno, at[i]);
            ck_assert_str_eq(d.sec_title[i], TITLE[i]);
        }
        rc_doc_free(&d);
        nb_doc_free(doc);
        nb_buf_free(&b);
    }
}
END_TEST

/* The heading search's forms, made at load: one per non-empty variant,
 * its compact form with its lengths and first code points, and the cell
 * lengths a whole heading can have. */
START_TEST(heading_forms_made_at_load)
{
    const nb_templates *t = tu_templates();
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    for (size_t k = 0; k < nb_templates_count(t); k++)
        for (int sec = 0; sec < 6; sec++) {
            const nb_section_def *sd = &nb_templates_get(t, k)->sections[sec];
            const struct rc_headings *h = sd->headings;
            ck_assert_ptr_nonnull(h);
            size_t n = 0;
            uint64_t whole = 0;
            for (size_t v = 0; v < sd->variants.n; v++) {
                const char *c = sd->variants.compact[v];
                if (!c || !*c)
                    continue;
                const heading_form *f = &h->v[n++];
                ck_assert_ptr_eq(f->text, c);
                ck_assert_uint_eq(f->len, strlen(c));
                ck_assert_uint_eq(f->chars, nb_text_chars(c, strlen(c)));
                uint32_t c0, c1 = 0;
                size_t step = nb_utf8_next(c, strlen(c), &c0);
                if (c[step])
                    nb_utf8_next(c + step, strlen(c + step), &c1);
                ck_assert(f->first[0] == c0 && f->first[1] == c1);
                if (f->chars < 64) { /* longer: any length may be one (whole all ones) */
                    ck_assert(h->whole >> f->chars & 1);
                    whole |= 1ull << f->chars;
                }
            }
            ck_assert_uint_eq(h->n, n);
            ck_assert(!whole || (h->whole_min <= f_min(whole) && h->whole_max >= 63 - (size_t)__builtin_clzll(whole)));
        }
}
END_TEST

/* rc_region_text as first written (strcmp for the clause ends, strlen
 * of the result), for the check below. */
static char *ref_region_text(const rc_doc *d, rc_pos a, rc_pos b)
{
    nb_buf out = {0};
    nb_buf_adds(&out, "");
    size_t last_line = (size_t)-1;
    for (size_t ui = a.unit; ui < d->n && ui <= b.unit; ui++) {
        const rc_unit *u = &d->u[ui];
        size_t s = ui == a.unit ? a.off : 0, e = ui == b.unit ? b.off : u->len;
        if (e <= s && !u->blank_line)
            continue;
        if (last_line != (size_t)-1 && u->line != last_line && out.len) {
            const char *end = out.s + out.len;
            bool sentence = out.len >= 3 && (strcmp(end - 3, "。") == 0 || strcmp(end - 3, "：") == 0 ||
                                              strcmp(end - 3, "；") == 0);
            if ((u->blank_line || sentence || u->heading) && out.s[out.len - 1] != '\n')
                nb_buf_addc(&out, '\n');
        } else if (u->line == last_line && out.len)
            nb_buf_addc(&out, ' ');
        last_line = u->line;
        while (s < e && (u->text[s] == ' ' || u->text[s] == '\t'))
            s++;
        while (e > s && (u->text[e - 1] == ' ' || u->text[e - 1] == '\t'))
            e--;
        if (e > s)
            nb_buf_add(&out, u->text + s, e - s);
    }
    char *t = nb_buf_steal(&out);
    size_t n = strlen(t), st = 0;
    while (st < n && (t[st] == '\n' || t[st] == ' '))
        st++;
    while (n > st && (t[n - 1] == '\n' || t[n - 1] == ' '))
        n--;
    memmove(t, t + st, n - st);
    t[n - st] = '\0';
    return t;
}

/* The text of regions of random documents (clause ends 。 ： ； and near
 * misses of their bytes, blank lines, headings): as the first version
 * joined it. */
START_TEST(region_text_as_first_joined)
{
    static const char *const P[] = {"a", "7", " ", "\t", "中", "。", "：", "；", "、", "\xef\xbc\x9c", "\n", "\n",
                                    "\n# 标题\n", "\xe3\x80\x83", ","};
    unsigned seed = 31337u + (unsigned)_i;
    for (int round = 0; round < 300; round++) {
        nb_buf b = {0};
        size_t want = tu_rand(&seed) % 60;
        for (size_t k = 0; k < want; k++)
            nb_buf_adds(&b, P[tu_rand(&seed) % (sizeof P / sizeof *P)]);
        size_t len = b.len;
        char *text = len ? nb_buf_steal(&b) : (nb_buf_free(&b), strdup(""));
        nb_doc *doc = nb_doc_new("r");
        ck_assert_int_eq(nb_doc_split_text(doc, text, len, NB_SPLIT_TABS | NB_SPLIT_MDHEAD), NB_OK);
        rc_doc d;
        ck_assert(rc_doc_build(&d, doc, NULL));
        for (int q = 0; q < 4 && d.n; q++) {
            size_t ua = tu_rand(&seed) % d.n, ub = ua + tu_rand(&seed) % (d.n - ua);
            rc_pos a = {ua, q % 2 ? tu_rand(&seed) % (d.u[ua].len + 1) : 0};
            rc_pos z = {q == 3 ? d.n : ub, q == 3 ? 0 : d.u[ub].len};
            char *got = rc_region_text(&d, a, z), *want_t = ref_region_text(&d, a, z);
            ck_assert_str_eq(got, want_t);
            free(got);
            free(want_t);
        }
        rc_doc_free(&d);
        nb_doc_free(doc);
        free(text);
    }
}
END_TEST

static Suite *units_suite(void)
{
    Suite *s = suite_create("recognise_units");
    TCase *tc = tcase_create("units");
    tcase_add_loop_test(tc, units_match_their_cells, 0, 8);
    tcase_add_loop_test(tc, walks_match_compact_walk, 0, 8);
    tcase_add_test(tc, headings_among_short_cells);
    tcase_add_loop_test(tc, headings_among_random_short_cells, 0, 4);
    tcase_add_test(tc, heading_forms_made_at_load);
    tcase_add_loop_test(tc, region_text_as_first_joined, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(units_suite()); }
