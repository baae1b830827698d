/* mkpdf.c - writes a test PDF from a tab-separated report text (the
 * project's own invented fixtures), so CI needs no office suite.
 *
 *   mkpdf [options] IN.txt OUT.pdf [OUT.txt]
 *     -l        landscape pages
 *     -r        text turned a quarter (portrait page, text reading upwards)
 *     -w        full-width digits (０１２)
 *     -s N      every table number multiplied by N (sums still hold)
 *     -c        thousands separators (1,234)
 *     -b        table zeros left blank
 *     -p N      at most N lines per page (tables split across pages)
 *     -S        a "scan": an image only, no text layer
 * OUT.txt gets the text after -s/-b (tabs kept), to compare readings.
 * Table rows are drawn as labels on the left and numbers right-aligned in
 * fixed columns; every page has a running header and a page number. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FONT "WenQuanYi Micro Hei"
#define SIZE 8.0
#define LEAD 15.0
#define MARGIN 50.0

typedef struct opts {
    bool landscape, rotate, fullwidth, commas, blank, scan;
    long scale;
    int per_page;
} opts;

typedef struct pager {
    cairo_surface_t *surf;
    cairo_t *cr;
    const opts *o;
    double w, h, y;
    int page, lines;
} pager;

static bool is_number(const char *s)
{
    bool digit = false;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s))
            digit = true;
        else if (*s != '.')
            return false;
    }
    return digit;
}

/* A number cell after format_number (separators, full-width digits). */
static bool is_printed_number(const char *s)
{
    bool digit = false;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s) || (unsigned char)*s == 0xef || (unsigned char)*s == 0xbc)
            digit = true;
        else if (*s != '.' && *s != ',' && !((unsigned char)*s >= 0x90 && (unsigned char)*s <= 0x99))
            return false;
    }
    return digit;
}

