/* Work orders, their history and suspensions; see store_orders.h. */
#include "store/store_orders.h"

#include <stdio.h>
#include <time.h>

#include "core/order_clock.h"
#include "core/roles.h"

/* The viewer, bound once (the query's first parameter): its account id, its
 * person, and whether it may take from the open pool (a volunteer or party
 * member). Queries join it as `me`. */
#define ME_CTE                                                                                     \
    "WITH me AS MATERIALIZED (SELECT v.id, a.person_id, (EXISTS (SELECT 1 FROM volunteers vo "     \
    "WHERE "                                                                                       \
    "vo.person_id = a.person_id) OR EXISTS (SELECT 1 FROM party_members pm WHERE pm.person_id = "  \
    "a.person_id)) AS pool FROM (SELECT CAST(? AS BIGINT) AS id) v LEFT JOIN accounts a ON a.id "  \
    "= v.id) "

/* Is the order o visible to the viewer `me`? (see store_orders.h for the
 * rule). One parameter: orders.read. */
#define VISIBLE                                                                                    \
    " (me.id = 0 OR EXISTS (SELECT 1 FROM scope_ranges s JOIN role_caps rc ON rc.role = s.role"    \
    " WHERE s.account_id = me.id AND rc.cap = ? AND o.place_code >= s.lo"                          \
    " AND o.place_code < s.lo || ':')"                                                             \
    " OR o.requester_account_id = me.id OR o.requester_person_id = me.person_id"                   \
    " OR (o.assignee_kind = 'person' AND o.assignee_id = me.person_id)"                            \
    " OR (o.assignee_kind <> 'person' AND EXISTS (SELECT 1 FROM grants g"                          \
    " WHERE g.account_id = me.id AND g.org_id = o.assignee_id))"                                   \
    " OR (o.state = 'accepted' AND o.assignee_id IS NULL AND me.pool"                              \
    " AND EXISTS (SELECT 1 FROM scope_ranges s2 WHERE s2.account_id = me.id"                       \
    " AND o.place_code >= s2.lo AND o.place_code < s2.lo || ':'))"                                 \
    " OR EXISTS (SELECT 1 FROM grants g2 WHERE g2.account_id = me.id AND"                          \
    " (g2.org_id IN (SELECT wc.org_id FROM whistle_calls wc WHERE"                                 \
    " wc.order_id = o.id) OR g2.org_id IN (SELECT oc.org_id FROM order_costs"                      \
    " oc WHERE oc.order_id = o.id)))) "

#define ORDER_COLS                                                                                 \
    "o.id, o.code, o.channel, o.category_code, o.place_code, o.requester_person_id, "              \
    "o.requester_account_id, o.created_by, o.contact_phone, o.title, o.description, o.urgency, "   \
    "o.scope_size, o.skill, o.tier, o.state, o.resume_to, o.version, o.assignee_kind, "            \
    "o.assignee_id, o.reopen_count, o.escalation_level, o.merged_into, o.outcome, o.result, "      \
    "o.rating, o.rating_comment, o.reason, o.response_limit_s, o.resolution_limit_s, "             \
    "o.working_hours, o.accepted_at, o.first_contact_at, o.resolved_at, o.rated_at, "              \
    "o.closed_at, o.created_at, o.updated_at, o.external_ref, o.lat, o.lon, "                      \
    "(SELECT c.name FROM categories c WHERE c.code = o.category_code), "                           \
    "(SELECT p.name FROM places p WHERE p.code = o.place_code), "                                  \
    "CASE WHEN o.assignee_kind = 'person' THEN (SELECT pp.name FROM people pp WHERE pp.id = "      \
    "o.assignee_id) ELSE (SELECT og.name FROM organisations og WHERE og.id = o.assignee_id) END, " \
    "(SELECT COUNT(*) FROM order_suspensions su WHERE su.order_id = o.id) "

