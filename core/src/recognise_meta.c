/* recognise_meta.c - title, agency, year and publication date.
 *
 * The title is the first short line that names a report (or a crawler's
 * "标题:" line, or a markdown heading).  The agency is the title's text
 * before the year; a title that starts with the year takes the agency from
 * the line above it, from the preamble ("现公布XX局2023年…报告"), or from the
 * signature after section 六. */
#include "recognise_internal.h"
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The character at u that ascii_copy changes, if any: returns its bytes
 * (0: none) and sets *to to what it becomes (0: dropped).  The bytes
 * tested (ASCII, C2, E3, EF) never continue a character, so every one is
 * where decoding s character by character would be too. */
static size_t changed_at(const unsigned char *u, bool squeeze, char *to)
{
    *to = 0;
    if (u[0] < 0x80)
        return squeeze && (u[0] == ' ' || u[0] == '\t' || u[0] == '\f' || u[0] == '\r');
    if (u[0] == 0xEF && u[1] == 0xBC && ((u[2] >= 0x90 && u[2] <= 0x99) || (u[2] >= 0x8D && u[2] <= 0x8F))) {
        *to = (char)(u[2] - 0x60); /* U+FF10..FF19, U+FF0D..FF0F: 0-9 - . / */
        return 3;
    }
    if (!squeeze)
        return 0;
    if (u[0] == 0xC2 && u[1] == 0xA0)
        return 2; /* NBSP */
    return u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80 ? 3 : 0; /* U+3000 */
}

/* The first bytes of what changed_at changes: EF (full-width digits and
 * separators), and with squeeze the blanks ' ' \t \f \r and the leads of
 * NBSP (C2) and U+3000 (E3).  Constant data. */
static const bool MAY_CHANGE[256] = {[0xEF] = true};
static const bool MAY_CHANGE_SQUEEZED[256] = {[' '] = true,  ['\t'] = true, ['\f'] = true, ['\r'] = true,
                                              [0xC2] = true, [0xE3] = true, [0xEF] = true};

/* The first place from i on in u[0, len) with a byte changed_at can
 * answer for (MAY_CHANGE or MAY_CHANGE_SQUEEZED), len if none: sixteen
 * bytes a compare with those bytes where SSE2 is (the lines copied are
 * mostly ideographs, tested a byte a load before), the tail by the table. */
static size_t next_may_change(const unsigned char *u, size_t i, size_t len, bool squeeze)
{
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(u + i));
        __m128i m = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF));
        if (squeeze) {
            __m128i blank = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\f')),
                                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
            __m128i lead = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)),
                                        _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3)));
            m = _mm_or_si128(m, _mm_or_si128(blank, lead));
        }
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
    }
#endif
    const bool *may = squeeze ? MAY_CHANGE_SQUEEZED : MAY_CHANGE;
    while (i < len && !may[u[i]])
        i++;
    return i;
}

/* A new copy of s with full-width digits and date separators written as
 * ASCII (２０２３年, ２０２４－０１－２６); with squeeze, white space (ASCII, NBSP,
 * U+3000) is removed as well.  The bytes between changes are copied as
 * runs, not a character at a time. */
char *rc_ascii_copy(const char *s, bool squeeze)
{
    size_t len = strlen(s), o = 0, run = 0;
    char *out = malloc(len + 1); /* never longer: characters are kept or shortened */
    if (!out)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    /* only the bytes changed_at can answer for are asked about */
    for (size_t i = next_may_change(u, 0, len, squeeze); i < len; i = next_may_change(u, i, len, squeeze)) {
        char to;
        size_t n = changed_at(u + i, squeeze, &to);
        if (!n) {
            i++;
            continue;
        }
        memcpy(out + o, s + run, i - run);
        o += i - run;
        if (to)
            out[o++] = to;
        i += n;
        run = i;
    }
    memcpy(out + o, s + run, len - run);
    out[o + len - run] = '\0';
    return out;
}

