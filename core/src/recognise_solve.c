/* recognise_solve.c - putting a row's values into its cells.
 *
 * A full row is positional.  A short row had blank cells dropped or its
 * digits glued together; the template's row total (总计 = the sum of the
 * other columns) decides where values go (domain.md §5.2, §5.6).  A value
 * no reading pins down stays null and is marked ambiguous: guessing would
 * put a number in the output that the report never printed. */
#include "recognise_internal.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* set_field is a cell's whole work in the common row (a call per cell
 * cost as much as the cell's own stores): inlined into its callers. */
#if defined(__GNUC__)
#define SET_INLINE inline __attribute__((always_inline))
#else
#define SET_INLINE inline
#endif

#define MAX_SOLUTIONS RC_MAX_SOLUTIONS
#define MAX_COLS RC_MAX_COLS

typedef struct row_ctx {
    nb_report *r;
    nb_table *t;
    size_t fields[MAX_COLS]; /* field index per column of the row (value fields only) */
    size_t k;                /* number of value columns */
    long total;              /* column index of the row total, -1 none */
    size_t group;            /* columns per total group (appeals: 5) */
    bool sint[MAX_COLS];     /* per column: accepts a sign (gb2019 本年增/减) */
    bool any_sint;
    bool no_amount;          /* known: no value cell is an amount (no unit cell to set) */
    rc_alts *alts;           /* where undecided readings go (may be NULL) */
} row_ctx;

static void keep_alt(row_ctx *c, int64_t (*sols)[MAX_COLS], size_t nsol, const rc_tok *tok, bool broken)
{
    if (!c->alts || nsol < 2 || !nb_grow((void **)&c->alts->v, &c->alts->cap, c->alts->n, sizeof *c->alts->v))
        return;
    rc_alt *a = &c->alts->v[c->alts->n++];
    memcpy(a->fields, c->fields, sizeof a->fields);
    a->k = c->k;
    memcpy(a->sols, sols, nsol * sizeof *sols);
    a->nsol = nsol;
    a->tok = tok;
    a->broken = broken;
}

/* Is column col the row total?  span->total_col when known. */
static bool total_column(const nb_table_def *d, size_t col, const rc_row_span *span)
{
    if (span)
        return span->total_col >= 0 && (size_t)span->total_col == col;
    return d->row_total && strcmp(d->cols[col].key, d->row_total) == 0;
}

/* The row's value columns: span's plan when it has one (the same
 * list, made once per grammar), else from the definition. */
static void row_fields(row_ctx *c, size_t row, const rc_row_span *span)
{
    if (span && span->planned) {
        c->k = c->group = span->k;
        c->total = span->total;
        c->any_sint = span->any_sint;
        c->no_amount = !span->any_amount;
        for (size_t i = 0; i < c->k; i++)
            c->fields[i] = span->fields[i];
        memcpy(c->sint, span->sint, sizeof c->sint);
        return;
    }
    const nb_table_def *d = c->t->def;
    c->k = 0;
    c->total = -1;
    size_t end = span ? span->end : d->nfields;
    for (size_t f = span ? span->first : 0; f < end && c->k < MAX_COLS; f++) {
        if (d->fields[f].row != row || d->fields[f].type == NB_TYPE_UNIT)
            continue;
        if (total_column(d, d->fields[f].col, span))
            c->total = (long)c->k;
        c->sint[c->k] = d->fields[f].type == NB_TYPE_SINT;
        c->any_sint |= c->sint[c->k];
        c->fields[c->k++] = f;
    }
    c->group = c->k;
}

void rc_row_plan(const nb_table_def *d, size_t row, rc_row_span *span)
{
    nb_table t = {.def = d};
    row_ctx c = {.t = &t};
    span->planned = false;
    if (d->nfields > UINT16_MAX)
        return;
    row_fields(&c, row, span);
    span->k = (uint8_t)c.k;
    span->total = (int8_t)c.total;
    span->any_sint = c.any_sint;
    span->any_amount = false;
    for (size_t i = 0; i < c.k; i++)
        span->any_amount |= d->fields[c.fields[i]].type == NB_TYPE_AMOUNT;
    for (size_t i = 0; i < RC_MAX_COLS; i++)
        span->fields[i] = (uint16_t)c.fields[i];
    memcpy(span->sint, c.sint, sizeof span->sint);
    span->planned = true;
}

/* A run of more digits than one value holds (18, or 9 after the point),
 * placed whole in field f's
 * cell (no cut into the row's cells was made of it): left null and said,
 * never read as a number. */
static void put_overlong(nb_report *r, nb_table *t, size_t f, const rc_tok *tok)
{
    const nb_field_def *fd = &t->def->fields[f];
    nb_cell_put(r, &t->cells[f], NB_CELL_AMBIGUOUS, nb_num_int(0), tok->raw, tok->lineno, tok->cell);
    nb_report_add_diag(r, "PARSE-OVERLONG", NB_SEV_WARNING, false, fd->path, NULL, tok->raw,
                       "%s: 数字串 %s 不能读作一个数值（超过 18 位数字或 9 位小数），单元格留空", fd->label,
                       tok->raw);
}

/* A cell printed as replacement characters or question marks
 * (recognise_tokens.c: push_unreadable): no value, and a warning that
 * quotes it, so the report is not blamed for the relations it leaves
 * unchecked. */
