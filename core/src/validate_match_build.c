/* validate_match_build.c - a rule's regex as a position (Glushkov)
 * automaton over bytes, for validate_match.c.
 *
 * Every byte the pattern can match is a position; a bounded repetition
 * x{m,n} is written out as m copies of x and n-m optional ones (the same
 * language), so [^0-9]{0,30} is 30 positions.  The "C" locale the rules
 * run in is followed: bytes, not characters (a quantifier after a CJK
 * character repeats its last byte, [、] is three bytes), '.' any byte but
 * NUL, classes ASCII only.  Anything outside the subset gives NULL and
 * glibc keeps the pattern. */
#include "validate_match.h"
#include <stdlib.h>
#include <string.h>

#define VM_MAX_GROUPS 32

/* A capture group as first parsed (copies of quantified atoms are not
 * groups of their own: they lie inside a quantified group). */
typedef struct group_info {
    size_t parent;        /* enclosing group + 1, 0: the top */
    size_t from, to;      /* its positions */
    bool looped, nullable; /* looped: under * + or {m,n}, which copy it */
    bool optional;        /* under ? */
    vm_set first, last;   /* the positions it may begin and end with */
} group_info;

typedef struct builder {
    const char *p;
    size_t npos;
    bool bad;
    int copying;          /* inside copy_of: no group is recorded */
    size_t cur;           /* the group being parsed + 1, 0: the top */
    long last_group;      /* the group the last atom was, -1: none */
    size_t ngroups;
    group_info groups[VM_MAX_GROUPS];
    bool branches[VM_MAX_GROUPS + 1]; /* the top (0) or group g+1 has alternatives */
    vm_bytes bytes[VM_MAX_POS];
    vm_set follow[VM_MAX_POS];
} builder;

/* What a piece of pattern may begin and end with, and whether it may be empty. */
typedef struct frag {
    vm_set first, last;
    bool nullable;
} frag;

static void set_or(vm_set *a, const vm_set *b)
{
    for (int k = 0; k < VM_WORDS; k++)
        a->w[k] |= b->w[k];
}

static bool set_has(const vm_set *a, size_t i) { return a->w[i / 64] >> (i % 64) & 1; }

static void byte_add(vm_bytes *b, unsigned c) { b->w[c / 64] |= (uint64_t)1 << (c % 64); }

static frag empty_frag(void) { return (frag){{{0}}, {{0}}, true}; }

static frag new_position(builder *b, const vm_bytes *bytes)
{
    frag f = {{{0}}, {{0}}, false};
    if (b->npos >= VM_MAX_POS) {
        b->bad = true;
        return f;
    }
    size_t i = b->npos++;
    b->bytes[i] = *bytes;
    f.first.w[i / 64] = f.last.w[i / 64] = (uint64_t)1 << (i % 64);
    return f;
}

/* Every position of `from` is followed by every position of `to`. */
static void link(builder *b, const vm_set *from, const vm_set *to)
{
    for (unsigned k = 0; k < VM_WORDS; k++)
        for (uint64_t bits = from->w[k]; bits; bits &= bits - 1)
            set_or(&b->follow[k * 64 + (unsigned)__builtin_ctzll(bits)], to);
}

static frag cat(builder *b, frag x, frag y)
{
    link(b, &x.last, &y.first);
    frag f = {x.first, y.last, x.nullable && y.nullable};
    if (x.nullable)
        set_or(&f.first, &y.first);
    if (y.nullable)
        set_or(&f.last, &x.last);
    return f;
}

static frag alt(frag x, frag y)
{
    set_or(&x.first, &y.first);
    set_or(&x.last, &y.last);
    x.nullable = x.nullable || y.nullable;
    return x;
}

static frag loop(builder *b, frag x, bool may_vanish)
{
    link(b, &x.last, &x.first);
    x.nullable = x.nullable || may_vanish;
    return x;
}

