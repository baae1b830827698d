/* recognise_sections.c - finding the six section headings.
 *
 * A heading is its numeral (二、) followed by one of the template's heading
 * texts, matched on the compact form so spaces and full-width forms do not
 * matter, and searched in order so that table rows that also start with
 * 一、 二、 三、 四、 (domain.md §2.4) cannot cut a section: their text is not a
 * heading text.  Headings glued to running text are found mid-line. */
#include "recognise_internal.h"
#include "arena.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Byte length of the first n code points of NUL-terminated s (fewer when
 * s ends first: *got says how many).  Never reads past the NUL, so the
 * search stays linear on one long line. */
static size_t take_chars(const char *s, size_t n, size_t *got)
{
    size_t off = 0, k = 0;
    for (; k < n && s[off]; k++) {
        uint32_t c;
        off += nb_u8_next(s + off, 4, &c); /* a NUL ends any sequence */
    }
    *got = k;
    return off;
}

/* The first two code points of s (0 where s ends). */
static void first_two(const char *s, uint32_t c[2])
{
    c[0] = c[1] = 0;
    if (!*s)
        return;
    size_t n = nb_u8_next(s, 4, &c[0]);
    if (s[n])
        nb_u8_next(s + n, 4, &c[1]);
}

/* What a search for one section reads: its heading texts, and the bytes
 * of its numeral. */
typedef struct heading_forms {
    const heading_form *v;
    size_t n;
    uint64_t whole;
    size_t whole_max;
    size_t numeral_len;
    size_t len_lo, len_span; /* never_whole: lengths outside lo..lo+span */
    const struct rc_headings *h;
} heading_forms;

/* The lengths in code points a cell holding nothing but heading text f can
 * have: f's own, and one more or less when a typo is allowed (near_heading). */
static uint64_t whole_lengths(const heading_form *f)
{
    size_t lo = f->chars >= 8 ? f->chars - 1 : f->chars, hi = f->chars >= 8 ? f->chars + 1 : f->chars;
    if (hi >= 64)
        return ~0ull;
    uint64_t bits = 0;
    for (size_t k = lo; k <= hi; k++)
        bits |= 1ull << k;
    return bits;
}

/* n zeroed bytes of a, aligned for the structures above. */
static void *arena_zalloc(nb_arena *a, size_t n)
{
    const size_t al = _Alignof(max_align_t);
    char *p = nb_arena_alloc(a, n + al - 1);
    if (!p)
        return NULL;
    p += (al - (uintptr_t)p % al) % al;
    return memset(p, 0, n);
}

/* Numbering p of the lexicon (第{n}部分, compacted) for the section
 * numbered numeral and no, in a (NULL: out of memory). */
static const char *expand_numbering(const char *p, const char *numeral, int no, nb_arena *a, size_t *len)
{
    nb_buf b = {0};
    bool ok = true;
    for (const char *c = p; *c && ok;) {
        if (strncmp(c, "{n}", 3) == 0)
            ok = nb_buf_adds(&b, numeral), c += 3;
        else if (strncmp(c, "{d}", 3) == 0)
            ok = nb_buf_printf(&b, "%d", no), c += 3;
        else
            ok = nb_buf_addc(&b, *c++);
    }
    char *whole = ok ? nb_buf_steal(&b) : NULL;
    nb_buf_free(&b);
    const char *kept = whole ? nb_arena_strndup(a, whole, (*len = strlen(whole))) : NULL;
    free(whole);
    return kept;
}

static void longer_first(const char **v, size_t *len, size_t n)
{
    for (size_t i = 1; i < n; i++) /* a handful: insertion sort */
        for (size_t k = i; k > 0 && len[k] > len[k - 1]; k--) {
            const char *t = v[k];
            size_t l = len[k];
            v[k] = v[k - 1], len[k] = len[k - 1];
            v[k - 1] = t, len[k - 1] = l;
        }
}

