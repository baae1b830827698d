/* validate_linear.c - the one engine for arithmetic rules: lhs op rhs over
 * linear sums of cells, for every binding of the rule's variables, plus the
 * per-cell checks (values, omitted totals, raw tokens, units).
 *
 * Unknown cells never produce an error: an instance whose cells are null
 * is counted and reported once per rule as skipped. */
#include "validate_plan.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

static nb_num neg(nb_num n)
{
    n.v = -n.v;
    return n;
}

static bool holds(v_op op, int cmp)
{
    return op == V_EQ ? cmp == 0 : op == V_LE ? cmp <= 0 : cmp >= 0;
}

/* The report's definition of table t and its cells (*own), from the memo
 * when the last rule asked for the same table. */
static const nb_table_def *table_of(const v_eval *ev, const char *t, const nb_cell **own)
{
    v_memo *m = ev->memo;
    if (m && m->table == t) {
        *own = m->own;
        return m->d;
    }
    const nb_table_def *d = ev->src->def(ev->src->ctx, t, false);
    *own = d && ev->src->cells ? ev->src->cells(ev->src->ctx, d, false) : NULL;
    if (m)
        *m = (v_memo){t, d, *own};
    return d;
}

static const nb_table_def *rule_table(const v_eval *ev, const v_rule *r, bool *applies, const nb_cell **own)
{
    *applies = true;
    *own = NULL;
    if (!r->table)
        return NULL;
    const nb_table_def *d = table_of(ev, r->table, own);
    if (d && r->nvariants) {
        bool ok = false;
        for (size_t i = 0; i < r->nvariants; i++)
            ok = ok || strcmp(r->variants[i], d->variant) == 0;
        *applies = ok;
    }
    return d;
}

typedef struct inst {
    const v_eval *ev;
    const v_rule *r;
    v_skip skip;
    const nb_table_def *d;   /* the rule's table in this report */
    const nb_cell *own;      /* its cells, fetched once per rule (NULL: per cell) */
    const struct v_flat *flat; /* the plan's relations as cell lists (NULL: none) */
} inst;

/* Cell i of table d this year: from the rule's own array when d is its table. */
static const nb_cell *cell_of(const inst *in, const nb_table_def *d, size_t i, bool prev)
{
    if (!prev && in->own && d == in->d)
        return &in->own[i];
    return in->ev->src->cell(in->ev->src->ctx, d, i, prev);
}

/* Figures too large to add up exactly (sums past 9.2e18) cannot be checked:
 * said once as a warning rather than compared after wrapping around. */
static void overflow_note(inst *in, const v_val *v)
{
    const char *where = v->field ? v->field->path : "";
    v_emit_sev(in->ev, in->r, NB_SEV_WARNING, where,
               "数值过大，合计超出可精确计算的范围（%s 起的各项之和超过 9223372036854775807），未核对",
               where);
}

/* -1: not applicable, 0: unknown (noted as skipped), 1: holds or n/a;
 * *L and *R are the two sides' values. */
static int compare(inst *in, v_op op, const v_val *L, const v_val *R, bool *ok)
{
    if (L->res == VR_NOFIELD || R->res == VR_NOFIELD)
        return -1;
    if (L->res != VR_OK || R->res != VR_OK) {
        v_skip_note(&in->skip, L->res != VR_OK ? L : R, in->r->table);
        return 0;
    }
    if (nb_num_overflowed(L->sum) || nb_num_overflowed(R->sum)) {
        overflow_note(in, nb_num_overflowed(L->sum) ? L : R);
        return 0;
    }
    *ok = holds(op, nb_num_cmp(L->sum, R->sum));
    return 1;
}

static int relation(inst *in, const v_relation *rel, const v_binding *b, v_val *L, v_val *R,
                    bool *ok)
{
    *L = v_sum_value(in->ev, &rel->lhs, b);
    *R = v_sum_value(in->ev, &rel->rhs, b);
    return compare(in, rel->op, L, R, ok);
}

typedef struct cond_ctx {
    inst *in;
    const v_cond *c;
    const nb_table_def *d;
    bool all, any, some;
} cond_ctx;

