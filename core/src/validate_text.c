/* validate_text.c - text-versus-table checks (domain.md §4.9).
 *
 * The narrative is folded (full-width ASCII to ASCII), spaces are dropped
 * and it is cut into sentences at 。 ; ! ? and line ends in one pass; the
 * rule's POSIX extended regexes run on each sentence, or on windows of at
 * most V_WINDOW bytes of a longer one, so a hostile text costs time in
 * proportion to its length.  Regexes run in the "C" locale so
 * they see bytes: a CJK character is three bytes in a {m,n} gap, and
 * [^0-9] never splits one.  Approximate numbers (余, 多, 约, 近) are
 * skipped, and findings are warnings: a narrative is loosely written. */
#include "validate_int.h"
#include "c_locale.h"
#include "text_internal.h"
#include "util.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest piece of text a regex runs over: a sentence longer than this
 * is cut at clause breaks (，、：) so the checks stay linear in the text. */
#define V_WINDOW 1024

/* Folded text without spaces, its length in *len; NULL for an absent
 * section.  The block holds at least 3 * len + 3 bytes: after the text,
 * room for the pieces cut_pieces writes (len + their number + 1 bytes at
 * most), so a section costs one malloc, not two. */
static char *prepare(const char *text, size_t *len)
{
    *len = 0;
    if (!text)
        return NULL;
    size_t tlen = strlen(text), room = NB_TEXT_FOLD_ROOM(tlen);
    char *f = malloc(room);
    if (!f)
        return NULL;
    nb_text_transform_to(text, tlen, false, f); /* nb_text_fold's text, in a block of known room */
    /* runs between spaces move down whole: a narrative has few spaces */
    char *w = f + strcspn(f, " \t\r");
    for (const char *p = w; *p;) {
        p += strspn(p, " \t\r");
        size_t n = strcspn(p, " \t\r");
        memmove(w, p, n);
        w += n;
        p += n;
    }
    *w = '\0';
    *len = (size_t)(w - f);
    if (3 * *len + 3 <= room)
        return f; /* the usual case: only broken bytes (U+FFFD) make the text longer */
    char *grown = realloc(f, 3 * *len + 3);
    if (!grown)
        free(f);
    return grown;
}

char *v_prepare(const char *text)
{
    size_t len;
    return prepare(text, &len);
}

/* Length of the sentence stop at p (。 ; ! ? ； or a line end), 0 if none.
 * Byte compares, not strncmp: this runs on every byte of the narrative. */
static size_t stop_at(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    if (*u == ';' || *u == '!' || *u == '?' || *u == '\n')
        return 1;
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x82) /* 。 */
        return 3;
    if (u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x9B) /* ； */
        return 3;
    return 0;
}

/* Length of the sentence starting at s, found in one pass: strcspn skips
 * to the next byte a delimiter may start with (; ! ? newline, and the lead
 * bytes of 。 and ；), sixteen bytes a step; only there is stop_at asked. */
static size_t sentence_len(const char *s)
{
    for (size_t n = 0;; n++) {
        n += strcspn(s + n, ";!?\n\xE3\xEF");
        if (!s[n] || stop_at(s + n))
            return n;
    }
}

/* Does a clause break (, ， 、 ：) end just before s + k? */
static bool clause_ends_at(const char *s, size_t k)
{
    if (s[k - 1] == ',')
        return true;
    return k >= 3 && (strncmp(s + k - 3, "，", 3) == 0 || strncmp(s + k - 3, "、", 3) == 0 ||
                      strncmp(s + k - 3, "：", 3) == 0);
}

/* Where to cut a piece longer than V_WINDOW: after the last clause break in
 * its second half, else before the last UTF-8 character that fits. */