/* Section sec's other numberings (rc_headings.prefix). */
static bool build_numberings(struct rc_headings *h, const nb_lexicon *lex, int sec, nb_arena *a)
{
    const nb_wordlist *w = &lex->heading_numbers;
    if (!w->n)
        return true;
    h->prefix = arena_zalloc(a, w->n * sizeof *h->prefix);
    h->prefix_len = arena_zalloc(a, w->n * sizeof *h->prefix_len);
    if (!h->prefix || !h->prefix_len)
        return false;
    for (size_t i = 0; i < w->n; i++) {
        size_t len = 0;
        const char *p = expand_numbering(w->v[i], lex->numerals.v[sec], sec + 1, a, &len);
        if (!p)
            return false;
        h->prefix[h->nprefix] = p;
        h->prefix_len[h->nprefix++] = len;
        if (!p[1]) /* one byte: any second one */
            memset(h->prefix_pairs, 0xFF, sizeof h->prefix_pairs);
        unsigned b = rc_numbering_bucket(p);
        h->prefix_pairs[b >> 6] |= 1ull << (b & 63);
    }
    longer_first(h->prefix, h->prefix_len, h->nprefix);
    return true;
}

struct rc_headings *rc_headings_build(const nb_strlist *variants, const nb_lexicon *lex, int sec, nb_arena *a)
{
    struct rc_headings *h = arena_zalloc(a, sizeof *h + (variants->n ? variants->n : 1) * sizeof *h->v);
    if (!h)
        return NULL;
    h->v = (heading_form *)(h + 1);
    for (size_t v = 0; v < variants->n; v++) {
        const char *want = variants->compact[v];
        if (!want || !*want)
            continue; /* an empty heading text never matches */
        heading_form *f = &h->v[h->n++];
        f->text = want;
        f->len = strlen(want);
        f->chars = nb_u8_count(want, f->len); /* compacted at load: valid UTF-8 */
        first_two(want, f->first);
        h->whole |= whole_lengths(f);
    }
    if (h->whole) { /* its lowest and highest bit, not a loop over 64 per search */
        h->whole_min = (size_t)__builtin_ctzll(h->whole);
        h->whole_max = 63 - (size_t)__builtin_clzll(h->whole);
    }
    return build_numberings(h, lex, sec, a) ? h : NULL;
}

/* The search's view of section sd (whose numeral is nl bytes). */
static heading_forms forms_of(const nb_section_def *sd, size_t nl)
{
    const struct rc_headings *h = sd->headings;
    heading_forms hf = {h->v, h->n, h->whole, h->whole_max, nl, 0, SIZE_MAX, h};
    if (!h->whole) /* every length: lo + 1 wraps to 0, and every len - lo is above 0 */
        hf.len_lo = SIZE_MAX, hf.len_span = 0;
    else if (h->whole != ~0ull)
        hf.len_lo = h->whole_min, hf.len_span = 4 * h->whole_max - h->whole_min;
    return hf;
}

/* Can unit u's compact form be a heading text alone (a bit of
 * hf->whole)?  A character takes 1 to 4 bytes, so most cells are told by
 * their length; the others by their code points, counted when the unit
 * was built (most) or here (compact text is valid UTF-8; its length is
 * at most four times the longest heading's). */
static bool may_be_whole(const rc_unit *u, const heading_forms *hf)
{
    if (hf->whole == ~0ull)
        return true;
    size_t n = u->compact_chars != RC_CHARS_UNKNOWN ? u->compact_chars : nb_u8_count(u->compact, u->compact_len);
    return n <= hf->whole_max && (hf->whole >> n & 1);
}

/* Is compact cell length len (bytes) outside what may_be_whole can
 * accept?  Told before the call: it rejects most cells (numbers, prose). */
static inline bool never_whole(size_t len, const heading_forms *hf)
{
    return len - hf->len_lo > hf->len_span; /* one compare: the bounds made by forms_of */
}

/* One typo away from f's text (>= 8 characters) within the next k-1..k+1
 * characters of s?  Returns the bytes taken, 0 if not.  One edit keeps
 * the first or the second character of one string in the first two of
 * the other: that cheap test comes first.  a: first_two(s). */
static size_t near_heading(const char *s, const uint32_t a[2], const heading_form *f)
{
    const uint32_t *b = f->first;
    if (!(a[0] == b[0] || a[1] == b[1] || a[1] == b[0] || a[0] == b[1]))
        return 0;
    if (f->chars < 8)
        return 0;
    for (size_t k = f->chars - 1; k <= f->chars + 1; k++) {
        size_t got, take = take_chars(s, k, &got);
        if (got == k && nb_text_distance_n(s, take, f->text, f->len, 1) <= 1)
            return take;
    }
    return 0;
}