static void cond_cell(void *ctx, const nb_field_def *f, size_t i)
{
    (void)f;
    cond_ctx *k = ctx;
    k->any = true;
    const nb_cell *cell = cell_of(k->in, k->d, i, k->c->cells.prev);
    bool known = cell && cell->has_value;
    k->some = k->some || known;
    if (!known || (k->c->kind == VC_PRINTED && cell->status == NB_CELL_DERIVED))
        k->all = false;
}

/* fn on the fields of the alternative alt bound by b, *d set to their
 * table's definition first (NULL: not in the report, fn not called).  The
 * path and table name on the stack when they fit, as v_pattern_value has
 * them: the interpreted cell rules and conditions run this per binding. */
static void alt_fields(const v_eval *ev, const char *alt, const v_binding *b, bool prev,
                       const nb_table_def **d, void (*fn)(void *, const nb_field_def *, size_t), void *ctx)
{
    char pbuf[256], tbuf[128], *heap, *theap = NULL;
    const char *p = v_subst_local(alt, b, pbuf, sizeof pbuf, &heap, NULL);
    const char *table = p ? v_table_local(p, tbuf, sizeof tbuf, &theap) : NULL;
    *d = table ? ev->src->def(ev->src->ctx, table, prev) : NULL;
    if (*d)
        v_each_field(ev->rs, p, *d, fn, ctx);
    free(theap);
    free(heap);
}

/* Conditions on how cells were read ("printed": not derived). */
static bool cells_cond(inst *in, const v_cond *c, const v_binding *b)
{
    cond_ctx k = {in, c, NULL, true, false, false};
    for (size_t a = 0; a < c->cells.nalts; a++)
        alt_fields(in->ev, c->cells.alts[a], b, c->cells.prev, &k.d, cond_cell, &k);
    return c->kind == VC_ANY_KNOWN ? k.some : k.any && k.all;
}

/* True when every "when" condition holds (unknown counts as skipped). */
static bool conditions(inst *in, const v_binding *b)
{
    for (size_t i = 0; i < in->r->nwhen; i++) {
        const v_cond *c = &in->r->when[i];
        if (c->kind != VC_RELATION) {
            if (!cells_cond(in, c, b))
                return false;
            continue;
        }
        v_val L, R;
        bool ok = false;
        if (relation(in, &c->rel, b, &L, &R, &ok) != 1 || !ok)
            return false;
    }
    return true;
}

/* Coefficient of the target in lhs - rhs, 0 when it is not a summand. */
static int target_coef(const v_rule *r)
{
    const char *t = r->target.alts[0];
    for (size_t i = 0; i < r->rel.lhs.n; i++)
        if (strcmp(r->rel.lhs.t[i].alts[0], t) == 0)
            return r->rel.lhs.t[i].coef;
    for (size_t i = 0; i < r->rel.rhs.n; i++)
        if (strcmp(r->rel.rhs.t[i].alts[0], t) == 0)
            return -r->rel.rhs.t[i].coef;
    return 0;
}

static const char *op_word(v_op op)
{
    return op == V_EQ ? "应为" : op == V_LE ? "应不大于" : "应不小于";
}

static const char *op_sym(v_op op)
{
    return op == V_EQ ? "" : op == V_LE ? "≤ " : "≥ ";
}

static v_op flip(v_op op)
{
    return op == V_LE ? V_GE : op == V_GE ? V_LE : V_EQ;
}

static void add_key(nb_buf *out, const v_term *t, const v_binding *b, int sign, bool first)
{
    char *p = v_subst(t->alts[0], b);
    const char *dot = strchr(p, '.');
    if (!first || sign < 0)
        nb_buf_adds(out, sign < 0 ? "−" : "+");
    nb_buf_adds(out, t->prev ? "上年" : "");
    nb_buf_adds(out, dot ? dot + 1 : p);
    free(p);
}

/* Default formula for rules that give none: the target solved from the
 * relation ("a+b−c"), else the relation itself, in key paths. */