static char *squeeze(const char *s) { return rc_ascii_copy(s, true); }

/* The title's text past what leads it: blanks (the ideographic space and
 * tabs Chinese text indents with too), markdown's '#', a "标题:" label. */
static const char *skip_label(const nb_lexicon *lex, const char *s)
{
    for (;;) {
        if (*s == ' ' || *s == '#' || *s == '\t')
            s++;
        else if (strncmp(s, "\xE3\x80\x80", 3) == 0) /* U+3000 */
            s += 3;
        else
            break;
    }
    return s + nb_words_prefix(&lex->title_labels, s);
}

/* One digit of a year or date in characters: a zero, or numerals 一..九
 * (the lexicon's tenth numeral, 十, is no digit). */
static int cn_digit(const nb_lexicon *lex, const char *s, size_t *n)
{
    if ((*n = nb_words_prefix(&lex->year_zeros, s)))
        return 0;
    long i = nb_words_prefix_index(&lex->numerals, s);
    if (i < 0 || i > 8)
        return -1;
    *n = strlen(lex->numerals.v[i]);
    return (int)i + 1;
}

/* The year (2000-2099) written in characters at s ("二〇二三"), *len its
 * bytes; 0 if none is. */
static int cn_year_at(const nb_lexicon *lex, const char *s, size_t *len)
{
    int y = 0;
    size_t off = 0, n;
    for (int k = 0; k < 4; k++) {
        int digit = cn_digit(lex, s + off, &n);
        if (digit < 0)
            return 0;
        y = y * 10 + digit;
        off += n;
    }
    *len = off;
    return y >= 2000 && y <= 2099 ? y : 0;
}

static bool year_mark_at(const char *q)
{
    while (*q == ' ')
        q++;
    return strncmp(q, "年", 3) == 0;
}

/* First "YYYY年" (year 2000-2099, in digits or characters: "二〇二三年")
 * in s; sets *at to its byte offset and *len to the year's bytes. */
static int find_year_len(const nb_lexicon *lex, const char *s, size_t *at, size_t *len)
{
    int year = 0;
    size_t pos = 0, n = 4;
    /* from one '2' to the next (strchr): most of a line is ideographs */
    for (const char *p = strchr(s, '2'); p; p = strchr(p + 1, '2')) {
        if (p[1] == '0' && isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
            (p == s || !isdigit((unsigned char)p[-1])) && year_mark_at(p + 4)) {
            year = (p[2] - '0') * 10 + (p[3] - '0') + 2000;
            pos = (size_t)(p - s);
            break;
        }
    }
    const char *two = lex->numerals.n > 1 ? lex->numerals.v[1] : NULL; /* a year's first digit */
    size_t tl = two ? strlen(two) : 0;
    for (const char *p = tl ? strstr(s, two) : NULL; p && (!year || (size_t)(p - s) < pos); p = strstr(p + tl, two)) {
        size_t cl;
        int y = cn_year_at(lex, p, &cl);
        if (y && year_mark_at(p + cl)) {
            year = y;
            pos = (size_t)(p - s);
            n = cl;
            break;
        }
    }
    if (year && at)
        *at = pos;
    if (year && len)
        *len = n;
    return year;
}

static int find_year(const nb_lexicon *lex, const char *s, size_t *at)
{
    return find_year_len(lex, s, at, NULL);
}

static bool names_report(const nb_lexicon *lex, const char *c)
{
    return nb_words_in(&lex->report_words, c) && strstr(c, "公开");
}

static bool looks_like_agency(const nb_lexicon *lex, const char *c)
{
    size_t n = strlen(c);
    if (n == 0 || n > 90 || find_year(lex, c, NULL) || strstr(c, "。"))
        return false;
    return nb_words_suffix(&lex->agency_suffixes, c, n) > 0;
}

/* The agency written just before a year inside running text:
 * "现公布XX市机关事务管理局2023年政府信息公开工作年度报告". */
