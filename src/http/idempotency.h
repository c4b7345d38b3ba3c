/* A request sent twice acts once (docs/security.md).
 *
 * Page forms carry a one-time token, _once (written by page_csrf_field());
 * API requests that change something may carry an Idempotency-Key header (any
 * unsafe /api/ request of a logged-in caller, and Open311 POSTs with a valid
 * api_key). Before the handler runs, the key is reserved in the database with
 * a unique insert, committed on its own, so two requests — in one process or
 * in two — cannot both pass. After the handler:
 *   - it failed (an error code or a status ≥ 400): the reservation is
 *     dropped, since nothing happened, and the same key may be sent again;
 *   - it answered: the answer is kept with the key for IDEM_TTL seconds, and
 *     the same key with the same request gets it again (pages: the redirect;
 *     API: status, Content-Type, Location and body, with Idempotent-Replayed:
 *     true), without running the handler. Answers that show a secret once,
 *     pages answered with a page (only redirects are kept) and bodies over
 *     IDEM_MAX_BODY are not kept: the same key is then refused with 409.
 * The same key with another request: 422 (API) or 409 (page); while the first
 * still runs: 409. A process that dies between the handler's commit and
 * keeping its answer leaves the key "running" until it expires: its result is
 * unknown, so it is never run again under that key. */
#ifndef LINLI_IDEMPOTENCY_H
#define LINLI_IDEMPOTENCY_H
#include <stdbool.h>

#include "http/http.h"

enum {
    IDEM_TTL = 24 * 3600,        /* seconds a key is remembered */
    IDEM_KEY_MAX = 255,          /* characters of a key */
    IDEM_MAX_BODY = 1024 * 1024, /* bytes of an API answer kept for replay */
};

struct idem_slot {
    const char *scope, *key; /* set while a reservation is held */
    bool page;
};

/* Before the handler (after authentication and CSRF). True when the request
 * has been answered here — a kept answer, a refusal or an error — and the
 * handler must not run. url is the request's URL with its query string. */
bool idem_begin(req *r, const char *url, struct idem_slot *s);
/* After the handler, whatever it returned (e): keeps its answer or releases
 * the key. Rolls back a transaction a failed handler left open. */
void idem_end(req *r, struct idem_slot *s, err_code e);

#endif
