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

/* Columns of a member row. */
enum dual_member_col {
    DM_ID,
    DM_NAME,
    DM_PLACE,
    DM_PLACE_NAME,
    DM_WORK_UNIT,
    DM_WORK_ORG_ID,
    DM_WORK_ORG_NAME,
    DM_REPORTED_AT,
    DM_REPORTED_COMMUNITY,
    DM_REPORTED_COMMUNITY_NAME,
    DM_COMMUNITY_SIDE,  /* 1: the viewer reads it as the community */
    DM_UNIT_SIDE,       /* 1: the viewer reads it as the work unit */
    DM_COMMUNITY_WRITE, /* 1: the viewer may give the community's evaluation */
    DM_ORDERS,          /* orders assigned to the person and resolved in the period */
    DM_RATED_SATISFIED, /* ratings given in the period on orders they handled */
    DM_RATED_BASIC,
    DM_RATED_UNSATISFIED,
    DM_WISHES,          /* wishes they claimed and fulfilled in the period */
    DM_ACTIVITIES,      /* activities of the period they signed up for (not waiting) */
    DM_SERVED,          /* of which they were marked as having served */
    DM_SERVICE_MINUTES, /* volunteer minutes credited */
    DM_POINTS,          /* points earned: awards net of their reversals */
    DM_C_GRADE,         /* the community's evaluation of the year */
    DM_C_COMMENT,
    DM_C_BY,
    DM_C_AT,
    DM_U_GRADE, /* the unit's */
    DM_U_COMMENT,
    DM_U_BY,
    DM_U_AT,
    DM__COUNT
};

/* Whether person is an in-service member who registered (报到). */
bool store_dual_is_member(db *d, int64_t person);

/* One in-service member (registered 报到) with figures over [from, to) and
 * the evaluations of year, whatever the viewer's scope (the caller looks at
 * DM_COMMUNITY_SIDE / DM_UNIT_SIDE). NULL when there is no such member. */
db_rows *store_dual_member(db *d, arena *a, int64_t viewer, int64_t person, int year, int64_t from,
                           int64_t to);

/* The members the viewer sees (either side), living within place (NULL: any)
 * and working at org (0: any), by id after after_id, at most limit. */
db_rows *store_dual_members(db *d, arena *a, int64_t viewer, const char *place, int64_t org,
                            int year, int64_t from, int64_t to, int64_t after_id, int limit);

/* The evaluation (id, grade, comment) of one side, or a row-less result. */
db_rows *store_dual_review_get(db *d, arena *a, int64_t person, int year, const char *side);
/* Inserts or replaces one side's evaluation; the row's id, or -1. */
int64_t store_dual_review_put(db *d, int64_t person, int year, const char *side, const char *grade,
                              const char *comment, int64_t by, int64_t now);

/* One side's evaluation of the year (grade NULL: none yet). */
struct dual_evaluation_row {
    const char *grade, *comment, *by;
    int64_t at;
};
/* A member as the services and handlers read it (the columns above). */
struct dual_member_row {
    int64_t id, work_org_id;
    const char *name, *place_code, *place_name, *work_unit, *work_org_name, *reported_at,
        *reported_community, *reported_community_name;
    bool community_side, unit_side, community_write;
    int64_t orders, rated_satisfied, rated_basic, rated_unsatisfied, wishes, activities, served,
        service_minutes, points;
    struct dual_evaluation_row community, unit;
};
/* store_dual_member as a struct: 1 found, 0 none, −1 the store failed. */
int store_dual_member_read(db *d, arena *a, int64_t viewer, int64_t person, int year, int64_t from,
                           int64_t to, struct dual_member_row *out);
/* store_dual_members as structs: their number, or −1. */
int store_dual_members_find(db *d, arena *a, int64_t viewer, const char *place, int64_t org,
                            int year, int64_t from, int64_t to, int64_t after_id, int limit,
                            struct dual_member_row **out);
/* One side's evaluation into *out: 1 found, 0 none, −1 the store failed. */
int store_dual_review_read(db *d, arena *a, int64_t person, int year, const char *side,
                           struct dual_evaluation_row *out);

#endif
