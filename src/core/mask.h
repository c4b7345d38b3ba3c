/* Masking of personal data (身份证号, phone, name) for lists and exports, and the
 * phone-number shape check. Lists show masked values unless the viewer's role
 * may reveal them; one place decides what "masked" looks like, so pages, API
 * and CSV agree. Pure: C standard library only.
 *
 * All mask_* functions: NULL or empty `in` gives an empty `out`; `out` is always
 * NUL-terminated when outsz > 0 and never receives a partial UTF-8 sequence (a
 * too-small buffer truncates at a character boundary). Counting is by UTF-8
 * character, so a stray multi-byte character is masked as one character; an
 * invalid byte counts as one character and is shown as '?' if kept. */
#ifndef LINLI_MASK_H
#define LINLI_MASK_H
#include <stdbool.h>
#include <stddef.h>

/* 18 characters → first 6 + 8 '*' + last 4 ("140930********123X"). Other
 * lengths n: n ≥ 12 keeps 6 + 4, shorter keeps n/3 + n/4; at least one '*'. */
void mask_id_number(const char *in, char *out, size_t outsz);

/* 11 characters → first 3 + "****" + last 4 ("138****1234"). Other lengths n keep
 * the same proportion: head n*3/11, tail n*4/11, the middle starred
 * ("0350-1234567" → "035*****4567"); at least one '*'. */
void mask_phone(const char *in, char *out, size_t outsz);

/* First character + one '*' per remaining character: "张三丰" → "张**",
 * "欧阳娜娜" → "欧***", "张" → "张". */
void mask_name(const char *in, char *out, size_t outsz);

/* A mainland mobile (11 digits, 1[3-9]…) or a landline: area code 0 + 2–3
 * digits, an optional '-', a local number of 7–8 digits not starting with 0,
 * and an optional extension "-1234" (1–6 digits): "0350-1234567",
 * "010-12345678", "03501234567". No spaces, no +86. */
bool phone_valid(const char *s);

#endif
