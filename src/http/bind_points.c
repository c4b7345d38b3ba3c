/* Binders of the points and micro-wish operations; see bind_points.h. Numbers
 * the services take as text (points, cap, price, stock, qty: forms and the API
 * share the service's range check and its message) are read with BIND_ID, which
 * takes a JSON integer or string, or the form's text. */
#include "http/bind_points.h"

#include "core/points_rule.h"
#include "http/bind.h"

#define NUM_TEXT(st, m, name, flags) BIND_ID(st, m, name, flags)

/* ---------------------------------------------------------------- awards */

static const struct bind_field award_fields[] = {
    BIND_INT(struct points_award, person_id, "person_id", BIND_REQUIRED),
    BIND_TEXT(struct points_award, place_code, "place_code", 0, BIND_REQUIRED),
    BIND_TEXT(struct points_award, source_type, "source_type", POINTS_SOURCE_MAX, BIND_REQUIRED),
    BIND_INT(struct points_award, source_id, "source_id", BIND_REQUIRED),
    BIND_INT(struct points_award, points, "points", 0),
    BIND_TEXT(struct points_award, reason, "reason", POINTS_REASON_MAX, 0),
    {0}};
BINDER(points_award_bind, award_fields, "POST /api/v1/points/awards", "POST /points/admin/award");

err_code bind_points_award(req *r, struct points_award *in)
{
    *in = (struct points_award){0};
    return bind_input(r, &points_award_bind, in);
}

static const struct bind_field reverse_fields[] = {
    BIND_INT(struct points_reverse_input, movement_id, "movement_id", BIND_PAGE_ONLY),
    BIND_TEXT(struct points_reverse_input, reason, "reason", POINTS_REASON_MAX, BIND_REQUIRED),
    {0}};
BINDER(points_reverse_bind, reverse_fields, "POST /api/v1/points/movements/{id}/reverse",
       "POST /points/admin/reverse");

err_code bind_points_reverse(req *r, struct points_reverse_input *in)
{
    *in = (struct points_reverse_input){0};
    return bind_input(r, &points_reverse_bind, in);
}

/* ---------------------------------------------------------------- redemption */

static const struct bind_field redeem_fields[] = {
    BIND_INT(struct points_redeem, goods_id, "goods_id", BIND_REQUIRED),
    BIND_INT(struct points_redeem, person_id, "person_id", 0),
    NUM_TEXT(struct points_redeem, qty, "qty", 0),
    BIND_TEXT(struct points_redeem, confirm, "confirm", 0, 0),
    BIND_TEXT(struct points_redeem, request_key, "request_key", 0, BIND_PAGE_ONLY),
    {0}};
BINDER(points_redeem_bind, redeem_fields, "POST /api/v1/points/redemptions", "POST /market/redeem",
       "POST /points/admin/redeem");

err_code bind_points_redeem(req *r, struct points_redeem *in)
{
    *in = (struct points_redeem){0};
    return bind_input(r, &points_redeem_bind, in);
}

/* ---------------------------------------------------------------- rules */

/* The rule's input, with whether it is active as a boolean (a JSON boolean; a
 * checkbox marked by active_set on the page). */
struct rule_bind {
    struct points_rule_input in;
    bool active, active_set;
};
static const struct bind_field rule_fields[] = {
    BIND_TEXT(struct rule_bind, in.place_code, "place_code", 0, BIND_REQUIRED),
    BIND_TEXT(struct rule_bind, in.source_type, "source_type", POINTS_SOURCE_MAX, BIND_REQUIRED),
    BIND_TEXT(struct rule_bind, in.name, "name", POINTS_NAME_MAX, BIND_REQUIRED),
    NUM_TEXT(struct rule_bind, in.points, "points", BIND_REQUIRED),
    NUM_TEXT(struct rule_bind, in.cap, "cap", 0),
    BIND_TEXT(struct rule_bind, in.period, "period", 0, 0),
    BIND_BOOL_SET(struct rule_bind, active, active_set, "active", 0),
    {0}};