static char *agency_before_year(const nb_lexicon *lex, const char *text)
{
    const char *p = text;
    size_t at;
    size_t ylen;
    while (find_year_len(lex, p, &at, &ylen)) {
        const char *y = p + at;
        /* searches stay within windows: a long flattened line must not
         * be rescanned to its end for every year in it */
        size_t rest = strnlen(y, 32);
        if (memmem(y, rest, "政府信息公开", strlen("政府信息公开"))) {
            const char *start = y - (size_t)(y - p > 120 ? 120 : y - p);
            for (size_t i = 0; i < lex->agency_cuts.n; i++) {
                const char *cut = lex->agency_cuts.v[i], *q = start, *last = NULL;
                size_t cl = strlen(cut);
                while (q < y && (q = memmem(q, (size_t)(y - q), cut, cl))) {
                    last = q + cl;
                    q = last;
                }
                if (last && last > start)
                    start = last;
            }
            while (start < y && ((unsigned char)*start & 0xC0) == 0x80)
                start++; /* never start inside a character */
            char *a = nb_strndup(start, (size_t)(y - start));
            if (a && looks_like_agency(lex, a))
                return a;
            free(a);
        }
        p = y + ylen;
    }
    return NULL;
}

/* "2023年XX省XX中心政府信息公开工作年报": the agency follows the year. */
static char *agency_after_year(const nb_lexicon *lex, const char *title)
{
    size_t at;
    if (!find_year(lex, title, &at))
        return NULL;
    const char *p = strstr(title + at, "年") + 3;
    if (strncmp(p, "度", 3) == 0)
        p += 3;
    const char *end = strstr(p, "政府信息公开");
    if (!end)
        end = strstr(p, "政务公开");
    char *a = end && end > p ? nb_strndup(p, (size_t)(end - p)) : NULL;
    if (a && !looks_like_agency(lex, a)) {
        free(a);
        a = NULL;
    }
    return a;
}

/* Longest prefix of s (at most 24 characters) that reads as an agency. */
static char *agency_prefix(const nb_lexicon *lex, const char *s)
{
    char *best = NULL;
    size_t off = 0, len = strlen(s);
    for (int k = 0; k < 24 && off < len; k++) {
        uint32_t c;
        off += nb_utf8_next(s + off, len - off, &c);
        char *p = nb_strndup(s, off);
        if (p && nb_utf8_len(p) >= 3 && looks_like_agency(lex, p)) {
            free(best);
            best = p;
        } else
            free(p);
    }
    return best;
}

/* Prose that names the agency: "本报告由XX街道办事处编制",
 * "2022年，XX街道办事处坚持…". */
static char *agency_in_prose(const nb_lexicon *lex, const char *text)
{
    const char *p = strstr(text, "由");
    if (p) {
        const char *e = strstr(p, "编制");
        if (e && e - p < 80) {
            char *a = nb_strndup(p + 3, (size_t)(e - p - 3));
            if (a && looks_like_agency(lex, a))
                return a;
            free(a);
        }
    }
    size_t at;
    if (find_year(lex, text, &at)) {
        const char *q = strstr(text + at, "年");
        if (q && (strncmp(q + 3, "，", 3) == 0 || strncmp(q + 3, "度，", 6) == 0))
            return agency_prefix(lex, q + (strncmp(q + 3, "，", 3) == 0 ? 6 : 9));
    }
    return NULL;
}

static size_t preamble_end(const rc_doc *d)
{
    for (int i = 0; i < 6; i++)
        if (d->sec_found[i])
            return d->sec_start[i].unit;
    return d->n < 40 ? d->n : 40;
}

/* The unit of the line after unit i's: empty cells (a tab before or after
 * the text) are not it, a blank line is.  d->n: none before end. */
static size_t next_line_text(const rc_doc *d, size_t i, size_t end)
{
    size_t j = i + 1;
    while (j < end && j < d->n && !d->u[j].blank_line && d->u[j].compact_len == 0 && d->u[j].line <= d->u[i].line + 1)
        j++;
    return j < d->n ? j : d->n;
}

