/* One error vocabulary for the whole program. Each code has one HTTP status, one
 * stable API identifier and one Chinese message; handlers return a code and the
 * HTTP layer renders it as a page or as {"error":{"code","message","field"}}. */
#ifndef LINLI_ERROR_H
#define LINLI_ERROR_H

typedef enum {
    E_OK = 0,
    E_BAD_INPUT,     /* 400 bad_request      */
    E_UNAUTHORIZED,  /* 401 unauthorized     */
    E_FORBIDDEN,     /* 403 forbidden        */
    E_NOT_FOUND,     /* 404 not_found        */
    E_METHOD,        /* 405 method_not_allowed */
    E_CONFLICT,      /* 409 conflict         */
    E_TOO_LARGE,     /* 413 payload_too_large */
    E_UNPROCESSABLE, /* 422 invalid          */
    E_RATE_LIMITED,  /* 429 rate_limited     */
    E_CSRF,          /* 403 csrf             */
    E_INTERNAL,      /* 500 internal         */
    E_UNAVAILABLE,   /* 503 unavailable      */
    E_ALREADY_TAKEN, /* 409 already_taken: lost a 抢单 race */
    E__COUNT
} err_code;

int err_http_status(err_code e);
const char *err_api_code(err_code e);   /* "not_found" … */
const char *err_message_zh(err_code e); /* default Chinese message */

#endif
