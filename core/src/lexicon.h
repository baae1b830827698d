/* lexicon.h - the words the recogniser knows that are not template labels:
 * numerals, units, not-applicable marks, title and agency words.  Data of
 * the template's "lexicon" object (docs/templates.md), read once at load. */
#ifndef NB_LEXICON_H
#define NB_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jd jd;

/* Words in file order (order is meaning: the first word that matches wins). */
typedef struct nb_wordlist {
    char **v;
    size_t n;
    bool lead[256]; /* first bytes of the words: most positions start none */
    bool last[256]; /* last bytes of the words: most strings end none */
} nb_wordlist;

/* A narrative statement (lexicon.narrative, docs/templates.md): a sentence
 * of the prose whose word groups appear in order in one clause, the last
 * followed closely by a number and a unit, states the cell at path. */
typedef struct nb_statement {
    char *path;        /* "proactive.normative_docs.issued" */
    char *shown;       /* the groups' first words joined by "…", for findings */
    nb_wordlist *groups; /* each group: alternative words, one must appear */
    size_t ngroups;
} nb_statement;

typedef struct nb_narrative {
    nb_statement *v;
    size_t n;
    nb_wordlist units;        /* 件 条: what must follow the number */
    nb_wordlist clause_marks; /* 。 ， 、: a statement never crosses them */
    size_t max_gap;           /* characters allowed between the last word and the number */
} nb_narrative;

typedef struct nb_lexicon {
    nb_wordlist numerals;        /* 一..十: the value is the position + 1 */
    nb_wordlist year_zeros;      /* 〇 ○ 零: zero in a year written in characters */
    nb_wordlist units;           /* 万元 元 件: a unit after a number */
    nb_wordlist not_applicable;  /* — / －: a whole cell meaning "not applicable" */
    nb_wordlist zero_words;      /* 无: a whole cell meaning zero */
    nb_wordlist list_separators; /* ； 、: after a heading text, a list item, not a heading */
    nb_wordlist title_labels;    /* 标题: before a crawler's title line */
    nb_wordlist agency_suffixes; /* 局 委 中心: how an agency's name ends */
    nb_wordlist agency_cuts;     /* 公布 现将 ，: text before them is not the agency */
    nb_wordlist report_words;    /* 报告 年报: a title line names the report */
    nb_wordlist date_labels;     /* 发布日期: the line holds the publication date */
    nb_wordlist report_subjects; /* 政府信息公开: a title's subject, after its agency
                                    ("XX局政府信息公开工作2023年度报告"; optional) */
    nb_wordlist heading_numbers; /* 第{n}部分 {d}. ({n}): other numberings of a section
                                    heading, at a line's start (optional: none);
                                    kept compacted, as the cells are searched */
    nb_narrative narrative;      /* statements of the prose (optional: none) */
    /* Can a numeral start here?  Told by a character's second and third
     * bytes (the tokeniser asks at every character of glued text): bit
     * (third & 63) of numeral_pair[second], all bits for a two-byte
     * numeral; numeral_short when a numeral is one byte (then it tells
     * nothing).  Made once by nb_lexicon_parse, read-only after. */
    uint64_t numeral_pair[256];
    bool numeral_short;
    /* not_applicable.lead | zero_words.lead: can a whole-cell word start
     * with this byte?  (The tokeniser asks of every cell.)  Made with
     * numeral_pair. */
    bool cell_word_lead[256];
    /* Can one of heading_numbers, any numeral or number put in, start
     * with this byte? */
    bool heading_number_lead[256];
} nb_lexicon;

/* The lists from the "lexicon" objects of a template's inheritance chain
 * (chain[0] the template itself): each list from the first object that has
 * it.  On failure returns false, writes the reason, naming the key
 * ("lexicon.units must be …"), to why, and sets *at to the position in
 * the chain of the document that holds the bad list. */
bool nb_lexicon_parse(const jd *const *chain, size_t nchain, nb_lexicon *lx, size_t *at, char *why, size_t whylen);
void nb_lexicon_free(nb_lexicon *lx);
/* lexicon_narrative.c: the "narrative" object of the chain's first lexicon
 * that has one (none: no statements); false with the reason as above. */
bool nb_narrative_parse(const jd *const *chain, size_t nchain, nb_narrative *nv, size_t *at, char *why,
                        size_t whylen);
void nb_narrative_free(nb_narrative *nv);
/* Fills w with the words of a string or an array of strings; false when
 * it is neither or a word is empty (w then holds what was read). */
bool nb_wordlist_read(const jd *v, nb_wordlist *w);
void nb_wordlist_free(nb_wordlist *w);
/* Notes word s (being added to w) in w's lead and last byte tables. */
void nb_wordlist_mark(nb_wordlist *w, const char *s);

/* Byte length of the first word of w that s starts with, 0 if none. */
size_t nb_words_prefix(const nb_wordlist *w, const char *s);
/* Index of the first word of w that s starts with, -1 if none. */
long nb_words_prefix_index(const nb_wordlist *w, const char *s);
/* Is s exactly one of the words? */
bool nb_words_equal(const nb_wordlist *w, const char *s);
/* Does s contain one of the words? */
bool nb_words_in(const nb_wordlist *w, const char *s);
/* Byte length of the first word that s (of length n) ends with, 0 if none. */
size_t nb_words_suffix(const nb_wordlist *w, const char *s, size_t n);

#endif