/* The ASCII members of a [:name:] class in the "C" locale. */
static bool in_class(const char *name, size_t n, unsigned c)
{
#define IS(s) (n == sizeof s - 1 && memcmp(name, s, n) == 0)
    bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z', dg = c >= '0' && c <= '9';
    bool gr = c >= 33 && c <= 126;
    if (IS("alpha")) return up || lo;
    if (IS("digit")) return dg;
    if (IS("alnum")) return up || lo || dg;
    if (IS("upper")) return up;
    if (IS("lower")) return lo;
    if (IS("space")) return c == ' ' || (c >= '\t' && c <= '\r');
    if (IS("blank")) return c == ' ' || c == '\t';
    if (IS("punct")) return gr && !up && !lo && !dg;
    if (IS("print")) return gr || c == ' ';
    if (IS("graph")) return gr;
    if (IS("cntrl")) return c < 32 || c == 127;
    if (IS("xdigit")) return dg || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
#undef IS
    return false;
}

/* "[...]" at b->p: ']' first is a member, a-z a byte range, [:class:]. */
static frag bracket(builder *b)
{
    vm_bytes set = {{0}};
    const unsigned char *p = (const unsigned char *)b->p + 1;
    bool neg = *p == '^';
    p += neg;
    const unsigned char *open = p;
    while (*p && (*p != ']' || p == open)) {
        if (*p == '[') {
            const char *e = p[1] == ':' ? strstr((const char *)p + 2, ":]") : NULL;
            if (!e) {
                b->bad = true;
                return empty_frag();
            }
            for (unsigned c = 1; c < 256; c++)
                if (in_class((const char *)p + 2, (size_t)(e - (const char *)p - 2), c))
                    byte_add(&set, c);
            p = (const unsigned char *)e + 2;
        } else if (p[1] == '-' && p[2] && p[2] != ']') {
            for (unsigned c = p[0]; c <= p[2]; c++)
                byte_add(&set, c);
            p += 3;
        } else {
            byte_add(&set, *p++);
        }
    }
    if (*p != ']') {
        b->bad = true;
        return empty_frag();
    }
    b->p = (const char *)p + 1;
    if (neg)
        for (int k = 0; k < 4; k++)
            set.w[k] = ~set.w[k];
    set.w[0] &= ~(uint64_t)1; /* never NUL: it ends the text */
    return new_position(b, &set);
}

static frag alternatives(builder *b);

/* "(...)"; the first parse of a group records where its positions are. */
static frag group(builder *b)
{
    long g = -1;
    size_t outer = b->cur;
    if (!b->copying && b->ngroups < VM_MAX_GROUPS) {
        g = (long)b->ngroups++;
        b->groups[g] = (group_info){outer, b->npos, 0, false, false, false, {{0}}, {{0}}};
        b->cur = (size_t)g + 1;
    } else if (!b->copying) {
        b->bad = true; /* more groups than recorded */
    }
    b->p++;
    frag f = alternatives(b);
    if (*b->p != ')')
        b->bad = true;
    else
        b->p++;
    if (g >= 0) {
        b->groups[g].to = b->npos;
        b->groups[g].nullable = f.nullable;
        b->groups[g].first = f.first;
        b->groups[g].last = f.last;
        b->cur = outer;
    }
    b->last_group = g;
    return f;
}

static frag atom(builder *b)
{
    vm_bytes one = {{0}};
    unsigned c = (unsigned char)*b->p;
    if (c == '(')
        return group(b);
    if (c == '[')
        return bracket(b);
    if (!c || strchr("^$*+?{}])|", (int)c)) {
        b->bad = true; /* anchors, a stray quantifier or closer: glibc keeps it */
        return empty_frag();
    }
    if (c == '.') {
        for (int k = 0; k < 4; k++)
            one.w[k] = ~(uint64_t)0;
        one.w[0] &= ~(uint64_t)1;
    } else {
        bool escaped = c == '\\';
        if (escaped)
            c = (unsigned char)*++b->p;
        if (!c || (escaped && !strchr("\\.[]()*+?{}|^$/-", (int)c))) { /* \1, \w ... */
            b->bad = true;
            return empty_frag();
        }
        byte_add(&one, c);
    }
    b->p++;
    return new_position(b, &one);
}

static unsigned bound(builder *b)
{
    unsigned n = 0;
    while (*b->p >= '0' && *b->p <= '9' && n < 1000)
        n = n * 10 + (unsigned)(*b->p++ - '0');
    return n;
}

/* The atom that starts at `at` again, as fresh positions. */
static frag copy_of(builder *b, const char *at)
{
    const char *resume = b->p;
    b->p = at;
    b->copying++;
    frag f = atom(b);
    b->copying--;
    b->p = resume;
    return f;
}

