/* Binders of the evaluation operations (http/bind.h): selections 评选 —
 * create, nominate, review — and the 双评价 evaluations, each used by the API
 * handler and the page handler alike. */
#ifndef LINLI_BIND_EVALUATION_H
#define LINLI_BIND_EVALUATION_H
#include "http/bind.h"
#include "service/svc_dual_review.h"
#include "service/svc_selections.h"

/* POST /api/v1/selections and POST /selections */
extern const struct binder selection_create_bind;
/* POST /api/v1/selections/{id}/nominations and POST /selections/{id}/nominate */
extern const struct binder nominate_bind;
/* POST /api/v1/selection-nominations/{id}/review and the page's review form */
extern const struct binder nomination_review_bind;
/* POST /api/v1/dual-reviews/{id}/evaluations and POST /dual-review/{id}/evaluate */
extern const struct binder dual_evaluate_bind;

#endif
