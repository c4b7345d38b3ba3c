/* Micro-wishes 微心愿: the vocabulary (kinds, states) and the small rules that
 * need no database — what a date looks like, when a wish is overdue, which
 * states are on the public wall. Pure: C standard library only. */
#ifndef LINLI_WISH_RULE_H
#define LINLI_WISH_RULE_H
#include <stdbool.h>

/* resident 居民心愿, child 困境儿童心愿, elder 老人心愿; NULL when unknown. */
const char *wish_kind_zh(const char *kind);
/* pending 待审核, rejected 未通过, published 待认领, claimed 已认领,
 * fulfilled 待确认, achieved 已达成; the id itself when unknown. */
const char *wish_state_zh(const char *state);
bool wish_state_known(const char *state);
/* States shown on the wall 心愿墙 (published and after). */
bool wish_state_public(const char *state);
/* A real calendar day written YYYY-MM-DD. */
bool wish_date_valid(const char *s);
/* Overdue: wanted by a day before today (YYYY-MM-DD) and not yet fulfilled. */
bool wish_overdue(const char *wanted_by, const char *today, const char *state);

#endif