static void put_unreadable(nb_report *r, nb_table *t, size_t f, const rc_tok *tok)
{
    const nb_field_def *fd = &t->def->fields[f];
    nb_cell_put(r, &t->cells[f], NB_CELL_AMBIGUOUS, nb_num_int(0), tok->raw, tok->lineno, tok->cell);
    nb_report_add_diag(r, "PARSE-UNREADABLE", NB_SEV_WARNING, false, fd->path, NULL, tok->raw,
                       "%s: 单元格“%s”无法识读（文字编码损坏或字符丢失），单元格留空", fd->label, tok->raw);
}

/* Field f's cell, and the unit cell after an amount (unless no_amount:
 * the row is known to have none).  A token placed as it was read (st OK)
 * that holds no value of its own is not placed (put_overlong). */
static SET_INLINE void set_field(nb_report *r, nb_table *t, size_t f, bool no_amount, nb_cell_status st, nb_num v,
                                  const rc_tok *tok)
{
    nb_cell *cell = &t->cells[f];
    if (tok && tok->overlong && st == NB_CELL_OK) {
        put_overlong(r, t, f, tok);
        return;
    }
    if (tok && tok->st == NB_CELL_AMBIGUOUS) { /* the token's own status: only push_unreadable's */
        put_unreadable(r, t, f, tok);
        return;
    }
    nb_cell_put(r, cell, st, v, tok ? tok->raw : NULL, tok ? tok->lineno : 0, tok ? tok->cell : -1);
    if (no_amount)
        return;
    const nb_field_def *fd = &t->def->fields[f];
    if (fd->type == NB_TYPE_AMOUNT && f + 1 < t->def->nfields && t->def->fields[f + 1].type == NB_TYPE_UNIT) {
        nb_cell *u = &t->cells[f + 1];
        nb_set_str(&u->text, tok && tok->has_unit ? tok->unit : "unknown");
        u->status = NB_CELL_OK;
    }
}

static void set_cell(row_ctx *c, size_t col, nb_cell_status st, nb_num v, const rc_tok *tok)
{
    set_field(c->r, c->t, c->fields[col], c->no_amount, st, v, tok);
}

static void place_positional(row_ctx *c, const rc_tok *const *v, size_t n)
{
    for (size_t i = 0; i < n && i < c->k; i++) {
        if (v[i])
            set_cell(c, i, v[i]->st, v[i]->num, v[i]);
        else
            set_cell(c, i, NB_CELL_BLANK, nb_num_int(0), NULL);
    }
}

/* Glued digits ------------------------------------------------------------ */

typedef struct split_ctx {
    const char *d;
    size_t len, k, group;
    long total;        /* index of the total within each group, -1 none */
    bool use_total;    /* false: every split, the row total not required */
    const size_t *tok_end; /* per digit: end of its token, NULL: cells may cross tokens */
    bool minus[128];   /* per digit: a minus sign before it starts a cell there */
    const bool *sint;  /* per part: the cell accepts a sign */
    int64_t cur[MAX_COLS];
    int64_t sol[MAX_SOLUTIONS][MAX_COLS];
    size_t nsol;
    long budget;       /* guards against pathological inputs */
    uint64_t can[129]; /* per digit: bit p set when digits from there cut into parts p..k-1 */
    char digits[128];
} split_ctx;

/* A context for split_solutions, which sets every field it reads but cur
 * and sol.  Not zeroed whole: sol alone is 16 KB, and readings past nsol
 * are never read; cur is, so every reading copied from it is defined. */
static split_ctx *split_ctx_new(void)
{
    split_ctx *s = malloc(sizeof *s);
    if (s) {
        memset(s->cur, 0, sizeof s->cur);
        s->nsol = 0;
    }
    return s;
}

/* v >= 0 in decimal into buf (at least 20 bytes, not terminated); its length. */
static size_t decimal(int64_t v, char *buf)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

/* Is there a sign inside digits [pos + 1, pos + n)? */
static bool signed_within(const split_ctx *s, size_t pos, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (s->minus[pos + i])
            return true;
    return false;
}

/* Is part the group's total that split_rec forces to the sum? */
static bool forced_total(const split_ctx *s, size_t part)
{
    return s->use_total && s->total >= 0 && (long)(part % s->group) == s->total;
}

/* Which (digit, part) states can still end in a whole cut, from the end
 * backwards, by split_rec's rules (a forced total let through at any
 * length it could have: its sum is known only in the search, so `can` is
 * a superset of the states that lead to readings).  The search then never
 * enters a dead branch: without totals every state it visits leads to a
 * reading, and dead branches no longer spend the budget meant for live
 * ones (a 60-digit run used to exhaust it: some 10^8 instructions a row). */
static void mark_reachable(split_ctx *s)
{
    memset(s->can, 0, sizeof s->can);
    s->can[s->len] = (uint64_t)1 << s->k;
    for (size_t pos = s->len; pos-- > 0;) {
        bool neg = s->minus[pos];
        size_t limit = s->tok_end ? s->tok_end[pos] - pos : s->len - pos;
        for (size_t part = 0; part < s->k; part++) {
            if (neg && s->sint && !s->sint[part])
                continue; /* a sign starts only a cell that accepts one */
            bool total = forced_total(s, part);
            if (total && neg)
                continue;
            size_t most = total ? 19 : 12; /* an int64 sum's digits; a cell's */
            for (size_t l = 1; l <= limit && l <= most; l++) {
                if (l > 1 && (s->d[pos] == '0' || s->minus[pos + l - 1]))
                    break; /* no leading zero; a sign starts the next cell */
                if (!total && neg && l == 1 && s->d[pos] == '0')
                    continue; /* "-0" is no count */
                if (s->can[pos + l] >> (part + 1) & 1) {
                    s->can[pos] |= (uint64_t)1 << part;
                    break;
                }
            }
        }
    }
}