static char *auto_formula(const v_rule *r, const v_binding *b, int a)
{
    nb_buf out = {0};
    const v_sum *sides[2] = {&r->rel.lhs, &r->rel.rhs};
    bool first = true;
    for (int s = 0; s < 2; s++) {
        if (!a && s == 1) {
            nb_buf_adds(&out, r->rel.op == V_EQ ? " = " : r->rel.op == V_LE ? " ≤ " : " ≥ ");
            first = true;
        }
        for (size_t i = 0; i < sides[s]->n; i++) {
            const v_term *t = &sides[s]->t[i];
            if (a && strcmp(t->alts[0], r->target.alts[0]) == 0)
                continue;
            int sign = a ? -a * (s == 0 ? t->coef : -t->coef) : t->coef;
            add_key(&out, t, b, sign, first);
            first = false;
        }
        if (!a && sides[s]->n == 0)
            nb_buf_adds(&out, "0");
    }
    if (first)
        nb_buf_adds(&out, "0");
    return nb_buf_steal(&out);
}

/* ci: the compiled instance (its target read from own cells), NULL: interpreted. */
static void finding(inst *in, const v_binding *b, const v_val *L, const v_val *R, const v_cinst *ci)
{
    const v_rule *r = in->r;
    nb_num f = nb_num_add(L->sum, neg(R->sum));
    v_val t = {VR_NOFIELD, nb_num_int(0), 0, NULL, NULL};
    int a = r->target.nalts ? target_coef(r) : 0;
    if (a)
        t = ci && ci->target.nalts ? v_cterm_value(in->ev, &ci->target, in->own)
                                   : v_term_value(in->ev, &r->target, b);
    if (a && (t.res != VR_OK || t.nfields != 1))
        a = 0;
    char *formula = r->formula ? v_subst(r->formula, b) : auto_formula(r, b, a);
    char *exp, *found, *label, *where;
    v_op op = r->rel.op;
    if (a) {
        nb_num bound = a > 0 ? nb_num_add(t.sum, neg(f)) : nb_num_add(t.sum, f);
        if (a < 0)
            op = flip(op);
        exp = v_num_str(bound);
        found = v_num_str(t.sum);
        label = v_label(t.field);
        where = nb_strdup(t.field->path);
    } else {
        exp = v_num_str(R->sum);
        found = v_num_str(L->sum);
        where = r->where ? v_subst(r->where, b) : nb_strdup(L->field ? L->field->path : "");
        label = v_label(in->ev->src->r ? nb_report_field(in->ev->src->r, where) : L->field);
    }
    char *expected = nb_strcat3(op_sym(op), exp, "");
    char *msg = NULL;
    if (r->message) {
        msg = v_fill(r->message, label, exp, found, formula);
    } else {
        const char *part[] = {label, ": ", op_word(op), " ", exp, " = ", formula, "，实为 ", found};
        msg = nb_strjoin(part, sizeof part / sizeof *part);
    }
    v_emit(in->ev, r, false, where, expected ? expected : "", found, "%s", msg ? msg : "");
    free(msg);
    free(expected);
    free(exp);
    free(found);
    free(label);
    free(where);
    free(formula);
}

/* The compiled path: the same conditions and relation over resolved cells. */
typedef struct ccond_ctx {
    const inst *in;
    const v_cond *c;
    bool all, any, some;
} ccond_ctx;

static void ccond_cell(void *ctx, const nb_table_def *d, const nb_field_def *f, size_t i)
{
    (void)f;
    ccond_ctx *k = ctx;
    k->any = true;
    const nb_cell *cell = cell_of(k->in, d, i, k->c->cells.prev);
    bool known = cell && cell->has_value;
    k->some = k->some || known;
    if (!known || (k->c->kind == VC_PRINTED && cell->status == NB_CELL_DERIVED))
        k->all = false;
}

/* ccond_cell over every cell of a; a resolved alternative on the rule's
 * own cells is read from them without a call per cell. */
static void ccond_alt(ccond_ctx *k, const v_calt *a, bool prev)
{
    const inst *in = k->in;
    if (prev || !a->d || a->d != in->d || !in->own) {
        v_calt_each(in->ev, a, prev, ccond_cell, k);
        return;
    }
    k->any = k->any || a->n > 0;
    /* each kind reads one answer: it stops where that is settled */
    if (k->c->kind == VC_ANY_KNOWN) {
        for (size_t j = 0; !k->some && j < a->n; j++)
            k->some = in->own[a->idx[j]].has_value;
        return;
    }
    bool printed = k->c->kind == VC_PRINTED;
    for (size_t j = 0; k->all && j < a->n; j++) {
        const nb_cell *cell = &in->own[a->idx[j]];
        if (!cell->has_value || (printed && cell->status == NB_CELL_DERIVED))
            k->all = false;
    }
}