/* c without the book title marks around it (《…》, as a text cites a
 * title), in place. */
static char *unquote(char *c)
{
    size_t n = c ? strlen(c) : 0;
    if (n > 6 && strncmp(c, "《", 3) == 0 && strcmp(c + n - 3, "》") == 0) {
        memmove(c, c + 3, n - 6);
        c[n - 6] = '\0';
    }
    return c;
}

/* Unit i's text as a title reads: its label, blanks and book title marks
 * dropped, and a title broken over two lines ("…政府信息公开" /
 * "工作年度报告") joined with the next line before end.  In a text with a
 * blank line after every line (a double-spaced copy) the next line is
 * past one blank line; then it must not name 公开 itself (a site's
 * "信息公开" over the title).  Caller frees; NULL: out of memory. */
static char *title_text(const rc_doc *d, size_t i, size_t end)
{
    char *c = unquote(squeeze(skip_label(d->lex, d->u[i].text)));
    if (c && strstr(c, "公开") && !nb_words_in(&d->lex->report_words, c) && strlen(c) < 100) {
        size_t j = next_line_text(d, i, end);
        bool gap = j < d->n && d->u[j].blank_line;
        if (gap)
            j = next_line_text(d, j, end);
        char *next = j < d->n ? squeeze(d->u[j].text) : NULL;
        if (next && nb_words_in(&d->lex->report_words, next) && strlen(next) < 60 && !(gap && strstr(next, "公开"))) {
            char *joined = nb_strfmt("%s%s", c, next);
            free(c);
            c = joined;
        }
        free(next);
    }
    return c;
}

static void find_title(const rc_doc *d, nb_report *r, size_t end, const char **agency_line)
{
    const char *prev = NULL;
    for (size_t i = 0; i < end && i < d->n; i++) {
        const char *t = skip_label(d->lex, d->u[i].text);
        char *c = title_text(d, i, end);
        if (c && *c && names_report(d->lex, c) && strlen(c) < 150) {
            size_t at = 0;
            int y = find_year(d->lex, c, &at);
            if (y && at == 0 && prev && looks_like_agency(d->lex, prev)) {
                char *full = nb_strfmt("%s%s", prev, c);
                nb_set_str(&r->title, full);
                free(full);
                *agency_line = prev;
            } else
                nb_set_str(&r->title, c);
            free(c);
            return;
        }
        if (c && *c && !strchr(t, ':')) /* "发布时间: …" lines are not agency lines */
            prev = d->u[i].compact;
        free(c);
    }
}

/* "十二" 12, "二十五" 25, "五" 5, "十" 10 */
static int cn_small(const nb_lexicon *lex, const char *s, size_t *used)
{
    size_t n, off = 0;
    int v = 0, d;
    if ((d = cn_digit(lex, s, &n)) > 0) {
        v = d;
        off = n;
    }
    const char *ten = lex->numerals.v[9];
    if (strncmp(s + off, ten, strlen(ten)) == 0) {
        v = (v ? v : 1) * 10;
        off += strlen(ten);
        if ((d = cn_digit(lex, s + off, &n)) > 0) {
            v += d;
            off += n;
        }
    }
    *used = off;
    return off ? v : -1;
}

/* sscanf's %d at s, as glibc reads it: white space skipped, a sign,
 * digits; the value strtol's (clamped to long), then cut to int.  Returns
 * the bytes read, 0 when no number is there.  Dates are read this way
 * instead of through sscanf: its set-up cost more than the date. */