int64_t store_order_insert(db *d, arena *a, const struct order_new *o, int64_t now)
{
    db_rows *r =
        DBQ(d, a,
            "INSERT INTO orders(channel, category_code, place_code, requester_person_id, "
            "requester_account_id, created_by, contact_phone, title, description, urgency, "
            "scope_size, skill, tier, state, external_ref, lat, lon, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, CAST(? AS DOUBLE "
            "PRECISION), CAST(? AS DOUBLE PRECISION), ?, ?) RETURNING id",
            P_TEXT(o->channel), P_TEXT(o->category_code), P_TEXT(o->place_code),
            o->requester_person_id > 0 ? P_INT(o->requester_person_id) : P_NULL,
            o->requester_account_id > 0 ? P_INT(o->requester_account_id) : P_NULL,
            o->created_by > 0 ? P_INT(o->created_by) : P_NULL, P_OPT(o->contact_phone),
            P_TEXT(o->title), P_TEXT(o->description), P_TEXT(o->urgency), P_TEXT(o->scope_size),
            P_OPT(o->skill), P_TEXT(o->tier), P_OPT(o->external_ref), P_OPT(o->lat), P_OPT(o->lon),
            P_INT(now), P_INT(now));
    if (!r || r->nrows != 1) return -1;
    int64_t id = db_get_int(r, 0, 0);
    char code[40];
    snprintf(code, sizeof code, "GD%08d-%06lld",
             clock_local_date((time_t)now, CLOCK_CHINA_UTC_OFFSET_MIN), (long long)id);
    if (DBX(d, "UPDATE orders SET code = ? WHERE id = ?", P_TEXT(code), P_INT(id)) != 1) return -1;
    return id;
}

db_rows *store_order_get(db *d, arena *a, int64_t viewer, int64_t id)
{
    db_rows *r = DBQ(
        d, a, ME_CTE "SELECT " ORDER_COLS "FROM orders o CROSS JOIN me WHERE o.id = ? AND " VISIBLE,
        P_INT(viewer), P_INT(id), P_TEXT(CAP_ORDERS_READ));
    return r && r->nrows ? r : NULL;
}

void store_order_row(const db_rows *r, int i, struct order_row *o)
{
    *o = (struct order_row){
        .id = db_get_int(r, i, OC_ID),
        .code = db_get(r, i, OC_CODE),
        .channel = db_get(r, i, OC_CHANNEL),
        .category_code = db_get(r, i, OC_CATEGORY),
        .place_code = db_get(r, i, OC_PLACE),
        .requester_person_id = db_get_int(r, i, OC_REQ_PERSON),
        .requester_account_id = db_get_int(r, i, OC_REQ_ACCOUNT),
        .created_by = db_get_int(r, i, OC_CREATED_BY),
        .contact_phone = db_get(r, i, OC_PHONE),
        .title = db_get(r, i, OC_TITLE),
        .description = db_get(r, i, OC_DESCRIPTION),
        .urgency = db_get(r, i, OC_URGENCY),
        .scope_size = db_get(r, i, OC_SCOPE_SIZE),
        .skill = db_get(r, i, OC_SKILL),
        .tier = db_get(r, i, OC_TIER),
        .state = db_get(r, i, OC_STATE),
        .resume_to = db_get(r, i, OC_RESUME_TO),
        .version = db_get_int(r, i, OC_VERSION),
        .assignee_kind = db_get(r, i, OC_ASSIGNEE_KIND),
        .assignee_id = db_get_int(r, i, OC_ASSIGNEE_ID),
        .reopen_count = (int)db_get_int(r, i, OC_REOPEN_COUNT),
        .escalation_level = (int)db_get_int(r, i, OC_ESCALATION),
        .merged_into = db_get_int(r, i, OC_MERGED_INTO),
        .outcome = db_get(r, i, OC_OUTCOME),
        .result = db_get(r, i, OC_RESULT),
        .rating = db_get(r, i, OC_RATING),
        .rating_comment = db_get(r, i, OC_RATING_COMMENT),
        .reason = db_get(r, i, OC_REASON),
        .response_limit_s = db_get_int(r, i, OC_RESPONSE_LIMIT),
        .resolution_limit_s = db_get_int(r, i, OC_RESOLUTION_LIMIT),
        .working_hours = db_get_int(r, i, OC_WORKING_HOURS) != 0,
        .accepted_at = db_get_int(r, i, OC_ACCEPTED_AT),
        .first_contact_at = db_get_int(r, i, OC_FIRST_CONTACT_AT),
        .resolved_at = db_get_int(r, i, OC_RESOLVED_AT),
        .rated_at = db_get_int(r, i, OC_RATED_AT),
        .closed_at = db_get_int(r, i, OC_CLOSED_AT),
        .created_at = db_get_int(r, i, OC_CREATED_AT),
        .updated_at = db_get_int(r, i, OC_UPDATED_AT),
        .external_ref = db_get(r, i, OC_EXTERNAL_REF),
        .lat = db_get(r, i, OC_LAT),
        .lon = db_get(r, i, OC_LON),
        .category_name = db_get(r, i, OC_CATEGORY_NAME),
        .place_name = db_get(r, i, OC_PLACE_NAME),
        .assignee_name = db_get(r, i, OC_ASSIGNEE_NAME),
        .suspensions = (int)db_get_int(r, i, OC_SUSPENSIONS),
    };
}

