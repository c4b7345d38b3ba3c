/* The check every uploaded photo passes, whatever it is a photo of: not
 * empty, at most ORDER_PHOTO_MAX_BYTES (5 MB), and JPEG, PNG or WebP by its
 * magic bytes (order_photo_sniff), agreeing with the declared type when one
 * is given. Shared by work-order photos' rules and wish photos, so both
 * refuse the same files with the same messages. */
#ifndef LINLI_SVC_PHOTO_CHECK_H
#define LINLI_SVC_PHOTO_CHECK_H
#include <stddef.h>

#include "service/svc_result.h"

/* E_OK with *mime set ("image/jpeg" …), or E_BAD_INPUT / E_TOO_LARGE with
 * field "photo" and the Chinese message. */
struct svc_result photo_check(const char *declared_mime, const char *data, size_t len,
                              const char **mime);

#endif
