/* test_lexicon.c - the recogniser's vocabulary is the template's
 * "lexicon" object: words added there change recognition with no C
 * change, and a bad lexicon is a load error naming the key. */
#include "testutil.h"
#include "recognise_internal.h"
#include "recognise_relations.h"
#include "template_internal.h"
#include <stdlib.h>
#include <string.h>

/* A proactive table in the tab layout; 'X' and '宗' are not words of the
 * shipped lexicon. */
static const char TABLE[] = "二、主动公开政府信息情况\n"
                            "第二十条第（一）项\n"
                            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
                            "规章\tX\t0\t4\n"
                            "行政规范性文件\t6宗\t2\t31\n";

/* The shipped templates written to a new temp dir (removed by the
 * caller), with `from` replaced by `to` in gb2021.json: the template
 * gb2019 inherits its lexicon from. */
static char *write_edited(const char *from, const char *to)
{
    char *dir = tu_tempdir();
    ck_assert_ptr_nonnull(dir);
    const char *names[] = {"gb2019.json", "gb2021.json"};
    for (size_t i = 0; i < 2; i++) {
        char *src = tu_path(tu_source_dir(), i ? "formats/templates/gb2021.json" : "formats/templates/gb2019.json");
        size_t len;
        char *text = tu_read_file(src, &len);
        free(src);
        ck_assert_ptr_nonnull(text);
        if (i == 1) {
            char *at = strstr(text, from);
            ck_assert_msg(at != NULL, "gb2021.json has no %s", from);
            char *edited = nb_strfmt("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
            free(text);
            text = edited;
        }
        char *dst = tu_path(dir, names[i]);
        ck_assert_int_eq(tu_write_file(dst, text, strlen(text)), 0);
        free(dst);
        free(text);
    }
    return dir;
}

/* write_edited, loaded with the shipped rules. */
static nb_templates *load_edited(const char *from, const char *to, char **dir)
{
    *dir = write_edited(from, to);
    nb_error err;
    nb_error_clear(&err);
    nb_templates *t = nb_templates_load(*dir, &err);
    ck_assert_msg(t != NULL, "load: %s", err.text);
    char *rdir = tu_path(tu_source_dir(), "formats/rules");
    nb_ruleset *rs = nb_ruleset_load(rdir, t, &err);
    free(rdir);
    ck_assert_msg(rs && rc_relations_from_rules(t, rs), "rules: %s", err.text);
    nb_ruleset_free(rs);
    return t;
}

static nb_report *recognise_with(const nb_templates *t, const char *text)
{
    ck_assert_msg(t != NULL, "templates not loaded (run through ctest)");
    nb_error err;
    nb_error_clear(&err);
    nb_doc *d = nb_doc_new("lexicon.txt");
    ck_assert_int_eq(nb_doc_split_text(d, text, strlen(text), NB_SPLIT_TABS), NB_OK);
    nb_doc_set_encoding(d, "UTF-8");
    nb_report *r = nb_recognise(t, d, &err);
    nb_doc_free(d);
    ck_assert_msg(r != NULL, "not recognised: %s", err.text);
    return r;
}

static bool cell_is(nb_report *r, const char *path, const char *value, nb_cell_status st)
{
    const nb_cell *c = nb_report_cell_c(r, path);
    char got[64] = "";
    if (c && c->has_value)
        nb_num_format(c->num, got, sizeof got);
    return c && c->has_value && strcmp(got, value) == 0 && c->status == st;
}

START_TEST(added_words_change_recognition)
{
    /* shipped lexicon: X is no value and 6宗 no number */
    nb_report *r = recognise_with(tu_templates(), TABLE);
    ck_assert(!cell_is(r, "proactive.rules.issued", "0", NB_CELL_NA));
    ck_assert(!cell_is(r, "proactive.normative_docs.issued", "6", NB_CELL_OK));
    nb_report_free(r);

    char *dir;
    nb_templates *t = load_edited("\"not_applicable\": [", "\"not_applicable\": [\"X\", ", &dir);
    r = recognise_with(t, TABLE);
    ck_assert(cell_is(r, "proactive.rules.issued", "0", NB_CELL_NA));
    ck_assert(cell_is(r, "proactive.rules.in_force", "4", NB_CELL_OK));
    nb_report_free(r);
    nb_templates_free(t);
    tu_rmrf(dir);
    free(dir);

    /* a zero word of digits: the cell that is it reads as zero (the
     * tokeniser's digit short cuts ask the words' first bytes), its
     * neighbours as their digits */
    t = load_edited("\"zero_words\": [", "\"zero_words\": [\"4\", ", &dir);
    const nb_lexicon *lx = &nb_templates_get(t, 0)->lexicon;
    for (int b = 0; b < 256; b++)
        ck_assert_int_eq(lx->cell_word_lead[b], lx->not_applicable.lead[b] || lx->zero_words.lead[b]);
    ck_assert(lx->cell_word_lead['4'] && !lx->cell_word_lead['2']);
    r = recognise_with(t, "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
                          "规章\t1\t0\t4\n行政规范性文件\t6\t2\t31\n");
    ck_assert(cell_is(r, "proactive.rules.in_force", "0", NB_CELL_OK));
    ck_assert(cell_is(r, "proactive.normative_docs.repealed", "2", NB_CELL_OK));
    nb_report_free(r);
    nb_templates_free(t);
    tu_rmrf(dir);
    free(dir);

    t = load_edited("\"units\": [", "\"units\": [\"宗\", ", &dir);
    r = recognise_with(t, TABLE);
    ck_assert(cell_is(r, "proactive.normative_docs.issued", "6", NB_CELL_OK));
    ck_assert(cell_is(r, "proactive.normative_docs.in_force", "31", NB_CELL_OK));
    nb_report_free(r);
    nb_templates_free(t);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

/* A report whose sections are numbered 第一部分..第六部分 or Ⅰ..Ⅵ (not a
 * numbering of the shipped lexicon). */
static char *numbered_report(const char *const numbers[6])
{
    static const char *const heads[6] = {"总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                         "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况",
                                         "其他需要报告的事项"};
    static const char *const bodies[6] = {
        "本年度工作平稳。\n",
        "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t4\n",
        "申请人情况\t自然人\n一、本年新收政府信息公开申请数量\t3\n",
        "行政复议\n结果维持\t结果纠正\n",
        "培训不足。\n",
        "未收费。\n"};
    char *t = nb_strdup("青山县水利局2024年政府信息公开工作年度报告\n");
    for (int i = 0; i < 6; i++) {
        char *next = nb_strfmt("%s%s%s\n%s", t, numbers[i], heads[i], bodies[i]);
        free(t);
        t = next;
    }
    return t;
}

static int sections_found(const nb_report *r)
{
    int n = 0;
    for (int i = 0; i < 6; i++)
        n += r->sections[i].title != NULL;
    return n;
}

/* heading_numbers: a numbering of the lexicon is found at a line's start
 * in every section; one it lacks is not, until it is added (no C). */
START_TEST(heading_numbers_are_data)
{
    static const char *const part[6] = {"第一部分 ", "第二部分：", "第三部分 ", "第四部分 ", "第五部分 ", "第六部分 "};
    char *text = numbered_report(part);
    nb_report *r = recognise_with(tu_templates(), text);
    free(text);
    ck_assert_int_eq(sections_found(r), 6);
    ck_assert_str_eq(r->sections[1].title, "主动公开政府信息情况");
    ck_assert_str_eq(r->sections[4].text, "培训不足。");
    nb_report_free(r);

    /* 1| is no numbering of the shipped lexicon: the short heading texts
     * (总体情况 and the like) allow no typo, so they are not found */
    static const char *const bar[6] = {"1|", "2|", "3|", "4|", "5|", "6|"};
    text = numbered_report(bar);
    r = recognise_with(tu_templates(), text);
    ck_assert_ptr_null(r->sections[0].title);
    nb_report_free(r);

    char *dir;
    nb_templates *t = load_edited("\"heading_numbers\": [", "\"heading_numbers\": [\"{d}|\", ", &dir);
    r = recognise_with(t, text);
    free(text);
    ck_assert_int_eq(sections_found(r), 6);
    ck_assert_str_eq(r->sections[0].text, "本年度工作平稳。");
    nb_report_free(r);
    nb_templates_free(t);
    tu_rmrf(dir);
    free(dir);
}
END_TEST

/* gb2019 has no lexicon of its own: it reads with gb2021's words. */
START_TEST(lexicon_is_inherited)
{
    const nb_template *a = NULL, *b = NULL;
    for (size_t i = 0; i < nb_templates_count(tu_templates()); i++) {
        const nb_template *tp = nb_templates_get(tu_templates(), i);
        if (strcmp(tp->id, "gb2019") == 0)
            a = tp;
        if (strcmp(tp->id, "gb2021") == 0)
            b = tp;
    }
    ck_assert(a && b);
    ck_assert_uint_gt(b->lexicon.units.n, 0);
    ck_assert_uint_eq(a->lexicon.units.n, b->lexicon.units.n);
    for (size_t i = 0; i < a->lexicon.units.n; i++)
        ck_assert_str_eq(a->lexicon.units.v[i], b->lexicon.units.v[i]);
}
END_TEST

/* key, the bad value (NULL: the key left out), what the error must say */
static const struct {
    const char *key, *value, *says;
} BAD[] = {
    {NULL, "[]", "\"lexicon\" must be an object"},
    {"units", "[]", "lexicon.units must be a list"},
    {"units", "\"元\"", "lexicon.units must be a list"},
    {"units", "[\"元\", 5]", "lexicon.units[1]"},
    {"units", "[\"长长长长长长的单位\"]", "lexicon.units[0]"},
    {"not_applicable", "[\"\"]", "lexicon.not_applicable[0]"},
    {"numerals", "[\"一\", \"二\"]", "lexicon.numerals must have exactly 10"},
    {"agency_suffixes", NULL, "lexicon.agency_suffixes must be a list"},
    {"heading_numbers", "[]", "lexicon.heading_numbers must be a list"},
    {"report_subjects", "[\"\"]", "lexicon.report_subjects[0] must be a non-empty word"},
    {"heading_numbers", "[\"第{n}部分\", \"第部分\"]", "lexicon.heading_numbers[1] must hold {n}"},
    {"narrative", "[]", "lexicon.narrative must be an object"},
    {"narrative", "{\"units\": [\"件\"], \"clause_marks\": [\"。\"], \"max_gap\": 99, \"statements\": []}",
     "lexicon.narrative.max_gap"},
    {"narrative", "{\"units\": [], \"clause_marks\": [\"。\"], \"max_gap\": 2, \"statements\": []}",
     "lexicon.narrative.units"},
    {"narrative", "{\"units\": [\"件\"], \"clause_marks\": [\"。\"], \"max_gap\": 2, \"statements\": []}",
     "lexicon.narrative.statements must be"},
    {"narrative",
     "{\"units\": [\"件\"], \"clause_marks\": [\"。\"], \"max_gap\": 2, \"statements\": [{\"path\": \"a.b\"}]}",
     "lexicon.narrative.statements[0]"},
    {"narrative",
     "{\"units\": [\"件\"], \"clause_marks\": [\"。\"], \"max_gap\": 2, "
     "\"statements\": [{\"path\": \"a.b\", \"before\": [[\"w\", \"\"]]}]}",
     "lexicon.narrative.statements[0]"},
};

/* A good narrative object (optional: BAD entries replace it). */
static const char NARRATIVE[] = "{\"units\": [\"件\"], \"clause_marks\": [\"。\"], \"max_gap\": 2, "
                                "\"statements\": [{\"path\": \"a.b\", \"before\": [[\"w\", \"v\"], \"u\"]}]}";

static const char *const KEYS[] = {"numerals",     "year_zeros",      "units",          "not_applicable", "zero_words",
                                   "list_separators", "title_labels", "agency_suffixes", "agency_cuts",
                                   "report_words", "date_labels", "heading_numbers", "report_subjects", "narrative"};

/* A template whose lexicon is good but for BAD[i] (i < 0: all good). */
static char *template_text(int i)
{
    if (i >= 0 && !BAD[i].key)
        return nb_strfmt("{\"id\": \"t\", \"lexicon\": %s, \"sections\": [], \"tables\": []}", BAD[i].value);
    char *lex = nb_strdup("");
    for (size_t k = 0; k < sizeof KEYS / sizeof *KEYS; k++) {
        bool bad = i >= 0 && strcmp(BAD[i].key, KEYS[k]) == 0;
        const char *v = bad ? BAD[i].value
                        : strcmp(KEYS[k], "numerals") == 0
                            ? "[\"一\",\"二\",\"三\",\"四\",\"五\",\"六\",\"七\",\"八\",\"九\",\"十\"]"
                        : strcmp(KEYS[k], "narrative") == 0 ? NARRATIVE
                        : strcmp(KEYS[k], "heading_numbers") == 0 ? "[\"第{n}部分：\", \"{d}．\"]"
                                                                   : "[\"w\"]";
        if (bad && !v)
            continue;
        char *next = nb_strfmt("%s%s\"%s\": %s", lex, *lex ? ", " : "", KEYS[k], v);
        free(lex);
        lex = next;
    }
    char *sections = nb_strdup(""); /* six, as every template has */
    for (int n = 1; n <= 6; n++) {
        char *next = nb_strfmt("%s%s{\"no\": %d, \"key\": \"s%d\", \"title\": \"s\", \"variants\": [\"s\"]}",
                               sections, n > 1 ? ", " : "", n, n);
        free(sections);
        sections = next;
    }
    char *t = nb_strfmt("{\"id\": \"t\", \"lexicon\": {%s}, \"sections\": [%s], \"tables\": []}", lex, sections);
    free(lex);
    free(sections);
    return t;
}

static nb_templates *load_text(const char *text, nb_error *err)
{
    char *dir = tu_tempdir();
    char *path = tu_path(dir, "t.json");
    ck_assert_int_eq(tu_write_file(path, text, strlen(text)), 0);
    nb_error_clear(err);
    nb_templates *t = nb_templates_load_file(path, err);
    free(path);
    tu_rmrf(dir);
    free(dir);
    return t;
}

START_TEST(good_lexicon_loads)
{
    char *text = template_text(-1);
    nb_error err;
    nb_templates *t = load_text(text, &err);
    free(text);
    ck_assert_msg(t != NULL, "%s", err.text);
    ck_assert_str_eq(nb_templates_get(t, 0)->lexicon.units.v[0], "w");
    const nb_narrative *nv = &nb_templates_get(t, 0)->lexicon.narrative;
    ck_assert_uint_eq(nv->n, 1);
    ck_assert_uint_eq(nv->v[0].ngroups, 2);
    ck_assert_uint_eq(nv->v[0].groups[0].n, 2);
    ck_assert_str_eq(nv->v[0].shown, "w…u");
    /* the numerals' filter is made at load: every numeral passes it, and
     * exactly the pairs of its bytes are set (一 is E4 B8 80: bit 0 of
     * pair B8; 上 E4 B8 8A shares lead and second byte, not the third) */
    const nb_lexicon *lx = &nb_templates_get(t, 0)->lexicon;
    ck_assert(!lx->numeral_short);
    size_t bits = 0;
    for (size_t i = 0; i < lx->numerals.n; i++) {
        const unsigned char *v = (const unsigned char *)lx->numerals.v[i];
        ck_assert(lx->numeral_pair[v[1]] >> (v[2] & 63) & 1);
    }
    for (size_t b = 0; b < 256; b++)
        bits += (size_t)__builtin_popcountll(lx->numeral_pair[b]);
    ck_assert_uint_le(bits, lx->numerals.n);
    ck_assert(!(lx->numeral_pair[0xB8] >> (0x8A & 63) & 1));
    /* numberings are kept compacted, as cells are searched; they start
     * with their own byte, a numeral's or a digit */
    ck_assert_str_eq(lx->heading_numbers.v[0], "第{n}部分:");
    ck_assert_str_eq(lx->heading_numbers.v[1], "{d}.");
    ck_assert(lx->heading_number_lead[0xE7] && lx->heading_number_lead['7'] && !lx->heading_number_lead['w']);
    nb_templates_free(t);

    /* heading_numbers may be left out: no other numbering */
    text = template_text(-1);
    char *at = strstr(text, "\"heading_numbers\"");
    char *end = strstr(at, "], ") + 3;
    memmove(at, end, strlen(end) + 1);
    t = load_text(text, &err);
    free(text);
    ck_assert_msg(t != NULL, "%s", err.text);
    ck_assert_uint_eq(nb_templates_get(t, 0)->lexicon.heading_numbers.n, 0);
    nb_templates_free(t);
}
END_TEST

START_TEST(bad_lexicon_is_load_error)
{
    char *text = template_text(_i);
    nb_error err;
    nb_templates *t = load_text(text, &err);
    free(text);
    ck_assert_ptr_null(t);
    ck_assert_msg(strstr(err.text, BAD[_i].says) != NULL, "want \"%s\" in: %s", BAD[_i].says, err.text);
    ck_assert_msg(strstr(err.where, "t.json") != NULL, "names the file: %s", err.where);
}
END_TEST

/* A bad list that gb2019 inherits is reported in the file that holds it. */
START_TEST(bad_inherited_list_names_its_file)
{
    char *dir = write_edited("\"units\": [", "\"units\": [5, ");
    nb_error err;
    nb_error_clear(&err);
    nb_templates *t = nb_templates_load(dir, &err);
    tu_rmrf(dir);
    free(dir);
    ck_assert_ptr_null(t);
    ck_assert_msg(strstr(err.text, "lexicon.units[0]") != NULL, "%s", err.text);
    ck_assert_msg(strstr(err.where, "gb2021.json") != NULL, "names the file: %s", err.where);
}
END_TEST

static Suite *lexicon_suite(void)
{
    Suite *s = suite_create("lexicon");
    TCase *tc = tcase_create("lexicon");
    tcase_add_test(tc, added_words_change_recognition);
    tcase_add_test(tc, lexicon_is_inherited);
    tcase_add_test(tc, heading_numbers_are_data);
    tcase_add_test(tc, good_lexicon_loads);
    tcase_add_test(tc, bad_inherited_list_names_its_file);
    tcase_add_loop_test(tc, bad_lexicon_is_load_error, 0, (int)(sizeof BAD / sizeof *BAD));
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_main(lexicon_suite()); }
