/* test_doc_split.c - nb_doc_split_text cuts cells in its own copy of the
 * text (doc.c): its lines and cells must be those of a plain splitter
 * that copies every cell, the caller's text must stay as it was, and the
 * cells must outlive it.  Random texts over the bytes that matter (tab,
 * pipe, hash, dash, colon, blanks, CR, NUL, LF, an ideograph, the
 * ideographic and no-break spaces, emphasis stars and underscores) under
 * every combination of flags. */
#include "testutil.h"
#include "nianbao/doc.h"
#include "nianbao/recognise.h"
#include "nianbao/stream.h"
#include "text_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line of the reference: kind, level and its cells (copies). */
typedef struct ref_line {
    nb_line_kind kind;
    int level, lineno;
    char *cells[160];
    size_t n;
} ref_line;

static char *cut(const char *s, size_t len)
{
    const char *nul = memchr(s, '\0', len);
    return nb_strndup(s, nul ? (size_t)(nul - s) : len);
}

static bool blank(char c) { return c == ' ' || c == '\t'; }

/* The line's cells split on sep, each cut at a NUL; trim: blanks off both ends. */
static void ref_split(ref_line *l, const char *s, size_t len, char sep, bool trim)
{
    size_t start = 0;
    for (;;) {
        size_t end = start;
        while (end < len && s[end] != sep)
            end++;
        const char *nul = memchr(s + start, '\0', end - start);
        size_t a = start, b = nul ? (size_t)(nul - s) : end; /* cut at a NUL, then trimmed */
        if (trim) {
            while (a < b && blank(s[a]))
                a++;
            while (b > a && blank(s[b - 1]))
                b--;
        }
        ck_assert_uint_lt(l->n, sizeof l->cells / sizeof *l->cells);
        l->cells[l->n++] = nb_strndup(s + a, b - a);
        if (end == len)
            return;
        start = end + 1;
    }
}

static bool ref_rule(const ref_line *l)
{
    for (size_t i = 0; i < l->n; i++) {
        bool dash = false;
        for (const char *c = l->cells[i]; *c; c++)
            if (*c == '-')
                dash = true;
            else if (*c != ':' && *c != ' ')
                return false;
        if (*l->cells[i] && !dash)
            return false;
    }
    return true;
}

/* The blanks markup may come after: spaces, tabs, the ideographic space
 * U+3000 and the no-break space U+00A0. */
static size_t ref_lead(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (blank(s[i]))
            i++;
        else if (len - i >= 3 && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
            i += 3;
        else if (len - i >= 2 && memcmp(s + i, "\xC2\xA0", 2) == 0)
            i += 2;
        else
            break;
    }
    return i;
}

/* Markdown emphasis as doc.c drops it, in place: runs of two or three *
 * (or _) when that byte's runs so long are even in number; then the
 * trailing blanks, when a run was dropped. */
static void ref_plain(char *c)
{
    size_t len = strlen(c), runs[2] = {0, 0}, o = 0;
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < len;) {
            size_t j = i;
            while (j < len && (c[i] == '*' || c[i] == '_') && c[j] == c[i])
                j++;
            if (j == i) {
                if (pass)
                    c[o++] = c[i];
                i++;
                continue;
            }
            bool delim = j - i >= 2 && j - i <= 3;
            if (!pass)
                runs[c[i] == '_'] += delim;
            else if (!delim || runs[c[i] == '_'] % 2)
                while (i < j)
                    c[o++] = c[i++];
            i = j;
        }
    bool dropped = o < len;
    while (dropped && o && blank(c[o - 1]))
        o--;
    c[o] = '\0';
}

