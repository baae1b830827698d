/* test_text.c - decoding (nb_text_decode) and the normalisation used for
 * label matching (nb_text_fold / compact / label_key / ordinal_len /
 * distance), plus the exact decimals of nb_num_parse / nb_num_format.
 * domain.md §5.5, §5.7, §5.9, §5.12. */
#include "testutil.h"
#include "nianbao/text.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes len bytes; asserts success and the encoding name. Caller frees. */
static char *decode_ok(const char *bytes, size_t len, const char *want_enc)
{
    nb_error err;
    nb_error_clear(&err);
    char *out = NULL;
    size_t n = 0;
    const char *enc = NULL;
    nb_status st = nb_text_decode(bytes, len, &out, &n, &enc, &err);
    ck_assert_msg(st == NB_OK, "decode failed: %s", err.text);
    ck_assert_str_eq(enc, want_enc);
    ck_assert_uint_eq(n, strlen(out));
    return out;
}

static nb_status decode_status(const char *bytes, size_t len, nb_error *err)
{
    char *out = NULL;
    const char *enc = NULL;
    nb_error_clear(err);
    nb_status st = nb_text_decode(bytes, len, &out, NULL, &enc, err);
    free(out);
    return st;
}

/* UTF-8 -> `to` with iconv; the test's bytes come from the code under test's
 * own converter so no literal GBK table is needed. */
static char *encode(const char *utf8, const char *to, size_t *len)
{
    nb_error err;
    nb_error_clear(&err);
    char *out = NULL;
    ck_assert_int_eq(nb_text_convert("UTF-8", to, utf8, strlen(utf8), &out, len, &err), NB_OK);
    return out;
}

static const char SAMPLE[] = "二、主动公开政府信息情况\n规章\t0\t1\t12\n";

START_TEST(utf8_plain_and_bom)
{
    char *s = decode_ok(SAMPLE, strlen(SAMPLE), "UTF-8");
    ck_assert_str_eq(s, SAMPLE);
    free(s);
    char bom[128] = "\xEF\xBB\xBF";
    strcat(bom, SAMPLE);
    s = decode_ok(bom, strlen(bom), "UTF-8-BOM");
    ck_assert_str_eq(s, SAMPLE); /* the BOM is not part of the text */
    free(s);
}
END_TEST

/* UTF-16 with a BOM, both byte orders; the BOM itself is dropped. */
START_TEST(utf16_by_bom)
{
    size_t n;
    char *le = encode(SAMPLE, "UTF-16LE", &n);
    char *buf = malloc(n + 2);
    memcpy(buf, "\xFF\xFE", 2);
    memcpy(buf + 2, le, n);
    char *s = decode_ok(buf, n + 2, "UTF-16LE");
    ck_assert_str_eq(s, SAMPLE);
    free(s);
    free(le);
    char *be = encode(SAMPLE, "UTF-16BE", &n);
    memcpy(buf, "\xFE\xFF", 2);
    memcpy(buf + 2, be, n);
    s = decode_ok(buf, n + 2, "UTF-16BE");
    ck_assert_str_eq(s, SAMPLE);
    free(s);
    free(be);
    free(buf);
}
END_TEST

/* GBK bytes (invalid as UTF-8) fall back to GB18030, a superset. */
START_TEST(gbk_and_gb18030)
{
    size_t n;
    char *gbk = encode(SAMPLE, "GBK", &n);
    ck_assert(!nb_utf8_valid(gbk, n));
    char *s = decode_ok(gbk, n, "GB18030");
    ck_assert_str_eq(s, SAMPLE);
    free(s);
    free(gbk);
    /* Literal GBK bytes of 年报 (C4EA B1A8), so the test does not rely on
     * iconv's encoder alone. */
    static const char lit[] = "\xC4\xEA\xB1\xA8";
    s = decode_ok(lit, 4, "GB18030");
    ck_assert_str_eq(s, "年报");
    free(s);
    /* A character outside GBK (𠀀, four-byte in GB18030). */
    char *g4 = encode("𠀀年", "GB18030", &n);
    s = decode_ok(g4, n, "GB18030");
    ck_assert_str_eq(s, "𠀀年");
    free(s);
    free(g4);
}
END_TEST

/* The plain definition nb_utf8_valid's fast paths must agree with: every
 * character decodes with nb_utf8_next. */