bool store_order_visible(db *d, arena *a, int64_t viewer, int64_t id)
{
    return store_order_get(d, a, viewer, id) != NULL;
}

bool store_order_read(db *d, arena *a, int64_t viewer, int64_t id, struct order_row *out)
{
    db_rows *r = store_order_get(d, a, viewer, id);
    if (r) store_order_row(r, 0, out);
    return r != NULL;
}

/* The list, once with a state (so the (state, id) index leads: the
 * dispatcher's queue) and once without. */
#define ORDERS_LIST(STATE)                                                                         \
    ME_CTE                                                                                         \
    "SELECT " ORDER_COLS "FROM orders o CROSS JOIN me WHERE (? = 0 OR o.id < ?) AND " STATE " "    \
    "AND (CAST(? AS TEXT) IS NULL OR (o.place_code >= CAST(? AS TEXT) "                            \
    "AND o.place_code < CAST(? AS TEXT) || ':')) "                                                 \
    "AND (CAST(? AS TEXT) IS NULL OR o.category_code = CAST(? AS TEXT)) "                          \
    "AND (CAST(? AS TEXT) IS NULL OR o.channel = CAST(? AS TEXT)) "                                \
    "AND (? = 0 OR (o.assignee_kind = 'person' AND o.assignee_id = me.person_id) "                 \
    "OR (o.assignee_kind <> 'person' AND EXISTS (SELECT 1 FROM grants g "                          \
    "WHERE g.account_id = me.id AND g.org_id = o.assignee_id))) "                                  \
    "AND (? = 0 OR o.requester_account_id = me.id OR o.requester_person_id = me.person_id) "       \
    "AND " VISIBLE "ORDER BY o.id DESC LIMIT ?"

db_rows *store_orders_list(db *d, arena *a, int64_t viewer, const struct order_filter *f)
{
    static const char by_state[] = ORDERS_LIST("o.state = ?");
    static const char any_state[] = ORDERS_LIST("(1 = 1 OR o.state = ?)");
    return DBQ(d, a, f->state ? by_state : any_state, P_INT(viewer), P_INT(f->before_id),
               P_INT(f->before_id), P_NTEXT(f->state), P_NTEXT(f->place), P_NTEXT(f->place),
               P_NTEXT(f->place), P_NTEXT(f->category), P_NTEXT(f->category), P_NTEXT(f->channel),
               P_NTEXT(f->channel), P_INT(f->assigned_to_me ? 1 : 0), P_INT(f->mine ? 1 : 0),
               P_TEXT(CAP_ORDERS_READ), P_INT(f->limit));
}

