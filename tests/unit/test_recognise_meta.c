/* test_recognise_meta.c - the title/date reader's helpers
 * (recognise_meta.c): rc_ascii_copy copies runs of bytes instead of
 * decoding every character, and must write what the character-by-character
 * copy wrote on any bytes, valid UTF-8 or not; the publication date is
 * found on the preamble's text before any copy is made; dates are read
 * without sscanf, exactly as sscanf read them. */
#include "testutil.h"
#include "recognise_internal.h"
#include "report_internal.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The copy as it was written before: one decoded character at a time. */
static char *ref_ascii_copy(const char *s, bool squeeze)
{
    size_t len = strlen(s), o = 0;
    char *out = malloc(len + 1);
    for (size_t i = 0; out && i < len;) {
        uint32_t c;
        size_t n = nb_utf8_next(s + i, len - i, &c);
        if ((c >= 0xFF10 && c <= 0xFF19) || c == 0xFF0D || c == 0xFF0E || c == 0xFF0F)
            out[o++] = (char)(c - 0xFEE0);
        else if (!squeeze || !(c == ' ' || c == '\t' || c == 0xA0 || c == 0x3000 || c == '\f' || c == '\r')) {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    if (out)
        out[o] = '\0';
    return out;
}

/* Pieces: what the copy changes, near misses of them, broken sequences. */
static const char *const PIECES[] = {
    "a", "7", " ", "\t", "\f", "\r", "\n", "-", "年",
    "\xef\xbc\x90", "\xef\xbc\x99", "\xef\xbc\x8d", "\xef\xbc\x8f", /* ０ ９ － ／ */
    "\xef\xbc\x8c", "\xef\xbc\x9a", "\xef\xbd\x90",                 /* ， ： ｐ: kept */
    "\xc2\xa0", "\xe3\x80\x80", "\xe3\x80\x81",                     /* NBSP, U+3000, 、 */
    "\xef", "\xef\xbc", "\xbc", "\x90", "\xc2", "\xe3\x80", "\xe4", "\xf0\x9f\x98\x80", "\xff"};

START_TEST(ascii_copy_matches_decoding_copy)
{
    unsigned seed = 777u + (unsigned)_i;
    for (int round = 0; round < 2000; round++) {
        char s[160];
        /* up to some 150 bytes: runs of sixteen and more between changes too */
        size_t len = 0, want = tu_rand(&seed) % (round % 2 ? 40 : 150);
        while (len < want) {
            /* the long rounds mostly plain bytes (a 7 \n - 年): changes far apart */
            static const int plain[] = {0, 1, 6, 7, 8};
            unsigned r = tu_rand(&seed);
            const char *p = round % 2 == 0 && r % 8 ? PIECES[plain[r / 8 % 5]]
                                                   : PIECES[r % (sizeof PIECES / sizeof *PIECES)];
            memcpy(s + len, p, strlen(p));
            len += strlen(p);
        }
        s[len] = '\0';
        for (int sq = 0; sq < 2; sq++) {
            char *got = rc_ascii_copy(s, sq), *want_s = ref_ascii_copy(s, sq);
            ck_assert_str_eq(got, want_s);
            free(got);
            free(want_s);
        }
    }
}
END_TEST

START_TEST(ascii_copy_examples)
{
    char *c = rc_ascii_copy("２０２４－０１－２６ 11:11", false);
    ck_assert_str_eq(c, "2024-01-26 11:11");
    free(c);
    c = rc_ascii_copy("ＸＸ局\xe3\x80\x80 ２０２３年\xc2\xa0报告", true);
    ck_assert_str_eq(c, "ＸＸ局2023年报告");
    free(c);
}
END_TEST

/* The date label is found on the preamble's own text; the date itself is
 * read from the copy (full-width digits). */
START_TEST(published_date_from_labelled_line)
{
    const char *text = "XX市XX局2023年政府信息公开工作年度报告\n"
                       "来源：XX局\n"
                       "发布日期：２０２４年１月２６日\n"
                       "一、总体情况\n本年度工作有序开展。\n"
                       "二、主动公开政府信息情况\n";
    nb_error err;
    nb_error_clear(&err);
    nb_report *r = tu_recognise_text(text, &err);
    ck_assert_msg(r != NULL, "%s", err.text);
    ck_assert_pstr_eq(r->published, "2024-01-26");
    ck_assert_int_eq(r->year, 2023);
    nb_report_free(r);
}
END_TEST

/* text (freed here) reads with this title, agency (NULL: any) and year. */
static void expect_meta(char *text, const char *title, const char *agency, int year)
{
    nb_error err;
    nb_error_clear(&err);
    nb_report *r = tu_recognise_text(text, &err);
    free(text);
    ck_assert_msg(r != NULL, "%s", err.text);
    ck_assert_pstr_eq(r->title, title);
    ck_assert_int_eq(r->year, year);
    if (agency)
        ck_assert_pstr_eq(r->agency, agency);
    nb_report_free(r);
}

/* A title over two lines in a double-spaced copy (a blank line after every
 * line) is one title; a site's "信息公开" line over the title is not part
 * of it, across a blank line or not. */
START_TEST(title_over_lines_of_a_double_spaced_copy)
{
    static const struct {
        const char *head, *title, *agency;
        int year;
    } CASES[] = {
        {"2024 年东湖区统计局政府信息公开工作\n\n年度报告\n\n", "2024年东湖区统计局政府信息公开工作年度报告", NULL, 2024},
        {"东湖区统计局2023年政府信息公开\n\n工作年度报告\n\n", "东湖区统计局2023年政府信息公开工作年度报告", "东湖区统计局",
         2023},
        {"东湖区政府信息公开\n\n东湖区统计局2022年政府信息公开工作年度报告\n\n",
         "东湖区统计局2022年政府信息公开工作年度报告", "东湖区统计局", 2022},
        {"东湖区政府信息公开\n东湖区统计局2022年政府信息公开工作年度报告\n",
         "东湖区统计局2022年政府信息公开工作年度报告", "东湖区统计局", 2022},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char *text = nb_strfmt("%s根据条例编制本报告，报告全文包括总体情况、主动公开政府信息情况等六部分。\n\n"
                               "一、总体情况\n\n本年度工作有序开展。\n\n二、主动公开政府信息情况\n\n"
                               "六、其他需要报告的事项\n\n无。\n",
                               CASES[i].head);
        expect_meta(text, CASES[i].title, CASES[i].agency, CASES[i].year);
    }
}
END_TEST

/* Titles as agencies print them: the agency and year read from each, the
 * title kept as printed but for book title marks around it. */
START_TEST(title_forms_give_agency_and_year)
{
    static const struct {
        const char *line, *title, *agency;
        int year;
    } CASES[] = {
        {"东湖区统计局2023年政府信息公开工作年度报告", "东湖区统计局2023年政府信息公开工作年度报告", "东湖区统计局", 2023},
        {"关于东湖区统计局2023年政府信息公开工作年度报告", "关于东湖区统计局2023年政府信息公开工作年度报告", "东湖区统计局",
         2023},
        {"东湖区统计局政府信息公开工作2023年度报告", "东湖区统计局政府信息公开工作2023年度报告", "东湖区统计局", 2023},
        {"东湖区统计局政务公开工作2022年度报告", "东湖区统计局政务公开工作2022年度报告", "东湖区统计局", 2022},
        {"《东湖区统计局2023年政府信息公开工作年度报告》", "东湖区统计局2023年政府信息公开工作年度报告", "东湖区统计局", 2023},
        {"2023年度东湖区统计局政府信息公开工作年度报告", "2023年度东湖区统计局政府信息公开工作年度报告", "东湖区统计局", 2023},
        /* an agency whose name holds the subject: its name is kept whole */
        {"东湖区政府信息公开办公室2021年政府信息公开工作年度报告", "东湖区政府信息公开办公室2021年政府信息公开工作年度报告",
         "东湖区政府信息公开办公室", 2021},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        char *text = nb_strfmt("%s\n一、总体情况\n本年度工作有序开展。\n二、主动公开政府信息情况\n"
                               "六、其他需要报告的事项\n无。\n",
                               CASES[i].line);
        expect_meta(text, CASES[i].title, CASES[i].agency, CASES[i].year);
    }
}
END_TEST

/* The date reader as it was, on sscanf and snprintf (the reference). */
static int ref_cn_digit(const nb_lexicon *lex, const char *s, size_t *n)
{
    if ((*n = nb_words_prefix(&lex->year_zeros, s)))
        return 0;
    long i = nb_words_prefix_index(&lex->numerals, s);
    if (i < 0 || i > 8)
        return -1;
    *n = strlen(lex->numerals.v[i]);
    return (int)i + 1;
}

static int ref_cn_small(const nb_lexicon *lex, const char *s, size_t *used)
{
    size_t n, off = 0;
    int v = 0, d;
    if ((d = ref_cn_digit(lex, s, &n)) > 0) {
        v = d;
        off = n;
    }
    const char *ten = lex->numerals.v[9];
    if (strncmp(s + off, ten, strlen(ten)) == 0) {
        v = (v ? v : 1) * 10;
        off += strlen(ten);
        if ((d = ref_cn_digit(lex, s + off, &n)) > 0) {
            v += d;
            off += n;
        }
    }
    *used = off;
    return off ? v : -1;
}

static bool ref_parse_date_in(const nb_lexicon *lex, const char *s, char out[32])
{
    for (const char *p = s; *p; p++) {
        int y = 0, m, dd;
        const char *q = p;
        if (isdigit((unsigned char)q[0]) && sscanf(q, "%4d", &y) == 1 && y >= 2000 && y < 2100 &&
            (q == s || !isdigit((unsigned char)q[-1]))) {
            q += 4;
            while (*q == ' ')
                q++;
            if ((strncmp(q, "年", 3) == 0 && sscanf(q + 3, "%d月%d日", &m, &dd) == 2) ||
                ((*q == '-' || *q == '/' || *q == '.') && sscanf(q + 1, "%d%*[-/.]%d", &m, &dd) == 2)) {
                if (m >= 1 && m <= 12 && dd >= 1 && dd <= 31) {
                    snprintf(out, 32, "%04d-%02d-%02d", y, m, dd);
                    return true;
                }
            }
            continue;
        }
        size_t n, off = 0;
        int dgt;
        y = 0;
        int k = 0;
        while (k < 4 && (dgt = ref_cn_digit(lex, q + off, &n)) >= 0) {
            y = y * 10 + dgt;
            off += n;
            k++;
        }
        if (k == 4 && strncmp(q + off, "年", 3) == 0) {
            off += 3;
            size_t u;
            m = ref_cn_small(lex, q + off, &u);
            if (m > 0 && strncmp(q + off + u, "月", 3) == 0) {
                off += u + 3;
                dd = ref_cn_small(lex, q + off, &u);
                if (dd > 0 && strncmp(q + off + u, "日", 3) == 0 && m <= 12 && dd <= 31) {
                    snprintf(out, 32, "%04d-%02d-%02d", y, m, dd);
                    return true;
                }
            }
        }
    }
    return false;
}

static bool ref_parse_date(const nb_lexicon *lex, const char *s, char out[32])
{
    if (ref_parse_date_in(lex, s, out))
        return true;
    char *q = rc_ascii_copy(s, true);
    bool ok = q && ref_parse_date_in(lex, q, out);
    free(q);
    return ok;
}

/* Pieces of dates and near dates: digits, separators, signs, blanks,
 * numerals and zeros, the date words; long digit runs overflow int. */
static const char *const DATE_PIECES[] = {
    "2", "0", "1", "2", "3", "9", "20", "202", "2024", "1999", "2100", "31", "12", "13", "32",
    "4294967297", "99999999999999999999999", "2147483648",
    "年", "月", "日", "-", "/", ".", " ", "\t", "\n", "+", "-", "x",
    "二", "〇", "零", "一", "十", "五", "九", "两", "２", "－"};

/* years in characters may start with a zero word too ("〇二二四": read as 224) */
static const char *const YEARS[] = {"2024", "2023 ", "1999", "2100", "202",      "12024",
                                    "二〇二四", "二零二三", "２０２４", "〇二二四", "零二二三"};
static const char *const PARTS[] = {"1", "01", "12", "13", "0", "+1", "-1", " 3", "\t7", "31", "32", "4294967297",
                                    "十", "十二", "二十六", "三十二", "一", "", "x"};
static const char *const SEPS[] = {"年", " 年 ", "-", "/", ".", "--", "-/", " -", "年-"};

START_TEST(date_matches_sscanf_reading)
{
    const nb_template *tp = nb_templates_get(tu_templates(), 0);
    ck_assert_ptr_nonnull(tp);
    const nb_lexicon *lex = &tp->lexicon;
    unsigned seed = 31u + (unsigned)_i;
    size_t found = 0;
    for (int round = 0; round < 4000; round++) {
        char s[400];
        size_t len = 0, want = 1 + tu_rand(&seed) % 12;
        for (size_t k = 0; k < want; k++) {
            /* every other piece a date's shape: year, separator, month, separator, day */
            const char *p = DATE_PIECES[tu_rand(&seed) % (sizeof DATE_PIECES / sizeof *DATE_PIECES)];
            if (tu_rand(&seed) % 2) {
                const char *y = YEARS[tu_rand(&seed) % (sizeof YEARS / sizeof *YEARS)];
                const char *m = PARTS[tu_rand(&seed) % (sizeof PARTS / sizeof *PARTS)];
                const char *d = PARTS[tu_rand(&seed) % (sizeof PARTS / sizeof *PARTS)];
                const char *sep = SEPS[tu_rand(&seed) % (sizeof SEPS / sizeof *SEPS)];
                len += (size_t)snprintf(s + len, sizeof s - len, "%s%s%s%s%s%s", y, sep,
                                        m, *sep == '-' || *sep == '/' || *sep == '.' ? sep : "月", d,
                                        tu_rand(&seed) % 4 ? "日" : "");
                continue;
            }
            memcpy(s + len, p, strlen(p));
            len += strlen(p);
        }
        s[len] = '\0';
        char got[32] = "", ref[32] = "";
        bool g = rc_parse_date(lex, s, got), r = ref_parse_date(lex, s, ref);
        ck_assert_msg(g == r, "%s: %d, want %d", s, g, r);
        if (r)
            ck_assert_str_eq(got, ref);
        found += r;
    }
    ck_assert_uint_gt(found, 20); /* the pieces make dates, not only misses */
}
END_TEST

START_TEST(date_examples)
{
    const nb_lexicon *lex = &nb_templates_get(tu_templates(), 0)->lexicon;
    char out[32];
    ck_assert(rc_parse_date(lex, "发布日期：2024 年 1 月 6 日", out));
    ck_assert_str_eq(out, "2024-01-06");
    ck_assert(rc_parse_date(lex, "2024-01-26 11:11", out));
    ck_assert_str_eq(out, "2024-01-26");
    ck_assert(rc_parse_date(lex, "二〇二四年一月二十六日", out));
    ck_assert_str_eq(out, "2024-01-26");
    ck_assert(!rc_parse_date(lex, "2024年13月1日", out));
    ck_assert(!rc_parse_date(lex, "2024年4294967297月1日", out) || strcmp(out, "2024-01-01") == 0);
}
END_TEST

/* find_year as first written (every byte tried), for the check below. */
static int ref_find_year(const char *s)
{
    for (const char *p = s; *p; p++)
        if (p[0] == '2' && p[1] == '0' && isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
            (p == s || !isdigit((unsigned char)p[-1]))) {
            const char *q = p + 4;
            while (*q == ' ')
                q++;
            if (strncmp(q, "年", 3) == 0)
                return (p[2] - '0') * 10 + (p[3] - '0') + 2000;
        }
    return 0;
}

/* Titles with digits, '2's and near years before and around the year
 * (12023年, 20 23年, 2023 年): the report's year is the one the byte-by-byte
 * search finds in its title. */
START_TEST(year_from_title_as_byte_search)
{
    /* (the title is squeezed: a blank joins its neighbours) */
    static const char *const P[] = {"2", "0", "20", "2023", "2024", "1", "年", "年", " ", "a", "中"};
    unsigned seed = 4711u + (unsigned)_i;
    for (int round = 0; round < 150; round++) {
        nb_buf b = {0};
        nb_buf_adds(&b, "XX局");
        for (unsigned k = tu_rand(&seed) % 8; k; k--)
            nb_buf_adds(&b, P[tu_rand(&seed) % (sizeof P / sizeof *P)]);
        if (round % 2) /* a year after the noise: every '2' before it passed over */
            nb_buf_adds(&b, "2024年");
        nb_buf_adds(&b, "政府信息公开工作年度报告\n一、总体情况\n本年度工作有序开展。\n二、主动公开政府信息情况\n");
        nb_error err;
        nb_error_clear(&err);
        nb_report *r = tu_recognise_text(b.s, &err);
        ck_assert_msg(r != NULL, "%s", err.text);
        if (r->title && ref_find_year(r->title))
            ck_assert_int_eq(r->year, ref_find_year(r->title));
        nb_report_free(r);
        nb_buf_free(&b);
    }
}
END_TEST

/* A small report of its own agency and year: six sections numbered num[0..5]
 * (一、 when NULL), no table. */
static void add_numbered_report(nb_buf *b, int i, const char *const num[6])
{
    static const char *const plain[6] = {"一、", "二、", "三、", "四、", "五、", "六、"};
    const char *const *n = num ? num : plain;
    nb_buf_printf(b, "第%d区统计局\n%d年政府信息公开工作年度报告\n"
                     "%s总体情况\n本年度工作有序开展。\n%s主动公开政府信息情况\n本年主动公开信息%d条。\n"
                     "%s收到和处理政府信息公开申请情况\n本年收到申请%d件。\n"
                     "%s政府信息公开行政复议、行政诉讼情况\n无。\n"
                     "%s存在的主要问题及改进情况\n继续改进。\n%s其他需要报告的事项\n无。\n\n",
                  i + 1, 2018 + i % 8, n[0], n[1], 10 + i, n[2], i, n[3], n[4], n[5]);
}

static void add_report(nb_buf *b, int i)
{
    add_numbered_report(b, i, NULL);
}

/* The line the next text added to b starts on. */
static int next_line(const nb_buf *b)
{
    int line = 1;
    for (size_t j = 0; j < b->len; j++)
        line += b->s[j] == '\n';
    return line;
}

/* nb_recognise_all of b's text: a report, or the test fails. */
static nb_report *recognise_all(const nb_buf *b)
{
    nb_doc *d = nb_doc_new("all.txt");
    nb_doc_split_text(d, b->s, b->len, NB_SPLIT_TABS);
    nb_error err;
    nb_error_clear(&err);
    nb_report *r = nb_recognise_all(tu_templates(), d, &err);
    nb_doc_free(d);
    ck_assert_msg(r != NULL, "%s", err.text);
    return r;
}


/* k reports joined: k reports chained in order, each where it starts, none
 * warned of; nb_recognise alone reads the first and warns of the rest. */
START_TEST(reports_joined_read_one_by_one)
{
    int k = 1 + _i;
    nb_buf b = {0};
    int starts[8];
    for (int i = 0; i < k; i++) {
        starts[i] = next_line(&b);
        add_report(&b, i);
    }
    nb_report *r = recognise_all(&b);
    int n = 0;
    for (nb_report *q = r; q; q = q->next, n++) {
        char agency[32];
        snprintf(agency, sizeof agency, "第%d区统计局", n + 1);
        ck_assert_pstr_eq(q->agency, agency);
        ck_assert_int_eq(q->year, 2018 + n % 8);
        ck_assert_int_eq(q->part_line, n == 0 ? 0 : starts[n]);
        ck_assert_uint_eq(tu_count_diags(q, "PARSE-SECOND-REPORT"), 0);
        ck_assert_msg(!q->sections[5].text || !strstr(q->sections[5].text, "区统计局"),
                      "report %d: section 六 runs into the next report", n + 1);
    }
    ck_assert_int_eq(n, k);
    nb_report_free(r); /* the chain whole */
    nb_error err;
    nb_error_clear(&err);
    nb_report *one = tu_recognise_text(b.s, &err);
    ck_assert_ptr_nonnull(one);
    ck_assert_ptr_null(one->next);
    ck_assert_uint_eq(tu_count_diags(one, "PARSE-SECOND-REPORT"), k > 1);
    nb_report_free(one);
    nb_buf_free(&b);
}
END_TEST

/* A later report whose title runs over two lines ("…年政府信息公开" over
 * "工作年度报告", as a PDF's text breaks it) starts where that title does. */
START_TEST(joined_report_title_over_two_lines)
{
    nb_buf b = {0};
    add_report(&b, 0);
    int second = next_line(&b);
    nb_buf_adds(&b, "正文\n2024年东湖区统计局政府信息公开\n工作年度报告\n"
                    "一、总体情况\n本年度工作有序开展。\n二、主动公开政府信息情况\n本年主动公开信息9条。\n"
                    "六、其他需要报告的事项\n无。\n");
    nb_report *r = recognise_all(&b);
    ck_assert_ptr_nonnull(r->next);
    ck_assert_int_eq(r->next->part_line, second + 1); /* the title's first line, after 正文 */
    ck_assert_int_eq(r->next->year, 2024);
    ck_assert_pstr_eq(r->next->agency, "东湖区统计局");
    ck_assert_ptr_null(r->next->next);
    nb_report_free(r);
    nb_buf_free(&b);
}
END_TEST

/* Reports whose sections are numbered otherwise (第一部分, 1.) are told
 * apart as those numbered 一、 are: by the title and section 一 again. */
START_TEST(joined_reports_numbered_otherwise)
{
    static const char *const part[6] = {"第一部分 ", "第二部分 ", "第三部分 ", "第四部分 ", "第五部分 ", "第六部分 "};
    static const char *const arabic[6] = {"1.", "2.", "3.", "4.", "5.", "6."};
    nb_buf b = {0};
    add_numbered_report(&b, 0, part);
    int second = next_line(&b);
    add_numbered_report(&b, 1, arabic);
    nb_report *r = recognise_all(&b);
    ck_assert_ptr_nonnull(r->next);
    ck_assert_ptr_null(r->next->next);
    ck_assert_int_eq(r->next->part_line, second);
    for (nb_report *q = r; q; q = q->next)
        for (int i = 0; i < 6; i++)
            ck_assert_msg(q->sections[i].title, "%s: section %d not found", q->agency, i + 1);
    ck_assert_pstr_eq(r->sections[5].text, "无。");
    ck_assert_pstr_eq(r->next->agency, "第2区统计局");
    nb_report_free(r);
    nb_buf_free(&b);
}
END_TEST

/* A report cut short (its title and section 一 only, as a truncated page
 * leaves it) before a whole one: the whole one is read as itself, never
 * under the cut one's title, and the cut one is named on it.  At the
 * text's start the report read starts at its own line. */
START_TEST(report_cut_short_before_another)
{
    static const char CUT[] = "某某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度工作（此页未完）\n\n";
    for (int at_start = 0; at_start < 2; at_start++) {
        nb_buf b = {0};
        if (!at_start)
            add_report(&b, 0);
        int cut = next_line(&b);
        nb_buf_adds(&b, CUT);
        int whole = next_line(&b);
        add_report(&b, 1);
        nb_report *r = recognise_all(&b);
        nb_report *second = at_start ? r : r->next;
        ck_assert_ptr_nonnull(second);
        ck_assert_ptr_null(second->next);
        ck_assert_pstr_eq(second->agency, "第2区统计局");
        ck_assert_int_eq(second->year, 2019);
        ck_assert_int_eq(second->part_line, whole);
        ck_assert_msg(second->sections[5].title, "section 六 of the whole report");
        const nb_report *told = at_start ? second : r; /* the cut one is named on the report before it, or after */
        ck_assert_uint_eq(tu_count_diags(told, "PARSE-SECOND-REPORT"), 1);
        char line[32];
        snprintf(line, sizeof line, "第 %d 行", cut);
        ck_assert_msg(strstr(told->diags[told->ndiags - 1].message, line) &&
                          strstr(told->diags[told->ndiags - 1].message, "某某局"),
                      "%s", told->diags[told->ndiags - 1].message);
        if (!at_start)
            ck_assert_pstr_eq(r->agency, "第1区统计局");
        nb_report_free(r);
        nb_buf_free(&b);
    }
}
END_TEST

/* nb_recognise alone, on a text that opens with a report cut short: the
 * text still holds a report, so it gives the first whole one, warned of
 * the cut one before it (k 1) and of the one after it (k 2).  Text with
 * no report at all still fails. */
START_TEST(one_report_after_a_cut_one)
{
    int k = 1 + _i;
    nb_buf b = {0};
    nb_buf_adds(&b, "某某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度工作（此页未完）\n\n");
    for (int i = 0; i < k; i++)
        add_report(&b, i + 1);
    nb_error err;
    nb_error_clear(&err);
    nb_report *r = tu_recognise_text(b.s, &err);
    ck_assert_msg(r != NULL, "%s", err.text);
    ck_assert_str_eq(err.text, "");
    ck_assert_pstr_eq(r->agency, "第2区统计局");
    ck_assert_ptr_null(r->next);
    ck_assert_msg(r->sections[5].title, "section 六 of the whole report");
    ck_assert_uint_eq(tu_count_diags(r, "PARSE-SECOND-REPORT"), (unsigned)k);
    ck_assert_msg(strstr(r->diags[r->ndiags - 1].message, k == 1 ? "某某局" : "第3区统计局"), "%s",
                  r->diags[r->ndiags - 1].message);
    nb_report_free(r);
    nb_error_clear(&err);
    ck_assert_ptr_null(tu_recognise_text("某某局2023年政府信息公开工作年度报告\n一、总体情况\n未完\n", &err));
    ck_assert_msg(err.text[0] != '\0', "a text with no report says why");
    nb_buf_free(&b);
}
END_TEST

/* A title and section 一 with nothing after them is no report: the one
 * before it is warned of it, with its line. */
START_TEST(joined_start_that_is_no_report)
{
    nb_buf b = {0};
    add_report(&b, 0);
    add_report(&b, 1);
    nb_buf_adds(&b, "某某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度无其他事项。\n");
    nb_report *r = recognise_all(&b);
    ck_assert_uint_eq(tu_count_diags(r, "PARSE-SECOND-REPORT"), 0);
    ck_assert_ptr_nonnull(r->next);
    ck_assert_pstr_eq(r->next->agency, "第2区统计局");
    ck_assert_ptr_null(r->next->next);
    ck_assert_uint_eq(tu_count_diags(r->next, "PARSE-SECOND-REPORT"), 1);
    ck_assert_msg(strstr(r->next->diags[r->next->ndiags - 1].message, "某某局") != NULL, "%s",
                  r->next->diags[r->next->ndiags - 1].message);
    nb_report_free(r);
    nb_buf_free(&b);
}
END_TEST

static Suite *meta_suite(void)
{
    Suite *s = suite_create("recognise_meta");
    TCase *tc = tcase_create("meta");
    tcase_add_loop_test(tc, ascii_copy_matches_decoding_copy, 0, 8);
    tcase_add_test(tc, ascii_copy_examples);
    tcase_add_test(tc, published_date_from_labelled_line);
    tcase_add_loop_test(tc, reports_joined_read_one_by_one, 0, 6);
    tcase_add_test(tc, joined_start_that_is_no_report);
    tcase_add_test(tc, joined_report_title_over_two_lines);
    tcase_add_test(tc, joined_reports_numbered_otherwise);
    tcase_add_test(tc, report_cut_short_before_another);
    tcase_add_loop_test(tc, one_report_after_a_cut_one, 0, 2);
    tcase_add_test(tc, title_over_lines_of_a_double_spaced_copy);
    tcase_add_test(tc, title_forms_give_agency_and_year);
    tcase_add_loop_test(tc, date_matches_sscanf_reading, 0, 4);
    tcase_add_test(tc, date_examples);
    tcase_add_loop_test(tc, year_from_title_as_byte_search, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(meta_suite()); }
