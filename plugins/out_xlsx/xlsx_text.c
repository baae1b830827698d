/* xlsx_text.c - cell text and sizes for the xlsx output: text cleaned for
 * XML, exact numbers, column widths from content (CJK counted as two
 * columns, as Excel and LibreOffice draw them) and the print setup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/text.h"
#include "xlsx.h"

#define MAX_TEXT 32767 /* LXW_STR_MAX, in code points */

nb_status xl_fail(nb_error *err, lxw_error e, const char *what)
{
    nb_errclass cls = NB_E_IO;
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        cls = NB_E_INTERNAL;
    else if (e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE)
        cls = NB_E_CANTCREAT;
    nb_error_set(err, cls, PLUGIN_NAME, "%s: %s", what, lxw_strerror(e));
    return NB_FATAL;
}

/* Cell text is cleaned before it reaches libxlsxwriter: invalid UTF-8
 * would make the XML part malformed (a repair prompt in Excel and
 * LibreOffice); C0 controls, which XML 1.0 cannot hold, would come back as
 * _xHHHH_ escapes or boxes; and cells over 32767 characters are an error. */
static bool text_is_clean(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 && ch != '\t' && ch != '\n')
            return false;
    }
    return nb_utf8_valid(s, len) && nb_utf8_len(s) <= MAX_TEXT;
}

/* s itself when it is fine, else a cleaned copy in *tmp (controls ->
 * space, invalid UTF-8 -> U+FFFD, cut at MAX_TEXT). */
static const char *clean_text(const char *s, char **tmp)
{
    *tmp = NULL;
    if (!s)
        return "";
    size_t len = strlen(s);
    if (text_is_clean(s, len))
        return s;
    char *out = malloc(len * 3 + 1); /* each bad byte may become 3 bytes */
    if (!out)
        return "";
    size_t o = 0, n = 0;
    for (size_t i = 0; i < len && n < MAX_TEXT; n++) {
        uint32_t cp;
        size_t k = nb_utf8_next(s + i, len - i, &cp);
        bool bad = k == 1 && (unsigned char)s[i] >= 0x80;
        if (bad)
            o += nb_utf8_put(0xFFFD, out + o);
        else if (cp < 0x20 && cp != '\t' && cp != '\n')
            out[o++] = ' ';
        else {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    *tmp = out;
    return out;
}

lxw_error xl_put_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *fmt)
{
    char *tmp;
    const char *t = clean_text(s, &tmp);
    lxw_error e = *t ? worksheet_write_string(ws, row, col, t, fmt)
                     : (fmt ? worksheet_write_blank(ws, row, col, fmt) : LXW_NO_ERROR);
    free(tmp);
    return e;
}

/* Exact decimal to the nearest double: one correctly rounded division, so
 * a figure of up to 15 digits prints back exactly as written. */
double xl_num_value(nb_num n)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    if (n.scale >= 0 && n.scale <= 18)
        return (double)n.v / p10[n.scale];
    return nb_num_to_double(n);
}

/* East Asian wide and fullwidth characters take two columns. */
static bool is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t xl_display_width(const char *s)
{
    size_t w = 0, len = s ? strlen(s) : 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = nb_utf8_next(s + i, len - i, &cp);
        w += is_wide(cp) ? 2 : 1;
        i += k ? k : 1;
    }
    return w;
}

void xl_widths_note(xl_widths *w, size_t col, const char *s)
{
    if (col < w->n && s) {
        double d = (double)xl_display_width(s);
        if (d > w->w[col])
            w->w[col] = d;
    }
}

void xl_widths_apply(const xl_widths *w, lxw_worksheet *ws, size_t first_col, double min, double max)
{
    for (size_t c = 0; c < w->n; c++) {
        double d = w->w[c] + 2; /* padding, and room for the autofilter button */
        d = d < min ? min : d > max ? max : d;
        worksheet_set_column(ws, (lxw_col_t)(first_col + c), (lxw_col_t)(first_col + c), d, NULL);
    }
}

const char *xl_member_name(const char *source)
{
    if (!source)
        return "";
    const char *slash = strrchr(source, '/'), *bang = strrchr(source, '!');
    const char *cut = slash > bang ? slash : bang;
    return cut && cut[1] ? cut + 1 : source;
}

void xl_cell_ref(lxw_row_t row, lxw_col_t col, char *buf, size_t len)
{
    char letters[8];
    size_t n = 0;
    for (unsigned c = (unsigned)col + 1; c && n < sizeof letters; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    size_t o = 0;
    while (n && o + 1 < len)
        buf[o++] = letters[--n];
    snprintf(buf + o, len - o, "%u", (unsigned)row + 1);
}

void xl_print_setup(lxw_worksheet *ws, lxw_row_t header_rows, bool fit_width)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    if (fit_width)
        worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
    if (header_rows)
        worksheet_repeat_rows(ws, 0, header_rows - 1);
    worksheet_set_footer(ws, "&C&P / &N");
}