/* false: the line is dropped (a markdown |---| rule). */
static bool ref_line_of(ref_line *l, const char *s, size_t len, unsigned flags)
{
    size_t lead = ref_lead(s, len);
    l->n = 0;
    l->level = 0;
    if ((flags & NB_SPLIT_MDHEAD) && lead < len && s[lead] == '#') {
        size_t h = lead;
        while (h < len && s[h] == '#')
            h++;
        if (h - lead <= 6 && (h == len || blank(s[h]))) {
            l->level = (int)(h - lead); /* the hashes alone */
            while (h < len && blank(s[h]))
                h++;
            l->kind = NB_LINE_HEADING;
            l->cells[l->n++] = cut(s + h, len - h);
            ref_plain(l->cells[0]);
            return true;
        }
    }
    if ((flags & NB_SPLIT_PIPES) && lead < len && s[lead] == '|') {
        while (len && blank(s[len - 1]))
            len--;
        s += lead;
        len -= lead;
        if (len && *s == '|') {
            s++;
            len--;
        }
        if (len && s[len - 1] == '|')
            len--;
        l->kind = NB_LINE_ROW;
        ref_split(l, s, len, '|', true);
        if (ref_rule(l))
            return false;
        for (size_t i = 0; i < l->n; i++)
            ref_plain(l->cells[i]);
        return true;
    }
    if ((flags & NB_SPLIT_TABS) && memchr(s, '\t', len)) {
        l->kind = NB_LINE_ROW;
        ref_split(l, s, len, '\t', false);
        return true;
    }
    l->kind = NB_LINE_TEXT;
    l->cells[l->n++] = cut(s, len);
    if (flags & NB_SPLIT_MDHEAD)
        ref_plain(l->cells[0]);
    return true;
}

static void ref_free(ref_line *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->cells[i]);
    l->n = 0;
}

/* The document's lines against the reference's, one by one; returns
 * how many there were. */
static size_t check_doc(const nb_doc *d, const char *text, size_t len, unsigned flags)
{
    size_t at = 0, i = 0;
    int lineno = 1;
    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        ref_line l;
        if (ref_line_of(&l, text + at, end - at, flags)) {
            ck_assert_uint_lt(i, nb_doc_line_count(d));
            ck_assert_int_eq(nb_doc_line_kind(d, i), l.kind);
            ck_assert_int_eq(nb_doc_line_level(d, i), l.level);
            ck_assert_int_eq(nb_doc_line_number(d, i), lineno);
            ck_assert_uint_eq(nb_doc_cell_count(d, i), l.n);
            for (size_t j = 0; j < l.n; j++)
                ck_assert_str_eq(nb_doc_cell(d, i, j), l.cells[j]);
            i++;
        }
        ref_free(&l);
        lineno++;
        at = end + 1;
    }
    return i;
}

static const char *const PIECES[] = {"a", "7", "\t", "|", "#", "-", ":", " ", "\r", "\n", "\n", "中", "\0",
                                     "\xE3\x80\x80" /* U+3000 */, "\xC2\xA0" /* U+00A0 */, "**", "*", "_",
                                     "__"};

START_TEST(split_matches_copying_splitter)
{
    unsigned seed = 12345u + (unsigned)_i;
    for (int round = 0; round < 400; round++) {
        char text[200];
        size_t len = 0, want = tu_rand(&seed) % 60;
        while (len < want) {
            size_t k = tu_rand(&seed) % (sizeof PIECES / sizeof *PIECES);
            size_t n = k == 12 ? 1 : strlen(PIECES[k]);
            memcpy(text + len, PIECES[k], n);
            len += n;
        }
        unsigned flags = tu_rand(&seed) % 16;
        char *mine = malloc(len + 1), *before = malloc(len + 1);
        memcpy(mine, text, len);
        memcpy(before, text, len);
        nb_doc *d = nb_doc_new("t");
        ck_assert_int_eq(nb_doc_split_text(d, mine, len, flags), NB_OK);
        ck_assert(memcmp(mine, before, len) == 0); /* the caller's text is left alone */
        memset(mine, 'x', len);                     /* cells are the document's own */
        free(mine);
        ck_assert_uint_eq(check_doc(d, before, len, flags), nb_doc_line_count(d));
        nb_doc_free(d);
        free(before);
    }
}
END_TEST

