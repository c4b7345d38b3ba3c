/* Roles and capabilities. A grant gives an account one role over one scope;
 * the role decides which capabilities it has there. This table is the single
 * source: it is written into the role_caps table at every start, and store
 * queries check scope with EXISTS over scope_ranges ⋈ role_caps. */
#ifndef LINLI_ROLES_H
#define LINLI_ROLES_H
#include <stdbool.h>

/* Capabilities. */
#define CAP_SELF          "self" /* one's own record, requests, points */
#define CAP_PLACES_READ   "places.read"
#define CAP_PLACES_WRITE  "places.write"
#define CAP_PEOPLE_READ   "people.read"   /* lists and records, masked */
#define CAP_PEOPLE_REVEAL "people.reveal" /* unmask one person, logged */
#define CAP_PEOPLE_WRITE  "people.write"
#define CAP_PEOPLE_IMPORT "people.import"
#define CAP_ORGS_READ     "orgs.read"
#define CAP_ORGS_WRITE    "orgs.write"
#define CAP_ACCOUNTS      "accounts.admin"
#define CAP_AUDIT_READ    "audit.read"
/* The demand loop 工单 (docs/demand-loop.md): who reads, files, dispatches and
 * supervises the orders of the places a grant covers. Requesters, assignees
 * and called-in departments act on single orders without these. */
#define CAP_ORDERS_READ      "orders.read" /* the orders of the places in scope, 三率 */
#define CAP_ORDERS_FILE      "orders.file" /* file for any place in scope, any channel */
#define CAP_ORDERS_DISPATCH  "orders.dispatch" /* 受理, 派单, 合并, 挂起, 现场处置 (社区派单) */
#define CAP_ORDERS_SUPERVISE "orders.supervise" /* 督办, the second 不满意, 回访 */
/* Participation (issue 4): 微心愿, 活动, 积分 and 积分超市 of the places in scope.
 * Residents and volunteers post, claim, sign up and redeem for themselves
 * with CAP_SELF. */
#define CAP_WISHES_REVIEW     "wishes.review"     /* review, post for a child or elder */
#define CAP_ACTIVITIES_MANAGE "activities.manage" /* create events, check-in codes, hours */
#define CAP_POINTS_READ       "points.read"       /* statements, leaderboards, totals */
#define CAP_POINTS_MANAGE     "points.manage"     /* rules, goods, counter redemption, reversals */

#define ROLE_CAPS_MAX 24

struct role {
    const char *id; /* resident, volunteer, … as on the command line and in the API */
    const char *zh; /* 居民 … */
    int rank;       /* a role may grant only roles of lower rank */
    const char *caps[ROLE_CAPS_MAX];
};

extern const struct role roles[];
extern const int roles_count;

const struct role *role_find(const char *id);
bool role_has_cap(const char *role, const char *cap);
/* The rank of the system administrator: nothing outranks it, so it alone may
 * grant and administer its own rank. */
#define ROLE_RANK_ADMIN 10
/* True when an account whose highest rank is top_rank may grant, revoke, or
 * administer an account holding, role: it must outrank the role (an admin
 * may do so for every role). An unknown role is outranked by admins only. */
bool role_outranked_by(const char *role, int top_rank);

#endif
