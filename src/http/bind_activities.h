/* Binders of the activity operations (and the volunteer sign-up): the one
 * mapping from a request — a JSON body or a posted form — to the input of
 * service/svc_activities.c, used by the API handler and the page handler of
 * each operation alike (see http/bind.h). */
#ifndef LINLI_BIND_ACTIVITIES_H
#define LINLI_BIND_ACTIVITIES_H
#include "http/http.h"
#include "service/svc_activities.h"
#include "service/svc_volunteer_signup.h"

/* POST /api/v1/activities, POST /activities (one event). */
err_code bind_activity_create(req *r, struct activity_input *in);
/* PATCH /api/v1/activities/{id}, POST /activities/{id} (only the fields given). */
err_code bind_activity_update(req *r, struct activity_input *in);
/* POST /api/v1/activity-series, POST /activity-series. */
err_code bind_series_create(req *r, struct activity_input *in);
/* PATCH /api/v1/activity-series/{id}, POST /activity-series/{id}: the rule,
 * the dates and the organiser are read so that the service can refuse them. */
err_code bind_series_update(req *r, struct activity_input *in);

/* The check-in code. */
struct checkin_input {
    const char *code;
};
err_code bind_checkin(req *r, struct checkin_input *in);

/* The organiser's steps on one participation: a check-in by hand, or service
 * hours ("" or absent: the event's duration). signup_id is required (400
 * naming it otherwise). */
struct participation_input {
    int64_t signup_id;
    bool signup_id_set;
    const char *hours;
};
err_code bind_manual_checkin(req *r, struct participation_input *in);
err_code bind_service(req *r, struct participation_input *in);

/* POST /api/v1/volunteers/signup, POST /volunteer/signup. */
err_code bind_volunteer_signup(req *r, struct volunteer_signup_input *in);

#endif
