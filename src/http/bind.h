/* Binders: the one mapping from a request — a JSON body (API) or a posted form
 * (pages) — to a service's input struct. Each operation declares its fields
 * once, in a table, and both its JSON handler and its page handler call
 * bind() with it, so the two representations cannot drift (a page that did not
 * send a field the API set used to clear it; issue 11). The same tables are
 * printed by `linli binders`, and tests/api/binders_schema.test.mjs checks each
 * API route's OpenAPI request schema against its binder, so the document is not
 * a third hand-written copy.
 *
 * Limits: `max` is the limit the service enforces (use the service's own
 * constant), stated here for the schema; the service keeps the check and its
 * Chinese message, since the command line reaches it without a binder.
 *
 * Use:
 *   static const struct bind_field grid_fields[] = {
 *       BIND_TEXT(struct grid_input, name, "name", GRID_NAME_MAX, BIND_REQUIRED),
 *       BIND_TEXT_LIST(struct grid_input, places, nplaces, set_places, "places", 500, 0),
 *       {0}};
 *   BINDER(grid_bind, grid_fields, "POST /api/v1/grids", "POST /grids");
 *   ...
 *   struct grid_input in;
 *   err_code e = bind_input(r, &grid_bind, &in);   (400 with a Chinese message, or 0)
 */
#ifndef LINLI_BIND_H
#define LINLI_BIND_H
#include <stddef.h>

#include "http/http.h"
#include "service/svc_result.h"

enum bind_type {
    /* const char *: a JSON string (null: see BIND_NULL_CLEARS) or the form value;
     * NULL when the field is absent. Schema: string. */
    BIND_TEXT = 1,
    /* const char *: an id as text — a JSON integer or a string of digits, or the
     * form value. Schema: integer. */
    BIND_ID,
    /* int64_t: a JSON integer or the form's decimal text; 0 when absent. The
     * optional `set` member (bool) tells whether it was given. Schema: integer. */
    BIND_INT,
    /* bool: JSON true/false; a form checkbox (sent and not "0"/"" is true).
     * The optional `set` member tells whether it was given. Schema: boolean. */
    BIND_BOOL,
    /* const char **list + int count: a JSON array of strings, or every form value
     * posted under the name (checkboxes and the typed codes of `name`_extra).
     * The optional `set` member tells whether it was given. Schema: array of string. */
    BIND_TEXT_LIST,
    /* int64_t *list + int count: a JSON array of integers, or the form values.
     * Schema: array of integer. */
    BIND_ID_LIST,
    /* const char *: a JSON number as decimal text with `max` decimals (a JSON
     * string too, as is, with BIND_NUM_TEXT), or the form's text; NULL when
     * absent or null. Schema: number (oneOf number, string with BIND_NUM_TEXT). */
    BIND_NUM,
    /* A JSON object the operation's own code reads after bind_input() (e.g. a
     * station's checklists, objects of booleans); bind_input() skips it, the
     * field is here so that the schema is checked. Schema: object. */
    BIND_OBJECT,
};

enum {
    BIND_REQUIRED = 1,    /* schema: required (the service refuses its absence) */
    BIND_NULL_CLEARS = 2, /* BIND_TEXT/BIND_ID: JSON null reads as "" (clear), not absent */
    BIND_MULTILINE = 4,   /* BIND_TEXT: line breaks are text (schema: x-multiline) */
    BIND_API_ONLY = 8,    /* not read from forms (pages do not offer it) */
    BIND_PAGE_ONLY = 16,  /* not read from JSON (a page's own control, e.g. a confirm box) */
    BIND_NUM_TEXT = 32,   /* BIND_NUM: a JSON string is taken as the text too */
    /* BIND_TEXT the service parses from several JSON shapes (schema: oneOf): a
     * number or boolean reads as its text ("12", "1"/"0"), an array of strings
     * as the strings joined by "," */
    BIND_LOOSE = 64,
    /* BIND_TEXT/BIND_ID: an empty form value is "not given" (a field the page
     * never prefills, e.g. a 身份证号 shown masked: left empty, it is kept) */
    BIND_EMPTY_KEEPS = 128,
};