static bool utf8_valid_plain(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = nb_utf8_next(s + i, len - i, &cp);
        if (cp == 0xFFFD && n == 1)
            return false;
        i += n;
    }
    return true;
}

/* Random mixes of ASCII runs, CJK and other three-byte forms, two- and
 * four-byte forms, overlong and surrogate forms, stray and cut bytes, at
 * every alignment: the fast paths read words, so every offset and length
 * counts. */
START_TEST(utf8_valid_matches_plain_path)
{
    static const char *const pieces[] = {
        "a", "12", "abcdefghij", "\n", "年", "报", "，", "\xEF\xBC\x88", "\xE3\x80\x80", "\xC2\xA0", "\xD0\x96",
        "\xF0\xA0\x80\x80", "\xE0\xA0\x80", "\xE0\x80\x80", "\xED\x9F\xBF", "\xED\xA0\x80", "\xEE\x80\x80",
        "\xC0\xAF", "\xC1\xBF", "\x80", "\xBF", "\xFF", "\xE4\xB8", "\xE4", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
        "\xE4\x38\x80", "\xE4\xB8\x38", "\xE4\xB8\xC0"};
    const size_t npieces = sizeof pieces / sizeof *pieces;
    char buf[96];
    unsigned seed = 12345;
    size_t valid = 0, invalid = 0;
    for (int round = 0; round < 8000; round++) {
        size_t len = 0;
        int count = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
        bool bad_only_rarely = round % 2 == 0; /* half the rounds mostly valid text */
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pick = (seed >> 16) % npieces;
            if (bad_only_rarely && pick > 10 && (seed >> 8) % 8)
                pick = (seed >> 20) % 11;
            size_t pl = strlen(pieces[pick]);
            if (len + pl > sizeof buf - 1)
                break;
            memcpy(buf + len, pieces[pick], pl);
            len += pl;
        }
        for (size_t off = 0; off < len; off++) {
            bool want = utf8_valid_plain(buf + off, len - off);
            valid += want;
            invalid += !want;
            ck_assert_msg(nb_utf8_valid(buf + off, len - off) == want, "round %d offset %zu", round, off);
        }
    }
    ck_assert_uint_gt(valid, 1000); /* both answers were exercised */
    ck_assert_uint_gt(invalid, 1000);
}
END_TEST

START_TEST(newlines_normalised)
{
    static const char crlf[] = "一、总体情况\r\n正文\r\n\r\n二、\r";
    char *s = decode_ok(crlf, strlen(crlf), "UTF-8");
    ck_assert_str_eq(s, "一、总体情况\n正文\n\n二、\n");
    free(s);
    static const char cr[] = "a\rb\r\rc";
    s = decode_ok(cr, strlen(cr), "UTF-8");
    ck_assert_str_eq(s, "a\nb\n\nc");
    free(s);
}
END_TEST

START_TEST(binary_and_garbage_rejected)
{
    nb_error err;
    static const char nul[] = "规章\0\t0";
    ck_assert_int_eq(decode_status(nul, sizeof nul - 1, &err), NB_FAILED);
    ck_assert_int_eq(err.cls, NB_E_DATA);
    /* 0x81 0x7F is neither UTF-8 nor a GB18030 sequence. */
    static const char bad[] = "abc\x81\x7f def";
    ck_assert_int_eq(decode_status(bad, sizeof bad - 1, &err), NB_FAILED);
    ck_assert_int_eq(err.cls, NB_E_DATA);
    /* UTF-16 whose code units decode to NUL characters is binary too. */
    static const char u16nul[] = "\xFF\xFE" "a\0\0\0";
    ck_assert_int_ne(decode_status(u16nul, sizeof u16nul - 1, &err), NB_OK);
    /* one scan finds a NUL after a UTF-8 BOM, and far past the first
     * kilobytes the UTF-16 guess looks at */
    static const char bomnul[] = "\xEF\xBB\xBF" "规章\0x";
    ck_assert_int_eq(decode_status(bomnul, sizeof bomnul - 1, &err), NB_FAILED);
    ck_assert_str_eq(err.text, "binary data (NUL bytes), not a text document");
    char far[9000];
    memset(far, 'a', sizeof far);
    far[8500] = '\0';
    ck_assert_int_eq(decode_status(far, sizeof far, &err), NB_FAILED);
    ck_assert_str_eq(err.text, "binary data (NUL bytes), not a text document");
    far[8500] = 'b';
    ck_assert_int_eq(decode_status(far, sizeof far, &err), NB_OK);
}
END_TEST