static void split_rec(split_ctx *s, size_t pos, size_t part)
{
    if (!(s->can[pos] >> part & 1))
        return; /* no whole cut from here */
    if (s->nsol >= MAX_SOLUTIONS || --s->budget < 0)
        return;
    if (part == s->k) {
        if (pos == s->len)
            memcpy(s->sol[s->nsol++], s->cur, sizeof s->cur);
        return;
    }
    size_t remaining_parts = s->k - part;
    if (s->len - pos < remaining_parts)
        return;
    size_t in_group = part % s->group;
    bool neg = s->minus[pos];
    if (neg && s->sint && !s->sint[part])
        return; /* a sign starts only a cell that accepts one (NULL: any) */
    size_t maxlen = s->len - pos - (remaining_parts - 1);
    if (s->tok_end && maxlen > s->tok_end[pos] - pos)
        maxlen = s->tok_end[pos] - pos; /* a space between printed cells is a cell boundary */
    if (s->use_total && s->total >= 0 && (long)in_group == s->total) {
        /* the total is forced: the digits must spell the sum of the group */
        int64_t sum = 0;
        for (size_t i = part - in_group; i < part; i++)
            sum += s->cur[i];
        char buf[24];
        size_t n = sum >= 0 ? decimal(sum, buf) : 0;
        if (!neg && sum >= 0 && n <= maxlen && memcmp(s->d + pos, buf, n) == 0 && !signed_within(s, pos, n)) {
            s->cur[part] = sum;
            split_rec(s, pos + n, part + 1);
        }
        return;
    }
    if (maxlen > 12)
        maxlen = 12;
    for (size_t l = 1; l <= maxlen; l++) {
        if (l > 1 && (s->d[pos] == '0' || s->minus[pos + l - 1]))
            break; /* no leading zeros except a lone 0; a sign starts the next cell */
        int64_t v = 0;
        for (size_t i = 0; i < l; i++)
            v = v * 10 + (s->d[pos + i] - '0');
        if (neg && v == 0)
            continue; /* "-0" is no count */
        s->cur[part] = neg ? -v : v;
        split_rec(s, pos + l, part + 1);
    }
}

/* The digits of the tokens in order; with bounds, where each token ends;
 * minus: where a token's leading sign puts a negative cell's first digit. */
static size_t collect_digits(const rc_tok *const *v, size_t nv, char *digits, size_t cap, size_t *tok_end,
                             bool *minus)
{
    size_t n = 0;
    for (size_t i = 0; i < nv; i++) {
        size_t start = n;
        if (v[i]->raw[0] == '-' && n < cap - 1)
            minus[n] = true;
        for (const char *p = v[i]->raw; *p && n < cap - 1; p++)
            if (*p >= '0' && *p <= '9')
                digits[n++] = *p;
        for (size_t j = start; tok_end && j < n; j++)
            tok_end[j] = n;
    }
    digits[n] = '\0';
    return n;
}

static void glued_diag(row_ctx *c, const rc_tok *tok, size_t nsol)
{
    const nb_field_def *fd = &c->t->def->fields[c->fields[0]];
    nb_report_add_diag(c->r, "PARSE-GLUED", NB_SEV_WARNING, false, fd->path, NULL, tok->raw,
                       "%s: 数字串 %s 无法唯一拆分（%zu 种读法），有歧义的单元格留空", fd->label, tok->raw,
                       nsol);
}

/* Every way to cut the tokens' digits into the row's cells, into s.
 * bounded: cells do not cross token boundaries (runs printed apart,
 * "1 0 00 0 0 1"); use_total: only cuts that keep the row totals. */
static bool split_solutions(const row_ctx *c, const rc_tok *const *v, size_t nv, bool bounded, bool use_total,
                            split_ctx *s)
{
    size_t *tok_end = bounded ? calloc(128, sizeof *tok_end) : NULL;
    if (bounded && !tok_end)
        return false;
    s->d = s->digits;
    memset(s->minus, 0, sizeof s->minus);
    s->len = collect_digits(v, nv, s->digits, sizeof s->digits, tok_end, s->minus);
    s->sint = c->sint;
    s->k = c->k;
    s->group = c->group;
    s->total = c->total >= 0 ? c->total % (long)c->group : -1;
    s->tok_end = tok_end;
    s->use_total = use_total;
    s->nsol = 0;
    s->budget = 2000000;
    mark_reachable(s);
    split_rec(s, 0, 0);
    s->tok_end = NULL;
    free(tok_end);
    return true;
}

/* Sets the cells every reading agrees on; the others are ambiguous. */
static bool set_agreed(row_ctx *c, int64_t (*sols)[MAX_COLS], size_t nsol, const rc_tok *tok)
{
    bool any = false;
    for (size_t col = 0; col < c->k; col++) {
        bool same = nsol > 0;
        for (size_t i = 1; i < nsol; i++)
            same &= sols[i][col] == sols[0][col];
        if (same) {
            set_cell(c, col, NB_CELL_INFERRED, nb_num_int(sols[0][col]), tok);
            any = true;
        } else
            set_cell(c, col, NB_CELL_AMBIGUOUS, nb_num_int(0), tok);
    }
    return any;
}

/* Splits digit runs into the row's cells.  Readings that keep the row
 * totals are preferred; when none does, the only way to cut the digits (as
 * many digits as cells) is taken as printed and the validator names the
 * broken total: the report is wrong, not the reading. */
