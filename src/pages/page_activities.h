/* What the two activity page files share: the detail page (rendered again
 * with a message after a refused form) and small writers. */
#ifndef LINLI_PAGE_ACTIVITIES_H
#define LINLI_PAGE_ACTIVITIES_H
#include <stdbool.h>

#include "http/http.h"
#include "service/svc_result.h"
#include "store/store_activities.h"

/* The page of one activity, with an error or a notice; 404 when not visible. */
err_code activity_page(req *r, int64_t id, const char *error, const char *notice, int status);
/* The staff sections of that page (edit, cancel, sign-up list, hours). */
void activity_staff_sections(req *r, const struct activity_view *v);
/* The labelled select of activity kinds (with 全部 first when with_all). */
void activity_kind_select(req *r, const char *selected, bool with_all);
/* After a form: back to the activity, or its page again with the error. */
err_code activity_after_form(req *r, int64_t id, struct svc_result res, const char *done);
/* Local time as "YYYY-MM-DDTHH:MM" for datetime-local fields. */
const char *activity_local_input(req *r, int64_t t);

#endif
