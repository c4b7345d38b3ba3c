/* Rating links 评价链接: "the requester rates it from the order's page or a
 * link". When an order is resolved the service makes a single-use link
 * (/rate/TOKEN, valid until the order would close unrated) and sends it with
 * the 已办结 notification — in the inbox of a requester with an account, and
 * in a webhook event for a requester known only by phone, so the county's SMS
 * gateway can text it. The link rates as the requester and does nothing else. */
#ifndef LINLI_SVC_RATING_LINKS_H
#define LINLI_SVC_RATING_LINKS_H
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "service/svc_result.h"
#include "store/db.h"

struct order_row; /* store/store_orders.h */

/* Links are made by the resolving event's notice (svc_rating_link_token.h). */

/* The order a valid link rates (viewer 0) into *out; false when the link is
 * unknown, used, expired, or the order is no longer resolved. */
bool svc_rating_link_order(db *d, arena *a, const char *token, struct order_row *out);

/* Rates the order as its requester: rating satisfied|basic|unsatisfied and an
 * optional comment. E_NOT_FOUND for a bad/used/expired link; the order's
 * own errors otherwise (E_BAD_INPUT for a bad rating). */
struct svc_result svc_rating_link_rate(db *d, arena *a, const char *token, const char *rating,
                                       const char *comment);

#endif