/* A long text with one damaged byte is read, the damage marked with
 * U+FFFD and named in the encoding; UTF-16 without a BOM is recognised by
 * its NUL pattern. */
START_TEST(damaged_and_bomless_text)
{
    char text[8192] = "";
    for (int i = 0; i < 40; i++)
        strcat(text, SAMPLE);
    size_t n = strlen(text);
    char *damaged = strdup(text);
    damaged[n / 2] = (char)0xFF; /* never valid in UTF-8 nor in GB18030 */
    char *out = decode_ok(damaged, n, "UTF-8-REPAIRED");
    ck_assert_ptr_nonnull(strstr(out, "\xEF\xBF\xBD"));
    ck_assert_ptr_nonnull(strstr(out, "主动公开政府信息情况"));
    free(out);
    size_t glen;
    char *gbk = encode(text, "GB18030", &glen);
    gbk[glen / 2 + 1] = (char)0xFF;
    out = decode_ok(gbk, glen, "GB18030-REPAIRED");
    ck_assert_ptr_nonnull(strstr(out, "主动公开政府信息情况"));
    free(out);
    size_t wlen;
    char *wide = encode(text, "UTF-16LE", &wlen);
    out = decode_ok(wide, wlen, "UTF-16LE");
    ck_assert_str_eq(out, text);
    free(out);
    free(wide);
    free(gbk);
    free(damaged);
}
END_TEST

/* UTF-8 lines over GBK lines (a crawler's header over a GBK page): each
 * line in its own encoding, named UTF-8+GB18030.  A UTF-8 line with a
 * damaged byte among them is damage, not GBK: the text is not read line
 * by line, but as the repaired GB18030 most of it is. */
START_TEST(utf8_and_gbk_lines)
{
    const char *head = "标题: 示例镇2024年政府信息公开工作年度报告\n来源: 示例镇人民政府\n\n";
    char body[4096] = "";
    for (int i = 0; i < 20; i++)
        strcat(body, SAMPLE);
    size_t glen;
    char *gbk = encode(body, "GB18030", &glen);
    size_t hlen = strlen(head);
    char *mixed = malloc(hlen + glen + 1);
    memcpy(mixed, head, hlen);
    memcpy(mixed + hlen, gbk, glen);
    char *out = decode_ok(mixed, hlen + glen, "UTF-8+GB18030");
    char *want = nb_strcat3(head, body, "");
    ck_assert_str_eq(out, want);
    free(out);
    mixed[3] = (char)0xFF; /* the header line damaged: not a GBK line */
    out = decode_ok(mixed, hlen + glen, "GB18030-REPAIRED");
    ck_assert_ptr_nonnull(strstr(out, "主动公开政府信息情况"));
    free(out);
    free(want);
    free(mixed);
    free(gbk);
}
END_TEST

/* The CLI must report the encoding it found in source.encoding. */
START_TEST(cli_reports_gbk_encoding)
{
    char *path = tu_path(tu_source_dir(), "tests/data/recognise/gbk_report.txt");
    size_t len;
    char *utf8 = tu_read_file(path, &len);
    ck_assert_msg(utf8 != NULL, "missing %s", path);
    size_t n;
    char *gbk = encode(utf8, "GBK", &n);
    char *dir = tu_tempdir();
    char *file = tu_path(dir, "gbk.txt");
    ck_assert_int_eq(tu_write_file(file, gbk, n), 0);
    json_t *j = tu_convert_json(file);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "source"), "encoding")),
                     "GB18030");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "year")), 2023);
    json_decref(j);
    tu_rmrf(dir);
    free(file);
    free(dir);
    free(gbk);
    free(utf8);
    free(path);
}
END_TEST

/* Asserts f(in) == want for one of the string normalisers. */
static void norm_eq(char *(*f)(const char *), const char *in, const char *want)
{
    char *got = f(in);
    ck_assert_msg(got && strcmp(got, want) == 0, "norm(\"%s\") = \"%s\", want \"%s\"", in,
                  got ? got : "(null)", want);
    free(got);
}