/* x{lo,hi} as lo copies of x, then hi-lo optional ones nested as
 * (x(x(x)?)?)?: the same language as x?x?x?, but every optional copy is
 * followed by the next one and by what follows them all, not by all the
 * later copies, so the follow sets stay few (validate_match.c groups them).
 * Copies are made left to right: a copy's successor is the next position. */
static frag repeat(builder *b, frag x, const char *at, unsigned lo, unsigned hi, bool unbounded)
{
    if (unbounded && lo == 0)
        return loop(b, x, true);
    frag f = empty_frag();
    for (unsigned i = 0; i < lo && !b->bad; i++) {
        frag c = i == 0 ? x : copy_of(b, at);
        f = cat(b, f, unbounded && i + 1 == lo ? loop(b, c, false) : c);
    }
    size_t nopt = hi > lo ? hi - lo : 0;
    if (nopt > VM_MAX_POS) {
        b->bad = true;
        return f;
    }
    frag *opt = nopt ? malloc(nopt * sizeof *opt) : NULL;
    if (nopt && !opt) {
        b->bad = true;
        return f;
    }
    for (size_t i = 0; i < nopt && !b->bad; i++)
        opt[i] = lo == 0 && i == 0 ? x : copy_of(b, at);
    frag tail = empty_frag();
    for (size_t i = nopt; i-- > 0 && !b->bad;) {
        tail = cat(b, opt[i], tail);
        tail.nullable = true;
    }
    free(opt);
    return cat(b, f, tail);
}

static frag piece(builder *b)
{
    const char *at = b->p;
    b->last_group = -1;
    frag x = atom(b);
    if (b->last_group >= 0 && *b->p && strchr("*+{", *b->p))
        b->groups[b->last_group].looped = true;
    if (b->last_group >= 0 && *b->p == '?')
        b->groups[b->last_group].optional = true;
    switch (*b->p) {
    case '*': b->p++; return loop(b, x, true);
    case '+': b->p++; return loop(b, x, false);
    case '?': b->p++; x.nullable = true; return x;
    case '{': break;
    default: return x;
    }
    b->p++;
    unsigned lo = bound(b), hi = lo;
    bool unbounded = false;
    if (*b->p == ',') {
        b->p++;
        unbounded = *b->p == '}';
        hi = unbounded ? lo : bound(b);
    }
    if (*b->p != '}' || hi < lo) {
        b->bad = true;
        return x;
    }
    b->p++;
    return repeat(b, x, at, lo, hi, unbounded);
}

static frag branch(builder *b)
{
    frag f = empty_frag();
    while (*b->p && *b->p != '|' && *b->p != ')' && !b->bad)
        f = cat(b, f, piece(b));
    return f;
}

static frag alternatives(builder *b)
{
    frag f = branch(b);
    while (*b->p == '|' && !b->bad) {
        if (!b->copying)
            b->branches[b->cur] = true;
        b->p++;
        f = alt(f, branch(b));
    }
    return f;
}

static unsigned bytes_hash(const vm_bytes *s)
{
    uint64_t h = 0;
    for (int k = 0; k < 4; k++)
        h = (h ^ s->w[k]) * 0x9E3779B97F4A7C15u;
    return (unsigned)(h >> 56); /* 0..255 */
}

/* The positions whose byte set holds c, for every byte c.  Positions with
 * the same byte set ([^0-9] of a gap, written out) are taken together. */
static void positions_of_bytes(const builder *b, vm_set on[256])
{
    vm_set mask[VM_MAX_POS];
    size_t rep[VM_MAX_POS], nd = 0;
    uint16_t slot[256] = {0}; /* distinct set + 1 by hash */
    for (size_t i = 0; i < b->npos; i++) {
        unsigned h = bytes_hash(&b->bytes[i]);
        while (slot[h] && memcmp(&b->bytes[rep[slot[h] - 1]], &b->bytes[i], sizeof b->bytes[i]) != 0)
            h = (h + 1) & 255;
        if (!slot[h]) {
            rep[nd] = i;
            mask[nd] = (vm_set){{0}};
            slot[h] = (uint16_t)++nd;
        }
        mask[slot[h] - 1].w[i / 64] |= (uint64_t)1 << (i % 64);
    }
    memset(on, 0, 256 * sizeof *on);
    for (size_t j = 0; j < nd; j++)
        for (unsigned k = 0; k < 4; k++)
            for (uint64_t bits = b->bytes[rep[j]].w[k]; bits; bits &= bits - 1)
                set_or(&on[k * 64 + (unsigned)__builtin_ctzll(bits)], &mask[j]);
}