static db_param opt_int(int64_t v)
{
    return v > 0 ? P_INT(v) : P_NULL;
}

int store_order_update(db *d, int64_t id, const char *from_state, int64_t version,
                       const struct order_change *c, int64_t now)
{
    int clear_res = c->clear_resolution ? 1 : 0;
    return DBX(
        d,
        "UPDATE orders SET state = ?, "
        "resume_to = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(CAST(? AS TEXT), resume_to) END, "
        "assignee_kind = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(CAST(? AS TEXT), assignee_kind) "
        "END, assignee_id = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(CAST(? AS BIGINT), "
        "assignee_id) END, "
        "merged_into = COALESCE(CAST(? AS BIGINT), merged_into), "
        "outcome = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(CAST(? AS TEXT), outcome) END, "
        "result = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(CAST(? AS TEXT), result) END, "
        "rating = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(CAST(? AS TEXT), rating) END, "
        "rating_comment = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(CAST(? AS TEXT), "
        "rating_comment) END, "
        "reason = COALESCE(CAST(? AS TEXT), reason), "
        "response_limit_s = COALESCE(CAST(? AS BIGINT), response_limit_s), "
        "resolution_limit_s = COALESCE(CAST(? AS BIGINT), resolution_limit_s), "
        "working_hours = COALESCE(CAST(? AS INTEGER), working_hours), "
        "accepted_at = COALESCE(CAST(? AS BIGINT), accepted_at), "
        "first_contact_at = COALESCE(CAST(? AS BIGINT), first_contact_at), "
        "resolved_at = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(CAST(? AS BIGINT), resolved_at) "
        "END, "
        "rated_at = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(CAST(? AS BIGINT), rated_at) END, "
        "closed_at = COALESCE(CAST(? AS BIGINT), closed_at), "
        "reopen_count = reopen_count + ?, escalation_level = escalation_level + ?, "
        "version = version + 1, updated_at = ? WHERE id = ? AND state = ? AND version = ?",
        P_TEXT(c->state), P_INT(c->clear_resume_to ? 1 : 0), P_NTEXT(c->resume_to),
        P_INT(c->clear_assignee ? 1 : 0), P_NTEXT(c->assignee_kind),
        P_INT(c->clear_assignee ? 1 : 0), opt_int(c->assignee_id), opt_int(c->merged_into),
        P_INT(clear_res), P_NTEXT(c->outcome), P_INT(clear_res), P_NTEXT(c->result),
        P_INT(clear_res), P_NTEXT(c->rating), P_INT(clear_res), P_NTEXT(c->rating_comment),
        P_NTEXT(c->reason), opt_int(c->response_limit_s), opt_int(c->resolution_limit_s),
        c->working_hours >= 0 ? P_INT(c->working_hours) : P_NULL, opt_int(c->accepted_at),
        opt_int(c->first_contact_at), P_INT(clear_res), opt_int(c->resolved_at), P_INT(clear_res),
        opt_int(c->rated_at), opt_int(c->closed_at), P_INT(c->reopen_inc), P_INT(c->escalation_inc),
        P_INT(now), P_INT(id), P_TEXT(from_state), P_INT(version));
}

int store_order_event_add(db *d, int64_t order_id, int64_t now, int64_t account_id,
                          const char *actor, const char *event, const char *from_state,
                          const char *to_state, const char *note, const char *data_json)
{
    return DBX(d,
               "INSERT INTO order_events(order_id, at, account_id, actor, event, from_state, "
               "to_state, note, data_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               P_INT(order_id), P_INT(now), account_id > 0 ? P_INT(account_id) : P_NULL,
               P_TEXT(actor), P_TEXT(event), P_NTEXT(from_state), P_TEXT(to_state), P_OPT(note),
               P_NTEXT(data_json));
}

int store_orders_rows(db *d, arena *a, int64_t viewer, const struct order_filter *f,
                      struct order_row **out)
{
    db_rows *r = store_orders_list(d, a, viewer, f);
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++) store_order_row(r, i, &(*out)[i]);
    return r->nrows;
}

