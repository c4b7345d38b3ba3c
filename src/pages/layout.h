/* Page chrome shared by every page: head, top bar with the account's menu,
 * footer, and the Chinese error page. Pages write their body between
 * page_begin() and page_end() with the escaping writers of util/buf.h. */
#ifndef LINLI_LAYOUT_H
#define LINLI_LAYOUT_H
#include "http/http.h"

void page_begin(req *r, const char *title);
err_code page_end(req *r); /* completes r->out as a 200 page */
/* The same with another status (a form re-shown with its refusal: 400, 409…). */
err_code page_end_status(req *r, int status);
void page_error(req *r, int status, const char *message_zh);
/* <input type=hidden name=_csrf …> for forms of the logged-in account, and a
 * fresh one-time token _once that makes the form act once (http/idempotency.h). */
void page_csrf_field(req *r);
/* <p class="cls" role="alert">text</p>, nothing when text is NULL. */
void page_message(req *r, const char *cls, const char *text);
/* Formats Unix seconds in China time. */
const char *page_time(req *r, int64_t t);

#endif