static bool place_glued(row_ctx *c, const rc_tok *const *v, size_t nv, bool bounded)
{
    split_ctx *s = split_ctx_new();
    if (!s || !split_solutions(c, v, nv, bounded, true, s)) {
        free(s);
        return false;
    }
    bool broken = false;
    if (!s->nsol && s->total >= 0) {
        /* no reading keeps the totals: the report may be wrong itself */
        split_solutions(c, v, nv, bounded, false, s);
        broken = s->nsol > 0;
    }
    /* a broken row is taken alone only when its digits allow one cut;
     * otherwise the table's column sums must choose the cut.  A list cut
     * short at its bound proves no agreement: all stays ambiguous. */
    bool full = s->nsol == MAX_SOLUTIONS || s->budget < 0;
    bool any = set_agreed(c, s->sol, (broken && s->nsol > 1) || full ? 0 : s->nsol, v[0]);
    if (!full)
        keep_alt(c, s->sol, s->nsol, v[0], broken);
    if (s->nsol != 1)
        glued_diag(c, v[0], s->nsol);
    free(s);
    return any;
}

/* Plain digit runs (no sign, unit or decimals) holding at least k digits:
 * cells glued together, perhaps cut by a stray space. */
static bool glued_digits(const rc_tok *const *v, size_t n, size_t k)
{
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (!v[i] || v[i]->has_unit || v[i]->st != NB_CELL_OK)
            return false;
        for (const char *p = v[i]->raw; *p; p++) {
            if (*p < '0' || *p > '9')
                return false;
            digits++;
        }
    }
    return digits >= k;
}

/* §5.3: a row shifted right loses its last cell, the total, which is then
 * derived.  But "4 1 0 0 0 16" may as well be a glued "1 6": when digit
 * runs can be cut to fill the row with its totals kept, both readings are
 * kept and the table's column sums choose (ties stay ambiguous). */
static void place_lost_total(row_ctx *c, const rc_tok *const *v, size_t n)
{
    const nb_field_def *fd = &c->t->def->fields[c->fields[0]];
    split_ctx *s = glued_digits(v, n, c->k) ? split_ctx_new() : NULL;
    if (s && split_solutions(c, v, n, true, true, s) && s->nsol && s->nsol < MAX_SOLUTIONS) {
        int64_t *lost = s->sol[s->nsol++];
        lost[c->k - 1] = 0;
        for (size_t i = 0; i < n; i++) {
            lost[i] = v[i]->num.v;
            lost[c->k - 1] += v[i]->num.v;
        }
        set_agreed(c, s->sol, s->nsol, v[0]);
        keep_alt(c, s->sol, s->nsol, v[0], false);
        glued_diag(c, v[0], s->nsol);
        free(s);
        return;
    }
    free(s);
    nb_num sum = nb_num_int(0);
    place_positional(c, v, n);
    for (size_t i = 0; i < n; i++)
        if (v[i])
            sum = nb_num_add(sum, v[i]->num);
    set_cell(c, c->k - 1, NB_CELL_DERIVED, sum, NULL);
    nb_report_add_diag(c->r, "PARSE-TOTAL-DERIVED", NB_SEV_WARNING, false, fd->path, NULL, NULL,
                       "%s: 行缺少最后一个单元格，总计按各列之和推算", fd->label);
}

/* A bare digit run of two or more digits starting with 0 cannot be one
 * cell ("00", "01"): cells were printed without a space between them. */
static bool lone_zero_run(const rc_tok *t)
{
    return t && t->glued && !t->has_unit && t->st == NB_CELL_OK && t->raw[0] == '0' &&
           t->raw[1] >= '0' && t->raw[1] <= '9' && strspn(t->raw, "0123456789") == strlen(t->raw);
}

static bool any_lone_zero_run(const rc_tok *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lone_zero_run(v[i]))
            return true;
    return false;
}

/* Blank cells dropped ------------------------------------------------------ */

/* Each group's total equals the sum of the group's other columns. */
static bool totals_hold(const row_ctx *c, const int64_t *vals)
{
    if (c->total < 0)
        return true;
    size_t t = (size_t)c->total % c->group;
    for (size_t g = 0; g + c->group <= c->k; g += c->group) {
        int64_t sum = 0;
        for (size_t i = 0; i < c->group; i++)
            if (i != t)
                sum += vals[g + i];
        if (sum != vals[g + t])
            return false;
    }
    return true;
}

/* Tries every choice of columns for the values (in order); the row total
 * must hold.  Columns on which all fitting choices agree are set.  Returns
 * false, setting nothing, when no choice fits and the caller may try
 * another reading. */