static unsigned set_hash(const vm_set *s)
{
    uint64_t h = 0;
    for (int k = 0; k < VM_WORDS; k++)
        h = (h ^ s->w[k]) * 0x9E3779B97F4A7C15u;
    return (unsigned)(h >> 55); /* 0..511 */
}

/* Byte classes: bytes that activate the same positions share one set. */
static bool classes(v_matcher *m, const builder *b)
{
    vm_set on[256];
    uint16_t slot[512] = {0}; /* class + 1 by hash, open addressing */
    positions_of_bytes(b, on);
    m->on = malloc(256 * sizeof *m->on);
    if (!m->on)
        return false;
    for (unsigned c = 0; c < 256; c++) {
        unsigned h = set_hash(&on[c]);
        while (slot[h] && memcmp(&m->on[slot[h] - 1], &on[c], sizeof on[c]) != 0)
            h = (h + 1) & 511;
        if (!slot[h]) {
            m->on[m->nclass] = on[c];
            slot[h] = (uint16_t)++m->nclass;
        }
        m->cls[c] = (uint8_t)(slot[h] - 1);
        bool any = false;
        for (int w = 0; w < VM_WORDS; w++)
            any |= (on[c].w[w] & m->first.w[w]) != 0;
        m->starts[c] = any;
    }
    size_t ns = 0;
    for (unsigned c = 1; c < 256 && ns < sizeof m->start_ascii; c++)
        if (m->starts[c])
            ns = c < 0x80 && ns < sizeof m->start_ascii - 1 ? (m->start_ascii[ns] = (char)c, ns + 1)
                                                           : sizeof m->start_ascii; /* not kept */
    m->start_ascii[ns < sizeof m->start_ascii ? ns : 0] = '\0';
    vm_set *fit = realloc(m->on, m->nclass * sizeof *m->on);
    if (fit)
        m->on = fit;
    return true;
}

static bool has_pos(const vm_set *s, size_t i)
{
    return s->w[i / 64] >> (i % 64) & 1;
}

/* The group's width when every path begins in it and walks its positions
 * one by one (each followed by the next only, none where a match ends, no
 * way in but its first): its span is then the match's first bytes, with
 * no pass over them.  0: not such a group. */
static size_t head_width(const v_matcher *m, size_t from, size_t to)
{
    vm_set only = {{0}};
    only.w[from / 64] = (uint64_t)1 << (from % 64);
    if (to <= from || memcmp(&only, &m->first, sizeof only) != 0 ||
        (from > 0 && has_pos(&m->shift, from - 1)) || has_pos(&m->extra_dst, from))
        return 0;
    for (size_t p = from; p + 1 < to; p++)
        if (!has_pos(&m->shift, p) || has_pos(&m->extra_src, p) || has_pos(&m->last, p) ||
            has_pos(&m->extra_dst, p + 1))
            return 0;
    return to - from;
}

/* Whether the bytes the positions [from, to) take (into *in) are taken by
 * no other position: then in any parse the group's bytes are exactly the
 * match's bytes among them, so the bytes alone give its span. */
static bool own_bytes(const builder *b, size_t from, size_t to, vm_bytes *in)
{
    vm_bytes out = {{0}};
    *in = out;
    for (size_t i = 0; i < b->npos; i++)
        for (int k = 0; k < 4; k++)
            (i >= from && i < to ? in : &out)->w[k] |= b->bytes[i].w[k];
    uint64_t meet = 0, any = 0;
    for (int k = 0; k < 4; k++) {
        meet |= in->w[k] & out.w[k];
        any |= in->w[k];
    }
    return to > from && any && !meet;
}

static void bytes_or(vm_bytes *a, const vm_bytes *b)
{
    for (int k = 0; k < 4; k++)
        a->w[k] |= b->w[k];
}

static bool bytes_meet(const vm_bytes *a, const vm_bytes *b)
{
    uint64_t x = 0;
    for (int k = 0; k < 4; k++)
        x |= a->w[k] & b->w[k];
    return x != 0;
}