static size_t scan_int(const char *s, int *v)
{
    size_t i = 0;
    while (isspace((unsigned char)s[i]))
        i++;
    bool neg = s[i] == '-';
    i += s[i] == '-' || s[i] == '+';
    if (!isdigit((unsigned char)s[i]))
        return 0;
    unsigned long long x = 0;
    bool over = false;
    for (; isdigit((unsigned char)s[i]); i++) {
        if (x > (ULLONG_MAX - 9) / 10)
            over = true;
        else
            x = x * 10 + (unsigned)(s[i] - '0');
    }
    long l;
    if (neg)
        l = over || x > (unsigned long long)LONG_MAX + 1 ? LONG_MIN : (long)(0 - x);
    else
        l = over || x > (unsigned long long)LONG_MAX ? LONG_MAX : (long)x;
    *v = (int)l;
    return i;
}

/* sscanf(s, "%d<sep>%d", a, b) == 2, where sep is a literal (len bytes)
 * or, when set is given, a run of one or more of its characters. */
static bool scan_pair(const char *s, const char *sep, size_t len, const char *set, int *a, int *b)
{
    size_t n = scan_int(s, a);
    if (!n)
        return false;
    s += n;
    if (set) {
        size_t k = strspn(s, set);
        if (!k)
            return false;
        s += k;
    } else if (strncmp(s, sep, len) != 0)
        return false;
    else
        s += len;
    return scan_int(s, b) > 0;
}

/* "%04d-%02d-%02d" of a date whose parts are in range (year 0..9999). */
static void put_date(char out[32], int y, int m, int d)
{
    const int v[3] = {y, m, d}, w[3] = {4, 2, 2};
    char *p = out;
    for (int k = 0; k < 3; k++) {
        if (k)
            *p++ = '-';
        for (int j = w[k] - 1, x = v[k]; j >= 0; j--, x /= 10)
            p[j] = (char)('0' + x % 10);
        p += w[k];
    }
    *p = '\0';
}

/* sscanf(s, "%4d") of s that starts with a digit: up to four of them. */
static int year4(const char *s)
{
    int y = 0;
    for (int k = 0; k < 4 && isdigit((unsigned char)s[k]); k++)
        y = y * 10 + (s[k] - '0');
    return y;
}

static bool parse_date_in(const nb_lexicon *lex, const char *s, char out[32]);

/* YYYY年M月D日 in arabic or Chinese numerals -> YYYY-MM-DD; spaced forms
 * ("2024 年 1 月 16 日") are read without their spaces, but a time after a
 * date ("2024-01-26 11:11") keeps its space. */
bool rc_parse_date(const nb_lexicon *lex, const char *s, char out[32])
{
    if (parse_date_in(lex, s, out))
        return true;
    char *q = squeeze(s);
    bool ok = q && parse_date_in(lex, q, out);
    free(q);
    return ok;
}

static bool parse_date_in(const nb_lexicon *lex, const char *s, char out[32])
{
    for (const char *p = s; *p; p++) {
        int y = 0, m, dd;
        const char *q = p;
        if (isdigit((unsigned char)q[0]) && (y = year4(q)) >= 2000 && y < 2100 &&
            (q == s || !isdigit((unsigned char)q[-1]))) {
            q += 4;
            while (*q == ' ')
                q++;
            if ((strncmp(q, "年", 3) == 0 && scan_pair(q + 3, "月", 3, NULL, &m, &dd)) ||
                ((*q == '-' || *q == '/' || *q == '.') && scan_pair(q + 1, NULL, 0, "-/.", &m, &dd))) {
                if (m >= 1 && m <= 12 && dd >= 1 && dd <= 31) {
                    put_date(out, y, m, dd);
                    return true;
                }
            }
            continue;
        }
        /* a year in characters starts with a zero word or a numeral: the
         * other places (most) are told by their first byte, not by two
         * word-list calls */
        if (!lex->year_zeros.lead[(unsigned char)*q] && !lex->numerals.lead[(unsigned char)*q])
            continue;
        size_t n, off = 0;
        int dgt;
        y = 0;
        int k = 0;
        while (k < 4 && (dgt = cn_digit(lex, q + off, &n)) >= 0) {
            y = y * 10 + dgt;
            off += n;
            k++;
        }
        if (k == 4 && strncmp(q + off, "年", 3) == 0) {
            off += 3;
            size_t u;
            m = cn_small(lex, q + off, &u);
            if (m > 0 && strncmp(q + off + u, "月", 3) == 0) {
                off += u + 3;
                dd = cn_small(lex, q + off, &u);
                if (dd > 0 && strncmp(q + off + u, "日", 3) == 0 && m <= 12 && dd <= 31) {
                    put_date(out, y, m, dd);
                    return true;
                }
            }
        }
    }
    return false;
}

