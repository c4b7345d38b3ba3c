/* Binders of the points and micro-wish operations: the one mapping from a
 * request (a JSON body or a posted form) to the service input, used by the API
 * handler and the page handler alike (http/bind.h). Operations without a body
 * (my code, claim, confirm) and the multipart fulfilment (a file part, which
 * binders do not read) have none. */
#ifndef LINLI_BIND_POINTS_H
#define LINLI_BIND_POINTS_H
#include "http/http.h"
#include "service/svc_points.h"
#include "service/svc_wishes.h"

/* POST /api/v1/points/awards and POST /points/admin/award. */
err_code bind_points_award(req *r, struct points_award *in);

/* A reversal: the reason; the page names the movement in its form
 * (movement_id), the API in its path. */
struct points_reverse_input {
    int64_t movement_id;
    const char *reason;
};
err_code bind_points_reverse(req *r, struct points_reverse_input *in);

/* A redemption: the resident's market, the staff counter and the API. */
err_code bind_points_redeem(req *r, struct points_redeem *in);

/* Rules, goods, stock and goods changes. */
err_code bind_points_rule(req *r, struct points_rule_input *in);
err_code bind_points_goods(req *r, struct points_goods_input *in);
err_code bind_points_stock(req *r, struct points_goods_input *in);
err_code bind_points_goods_update(req *r, struct points_goods_update *in);

/* Micro-wishes: post and review. */
err_code bind_wish_post(req *r, struct wish_input *in);
err_code bind_wish_review(req *r, struct wish_review_input *in);

#endif