BINDER(points_rule_bind, rule_fields, "POST /api/v1/points/rules", "POST /points/admin/rules");

err_code bind_points_rule(req *r, struct points_rule_input *in)
{
    struct rule_bind b = {0};
    err_code e = bind_input(r, &points_rule_bind, &b);
    *in = b.in;
    in->active = b.active_set && !b.active ? "0" : NULL;
    return e;
}

/* ---------------------------------------------------------------- goods */

#define STOCK_FIELDS                                                                               \
    NUM_TEXT(struct points_goods_input, stock, "stock", 0),                                        \
        BIND_TEXT(struct points_goods_input, source, "source", 0, 0),                              \
        BIND_TEXT(struct points_goods_input, donor, "donor", POINTS_DONOR_MAX, 0),                 \
        BIND_TEXT(struct points_goods_input, note, "note", POINTS_REASON_MAX, 0)

static const struct bind_field goods_fields[] = {
    BIND_TEXT(struct points_goods_input, place_code, "place_code", 0, 0),
    BIND_TEXT(struct points_goods_input, name, "name", POINTS_NAME_MAX, 0),
    NUM_TEXT(struct points_goods_input, price, "price", 0),
    STOCK_FIELDS,
    {0}};
BINDER(points_goods_bind, goods_fields, "POST /api/v1/points/goods", "POST /points/admin/goods");

err_code bind_points_goods(req *r, struct points_goods_input *in)
{
    *in = (struct points_goods_input){0};
    return bind_input(r, &points_goods_bind, in);
}

static const struct bind_field stock_fields[] = {STOCK_FIELDS, {0}};
BINDER(points_stock_bind, stock_fields, "POST /api/v1/points/goods/{id}/stock",
       "POST /points/admin/goods/{id}/stock");

err_code bind_points_stock(req *r, struct points_goods_input *in)
{
    *in = (struct points_goods_input){0};
    return bind_input(r, &points_stock_bind, in);
}

static const struct bind_field goods_update_fields[] = {
    NUM_TEXT(struct points_goods_update, price, "price", 0),
    BIND_BOOL_SET(struct points_goods_update, active, active_set, "active", 0),
    {0}};
BINDER(points_goods_update_bind, goods_update_fields, "PATCH /api/v1/points/goods/{id}");

err_code bind_points_goods_update(req *r, struct points_goods_update *in)
{
    *in = (struct points_goods_update){0};
    return bind_input(r, &points_goods_update_bind, in);
}

/* ---------------------------------------------------------------- wishes */

static const struct bind_field wish_fields[] = {
    BIND_TEXT(struct wish_input, kind, "kind", 0, 0),
    BIND_TEXT(struct wish_input, title, "title", WISH_TITLE_MAX, BIND_REQUIRED),
    BIND_TEXT(struct wish_input, detail, "detail", WISH_DETAIL_MAX, 0),
    BIND_DATE(struct wish_input, wanted_by, "wanted_by", 0),
    BIND_TEXT(struct wish_input, place_code, "place_code", 0, 0),
    BIND_INT(struct wish_input, person_id, "person_id", 0),
    {0}};
BINDER(wish_post_bind, wish_fields, "POST /api/v1/wishes", "POST /wishes");

err_code bind_wish_post(req *r, struct wish_input *in)
{
    *in = (struct wish_input){0};
    return bind_input(r, &wish_post_bind, in);
}

static const struct bind_field wish_review_fields[] = {
    BIND_TEXT(struct wish_review_input, decision, "decision", 0, BIND_REQUIRED),
    BIND_TEXT(struct wish_review_input, reason, "reason", WISH_REASON_MAX, 0),
    {0}};
BINDER(wish_review_bind, wish_review_fields, "POST /api/v1/wishes/{id}/review",
       "POST /wishes/{id}/review");

err_code bind_wish_review(req *r, struct wish_review_input *in)
{
    *in = (struct wish_review_input){0};
    return bind_input(r, &wish_review_bind, in);
}
