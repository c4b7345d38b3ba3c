/* Binders of the webhook operations; see bind_webhooks.h. */
#include "http/bind_webhooks.h"

static const struct bind_field webhook_create_fields[] = {
    BIND_TEXT(struct webhook_input, url, "url", 0, BIND_REQUIRED),
    BIND_TEXT(struct webhook_input, place_code, "place_code", 0, BIND_REQUIRED),
    BIND_TEXT(struct webhook_input, kinds, "kinds", 0, 0),
    BIND_TEXT(struct webhook_input, secret, "secret", 0, 0),
    {0}};
BINDER(webhook_create_bind, webhook_create_fields, "POST /api/v1/webhooks", "POST /webhooks");
