/* Binders of the activity operations; see bind_activities.h. */
#include "http/bind_activities.h"

#include <stdio.h>

#include "http/bind.h"

#define AI struct activity_input
/* Numbers the service reads as text and checks itself (an integer in JSON,
 * digits in a form): BIND_ID reads exactly that. */
#define NUMBER(m, name, flags) BIND_ID(AI, m, name, flags)

/* The fields every form of an activity or series has; R: BIND_REQUIRED when
 * creating. Pages offer no org_id or organiser_id (the organiser is the
 * actor). */
#define COMMON(R)                                                                                  \
    BIND_TEXT(AI, kind, "kind", 0, R), BIND_TEXT(AI, title, "title", ACTIVITY_TITLE_MAX, R),       \
        BIND_TEXT(AI, description, "description", ACTIVITY_DESCRIPTION_MAX,                        \
                  BIND_NULL_CLEARS | BIND_MULTILINE),                                              \
        BIND_TEXT(AI, place_code, "place_code", 0, 0),                                             \
        BIND_ID(AI, station_id, "station_id", BIND_NULL_CLEARS),                                   \
        BIND_ID(AI, org_id, "org_id", BIND_NULL_CLEARS | BIND_API_ONLY),                           \
        BIND_ID(AI, organiser_id, "organiser_id", BIND_API_ONLY), NUMBER(capacity, "capacity", R)
#define TIMES(R)                                                                                   \
    BIND_TEXT(AI, starts_at, "starts_at", 0, R), BIND_TEXT(AI, ends_at, "ends_at", 0, R)
#define RULE(R)                                                                                    \
    BIND_TEXT(AI, freq, "freq", 0, R),                                                             \
        BIND_ID_LIST(AI, weekdays, nweekdays, weekdays_set, "weekdays", 7, 0),                     \
        NUMBER(month_day, "month_day", 0), BIND_DATE(AI, from_date, "from", R),                    \
        BIND_DATE(AI, until_date, "until", R)
#define CLOCK(R)                                                                                   \
    BIND_TEXT(AI, start_time, "start_time", 0, R), NUMBER(duration_minutes, "duration_minutes", R)

static const struct bind_field activity_create_fields[] = {
    COMMON(BIND_REQUIRED), TIMES(BIND_REQUIRED), {0}};
BINDER(activity_create_bind, activity_create_fields, "POST /api/v1/activities", "POST /activities");

static const struct bind_field activity_update_fields[] = {COMMON(0), TIMES(0), {0}};
BINDER(activity_update_bind, activity_update_fields, "PATCH /api/v1/activities/{id}",
       "POST /activities/{id}");

static const struct bind_field series_create_fields[] = {
    COMMON(BIND_REQUIRED), RULE(BIND_REQUIRED), CLOCK(BIND_REQUIRED), {0}};
BINDER(series_create_bind, series_create_fields, "POST /api/v1/activity-series",
       "POST /activity-series");

static const struct bind_field series_update_fields[] = {
    COMMON(0), TIMES(0), RULE(0), CLOCK(0), {0}};
BINDER(series_update_bind, series_update_fields, "PATCH /api/v1/activity-series/{id}",
       "POST /activity-series/{id}");

static err_code bind_activity(req *r, const struct binder *b, struct activity_input *in)
{
    *in = (struct activity_input){0};
    return bind_input(r, b, in);
}

err_code bind_activity_create(req *r, struct activity_input *in)
{
    return bind_activity(r, &activity_create_bind, in);
}

err_code bind_activity_update(req *r, struct activity_input *in)
{
    return bind_activity(r, &activity_update_bind, in);
}

err_code bind_series_create(req *r, struct activity_input *in)
{
    return bind_activity(r, &series_create_bind, in);
}

err_code bind_series_update(req *r, struct activity_input *in)
{
    return bind_activity(r, &series_update_bind, in);
}

static const struct bind_field checkin_fields[] = {
    BIND_TEXT(struct checkin_input, code, "code", 0, BIND_REQUIRED), {0}};
BINDER(checkin_bind, checkin_fields, "POST /api/v1/activities/{id}/checkin",
       "POST /activities/{id}/checkin");

err_code bind_checkin(req *r, struct checkin_input *in)
{
    *in = (struct checkin_input){0};
    return bind_input(r, &checkin_bind, in);
}

#define SIGNUP_ID                                                                                  \
    BIND_INT_SET(struct participation_input, signup_id, signup_id_set, "signup_id", BIND_REQUIRED)
static const struct bind_field manual_checkin_fields[] = {SIGNUP_ID, {0}};
BINDER(manual_checkin_bind, manual_checkin_fields, "POST /api/v1/activities/{id}/manual-checkin",
       "POST /activities/{id}/manual-checkin");

static const struct bind_field service_fields[] = {
    SIGNUP_ID, BIND_TEXT(struct participation_input, hours, "hours", 0, 0), {0}};
BINDER(service_bind, service_fields, "POST /api/v1/activities/{id}/service",
       "POST /activities/{id}/service");

static err_code bind_participation(req *r, const struct binder *b, struct participation_input *in)
{
    *in = (struct participation_input){0};
    err_code e = bind_input(r, b, in);
    if (e) return e;
    if (!in->signup_id_set || in->signup_id < 1)
        return http_fail(r, E_BAD_INPUT, "signup_id", "请给出报名记录 signup_id（整数）");
    return 0;
}

err_code bind_manual_checkin(req *r, struct participation_input *in)
{
    return bind_participation(r, &manual_checkin_bind, in);
}

err_code bind_service(req *r, struct participation_input *in)
{
    /* hours may be a JSON number (1.5): read as its text, as a form sends it */
    json_t *h = r->json ? json_object_get(r->json, "hours") : NULL;
    if (json_is_number(h))
        json_object_set_new(r->json, "hours",
                            json_string(arena_printf(r->a, "%g", json_number_value(h))));
    return bind_participation(r, &service_bind, in);
}

#define VS struct volunteer_signup_input
static const struct bind_field volunteer_signup_fields[] = {
    BIND_TEXT(VS, name, "name", 30, BIND_REQUIRED),
    BIND_TEXT(VS, phone, "phone", 11, BIND_REQUIRED),
    BIND_TEXT(VS, password, "password", 0, BIND_REQUIRED),
    BIND_TEXT(VS, community, "community", 0, BIND_REQUIRED),
    {0}};
BINDER(volunteer_signup_bind, volunteer_signup_fields, "POST /api/v1/volunteers/signup",
       "POST /volunteer/signup");

err_code bind_volunteer_signup(req *r, struct volunteer_signup_input *in)
{
    *in = (struct volunteer_signup_input){0};
    return bind_input(r, &volunteer_signup_bind, in);
}