db_rows *store_order_events(db *d, arena *a, int64_t order_id)
{
    return DBQ(d, a,
               "SELECT id, at, account_id, actor, event, from_state, to_state, note, data_json "
               "FROM order_events WHERE order_id = ? ORDER BY id",
               P_INT(order_id));
}

int store_order_history(db *d, arena *a, int64_t order_id, struct order_event_row **out)
{
    db_rows *r = store_order_events(d, a, order_id);
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct order_event_row){
            .id = db_get_int(r, i, OE_ID),
            .at = db_get_int(r, i, OE_AT),
            .account_id = db_get_int(r, i, OE_ACCOUNT),
            .actor = db_get(r, i, OE_ACTOR),
            .event = db_get(r, i, OE_EVENT),
            .from_state = db_get(r, i, OE_FROM),
            .to_state = db_get(r, i, OE_TO),
            .note = db_get(r, i, OE_NOTE),
            .data_json = db_get(r, i, OE_DATA),
        };
    return r->nrows;
}

int store_order_suspend_start(db *d, int64_t order_id, int64_t now, const char *reason)
{
    return DBX(d, "INSERT INTO order_suspensions(order_id, start_at, reason) VALUES (?, ?, ?)",
               P_INT(order_id), P_INT(now), P_OPT(reason));
}

int store_order_suspend_end(db *d, int64_t order_id, int64_t now)
{
    return DBX(d, "UPDATE order_suspensions SET end_at = ? WHERE order_id = ? AND end_at IS NULL",
               P_INT(now), P_INT(order_id));
}

db_rows *store_order_suspensions(db *d, arena *a, int64_t order_id)
{
    return DBQ(d, a,
               "SELECT start_at, end_at FROM order_suspensions WHERE order_id = ? ORDER BY id",
               P_INT(order_id));
}

int store_order_suspension_spans(db *d, arena *a, int64_t order_id, struct order_span **out)
{
    db_rows *r = store_order_suspensions(d, a, order_id);
    *out = NULL;
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct order_span){db_get_int(r, i, 0), db_get_int(r, i, 1)};
    return r->nrows;
}

void store_order_account(db *d, int64_t account, struct order_account *out)
{
    out->person_id =
        DBI(d, 0, "SELECT COALESCE(person_id, 0) FROM accounts WHERE id = ?", P_INT(account));
    out->pool_taker =
        out->person_id > 0 && DBI(d, 0,
                                  "SELECT (SELECT COUNT(*) FROM volunteers WHERE person_id = ?) + "
                                  "(SELECT COUNT(*) FROM party_members WHERE person_id = ?)",
                                  P_INT(out->person_id), P_INT(out->person_id)) > 0;
    out->partner =
        out->person_id > 0 &&
        DBI(d, 0, "SELECT COUNT(*) FROM partners WHERE person_id = ?", P_INT(out->person_id)) > 0;
}

bool store_order_account_has_org(db *d, int64_t account, int64_t org_id)
{
    return DBI(d, 0, "SELECT COUNT(*) FROM grants WHERE account_id = ? AND org_id = ?",
               P_INT(account), P_INT(org_id)) > 0;
}

bool store_order_taken_from_pool(db *d, int64_t viewer, int64_t id)
{
    return DBI(d, 0,
               "SELECT COUNT(*) FROM orders o JOIN accounts a ON a.id = ? WHERE o.id = ? "
               "AND NOT (o.state = 'accepted' AND o.assignee_id IS NULL) "
               "AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id "
               "AND e.event = 'take' AND e.from_state = 'accepted') "
               "AND (EXISTS (SELECT 1 FROM volunteers v WHERE v.person_id = a.person_id) "
               "OR EXISTS (SELECT 1 FROM party_members pm WHERE pm.person_id = a.person_id)) "
               "AND EXISTS (SELECT 1 FROM scope_ranges s WHERE s.account_id = a.id "
               "AND o.place_code >= s.lo AND o.place_code < s.lo || ':')",
               P_INT(viewer), P_INT(id)) > 0;
}

