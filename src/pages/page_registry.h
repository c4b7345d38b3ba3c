/* What the two registry pages — organisations (page_orgs.c) and service
 * positions (page_stations.c) — share: the list page's filter bar, "new"
 * button, refusal and pager; the form's frame, its "places served"
 * checkboxes and the "new" page around it; what a write answers. Each
 * registry keeps only what is its own (columns, fields, the detail page). */
#ifndef LINLI_PAGE_REGISTRY_H
#define LINLI_PAGE_REGISTRY_H
#include <stdbool.h>

#include "http/http.h"
#include "service/svc_result.h"
#include "store/store_registry.h"

/* {value, text} pairs for ui_select from parallel lists of n ids and labels;
 * with `any` first as {"", any} when not NULL. */
const char *const (*registry_options(arena *a, const char *const *ids, const char *const *zh, int n,
                                     const char *any))[2];

/* The "new" button of a list (when the viewer holds cap), carrying ?place=. */
void registry_new_button(req *r, const char *path, const char *label, const char *cap,
                         const char *place);

/* The list page refused its filter: the message, 400. */
err_code registry_refuse(req *r, const char *message);

/* <nav class=pager> to path?cursor=last_id&name=value… (empty values left out). */
void registry_pager(req *r, const char *path, int64_t last_id, const char *const *names,
                    const char *const *values, int n);

/* <form method=post action=path[/id]> with the CSRF field; id 0: a new entry. */
void registry_form_open(req *r, const char *path, int64_t id);
/* The submit button and </form>. */
void registry_form_close(req *r, const char *label);

/* The "places served" fieldset: a checkbox for each of the home place's
 * children (those of `level` only, when not NULL) and for each place served
 * now (cur) not among them, checked when selected (the posted ones when
 * re-showing a form, else cur; else `dflt` when not NULL); then the typed
 * codes (places_extra) and the places_set marker. */
struct registry_places {
    const char *legend, *extra_label, *level, *dflt;
};
void registry_places_fieldset(req *r, const struct registry_places *f,
                              const struct served_place *children, int nchildren,
                              const struct served_place *cur, int ncur);

/* ?place= of a "new" page when the viewer sees it under cap, else NULL. */
const char *registry_query_place(req *r, const char *cap);

/* A "new" page: breadcrumbs back to the list, the error, the form. */
struct registry_new {
    const char *title, *list_path, *list_label, *crumb, *cap;
    void (*form)(req *r, const char *place);
};
err_code registry_new_page(req *r, const struct registry_new *p, const char *error, int status);

/* What a page write answers: the redirect to `to` on success, the error
 * itself when it is not the input's fault (or a 404 without a field), with
 * *message NULL; else *message and *status to re-show the form with. */
err_code registry_written(req *r, struct svc_result res, const char *to, const char **message,
                          int *status);

/* The page as built so far, ended with status. */
err_code registry_end(req *r, int status);

#endif