/* Do the words occur in rc_ascii_copy(s, false) exactly when they occur in
 * s?  They do when none holds a byte the copy writes (0-9 - . /), nor the
 * first two bytes (EF BC) of a character it rewrites, nor starts with a
 * continuation byte (its third): an occurrence then overlaps no changed
 * character, in s or in the copy. */
static bool words_unchanged_by_copy(const nb_wordlist *w)
{
    for (size_t i = 0; i < w->n; i++) {
        const unsigned char *p = (const unsigned char *)w->v[i];
        if ((*p & 0xC0) == 0x80)
            return false;
        for (; *p; p++)
            if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '/' || *p == 0xEF || *p == 0xBC)
                return false;
    }
    return true;
}

static void find_published(const rc_doc *d, nb_report *r)
{
    char date[32];
    size_t head = preamble_end(d);
    /* most preamble lines name no date: told on the text, without a copy */
    bool on_text = words_unchanged_by_copy(&d->lex->date_labels);
    for (size_t i = 0; i < head && i < d->n; i++) {
        if (on_text && !nb_words_in(&d->lex->date_labels, d->u[i].text))
            continue;
        char *c = rc_ascii_copy(d->u[i].text, false); /* "2024-01-26 11:11": keep the space */
        bool hit = c && nb_words_in(&d->lex->date_labels, c) &&
                   rc_parse_date(d->lex, c, date);
        free(c);
        if (hit) {
            nb_set_str(&r->published, date);
            return;
        }
    }
    /* the signature date after section 六: the last date in the document */
    size_t from = d->sec_found[5] ? d->sec_body[5].unit : (d->n > 6 ? d->n - 6 : 0);
    for (size_t i = d->n; i-- > from;) {
        char *c = d->u[i].len < 60 ? rc_ascii_copy(d->u[i].text, false) : NULL;
        bool hit = c && rc_parse_date(d->lex, c, date);
        free(c);
        if (hit) {
            nb_set_str(&r->published, date);
            return;
        }
    }
}

static int year_from_period(const rc_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const char *t = strstr(d->u[i].text, "统计");
        if (t && strstr(t, "1月1日")) {
            int y = find_year(d->lex, t, NULL);
            if (y)
                return y;
        }
    }
    return 0;
}

/* The agency's name is often only in the signature (seeds: line above the date). */
static char *agency_from_signature(const rc_doc *d)
{
    if (!d->sec_found[5])
        return NULL;
    for (size_t i = d->n; i-- > d->sec_body[5].unit;) {
        char *c = squeeze(d->u[i].text);
        if (c && looks_like_agency(d->lex, c))
            return c;
        free(c);
    }
    return NULL;
}

/* The sentence that states the statistics period (统计期限/统计周期 …至…),
 * kept as a fact: the preamble is not one of the six sections, and the
 * year check needs it. */
static void find_period(const rc_doc *d, nb_report *r)
{
    rc_pos end = {d->n, 0};
    for (int i = 0; i < 6; i++)
        if (d->sec_found[i]) {
            end = d->sec_start[i];
            break;
        }
    char *pre = rc_region_text(d, (rc_pos){0, 0}, end);
    const char *hit = pre ? strstr(pre, "统计") : NULL;
    while (hit && !(strstr(hit, "至") && strstr(hit, "至") - hit < 80))
        hit = strstr(hit + 3, "统计");
    if (hit) {
        /* the sentence: back to 。 or a line break, forward to 。 */
        const char *start = hit;
        while (start > pre && start[-1] != '\n' && !(start - pre >= 3 && strncmp(start - 3, "。", 3) == 0))
            start--;
        const char *stop = strstr(hit, "。"), *nl = strchr(hit, '\n');
        if (!stop || (nl && nl < stop))
            stop = nl;
        char *raw = nb_strndup(start, stop ? (size_t)(stop - start) : strlen(start));
        char *sentence = raw ? squeeze(raw) : NULL;
        if (sentence && *sentence)
            nb_report_set_fact(r, "statistics_period", sentence);
        free(raw);
        free(sentence);
    }
    free(pre);
}

