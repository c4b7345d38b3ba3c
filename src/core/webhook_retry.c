/* Webhook retry schedule; see webhook_retry.h. */
#include "core/webhook_retry.h"

long webhook_retry_delay(int attempt)
{
    if (attempt < 1) attempt = 1;
    long d = WEBHOOK_RETRY_BASE_S;
    for (int i = 1; i < attempt && d < WEBHOOK_RETRY_CAP_S; i++) d *= 2;
    return d > WEBHOOK_RETRY_CAP_S ? WEBHOOK_RETRY_CAP_S : d;
}

bool webhook_retry_again(int attempt)
{
    return attempt < WEBHOOK_MAX_ATTEMPTS;
}

bool webhook_status_ok(long http_status)
{
    return http_status >= 200 && http_status < 300;
}