static size_t window_cut(const char *s)
{
    for (size_t k = V_WINDOW; k > V_WINDOW / 2; k--)
        if (clause_ends_at(s, k))
            return k;
    size_t k = V_WINDOW;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k ? k : V_WINDOW;
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static bool ends_with(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && memcmp(s + len - n, p, n) == 0;
}

/* The number captured by group g, widened to whole digits; false when it
 * is approximate or absent. */
static bool stated_number(const v_rule *r, const char *s, const regmatch_t *m, int g, nb_num *out,
                          char *buf, size_t buflen)
{
    if (g <= 0 || m[g].rm_so < 0)
        return false;
    size_t a = (size_t)m[g].rm_so, b = (size_t)m[g].rm_eo;
    while (a > 0 && s[a - 1] >= '0' && s[a - 1] <= '9')
        a--;
    while ((s[b] >= '0' && s[b] <= '9') || (s[b] == '.' && s[b + 1] >= '0' && s[b + 1] <= '9'))
        b++;
    if (b <= a || b - a >= buflen)
        return false;
    for (size_t k = 0; k < r->napprox; k++)
        if (has_prefix(s + b, r->approx[k]) || ends_with(s, a, r->approx[k]))
            return false;
    memcpy(buf, s + a, b - a);
    buf[b - a] = '\0';
    return nb_num_parse(buf, out);
}

typedef struct tctx {
    const v_eval *ev;
    const v_rule *r;
    v_skip skip;
    nb_num seen[16];
    size_t nseen;
    bool done;         /* the rule does not apply to this report */
    v_val *cmp;        /* the table values compared with, each computed once */
    uint64_t cmp_done; /* bit i: cmp[i] is computed */
    uint64_t may;      /* bit k: pattern k may match in the current section */
    uint64_t held;     /* the current piece's strings (v_litset), 0: not known */
} tctx;

/* The table value of compare alternative i: it does not depend on the
 * sentence, so it is summed once per report, and only when asked (a stated
 * number equal to the first alternative is not summed against the
 * others); NULL when memory ran out. */
static const v_val *compare_value(tctx *c, size_t i)
{
    if (!c->cmp && !(c->cmp = calloc(c->r->ncompare, sizeof *c->cmp)))
        return NULL;
    if (i >= 64 || !(c->cmp_done >> i & 1)) {
        c->cmp[i] = v_sum_value(c->ev, &c->r->compare[i], NULL);
        c->cmp_done |= i < 64 ? (uint64_t)1 << i : 0;
    }
    return &c->cmp[i];
}

static char *snippet(const char *s, const regmatch_t *m)
{
    return nb_strndup(s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
}

static bool already(tctx *c, nb_num n)
{
    for (size_t i = 0; i < c->nseen; i++)
        if (nb_num_cmp(c->seen[i], n) == 0)
            return true;
    if (c->nseen < 16)
        c->seen[c->nseen++] = n;
    return false;
}

static char *compare_label(const tctx *c, const v_val *v)
{
    if (c->r->formula)
        return nb_strdup(c->r->formula);
    return v_label(v->field);
}

/* Compares a stated count with the table: equal to any alternative is fine. */
static void check_count(tctx *c, int sec, const char *text, nb_num stated)
{
    v_val first = {VR_NOFIELD, nb_num_int(0), 0, NULL, NULL}, gap = first;
    bool any_ok = false;
    for (size_t i = 0; i < c->r->ncompare; i++) {
        const v_val *pv = compare_value(c, i);
        if (!pv)
            break;
        v_val v = *pv;
        if (v.res == VR_OK && nb_num_overflowed(v.sum))
            continue; /* too large to compare; the linear checks say so */
        if (v.res == VR_OK) {
            if (nb_num_cmp(v.sum, stated) == 0)
                return;
            if (!any_ok)
                first = v;
            any_ok = true;
        } else if (v.res > gap.res) {
            gap = v;
        }
    }
    if (!any_ok) {
        if (gap.res == VR_NOFIELD)
            c->done = true; /* not this variant's fields */
        else
            v_skip_note(&c->skip, &gap, NULL);
        return;
    }
    if (already(c, stated))
        return;
    char *st = v_num_str(stated), *fd = v_num_str(first.sum), *label = compare_label(c, &first);
    char *msg = c->r->message ? v_fill(c->r->message, label, st, fd, c->r->formula)
                              : nb_strfmt("第%d部分文字“%s”为 %s，而表格中%s为 %s", sec, text, st,
                                          label, fd);
    v_emit(c->ev, c->r, false, first.field ? first.field->path : "", st, fd, "%s", msg);
    free(msg);
    free(st);
    free(fd);
    free(label);
}

/* 10^-dec without libm (one library fewer to map at every start):
 * 10^k is exact in a double up to k = 22, so 1 / 10^k rounds as pow
 * does; beyond 18 the term is under half an ulp of the 0.01 it is
 * added to, and the sum is 0.01 either way. */
static double ten_to_minus(int dec)
{
    if (dec > 22)
        return 0.0;
    double p = 1.0;
    for (int i = 0; i < dec; i++)
        p *= 10.0;
    return 1.0 / p;
}

static void check_percent(tctx *c, int sec, const char *text, nb_num count, nb_num pct,
                          const char *pctraw)
{
    for (size_t i = 0; i < c->r->ncompare; i++) {
        const v_val *pv = compare_value(c, i);
        if (!pv)
            break;
        v_val v = *pv;
        if (v.res != VR_OK || nb_num_overflowed(v.sum))
            continue;
        double base = nb_num_to_double(v.sum);
        if (base <= 0)
            return;
        double calc = nb_num_to_double(count) * 100.0 / base, p = nb_num_to_double(pct);
        const char *dot = strchr(pctraw, '.');
        int dec = dot ? (int)strlen(dot + 1) : 0;
        double tol = 0.5 * ten_to_minus(dec) + 0.01;
        if (fabs(calc - p) <= tol)
            return;
        if (i + 1 < c->r->ncompare)
            continue; /* another base may fit */
        if (already(c, pct))
            return;
        char calcs[32], *fd = v_num_str(count), *bs = v_num_str(v.sum);
        nb_snprintf_c(calcs, sizeof calcs, "%.2f", calc);
        v_emit(c->ev, c->r, false, v.field ? v.field->path : "", calcs, pctraw,
               "第%d部分文字“%s”：%s 件占 %s 件应为 %s%%，文中为 %s%%", sec, text, fd, bs,
               calcs, pctraw);
        free(bs);
        free(fd);
        return;
    }
}

static void on_match(tctx *c, int sec, const char *s, const regmatch_t *m)
{
    char buf[64], pbuf[64];
    nb_num n;
    char *text = snippet(s, m);
    if (c->r->kind == VK_TEXT_PERCENT) {
        nb_num pct;
        if (stated_number(c->r, s, m, c->r->group, &n, buf, sizeof buf) &&
            stated_number(c->r, s, m, c->r->group2, &pct, pbuf, sizeof pbuf))
            check_percent(c, sec, text, n, pct, pbuf);
    } else if (c->r->has_value) {
        check_count(c, sec, text, c->r->value);
    } else if (stated_number(c->r, s, m, c->r->group, &n, buf, sizeof buf)) {
        check_count(c, sec, text, n);
    }
    free(text);
}

/* False when the sentence lacks every one of the strings a match needs
 * (v_regex_needs): regexec would find nothing, a substring search is far
 * cheaper, and the pattern need not even be compiled. */
static bool may_match(const char *needs, const char *s)
{
    if (!needs)
        return true;
    for (const char *n = needs; *n; n += strlen(n) + 1)
        if (strstr(s, n))
            return true;
    return false;
}

/* Bit k: pattern k may match somewhere in the section (a literal it needs
 * is there); a pattern past the 64th is always tried. */
static bool section_may(tctx *c, const char *text)
{
    c->may = 0;
    for (size_t k = 0; k < c->r->nre; k++)
        if (k >= 64 || !c->r->lits || may_match(c->r->lits[k], text))
            c->may |= k < 64 ? (uint64_t)1 << k : 0;
    return c->may != 0 || c->r->nre > 64;
}

static bool want_section(void *ctx, int sec, const char *text)
{
    (void)sec;
    return section_may(ctx, text);
}

static void scan_sentence(tctx *c, int sec, char *s)
{
    regmatch_t m[10];
    bool number = c->r->kind == VK_TEXT_PERCENT || !c->r->has_value;
    size_t nm = number ? v_groups_upto(c->r->group, c->r->group2) : 1;
    unsigned read = number ? v_group_bit(c->r->group) | v_group_bit(c->r->group2) : 0;
    for (size_t k = 0; k < c->r->nre && !c->done; k++) {
        if (c->held) {
            if (!(c->r->litmask[k] & c->held) || !v_needs_met(&c->r->re[k], c->held))
                continue; /* the piece lacks every string the pattern needs (of one of its lists) */
        } else if ((k < 64 && !(c->may & ((uint64_t)1 << k))) ||
                   (c->r->lits && !may_match(c->r->lits[k], s))) {
            continue;
        }
        const char *p = s;
        int flags = 0;
        while (*p && !c->done && v_regex_exec_held(c->ev->rs, &c->r->re[k], p, nm, m, flags, read, c->held)) {
            on_match(c, sec, p, m);
            if (m[0].rm_eo <= 0)
                break;
            p += m[0].rm_eo;
            flags = REG_NOTBOL;
        }
    }
}

/* Appends the pieces of the sentence [s, s+n) at out, each NUL-ended:
 * the whole sentence, or windows of at most V_WINDOW bytes when it is
 * longer, so no regex ever sees more; *count grows by their number.
 * Returns the end of what it wrote. */
static char *put_windows(char *out, const char *s, size_t n, size_t *count)
{
    while (n > 0) {
        size_t w = n > V_WINDOW ? window_cut(s) : n;
        memcpy(out, s, w);
        out[w] = '\0';
        out += w + 1;
        s += w;
        n -= w;
        (*count)++;
    }
    return out;
}

/* A prepared section (len bytes) cut into its pieces once, for every rule
 * that reads it: "piece\0piece\0...\0" ended by an empty piece, written
 * in prepare's block after the text (a view: freed with it); *count: how
 * many. */
static char *cut_pieces(char *t, size_t len, size_t *count)
{
    *count = 0;
    if (!t)
        return NULL;
    /* a piece adds one NUL and holds at least one byte of the text */
    char *out = t + len + 1, *o = out;
    for (const char *p = t; *p;) {
        size_t n = sentence_len(p);
        o = put_windows(o, p, n, count);
        p += n;
        p += stop_at(p); /* the delimiter, or nothing at the end */
    }
    *o = '\0';
    return out;
}

/* A piece's length and the strings of the ruleset's v_litset it holds. */
typedef struct v_piece {
    size_t len;
    uint64_t held;
} v_piece;

/* Per piece of the list (n of them): its v_piece, then one of length 0
 * (caller frees); *any: the union of their strings. */
static v_piece *piece_masks(const v_litset *ls, const char *pieces, size_t n, uint64_t *any)
{
    v_piece *m = malloc((n + 1) * sizeof *m);
    size_t k = 0;
    for (const char *p = pieces; m && *p; k++) {
        size_t len = strlen(p);
        m[k] = (v_piece){len, v_lits_in(ls, p, len)};
        *any |= m[k].held;
        p += len + 1;
    }
    if (m)
        m[k] = (v_piece){0, 0};
    return m;
}

void v_texts_free(v_texts *t)
{
    for (int i = 0; i < 6; i++) {
        free(t->prepared[i]); /* and its pieces */
        free(t->held[i]);
    }
}

/* Section i prepared, and its pieces (in the same block), from the cache
 * when there is one (then borrowed: *owned stays NULL). */
static char *section_text(const v_eval *ev, int i, char **owned, char **pieces)
{
    const char *raw = ev->src->r->sections[i].text;
    *owned = NULL;
    size_t len, n;
    if (!ev->texts) {
        *owned = prepare(raw, &len);
        *pieces = cut_pieces(*owned, len, &n);
        return *owned;
    }
    if (!ev->texts->done[i]) {
        ev->texts->prepared[i] = prepare(raw, &len);
        ev->texts->pieces[i] = cut_pieces(ev->texts->prepared[i], len, &n);
        if (ev->rs->lits && ev->texts->pieces[i])
            ev->texts->held[i] = piece_masks(ev->rs->lits, ev->texts->pieces[i], n, &ev->texts->held_any[i]);
        if (ev->texts->held[i] || !ev->texts->pieces[i]) {
            ev->texts->settled++;
            ev->texts->held_all |= ev->texts->held_any[i];
        }
        ev->texts->done[i] = true;
    }
    *pieces = ev->texts->pieces[i];
    return ev->texts->prepared[i];
}

void v_each_sentence_if(const v_eval *ev, unsigned mask, bool (*want)(void *, int, const char *),
                        void (*fn)(void *, int, char *), void *ctx)
{
    const nb_report *r = ev->src->r;
    for (int i = 0; r && i < 6; i++) {
        if (mask && !(mask & (1u << i)))
            continue;
        char *owned, *pieces;
        char *t = section_text(ev, i, &owned, &pieces);
        if (t && pieces && (!want || want(ctx, i + 1, t)))
            for (char *p = pieces; *p; p += strlen(p) + 1)
                fn(ctx, i + 1, p);
        free(owned);
    }
}

/* fn on the pieces whose kept mask meets want. */
static void each_held(char *pieces, const v_piece *held, int sec, uint64_t want,
                      void (*fn)(void *, int, char *, uint64_t), void *ctx)
{
    char *p = pieces;
    for (const v_piece *h = held; h->len; p += h->len + 1, h++)
        if (h->held & want)
            fn(ctx, sec, p, h->held);
}

void v_each_piece(const v_eval *ev, unsigned mask, uint64_t want,
                  void (*fn)(void *, int, char *, uint64_t), void *ctx)
{
    const nb_report *r = ev->src->r;
    const v_texts *tx = ev->texts;
    if (tx && tx->settled == 6 && !(tx->held_all & want))
        return; /* no piece of the report holds what the rule needs */
    for (int i = 0; r && i < 6; i++) {
        if (mask && !(mask & (1u << i)))
            continue;
        if (tx && tx->done[i] && tx->held[i]) { /* the usual case: prepared, masks known */
            if (tx->held_any[i] & want)
                each_held(tx->pieces[i], tx->held[i], i + 1, want, fn, ctx);
            continue; /* else no piece of the section holds what the rule needs */
        }
        if (tx && tx->done[i] && !tx->pieces[i])
            continue; /* an absent section: nothing to prepare again for every rule */
        char *owned, *pieces;
        char *t = section_text(ev, i, &owned, &pieces);
        const v_piece *held = ev->texts && !owned ? ev->texts->held[i] : NULL;
        size_t k = 0;
        for (char *p = t ? pieces : NULL; p && *p; k++) {
            size_t len = held ? held[k].len : strlen(p); /* lengths kept: no strlen per rule */
            uint64_t m = held ? held[k].held : v_lits_in(ev->rs->lits, p, len);
            if (m & want)
                fn(ctx, i + 1, p, m);
            p += len + 1;
        }
        free(owned);
    }
}

/* Calls fn on every sentence of the sections the rule reads; the sections
 * are cut once per report, so the cost is linear in their length. */
void v_each_sentence(const v_eval *ev, unsigned mask, void (*fn)(void *, int, char *), void *ctx)
{
    v_each_sentence_if(ev, mask, NULL, fn, ctx);
}

static void text_sentence(void *ctx, int sec, char *s)
{
    scan_sentence(ctx, sec, s);
}

static void text_piece(void *ctx, int sec, char *s, uint64_t held)
{
    tctx *c = ctx;
    c->held = held;
    scan_sentence(c, sec, s);
}

typedef struct fctx {
    const v_eval *ev;
    const v_rule *r;
    char *value;
    size_t best;   /* index of the fact pattern that matched first */
    uint64_t held; /* the current piece's strings (v_litset), 0: not known */
} fctx;

static void fact_sentence(void *ctx, int sec, char *s)
{
    (void)sec;
    fctx *c = ctx;
    regmatch_t m[10];
    for (size_t k = 0; k < c->r->nfacts && k < c->best; k++) {
        const v_fact_pat *fp = &c->r->facts[k];
        size_t nm = fp->value ? 1 : v_groups_upto(fp->group, 0);
        unsigned read = v_group_bit(fp->group);
        if (c->held ? !(fp->litmask & c->held) || !v_needs_met(&fp->re, c->held) : !may_match(fp->lit, s))
            continue; /* the piece lacks every string the pattern needs */
        if (!v_regex_exec_held(c->ev->rs, &fp->re, s, nm, m, 0, read, c->held))
            continue;
        char buf[64];
        nb_num n;
        char *v = fp->value ? nb_strdup(fp->value)
                : stated_number(c->r, s, m, fp->group, &n, buf, sizeof buf) ? nb_strdup(buf)
                                                                              : NULL;
        if (v) {
            free(c->value);
            c->value = v;
            c->best = k;
        }
    }
}

/* Some fact pattern may match in the section (a literal it needs is there). */
static bool fact_section(void *ctx, int sec, const char *text)
{
    (void)sec;
    fctx *c = ctx;
    for (size_t k = 0; k < c->r->nfacts && k < c->best; k++)
        if (may_match(c->r->facts[k].lit, text))
            return true;
    return false;
}

static void fact_piece(void *ctx, int sec, char *s, uint64_t held)
{
    fctx *c = ctx;
    c->held = held;
    fact_sentence(c, sec, s);
}

/* Whether pattern x (needing one of mask) may match in some piece of the
 * report: false when the union of the pieces' strings, known once every
 * section is prepared, lacks what it needs (a string of mask, or one of
 * each of its lists); then the rule's sections are not walked at all. */
static bool report_may(const v_eval *ev, const v_regex *x, uint64_t mask)
{
    const v_texts *tx = ev->texts;
    if (!tx || tx->settled != 6)
        return true;
    return (mask & tx->held_all) && v_needs_met(x, tx->held_all);
}

static bool rule_may(const v_eval *ev, const v_rule *r)
{
    if (!ev->rs->lits)
        return true;
    for (size_t k = 0; k < r->nfacts; k++)
        if (report_may(ev, &r->facts[k].re, r->facts[k].litmask))
            return true;
    for (size_t k = 0; r->litmask && k < r->nre; k++)
        if (report_may(ev, &r->re[k], r->litmask[k]))
            return true;
    return false;
}

static void run_fact(const v_eval *ev, const v_rule *r)
{
    fctx c = {ev, r, NULL, r->nfacts, 0};
    if (!ev->rs->lits || !r->litwant)
        v_each_sentence_if(ev, r->sections, fact_section, fact_sentence, &c);
    else if (rule_may(ev, r)) /* else no piece can hold a match: the default stands */
        v_each_piece(ev, r->sections, r->litwant, fact_piece, &c);
    const char *v = c.value ? c.value : r->fact_default;
    if (v && ev->rw)
        nb_report_set_fact(ev->rw, r->fact, v);
    free(c.value);
}

/* A text rule that may match in the report: its pieces are read with the
 * rule's context (large: not set up for a rule that cannot match). */
__attribute__((noinline)) static void run_text(const v_eval *ev, const v_rule *r)
{
    tctx c; /* field by field: seen[] is read only up to nseen, not zeroed per rule */
    c.ev = ev;
    c.r = r;
    c.skip = (v_skip){0};
    c.nseen = 0;
    c.done = false;
    c.cmp = NULL;
    c.cmp_done = 0;
    c.may = c.held = 0;
    if (!ev->rs->lits || !r->litwant)
        v_each_sentence_if(ev, r->sections, want_section, text_sentence, &c);
    else
        v_each_piece(ev, r->sections, r->litwant, text_piece, &c);
    free(c.cmp);
    if (c.done)
        memset(&c.skip.n, 0, sizeof c.skip.n);
    v_skip_flush(ev, r, &c.skip);
}

void v_run_text(const v_eval *ev, const v_rule *r)
{
    if (r->kind == VK_TEXT_FACT)
        run_fact(ev, r);
    else if (!ev->rs->lits || !r->litwant || rule_may(ev, r)) /* else no piece can hold a match */
        run_text(ev, r);
}