/* Whether position i may be followed by one of s (the next position, or
 * its further follow set). */
static bool follows_into(const v_matcher *m, size_t i, const vm_set *s)
{
    if (has_pos(&m->shift, i) && i + 1 < VM_MAX_POS && has_pos(s, i + 1))
        return true;
    for (int k = 0; k < VM_WORDS && has_pos(&m->extra_src, i); k++)
        if (m->extra_of[i].w[k] & s->w[k])
            return true;
    return false;
}

/* How the edges of a group a path enters at most once (no loop around
 * it) show in the bytes of a match that uses it: every position before it
 * on a path is numbered below its own and every one after above, so its
 * first byte is the match's first byte among those it may begin with when
 * no position numbered below takes one (from_first), or the start of the
 * run of its own bytes that ends at its end when no position just before
 * it takes one (back_run); likewise its end (to_last, fwd_run). */
static void edges(v_matcher *m, const builder *b, const group_info *gi, struct vm_group *g)
{
    vm_bytes f = {{0}}, l = {{0}}, before = {{0}}, after = {{0}}, prev = {{0}}, next = {{0}};
    g->bytes = (vm_bytes){{0}};
    for (size_t i = 0; i < b->npos; i++) {
        const vm_bytes *x = &b->bytes[i];
        if (i < gi->from) {
            bytes_or(&before, x);
            if (follows_into(m, i, &gi->first))
                bytes_or(&prev, x);
        } else if (i >= gi->to) {
            bytes_or(&after, x);
        } else {
            bytes_or(&g->bytes, x);
            if (has_pos(&gi->first, i))
                bytes_or(&f, x);
            if (has_pos(&gi->last, i))
                bytes_or(&l, x);
        }
    }
    for (size_t j = gi->to; j < b->npos; j++) {
        vm_set one = {{0}};
        one.w[j / 64] = (uint64_t)1 << (j % 64);
        for (size_t i = gi->from; i < gi->to; i++)
            if (has_pos(&gi->last, i) && follows_into(m, i, &one)) {
                bytes_or(&next, &b->bytes[j]);
                break;
            }
    }
    g->first_bytes = f;
    g->last_bytes = l;
    g->from_first = !bytes_meet(&f, &before);
    g->back_run = !bytes_meet(&g->bytes, &prev);
    g->to_last = !bytes_meet(&l, &after);
    g->fwd_run = !bytes_meet(&g->bytes, &next);
    g->edge = (g->from_first && (g->to_last || g->fwd_run)) || (g->back_run && g->to_last);
}

/* The groups a path enters at most once (neither they nor a group around
 * them under * + or {m,n}, none empty), whose span validate_match_groups.c
 * can tell the matched bytes force. */
static bool groups(v_matcher *m, const builder *b)
{
    m->ngroups = b->ngroups;
    m->groups = calloc(b->ngroups ? b->ngroups : 1, sizeof *m->groups);
    if (!m->groups)
        return false;
    for (size_t g = 0; g < b->ngroups; g++) {
        const group_info *gi = &b->groups[g];
        const struct vm_group *up = gi->parent ? &m->groups[gi->parent - 1] : NULL;
        m->groups[g].once = !gi->looped && !gi->nullable && (!up || up->once);
        m->groups[g].always = m->groups[g].once && !gi->optional && !b->branches[gi->parent] &&
                              (!up || up->always);
        for (size_t i = gi->from; i < gi->to; i++)
            m->groups[g].mask.w[i / 64] |= (uint64_t)1 << (i % 64);
        m->groups[g].head = m->groups[g].always ? head_width(m, gi->from, gi->to) : 0;
        m->groups[g].run = m->groups[g].once && own_bytes(b, gi->from, gi->to, &m->groups[g].bytes);
        if (m->groups[g].once && !m->groups[g].head && !m->groups[g].run && gi->to > gi->from)
            edges(m, b, gi, &m->groups[g]);
    }
    return true;
}

/* Follow sets as "the next position" (a shift) plus, per position, the
 * rest of its follow set, and that relation backwards. */