/* Whether a cell condition's answer is settled: some cell known for
 * any_known, some cell unknown (or derived) for the others. */
static bool ccond_settled(const ccond_ctx *k)
{
    return k->c->kind == VC_ANY_KNOWN ? k->some : !k->all;
}

/* Relation w of compiled instance ix from its flat list, when it decides. */
static int fast(const inst *in, size_t ix, size_t w, v_op op)
{
    return in->flat ? v_flat_decide(in->flat, ix, w, op, in->own) : V_FAST_UNKNOWN;
}

/* Conditions from..nwhen-1 (those before were found to hold). */
static bool conditions_hold(inst *in, const v_cinst *ci, size_t ix, size_t from)
{
    for (size_t i = from; i < in->r->nwhen; i++) {
        const v_cond *c = &in->r->when[i];
        const v_crel *cr = &ci->when[i];
        if (c->kind != VC_RELATION) {
            int f = in->flat ? v_flat_cond(in->flat, ix, i, c->kind, in->own) : -1;
            if (f >= 0) { /* its cells as a list of own cells: a few instructions a cell */
                if (!f)
                    return false;
                continue;
            }
            ccond_ctx k = {in, c, true, false, false};
            const v_cterm *t = cr->lhs.t;
            for (size_t a = 0; a < t->nalts && !ccond_settled(&k); a++)
                ccond_alt(&k, &t->alts[a], t->prev);
            if (!(c->kind == VC_ANY_KNOWN ? k.some : k.any && k.all))
                return false;
            continue;
        }
        int f = fast(in, ix, i, c->rel.op);
        if (f != V_FAST_UNKNOWN) {
            if (f == V_FAST_FAILS)
                return false;
            continue;
        }
        v_val L = v_csum_value(in->ev, &cr->lhs, in->own);
        v_val R = v_csum_value(in->ev, &cr->rhs, in->own);
        bool ok = false;
        if (compare(in, c->rel.op, &L, &R, &ok) != 1 || !ok)
            return false;
    }
    return true;
}

/* An instance of a rule without "when" is settled here, inline, without a
 * call that saves registers for the loop above. */
static inline bool compiled_conditions(inst *in, const v_cinst *ci, size_t ix)
{
    if (in->r->nwhen == 0)
        return true;
    /* a first cell condition that fails (a subtotal not printed: most
     * instances of a rule on group rows) fails here, without the call */
    const v_cond *c = &in->r->when[0];
    size_t from = 0;
    if (c->kind != VC_RELATION && in->flat) {
        int f = v_flat_cond(in->flat, ix, 0, c->kind, in->own);
        if (f == 0)
            return false;
        from = f > 0; /* held: not asked again */
    }
    return from == in->r->nwhen || conditions_hold(in, ci, ix, from);
}

/* Instance ix; f: its relation as its list decided it, when asked
 * already (decided: its cells known, so the conditions hold). */
static void compiled_instance(inst *in, const v_cinst *ci, size_t ix, int f, bool asked)
{
    if (f == V_FAST_UNKNOWN && !compiled_conditions(in, ci, ix))
        return;
    if (!asked)
        f = fast(in, ix, in->r->nwhen, in->r->rel.op);
    if (f == V_FAST_HOLDS)
        return; /* the usual case; a finding or a gap takes the plain path */
    v_val L = v_csum_value(in->ev, &ci->rel.lhs, in->own);
    v_val R = v_csum_value(in->ev, &ci->rel.rhs, in->own);
    bool ok = true;
    v_binding b = {in->r, ci->vals};
    if (compare(in, in->r->rel.op, &L, &R, &ok) == 1 && !ok)
        finding(in, &b, &L, &R, ci); /* rare */
}

/* The plan's instances.  One without conditions, or whose conditions
 * hold whenever its relation's cells are known (implied), is decided by
 * its list first: when that holds (nearly always) nothing else is asked.
 * The loop keeps the list and cells in registers, not in *in. */
