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

/* Every operation that changes something takes Idempotency-Key (see
 * http/idempotency.h): documented once, in 00_base.json, and attached here to
 * each such operation with the refusals it brings, rather than in every
 * fragment. Public operations (login, sign-up) have no caller to keep a key
 * for and do not take it. */
static void attach_idempotency(json_t *doc)
{
    static const char *const unsafe[] = {"post", "put", "patch", "delete"};
    const char *path;
    json_t *ops;
    json_object_foreach(json_object_get(doc, "paths"), path, ops)
    {
        for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++) {
            json_t *op = json_object_get(ops, unsafe[i]);
            if (!json_is_object(op)) continue;
            json_t *sec = json_object_get(op, "security");
            if (json_is_array(sec) && json_array_size(sec) == 0) continue;
            json_t *params = json_object_get(op, "parameters");
            if (!json_is_array(params)) {
                params = json_array();
                json_object_set_new(op, "parameters", params);
            }
            json_array_append_new(
                params, json_pack("{s:s}", "$ref", "#/components/parameters/IdempotencyKey"));
            json_t *responses = json_object_get(op, "responses");
            if (!json_is_object(responses)) continue;
            static const char *const refusals[] = {"409", "422"};
            for (size_t k = 0; k < 2; k++)
                if (!json_object_get(responses, refusals[k]))
                    json_object_set_new(responses, refusals[k],
                                        json_pack("{s:s}", "$ref", "#/components/responses/Error"));
        }
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
    attach_idempotency(doc);
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
