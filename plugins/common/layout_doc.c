/* layout_doc.c - the layout's lines across pages: storage, numbers, and
 * running headers, footers and page numbers, which are dropped. */
#include "layout_priv.h"
#include "nianbao/text.h"
#include <stdlib.h>
#include <string.h>

#define MARGIN 0.1 /* top and bottom tenth of a page: where running lines live */

nb_layout *nb_layout_new(void) { return calloc(1, sizeof(nb_layout)); }

void nb_layout_free(nb_layout *L)
{
    if (!L)
        return;
    for (size_t i = 0; i < L->n; i++) {
        for (size_t c = 0; c < L->lines[i].n; c++)
            free(L->lines[i].cells[c].text);
        free(L->lines[i].cells);
    }
    free(L->lines);
    free(L);
}

size_t nb_layout_glyphs(const nb_layout *L) { return L ? L->glyphs : 0; }

bool lo_push_line(nb_layout *L, const lo_line *ln)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 64;
        lo_line *v = realloc(L->lines, cap * sizeof *v);
        if (!v)
            return false;
        L->lines = v, L->cap = cap;
    }
    L->lines[L->n++] = *ln;
    return true;
}

static bool digit_at(const char *s, size_t *len)
{
    if (*s >= '0' && *s <= '9')
        return *len = 1, true;
    /* full-width digits U+FF10..FF19: EF BC 90..99 */
    if ((unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbc && (unsigned char)s[2] >= 0x90 &&
        (unsigned char)s[2] <= 0x99)
        return *len = 3, true;
    return false;
}

static size_t sep_at(const char *s, const char *const *seps)
{
    for (size_t i = 0; seps[i]; i++)
        if (!strncmp(s, seps[i], strlen(seps[i])))
            return strlen(seps[i]);
    return 0;
}

/* Digits with thousands separators and a decimal point, an optional sign. */
bool lo_is_number(const char *s)
{
    static const char *const seps[] = {",", ".", "，", "．", "、", NULL};
    size_t n, digits = 0;
    if (*s == '-' || *s == '+')
        s++;
    while (*s) {
        if (digit_at(s, &n))
            digits++;
        else if (!(n = sep_at(s, seps)))
            return false;
        s += n;
    }
    return digits > 0;
}

/* "3", "-3-", "— 3 —", "第3页", "第3页 共9页", "3/9", "Page 3". */
static bool is_page_number(const lo_line *ln)
{
    static const char *const marks[] = {"-", "—", "–", "－", "第", "页", "共", "/", "Page", "page",
                                        "(", ")", "（", "）", " ", NULL};
    size_t digits = 0, n;
    for (size_t c = 0; c < ln->n; c++)
        for (const char *s = ln->cells[c].text; *s; s += n) {
            if (digit_at(s, &n))
                digits++;
            else if (!(n = sep_at(s, marks)))
                return false;
        }
    return digits > 0 && digits <= 4;
}

static bool in_margin(const lo_line *ln)
{
    return ln->y1 < MARGIN * ln->page_h || ln->y0 > (1 - MARGIN) * ln->page_h;
}

/* The line's text with digits left out: a running header or footer is the
 * same on every page but for its page number. */
static char *shape(const lo_line *ln)
{
    size_t total = 1, n;
    for (size_t c = 0; c < ln->n; c++)
        total += strlen(ln->cells[c].text);
    char *out = malloc(total), *o = out;
    if (!out)
        return NULL;
    for (size_t c = 0; c < ln->n; c++)
        for (const char *s = ln->cells[c].text; *s;) {
            if (digit_at(s, &n)) {
                s += n;
                continue;
            }
            *o++ = *s++;
        }
    *o = '\0';
    return out;
}

static bool repeats_elsewhere(const nb_layout *L, size_t i, const char *key)
{
    for (size_t j = 0; j < L->n; j++) {
        const lo_line *o = &L->lines[j];
        if (o->page == L->lines[i].page || !(o->first || o->last) || !in_margin(o))
            continue;
        char *k = shape(o);
        bool same = k && !strcmp(k, key);
        free(k);
        if (same)
            return true;
    }
    return false;
}

void lo_drop_running(nb_layout *L)
{
    for (size_t i = 0; i < L->n; i++) {
        lo_line *ln = &L->lines[i];
        if (!(ln->first || ln->last) || !in_margin(ln))
            continue;
        if (is_page_number(ln)) {
            ln->drop = true;
            continue;
        }
        char *key = shape(ln);
        ln->drop = key && *key && L->pages > 1 && repeats_elsewhere(L, i, key);
        free(key);
    }
}
