/* validate_rules.c - reads rule files (formats/rules/NAME.json) into v_rule.
 * The schema is docs/validation.md; every mistake in a rule file is an
 * NB_E_CONFIG error naming the file and the rule, never a silent no-op. */
#include "validate_int.h"
#include "util.h"
#include "jdoc.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    nb_ruleset *rs;
    const char *path;
    const char *id;
    nb_error *err;
} parser;

static bool fail(parser *p, const char *fmt, const char *a)
{
    nb_error_set(p->err, NB_E_CONFIG, p->path, "rule %s: %s%s", p->id ? p->id : "?", fmt,
                 a ? a : "");
    return false;
}

/* n bytes of the ruleset's arena, zeroed, aligned for any member. */
static void *p_alloc(parser *p, size_t n)
{
    const size_t al = _Alignof(max_align_t);
    char *m = nb_arena_alloc(&p->rs->arena, n + al - 1);
    if (!m)
        return NULL;
    m += (al - (uintptr_t)m % al) % al;
    return memset(m, 0, n);
}

static char *p_strndup(parser *p, const char *s, size_t n)
{
    return nb_arena_strndup(&p->rs->arena, s, n);
}

/* A copy of s in the ruleset's arena; NULL for NULL. */
static char *p_strdup(parser *p, const char *s)
{
    return s ? p_strndup(p, s, strlen(s)) : NULL;
}

/* What a rule holds outside the ruleset's arena: compiled patterns and
 * what the literal prefilter made of them (its strings and masks). */
void v_rule_free(v_rule *r)
{
    for (size_t i = 0; i < r->nre; i++) {
        v_regex_free(&r->re[i]);
        if (r->lits)
            free(r->lits[i]);
    }
    free(r->litmask);
    for (size_t i = 0; i < r->nfacts; i++) {
        v_regex_free(&r->facts[i].re);
        free(r->facts[i].lit);
    }
    memset(r, 0, sizeof *r);
}

/* A string or a list of strings. */
static bool get_strs(parser *p, const jd *j, const char *what, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!j)
        return true;
    if (jd_is_str(j)) {
        *out = p_alloc(p, sizeof **out);
        if (!*out || !((*out)[0] = p_strdup(p, jd_str(j))))
            return fail(p, "out of memory", NULL);
        *n = 1;
        return true;
    }
    if (!jd_is_arr(j))
        return fail(p, "expected a string or a list of strings: ", what);
    *out = p_alloc(p, (jd_len(j) + 1) * sizeof **out);
    if (!*out)
        return fail(p, "out of memory", NULL);
    size_t i;
    const jd *v;
    jd_array_foreach(j, i, v) {
        if (!jd_is_str(v))
            return fail(p, "expected a list of strings: ", what);
        if (!((*out)[*n] = p_strdup(p, jd_str(v))))
            return fail(p, "out of memory", NULL);
        (*n)++;
    }
    return true;
}

static bool is_table(const nb_ruleset *rs, const char *s, size_t len)
{
    for (size_t i = 0; i < nb_templates_table_count(rs->t); i++) {
        const char *name = nb_templates_table_name(rs->t, i);
        if (strlen(name) == len && strncmp(name, s, len) == 0)
            return true;
    }
    return false;
}

/* "<table>.<path>" without vsnprintf (a hundred per start). */
static char *join_path(parser *p, const char *table, const char *path, size_t len)
{
    size_t tl = strlen(table);
    char *out = nb_arena_alloc(&p->rs->arena, tl + len + 2);
    if (!out)
        return NULL;
    memcpy(out, table, tl);
    out[tl] = '.';
    memcpy(out + tl + 1, path, len);
    out[tl + 1 + len] = '\0';
    return out;
}

/* "-prev:withheld.*.{col}|withheld.subtotal.{col}" */
static bool parse_term(parser *p, const v_rule *r, const char *s, v_term *t)
{
    memset(t, 0, sizeof *t);
    t->coef = 1;
    if (*s == '-' || *s == '+')
        t->coef = *s++ == '-' ? -1 : 1;
    if (strncmp(s, "prev:", 5) == 0) {
        t->prev = true;
        s += 5;
    }
    size_t cap = 1;
    for (const char *c = s; *c; c++)
        cap += *c == '|';
    t->alts = p_alloc(p, cap * sizeof *t->alts);
    if (!t->alts)
        return fail(p, "out of memory", NULL);
    while (*s) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        const char *dot = memchr(s, '.', len);
        char *alt = NULL;
        if (dot && is_table(p->rs, s, (size_t)(dot - s)))
            alt = p_strndup(p, s, len);
        else if (r->table)
            alt = join_path(p, r->table, s, len);
        if (!alt || len == 0)
            return fail(p, "a key path names no table: ", s);
        t->alts[t->nalts++] = alt;
        s += len + (bar ? 1 : 0);
    }
    if (t->nalts == 0)
        return fail(p, "empty key path", NULL);
    return true;
}