/* The agency of a title that names it before its year: the text before
 * the year, or before the report's subject when that text runs on into it
 * ("XX局政府信息公开工作2023年度报告"). a: the text before the year (freed
 * here when replaced). */
static char *agency_before_subject(const nb_lexicon *lex, char *a)
{
    if (!a || looks_like_agency(lex, a))
        return a;
    for (size_t i = 0; i < lex->report_subjects.n; i++) {
        const char *p = strstr(a, lex->report_subjects.v[i]);
        char *cut = p && p > a ? nb_strndup(a, (size_t)(p - a)) : NULL;
        if (cut && looks_like_agency(lex, cut)) {
            free(a);
            return cut;
        }
        free(cut);
    }
    return a;
}

void rc_find_meta(const rc_doc *d, nb_report *r)
{
    size_t end = preamble_end(d);
    const char *agency_line = NULL;
    find_title(d, r, end ? end : d->n, &agency_line);
    size_t at = 0;
    int y = r->title ? find_year(d->lex, r->title, &at) : 0;
    r->year = y ? y : year_from_period(d);
    char *agency = NULL;
    if (agency_line)
        agency = nb_strdup(agency_line);
    else if (r->title && y && at > 0) {
        agency = nb_strndup(r->title, at);
        if (agency && strncmp(agency, "关于", 6) == 0)
            memmove(agency, agency + 6, strlen(agency + 6) + 1);
        agency = agency_before_subject(d->lex, agency);
    }
    if (!agency && r->title && y && at == 0)
        agency = agency_after_year(d->lex, r->title);
    for (size_t i = 0; !agency && i < d->n && i < end + 3; i++) {
        char *c = squeeze(d->u[i].text);
        agency = c ? agency_before_year(d->lex, c) : NULL;
        free(c);
    }
    for (size_t i = 0; !agency && i < d->n && i < end + 6; i++) {
        char *c = squeeze(d->u[i].text);
        agency = c ? agency_in_prose(d->lex, c) : NULL;
        free(c);
    }
    if (!agency)
        agency = agency_from_signature(d);
    nb_set_str(&r->agency, agency && *agency ? agency : NULL);
    free(agency);
    find_published(d, r);
    find_period(d, r);
}

/* The title at unit i, or the agency's line over it (blank lines
 * between, none before unit floor), which a title starting with the year
 * belongs to. */
static size_t with_agency_line(const rc_doc *d, size_t i, size_t floor)
{
    size_t k = i;
    while (k > floor && k + 3 > i && d->u[k - 1].compact_len == 0)
        k--;
    return k > floor && looks_like_agency(d->lex, d->u[k - 1].compact) ? k - 1 : i;
}

/* Does unit j open section 一 again: "一、" and, when this report's own
 * section 一 heading was found, its first words ("一、总体情况"), so that a
 * numbered list inside section 六 is not taken for a new report.  Other
 * numberings (第一部分 1.) only with the words: a bare numeral starts
 * lines such as 一是… */
static bool section_one_again(const rc_doc *d, const nb_template *tp, size_t j, const char *first_words)
{
    const char *c = d->u[j].compact;
    size_t head = rc_heading_number_len(d, tp, 0, c, first_words != NULL);
    if (!head)
        return false;
    return !first_words || strncmp(c + head, first_words, strlen(first_words)) == 0;
}

