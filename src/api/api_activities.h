/* What the activity pages share with the activity API: reading a request
 * into an activity_input, an activity as JSON, the counts. */
#ifndef LINLI_API_ACTIVITIES_H
#define LINLI_API_ACTIVITIES_H
#include <jansson.h>

#include "http/http.h"
#include "service/svc_activities.h"

void activity_input_of(req *r, struct activity_input *in);
json_t *activity_json(req *r, const db_rows *s, int i);
/* The counts of GET /api/v1/stats/activities as JSON into *out; an error
 * (already described with http_fail) otherwise. */
err_code activity_stats_of(req *r, const char *place, const char *from, const char *to,
                           json_t **out);

#endif
