/* linli routes — prints the route table as JSON, for the tests that check the
 * OpenAPI document against it and try every route for every role (in the
 * manner of Fossil's test-* commands). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"

static int cmd_routes(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    json_t *a = json_array();
    for (const struct route *rt = routes_begin(); rt < routes_end(); rt++) {
        json_t *o =
            json_pack("{s:s, s:s, s:b, s:b, s:b}", "method", rt->method, "path", rt->pattern, "api",
                      (rt->flags & R_API) != 0, "public", (rt->flags & R_PUBLIC) != 0,
                      "csrf_exempt", (rt->flags & R_NO_CSRF) != 0);
        json_object_set_new(o, "cap", rt->cap ? json_string(rt->cap) : json_null());
        json_object_set_new(o, "id_entity",
                            rt->id_entity ? json_string(rt->id_entity) : json_null());
        /* the declared type of each {param}: "id" (1..INT64_MAX) or "text" */
        json_t *params = json_object();
        for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
            const char *e = strchr(p, '}');
            if (!e) break;
            char *name = strndup(p + 1, (size_t)(e - p - 1));
            if (!name) abort();
            json_object_set_new(params, name,
                                json_string(router_param_type(name) == PARAM_ID ? "id" : "text"));
            free(name);
        }
        json_object_set_new(o, "params", params);
        json_object_set_new(o, "summary", json_string(rt->summary ? rt->summary : ""));
        json_array_append_new(a, o);
    }
    char *s = json_dumps(a, JSON_INDENT(1));
    puts(s);
    free(s);
    json_decref(a);
    return 0;
}
COMMAND("routes", cmd_routes, "列出全部路由（测试用）/ print the route table as JSON",
        "用法 usage: linli routes\n\n以 JSON 列出全部网页与 API 路由。\nPrints every page and API "
        "route as JSON.\n");