/* Does compact text s continue with a heading text of the section?
 * Returns the compact byte length of the heading, 0 if not.  Long headings
 * may carry one typo (a dropped or doubled character: 行政法复议). */
static size_t match_heading_text(const char *s, const heading_forms *hf)
{
    size_t best = 0;
    uint32_t a[2];
    bool decoded = false;
    for (size_t v = 0; v < hf->n; v++) {
        const heading_form *f = &hf->v[v];
        if (s[0] == f->text[0] && strncmp(s, f->text, f->len) == 0) {
            if (f->len > best)
                best = f->len;
        } else if (!best) {
            if (!decoded)
                first_two(s, a);
            decoded = true;
            best = near_heading(s, a, f);
        }
    }
    return best;
}

/* Does s start with one of the section's heading texts, spelt exactly? */
static bool exact_heading_text(const char *s, const heading_forms *hf)
{
    for (size_t v = 0; v < hf->n; v++)
        if (strncmp(s, hf->v[v].text, hf->v[v].len) == 0)
            return true;
    return false;
}

/* Items of a list in the preamble (一、总体情况；二、…) are not headings. */
static bool is_list_item(const nb_lexicon *lex, const char *after)
{
    return nb_words_prefix(&lex->list_separators, after) > 0;
}

/* Length of "N、" or "N." at s for any numeral of the lexicon other than want, 0 if none:
 * reports that number their tables' sections anew (一、主动公开… after a
 * narrative 一..六) still name them with the template's heading text. */
static size_t other_numeral(const nb_lexicon *lex, const char *s, int want)
{
    for (size_t i = 0; i < lex->numerals.n; i++) {
        size_t l = strlen(lex->numerals.v[i]);
        if ((int)i != want && strncmp(s, lex->numerals.v[i], l) == 0 &&
            (strncmp(s + l, "、", 3) == 0 || s[l] == '.')) /* as try_at reads its own numeral */
            return l + (s[l] == '.' ? 1 : 3);
    }
    return 0;
}

/* Can s start with one of the section's other numberings?  A bit test
 * that lets few cells by. */
static inline bool may_be_numbered(const struct rc_headings *h, const char *s)
{
    unsigned b;
    return h->nprefix && s[0] && (b = rc_numbering_bucket(s), h->prefix_pairs[b >> 6] >> (b & 63) & 1);
}

/* Length of one of the section's other numberings at s (第二部分 2.),
 * the longest, 0 if none. */
static size_t own_numbering(const char *s, const heading_forms *hf)
{
    const struct rc_headings *h = hf->h;
    if (!may_be_numbered(h, s))
        return 0;
    for (size_t i = 0; i < h->nprefix; i++) {
        const char *p = h->prefix[i];
        if (s[0] == p[0] && (!p[1] || (s[1] == p[1] && strncmp(s, p, h->prefix_len[i]) == 0)))
            return h->prefix_len[i];
    }
    return 0;
}

/* Length of numbering p (compacted, with {n} and {d}) at s for any
 * numeral or number, 0 if it does not match. */
static size_t numbering_at(const nb_lexicon *lex, const char *p, const char *s)
{
    size_t k = 0;
    while (*p) {
        if (strncmp(p, "{n}", 3) == 0) {
            size_t l = nb_words_prefix(&lex->numerals, s + k);
            if (!l)
                return 0;
            k += l, p += 3;
        } else if (strncmp(p, "{d}", 3) == 0) {
            size_t d = 0;
            while (d < 2 && s[k + d] >= '0' && s[k + d] <= '9')
                d++;
            if (!d)
                return 0;
            k += d, p += 3;
        } else if (s[k] == *p)
            k++, p++;
        else
            return 0;
    }
    return k;
}

/* Length of another section's numbering at s (4. 第四部分 under the
 * heading of 二), the longest, 0 if none. */
static size_t any_numbering(const nb_lexicon *lex, const char *s)
{
    size_t best = 0;
    if (!lex->heading_number_lead[(unsigned char)s[0]])
        return 0;
    for (size_t i = 0; i < lex->heading_numbers.n; i++) {
        size_t l = numbering_at(lex, lex->heading_numbers.v[i], s);
        best = l > best ? l : best;
    }
    return best;
}