static bool parse_sum(parser *p, const v_rule *r, const jd *j, const char *what, v_sum *s)
{
    memset(s, 0, sizeof *s);
    if (!j)
        return true;
    if (!jd_is_arr(j))
        return fail(p, "expected a list of key paths: ", what);
    s->t = p_alloc(p, (jd_len(j) + 1) * sizeof *s->t);
    if (!s->t)
        return fail(p, "out of memory", NULL);
    size_t i;
    const jd *v;
    jd_array_foreach(j, i, v) {
        if (!jd_is_str(v))
            return fail(p, "expected a list of key paths: ", what);
        if (!parse_term(p, r, jd_str(v), &s->t[s->n]))
            return false;
        s->n++;
    }
    return true;
}

static bool parse_op(parser *p, const jd *j, v_op *op)
{
    const char *s = jd_str(j);
    *op = V_EQ;
    if (!j || nb_streq(s, "=") || nb_streq(s, "==") || nb_streq(s, "eq"))
        return true;
    if (nb_streq(s, "<=") || nb_streq(s, "le"))
        *op = V_LE;
    else if (nb_streq(s, ">=") || nb_streq(s, "ge"))
        *op = V_GE;
    else
        return fail(p, "op must be =, <= or >=", NULL);
    return true;
}

static bool parse_relation(parser *p, const v_rule *r, const jd *j, v_relation *rel)
{
    return parse_sum(p, r, jd_get(j, "lhs"), "lhs", &rel->lhs) &&
           parse_sum(p, r, jd_get(j, "rhs"), "rhs", &rel->rhs) &&
           parse_op(p, jd_get(j, "op"), &rel->op);
}

static bool parse_when(parser *p, v_rule *r, const jd *j)
{
    if (!j)
        return true;
    const jd *one = jd_is_obj(j) ? j : NULL;
    size_t n = one ? 1 : jd_len(j);
    if (!one && !jd_is_arr(j))
        return fail(p, "\"when\" must be an object or a list of objects", NULL);
    r->when = p_alloc(p, (n + 1) * sizeof *r->when);
    if (!r->when)
        return fail(p, "out of memory", NULL);
    for (size_t i = 0; i < n; i++) {
        const jd *c = one ? one : jd_at(j, i);
        v_cond *vc = &r->when[r->nwhen++];
        const jd *pr = jd_get(c, "printed"), *kn = jd_get(c, "known"),
               *an = jd_get(c, "any_known");
        const jd *cells = pr ? pr : kn ? kn : an;
        if (cells) {
            vc->kind = pr ? VC_PRINTED : kn ? VC_KNOWN : VC_ANY_KNOWN;
            if (!jd_is_str(cells))
                return fail(p, "\"printed\", \"known\" and \"any_known\" take one key path", NULL);
            if (!parse_term(p, r, jd_str(cells), &vc->cells))
                return false;
        } else if (!parse_relation(p, r, c, &vc->rel)) {
            return false;
        }
    }
    return true;
}

static bool parse_vars(parser *p, v_rule *r, const jd *j)
{
    if (!j)
        return true;
    if (!jd_is_obj(j))
        return fail(p, "\"for_each\" must map variable names to a list or to columns/rows/groups", NULL);
    r->vars = p_alloc(p, (jd_nmembers(j) + 1) * sizeof *r->vars);
    if (!r->vars)
        return fail(p, "out of memory", NULL);
    const char *name;
    const jd *v;
    size_t i;
    jd_object_foreach(j, i, name, v) {
        v_var *var = &r->vars[r->nvars++];
        if (!(var->name = p_strdup(p, name)))
            return fail(p, "out of memory", NULL);
        const char *kw = jd_str(v);
        if (kw) {
            if (strcmp(kw, "columns") && strcmp(kw, "rows") && strcmp(kw, "groups"))
                return fail(p, "for_each keyword must be columns, rows or groups: ", kw);
            if (!r->table)
                return fail(p, "for_each over columns/rows/groups needs \"table\"", NULL);
            if (!(var->keyword = p_strdup(p, kw)))
                return fail(p, "out of memory", NULL);
        } else if (!get_strs(p, v, "for_each", &var->values, &var->nvalues)) {
            return false;
        }
    }
    return true;
}