static bool follows(v_matcher *m, builder *b)
{
    m->extra_of = calloc(b->npos ? b->npos : 1, sizeof *m->extra_of);
    m->extra_back = calloc(b->npos ? b->npos : 1, sizeof *m->extra_back);
    if (!m->extra_of || !m->extra_back)
        return false;
    for (size_t i = 0; i < b->npos; i++) {
        vm_set *f = &b->follow[i];
        if (i + 1 < b->npos && set_has(f, i + 1)) {
            m->shift.w[i / 64] |= (uint64_t)1 << (i % 64);
            f->w[(i + 1) / 64] &= ~((uint64_t)1 << ((i + 1) % 64));
        }
        static const vm_set none;
        if (memcmp(f, &none, sizeof none) == 0)
            continue;
        m->extra_of[i] = *f;
        m->extra_src.w[i / 64] |= (uint64_t)1 << (i % 64);
        for (int k = 0; k < VM_WORDS; k++)
            for (uint64_t x = f->w[k]; x; x &= x - 1) { /* its positions only */
                size_t j = 64 * (size_t)k + (size_t)__builtin_ctzll(x);
                m->extra_back[j].w[i / 64] |= (uint64_t)1 << (i % 64);
                m->extra_dst.w[j / 64] |= (uint64_t)1 << (j % 64);
            }
    }
    return true;
}

/* Per byte that may begin a match, the bytes that may come second: a
 * start whose next byte cannot follow it is passed over without a run
 * (most starts on the rules' text: a lead byte shared by many
 * characters).  Every byte when the first byte alone may be a match.
 * One row per byte class, made from the classes, not per pair of bytes. */
static bool seconds(v_matcher *m)
{
    m->second = calloc(m->nclass ? m->nclass : 1, sizeof *m->second);
    uint16_t *row_of = calloc(m->nclass ? m->nclass : 1, sizeof *row_of);
    bool *meets = calloc(m->nclass ? m->nclass : 1, sizeof *meets);
    bool ok = m->second && row_of && meets;
    size_t nrows = 0;
    for (unsigned a = 0; ok && a < 256; a++) {
        unsigned ca = m->cls[a];
        if (!m->starts[a] || row_of[ca]) {
            m->start_row[a] = m->starts[a] ? row_of[ca] : 0;
            continue;
        }
        vm_bytes *row = &m->second[nrows];
        row_of[ca] = (uint16_t)++nrows;
        m->start_row[a] = row_of[ca];
        vm_set d, f;
        uint64_t carry = 0, alone = 0;
        for (int k = 0; k < VM_WORDS; k++) {
            d.w[k] = m->first.w[k] & m->on[ca].w[k];
            alone |= d.w[k] & m->last.w[k];
            uint64_t x = d.w[k] & m->shift.w[k];
            f.w[k] = x << 1 | carry;
            carry = x >> 63;
        }
        vm_follow_extra(m, &d, &f, VM_WORDS);
        for (size_t c = 0; c < m->nclass; c++) {
            uint64_t meet = alone;
            for (int k = 0; k < VM_WORDS; k++)
                meet |= f.w[k] & m->on[c].w[k];
            meets[c] = meet != 0;
        }
        for (unsigned c = 0; c < 256; c++)
            row->w[c / 64] |= (uint64_t)meets[m->cls[c]] << (c % 64);
    }
    free(row_of);
    free(meets);
    return ok;
}

v_matcher *v_matcher_new(const char *pat)
{
    builder *b = calloc(1, sizeof *b);
    v_matcher *m = b ? calloc(1, sizeof *m) : NULL;
    if (!m) {
        free(b);
        return NULL;
    }
    b->p = pat;
    frag f = alternatives(b);
    bool ok = !b->bad && !*b->p && !f.nullable && b->npos > 0;
    if (ok) {
        m->first = f.first;
        m->last = f.last;
        ok = classes(m, b) && follows(m, b) && groups(m, b) && seconds(m);
        m->nw = ok ? vm_words(m) : VM_WORDS;
        m->dfa = ok ? vm_dfa_new(m) : NULL; /* NULL: runs without it */
    }
    free(b);
    if (!ok) {
        v_matcher_free(m);
        return NULL;
    }
    return m;
}

void v_matcher_free(v_matcher *m)
{
    if (!m)
        return;
    vm_dfa_free(m->dfa);
    free(m->extra_of);
    free(m->extra_back);
    free(m->groups);
    free(m->second);
    free(m->on);
    free(m);
}
