/* GET /api/v1/openapi.json — the OpenAPI 3 document, assembled once from the
 * fragments in web/openapi/ (*.json) (one per API area, so each area documents
 * its own routes): their "paths" and "components" are merged in name order. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "util/embed.h"

static char *document;
static size_t document_len;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void merge_objects(json_t *into, json_t *from)
{
    const char *k;
    json_t *v;
    json_object_foreach(from, k, v)
    {
        json_t *cur = json_object_get(into, k);
        if (json_is_object(cur) && json_is_object(v))
            merge_objects(cur, v);
        else
            json_object_set(into, k, v);
    }
}

static void build(void)
{
    json_t *doc = NULL;
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        if (strncmp(f->name, "web/openapi/", 12) != 0) continue;
        json_error_t je;
        json_t *part = json_loadb((const char *)f->data, f->len, 0, &je);
        if (!part) {
            fprintf(stderr, "linli: %s:%d: %s\n", f->name, je.line, je.text);
            abort(); /* a broken document is a build defect, caught by every test run */
        }
        if (!doc)
            doc = part;
        else {
            merge_objects(doc, part);
            json_decref(part);
        }
    }
    document = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    document_len = strlen(document);
    json_decref(doc);
}

static err_code api_openapi(req *r)
{
    pthread_once(&once, build);
    http_header(r, "Cache-Control", "public, max-age=300");
    return http_bytes(r, 200, "application/json; charset=utf-8", document, document_len);
}
ROUTE("GET", "/api/v1/openapi.json", api_openapi, NULL, R_API | R_PUBLIC, NULL, "OpenAPI 文档");