static bool place_sparse(row_ctx *c, const rc_tok *const *v, size_t n, bool may_fail)
{
    size_t k = c->k;
    int64_t agree[MAX_COLS];
    bool fixed[MAX_COLS], seen = false;
    size_t nfit = 0;
    int64_t (*sols)[MAX_COLS] = calloc(MAX_SOLUTIONS, sizeof *sols);
    for (unsigned mask = 0; mask < (1u << k); mask++) {
        if ((size_t)__builtin_popcount(mask) != n)
            continue;
        int64_t vals[MAX_COLS] = {0};
        for (size_t i = 0, j = 0; i < k; i++)
            if (mask & (1u << i))
                vals[i] = v[j] ? v[j++]->num.v : (j++, 0);
        if (!totals_hold(c, vals))
            continue;
        if (sols && nfit < MAX_SOLUTIONS)
            memcpy(sols[nfit], vals, sizeof vals);
        nfit++;
        for (size_t i = 0; i < k; i++) {
            if (!seen) {
                agree[i] = vals[i];
                fixed[i] = true;
            } else if (agree[i] != vals[i])
                fixed[i] = false;
        }
        seen = true;
    }
    const nb_field_def *fd = &c->t->def->fields[c->fields[0]];
    if (!nfit && may_fail) {
        free(sols);
        return false;
    }
    if (!nfit || c->total < 0) {
        free(sols);
        for (size_t i = 0; i < k; i++)
            set_cell(c, i, NB_CELL_AMBIGUOUS, nb_num_int(0), NULL);
        nb_report_add_diag(c->r, "PARSE-SHORT-ROW", NB_SEV_WARNING, false, fd->path, NULL, NULL,
                           "%s: 只有 %zu 个数值（应为 %zu 个），无法确定位置", fd->label, n, k);
        return true;
    }
    for (size_t i = 0; i < k; i++)
        set_cell(c, i, fixed[i] ? (agree[i] == 0 ? NB_CELL_BLANK : NB_CELL_INFERRED) : NB_CELL_AMBIGUOUS,
                 nb_num_int(fixed[i] ? agree[i] : 0), NULL);
    if (sols && nfit <= MAX_SOLUTIONS)
        keep_alt(c, sols, nfit, NULL, false);
    free(sols);
    nb_report_add_diag(c->r, "PARSE-SHORT-ROW", NB_SEV_INFO, false, fd->path, NULL, NULL,
                       "%s: 只有 %zu 个数值（应为 %zu 个），按合计关系推定位置（%zu 种读法）", fd->label, n,
                       k, nfit);
    return true;
}

/* Signed glued runs ---------------------------------------------------------- */

/* A row with a cell that accepts a sign, whose values are digit runs and
 * at least one negative run: flattened text cuts 行政处罚2648-18538 into
 * 2648 and -18538, and the sign can only start the signed cell. */
static bool signed_run(const row_ctx *c, const rc_tok *const *v, size_t n)
{
    bool neg = false;
    for (size_t i = 0; i < n && c->any_sint && c->k <= 8; i++) { /* k: the placings are enumerated */
        if (!v[i] || v[i]->has_unit || v[i]->st != NB_CELL_OK)
            return false;
        const char *p = v[i]->raw + (v[i]->raw[0] == '-');
        if (!*p || strspn(p, "0123456789") != strlen(p))
            return false;
        neg |= v[i]->raw[0] == '-';
    }
    return neg;
}

/* Every placing of an m-cell cut on the row's k columns, in order, the
 * other cells blank (dropped from the flattened text); a negative value
 * only in a cell that accepts a sign.  False when sols is full. */
static bool place_cut(const row_ctx *c, const int64_t *cut, size_t m, int64_t (*sols)[MAX_COLS], unsigned *blank,
                      size_t *nsol)
{
    for (unsigned mask = 0; mask < (1u << c->k); mask++) {
        if ((size_t)__builtin_popcount(mask) != m)
            continue;
        int64_t vals[MAX_COLS] = {0};
        bool fits = true, seen = false;
        for (size_t i = 0, j = 0; i < c->k; i++)
            if (mask & (1u << i)) {
                vals[i] = cut[j++];
                fits &= vals[i] >= 0 || c->sint[i];
            }
        for (size_t q = 0; q < *nsol && fits && !seen; q++)
            seen = blank[q] == ~mask && memcmp(sols[q], vals, c->k * sizeof *vals) == 0;
        if (!fits || seen || !totals_hold(c, vals))
            continue;
        if (*nsol == MAX_SOLUTIONS)
            return false;
        blank[*nsol] = ~mask;
        memcpy(sols[(*nsol)++], vals, sizeof vals);
    }
    return true;
}

/* The readings of a signed run: every cut of its digits into n..k cells
 * (a sign starts a cell, no cell across a printed boundary, no leading
 * zero) on every choice of columns.  Returns how many; *full when the
 * list was cut short (then no agreement can be trusted). */
static size_t signed_readings(const row_ctx *c, const rc_tok *const *v, size_t n, int64_t (*sols)[MAX_COLS],
                              unsigned *blank, bool *full)
{
    split_ctx *s = calloc(1, sizeof *s);
    size_t *tok_end = calloc(128, sizeof *tok_end), nsol = 0;
    *full = !s || !tok_end;
    if (!*full) {
        s->d = s->digits;
        s->len = collect_digits(v, n, s->digits, sizeof s->digits, tok_end, s->minus);
        s->tok_end = tok_end;
    }
    for (size_t m = n; m <= c->k && !*full; m++) {
        if (s->len < m || s->len > 12 * m)
            continue; /* no cut into m cells of at most 12 digits */
        s->k = s->group = m;
        s->total = -1;
        s->use_total = false;
        s->sint = NULL; /* the columns are chosen after the cut */
        s->nsol = 0;
        s->budget = 2000000;
        mark_reachable(s);
        split_rec(s, 0, 0);
        *full = s->nsol == MAX_SOLUTIONS || s->budget < 0;
        for (size_t i = 0; i < s->nsol && !*full; i++)
            *full = !place_cut(c, s->sol[i], m, sols, blank, &nsol);
    }
    free(tok_end);
    free(s);
    return nsol;
}

