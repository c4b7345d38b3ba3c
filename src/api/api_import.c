/* POST /api/v1/imports/people (CSV upload, ?dry_run=1 to check only) and
 * GET /api/v1/exports/people (CSV or .xlsx). The work is in src/io/. */
#include <string.h>
#include <strings.h>

#include "core/roles.h"
#include "http/http.h"
#include "http/json_out.h"
#include "io/people_export.h"
#include "io/people_import.h"

static bool truthy(const char *v)
{
    return v && (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"));
}

static json_t *report_json(const struct import_report *rep, bool dry_run)
{
    json_t *errors = json_array();
    for (int i = 0; i < rep->nerrors; i++) {
        const struct import_error *e = &rep->errors[i];
        json_t *o = json_object();
        json_object_set_new(o, "line", e->line > 0 ? json_integer(e->line) : json_null());
        json_set_str(o, "column", e->column);
        json_set_str(o, "message", e->message);
        json_array_append_new(errors, o);
    }
    json_t *o = json_object();
    json_set_bool(o, "dry_run", dry_run);
    json_set_str(o, "encoding", rep->encoding);
    json_set_int(o, "rows", rep->rows);
    json_set_int(o, "imported", rep->imported);
    json_set_int(o, "party_members", rep->party_members);
    json_set_int(o, "volunteers", rep->volunteers);
    json_object_set_new(o, "errors", errors);
    return o;
}

static err_code api_import_people(req *r)
{
    const char *data = NULL, *filename = req_query(r, "filename");
    size_t len = 0;
    if (r->content_type && !strncasecmp(r->content_type, "multipart/form-data", 19)) {
        const struct form_field *f = req_file(r, "file");
        if (!f) return http_fail(r, E_BAD_INPUT, "file", "请在表单字段 file 中上传 CSV 文件");
        data = f->value;
        len = f->len;
        if (f->filename && *f->filename) filename = f->filename;
    } else if (r->json || r->form) {
        return http_fail(r, E_BAD_INPUT, "file",
                         "请以 text/csv 请求体或 multipart/form-data 的 file 字段上传 CSV 文件");
    } else {
        data = r->body;
        len = r->body_len;
    }
    if (!data || len == 0) return http_fail(r, E_BAD_INPUT, "file", "上传的文件是空的");
    bool dry_run = truthy(req_query(r, "dry_run"));
    struct import_report rep;
    int rc = people_import(r->db, r->a, r->me, filename ? filename : "upload.csv", data, len,
                           dry_run, &rep);
    if (rc == IMPORT_FAILED) return E_INTERNAL;
    json_t *body = report_json(&rep, dry_run);
    if (rc == IMPORT_INVALID) {
        /* also an ordinary API error, so generic clients see why */
        json_object_set_new(
            body, "error",
            json_pack("{s:s, s:s, s:s}", "code", err_api_code(E_UNPROCESSABLE), "message",
                      arena_printf(r->a, "发现 %d 处错误，未导入任何数据", rep.nerrors), "field",
                      "file"));
        return http_json(r, 422, body);
    }
    return http_json(r, dry_run ? 200 : 201, body);
}
ROUTE("POST", "/api/v1/imports/people", api_import_people, CAP_PEOPLE_IMPORT, R_API, NULL,
      "导入居民与党员（CSV；dry_run=1 只检查）");

static int to_response(void *ctx, const char *data, size_t len)
{
    buf_raw(ctx, data, len);
    return 0;
}

static err_code api_export_people(req *r)
{
    int f = people_export_format(req_query(r, "format"));
    if (f < 0) return http_fail(r, E_BAD_INPUT, "format", "format 应为 csv 或 xlsx");
    const char *place = req_query(r, "place");
    buf_reset(&r->out);
    struct export_sink sink = {to_response, &r->out};
    int rows = 0;
    const char *why = NULL;
    err_code e =
        people_export(r->db, r->a, r->me, place, (enum export_format)f, &sink, &rows, &why);
    if (e != E_OK)
        return http_fail(r, e,
                         e == E_NOT_FOUND   ? "place"
                         : e == E_BAD_INPUT ? "format"
                                            : NULL,
                         why);
    const char *name = people_export_filename(r->a, place && *place ? place : NULL, f);
    http_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"%s\"", name));
    http_header(r, "Cache-Control", "no-store");
    http_header(r, "X-Export-Rows", arena_printf(r->a, "%d", rows));
    r->status = 200;
    r->content_type_out = people_export_mime(f);
    return E_OK;
}
ROUTE("GET", "/api/v1/exports/people", api_export_people, CAP_PEOPLE_READ, R_API, NULL,
      "导出人员台账（CSV 或 Excel，脱敏）");
