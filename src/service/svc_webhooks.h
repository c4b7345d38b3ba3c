/* Webhooks 外部推送: registration by an account administrator over a place
 * (accounts.admin), and delivery of the outbox: POST of the JSON payload with
 * X-Linli-Signature: sha256=<hex HMAC-SHA256 of the body keyed by the secret>
 * and X-Linli-Delivery: <outbox id>; 2xx delivers, anything else retries on
 * the schedule of core/webhook_retry.h. Every attempt is logged. */
#ifndef LINLI_SVC_WEBHOOKS_H
#define LINLI_SVC_WEBHOOKS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/principal.h"
#include "service/svc_result.h"
#include "store/db.h"
#include "util/buf.h"

struct webhook_input {
    const char *url, *secret, *place_code, *kinds; /* secret NULL/empty: generated */
};
/* Registers a webhook; *secret_out (arena) is the secret, shown once. */
struct svc_result svc_webhook_create(db *d, arena *a, const struct principal *who,
                                     const struct webhook_input *in, const char **secret_out);
/* Disables one (it stays listed with its deliveries). E_NOT_FOUND outside scope. */
struct svc_result svc_webhook_disable(db *d, arena *a, const struct principal *who, int64_t id);

/* Whether webhooks may target loopback, link-local, private and reserved
 * addresses (core/net_addr.h): only when the server (and `linli tick`) was
 * started with LINLI_WEBHOOK_ALLOW_PRIVATE=1, read once. Otherwise such URLs
 * are refused at registration (an IP literal, localhost) and every delivery
 * refuses to connect to such an address, whatever name led there. */
bool svc_webhooks_private_allowed(void);

/* What users are shown of a failed attempt: "投递失败（HTTP 503）" when an
 * answer came, "投递失败" when none did (refused, timed out, not resolved,
 * not allowed: all alike), NULL for no error. Recorded and shown so, also for
 * rows logged before this rule. */
const char *webhook_error_public(arena *a, long status, const char *error);

/* The signature header value "sha256=<64 hex>" of body under secret, into
 * out (≥ 72 bytes). */
void webhook_sign(const char *secret, const char *body, size_t len, char *out);

/* Delivers the outbox rows due at now (claims each first, so two processes
 * never send the same attempt). Returns how many attempts were made, -1 on a
 * database error. One line per attempt is appended to log (may be NULL). */
int svc_webhooks_deliver(db *d, arena *a, time_t now, buf *log);

#endif
