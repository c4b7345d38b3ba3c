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

/* A county's configured whistle kind. */
struct whistle_kind_row {
    int64_t id;
    const char *kind;
    int64_t answer_minutes, updated_at;
};
/* The kinds a county configured, by id: their count (*out in a), -1 on error. */
int store_whistle_kinds(db *d, arena *a, const char *county, struct whistle_kind_row **out);
/* An organisation by id and name. */
struct org_ref {
    int64_t id;
    const char *name;
};
/* The departments of a configured kind, by id: their count (*out in a), -1 on
 * error. */
int store_whistle_kind_orgs(db *d, arena *a, int64_t kind_id, struct org_ref **out);
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

/* A call of a whistle to one department, with its whistle and order. Times in
 * Unix seconds, 0 for none. */
struct whistle_call_row {
    int64_t id, whistle_id, order_id, org_id;
    const char *org_name, *kind;
    int64_t deadline, answered_at, overdue_at, blown_at;
    const char *answered_by, *answer_note, *note; /* NULL: none */
    const char *order_code, *order_title, *order_place;
};
/* Lists of calls: their count (*out in a), -1 on error. The calls of an order: */
int store_whistle_calls_of_order(db *d, arena *a, int64_t order_id, struct whistle_call_row **out);
/* One call, whatever the viewer (the service checks); false when none. */
bool store_whistle_call_get(db *d, arena *a, int64_t call_id, struct whistle_call_row *out);
/* Unanswered calls the viewer sees: with orgs, those of organisations it
 * holds a grant on; else those of orders in its orders.read scope. Overdue
 * (deadline before now) first, then by deadline. */
int store_whistle_calls_open(db *d, arena *a, int64_t viewer, bool as_department, int limit,
                             struct whistle_call_row **out);
/* 报到, only if not answered yet: 1 done, 0 already answered. */
int store_whistle_call_answer(db *d, int64_t call_id, int64_t account, const char *note,
                              int64_t now);
/* A whistle with calls past their deadline, unanswered and not yet marked
 * overdue. */
struct whistle_due_row {
    int64_t id, order_id;
    const char *kind;
};
/* Those whistles: their count (*out in a), -1 on error. */
int store_whistles_due(db *d, arena *a, int64_t now, int limit, struct whistle_due_row **out);
/* Marks those calls of the whistle overdue; returns how many it claimed (0:
 * someone else did it already). */
int store_whistle_calls_mark_overdue(db *d, int64_t whistle_id, int64_t now);
/* The names of the departments overdue on a whistle, joined by 、 ("" for
 * none), or NULL on error. */
const char *store_whistle_overdue_orgs(db *d, arena *a, int64_t whistle_id);
/* The account holds a grant on an organisation called in on the order. */
bool store_whistle_account_called(db *d, int64_t account, int64_t order_id);

#endif