struct bind_field {
    const char *name; /* the JSON member and the form field */
    enum bind_type type;
    size_t offset;       /* of the value in the input struct */
    size_t count_offset; /* lists: of the int count */
    size_t set_offset;   /* of a bool "was given", or 0 for none */
    int max;             /* text: characters; lists: items; 0 = none */
    unsigned flags;
    const char *format; /* schema format ("date", "date-time"), or NULL */
};

struct binder {
    const char *name;
    const struct bind_field *fields; /* ends with {0} */
    const char *const *routes;       /* "METHOD /pattern" of every route that uses it */
};

#define BIND_TEXT(st, m, name, max, flags)                                                         \
    {                                                                                              \
        name, BIND_TEXT, offsetof(st, m), 0, 0, max, flags, NULL                                   \
    }
#define BIND_DATE(st, m, name, flags)                                                              \
    {                                                                                              \
        name, BIND_TEXT, offsetof(st, m), 0, 0, 10, flags, "date"                                  \
    }
#define BIND_ID(st, m, name, flags)                                                                \
    {                                                                                              \
        name, BIND_ID, offsetof(st, m), 0, 0, 0, flags, NULL                                       \
    }
#define BIND_INT(st, m, name, flags)                                                               \
    {                                                                                              \
        name, BIND_INT, offsetof(st, m), 0, 0, 0, flags, NULL                                      \
    }
#define BIND_INT_SET(st, m, set, name, flags)                                                      \
    {                                                                                              \
        name, BIND_INT, offsetof(st, m), 0, offsetof(st, set), 0, flags, NULL                      \
    }
#define BIND_BOOL(st, m, name, flags)                                                              \
    {                                                                                              \
        name, BIND_BOOL, offsetof(st, m), 0, 0, 0, flags, NULL                                     \
    }
#define BIND_BOOL_SET(st, m, set, name, flags)                                                     \
    {                                                                                              \
        name, BIND_BOOL, offsetof(st, m), 0, offsetof(st, set), 0, flags, NULL                     \
    }
#define BIND_TEXT_LIST(st, m, count, set, name, max, flags)                                        \
    {                                                                                              \
        name, BIND_TEXT_LIST, offsetof(st, m), offsetof(st, count), offsetof(st, set), max, flags, \
            NULL                                                                                   \
    }
#define BIND_ID_LIST(st, m, count, set, name, max, flags)                                          \
    {                                                                                              \
        name, BIND_ID_LIST, offsetof(st, m), offsetof(st, count), offsetof(st, set), max, flags,   \
            NULL                                                                                   \
    }

#define BIND_OBJECT(name, flags)                                                                   \
    {                                                                                              \
        name, BIND_OBJECT, 0, 0, 0, 0, (flags) | BIND_API_ONLY, NULL                               \
    }
#define BIND_NUM(st, m, name, decimals, flags)                                                     \
    {                                                                                              \
        name, BIND_NUM, offsetof(st, m), 0, 0, decimals, flags, NULL                               \
    }

/* Declares `const struct binder var` and registers it for `linli binders`. */
#define BINDER(var, fields_, ...)                                                                  \
    static const char *const var##_routes[] = {__VA_ARGS__, NULL};                                 \
    const struct binder var = {#var, fields_, var##_routes};                                       \
    static const struct binder *const var##_reg                                                    \
        __attribute__((used, section("linli_binders"), aligned(sizeof(void *)))) = &var

/* Fills the fields of *in the request gives (the caller sets defaults first,
 * e.g. `struct grid_input in = {0};`) from the request: r->json on an API route, the form
 * on a page. 0, or E_BAD_INPUT with r's error field and a Chinese message when
 * a value has the wrong type (an API body that is not an object, a string
 * where a number belongs, a list that is not one). */
err_code bind_input(req *r, const struct binder *b, void *in);

/* A bind_input() refusal as a service result, for handlers that show refusals the
 * same way whether the binder or the service refused (a page re-shows its form). */
static inline struct svc_result bind_refused(req *r, err_code e)
{
    return svc_fail(e, r->err_field, r->err_message);
}

/* Every registered binder (the linker section). */
const struct binder *const *binders_begin(void);
const struct binder *const *binders_end(void);

#endif
