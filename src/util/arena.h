/* Arena allocator: every request, command and test gets one; everything
 * allocated from it is freed together by arena_free(). Ownership stays simple:
 * nothing allocated from an arena is freed on its own. */
#ifndef LINLI_ARENA_H
#define LINLI_ARENA_H
#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);       /* zeroed, 16-byte aligned; aborts on OOM */
char *arena_strdup(arena *a, const char *s); /* NULL stays NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

#endif