/* Texts with no NUL: rows are cut by the word-at-a-time tab search
 * (find_tabs), over cells of every length and tabs at every byte of a
 * word; long lines cross many words. */
START_TEST(split_without_nul_matches)
{
    unsigned seed = 777u + (unsigned)_i;
    for (int round = 0; round < 400; round++) {
        char text[200];
        size_t len = 0, want = tu_rand(&seed) % 180;
        while (len < want) {
            size_t k = tu_rand(&seed) % (sizeof PIECES / sizeof *PIECES - 1); /* no "\0" */
            if (k == 9 && tu_rand(&seed) % 4)
                k = 0; /* fewer line ends: longer rows */
            size_t n = strlen(PIECES[k]);
            memcpy(text + len, PIECES[k], n);
            len += n;
        }
        unsigned flags = NB_SPLIT_TABS | (tu_rand(&seed) % 16);
        nb_doc *d = nb_doc_new("t");
        ck_assert_int_eq(nb_doc_split_text(d, text, len, flags), NB_OK);
        ck_assert_uint_eq(check_doc(d, text, len, flags), nb_doc_line_count(d));
        nb_doc_free(d);
    }
}
END_TEST

/* Rows of more cells than the fast cut takes (64) and of exactly as many:
 * every cell in its place either way. */
START_TEST(split_rows_of_many_cells)
{
    for (size_t cells = 60; cells <= 70; cells++) {
        char text[1024];
        size_t len = 0;
        for (size_t j = 0; j < cells; j++)
            len += (size_t)sprintf(text + len, "%s%zu", j ? "\t" : "", j);
        text[len++] = '\n';
        nb_doc *d = nb_doc_new("t");
        ck_assert_int_eq(nb_doc_split_text(d, text, len, NB_SPLIT_TABS), NB_OK);
        ck_assert_uint_eq(nb_doc_line_count(d), 1);
        ck_assert_uint_eq(nb_doc_cell_count(d, 0), cells);
        for (size_t j = 0; j < cells; j++) {
            char want[16];
            sprintf(want, "%zu", j);
            ck_assert_str_eq(nb_doc_cell(d, 0, j), want);
        }
        nb_doc_free(d);
    }
}
END_TEST

/* Pipe rows of more cells than a row's list holds on the stack (32) and
 * than its first growth (64), cells among random blanks and tabs, some
 * empty, each followed by its |---| rule (dropped): every cell in its
 * place after the list moves to the heap and grows there. */
START_TEST(split_pipe_rows_of_many_cells)
{
    static const char *const BLANKS[] = {"", " ", "\t", "  ", " \t "};
    unsigned seed = 4242u + (unsigned)_i;
    for (size_t cells = 28; cells <= 140; cells += 1 + tu_rand(&seed) % 9) {
        char text[4096];
        size_t len = 0;
        for (int rule = 0; rule < 2; rule++) {
            len += (size_t)sprintf(text + len, "%.*s|", (int)(tu_rand(&seed) % 3), "  "); /* a row: spaces lead */
            for (size_t j = 0; j < cells; j++) {
                const char *a = BLANKS[tu_rand(&seed) % 5], *b = BLANKS[tu_rand(&seed) % 5];
                if (rule)
                    len += (size_t)sprintf(text + len, "%s%s%s|", a, j % 3 ? "---" : ":-:", b);
                else if (tu_rand(&seed) % 6)
                    len += (size_t)sprintf(text + len, "%s\xe4\xb8\xad%zu%s|", a, j, b);
                else
                    len += (size_t)sprintf(text + len, "%s|", a); /* an empty cell */
            }
            text[len++] = '\n';
        }
        unsigned flags = NB_SPLIT_PIPES | (tu_rand(&seed) % 2 ? NB_SPLIT_TABS | NB_SPLIT_MDHEAD : 0);
        nb_doc *d = nb_doc_new("t");
        ck_assert_int_eq(nb_doc_split_text(d, text, len, flags), NB_OK);
        ck_assert_uint_eq(nb_doc_line_count(d), 1); /* the rule is dropped */
        ck_assert_uint_eq(nb_doc_cell_count(d, 0), cells);
        ck_assert_uint_eq(check_doc(d, text, len, flags), 1);
        nb_doc_free(d);
    }
}
END_TEST