static void signed_diag(row_ctx *c, const rc_tok *const *v, size_t n, size_t nsol)
{
    nb_buf b = {0};
    for (size_t i = 0; i < n; i++)
        nb_buf_adds(&b, v[i]->raw); /* the run as the page printed it */
    char *run = nb_buf_steal(&b);
    const nb_field_def *fd = &c->t->def->fields[c->fields[0]];
    nb_report_add_diag(c->r, "PARSE-GLUED", NB_SEV_WARNING, false, fd->path, NULL, run,
                       "%s: 数字串 %s 无法唯一拆分（%zu 种读法），有歧义的单元格留空", fd->label, run, nsol);
    free(run);
}

/* Cells every reading of the signed run agrees on are set (blank where
 * every reading leaves them blank: a blank is not a printed 0), the rest
 * stay ambiguous; the readings are kept for evidence from outside the row
 * (the same agency's other years; a blank is 0 there). */
static void place_signed(row_ctx *c, const rc_tok *const *v, size_t n)
{
    int64_t (*sols)[MAX_COLS] = calloc(MAX_SOLUTIONS, sizeof *sols);
    unsigned blank[MAX_SOLUTIONS];
    bool full = true;
    size_t nsol = sols ? signed_readings(c, v, n, sols, blank, &full) : 0;
    for (size_t col = 0; col < c->k; col++) {
        bool same = nsol > 0 && !full;
        for (size_t i = 1; same && i < nsol; i++)
            same = sols[i][col] == sols[0][col] && ((blank[i] ^ blank[0]) >> col & 1u) == 0;
        if (same && (blank[0] >> col & 1u))
            set_cell(c, col, NB_CELL_BLANK, nb_num_int(0), NULL);
        else
            set_cell(c, col, same ? NB_CELL_INFERRED : NB_CELL_AMBIGUOUS, nb_num_int(same ? sols[0][col] : 0),
                     v[0]);
    }
    if (!full)
        keep_alt(c, sols, nsol, v[0], false);
    if (nsol != 1)
        signed_diag(c, v, n, nsol);
    free(sols);
}

static void place_short(row_ctx *c, const rc_tok *const *v, size_t n)
{
    if (signed_run(c, v, n)) {
        place_signed(c, v, n);
        return;
    }
    if (n == 1 && v[0] && v[0]->glued && c->k > 1 && glued_digits(v, n, c->k) && place_glued(c, v, n, false))
        return;
    /* "1 0 00 0 0 1": a run that cannot be one cell is split, never read as
     * a row that lost its total */
    if (c->k > 1 && any_lone_zero_run(v, n) && glued_digits(v, n, c->k)) {
        place_glued(c, v, n, true);
        return;
    }
    /* §5.2: two equal values are 自然人 and 总计, the organisations blank */
    if (n == 2 && c->total == (long)c->k - 1 && c->k > 2 && v[0] && v[1] &&
        nb_num_cmp(v[0]->num, v[1]->num) == 0) {
        set_cell(c, 0, v[0]->st, v[0]->num, v[0]);
        for (size_t i = 1; i + 1 < c->k; i++)
            set_cell(c, i, NB_CELL_BLANK, nb_num_int(0), NULL);
        set_cell(c, c->k - 1, v[1]->st, v[1]->num, v[1]);
        return;
    }
    if (n + 1 == c->k && c->total == (long)c->k - 1) {
        place_lost_total(c, v, n);
        return;
    }
    bool glued = glued_digits(v, n, c->k);
    if (c->k <= 20 && place_sparse(c, v, n, glued))
        return;
    if (glued)
        place_glued(c, v, n, false);
}

/* "3 985 758": a number printed with spaces between its groups of three.
 * Merged only while the row still has more values than columns. */
static size_t merge_spaced_groups(const rc_tok **v, size_t n, size_t k, rc_tok *store, char **raws, size_t *nraws)
{
    size_t used = 0;
    for (size_t i = 0; i + 1 < n && n > k;) {
        const rc_tok *a = v[i], *b = v[i + 1];
        bool three = b && b->kind == RC_NUM && strlen(b->raw) == 3 && b->raw[0] >= '0' && b->raw[0] <= '9' &&
                     strspn(b->raw, "0123456789") == 3;
        /* a head too large to take three more digits is no group (and
         * would overflow int64 below) */
        bool head = a && a->kind == RC_NUM && a->num.scale == 0 && a->num.v > 0 &&
                    a->num.v <= (INT64_MAX - 999) / 1000 && !a->has_unit;
        if (!(three && head && a->line == b->line && used < 8)) {
            i++;
            continue;
        }
        rc_tok *m = &store[used];
        *m = *a;
        raws[used] = nb_strfmt("%s %s", a->raw, b->raw);
        m->raw = raws[used];
        m->num = nb_num_int(a->num.v * 1000 + b->num.v);
        m->glued = false;
        used++;
        v[i] = m;
        memmove(&v[i + 1], &v[i + 2], (n - i - 2) * sizeof *v);
        n--;
    }
    *nraws = used;
    return n;
}

/* One value too many: a report that prints a 小计 column (domain.md §3.2),
 * before or after the organisation columns.  Each column whose removal
 * leaves the row totals true is a reading; when they disagree, the cells
 * they agree on are set and the table's column sums choose (resolve.c).
 * Returns 0: no reading, 1: v holds the one reading, 2: placed as
 * alternatives. */
