/* The retry schedule of webhook deliveries: after a failed attempt n (1, 2,
 * …) the next one waits 30 s × 2^(n−1), at most one hour; after the 8th
 * failed attempt the delivery is given up (failed). Pure. */
#ifndef LINLI_WEBHOOK_RETRY_H
#define LINLI_WEBHOOK_RETRY_H
#include <stdbool.h>

#define WEBHOOK_RETRY_BASE_S 30
#define WEBHOOK_RETRY_CAP_S  3600
#define WEBHOOK_MAX_ATTEMPTS 8

/* Seconds to wait after failed attempt number `attempt` (≥ 1; smaller values
 * count as 1). */
long webhook_retry_delay(int attempt);
/* Whether another attempt follows failed attempt number `attempt`. */
bool webhook_retry_again(int attempt);
/* A 2xx status is a delivery. */
bool webhook_status_ok(long http_status);

#endif