static void compiled_instances(inst *in, const v_plan *plan)
{
    const struct v_flat *f = in->flat;
    const nb_cell *own = in->own;
    size_t nwhen = in->r->nwhen;
    v_op op = in->r->rel.op;
    for (size_t i = 0; i < plan->n; i++) {
        bool asked = f && (nwhen == 0 || f->implied[i]);
        int d = asked ? v_flat_decide(f, i, nwhen, op, own) : V_FAST_UNKNOWN;
        if (d != V_FAST_HOLDS)
            compiled_instance(in, &plan->inst[i], i, d, asked);
    }
}

static bool linear_instance(void *ctx, const v_binding *b)
{
    inst *in = ctx;
    if (!conditions(in, b))
        return true;
    v_val L, R;
    bool ok = true;
    if (relation(in, &in->r->rel, b, &L, &R, &ok) == 1 && !ok)
        finding(in, b, &L, &R, NULL);
    return true;
}

/* Per-cell checks ------------------------------------------------------ */

static bool is_integer(nb_num n)
{
    int64_t p = 1;
    for (int i = 0; i < n.scale && i < 18; i++)
        p *= 10;
    return n.scale <= 0 || n.v % p == 0;
}

typedef struct cell_ctx {
    inst *in;
    const nb_table_def *d;
    bool prev;
} cell_ctx;

static void report_cell(inst *in, const nb_field_def *f, const char *expected,
                        const char *found, const char *deftmpl)
{
    char *label = v_label(f);
    char *msg = v_fill(in->r->message ? in->r->message : deftmpl, label, expected, found,
                       in->r->formula);
    v_emit(in->ev, in->r, false, f->path, expected, found, "%s", msg);
    free(msg);
    free(label);
}

/* nb_num_cmp with its usual case inline: both at the same plain scale. */
static int num_cmp(nb_num a, nb_num b)
{
    if (a.scale == b.scale && a.scale != NB_NUM_OVERFLOW)
        return (a.v > b.v) - (a.v < b.v);
    return nb_num_cmp(a, b);
}

/* Whether a cell passes a values rule (an unknown cell or a unit string does). */
static inline bool value_ok(const v_rule *r, const nb_field_def *f, const nb_cell *cell)
{
    if (!cell || !cell->has_value || f->type == NB_TYPE_UNIT)
        return true;
    nb_num n = cell->num;
    if (n.scale == 0 && (!r->has_min || r->min.scale == 0) && (!r->has_max || r->max.scale == 0))
        return !(r->has_min && n.v < r->min.v) && !(r->has_max && n.v > r->max.v); /* whole numbers */
    return !(r->integer && !is_integer(cell->num)) && !(r->has_min && num_cmp(cell->num, r->min) < 0) &&
           !(r->has_max && num_cmp(cell->num, r->max) > 0);
}

static void value_cell(void *ctx, const nb_field_def *f, size_t i)
{
    cell_ctx *c = ctx;
    const v_rule *r = c->in->r;
    const nb_cell *cell = cell_of(c->in, c->d, i, false);
    if (value_ok(r, f, cell))
        return;
    bool bad_max = r->has_max && num_cmp(cell->num, r->max) > 0;
    char *found = v_num_str(cell->num);
    char *lo = r->has_min ? v_num_str(r->min) : NULL, *hi = r->has_max ? v_num_str(r->max) : NULL;
    char *expected = bad_max ? nb_strfmt("≤ %s", hi)
                   : r->integer && r->has_min ? nb_strfmt("%s的整数", r->min.v == 0 ? "非负" : lo)
                   : r->integer ? nb_strdup("整数") : nb_strfmt("≥ %s", lo ? lo : "");
    report_cell(c->in, f, expected, found,
                bad_max ? "{label}: 数值 {found} 超过 {expected}，请核实"
                        : "{label}: 应为{expected}，实为 {found}");
    free(expected);
    free(found);
    free(lo);
    free(hi);
}