/* A title's text (title_text) names a report, with a year if with_year. */
static bool is_report_title(const nb_lexicon *lex, const char *c, bool with_year)
{
    return c && names_report(lex, c) && (!with_year || find_year(lex, c, NULL)) && strlen(c) < 150 &&
           !strstr(c, "。");
}

bool rc_unit_names_report(const rc_doc *d, size_t i, bool with_year)
{
    if (d->u[i].len > 200)
        return false;
    char *c = squeeze(skip_label(d->lex, d->u[i].text));
    bool title = is_report_title(d->lex, c, with_year);
    free(c);
    return title;
}

/* Does unit u end with a report word (…报告, …报告》)?  Its last byte
 * first: most units end otherwise. */
static bool ends_naming_report(const nb_lexicon *lex, const rc_unit *u)
{
    size_t n = u->compact_len;
    if (n >= 3 && memcmp(u->compact + n - 3, "》", 3) == 0)
        n -= 3;
    return n && lex->report_words.last[(unsigned char)u->compact[n - 1]] &&
           nb_words_suffix(&lex->report_words, u->compact, n);
}

/* Can unit i be a title's (first) line, told at a glance: long enough to
 * hold a year and 公开, the only text of its line (a tab before or after
 * it at most), and it or one of the two units after it (the title's
 * second line, past a blank line) ends with a report word.  A report's
 * body has thousands of units, most of them a table row's label and
 * values, or prose. */
static bool may_be_title_line(const rc_doc *d, size_t i)
{
    const rc_unit *u = &d->u[i];
    if (u->compact_len < 18 || u->len > 200)
        return false;
    if (u->row) {
        bool alone_before = u->cell == 0 || (u->cell == 1 && d->u[i - 1].compact_len == 0);
        bool alone_after = i + 1 >= d->n || d->u[i + 1].line != u->line || d->u[i + 1].compact_len == 0;
        if (!alone_before || !alone_after)
            return false;
    }
    for (size_t k = i; k < d->n && k <= i + 2; k++)
        if (ends_naming_report(d->lex, &d->u[k]))
            return true;
    return false;
}

size_t rc_report_start_in(const rc_doc *d, const nb_template *tp, size_t from, size_t to, bool inside,
                          size_t *title_unit)
{
    *title_unit = d->n;
    /* the first two characters of this report's section 一 title */
    char words[8] = "";
    char *t1 = d->sec_found[0] && d->sec_title[0] ? squeeze(d->sec_title[0]) : NULL;
    if (t1 && strlen(t1) >= 6 && (unsigned char)t1[0] >= 0xE0 && (unsigned char)t1[3] >= 0xE0)
        memcpy(words, t1, 6);
    free(t1);
    for (size_t i = from; i < to && i < d->n; i++) {
        /* a title names 公开 on its first line: most lines are told
         * without a copy */
        if (d->u[i].len > 200 || (inside && !may_be_title_line(d, i)) ||
            !strstr(d->u[i].compact, "公开")) /* compact: 公 开 spaced out */
            continue;
        char *c = title_text(d, i, d->n); /* a line or two */
        bool title = is_report_title(d->lex, c, true);
        free(c);
        for (size_t j = i + 1; title && j < d->n && j < i + 40; j++)
            if (section_one_again(d, tp, j, words[0] ? words : NULL)) {
                *title_unit = i;
                return with_agency_line(d, i, from);
            }
    }
    return d->n;
}

/* A second report after this one in the same text (a crawler's dump of
 * several pages, files joined): a title line (or two) after section 六
 * begins, then section 一 again within a few lines.  This report's section 六
 * ends there; recognise.c reads the next on its own lines, or warns. */
size_t rc_second_report_at(const rc_doc *d, const nb_template *tp, size_t *title_unit)
{
    *title_unit = d->n;
    if (!d->sec_found[5])
        return d->n;
    return rc_report_start_in(d, tp, d->sec_start[5].unit + 1, d->n, false, title_unit);
}
