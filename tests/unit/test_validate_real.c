/* test_validate_real.c - the engine on real numbers: the hand-checked
 * corpus truth (consistent reports raise no error, broken ones raise the
 * relation they break, at the cell they name) and the seeds read by the
 * recogniser.  Needs ../shared; exits 77 (skipped) without it. */
#include "test_validate_util.h"
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>

/* Corpus truth --------------------------------------------------------- */

static void set_from_json(nb_report *r, const char *prefix, json_t *v)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach(v, k, c) {
            char path[256];
            snprintf(path, sizeof path, "%s.%s", prefix, k);
            set_from_json(r, path, c);
        }
        return;
    }
    if (!json_is_number(v))
        return; /* null: the transcriber could not read it */
    nb_cell *c = nb_report_cell(r, prefix);
    if (!c)
        return;
    char buf[64];
    if (json_is_integer(v))
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    else
        snprintf(buf, sizeof buf, "%.15g", json_real_value(v));
    nb_num n;
    ck_assert_msg(nb_num_parse(buf, &n), "number %s", buf);
    nb_cell_set(r, c, NB_CELL_OK, n, buf, 0, -1);
}

/* The truth's table-1 variant, from the columns it uses. */
static const char *proactive_variant(json_t *p)
{
    json_t *rules = json_object_get(p, "rules");
    return rules && json_object_get(rules, "new_made") ? "gb2019" : "gb2021";
}

static nb_report *truth_report(json_t *j)
{
    const char *tmpl = json_string_value(json_object_get(j, "template"));
    json_t *pro = json_object_get(j, "proactive");
    nb_report *r = tv_report3(pro ? proactive_variant(pro) : NULL, tmpl, tmpl);
    nb_set_str(&r->agency, json_string_value(json_object_get(j, "agency")));
    r->year = (int)json_integer_value(json_object_get(j, "year"));
    const char *tables[] = {"proactive", "requests", "appeals"};
    for (int i = 0; i < 3; i++)
        set_from_json(r, tables[i], json_object_get(j, tables[i]));
    return r;
}

/* Which rule and cell a "broken" note of the truth names. */
static void expect_broken(const nb_report *r, const char *note, const char *file)
{
    const char *rule = NULL;
    char where[128] = "";
    int col;
    char row[64];
    if (strncmp(note, "appeals", 7) == 0) {
        rule = "R-T3-GROUP-TOTAL";
        snprintf(where, sizeof where, "appeals.%s.total",
                 strstr(note, "after review") ? "suit_after_review"
                 : strstr(note, "litigation") ? "suit_direct"
                                               : "review");
    } else if (sscanf(note, "row %63[^:]:", row) == 1) {
        rule = "R-T2-ROWSUM";
        char *br = strchr(row, '[');
        if (br) /* "withheld[4]": a leaf of the group */
            *br = '\0';
        snprintf(where, sizeof where, "requests.%s", row);
    } else if (sscanf(note, "col %d:", &col) == 1) {
        static const char *const cols[] = {"natural_person", "business", "research", "nonprofit",
                                           "legal_service", "other_org", "total"};
        rule = "R-T2-RESULTS";
        ck_assert_int_lt(col, 7);
        snprintf(where, sizeof where, "requests.results_total.%s", cols[col]);
    }
    ck_assert_msg(rule != NULL, "%s: unknown broken note '%s'", file, note);
    bool hit = false;
    for (size_t i = 0; i < r->ndiags; i++) {
        const nb_diag *d = &r->diags[i];
        hit = hit || (strcmp(d->rule, rule) == 0 && d->severity == NB_SEV_ERROR && !d->skipped &&
                      d->where && strncmp(d->where, where, strlen(where)) == 0);
    }
    char *dump = tv_dump(r);
    ck_assert_msg(hit, "%s: '%s' should raise %s at %s:%s", file, note, rule, where, dump);
    free(dump);
}

START_TEST(corpus_truth)
{
    const char *shared = tu_shared_dir();
    char *dir = tu_path(shared, "corpus/truth");
    DIR *dh = opendir(dir);
    ck_assert_msg(dh != NULL, "%s", dir);
    struct dirent *e;
    size_t n = 0, broken = 0;
    nb_xcheck *x = nb_xcheck_new(tv_rules());
    nb_report *keep[64];
    size_t nkeep = 0;
    while ((e = readdir(dh))) {
        if (!strstr(e->d_name, ".json"))
            continue;
        char *p = tu_path(dir, e->d_name);
        json_error_t je;
        json_t *j = json_load_file(p, 0, &je);
        ck_assert_msg(j != NULL, "%s: %s", p, je.text);
        nb_report *r = truth_report(j);
        nb_set_str(&r->source.path, e->d_name);
        nb_validate(tv_rules(), r);
        json_t *b = json_object_get(j, "broken");
        if (json_is_array(b) && json_array_size(b) > 0) {
            broken++;
            size_t i;
            json_t *note;
            json_array_foreach(b, i, note) expect_broken(r, json_string_value(note), e->d_name);
        } else {
            char *dump = tv_dump(r);
            ck_assert_msg(tv_errors(r) == 0, "%s is consistent, yet:%s", e->d_name, dump);
            free(dump);
        }
        nb_xcheck_add(x, r);
        for (size_t i = 0; i < r->ndiags; i++) /* cross-year findings are warnings */
            if (strstr(r->diags[i].rule, "XYEAR"))
                ck_assert_int_eq(r->diags[i].severity, NB_SEV_WARNING);
        if (nkeep < 64)
            keep[nkeep++] = r;
        else
            nb_report_free(r);
        json_decref(j);
        free(p);
        n++;
    }
    closedir(dh);
    ck_assert_uint_ge(n, 10);
    ck_assert_uint_ge(broken, 1);
    for (size_t i = 0; i < nkeep; i++)
        nb_report_free(keep[i]);
    nb_xcheck_free(x);
    free(dir);
}
END_TEST

/* Seeds through the recogniser: consistent reports, so no error. */
START_TEST(seeds_have_no_errors)
{
    const char *shared = tu_shared_dir();
    char *dir = tu_path(shared, "seeds");
    DIR *dh = opendir(dir);
    ck_assert_ptr_nonnull(dh);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(dh))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = tu_path(dir, e->d_name);
        char *text = tu_read_file(p, NULL);
        ck_assert_ptr_nonnull(text);
        nb_error err;
        nb_error_clear(&err);
        nb_report *r = tu_recognise_text(text, &err);
        ck_assert_msg(r != NULL, "%s: %s", e->d_name, err.text);
        size_t before = r->ndiags;
        nb_validate(tv_rules(), r);
        for (size_t i = before; i < r->ndiags; i++)
            ck_assert_msg(r->diags[i].severity != NB_SEV_ERROR, "%s: %s %s [%s]", e->d_name,
                          r->diags[i].rule, r->diags[i].message, r->diags[i].where);
        nb_report_free(r);
        free(text);
        free(p);
        n++;
    }
    closedir(dh);
    ck_assert_uint_ge(n, 5);
    free(dir);
}
END_TEST

int main(void)
{
    if (!tu_shared_dir()) {
        fprintf(stderr, "test_validate_real: ../shared not found, skipped\n");
        return TU_SKIP_CODE;
    }
    Suite *s = suite_create("validate_real");
    TCase *tr = tcase_create("real");
    tcase_set_timeout(tr, 60);
    tcase_add_test(tr, corpus_truth);
    tcase_add_test(tr, seeds_have_no_errors);
    suite_add_tcase(s, tr);
    return tu_main(s);
}
