/* Notifications 消息提醒: the inbox row of one account and, for every active
 * webhook whose place subtree contains the order's place (and whose kinds
 * filter lets the kind through), an outbox row for delivery. Always called
 * INSIDE the caller's write transaction, so a notification exists exactly
 * when the change it reports was committed. */
#ifndef LINLI_SVC_NOTIFY_H
#define LINLI_SVC_NOTIFY_H
#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "store/db.h"

/* Notifies one account. order_id 0: not about an order (no webhook). Returns
 * the notification id, or -1 on a database error (the caller rolls back). */
int64_t notify_account(db *d, int64_t account, const char *kind, int64_t order_id,
                       const char *title, const char *body, time_t now);

/* A webhook event that concerns no account (e.g. an SMS to a requester known
 * only by phone): the payload (a JSON object; created_at is added) goes to
 * every active webhook of the place that wants kind. 0, or -1 on error. */
int notify_place_webhooks(db *d, arena *a, const char *place, const char *kind, json_t *payload,
                          time_t now);

/* Notifies every account in rows (column 0: account id), skipping repeats
 * of `skip` (0: none). Returns 0, or -1 on error. */
int notify_accounts(db *d, const db_rows *accounts, int64_t skip, const char *kind,
                    int64_t order_id, const char *title, const char *body, time_t now);

#include "core/principal.h"
#include "service/svc_result.h"
/* Marks one of the account's own notifications read (audited). E_NOT_FOUND
 * for another account's; reading twice changes nothing and succeeds. */
struct svc_result svc_notification_read(db *d, arena *a, const struct principal *who, int64_t id);

#endif
