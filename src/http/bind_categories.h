/* Binders of the 事项分类 and 责任清单 operations (http/bind.h): the one mapping
 * from a JSON body or a posted form to the service input, for the API handler
 * and the page handler alike. */
#ifndef LINLI_BIND_CATEGORIES_H
#define LINLI_BIND_CATEGORIES_H
#include "http/http.h"
#include "service/svc_categories.h"

/* POST /api/v1/categories (create) and PATCH /api/v1/categories/{code},
 * POST /categories/{code} (update or a place's override). Numbers and
 * booleans: JSON null (or an empty form field) is CAT_CLEAR / CAT_FLAG_CLEAR;
 * tier, skill, whistle: JSON null is category_inherit. *place: the page's
 * override place (the API takes it from ?place=). */
err_code bind_category(req *r, bool create, struct category_input *in, const char **place);

/* POST /api/v1/responsibilities, POST /responsibilities. */
err_code bind_responsibility(req *r, struct responsibility_input *in);

#endif