bool store_order_account_covers(db *d, int64_t account, const char *place)
{
    return DBI(d, 0,
               "SELECT COUNT(*) FROM scope_ranges s WHERE s.account_id = ? "
               "AND CAST(? AS TEXT) >= s.lo AND CAST(? AS TEXT) < s.lo || ':'",
               P_INT(account), P_TEXT(place), P_TEXT(place)) > 0;
}

int store_order_candidates(db *d, arena *a, const char *area, int limit,
                           struct order_candidate **out)
{
    db_rows *r = DBQ(
        d, a,
        "SELECT p.id, p.name, p.place_code, v.skills, "
        "(SELECT COUNT(*) FROM orders o WHERE o.assignee_kind = 'person' AND o.assignee_id = p.id "
        "AND o.state IN ('submitted', 'accepted', 'dispatched', 'taken', 'suspended')), "
        "(SELECT COUNT(*) FROM order_events e JOIN orders o ON o.id = e.order_id "
        "WHERE o.assignee_kind = 'person' AND o.assignee_id = p.id AND e.event = 'rate' "
        "AND e.data_json LIKE '%\"rating\":\"satisfied\"%'), "
        "(SELECT COUNT(*) FROM order_events e JOIN orders o ON o.id = e.order_id "
        "WHERE o.assignee_kind = 'person' AND o.assignee_id = p.id AND e.event = 'rate' "
        "AND e.data_json LIKE '%\"rating\":\"basic\"%'), "
        "(SELECT COUNT(*) FROM order_events e JOIN orders o ON o.id = e.order_id "
        "WHERE o.assignee_kind = 'person' AND o.assignee_id = p.id AND e.event = 'rate' "
        "AND e.data_json LIKE '%\"rating\":\"unsatisfied\"%') "
        "FROM people p LEFT JOIN volunteers v ON v.person_id = p.id "
        "WHERE (v.person_id IS NOT NULL OR EXISTS (SELECT 1 FROM party_members pm "
        "WHERE pm.person_id = p.id)) AND p.place_code >= CAST(? AS TEXT) "
        "AND p.place_code < CAST(? AS TEXT) || ':' ORDER BY p.id LIMIT ?",
        P_TEXT(area), P_TEXT(area), P_INT(limit));
    if (!r) return -1;
    *out = arena_alloc(a, sizeof **out * (size_t)(r->nrows + 1));
    for (int i = 0; i < r->nrows; i++)
        (*out)[i] = (struct order_candidate){db_get_int(r, i, 0),      db_get(r, i, 1),
                                             db_get(r, i, 2),          db_get(r, i, 3),
                                             (int)db_get_int(r, i, 4), (int)db_get_int(r, i, 5),
                                             (int)db_get_int(r, i, 6), (int)db_get_int(r, i, 7)};
    return r->nrows;
}

db_rows *store_order_org(db *d, arena *a, int64_t org_id)
{
    db_rows *r = DBQ(d, a, "SELECT kind, name FROM organisations WHERE id = ?", P_INT(org_id));
    return r && r->nrows ? r : NULL;
}

db_rows *store_order_person(db *d, arena *a, int64_t person_id)
{
    db_rows *r = DBQ(d, a, "SELECT name, place_code FROM people WHERE id = ?", P_INT(person_id));
    return r && r->nrows ? r : NULL;
}

const char *store_order_org_kind(db *d, arena *a, int64_t org_id)
{
    db_rows *r = store_order_org(d, a, org_id);
    return r ? db_get(r, 0, 0) : NULL;
}

const char *store_order_person_home(db *d, arena *a, int64_t person_id)
{
    db_rows *r = store_order_person(d, a, person_id);
    return r ? db_get(r, 0, 1) : NULL;
}
