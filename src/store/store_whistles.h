/* SQL for 吹哨报到: the whistle kinds a county configures (报到 limit and the
 * departments called), the whistles blown on an order and one call per
 * department. The service decides who may do what; lists here take the
 * viewer and apply the data scope (SCOPE_COVERS on the order's place, or a
 * grant on the called organisation). */
#ifndef LINLI_STORE_WHISTLES_H
#define LINLI_STORE_WHISTLES_H
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Kinds of a county: id, kind, answer_minutes, updated_at. */
enum whistle_kind_col { WK_ID, WK_KIND, WK_MINUTES, WK_UPDATED };
db_rows *store_whistle_kinds(db *d, arena *a, const char *county);
/* Departments of a configured kind: org_id, name. */
db_rows *store_whistle_kind_orgs(db *d, arena *a, int64_t kind_id);
/* Creates or updates (county, kind); returns its id, -1 on error. */
int64_t store_whistle_kind_put(db *d, arena *a, const char *county, const char *kind, int minutes,
                               int64_t now);
/* Replaces the departments of a kind. */
int store_whistle_kind_set_orgs(db *d, int64_t kind_id, const int64_t *orgs, int n);
/* An organisation of kind department: 1 yes, 0 no. */
bool store_org_is_department(db *d, int64_t org_id);
/* The department of this exact name, 0 when none. */
int64_t store_department_by_name(db *d, const char *name);
/* The account holds accounts.admin over the whole county (a grant at the
 * county or above): it may configure the county's whistle kinds. county
 * NULL: some county. */
bool store_account_leads_county(db *d, int64_t account, const char *county);

/* A whistle and its calls. */
int64_t store_whistle_insert(db *d, arena *a, int64_t order_id, const char *kind, const char *note,
                             int64_t by, int64_t now);
int64_t store_whistle_call_insert(db *d, arena *a, int64_t whistle_id, int64_t order_id,
                                  int64_t org_id, int64_t deadline);

/* Call rows: id, whistle_id, order_id, org_id, org name, kind, deadline,
 * answered_at, answered_by (username), answer_note, overdue_at, blown at,
 * whistle note, order code, order title, order place. */
enum whistle_call_col {
    WC_ID,
    WC_WHISTLE,
    WC_ORDER,
    WC_ORG,
    WC_ORG_NAME,
    WC_KIND,
    WC_DEADLINE,
    WC_ANSWERED_AT,
    WC_ANSWERED_BY,
    WC_ANSWER_NOTE,
    WC_OVERDUE_AT,
    WC_BLOWN_AT,
    WC_NOTE,
    WC_ORDER_CODE,
    WC_ORDER_TITLE,
    WC_ORDER_PLACE,
};
db_rows *store_whistle_calls_of_order(db *d, arena *a, int64_t order_id);
/* One call, whatever the viewer (the service checks). */
db_rows *store_whistle_call_get(db *d, arena *a, int64_t call_id);
/* Unanswered calls the viewer sees: with orgs, those of organisations it
 * holds a grant on; else those of orders in its orders.read scope. Overdue
 * (deadline before now) first, then by deadline. */
db_rows *store_whistle_calls_open(db *d, arena *a, int64_t viewer, bool as_department, int limit);
/* 报到, only if not answered yet: 1 done, 0 already answered. */
int store_whistle_call_answer(db *d, int64_t call_id, int64_t account, const char *note,
                              int64_t now);
/* Whistles with calls past their deadline, unanswered and not yet marked
 * overdue (one row per whistle: whistle id, order id, kind). */
db_rows *store_whistles_due(db *d, arena *a, int64_t now, int limit);
/* Marks those calls of the whistle overdue; returns how many it claimed (0:
 * someone else did it already). */
int store_whistle_calls_mark_overdue(db *d, int64_t whistle_id, int64_t now);
/* Names of the organisations whose calls of this whistle are overdue. */
db_rows *store_whistle_overdue_orgs(db *d, arena *a, int64_t whistle_id);
/* The account holds a grant on an organisation called in on the order. */
bool store_whistle_account_called(db *d, int64_t account, int64_t order_id);

#endif
