/* Binders of the demand loop (群众点单 → 派单 → 办结 → 评价, with 吹哨、部门买单、
 * 处置层级 and the Open311 switch): the one mapping from a request (a JSON body
 * or a posted form) to a service input, used by the API handler and the page
 * handler alike (http/bind.h). Each returns 0, or E_BAD_INPUT with r's error
 * field and a Chinese message. */
#ifndef LINLI_BIND_ORDERS_H
#define LINLI_BIND_ORDERS_H
#include "http/http.h"
#include "service/svc_order_costs.h"
#include "service/svc_order_followups.h"
#include "service/svc_order_photos.h"
#include "service/svc_orders.h"
#include "service/svc_whistles.h"

/* POST /api/v1/orders and POST /orders. */
err_code bind_order_intake(req *r, struct order_intake *in);

/* The event a request names (before it is bound: an order out of sight is 404
 * before any complaint about the body, but a lost 抢单 is the service's). */
const char *bind_order_event_name(req *r);

/* POST /api/v1/orders/{id}/events and POST /orders/{id}/events. The page's
 * assignee: a number typed by hand (assignee_manual, with assignee_kind) wins
 * over the suggested person chosen in the list (assignee_id). */
err_code bind_order_event(req *r, struct order_event_args *in);

/* POST …/orders/{id}/whistles. */
err_code bind_whistle_blow(req *r, struct whistle_blow_input *in);

/* PUT /api/v1/whistle-kinds/{code} (no page yet). */
err_code bind_whistle_kind(req *r, struct whistle_kind_input *in);

/* POST …/whistle-calls/{id}/report. */
err_code bind_whistle_report(req *r, struct whistle_report_input *in);

/* POST …/orders/{id}/costs. */
err_code bind_order_cost(req *r, struct order_cost_input *in);

/* POST …/orders/{id}/tier. */
err_code bind_order_tier(req *r, struct svc_tier_input *in);

/* The files a page posted under `field` (an intake's or a 办结's photos, in
 * the same multipart form): their count, *out in r's arena. */
int bind_order_photos(req *r, const char *field, struct order_photo_upload **out);

/* PUT /api/v1/orders/{id}/open311 and POST /orders/{id}/open311. */
err_code bind_order_public(req *r, bool *hidden);

#endif