static bool parse_num(parser *p, const jd *j, const char *what, bool *has, nb_num *out)
{
    *has = j != NULL;
    if (!j)
        return true;
    char buf[64];
    if (jd_is_int(j))
        snprintf(buf, sizeof buf, "%lld", (long long)jd_int(j));
    else if (jd_is_real(j))
        snprintf(buf, sizeof buf, "%.10g", jd_real(j));
    else if (jd_is_str(j))
        snprintf(buf, sizeof buf, "%s", jd_str(j));
    else
        return fail(p, "expected a number: ", what);
    if (!nb_num_parse(buf, out))
        return fail(p, "expected a number: ", what);
    return true;
}

static bool compile(parser *p, v_regex *re, const char *pat)
{
    char msg[256] = "";
    if (!pat)
        return fail(p, "missing pattern", NULL);
    if (!v_regex_init(p->rs, re, pat, msg, sizeof msg)) {
        char *m = nb_strfmt("bad pattern \"%s\": %s", pat, msg);
        fail(p, m ? m : "bad pattern", NULL);
        free(m);
        return false;
    }
    return true;
}

static bool parse_patterns(parser *p, v_rule *r, const jd *j)
{
    char **pats;
    size_t n;
    if (!get_strs(p, j, "pattern", &pats, &n))
        return false;
    r->re = p_alloc(p, (n + 1) * sizeof *r->re);
    r->lits = p_alloc(p, (n + 1) * sizeof *r->lits);
    bool ok = r->re && r->lits;
    for (size_t i = 0; ok && i < n; i++) {
        ok = compile(p, &r->re[i], pats[i]);
        if (ok)
            r->lits[r->nre++] = v_regex_needs(pats[i]);
    }
    if (!r->re || !r->lits)
        return fail(p, "out of memory", NULL);
    return ok;
}

static bool parse_compare(parser *p, v_rule *r, const jd *j)
{
    if (!jd_is_arr(j) || jd_len(j) == 0)
        return fail(p, "\"compare\" must list the table values the text may state", NULL);
    r->compare = p_alloc(p, jd_len(j) * sizeof *r->compare);
    if (!r->compare)
        return fail(p, "out of memory", NULL);
    size_t i;
    const jd *v;
    jd_array_foreach(j, i, v) {
        v_sum *s = &r->compare[r->ncompare++];
        if (jd_is_str(v)) {
            s->t = p_alloc(p, sizeof *s->t);
            if (!s->t || !parse_term(p, r, jd_str(v), &s->t[0]))
                return s->t ? false : fail(p, "out of memory", NULL);
            s->n = 1;
        } else if (!parse_sum(p, r, v, "compare", s)) {
            return false;
        }
    }
    return true;
}

static bool parse_sections(parser *p, v_rule *r, const jd *j)
{
    size_t i;
    const jd *v;
    if (!j)
        return true;
    if (!jd_is_arr(j))
        return fail(p, "\"sections\" must list section numbers 1..6", NULL);
    jd_array_foreach(j, i, v) {
        long long n = jd_int(v);
        if (!jd_is_int(v) || n < 1 || n > 6)
            return fail(p, "\"sections\" must list section numbers 1..6", NULL);
        r->sections |= 1u << (n - 1);
    }
    return true;
}

static bool parse_facts(parser *p, v_rule *r, const jd *j)
{
    if (!jd_is_arr(j))
        return fail(p, "\"facts\" must be a list of {pattern, value|group}", NULL);
    r->facts = p_alloc(p, (jd_len(j) + 1) * sizeof *r->facts);
    if (!r->facts)
        return fail(p, "out of memory", NULL);
    size_t i;
    const jd *v;
    jd_array_foreach(j, i, v) {
        v_fact_pat *f = &r->facts[r->nfacts];
        const char *pat = jd_str(jd_get(v, "pattern"));
        if (!compile(p, &f->re, pat))
            return false;
        r->nfacts++;
        f->lit = v_regex_needs(pat);
        f->value = p_strdup(p, jd_str(jd_get(v, "value")));
        f->group = (int)jd_int(jd_get(v, "group"));
        if (!f->value && f->group <= 0)
            return fail(p, "a fact pattern needs a value or a capture group", NULL);
    }
    return true;
}

static const struct {
    const char *name;
    v_kind kind;
} kinds[] = {
    {"linear", VK_LINEAR},   {"values", VK_VALUES},         {"omitted", VK_OMITTED},
    {"raw", VK_RAW},         {"unit", VK_UNIT},             {"text", VK_TEXT},
    {"text_percent", VK_TEXT_PERCENT}, {"text_fact", VK_TEXT_FACT}, {"year", VK_YEAR},
    {"template", VK_TEMPLATE}, {"sections", VK_SECTIONS},   {"mention", VK_MENTION},
    {"duplicate", VK_DUPLICATE},
};