/* The first offset from i on (before end) that is not a blank: ASCII
 * or the ideographic space. */
static size_t skip_blanks(const char *t, size_t i, size_t end)
{
    for (;;) {
        if (i < end && (t[i] == ' ' || t[i] == '\t'))
            i++;
        else if (i < end && end - i >= 3 && memcmp(t + i, "\xE3\x80\x80", 3) == 0)
            i += 3;
        else
            return i;
    }
}

/* The bytes of the blank that ends t[start, end): 1 (ASCII), 3 (the
 * ideographic space), 0 if none. */
static size_t blank_before(const char *t, size_t start, size_t end)
{
    if (t[end - 1] == ' ' || t[end - 1] == '\t')
        return 1;
    return end - start >= 3 && memcmp(t + end - 3, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

/* A heading is numbered with the section's numeral (二、 二.) anywhere, or
 * with one of its other numberings (第二部分 2.) at a line's start.
 * renumbered: the second pass, when none is: accept a line-initial heading
 * under another numeral or numbering, its text spelt exactly. */
/* len: bytes of the compact form from co on. */
/* w: the search's walk over the units (rc_walk_offset). */
static bool try_at(rc_doc *d, size_t ui, size_t co, size_t len, int sec, const heading_forms *hf, bool renumbered,
                   rc_walk *w)
{
    rc_unit *u = &d->u[ui];
    const char *s = u->compact + co;
    const char *numeral = d->lex->numerals.v[sec]; /* the lexicon has ten: 一..十 */
    size_t nl = hf->numeral_len;
    size_t head = 0;
    bool numbered = s[0] == numeral[0] && strncmp(s, numeral, nl) == 0 &&
                    (strncmp(s + nl, "、", 3) == 0 || s[nl] == '.');
    if (renumbered) {
        if (co != 0)
            return false;
        if (!((head = other_numeral(d->lex, s, sec)) || (head = any_numbering(d->lex, s))) ||
            !exact_heading_text(s + head, hf))
            return false;
        numbered = true;
    } else if (numbered)
        head = nl + (s[nl] == '.' ? 1 : 3);
    else if (co == 0 && (head = own_numbering(s, hf)) && match_heading_text(s + head, hf))
        numbered = true; /* 第二部分 2. at a line's start */
    else {
        /* unnumbered: marked up, or the whole cell (checked below); with a
         * numeral, may_start_heading let it through only so, unless for a
         * numbering's first byte (its code points are not counted twice) */
        head = 0;
        if (co != 0 || (!u->heading && (!nl || may_be_numbered(hf->h, s)) &&
                        (never_whole(len, hf) || !may_be_whole(u, hf))))
            return false;
    }
    size_t tl = match_heading_text(s + head, hf);
    if (!tl || is_list_item(d->lex, s + head + tl))
        return false;
    /* without its numeral a heading must be marked up or stand alone on its line */
    if (!numbered && !u->heading && s[tl] != '\0')
        return false;
    size_t start = rc_walk_offset(d, w, ui, co), title = rc_walk_offset(d, w, ui, co + head),
           body = rc_walk_offset(d, w, ui, co + head + tl);
    /* 六　其他…, a title then blanks: compacting dropped them */
    title = skip_blanks(u->text, title, body);
    size_t title_end = body;
    for (size_t k; title_end > title && (k = blank_before(u->text, title, title_end));)
        title_end -= k;
    d->sec_found[sec] = true;
    d->sec_start[sec] = (rc_pos){ui, start};
    d->sec_body[sec] = (rc_pos){ui, body};
    d->sec_title[sec] = nb_strndup(u->text + title, title_end - title);
    return true;
}

/* The next offset from co on where try_at can succeed.  Away from a
 * cell's start only a numbered heading can begin (the renumbered pass
 * takes line starts only), so a byte of the numeral is searched for
 * instead of trying every character: the scan is a memchr per section.
 * The numeral's last byte (at k) is searched, not its first: a lead byte
 * (E4, E5) starts every third ideograph of prose, a given continuation
 * byte few (about a third as many places to check).
 * need: the bytes of the numeral and its '.' (at least): no heading
 * starts nearer the end, so short cells (most) need no memchr at all. */
static size_t next_candidate(const char *c, size_t co, size_t len, const char *numeral, size_t k,
                             bool renumbered, size_t need)
{
    if (co == 0)
        return 0;
    if (renumbered)
        return len;
    if (!numeral[0])
        return co;
    if (co >= len || len - co < need)
        return len;
    /* starts co..len-need, their byte k at co+k..len-need+k (need > k + 1) */
    const char *hit = memchr(c + co + k, numeral[k], len - co - need + 1);
    return hit ? (size_t)(hit - c) - k : len;
}

/* Does s start with the numeral (nl bytes) and 、 or '.'?  In place,
 * byte by byte: a mismatch comes at the first or second byte for most
 * places, and a NUL in s is a mismatch (the numeral holds none). */
static bool numbered_at(const char *s, const char *numeral, size_t nl)
{
    for (size_t k = 0; k < nl; k++)
        if (s[k] != numeral[k])
            return false;
    const unsigned char *t = (const unsigned char *)s + nl;
    return t[0] == '.' || (t[0] == 0xE3 && t[1] == 0x80 && t[2] == 0x81); /* 、 */
}

/* false when try_at cannot succeed at co of unit u (compact c), told
 * cheaply: most cells start with no numeral and are not a heading
 * text's length.  numeral: the section's (nl bytes). */
static bool may_start_heading(const rc_doc *d, const rc_unit *u, const char *c, size_t co, size_t len,
                              const char *numeral, const heading_forms *hf, bool renumbered)
{
    const char *s = c + co;
    if (renumbered) /* some numeral or numbering starts the cell */
        return d->lex->numerals.lead[(unsigned char)s[0]] || d->lex->heading_number_lead[(unsigned char)s[0]];
    size_t nl = hf->numeral_len;
    /* numbered as try_at reads it: the numeral, then 、 or '.' (a shared
     * lead byte alone, E4 or E5 for most ideographs, says little) */
    if (!nl || numbered_at(s, numeral, nl))
        return true;
    return co == 0 && (u->heading || may_be_numbered(hf->h, s) ||
                       (!never_whole(len, hf) && may_be_whole(u, hf)));
}

/* The first of units ui..n-1 whose start the search must look at.  Most
 * units (numbers, short cells) are passed over: not the numeral's first
 * byte (c0) at their start, not marked up, not a heading text's length,
 * and too short (need) for a numbered heading after it, find_one would
 * try their start only and reject it (may_start_heading).  A loop of its
 * own: nothing is stored in it, so its bounds stay in registers (in
 * find_one's they were reloaded for every unit). */
static size_t next_unit(const rc_unit *u, size_t ui, size_t n, size_t need, char c0, const heading_forms *hf)
{
    for (; ui < n; ui++)
        if (u[ui].compact_len > need || u[ui].compact[0] == c0 || u[ui].heading ||
            !never_whole(u[ui].compact_len, hf))
            break;
    return ui;
}

static bool find_one(rc_doc *d, rc_pos from, int sec, const heading_forms *hf, bool renumbered, rc_walk *w)
{
    const char *numeral = d->lex->numerals.v[sec];
    size_t nl = hf->numeral_len, need = nl + 1, k = nl ? nl - 1 : 0;
    bool pass_over = !renumbered && nl; /* next_unit's rule holds (the renumbered pass reads every start) */
    for (size_t ui = from.unit, n = d->n; ui < n; ui++) {
        /* in the unit where the search resumes, from its offset on */
        size_t first = ui == from.unit ? rc_walk_compact_at(d, w, ui, from.off) : 0;
        if (first == 0 && pass_over && (ui = next_unit(d->u, ui, n, need, numeral[0], hf)) == n)
            break;
        const rc_unit *u = &d->u[ui];
        const char *c = u->compact;
        size_t len = u->compact_len;
        for (size_t co = next_candidate(c, first, len, numeral, k, renumbered, need); co < len;
             co = next_candidate(c, co + 1, len, numeral, k, renumbered, need)) {
            if ((c[co] & 0xC0) == 0x80)
                continue; /* not at a character start */
            if (may_start_heading(d, u, c, co, len - co, numeral, hf, renumbered) &&
                try_at(d, ui, co, len - co, sec, hf, renumbered, w))
                return true;
        }
    }
    return false;
}

bool rc_find_sections(rc_doc *d, const nb_template *tp)
{
    rc_pos from = {0, 0};
    rc_walk w = {(size_t)-1, 0, 0};
    for (int sec = 0; sec < 6; sec++) {
        heading_forms hf = forms_of(&tp->sections[sec], strlen(d->lex->numerals.v[sec]));
        if (find_one(d, from, sec, &hf, false, &w) || find_one(d, from, sec, &hf, true, &w))
            from = d->sec_body[sec];
    }
    return true;
}

bool rc_find_section_from(rc_doc *d, const nb_template *tp, int sec, size_t unit)
{
    free(d->sec_title[sec]);
    d->sec_title[sec] = NULL;
    d->sec_found[sec] = false;
    rc_pos from = {unit, 0};
    rc_walk w = {(size_t)-1, 0, 0};
    heading_forms hf = forms_of(&tp->sections[sec], strlen(d->lex->numerals.v[sec]));
    return find_one(d, from, sec, &hf, false, &w) || find_one(d, from, sec, &hf, true, &w);
}

size_t rc_heading_number_len(const rc_doc *d, const nb_template *tp, int sec, const char *c, bool others)
{
    const char *numeral = d->lex->numerals.v[sec];
    size_t nl = strlen(numeral);
    if (numbered_at(c, numeral, nl))
        return nl + (c[nl] == '.' ? 1 : 3);
    if (!others)
        return 0;
    heading_forms hf = forms_of(&tp->sections[sec], nl);
    return own_numbering(c, &hf);
}

rc_pos rc_section_end(const rc_doc *d, int i)
{
    for (int k = i + 1; k < 6; k++)
        if (d->sec_found[k])
            return d->sec_start[k];
    return (rc_pos){d->end, 0};
}

/* Does s[0, len) end with 。 ： or ； (E3 80 82, EF BC 9A, EF BC 9B)?  Its
 * last three bytes compared in place, not three strcmp calls a line. */
static bool ends_clause(const char *s, size_t len)
{
    if (len < 3)
        return false;
    const unsigned char *e = (const unsigned char *)s + len - 3;
    return (e[0] == 0xE3 && e[1] == 0x80 && e[2] == 0x82) ||
           (e[0] == 0xEF && e[1] == 0xBC && (e[2] == 0x9A || e[2] == 0x9B));
}

/* Text between two positions: cells joined by a space, lines by a newline,
 * except that a line broken inside a sentence is joined back up. */
char *rc_region_text(const rc_doc *d, rc_pos a, rc_pos b)
{
    /* room for all of it at once (each unit and one separator at most):
     * written in place, without a bounds check or a call a piece */
    size_t room = 1;
    for (size_t ui = a.unit; ui < d->n && ui <= b.unit; ui++)
        room += d->u[ui].len + 1;
    char *t = malloc(room);
    if (!t)
        return NULL;
    size_t n = 0, last_line = (size_t)-1;
    for (size_t ui = a.unit; ui < d->n && ui <= b.unit; ui++) {
        const rc_unit *u = &d->u[ui];
        size_t s = ui == a.unit ? a.off : 0;
        size_t e = ui == b.unit && b.off < u->len ? b.off : u->len; /* never past the room counted */
        if (e <= s && !u->blank_line)
            continue;
        if (last_line != (size_t)-1 && u->line != last_line && n) {
            /* keep a paragraph break only after a sentence end or a blank line */
            if ((u->blank_line || ends_clause(t, n) || u->heading) && t[n - 1] != '\n')
                t[n++] = '\n';
        } else if (u->line == last_line && n)
            t[n++] = ' ';
        last_line = u->line;
        if (e > s) {
            /* trim */
            while (s < e && (u->text[s] == ' ' || u->text[s] == '\t'))
                s++;
            while (e > s && (u->text[e - 1] == ' ' || u->text[e - 1] == '\t'))
                e--;
            memcpy(t + n, u->text + s, e - s);
            n += e - s;
        }
    }
    /* collapse leading/trailing newlines */
    size_t st = 0;
    while (st < n && (t[st] == '\n' || t[st] == ' '))
        st++;
    while (n > st && (t[n - 1] == '\n' || t[n - 1] == ' '))
        n--;
    memmove(t, t + st, n - st);
    t[n - st] = '\0';
    return t;
}
