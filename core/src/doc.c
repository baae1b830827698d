/* doc.c - the line/cell document and the splitter shared by text readers. */
#include "doc_internal.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

nb_doc *nb_doc_new(const char *name)
{
    nb_doc *d = calloc(1, sizeof *d);
    if (d)
        d->name = nb_strdup(name ? name : "");
    return d;
}

void nb_doc_free(nb_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nlines; i++) {
        for (size_t j = 0; j < d->lines[i].ncells; j++)
            free(d->lines[i].cells[j]);
        free(d->lines[i].cells);
    }
    free(d->lines);
    free(d->name);
    free(d->encoding);
    free(d);
}

void nb_doc_set_encoding(nb_doc *d, const char *enc)
{
    free(d->encoding);
    d->encoding = nb_strdup(enc);
}

nb_status nb_doc_add(nb_doc *d, nb_line_kind kind, int level, int lineno,
                     const char *const *cells, size_t ncells)
{
    if (!nb_grow((void **)&d->lines, &d->cap, d->nlines, sizeof *d->lines))
        return NB_FATAL;
    nb_doc_line *l = &d->lines[d->nlines];
    l->cells = calloc(ncells ? ncells : 1, sizeof *l->cells);
    if (!l->cells)
        return NB_FATAL;
    for (size_t i = 0; i < ncells; i++)
        if (!(l->cells[i] = nb_strdup(cells[i] ? cells[i] : ""))) {
            while (i--)
                free(l->cells[i]);
            free(l->cells);
            return NB_FATAL;
        }
    l->ncells = ncells;
    l->kind = kind;
    l->level = level;
    l->lineno = lineno;
    d->nlines++;
    return NB_OK;
}

nb_status nb_doc_add_text(nb_doc *d, nb_line_kind kind, int level, int lineno, const char *s,
                          size_t len)
{
    char *c = nb_strndup(s, len);
    if (!c)
        return NB_FATAL;
    const char *cells[1] = {c};
    nb_status st = nb_doc_add(d, kind, level, lineno, cells, 1);
    free(c);
    return st;
}

/* Splits line[0..len) on sep into a new array of new strings. */
static char **split(const char *line, size_t len, char sep, size_t *n)
{
    size_t cnt = 1;
    for (size_t i = 0; i < len; i++)
        cnt += line[i] == sep;
    char **v = calloc(cnt, sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= len; i++)
        if (i == len || line[i] == sep) {
            v[k++] = nb_strndup(line + start, i - start);
            start = i + 1;
        }
    *n = k;
    return v;
}