START_TEST(fold_width_and_spaces)
{
    norm_eq(nb_text_fold, "１２３", "123");
    norm_eq(nb_text_fold, "（三）不予公开", "(三)不予公开");
    norm_eq(nb_text_fold, "第二十条第（五）项", "第二十条第(五)项");
    norm_eq(nb_text_fold, "本年\u3000收费", "本年 收费");
    norm_eq(nb_text_fold, "规\u00A0章", "规 章");
    norm_eq(nb_text_fold, "１，２３４．５", "1,234.5");
    norm_eq(nb_text_fold, "plain ascii", "plain ascii"); /* identity on ASCII */
}
END_TEST

START_TEST(compact_keeps_ordinals)
{
    norm_eq(nb_text_compact, "三、 本年度办 理结果", "三、本年度办理结果");
    norm_eq(nb_text_compact, "（一） 予以公开", "(一)予以公开");
    norm_eq(nb_text_compact, "规\u3000章", "规章");
    norm_eq(nb_text_compact, "\t法律服务 机构 ", "法律服务机构");
    norm_eq(nb_text_compact, "3.危及“三安全一稳定”", "3.危及三安全一稳定");
}
END_TEST

START_TEST(label_key_ordinals)
{
    const char *want = "本年新收政府信息公开申请数量";
    norm_eq(nb_text_label_key, "一、本年新收政府信息公开申请数量", want);
    norm_eq(nb_text_label_key, "—、本年新收政府信息公开申请数量", want); /* em dash for 一 */
    norm_eq(nb_text_label_key, "（三）不予公开", "不予公开");
    norm_eq(nb_text_label_key, "(三) 不予公开", "不予公开");
    norm_eq(nb_text_label_key, "七)总计", "总计");
    norm_eq(nb_text_label_key, "3. 其他", "其他");
    norm_eq(nb_text_label_key, "1、信访举报投诉类申请", "信访举报投诉类申请");
    norm_eq(nb_text_label_key, "1．重复申请", "重复申请");
    norm_eq(nb_text_label_key, "三、 本年度办 理结果", "本年度办理结果");
}
END_TEST

