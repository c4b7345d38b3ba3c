/* Binders of the evaluation operations; see bind_evaluation.h. */
#include "http/bind_evaluation.h"

static const struct bind_field selection_create_fields[] = {
    BIND_TEXT(struct selection_input, name, "name", 0, BIND_REQUIRED),
    BIND_TEXT(struct selection_input, year, "year", 0, 0),
    BIND_TEXT(struct selection_input, kind, "candidate_kind", 0, BIND_REQUIRED),
    BIND_TEXT(struct selection_input, place_code, "place_code", 0, BIND_REQUIRED),
    BIND_TEXT(struct selection_input, opens_on, "opens_on", 0, BIND_REQUIRED),
    BIND_TEXT(struct selection_input, closes_on, "closes_on", 0, BIND_REQUIRED),
    BIND_TEXT(struct selection_input, honour, "honour", 0, 0),
    BIND_TEXT(struct selection_input, points, "points", 0, 0),
    {0}};
BINDER(selection_create_bind, selection_create_fields, "POST /api/v1/selections",
       "POST /selections");

static const struct bind_field nominate_fields[] = {
    BIND_BOOL(struct nomination_input, self, "self", 0),
    BIND_TEXT(struct nomination_input, nominee_name, "nominee_name", 0, 0),
    BIND_INT(struct nomination_input, person_id, "person_id", BIND_API_ONLY),
    BIND_TEXT(struct nomination_input, reason, "reason", 0, BIND_REQUIRED),
    {0}};
BINDER(nominate_bind, nominate_fields, "POST /api/v1/selections/{id}/nominations",
       "POST /selections/{id}/nominate");

static const struct bind_field nomination_review_fields[] = {
    BIND_TEXT(struct nomination_review_input, decision, "decision", 0, BIND_REQUIRED),
    BIND_TEXT(struct nomination_review_input, reason, "reason", 0, 0),
    {0}};
BINDER(nomination_review_bind, nomination_review_fields,
       "POST /api/v1/selection-nominations/{id}/review", "POST /selection-nominations/{id}/review");

static const struct bind_field dual_evaluate_fields[] = {
    BIND_TEXT(struct dual_evaluation_input, year, "year", 0, 0),
    BIND_TEXT(struct dual_evaluation_input, side, "side", 0, BIND_REQUIRED),
    BIND_TEXT(struct dual_evaluation_input, grade, "grade", 0, BIND_REQUIRED),
    BIND_TEXT(struct dual_evaluation_input, comment, "comment", 0, 0),
    {0}};
BINDER(dual_evaluate_bind, dual_evaluate_fields, "POST /api/v1/dual-reviews/{id}/evaluations",
       "POST /dual-review/{id}/evaluate");
