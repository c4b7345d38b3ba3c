/* Suggested assignees for a work order (派单建议), ranked by one documented
 * formula so a dispatcher can see why someone is proposed.
 *
 * Each factor gives 0–1000 points; the score is their weighted mean:
 *
 *   score = (W_SKILL·skill + W_DISTANCE·distance + W_LOAD·load + W_RATING·rating)
 *           / (W_SKILL + W_DISTANCE + W_LOAD + W_RATING)
 *
 *   skill    1000 if the candidate has the order's required skill (专业属性),
 *            0 if not; 500 for everyone when the order names no skill.
 *   distance by the deepest common level of the two place codes: same place
 *            or household 1000, building 800, compound 600, community 400,
 *            street 200, otherwise 0. Codes are the division codes of the
 *            place tree: street 9 digits, community 12, compound 15,
 *            building 17 (unit 18, household 21), each extending its parent.
 *   load     1000·K / (K + open orders), K = RANK_LOAD_HALF: 0 open orders
 *            give 1000, K give 500.
 *   rating   smoothed satisfaction: (Σ values + PRIOR_N·PRIOR) / (n + PRIOR_N)
 *            with 满意 = 1000, 基本满意 = 700, 不满意 = 0, so a newcomer starts
 *            at the prior (800) and a few ratings move it only a little.
 *
 * Ties are broken by fewer open orders, then by smaller id, so the order is
 * total and repeatable. All integer arithmetic.
 * Pure: C standard library only. */
#ifndef LINLI_ASSIGNEE_RANK_H
#define LINLI_ASSIGNEE_RANK_H

#define RANK_W_SKILL    40
#define RANK_W_DISTANCE 25
#define RANK_W_LOAD     20
#define RANK_W_RATING   15

#define RANK_SKILL_MATCH   1000
#define RANK_SKILL_NONE    0
#define RANK_SKILL_NEUTRAL 500 /* the order names no skill */

#define RANK_DIST_SAME      1000 /* same place (household, or the same code) */
#define RANK_DIST_BUILDING  800
#define RANK_DIST_COMPOUND  600
#define RANK_DIST_COMMUNITY 400
#define RANK_DIST_STREET    200
#define RANK_DIST_FAR       0

/* Place-code lengths of the levels (see the distance factor). */
#define RANK_CODE_STREET    9
#define RANK_CODE_COMMUNITY 12
#define RANK_CODE_COMPOUND  15
#define RANK_CODE_BUILDING  17

#define RANK_LOAD_HALF 3 /* open orders at which the load factor is halved */

#define RANK_VALUE_SATISFIED   1000
#define RANK_VALUE_BASIC       700
#define RANK_VALUE_UNSATISFIED 0
#define RANK_PRIOR             800 /* assumed satisfaction of someone never rated */
#define RANK_PRIOR_N           5   /* the prior weighs as much as 5 ratings */

#define RANK_WHY_MAX 256

/* One candidate. The caller fills the inputs; assignee_rank() fills the
 * outputs. Strings are borrowed. */
struct candidate {
    /* inputs */
    long long id;              /* person or organisation id, for the tie break */
    const char *name;          /* not used in the score */
    const char *place_code;    /* where the candidate lives or serves; NULL = unknown (far) */
    const char *const *skills; /* the candidate's skills (能人, 水电维修 …) */
    int nskills;
    int open_orders; /* current load: active orders assigned to them */
    int n_satisfied; /* past ratings of their orders */
    int n_basic;
    int n_unsatisfied;
    /* outputs */
    int skill_pts, distance_pts, load_pts, rating_pts; /* each 0–1000 */
    int score;                                         /* 0–1000 */
    char why[RANK_WHY_MAX]; /* e.g. "技能匹配（水电维修）；同一小区；在办2件；满意度87%（9次评价）"
                             */
};

struct rank_query {
    const char *skill;      /* required skill; NULL or "" = none */
    const char *place_code; /* the order's place */
};

/* The four factors, exposed for tests and for showing a breakdown. */
int rank_skill_points(const char *required, const char *const *skills, int nskills);
int rank_distance_points(const char *order_place, const char *candidate_place);
int rank_load_points(int open_orders);
int rank_rating_points(int n_satisfied, int n_basic, int n_unsatisfied);
/* The Chinese name of the common level ("同一户", "同一楼栋", "同一小区",
 * "同一社区", "同一街道", "不在同一街道"). */
const char *rank_distance_zh(const char *order_place, const char *candidate_place);

/* Score every candidate, write its explanation, and sort c[0..n) best first.
 * Negative counts are taken as 0. Does nothing when c is NULL or n ≤ 0; q
 * may be NULL (no skill, no place). */
void assignee_rank(struct candidate *c, int n, const struct rank_query *q);

#endif