static int drop_extra_column(row_ctx *c, const rc_tok **v, size_t n)
{
    if (c->total < 0 || n != c->k + 1)
        return 0;
    int64_t (*sols)[MAX_COLS] = calloc(MAX_SOLUTIONS, sizeof *sols);
    size_t nsol = 0;
    long pick = -1;
    for (size_t j = 0; sols && j < n; j++) {
        int64_t vals[MAX_COLS] = {0};
        for (size_t i = 0, o = 0; i < n; i++)
            if (i != j)
                vals[o++] = v[i] ? v[i]->num.v : 0;
        if (!totals_hold(c, vals))
            continue;
        bool seen = false;
        for (size_t q = 0; q < nsol && !seen; q++)
            seen = memcmp(sols[q], vals, c->k * sizeof *vals) == 0;
        if (!seen && nsol < MAX_SOLUTIONS)
            memcpy(sols[nsol++], vals, sizeof vals);
        if (pick < 0)
            pick = (long)j;
    }
    int res = nsol == 0 ? 0 : nsol == 1 ? 1 : 2;
    if (res == 1)
        memmove(&v[pick], &v[pick + 1], (n - (size_t)pick - 1) * sizeof *v);
    else if (res == 2) {
        set_agreed(c, sols, nsol, NULL);
        keep_alt(c, sols, nsol, NULL, false);
    }
    free(sols);
    return res;
}

static void place_values(row_ctx *c, const rc_tok *const *v, size_t n);

static void place(row_ctx *c, const rc_tok *const *vals, size_t nvals)
{
    size_t a = 0, b = nvals;
    while (a < b && !vals[a])
        a++;
    while (b > a && !vals[b - 1])
        b--;
    size_t n = b - a;
    if (n == 0)
        return;
    const rc_tok *room[MAX_COLS]; /* a row's values fit here but in garbled text */
    /* calloc: with profiles GCC no longer sees the memcpy below fill it */
    const rc_tok **v = n <= MAX_COLS ? room : calloc(n, sizeof *v);
    rc_tok store[8];
    char *raws[8];
    size_t nraws = 0; /* raws[0..nraws) made by merge_spaced_groups */
    if (!v)
        return;
    memcpy(v, vals + a, n * sizeof *v);
    size_t blanks = 0, at = 0;
    int dropped = 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i]) {
            blanks++;
            at = i;
        }
    if (n == c->k + 1 && blanks == 1) {
        /* one cell too many, and it is empty: the place a merged cell
         * covers in an HTML grid (13 | 13 spanning two | 524) */
        memmove(&v[at], &v[at + 1], (n - at - 1) * sizeof *v);
        n--;
    } else if ((dropped = drop_extra_column(c, v, n)) != 0) {
        const nb_field_def *fd = &c->t->def->fields[c->fields[0]];
        nb_report_add_diag(c->r, "PARSE-EXTRA-COLUMN", NB_SEV_INFO, false, fd->path, NULL, NULL,
                           "%s: 多出一列（如“小计”），已按合计关系剔除", fd->label);
        n--;
    } else if (n > c->k && n <= 3 * c->k) {
        /* a few values too many may be spaced thousands; many are junk */
        const rc_tok **m = malloc(n * sizeof *m);
        if (m) {
            memcpy(m, v, n * sizeof *m);
            size_t mn = merge_spaced_groups(m, n, c->k, store, raws, &nraws);
            int64_t vals2[MAX_COLS] = {0};
            for (size_t i = 0; i < mn && i < MAX_COLS; i++)
                vals2[i] = m[i] ? m[i]->num.v : 0;
            if (mn == c->k && totals_hold(c, vals2)) {
                memcpy(v, m, mn * sizeof *v);
                n = mn;
            }
            free(m);
        }
    }
    if (dropped != 2) /* 2: placed as alternatives already */
        place_values(c, v, n);
    for (size_t i = 0; i < nraws; i++)
        free(raws[i]);
    if (v != room)
        free(v);
}

static void place_values(row_ctx *c, const rc_tok *const *v, size_t n)
{
    if (n > c->k) {
        const nb_field_def *fd = &c->t->def->fields[c->fields[0]];
        nb_report_add_diag(c->r, "PARSE-EXTRA-VALUES", NB_SEV_WARNING, false, fd->path, NULL, NULL,
                           "%s: 有 %zu 个数值（应为 %zu 个），多余的被忽略", fd->label, n, c->k);
        n = c->k;
    }
    if (n == c->k)
        place_positional(c, v, n);
    else
        place_short(c, v, n);
}

/* Are all n values numbers (none blank)? */
static bool all_numbers(const rc_tok *const *vals, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!vals[i] || vals[i]->kind != RC_NUM)
            return false;
    return true;
}

void rc_place_numbers(nb_report *r, nb_table *t, const rc_tok *const *vals, const rc_row_span *span)
{
    /* the usual row: a number per cell, no amount (so no unit cell); the
     * plan in locals (span->k is a byte: a cell's store may alias it) */
    size_t k = span->k;
    const uint16_t *fields = span->fields;
    nb_cell *cells = t->cells;
    for (size_t i = 0; i < k; i++) {
        const rc_tok *tk = vals[i];
        if (tk->overlong)
            put_overlong(r, t, fields[i], tk);
        else if (tk->st == NB_CELL_AMBIGUOUS)
            put_unreadable(r, t, fields[i], tk);
        else
            nb_cell_put(r, &cells[fields[i]], tk->st, tk->num, tk->raw, tk->lineno, tk->cell);
    }
}

