/* Files compiled into the binary (tools/embed.sh): SQL migrations, page
 * assets, the demo county's division extract. */
#ifndef LINLI_EMBED_H
#define LINLI_EMBED_H
#include <stddef.h>

struct embedded_file {
    const char *name;          /* path relative to the source tree */
    const unsigned char *data; /* NUL-terminated for convenience */
    size_t len;
};

extern const struct embedded_file embedded_files[];

/* Returns the embedded file with this exact name, or NULL. */
const struct embedded_file *embed_find(const char *name);

#endif