static bool parse_kind(parser *p, const jd *j, v_kind *k)
{
    const char *s = jd_str(jd_get(j, "check"));
    if (!s) {
        *k = VK_LINEAR;
        return true;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kinds[i].name, s) == 0) {
            *k = kinds[i].kind;
            return true;
        }
    return fail(p, "unknown check: ", s);
}

static bool parse_text_parts(parser *p, v_rule *r, const jd *j)
{
    static const char *const approx[] = {"余", "多", "约", "近", "逾", "超过", "以上"};
    const jd *ap = jd_get(j, "approx");
    if (ap) {
        if (!get_strs(p, ap, "approx", &r->approx, &r->napprox))
            return false;
    } else {
        r->approx = p_alloc(p, sizeof approx / sizeof *approx * sizeof *r->approx);
        for (size_t i = 0; r->approx && i < sizeof approx / sizeof *approx; i++)
            r->approx[r->napprox++] = p_strdup(p, approx[i]);
    }
    if (!parse_sections(p, r, jd_get(j, "sections")))
        return false;
    r->group = (int)jd_int(jd_get(j, "group"));
    r->group2 = (int)jd_int(jd_get(j, "percent_group"));
    if (r->kind == VK_TEXT_FACT) {
        r->fact = p_strdup(p, jd_str(jd_get(j, "fact")));
        r->fact_default = p_strdup(p, jd_str(jd_get(j, "default")));
        if (!r->fact)
            return fail(p, "text_fact needs \"fact\" (the key to store)", NULL);
        return parse_facts(p, r, jd_get(j, "facts"));
    }
    if (!parse_num(p, jd_get(j, "value"), "value", &r->has_value, &r->value) ||
        !parse_patterns(p, r, jd_get(j, "pattern")) ||
        !parse_compare(p, r, jd_get(j, "compare")))
        return false;
    if (r->nre == 0)
        return fail(p, "a text check needs \"pattern\"", NULL);
    if (!r->has_value && r->group <= 0)
        return fail(p, "a text check needs \"group\" (the number's capture group) or \"value\"", NULL);
    if (r->kind == VK_TEXT_PERCENT && r->group2 <= 0)
        return fail(p, "text_percent needs \"percent_group\"", NULL);
    for (size_t i = 0; i < r->nre; i++)
        if ((size_t)r->group > r->re[i].nsub || (size_t)r->group2 > r->re[i].nsub)
            return fail(p, "capture group number larger than the pattern's groups", NULL);
    return true;
}

static bool parse_report_parts(parser *p, v_rule *r, const jd *j)
{
    if (r->kind == VK_YEAR) {
        const char *keys[] = {"title_pattern", "period_pattern", "mention_pattern"};
        r->re = p_alloc(p, 3 * sizeof *r->re);
        for (size_t i = 0; r->re && i < 3; i++) {
            if (!compile(p, &r->re[i], jd_str(jd_get(j, keys[i]))))
                return false;
            r->nre++;
        }
        return r->re ? true : fail(p, "out of memory", NULL);
    }
    if (r->kind == VK_SECTIONS) {
        const char *ts = jd_str(jd_get(j, "table_severity"));
        r->sev2 = r->sev;
        if (ts && !nb_severity_from_name(ts, &r->sev2))
            return fail(p, "bad table_severity: ", ts);
    }
    if (r->kind == VK_MENTION) {
        r->from_year = (int)jd_int(jd_get(j, "from_year"));
        return parse_sections(p, r, jd_get(j, "sections")) &&
               parse_patterns(p, r, jd_get(j, "pattern"));
    }
    return true;
}

static bool parse_cell_parts(parser *p, v_rule *r, const jd *j)
{
    r->integer = jd_is_true(jd_get(j, "integer"));
    if (!parse_num(p, jd_get(j, "min"), "min", &r->has_min, &r->min) ||
        !parse_num(p, jd_get(j, "max"), "max", &r->has_max, &r->max) ||
        !get_strs(p, jd_get(j, "allowed"), "allowed", &r->allowed, &r->nallowed))
        return false;
    if (r->kind == VK_RAW && !parse_patterns(p, r, jd_get(j, "pattern")))
        return false;
    if (r->kind == VK_OMITTED) {
        if (!r->target.nalts || !jd_is_arr(jd_get(j, "parts")))
            return fail(p, "omitted needs \"target\" and \"parts\"", NULL);
        return parse_sum(p, r, jd_get(j, "parts"), "parts", &r->rel.lhs);
    }
    const jd *cells = jd_get(j, "cells");
    char **pats;
    size_t n;
    if (!get_strs(p, cells, "cells", &pats, &n))
        return false;
    if (n == 0)
        return fail(p, "needs \"cells\"", NULL);
    /* cells are a term whose alternatives are all checked */
    nb_buf b = {0};
    for (size_t i = 0; i < n; i++)
        nb_buf_printf(&b, "%s%s", i ? "|" : "", pats[i]);
    char *joined = nb_buf_steal(&b);
    bool ok = parse_term(p, r, joined, &r->cells);
    free(joined);
    return ok;
}