/* A text long enough for a chunk of its own, then lines added by hand:
 * both kinds of cell live side by side. */
START_TEST(long_text_then_added_lines)
{
    size_t len = 50000;
    char *text = malloc(len);
    for (size_t i = 0; i < len; i++)
        text[i] = i % 97 == 96 ? '\n' : i % 13 == 12 ? '\t' : (char)('a' + i % 26);
    nb_doc *d = nb_doc_new("long");
    ck_assert_int_eq(nb_doc_split_text(d, text, len, NB_SPLIT_TABS), NB_OK);
    const char *cells[] = {"x", "", "yz"};
    ck_assert_int_eq(nb_doc_add(d, NB_LINE_ROW, 0, 9999, cells, 3), NB_OK);
    size_t last = check_doc(d, text, len, NB_SPLIT_TABS); /* the split lines come first */
    free(text);
    ck_assert_uint_eq(nb_doc_line_count(d), last + 1);
    ck_assert_str_eq(nb_doc_cell(d, last, 2), "yz");
    nb_doc_free(d);
}
END_TEST

/* Lines added by hand (nb_doc_add: each cell copied into a block of its
 * own as its length is found; nb_doc_add_text: one cell cut at a NUL),
 * many and long cells among them (past a chunk's quarter): each cell
 * reads back as it was given (NULL: empty) after the caller's copies are
 * gone. */
START_TEST(added_lines_keep_their_cells)
{
    unsigned seed = 515u + (unsigned)_i;
    nb_doc *d = nb_doc_new("added");
    size_t nlines = 60, want_n[60];
    char **want[60];
    for (size_t i = 0; i < nlines; i++) {
        size_t n = tu_rand(&seed) % 50;
        char **cells = calloc(n ? n : 1, sizeof *cells);
        want[i] = calloc(n ? n : 1, sizeof *want[i]);
        for (size_t j = 0; j < n; j++) {
            unsigned r = tu_rand(&seed);
            size_t len = r % 5 == 0 ? 4000 + r % 9000 : r % 23;
            if (r % 11 == 0)
                continue; /* a NULL cell */
            cells[j] = malloc(len + 1);
            for (size_t k = 0; k < len; k++)
                cells[j][k] = (char)('a' + (k + j) % 26);
            cells[j][len] = '\0';
            want[i][j] = strdup(cells[j]);
        }
        want_n[i] = n;
        if (i % 7 == 3) { /* a text line: its bytes up to a NUL */
            const char text[] = "abc\0def";
            ck_assert_int_eq(nb_doc_add_text(d, NB_LINE_TEXT, 0, (int)i, text, sizeof text - 1), NB_OK);
            want_n[i] = 1;
            for (size_t j = 0; j < n; j++)
                free(want[i][j]);
            want[i][0] = strdup("abc");
        } else
            ck_assert_int_eq(nb_doc_add(d, NB_LINE_ROW, 2, (int)i, (const char *const *)cells, n), NB_OK);
        for (size_t j = 0; j < n; j++)
            free(cells[j]);
        free(cells);
    }
    ck_assert_uint_eq(nb_doc_line_count(d), nlines);
    for (size_t i = 0; i < nlines; i++) {
        ck_assert_uint_eq(nb_doc_cell_count(d, i), want_n[i]);
        ck_assert_int_eq(nb_doc_line_number(d, i), (int)i);
        for (size_t j = 0; j < want_n[i]; j++) {
            ck_assert_str_eq(nb_doc_cell(d, i, j), want[i][j] ? want[i][j] : "");
            free(want[i][j]);
        }
        free(want[i]);
    }
    nb_doc_free(d);
}
END_TEST

