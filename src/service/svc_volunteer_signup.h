/* 爱心人士 sign themselves up as volunteers with their mobile number: an
 * account (username = the phone) with the volunteer role over one community,
 * so that they can claim that community's micro-wishes. Public, so abuse is
 * bounded the way failed logins are: at most SIGNUP_MAX_IP attempts per
 * address per hour, counted in the shared login_failures table so every
 * server process sees them. Audited as action "signup" by the new account. */
#ifndef LINLI_SVC_VOLUNTEER_SIGNUP_H
#define LINLI_SVC_VOLUNTEER_SIGNUP_H
#include "service/svc_result.h"
#include "store/db.h"

#define SIGNUP_MAX_IP 5
#define SIGNUP_WINDOW 3600

/* As given by the form or the API (http/bind_activities.c). */
struct volunteer_signup_input {
    const char *name;      /* 2–30 characters */
    const char *phone;     /* a mobile number, 11 digits */
    const char *password;  /* strong enough (auth/password.h) */
    const char *community; /* the code of a community or village */
};

/* Returns the new account id. Errors: E_BAD_INPUT (name, phone, password,
 * community), E_CONFLICT (phone already registered), E_RATE_LIMITED. */
struct svc_result svc_volunteer_signup(db *d, arena *a, const char *client_ip,
                                       const struct volunteer_signup_input *in);

#endif
