/* Binders of the webhook operations (http/bind.h): registering a webhook, by
 * the API and by the page alike. */
#ifndef LINLI_BIND_WEBHOOKS_H
#define LINLI_BIND_WEBHOOKS_H
#include "http/bind.h"
#include "service/svc_webhooks.h"

/* POST /api/v1/webhooks and POST /webhooks */
extern const struct binder webhook_create_bind;

#endif