/* A markdown heading's level is its number of hashes, whatever blanks
 * follow them; seven hashes, or none followed by a blank, are no heading. */
START_TEST(markdown_heading_levels)
{
    static const char text[] = "# a\n##   b\n###\tc\n####### d\n#e\n######\n";
    static const struct {
        nb_line_kind kind;
        int level;
    } want[] = {{NB_LINE_HEADING, 1}, {NB_LINE_HEADING, 2}, {NB_LINE_HEADING, 3},
                {NB_LINE_TEXT, 0},    {NB_LINE_TEXT, 0},    {NB_LINE_HEADING, 6}};
    nb_doc *d = nb_doc_new("t.md");
    ck_assert_int_eq(nb_doc_split_text(d, text, sizeof text - 1, NB_SPLIT_MDHEAD), NB_OK);
    ck_assert_uint_eq(nb_doc_line_count(d), sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        ck_assert_int_eq(nb_doc_line_kind(d, i), want[i].kind);
        ck_assert_int_eq(nb_doc_line_level(d, i), want[i].level);
    }
    nb_doc_free(d);
}
END_TEST

/* A document holds at most 262 144 lines and as many cells, far more than
 * a report has: lines past that are dropped however they come (split
 * text, nb_doc_add, nb_doc_add_text) while the calls still succeed, and
 * the recogniser refuses the document with its reason instead of
 * building some 300 bytes a cell. */
START_TEST(document_stops_at_its_limit)
{
    const size_t cap = 262144;
    size_t len = 2 * (cap + 1000);
    char *text = malloc(len);
    for (size_t i = 0; i < len; i += 2)
        text[i] = '7', text[i + 1] = '\n';
    nb_doc *d = nb_doc_new("many");
    ck_assert_int_eq(nb_doc_split_text(d, text, len, 0), NB_OK);
    ck_assert_uint_eq(nb_doc_line_count(d), cap);
    const char *cells[] = {"1", "2"};
    ck_assert_int_eq(nb_doc_add(d, NB_LINE_ROW, 0, 1, cells, 2), NB_OK);
    ck_assert_int_eq(nb_doc_add_text(d, NB_LINE_TEXT, 0, 2, "x", 1), NB_OK);
    ck_assert_uint_eq(nb_doc_line_count(d), cap);
    nb_error err;
    nb_error_clear(&err);
    ck_assert_ptr_null(nb_recognise(tu_templates(), d, &err));
    ck_assert_msg(strstr(err.text, "far more than a report has") != NULL, "%s", err.text);
    nb_doc_free(d);

    /* cells count too: rows of many cells stop at the same number */
    d = nb_doc_new("wide");
    char *row[1000];
    for (size_t i = 0; i < 1000; i++)
        row[i] = "0";
    size_t added = 0;
    for (size_t i = 0; i < cap / 1000 + 5; i++) {
        ck_assert_int_eq(nb_doc_add(d, NB_LINE_ROW, 0, (int)i, (const char *const *)row, 1000), NB_OK);
        added += nb_doc_line_count(d) > i;
    }
    ck_assert_uint_eq(added, cap / 1000);
    nb_error_clear(&err);
    ck_assert_ptr_null(nb_recognise(tu_templates(), d, &err));
    nb_doc_free(d);

    /* just under the limit: kept whole, and read (no report in it, but not
     * refused for its size) */
    d = nb_doc_new("under");
    ck_assert_int_eq(nb_doc_split_text(d, text, 2 * (cap - 1), 0), NB_OK);
    ck_assert_uint_eq(nb_doc_line_count(d), cap - 1);
    nb_error_clear(&err);
    ck_assert_ptr_null(nb_recognise(tu_templates(), d, &err));
    ck_assert_msg(strstr(err.text, "far more than") == NULL, "%s", err.text);
    nb_doc_free(d);
    free(text);
}
END_TEST

