/* The small pieces every page is made of — a definition row, a figure, a
 * labelled input or select, a one-button form — written once, escaping what
 * they are given. Page files use these instead of local copies. */
#ifndef LINLI_UI_H
#define LINLI_UI_H
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

/* <dt>label</dt><dd>value</dd>; "—" when value is NULL or empty. */
void ui_row(buf *o, const char *label, const char *value);
void ui_row_n(buf *o, const char *label, int64_t value);

/* A figure of a KPI strip: <div><strong>value</strong><span>label</span></div>. */
void ui_kpi(buf *o, const char *value, const char *label);
void ui_kpi_n(buf *o, long long value, const char *label);

/* <label for=name>label</label><input id=name name=name value=…>; attrs is
 * literal markup this code wrote (type="date" required …), "" for none. */
void ui_input(buf *o, const char *name, const char *label, const char *value, const char *attrs);

/* A labelled select over {value, text} pairs ending with {NULL, NULL}. */
void ui_select(buf *o, const char *name, const char *label, const char *const (*options)[2],
               const char *selected);

/* A form of one button posting to action (a path this code built), with the
 * CSRF field. */
void ui_post_button(req *r, const char *action, const char *label, bool primary);

/* The submitted value when re-showing a refused form, else the stored one. */
const char *ui_value(req *r, const char *name, const char *stored);

#endif
