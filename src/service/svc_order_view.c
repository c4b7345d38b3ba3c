/* An order's actor kinds and clocks; see svc_order_view.h. */
#include "service/svc_order_view.h"

#include <string.h>

#include "core/order_fsm.h"
#include "core/roles.h"
#include "store/store_accounts.h"
#include "store/store_whistles.h"

unsigned svc_order_actors_of(db *d, const struct principal *who, const struct order_row *o)
{
    int64_t viewer = principal_viewer(who);
    if (viewer == 0) return ORDER_ACTOR_SYSTEM | ORDER_ACTOR_DISPATCHER | ORDER_ACTOR_SECRETARY;
    unsigned k = 0;
    struct order_account me;
    store_order_account(d, viewer, &me);
    if (o->requester_account_id == viewer ||
        (me.person_id && o->requester_person_id == me.person_id))
        k |= ORDER_ACTOR_REQUESTER;
    if (store_place_in_scope(d, viewer, CAP_ORDERS_DISPATCH, o->place_code))
        k |= ORDER_ACTOR_DISPATCHER;
    if (store_place_in_scope(d, viewer, CAP_ORDERS_SUPERVISE, o->place_code))
        k |= ORDER_ACTOR_SECRETARY;
    const char *akind = o->assignee_kind;
    if (akind && strcmp(akind, "person") == 0) {
        if (me.person_id && o->assignee_id == me.person_id) k |= ORDER_ACTOR_ASSIGNEE;
    } else if (akind && store_order_account_has_org(d, viewer, o->assignee_id)) {
        k |= ORDER_ACTOR_ASSIGNEE;
        if (strcmp(akind, "department") == 0) k |= ORDER_ACTOR_DEPARTMENT;
    }
    /* a department called in by a whistle or paying for the order */
    if (store_whistle_account_called(d, viewer, o->id)) k |= ORDER_ACTOR_DEPARTMENT;
    /* 抢单: a volunteer or party member whose grants cover the place may take
     * an accepted order from the open pool */
    if (!akind && strcmp(o->state, "accepted") == 0 && me.pool_taker &&
        store_order_account_covers(d, viewer, o->place_code))
        k |= ORDER_ACTOR_ASSIGNEE;
    return k;
}

unsigned svc_order_actors(db *d, const struct principal *who, const db_rows *order)
{
    struct order_row o;
    store_order_row(order, 0, &o);
    return svc_order_actors_of(d, who, &o);
}

void svc_order_clocks_of(db *d, arena *a, const struct order_row *o, time_t now,
                         struct order_clocks *out)
{
    memset(out, 0, sizeof *out);
    out->response_deadline = out->resolution_deadline = CLOCK_NONE;
    if (!o->accepted_at) return;
    out->started = true;
    time_t from = (time_t)o->accepted_at;
    /* most orders were never suspended: no query for them */
    struct order_span *s = NULL;
    int ns = o->suspensions > 0 ? store_order_suspension_spans(d, a, o->id, &s) : 0;
    if (ns < 0) ns = 0;
    struct clock_interval *iv = arena_alloc(a, sizeof *iv * (size_t)(ns + 1));
    for (int i = 0; i < ns; i++) {
        iv[i].start = (time_t)s[i].start;
        iv[i].end = s[i].end ? (time_t)s[i].end : CLOCK_OPEN_END;
        time_t e = s[i].end ? iv[i].end : now;
        if (e > iv[i].start) out->suspended_seconds += e - iv[i].start;
    }
    struct work_calendar cal;
    const struct work_calendar *calp = NULL;
    if (o->working_hours) {
        work_calendar_default(&cal);
        work_calendar_use_cn2026(&cal);
        calp = &cal;
    }
    long long rl = o->response_limit_s, sl = o->resolution_limit_s;
    time_t rstop = o->first_contact_at ? (time_t)o->first_contact_at : now;
    time_t sstop = o->resolved_at ? (time_t)o->resolved_at : now;
    out->response_stopped = o->first_contact_at != 0;
    out->resolution_stopped = o->resolved_at != 0;
    out->response_deadline = clock_deadline(from, rl, iv, ns, calp);
    out->resolution_deadline = clock_deadline(from, sl, iv, ns, calp);
    out->response_counted = clock_counted(from, rstop, iv, ns, calp);
    out->resolution_counted = clock_counted(from, sstop, iv, ns, calp);
    out->response_status = clock_status(from, rstop, rl, ORDER_WARN_PERCENT_DEFAULT, iv, ns, calp);
    out->resolution_status =
        clock_status(from, sstop, sl, ORDER_WARN_PERCENT_DEFAULT, iv, ns, calp);
}