START_TEST(label_key_notes_quotes_punct)
{
    const char *pg = "部分公开";
    norm_eq(nb_text_label_key, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", pg);
    norm_eq(nb_text_label_key, "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)", pg);
    /* a note cut by a line break: unclosed bracket to the end */
    norm_eq(nb_text_label_key, "（二）部分公开（区分处理的，只计这一情", pg);
    /* the note's opening bracket lost: text up to the stray ")" goes */
    norm_eq(nb_text_label_key, "本列数据的勾稽关系为:第一项加第二项之和)申请人情况", "申请人情况");
    norm_eq(nb_text_label_key, "3.危及“三安全一稳定”", "危及三安全一稳定");
    norm_eq(nb_text_label_key, "3.危及\"三安全一稳定\"", "危及三安全一稳定");
    norm_eq(nb_text_label_key, "3.危及三安全一稳定", "危及三安全一稳定");
    /* 、 and ， inside a long label are layout */
    norm_eq(nb_text_label_key, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请");
    norm_eq(nb_text_label_key, "本年收费金额（单位：万元）", "本年收费金额");
    norm_eq(nb_text_label_key, "本年收费金额(万元)", "本年收费金额");
}
END_TEST

START_TEST(ordinal_len_forms)
{
    /* the argument is already compacted and folded */
    ck_assert_uint_eq(nb_text_ordinal_len("一、本年"), strlen("一、"));
    ck_assert_uint_eq(nb_text_ordinal_len("—、本年"), strlen("—、"));
    ck_assert_uint_eq(nb_text_ordinal_len("(三)不予公开"), strlen("(三)"));
    ck_assert_uint_eq(nb_text_ordinal_len("七)总计"), strlen("七)"));
    ck_assert_uint_eq(nb_text_ordinal_len("3.其他"), 2);
    ck_assert_uint_eq(nb_text_ordinal_len("12.其他"), 3);
    ck_assert_uint_eq(nb_text_ordinal_len("1、重复申请"), strlen("1、"));
    ck_assert_uint_eq(nb_text_ordinal_len("规章"), 0);
    ck_assert_uint_eq(nb_text_ordinal_len("5949.08"), 0); /* a decimal, not "5949." */
    ck_assert_uint_eq(nb_text_ordinal_len("一"), 0);       /* nothing after it */
    ck_assert_uint_eq(nb_text_ordinal_len(""), 0);
}
END_TEST

/* nb_text_key_forms_n (length known: the tokeniser's) gives the key and
 * ordinal numeral the strlen-bound forms give, nested ordinals included. */
START_TEST(key_forms_with_length)
{
    static const struct { const char *compact, *key, *ord; } cases[] = {
        {"一、(二)3.其他", "其他", "一"},   {"(1)1.5万元", "15万元", "1"},
        {"十一、二、总计", "总计", "十一"}, {"1.2.3.4.五", "1234五", ""},
        {"(三)不予公开(区分处理的)。", "不予公开", "三"}, {"—、本年:", "本年", "一"}, {"", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *c = cases[i].compact;
        char key[128], ord[16], ord2[16], want_ord[16] = {0};
        strcpy(want_ord, cases[i].ord);
        size_t n = nb_text_key_forms_n(c, strlen(c), key, ord);
        ck_assert_str_eq(key, cases[i].key);
        ck_assert_uint_eq(n, strlen(cases[i].key));
        ck_assert_mem_eq(ord, want_ord, 16);
        nb_text_ordinal_numeral(c, ord2);
        ck_assert_mem_eq(ord2, want_ord, 16);
        char *k = nb_text_key_of_compact(c);
        ck_assert_str_eq(k, cases[i].key);
        free(k);
    }
}
END_TEST

START_TEST(distance_in_code_points)
{
    ck_assert_uint_eq(nb_text_distance("重复申请", "重复申请", 3), 0);
    ck_assert_uint_eq(nb_text_distance("要求行政机关确认或重新出具已获取信息",
                                       "要求行政机关确认或重新出具已获信息", 3), 1);
    ck_assert_uint_eq(nb_text_distance("规章", "规范", 3), 1);
    ck_assert_uint_eq(nb_text_distance("abc", "", 5), 3);
    /* capped: anything beyond cap reads cap+1 */
    ck_assert_uint_eq(nb_text_distance("行政许可", "本年新收政府信息公开申请数量", 2), 3);
    ck_assert_uint_eq(nb_utf8_len("行政a许可"), 5);
}
END_TEST

/* The full Levenshtein table over code points, no band and no cap. */
static size_t full_distance(const char *a, const char *b)
{
    uint32_t A[64], B[64];
    size_t na = 0, nb = 0, la = strlen(a), lb = strlen(b);
    for (size_t i = 0; i < la; na++)
        i += nb_utf8_next(a + i, la - i, &A[na]);
    for (size_t i = 0; i < lb; nb++)
        i += nb_utf8_next(b + i, lb - i, &B[nb]);
    size_t d[65][65];
    for (size_t i = 0; i <= na; i++)
        for (size_t j = 0; j <= nb; j++) {
            size_t v = i + j;
            if (i && j) {
                v = d[i - 1][j - 1] + (A[i - 1] != B[j - 1]);
                v = d[i - 1][j] + 1 < v ? d[i - 1][j] + 1 : v;
                v = d[i][j - 1] + 1 < v ? d[i][j - 1] + 1 : v;
            } else
                v = i ? i : j;
            d[i][j] = v;
        }
    return d[na][nb];
}

/* Random strings over a few characters (ASCII, CJK, an invalid byte):
 * the banded, capped distance is the full table's, capped. */
START_TEST(distance_band_equals_full_table)
{
    static const char *const pieces[] = {"a", "b", "规", "章", "\xff", "。"};
    unsigned seed = 12345;
    for (int round = 0; round < 3000; round++) {
        char a[128] = "", b[128] = "";
        for (int k = 0; k < 2; k++) {
            char *s = k ? b : a;
            seed = seed * 1103515245u + 12345u;
            int n = (int)(seed >> 16) % 12;
            for (int i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                strcat(s, pieces[(seed >> 16) % 6]);
            }
        }
        size_t full = full_distance(a, b);
        for (size_t cap = 0; cap <= 6; cap++) {
            size_t want = full > cap ? cap + 1 : full;
            ck_assert_msg(nb_text_distance(a, b, cap) == want, "'%s' '%s' cap %zu: %zu, want %zu", a, b, cap,
                          nb_text_distance(a, b, cap), want);
        }
    }
}
END_TEST

/* Every ASCII byte between ideographs and full-width forms, as the
 * folding rules have it (fold_run reads ASCII without decoding): \t \n
 * \v \f fold to ' ', compacting drops them, ' ' and the quotes; \r and
 * every other byte stay. */
START_TEST(fold_every_ascii_byte)
{
    for (int b = 1; b < 128; b++) {
        char in[16], fold_want[16], compact_want[16];
        bool ws = b == '\t' || b == '\n' || b == '\v' || b == '\f';
        bool drop = ws || b == ' ' || b == '"' || b == '\'';
        snprintf(in, sizeof in, "\u4E2D%c\uFF11%c", b, b);
        snprintf(fold_want, sizeof fold_want, "\u4E2D%c1%c", ws ? ' ' : b, ws ? ' ' : b);
        if (drop)
            snprintf(compact_want, sizeof compact_want, "\u4E2D1");
        else
            snprintf(compact_want, sizeof compact_want, "\u4E2D%c1%c", b, b);
        norm_eq(nb_text_fold, in, fold_want);
        norm_eq(nb_text_compact, in, compact_want);
    }
}
END_TEST

/* Invalid bytes become U+FFFD (three bytes each): compacting grows them. */
START_TEST(compact_grows_invalid_bytes)
{
    char *c = nb_text_compact("\xff\xfe\xff\xfe\xff\xfe\xff\xfe");
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(strlen(c), 24);
    ck_assert_uint_eq(nb_utf8_len(c), 8);
    free(c);
}
END_TEST

static void num_eq(const char *s, int64_t v, int scale)
{
    nb_num n;
    ck_assert_msg(nb_num_parse(s, &n), "nb_num_parse(\"%s\") failed", s);
    ck_assert_msg(n.v == v && n.scale == scale, "\"%s\" -> %lld/%d", s, (long long)n.v, n.scale);
    char buf[64];
    nb_num_format(n, buf, sizeof buf);
    /* format is exact: it gives back the digits (without a '+') */
    ck_assert_str_eq(buf, s[0] == '+' ? s + 1 : s);
}

START_TEST(num_parse_format_exact)
{
    num_eq("0", 0, 0);
    num_eq("12", 12, 0);
    num_eq("-15", -15, 0);
    num_eq("+1036", 1036, 0);
    num_eq("5949.088667", 5949088667LL, 6);
    num_eq("75394432.52", 7539443252LL, 2);
    num_eq("11398889", 11398889, 0);
    num_eq("0.5", 5, 1);
    nb_num n;
    ck_assert(!nb_num_parse("", &n));
    ck_assert(!nb_num_parse("-", &n));
    ck_assert(!nb_num_parse("12.", &n));
    ck_assert(!nb_num_parse("1,234", &n)); /* separators are the recogniser's job */
    ck_assert(!nb_num_parse("1.2.3", &n));
    ck_assert(!nb_num_parse("无", &n));
    ck_assert(!nb_num_parse("1234567890123456789", &n)); /* more than 18 digits */
    /* sums stay exact: 0.1 + 0.2 */
    nb_num a, b;
    nb_num_parse("0.1", &a);
    nb_num_parse("0.2", &b);
    char buf[32];
    nb_num_format(nb_num_add(a, b), buf, sizeof buf);
    ck_assert_str_eq(buf, "0.3");
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *dec = tcase_create("decode");
    tcase_add_test(dec, utf8_plain_and_bom);
    tcase_add_test(dec, utf16_by_bom);
    tcase_add_test(dec, gbk_and_gb18030);
    tcase_add_test(dec, newlines_normalised);
    tcase_add_test(dec, binary_and_garbage_rejected);
    tcase_add_test(dec, cli_reports_gbk_encoding);
    tcase_add_test(dec, damaged_and_bomless_text);
    tcase_add_test(dec, utf8_and_gbk_lines);
    tcase_add_test(dec, utf8_valid_matches_plain_path);
    suite_add_tcase(s, dec);
    TCase *norm = tcase_create("normalise");
    tcase_add_test(norm, fold_width_and_spaces);
    tcase_add_test(norm, compact_keeps_ordinals);
    tcase_add_test(norm, label_key_ordinals);
    tcase_add_test(norm, label_key_notes_quotes_punct);
    tcase_add_test(norm, ordinal_len_forms);
    tcase_add_test(norm, key_forms_with_length);
    tcase_add_test(norm, distance_in_code_points);
    tcase_add_test(norm, distance_band_equals_full_table);
    tcase_add_test(norm, compact_grows_invalid_bytes);
    tcase_add_test(norm, fold_every_ascii_byte);
    tcase_add_test(norm, num_parse_format_exact);
    suite_add_tcase(s, norm);
    return s;
}

int main(void) { return tu_main(text_suite()); }