static void raw_cell(void *ctx, const nb_field_def *f, size_t i)
{
    cell_ctx *c = ctx;
    const nb_cell *cell = cell_of(c->in, c->d, i, false);
    if (!cell || !cell->raw)
        return;
    for (size_t k = 0; k < c->in->r->nre; k++) {
        regmatch_t m[1];
        if (v_regex_exec(c->in->ev->rs, &c->in->r->re[k], cell->raw, 1, m, 0)) {
            report_cell(c->in, f, NULL, cell->raw, "{label}: 填写为“{found}”，请核实单位");
            return;
        }
    }
}

static void unit_cell(void *ctx, const nb_field_def *f, size_t i)
{
    cell_ctx *c = ctx;
    const nb_table_def *d = c->d;
    const nb_cell *cell = cell_of(c->in, d, i, false);
    const char *ukey = d->cols[f->col].unit_key;
    if (f->type != NB_TYPE_AMOUNT || !ukey || !cell || !cell->has_value || cell->num.v == 0)
        return; /* a zero needs no unit */
    char *upath = nb_strfmt("%s.%s.%s", d->name, d->rows[f->row].key, ukey);
    long ui = nb_table_def_field_index(d, upath);
    const nb_cell *uc = ui >= 0 ? cell_of(c->in, d, (size_t)ui, false) : NULL;
    const char *unit = uc && uc->text && *uc->text ? uc->text : NULL;
    bool ok = false;
    for (size_t k = 0; unit && k < c->in->r->nallowed; k++)
        ok = ok || strcmp(unit, c->in->r->allowed[k]) == 0;
    if (!ok)
        report_cell(c->in, f, NULL, unit ? unit : "（未注明）",
                    "{label}: 金额单位{found}，应注明元或万元");
    free(upath);
}

/* The total's value and the parts' sum: compiled (ci) or interpreted (b). */
static bool omitted_check(inst *in, v_val t, const v_cinst *ci, const v_binding *b)
{
    if (t.res == VR_NOFIELD || t.res == VR_ABSENT || !t.cell || t.nfields != 1)
        return true;
    const nb_row_def *rd = NULL;
    /* the rule's table, as run_rule found it (no second lookup per instance) */
    const nb_table_def *d =
        in->r->table ? in->d : in->ev->src->def(in->ev->src->ctx, in->r->table, false);
    if (d)
        rd = &d->rows[t.field->row];
    bool blank = t.cell->status == NB_CELL_BLANK ||
                 (t.cell->status == NB_CELL_DERIVED && rd && !rd->derived);
    if (!blank)
        return true;
    v_val p = ci ? v_csum_value(in->ev, &ci->rel.lhs, in->own)
                 : v_sum_value(in->ev, &in->r->rel.lhs, b);
    if (p.res != VR_OK || nb_num_cmp(p.sum, nb_num_int(0)) <= 0)
        return true;
    char *exp = v_num_str(p.sum);
    report_cell(in, t.field, exp, t.cell->raw ? t.cell->raw : "",
                "{label}: 总计栏空白，而各申请人分项合计为 {expected}");
    free(exp);
    return true;
}

static bool omitted_instance(inst *in, const v_binding *b)
{
    return omitted_check(in, v_term_value(in->ev, &in->r->target, b), NULL, b);
}

static void (*cell_fn(v_kind k))(void *, const nb_field_def *, size_t)
{
    return k == VK_VALUES ? value_cell : k == VK_RAW ? raw_cell : unit_cell;
}

static void cell_fwd(void *ctx, const nb_table_def *d, const nb_field_def *f, size_t i)
{
    cell_ctx *c = ctx;
    c->d = d;
    cell_fn(c->in->r->kind)(c, f, i);
}

/* value_cell over a resolved alternative on the rule's own cells: the
 * passing cells (nearly all) cost one test each, without a call. */
static void values_resolved(cell_ctx *c, const v_calt *a)
{
    const nb_table_def *d = a->d;
    const nb_cell *own = c->in->own;
    const v_rule *r = c->in->r;
    c->d = d;
    /* whole bounds: a known whole number within them passes whatever its field */
    bool whole = (!r->has_min || r->min.scale == 0) && (!r->has_max || r->max.scale == 0);
    int64_t lo = r->has_min ? r->min.v : INT64_MIN, hi = r->has_max ? r->max.v : INT64_MAX;
    whole = whole && lo <= hi;
    uint64_t span = (uint64_t)hi - (uint64_t)lo; /* lo <= v <= hi: one unsigned compare */
    if (!whole) {
        for (size_t k = 0; k < a->n; k++)
            value_cell(c, &d->fields[a->idx[k]], a->idx[k]); /* value_ok decides there */
        return;
    }
    for (size_t k = 0; k < a->n; k++) {
        const nb_cell *cell = &own[a->idx[k]];
        if (cell->has_value && (cell->num.scale != 0 || (uint64_t)cell->num.v - (uint64_t)lo > span))
            value_cell(c, &d->fields[a->idx[k]], a->idx[k]); /* rare: value_ok decides there */
    }
}