/* Zero-width spaces and joiners, word joiners, BOMs and soft hyphens are
 * taken out of what every reader hands in (nb_doc_add, nb_doc_add_text)
 * and out of a text document (nb_doc_read_stream), and HTML's space
 * entities become spaces;
 * anything else, a cut sequence or an entity without its ';' among
 * them, stays. */
START_TEST(text_cleaned)
{
    static const struct { const char *in, *out; } v[] = {
        {"2\xE2\x80\x8B" "5", "25"},                         /* U+200B */
        {"\xE2\x80\x8C\xE2\x80\x8D" "a\xE2\x81\xA0" "b", "ab"}, /* U+200C U+200D U+2060 */
        {"\xEF\xBB\xBF" "x\xC2\xAD" "y\xEF\xBB\xBF", "xy"},   /* U+FEFF, soft hyphen */
        {"\xE2\x80\x9C" "q\xE2\x80\x9D\xEF\xBC\x8C\xC2\xA0", "\xE2\x80\x9C" "q\xE2\x80\x9D\xEF\xBC\x8C\xC2\xA0"},
        {"7\xE2\x80", "7\xE2\x80"},                          /* cut: not a character */
        {"0&nbsp;", "0 "},
        {"&NBSP;1&#160;2&#x3000;3&emsp;&thinsp;", " 1 2 3  "},
        {"a&amp;nbsp;b&nbsp", "a&amp;nbsp;b&nbsp"},           /* escaped, or no ';': text */
        {"", ""},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char buf[64];
        size_t n = strlen(v[i].in);
        memcpy(buf, v[i].in, n + 1);
        ck_assert_uint_eq(nb_text_clean(buf, n), strlen(v[i].out));
        ck_assert_str_eq(buf, v[i].out);
        nb_doc *d = nb_doc_new("t");
        const char *cells[2] = {v[i].in, "1\xE2\x80\x8B" "2"};
        ck_assert_int_eq(nb_doc_add(d, NB_LINE_ROW, 0, 1, cells, 2), NB_OK);
        ck_assert_int_eq(nb_doc_add_text(d, NB_LINE_TEXT, 0, 2, v[i].in, n), NB_OK);
        ck_assert_str_eq(nb_doc_cell(d, 0, 0), v[i].out);
        ck_assert_str_eq(nb_doc_cell(d, 0, 1), "12");
        ck_assert_str_eq(nb_doc_cell(d, 1, 0), v[i].out);
        nb_doc_free(d);
        if (strcmp(v[i].in, "7\xE2\x80") == 0 || !n)
            continue; /* not UTF-8 (read as GB18030), or nothing to read */
        nb_stream *in = nb_stream_from_memory("t.txt", v[i].in, n);
        nb_error err;
        ck_assert_int_eq(nb_doc_read_stream(in, NB_SPLIT_TABS, &d, &err), NB_OK);
        ck_assert_str_eq(nb_doc_cell(d, 0, 0), v[i].out);
        nb_doc_free(d);
        nb_stream_free(in);
    }
}
END_TEST

static Suite *doc_split_suite(void)
{
    Suite *s = suite_create("doc_split");
    TCase *tc = tcase_create("split");
    tcase_add_loop_test(tc, split_matches_copying_splitter, 0, 16);
    tcase_add_loop_test(tc, added_lines_keep_their_cells, 0, 4);
    tcase_add_loop_test(tc, split_without_nul_matches, 0, 8);
    tcase_add_test(tc, split_rows_of_many_cells);
    tcase_add_loop_test(tc, split_pipe_rows_of_many_cells, 0, 4);
    tcase_add_test(tc, long_text_then_added_lines);
    tcase_add_test(tc, markdown_heading_levels);
    tcase_add_test(tc, document_stops_at_its_limit);
    tcase_add_test(tc, text_cleaned);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(doc_split_suite()); }
