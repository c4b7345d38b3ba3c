/* See svc_photo_check.h. The sniffer and the limit are the work-order photos'
 * own (svc_order_photos.h), reused rather than copied. */
#include "service/svc_photo_check.h"

#include <string.h>

#include "service/svc_order_photos.h"

struct svc_result photo_check(const char *declared_mime, const char *data, size_t len,
                              const char **mime)
{
    *mime = NULL;
    if (!data || len == 0) return svc_fail(E_BAD_INPUT, "photo", "照片是空文件");
    if (len > ORDER_PHOTO_MAX_BYTES) return svc_fail(E_TOO_LARGE, "photo", "每张照片不能超过5MB");
    const char *m = order_photo_sniff((const unsigned char *)data, len);
    if (!m || (declared_mime && *declared_mime && strncmp(declared_mime, m, strlen(m))))
        return svc_fail(E_BAD_INPUT, "photo", "照片只能是 JPEG、PNG 或 WebP 格式");
    *mime = m;
    return (struct svc_result){0};
}