static bool parse_rule(parser *p, const jd *j, v_rule *r)
{
    p->id = jd_str(jd_get(j, "id"));
    const char *sev = jd_str(jd_get(j, "severity"));
    if (!jd_is_obj(j) || !p->id)
        return fail(p, "every rule needs an \"id\"", NULL);
    r->id = p_strdup(p, p->id);
    r->file = p_strdup(p, p->path);
    if (!sev || !nb_severity_from_name(sev, &r->sev))
        return fail(p, "severity must be error, warning or info", NULL);
    r->table = p_strdup(p, jd_str(jd_get(j, "table")));
    if (r->table && !is_table(p->rs, r->table, strlen(r->table)))
        return fail(p, "unknown table: ", r->table);
    r->cross_year = jd_is_true(jd_get(j, "cross_year"));
    r->formula = p_strdup(p, jd_str(jd_get(j, "formula")));
    r->message = p_strdup(p, jd_str(jd_get(j, "message")));
    r->where = p_strdup(p, jd_str(jd_get(j, "where")));
    const jd *tg = jd_get(j, "target");
    if (!parse_kind(p, j, &r->kind) ||
        !get_strs(p, jd_get(j, "variant"), "variant", &r->variants, &r->nvariants) ||
        !parse_vars(p, r, jd_get(j, "for_each")) ||
        !parse_when(p, r, jd_get(j, "when")) ||
        (tg && (!jd_is_str(tg) || !parse_term(p, r, jd_str(tg), &r->target))))
        return false;
    if (r->kind == VK_DUPLICATE)
        r->cross_year = true; /* a check of the run, not of one report */
    else if (r->cross_year && r->kind != VK_LINEAR)
        return fail(p, "a cross_year rule is linear (or a \"duplicate\" check)", NULL);
    switch (r->kind) {
    case VK_LINEAR:
        if (!jd_get(j, "lhs"))
            return fail(p, "a linear rule needs \"lhs\"", NULL);
        return parse_relation(p, r, j, &r->rel);
    case VK_VALUES: case VK_OMITTED: case VK_RAW: case VK_UNIT:
        return parse_cell_parts(p, r, j);
    case VK_TEXT: case VK_TEXT_PERCENT: case VK_TEXT_FACT:
        return parse_text_parts(p, r, j);
    default:
        return parse_report_parts(p, r, j);
    }
}

nb_status v_rules_parse_file(nb_ruleset *rs, const char *path, nb_error *err)
{
    json_error_t je;
    const jd *doc = jd_load_file(path, false, &je);
    if (!doc) {
        nb_error_set(err, NB_E_CONFIG, path, "line %d: %s", je.line, je.text);
        return NB_FAILED;
    }
    const jd *arr = jd_is_arr(doc) ? doc : jd_get(doc, "rules");
    parser p = {rs, path, NULL, err};
    nb_status st = NB_OK;
    if (!jd_is_arr(arr)) {
        fail(&p, "a rule file is {\"rules\": [...]}", NULL);
        st = NB_FAILED;
    }
    size_t i;
    const jd *j;
    /* room for the whole file at once: a realloc per rule moved the
     * growing array to fresh heap pages fifty times per start */
    v_rule *nr = st == NB_OK ? realloc(rs->rules, (rs->n + jd_len(arr) + 1) * sizeof *nr) : NULL;
    if (st == NB_OK && !nr) {
        nb_error_set(err, NB_E_INTERNAL, path, "out of memory");
        st = NB_FATAL;
    }
    if (nr)
        rs->rules = nr;
    if (st == NB_OK)
        jd_array_foreach(arr, i, j) {
            memset(&rs->rules[rs->n], 0, sizeof *nr);
            bool ok = parse_rule(&p, j, &rs->rules[rs->n]);
            rs->n++; /* owned by the set even when half-parsed: freed with it */
            if (!ok) {
                st = NB_FAILED;
                break;
            }
        }
    jd_free(doc);
    return st;
}
