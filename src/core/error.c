#include "core/error.h"

static const struct {
    int status;
    const char *code;
    const char *zh;
} errors[E__COUNT] = {
    [E_OK] = {200, "ok", "成功"},
    [E_BAD_INPUT] = {400, "bad_request", "请求有误，请检查填写的内容"},
    [E_UNAUTHORIZED] = {401, "unauthorized", "请先登录"},
    [E_FORBIDDEN] = {403, "forbidden", "没有权限进行此操作"},
    [E_NOT_FOUND] = {404, "not_found", "找不到该内容，或不在您的管辖范围内"},
    [E_METHOD] = {405, "method_not_allowed", "不支持该请求方式"},
    [E_CONFLICT] = {409, "conflict", "数据已被修改或已存在，请刷新后重试"},
    [E_TOO_LARGE] = {413, "payload_too_large", "提交的内容过大"},
    [E_UNPROCESSABLE] = {422, "invalid", "填写的内容不符合要求"},
    [E_RATE_LIMITED] = {429, "rate_limited", "尝试次数过多，请稍后再试"},
    [E_CSRF] = {403, "csrf", "页面已过期，请刷新后重新提交"},
    [E_INTERNAL] = {500, "internal", "系统内部错误，请稍后再试"},
    [E_UNAVAILABLE] = {503, "unavailable", "系统繁忙，请稍后再试"},
    [E_ALREADY_TAKEN] = {409, "already_taken", "已被他人接单"},
};

int err_http_status(err_code e)
{
    return (e > 0 && e < E__COUNT) ? errors[e].status : 500;
}

const char *err_api_code(err_code e)
{
    return (e >= 0 && e < E__COUNT) ? errors[e].code : "internal";
}

const char *err_message_zh(err_code e)
{
    return (e >= 0 && e < E__COUNT) ? errors[e].zh : errors[E_INTERNAL].zh;
}
