/* 双评价 in SQL: an in-service party member's record (orders handled, wishes
 * fulfilled, activities and hours, points, ratings received) for a period,
 * aggregated from the tables of the demand loop and of participation, with
 * both sides' evaluations of the year (migration 017).
 *
 * Who may see a member is answered in the same query: the community side holds
 * people.read over the member's home place; the unit side holds a grant on
 * the organisation recorded as the member's work unit (work_org_id) with a
 * role holding orgs.read. */
#ifndef LINLI_STORE_DUAL_REVIEW_H
#define LINLI_STORE_DUAL_REVIEW_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Whether person is an in-service member who registered (报到). */
bool store_dual_is_member(db *d, int64_t person);

/* Inserts or replaces one side's evaluation; the row's id, or -1. */
int64_t store_dual_review_put(db *d, int64_t person, int year, const char *side, const char *grade,
                              const char *comment, int64_t by, int64_t now);

/* One side's evaluation of the year (grade NULL: none yet). */
struct dual_evaluation_row {
    const char *grade, *comment, *by;
    int64_t at;
};
/* An in-service member (registered 报到) with figures over a period and both
 * sides' evaluations of the year, as the viewer sees them. */
struct dual_member_row {
    int64_t id, work_org_id;
    const char *name, *place_code, *place_name, *work_unit, *work_org_name, *reported_at,
        *reported_community, *reported_community_name;
    bool community_side;  /* the viewer reads it as the community */
    bool unit_side;       /* the viewer reads it as the work unit */
    bool community_write; /* the viewer may give the community's evaluation */
    int64_t orders;       /* orders assigned to the person and resolved in the period */
    int64_t rated_satisfied, rated_basic, rated_unsatisfied; /* ratings on orders they handled */
    int64_t wishes;          /* wishes they claimed and fulfilled in the period */
    int64_t activities;      /* activities of the period they signed up for (not waiting) */
    int64_t served;          /* of which they were marked as having served */
    int64_t service_minutes; /* volunteer minutes credited */
    int64_t points;          /* points earned: awards net of their reversals */
    struct dual_evaluation_row community, unit;
};
/* One member with figures over [from, to) and the evaluations of year,
 * whatever the viewer's scope (the caller looks at community_side /
 * unit_side): 1 found, 0 no such member, −1 the store failed. */
int store_dual_member_read(db *d, arena *a, int64_t viewer, int64_t person, int year, int64_t from,
                           int64_t to, struct dual_member_row *out);
/* The members the viewer sees (either side), living within place (NULL: any)
 * and working at org (0: any), by id after after_id, at most limit: their
 * number, or −1 when the store failed. */
int store_dual_members_find(db *d, arena *a, int64_t viewer, const char *place, int64_t org,
                            int year, int64_t from, int64_t to, int64_t after_id, int limit,
                            struct dual_member_row **out);
/* One side's evaluation of the year into *out: 1 found, 0 none, −1 the store
 * failed. */
int store_dual_review_read(db *d, arena *a, int64_t person, int year, const char *side,
                           struct dual_evaluation_row *out);

#endif
