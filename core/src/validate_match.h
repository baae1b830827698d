/* validate_match.h - a search of our own for the rules' regular expressions.
 *
 * glibc's regexec builds DFA tables for the bounded gaps of the rules
 * ([^0-9]{0,30}) at every sentence it tries: about 50 000 instructions a
 * sentence though few match.  For the plain subset validate_regex_syntax.c
 * accepts (without anchors, never matching the empty string) the pattern
 * becomes a position automaton (Glushkov) over bytes, run bit-parallel from
 * each possible start: the leftmost start, then the longest end, as POSIX
 * (and glibc) choose the whole match.  Capture groups are settled after
 * the search (v_matcher_groups) when the matched bytes force them; else
 * validate_regex.c asks glibc for them on the found span only. */
#ifndef NB_VALIDATE_MATCH_H
#define NB_VALIDATE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <regex.h>

#define VM_WORDS 2 /* 128 positions: the longest rule has 127 */
#define VM_MAX_POS (64 * VM_WORDS)

typedef struct vm_bytes {
    uint64_t w[4];        /* 256 bits: a set of bytes */
} vm_bytes;

typedef struct vm_set {
    uint64_t w[VM_WORDS];
} vm_set;

/* Read-only once built, but for its DFA (validate_match_dfa.c, which
 * is safe to share): -j workers share it. */
typedef struct v_matcher {
    vm_set first;         /* positions a match may begin with */
    vm_set last;          /* positions a match may end with */
    vm_set shift;         /* positions followed by the next position */
    vm_set extra_src;     /* the positions with follow sets beyond the next, */
    vm_set *extra_of;     /* per position: that follow set (a step reads its live ones only) */
    vm_set extra_dst;     /* the positions in some such set, */
    vm_set *extra_back;   /* per position: the positions whose such set holds it */
    uint8_t cls[256];     /* byte -> its class */
    bool starts[256];     /* the byte may begin a match */
    char start_ascii[17]; /* those bytes when all are ASCII and at most 16 ("12", the digits): the
                           * search skips to the next with strcspn; "" otherwise */
    uint16_t start_row[256]; /* such a byte's row of `second` + 1, 0: none */
    vm_bytes *second;     /* per row: the bytes that may come second (all: the first alone may match) */
    size_t nclass;
    int nw;               /* vm_words, settled at build: asked on every search */
    vm_set *on;           /* per class: the positions whose byte set holds it */
    size_t ngroups;       /* capture groups, in the order of their '(' */
    struct vm_group {
        vm_set mask;      /* its positions */
        bool once;        /* a path enters it at most once */
        bool always;      /* and every path does (no ? or | around it) */
        size_t head;      /* its width when every match begins with it, one byte a position */
        bool run;         /* entered at most once, and no position outside it takes a byte of */
        vm_bytes bytes;   /* these, its positions' bytes: its span is the match's bytes among them */
        bool edge;        /* entered at most once; when used, its edges told by the bytes */
        bool from_first, back_run, to_last, fwd_run; /* how (validate_match_build.c's edges) */
        vm_bytes first_bytes, last_bytes; /* the bytes its first and last positions take */
    } *groups;
    struct vm_dfa *dfa;   /* its runs as a DFA, made as they go; NULL: the automaton runs itself */
} v_matcher;

/* Adds to f the follow sets beyond the next position of d's positions
 * (over the first nw words): a live position costs one step, the others
 * nothing, so a run through a long bounded gap reads few of them. */
static inline void vm_follow_extra(const v_matcher *m, const vm_set *d, vm_set *f, int nw)
{
    for (int k = 0; k < nw; k++)
        for (uint64_t x = d->w[k] & m->extra_src.w[k]; x; x &= x - 1) {
            const vm_set *e = &m->extra_of[64 * k + __builtin_ctzll(x)];
            for (int j = 0; j < nw; j++)
                f->w[j] |= e->w[j];
        }
}

/* The same backwards: adds to p the positions whose follow sets beyond
 * the next hold one of d. */
static inline void vm_precede_extra(const v_matcher *m, const vm_set *d, vm_set *p, int nw)
{
    for (int k = 0; k < nw; k++)
        for (uint64_t x = d->w[k] & m->extra_dst.w[k]; x; x &= x - 1) {
            const vm_set *e = &m->extra_back[64 * k + __builtin_ctzll(x)];
            for (int j = 0; j < nw; j++)
                p->w[j] |= e->w[j];
        }
}

enum { VM_NONE = 0, VM_FOUND = 1, VM_GAVE_UP = -1 };

/* validate_match_dfa.c: the DFA of m's runs, empty (NULL: out of memory). */
struct vm_dfa *vm_dfa_new(const v_matcher *m);
void vm_dfa_free(struct vm_dfa *d);
#define VM_DFA_NONE SIZE_MAX
/* The end of the longest match starting at s[0] (0: none), *steps gaining
 * the bytes read, as validate_match.c's own run finds them (m->dfa set);
 * VM_DFA_NONE, *steps as it was, when the DFA is full: run the automaton. */
size_t vm_dfa_longest(const v_matcher *m, const unsigned char *s, size_t *steps);

/* The automaton for pat, or NULL when pat is outside the subset (anchors,
 * a possible empty match, over VM_MAX_POS positions) or memory ran out. */
v_matcher *v_matcher_new(const char *pat);
void v_matcher_free(v_matcher *m);

/* The leftmost-longest match in the NUL-terminated s: VM_FOUND with
 * [*so, *eo), VM_NONE, or VM_GAVE_UP when the search would cost more than a
 * few passes over s (the caller then asks regexec, which is linear). */
int v_matcher_find(const v_matcher *m, const char *s, size_t *so, size_t *eo);

/* The words of a vm_set the pattern's positions use: 1 when it has at
 * most 64 (the others are then empty in every set), else VM_WORDS. */
int vm_words(const v_matcher *m);

/* The groups 1..nm-1 of the match [so, eo) that find returned, in the
 * form regexec gives them (unused ones -1), when the matched bytes force
 * every one of them that is read (bit g of read: group g; a group not read
 * is given as unset); then any matcher, glibc's too, gives those spans.
 * False: not forced or not known here, ask regexec. */
bool v_matcher_groups(const v_matcher *m, const char *s, size_t so, size_t eo, size_t nm,
                      unsigned read, regmatch_t *out);

#endif
