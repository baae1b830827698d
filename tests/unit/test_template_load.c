/* test_template_load.c - the short cuts of loading templates against the
 * plain ways they replace: the label forms made into the templates' arena
 * are nb_text_compact and nb_text_label_key of the label (and the code
 * points the grammar counts are nb_utf8_len's), and the column list built
 * with a hash set is the one a search of every earlier field gives — for
 * the shipped templates and for generated ones full of ordinals, brackets,
 * quotes, full-width forms and spaces. */
#include "testutil.h"
#include "template_internal.h"
#include <stdlib.h>
#include <string.h>

static size_t lead_bytes(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void check_list(const nb_strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        char *c = nb_text_compact(l->v[i]), *k = nb_text_label_key(l->v[i]);
        ck_assert_str_eq(l->compact[i], c);
        ck_assert_str_eq(l->key[i], k);
        ck_assert_uint_eq(lead_bytes(l->key[i]), nb_utf8_len(l->key[i]));
        ck_assert_uint_eq(lead_bytes(l->compact[i]), nb_utf8_len(l->compact[i]));
        free(c);
        free(k);
    }
}

/* Every list of every template; returns how many labels were seen. */
static size_t check_forms(const nb_templates *T)
{
    size_t seen = 0;
    for (size_t t = 0; t < nb_templates_count(T); t++) {
        const nb_template *tp = nb_templates_get(T, t);
        for (int s = 0; s < 6; s++)
            check_list(&tp->sections[s].variants);
        for (size_t k = 0; k < tp->ntables; k++) {
            const nb_table_def *d = &tp->tables[k];
            check_list(&d->markers);
            check_list(&d->ignore);
            for (size_t b = 0; b < d->nblocks; b++)
                check_list(&d->blocks[b].caption);
            for (size_t c = 0; c < d->ncols; c++)
                check_list(&d->cols[c].labels), seen += d->cols[c].labels.n;
            for (size_t r = 0; r < d->nrows; r++)
                check_list(&d->rows[r].labels), seen += d->rows[r].labels.n;
        }
    }
    return seen;
}

/* The columns as the plain search finds them: per table name, in template
 * order, every field whose path no earlier field of that name has. */
static void check_columns(const nb_templates *T)
{
    const nb_field_def **got;
    size_t ngot = nb_templates_columns(T, &got), k = 0;
    for (size_t n = 0; n < nb_templates_table_count(T); n++) {
        const char *name = nb_templates_table_name(T, n);
        const nb_field_def *seen[4096];
        size_t nseen = 0;
        for (size_t t = 0; t < nb_templates_count(T); t++) {
            const nb_template *tp = nb_templates_get(T, t);
            for (size_t x = 0; x < tp->ntables; x++) {
                const nb_table_def *d = &tp->tables[x];
                if (strcmp(d->name, name) != 0)
                    continue;
                for (size_t f = 0; f < d->nfields; f++) {
                    bool dup = false;
                    for (size_t j = 0; j < nseen && !dup; j++)
                        dup = strcmp(seen[j]->path, d->fields[f].path) == 0;
                    ck_assert_uint_lt(nseen, 4096);
                    seen[nseen++] = &d->fields[f];
                    if (dup)
                        continue;
                    ck_assert_uint_lt(k, ngot);
                    ck_assert_ptr_eq(got[k], &d->fields[f]);
                    k++;
                }
            }
        }
    }
    ck_assert_uint_eq(k, ngot);
}

START_TEST(shipped_templates)
{
    const nb_templates *T = tu_templates();
    ck_assert_ptr_nonnull(T);
    ck_assert_uint_gt(check_forms(T), 100);
    check_columns(T);
}
END_TEST

/* Pieces a label is made of (JSON-escaped where needed). */
static const char *const PIECES[] = {
    "（一）", "(二)", "三、", "4.", "1、", "—、", "七)", "十", "申请", "公开", "不予", "信息", "总计",
    "\\u201c", "\\u201d", "\\\"", "「", "」", "【注】", "（注：说明）", "　", " ", "Ａ", "ａ", "１",
    "２０", "abc", "X", "、", "。", "，", "\\t", "·", "％", "%", "ー", "の", "\\u00a0", "〔2019〕", "/",
};

static void append(nb_buf *b, unsigned *seed)
{
    size_t n = 1 + (size_t)(rand_r(seed) % 6);
    for (size_t i = 0; i < n; i++)
        nb_buf_adds(b, PIECES[rand_r(seed) % (sizeof PIECES / sizeof *PIECES)]);
}