static void free_cells(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static bool is_md_rule(const char *c)
{
    bool dash = false;
    for (; *c; c++) {
        if (*c == '-')
            dash = true;
        else if (*c != ':' && *c != ' ')
            return false;
    }
    return dash;
}

/* "| a | b |" -> cells a, b; the outer pipes are frame, not cells. */
static nb_status add_pipe_row(nb_doc *d, int lineno, const char *line, size_t len)
{
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    while (len && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    if (len && *line == '|') {
        line++;
        len--;
    }
    if (len && line[len - 1] == '|')
        len--;
    size_t n = 0;
    char **cells = split(line, len, '|', &n);
    if (!cells)
        return NB_FATAL;
    bool rule = true;
    for (size_t i = 0; i < n; i++) {
        /* trim each cell */
        char *c = cells[i];
        size_t a = 0, b = strlen(c);
        while (a < b && (c[a] == ' ' || c[a] == '\t'))
            a++;
        while (b > a && (c[b - 1] == ' ' || c[b - 1] == '\t'))
            b--;
        memmove(c, c + a, b - a);
        c[b - a] = '\0';
        rule = rule && (is_md_rule(c) || !*c);
    }
    nb_status st = rule ? NB_OK : nb_doc_add(d, NB_LINE_ROW, 0, lineno, (const char *const *)cells, n);
    free_cells(cells, n);
    return st;
}

static nb_status add_line(nb_doc *d, int lineno, const char *line, size_t len, unsigned flags)
{
    size_t lead = 0;
    while (lead < len && line[lead] == ' ')
        lead++;
    if ((flags & NB_SPLIT_MDHEAD) && lead < len && line[lead] == '#') {
        size_t h = lead;
        while (h < len && line[h] == '#')
            h++;
        if (h - lead <= 6 && (h == len || line[h] == ' ' || line[h] == '\t')) {
            while (h < len && (line[h] == ' ' || line[h] == '\t'))
                h++;
            return nb_doc_add_text(d, NB_LINE_HEADING, (int)(h - lead), lineno, line + h, len - h);
        }
    }
    if ((flags & NB_SPLIT_PIPES) && lead < len && line[lead] == '|')
        return add_pipe_row(d, lineno, line, len);
    if ((flags & NB_SPLIT_TABS) && memchr(line, '\t', len)) {
        size_t n = 0;
        char **cells = split(line, len, '\t', &n);
        if (!cells)
            return NB_FATAL;
        nb_status st = nb_doc_add(d, NB_LINE_ROW, 0, lineno, (const char *const *)cells, n);
        free_cells(cells, n);
        return st;
    }
    return nb_doc_add_text(d, NB_LINE_TEXT, 0, lineno, line, len);
}

nb_status nb_doc_split_text(nb_doc *d, const char *text, size_t len, unsigned flags)
{
    int lineno = 1;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        if (i == len && start == len)
            break;
        if (add_line(d, lineno++, text + start, i - start, flags) != NB_OK)
            return NB_FATAL;
        start = i + 1;
    }
    return NB_OK;
}

#include "nianbao/stream.h"
#include "nianbao/text.h"

#define NB_DOC_MAX_BYTES (64u << 20)

nb_status nb_doc_read_stream(nb_stream *s, unsigned flags, nb_doc **out, nb_error *err)
{
    char *bytes = NULL, *text = NULL;
    size_t len = 0, tlen = 0;
    const char *enc = NULL;
    nb_status st = nb_stream_read_all(s, NB_DOC_MAX_BYTES, &bytes, &len, err);
    if (st != NB_OK)
        return st;
    st = nb_text_decode(bytes, len, &text, &tlen, &enc, err);
    free(bytes);
    if (st != NB_OK)
        return st;
    nb_doc *d = nb_doc_new(nb_stream_name(s));
    if (!d || nb_doc_split_text(d, text, tlen, flags) != NB_OK) {
        nb_doc_free(d);
        free(text);
        nb_error_set(err, NB_E_INTERNAL, nb_stream_name(s), "out of memory");
        return NB_FATAL;
    }
    free(text);
    nb_doc_set_encoding(d, enc);
    *out = d;
    return NB_OK;
}

/* Key words every report has, in UTF-8 and in GBK. */
int nb_doc_probe_report_text(const unsigned char *head, size_t len)
{
    static const char *const words[] = {
        "\xe6\x94\xbf\xe5\xba\x9c\xe4\xbf\xa1\xe6\x81\xaf\xe5\x85\xac\xe5\xbc\x80", /* 政府信息公开 UTF-8 */
        "\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2\xb9\xab\xbf\xaa",                         /* 政府信息公开 GBK */
        "\xe5\xb9\xb4\xe5\xba\xa6\xe6\x8a\xa5\xe5\x91\x8a",                         /* 年度报告 UTF-8 */
        "\xc4\xea\xb6\xc8\xb1\xa8\xb8\xe6",                                         /* 年度报告 GBK */
        NULL};
    if (memchr(head, '\0', len) && !(len >= 2 && (head[0] == 0xFF || head[0] == 0xFE)))
        return 0;
    for (int i = 0; words[i]; i++)
        if (memmem(head, len, words[i], strlen(words[i])))
            return 40;
    return 0;
}