/* The number cell as printed: scaled, with separators, full width. */
static void format_number(const char *in, const opts *o, char *out, size_t cap)
{
    char plain[64], grouped[96];
    double v = strtod(in, NULL) * (double)o->scale;
    const char *dot = strchr(in, '.');
    snprintf(plain, sizeof plain, "%.*f", dot ? (int)strlen(dot + 1) : 0, v);
    size_t ip = strcspn(plain, "."), k = 0;
    for (size_t i = 0; plain[i]; i++) {
        if (o->commas && i > 0 && i < ip && (ip - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = plain[i];
    }
    grouped[k] = '\0';
    size_t n = 0;
    for (size_t i = 0; grouped[i] && n + 4 < cap; i++) {
        if (o->fullwidth && isdigit((unsigned char)grouped[i])) { /* U+FF10 + d */
            out[n++] = (char)0xef, out[n++] = (char)0xbc, out[n++] = (char)(0x90 + grouped[i] - '0');
        } else
            out[n++] = grouped[i];
    }
    out[n] = '\0';
}

static void start_page(pager *p)
{
    cairo_t *cr = p->cr;
    p->page++;
    p->lines = 0;
    cairo_identity_matrix(cr);
    if (p->o->rotate) { /* landscape content on a portrait page, reading upwards */
        cairo_translate(cr, 0, p->h);
        cairo_rotate(cr, -M_PI / 2);
    }
    double w = p->o->rotate ? p->h : p->w, h = p->o->rotate ? p->w : p->h;
    char foot[32];
    cairo_set_font_size(cr, SIZE);
    cairo_move_to(cr, MARGIN, MARGIN * 0.6);
    cairo_show_text(cr, "青石县政府信息公开工作年度报告（测试件）");
    snprintf(foot, sizeof foot, "- %d -", p->page);
    cairo_move_to(cr, w / 2 - 10, h - MARGIN * 0.5);
    cairo_show_text(cr, foot);
    p->y = MARGIN + LEAD;
}

static double page_w(const pager *p) { return p->o->rotate ? p->h : p->w; }
static double page_h(const pager *p) { return p->o->rotate ? p->w : p->h; }

static void next_line(pager *p)
{
    p->y += LEAD;
    p->lines++;
    if (p->y > page_h(p) - MARGIN || (p->o->per_page && p->lines >= p->o->per_page)) {
        cairo_show_page(p->cr);
        start_page(p);
    }
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void show_fitted(cairo_t *cr, double x, double y, const char *s, double room)
{
    double fs = SIZE, n = (double)chars(s);
    if (n * fs > room)
        fs = fmax(room / n, 3);
    cairo_set_font_size(cr, fs);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
    cairo_set_font_size(cr, SIZE);
}

/* Prose: wrapped to the page width, character by character. */
static void draw_prose(pager *p, const char *s)
{
    size_t per = (size_t)((page_w(p) - 2 * MARGIN) / SIZE), len = strlen(s), i = 0;
    while (i < len || len == 0) {
        size_t j = i, n = 0;
        while (j < len && n < per) {
            j++;
            while (j < len && ((unsigned char)s[j] & 0xc0) == 0x80)
                j++;
            n++;
        }
        char *piece = strndup(s + i, j - i);
        cairo_move_to(p->cr, MARGIN, p->y);
        cairo_show_text(p->cr, piece);
        free(piece);
        next_line(p);
        if (len == 0)
            break;
        i = j;
    }
}

/* A table row: labels from the left, numbers right-aligned in columns. */
static void draw_row(pager *p, char **cells, size_t n)
{
    size_t nums = 0;
    while (nums < n && (is_printed_number(cells[n - 1 - nums]) || !cells[n - 1 - nums][0]))
        nums++;
    if (nums == 0 && n > 3)
        nums = n; /* a header row of many columns: on the grid too */
    double colw = fmin(48, (page_w(p) - 2 * MARGIN) * 0.62 / (double)(nums ? nums : 1));
    double right = page_w(p) - MARGIN;
    double grid_x = right - (double)nums * colw, x = MARGIN;
    size_t labels = n - nums;
    for (size_t i = 0; i < labels; i++) {
        double room = (grid_x - x - 2 * SIZE) / (double)(labels - i);
        show_fitted(p->cr, x, p->y, cells[i], room);
        x += fmin(room, (double)chars(cells[i]) * SIZE) + 2 * SIZE;
    }
    for (size_t k = 0; k < nums; k++) {
        const char *c = cells[labels + k];
        double cell_right = grid_x + (double)(k + 1) * colw - SIZE / 2;
        if (!c[0])
            continue;
        cairo_text_extents_t ext;
        cairo_set_font_size(p->cr, SIZE);
        cairo_text_extents(p->cr, c, &ext);
        if (ext.x_advance > colw - SIZE) {
            show_fitted(p->cr, cell_right - (colw - SIZE), p->y, c, colw - SIZE);
            continue;
        }
        cairo_move_to(p->cr, cell_right - ext.x_advance, p->y);
        cairo_show_text(p->cr, c);
    }
    next_line(p);
}

static size_t split_tabs(char *line, char **cells, size_t cap)
{
    size_t n = 0;
    for (char *s = line; n < cap;) {
        cells[n++] = s;
        char *t = strchr(s, '\t');
        if (!t)
            break;
        *t = '\0';
        s = t + 1;
    }
    return n;
}

/* Rewrites the number cells of a row (scale, blanks, printing form). */
static void transform(char **cells, size_t n, const opts *o, char store[][96], FILE *txt, bool table)
{
    for (size_t i = 0; i < n; i++) {
        bool num = table && is_number(cells[i]);
        char printed[96], plain[96];
        if (num) {
            opts bare = {.scale = o->scale};
            format_number(cells[i], &bare, plain, sizeof plain);
            bool blank = o->blank && strtod(plain, NULL) == 0;
            if (blank)
                plain[0] = printed[0] = '\0';
            else
                format_number(cells[i], o, printed, sizeof printed);
            if (txt)
                fprintf(txt, "%s%s", i ? "\t" : "", plain);
            snprintf(store[i], 96, "%s", printed);
            cells[i] = store[i];
        } else if (txt)
            fprintf(txt, "%s%s", i ? "\t" : "", cells[i]);
    }
    if (txt)
        fputc('\n', txt);
}

static int usage(void)
{
    fprintf(stderr, "usage: mkpdf [-l] [-r] [-w] [-s N] [-c] [-b] [-p N] [-S] IN.txt OUT.pdf [OUT.txt]\n");
    return 2;
}

static void draw_scan(pager *p)
{
    cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
    for (int i = 0; i < 40; i++) {
        cairo_rectangle(p->cr, MARGIN, MARGIN + i * 18, 300 + (i * 37) % 150, 9);
        cairo_fill(p->cr);
    }
}

int main(int argc, char **argv)
{
    opts o = {.scale = 1};
    int c;
    while ((c = getopt(argc, argv, "lrws:cbp:S")) != -1) {
        switch (c) {
        case 'l': o.landscape = true; break;
        case 'r': o.rotate = true; break;
        case 'w': o.fullwidth = true; break;
        case 's': o.scale = atol(optarg); break;
        case 'c': o.commas = true; break;
        case 'b': o.blank = true; break;
        case 'p': o.per_page = atoi(optarg); break;
        case 'S': o.scan = true; break;
        default: return usage();
        }
    }
    if (argc - optind < 2)
        return usage();
    FILE *in = fopen(argv[optind], "r");
    FILE *txt = argc - optind > 2 ? fopen(argv[optind + 2], "w") : NULL;
    if (!in) {
        perror(argv[optind]);
        return 1;
    }
    pager p = {.o = &o, .w = o.landscape ? 842 : 595, .h = o.landscape ? 595 : 842};
    p.surf = cairo_pdf_surface_create(argv[optind + 1], p.w, p.h);
    p.cr = cairo_create(p.surf);
    if (o.scan) {
        draw_scan(&p);
    } else {
        cairo_select_font_face(p.cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        start_page(&p);
        char line[8192], *cells[64], store[64][96];
        while (fgets(line, sizeof line, in)) {
            line[strcspn(line, "\r\n")] = '\0';
            bool table = strchr(line, '\t') != NULL;
            size_t n = split_tabs(line, cells, 64);
            transform(cells, n, &o, store, txt, table);
            if (table)
                draw_row(&p, cells, n);
            else
                draw_prose(&p, cells[0]);
        }
    }
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surf);
    int rc = cairo_surface_status(p.surf) == CAIRO_STATUS_SUCCESS ? 0 : 1;
    cairo_surface_destroy(p.surf);
    fclose(in);
    if (txt)
        fclose(txt);
    return rc;
}