static void labels(nb_buf *b, unsigned *seed)
{
    size_t n = 1 + (size_t)(rand_r(seed) % 3);
    nb_buf_adds(b, "[");
    for (size_t i = 0; i < n; i++) {
        nb_buf_adds(b, i ? ", \"" : "\"");
        append(b, seed);
        nb_buf_adds(b, "\"");
    }
    nb_buf_adds(b, "]");
}

/* A lexicon every template needs (test_lexicon checks its contents). */
static const char LEXICON[] =
    "\"lexicon\": {\"numerals\": [\"一\",\"二\",\"三\",\"四\",\"五\",\"六\",\"七\",\"八\",\"九\",\"十\"], "
    "\"year_zeros\": [\"w\"], \"units\": [\"w\"], \"not_applicable\": [\"w\"], \"zero_words\": [\"w\"], "
    "\"list_separators\": [\"w\"], \"title_labels\": [\"w\"], \"agency_suffixes\": [\"w\"], "
    "\"agency_cuts\": [\"w\"], \"report_words\": [\"w\"], \"date_labels\": [\"w\"], "
    "\"narrative\": {\"units\": [\"件\"], \"clause_marks\": [\"。\"], \"max_gap\": 2, "
    "\"statements\": [{\"path\": \"a.b\", \"before\": [[\"w\", \"v\"], \"u\"]}]}}, ";

/* A template of random labels; the keys repeat paths across tables of the
 * same name so the column list has duplicates to drop. */
static char *random_template(unsigned *seed, const char *id, int year)
{
    nb_buf b = {0};
    nb_buf_printf(&b, "{\"id\": \"%s\", \"years\": {\"from\": %d}, %s\"sections\": [", id, year, LEXICON);
    for (int s = 1; s <= 6; s++) {
        nb_buf_printf(&b, "%s{\"no\": %d, \"key\": \"s%d\", \"title\": \"s\", \"variants\": ", s > 1 ? ", " : "",
                      s, s);
        labels(&b, seed);
        nb_buf_adds(&b, "}");
    }
    nb_buf_adds(&b, "], \"tables\": [");
    for (int t = 0; t < 3; t++) {
        nb_buf_printf(&b, "%s{\"name\": \"tb%d\", \"section\": 2, \"markers\": ", t ? ", " : "", t);
        labels(&b, seed);
        nb_buf_adds(&b, ", \"blocks\": [{\"caption\": ");
        labels(&b, seed);
        nb_buf_adds(&b, ", \"columns\": [");
        int ncols = 1 + rand_r(seed) % 4;
        for (int c = 0; c < ncols; c++) {
            nb_buf_printf(&b, "%s{\"key\": \"c%d\", \"type\": \"int\", \"labels\": ", c ? ", " : "", c);
            labels(&b, seed);
            nb_buf_adds(&b, "}");
        }
        nb_buf_adds(&b, "], \"rows\": [");
        int nrows = 1 + rand_r(seed) % 8;
        for (int r = 0; r < nrows; r++) {
            nb_buf_printf(&b, "%s{\"key\": \"g%d.r%d\", \"labels\": ", r ? ", " : "", rand_r(seed) % 2, r);
            labels(&b, seed);
            nb_buf_adds(&b, "}");
        }
        nb_buf_adds(&b, "]}]}");
    }
    nb_buf_adds(&b, "]}");
    return nb_buf_steal(&b);
}

START_TEST(generated_templates)
{
    char *dir = tu_tempdir();
    char *path[2] = {tu_path(dir, "a.json"), tu_path(dir, "b.json")};
    unsigned seed = 1234;
    size_t labels_seen = 0;
    for (int round = 0; round < 200; round++) {
        char *text[2] = {random_template(&seed, "a", 2021), random_template(&seed, "b", 2019)};
        for (int i = 0; i < 2; i++)
            ck_assert_int_eq(tu_write_file(path[i], text[i], strlen(text[i])), 0);
        nb_error err;
        nb_error_clear(&err);
        nb_templates *T = nb_templates_load(dir, &err); /* two templates sharing table names */
        ck_assert_msg(T != NULL, "%s\n%s", err.text, text[0]);
        ck_assert_uint_eq(nb_templates_count(T), 2);
        labels_seen += check_forms(T);
        check_columns(T);
        nb_templates_free(T);
        free(text[0]);
        free(text[1]);
    }
    ck_assert_uint_gt(labels_seen, 3000);
    free(path[0]);
    free(path[1]);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

static Suite *load_suite(void)
{
    Suite *s = suite_create("template_load");
    TCase *t = tcase_create("shortcuts");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, shipped_templates);
    tcase_add_test(t, generated_templates);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return tu_main(load_suite()); }