void rc_place_row(nb_report *r, nb_table *t, size_t row, const rc_tok *const *vals, size_t nvals,
                  rc_alts *alts, bool exact, const rc_row_span *span)
{
    bool numbers = span && span->planned && nvals == span->k && all_numbers(vals, nvals);
    if (numbers && !span->any_amount) {
        rc_place_numbers(r, t, vals, span);
        return;
    }
    if (span && span->planned && nvals == span->k && (exact || numbers)) {
        /* one printed row, one value per cell, or one number per cell
         * (place() takes those in order too): place_positional on the
         * plan itself, without a row context or a copy of the values */
        for (size_t i = 0; i < nvals; i++) {
            const rc_tok *tk = vals[i] && vals[i]->kind == RC_NUM ? vals[i] : NULL;
            nb_cell_status st = tk ? tk->st : NB_CELL_BLANK;
            nb_num v = tk ? tk->num : nb_num_int(0);
            set_field(r, t, span->fields[i], !span->any_amount, st, v, tk);
        }
        return;
    }
    /* the other placings take blanks as NULL */
    const rc_tok *room[MAX_COLS];
    const rc_tok **v = nvals <= MAX_COLS ? room : malloc(nvals * sizeof *v);
    if (!v)
        return;
    for (size_t i = 0; i < nvals; i++)
        v[i] = vals[i] && vals[i]->kind == RC_NUM ? vals[i] : NULL;
    row_ctx c = {.r = r, .t = t, .alts = alts};
    row_fields(&c, row, span);
    if (c.k && exact && nvals == c.k)
        place_positional(&c, v, nvals);
    else if (c.k)
        place(&c, v, nvals);
    if (v != room)
        free(v);
}

/* Values per chunk (a run between words), in reading order; the number of chunks. */
static size_t chunk_lengths(const bool *chunk_start, size_t n, size_t *len)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || chunk_start[i])
            len[m++] = 0;
        len[m - 1]++;
    }
    return m;
}

/* The chunk readings, when the chunks say something about the order: more
 * than one chunk, and not one value each (then only the values do). */
static size_t chunk_readings(const row_ctx *c, const int64_t *vals, size_t n, const bool *chunk_start,
                             int64_t (*sols)[MAX_COLS], bool *overflow)
{
    size_t len[MAX_COLS];
    size_t m = chunk_start && n <= MAX_COLS ? chunk_lengths(chunk_start, n, len) : 0;
    if (m < 2 || m == n)
        return 0;
    return rc_chunk_orders(vals, len, m, c->group, (size_t)c->total % c->group, sols, MAX_SOLUTIONS, overflow);
}

/* Values that came one per line (not one printed row) and break a group
 * total as they stand: when some other order of the same values keeps
 * every total, the cells those readings agree on are set and the others
 * stay ambiguous; the report is not blamed for the reading order.  Runs
 * of values between words (chunks) are read as units first; only when no
 * placing of the chunks keeps the totals are the values taken one by one. */
static bool place_out_of_order(row_ctx *c, const rc_tok *const *v, size_t n, const bool *chunk_start)
{
    if (c->total < 0 || c->group == c->k)
        return false;
    int64_t vals[MAX_COLS];
    bool one_line = true;
    for (size_t i = 0; i < n; i++) {
        if (!v[i] || v[i]->num.scale != 0 || v[i]->st != NB_CELL_OK)
            return false;
        vals[i] = v[i]->num.v;
        one_line &= v[i]->line == v[0]->line;
    }
    if (one_line || totals_hold(c, vals))
        return false;
    int64_t (*sols)[MAX_COLS] = calloc(MAX_SOLUTIONS, sizeof *sols);
    bool overflow = false;
    size_t nsol = sols ? chunk_readings(c, vals, n, chunk_start, sols, &overflow) : 0;
    if (sols && !nsol)
        nsol = rc_group_orders(vals, n, c->group, (size_t)c->total % c->group, sols, MAX_SOLUTIONS, &overflow);
    if (!nsol) {
        free(sols);
        return false; /* no order keeps the totals: the report is wrong */
    }
    if (overflow)
        for (size_t col = 0; col < c->k; col++)
            set_cell(c, col, NB_CELL_AMBIGUOUS, nb_num_int(0), v[col]);
    else
        set_agreed(c, sols, nsol, v[0]);
    free(sols);
    const nb_field_def *fd = &c->t->def->fields[c->fields[0]];
    nb_report_add_diag(c->r, "PARSE-ORDER", NB_SEV_WARNING, false, fd->path, NULL, NULL,
                       "%s: 各数值按原顺序不满足合计关系，但换一种列顺序可以满足（%zu%s 种读法），"
                       "无法确定的单元格留空",
                       fd->label, nsol, overflow ? "+" : "");
    return true;
}

/* Table 3: every row's values in one printed row, group after group. */
void rc_place_single_row(nb_report *r, nb_table *t, const rc_tok *const *vals, size_t nvals,
                         bool structured, const bool *chunk_start, const rc_row_span *spans)
{
    row_ctx c = {.r = r, .t = t};
    const nb_table_def *d = t->def;
    size_t per = 0;
    c.k = 0;
    c.total = -1;
    for (size_t row = 0; row < d->nrows; row++) {
        row_ctx one = {.r = r, .t = t};
        row_fields(&one, row, spans ? &spans[row] : NULL); /* the plan lists what the search finds */
        if (row == 0) {
            per = one.k;
            c.total = one.total;
        }
        for (size_t i = 0; i < one.k && c.k < MAX_COLS; i++)
            c.fields[c.k++] = one.fields[i];
    }
    c.group = per ? per : c.k;
    if (structured && nvals == c.k)
        place_positional(&c, vals, nvals); /* blanks keep their places (§5.4) */
    else if (!(nvals == c.k && place_out_of_order(&c, vals, nvals, chunk_start)))
        place(&c, vals, nvals);
}