/* A total that is one resolved cell of own, neither blank nor derived:
 * v_cterm_value would name that cell (known or not) and omitted_check
 * pass it, so neither need run (most rows of most reports). */
static inline bool total_printed(const v_cterm *t, const nb_cell *own)
{
    if (!own || t->nalts != 1 || !t->alts[0].d || t->alts[0].n != 1)
        return false;
    nb_cell_status st = own[t->alts[0].idx[0]].status;
    return st != NB_CELL_BLANK && st != NB_CELL_DERIVED;
}

/* cells_instance over a compiled instance. */
static void compiled_cells(cell_ctx *c, const v_cinst *ci, size_t ix)
{
    const v_rule *r = c->in->r;
    if (!compiled_conditions(c->in, ci, ix))
        return;
    if (r->kind == VK_OMITTED) {
        if (total_printed(&ci->target, c->in->own))
            return; /* the usual total: what omitted_check would pass, without its value */
        omitted_check(c->in, v_cterm_value(c->in->ev, &ci->target, c->in->own), ci, NULL);
        return;
    }
    for (size_t a = 0; a < ci->cells.nalts; a++) {
        const v_calt *al = &ci->cells.alts[a];
        if (r->kind == VK_VALUES && al->d && al->d == c->in->d && c->in->own)
            values_resolved(c, al);
        else
            v_calt_each(c->in->ev, al, false, cell_fwd, c);
    }
}

static bool cells_instance(void *ctx, const v_binding *b)
{
    cell_ctx *c = ctx;
    const v_rule *r = c->in->r;
    if (!conditions(c->in, b))
        return true;
    if (r->kind == VK_OMITTED)
        return omitted_instance(c->in, b);
    for (size_t a = 0; a < r->cells.nalts; a++)
        alt_fields(c->in->ev, r->cells.alts[a], b, false, &c->d, cell_fn(r->kind), c);
    return true;
}

/* Runs fn over every binding of the rule's table (cell rules get the table
 * definition with the instance); a table absent from the report is one
 * skipped note, not a finding. */
static void run_rule(const v_eval *ev, const v_rule *r, v_binding_fn fn, bool cells)
{
    bool applies;
    const nb_cell *own;
    const nb_table_def *d = rule_table(ev, r, &applies, &own);
    inst in = {ev, r, {0}, d, own, NULL};
    const v_plan *plan;
    if (!applies)
        return;
    if (r->table && !d) {
        v_val absent = {VR_ABSENT, nb_num_int(0), 0, NULL, NULL};
        v_skip_note(&in.skip, &absent, r->table);
    } else if (cells && (plan = v_plan_for(ev->rs, r, d))) {
        cell_ctx c = {&in, d, false};
        in.flat = in.own && r->nwhen ? v_flat_of(plan, r) : NULL;
        for (size_t i = 0; i < plan->n; i++)
            compiled_cells(&c, &plan->inst[i], i);
    } else if (cells) {
        cell_ctx c = {&in, d, false};
        v_for_each_binding(r, d, fn, &c);
    } else if ((plan = fn == linear_instance ? v_plan_for(ev->rs, r, d) : NULL)) {
        in.flat = in.own ? v_flat_of(plan, r) : NULL;
        compiled_instances(&in, plan);
    } else {
        v_for_each_binding(r, d, fn, &in);
    }
    v_skip_flush(ev, r, &in.skip);
}

void v_run_linear(const v_eval *ev, const v_rule *r) { run_rule(ev, r, linear_instance, false); }

void v_run_cells(const v_eval *ev, const v_rule *r) { run_rule(ev, r, cells_instance, true); }
