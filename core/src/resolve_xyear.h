/* resolve_xyear.h - choosing between the kept readings of undecided rows
 * with the cross-year rules (R-T1-OLD-XYEAR, R-T1-INFORCE-XYEAR,
 * R-T2-CARRY-XYEAR): the same agency's reports of two consecutive years
 * are read jointly (domain.md §5.6, docs/validation.md). */
#ifndef NB_RESOLVE_XYEAR_H
#define NB_RESOLVE_XYEAR_H

#include "validate_int.h"
#include "readings_internal.h"

/* Bounds of one rule instance: the rows it reads jointly and the readings
 * combined; past them the instance is left alone. */
#define XY_MAX_ROWS 6
#define XY_MAX_COMBOS 100000
#define XY_MAX_REFS 32

/* One year's side: a live report (cells set, findings added) or a
 * snapshot of a report already written (its kept cells updated only). */
typedef struct xy_side {
    const nb_table_def *(*def)(const struct xy_side *s, const char *table);
    nb_cell *(*cell)(const struct xy_side *s, const nb_table_def *d, size_t field);
    void *ctx;
    nb_readings *rd;            /* may be NULL */
    nb_report *live;            /* NULL for a snapshot */
    const char *source;         /* the file, for the finding on the other side */
} xy_side;

/* A live report as a side. */
xy_side xy_side_of_report(nb_report *r);

/* Narrows the readings of both sides with every cross-year rule instance
 * (cur is the later year), until nothing changes, then sets the cells on
 * which every remaining reading agrees.  Returns the cells set on the live
 * side(s); *cur_set / *prev_set tell which side changed (may be NULL). */
size_t xy_resolve(const nb_ruleset *rs, xy_side *cur, xy_side *prev, bool *cur_set, bool *prev_set);

/* Findings of the report's own (not cross-year) rules recomputed after
 * cells changed. */
void xy_revalidate(const nb_ruleset *rs, nb_report *r);



/* validate_xyear.c: the run's side of it.  Does r still have a cell the
 * cross-year rules read that one of its kept readings could settle? */
bool nb_xcheck_pending(const nb_xcheck *x, const nb_report *r);
/* Has a report of agency (compacted) and year been checked already? */
bool nb_xcheck_seen(const nb_xcheck *x, const char *agency, int year);
/* r against the kept snapshots of its agency's previous and next year;
 * true when cells of r were set. */
bool nb_xcheck_resolve_known(nb_xcheck *x, nb_report *r);
/* Two reports not yet written, cur the later year. */
void nb_xcheck_resolve_pair(nb_xcheck *x, nb_report *cur, nb_report *prev, bool *cur_set, bool *prev_set);
const nb_ruleset *nb_xcheck_rules(const nb_xcheck *x);
/* Snapshots a run keeps in memory before the oldest are written to a
 * temporary file in dir: a run of up to a thousand agency-years never
 * touches the disk.  Without a call (the library's own nb_xcheck_new)
 * every snapshot stays in memory. */
#define NB_XCHECK_RESIDENT 1024
void nb_xcheck_spill(nb_xcheck *x, const char *dir, size_t resident_max);
#endif
