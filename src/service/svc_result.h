/* What every service operation answers: an error code with the field at fault
 * and a Chinese message, or the id of what it created or changed. The HTTP
 * layer turns it into a page or an API error; the command line prints it. */
#ifndef LINLI_SVC_RESULT_H
#define LINLI_SVC_RESULT_H
#include <stdint.h>

#include "core/error.h"

struct svc_result {
    err_code err;
    const char *field;   /* which input was wrong */
    const char *message; /* Chinese, static or arena-owned */
    int64_t id;          /* what was created */
};

/* A failed result: the error, the field at fault (or NULL), the Chinese message. */
static inline struct svc_result svc_fail(err_code e, const char *field, const char *msg)
{
    return (struct svc_result){.err = e, .field = field, .message = msg};
}

#endif
