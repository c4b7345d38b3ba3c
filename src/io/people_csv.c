/* Encoding detection and CSV records for the people import. See people_csv.h.
 *
 * Detection is by validity, not by guessing: text that is well-formed UTF-8 is
 * UTF-8 (GB18030 Chinese text practically never is), anything else must
 * convert cleanly from GB18030 (a superset of GBK and GB2312) with iconv(3).
 *
 * libcsv does not report positions, so the text is fed to it one physical line
 * at a time; a record starts on the first line fed while the parser was between
 * records, which gives the right line even for quoted fields that hold line
 * breaks. */
#include "io/people_csv.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool people_csv_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF)
            n = 2, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4, cp = c & 0x07, min = 0x10000;
        else
            return false;
        if ((size_t)(end - p) < n) return false;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        p += n;
    }
    return true;
}

static const char *from_gb18030(arena *a, const char *data, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return NULL;
    /* 2 bytes become at most 3, 4 bytes at most 4, ASCII stays 1 */
    size_t cap = len * 2 + 4;
    char *out = arena_alloc(a, cap);
    char *in = (char *)(uintptr_t)data; /* iconv's prototype wants a non-const pointer */
    char *o = out;
    size_t in_left = len, out_left = cap - 1;
    size_t rc = iconv(cd, &in, &in_left, &o, &out_left);
    if (rc != (size_t)-1) rc = iconv(cd, NULL, NULL, &o, &out_left);
    iconv_close(cd);
    if (rc == (size_t)-1 || in_left != 0) return NULL;
    *o = 0;
    *out_len = (size_t)(o - out);
    return out;
}

const char *people_csv_to_utf8(arena *a, const char *data, size_t len, size_t max_bytes,
                               size_t *out_len, const char **encoding, const char **err_zh)
{
    *err_zh = NULL;
    *encoding = NULL;
    if (max_bytes && len > max_bytes) {
        *err_zh = arena_printf(a, "文件超过 %zu MiB 的上限，请分成几个文件导入",
                               max_bytes / (1024u * 1024u));
        return NULL;
    }
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        *err_zh = "这是 Excel 工作簿（.xlsx），请在 Excel 中「另存为」CSV 文件后再导入";
        return NULL;
    }
    if (len >= 2 && ((unsigned char)data[0] == 0xFF || (unsigned char)data[0] == 0xFE) &&
        ((unsigned char)data[1] == 0xFE || (unsigned char)data[1] == 0xFF)) {
        *err_zh = "文件是 UTF-16 编码，请另存为「CSV UTF-8」或普通 CSV 后再导入";
        return NULL;
    }
    if (memchr(data, 0, len)) {
        *err_zh = "文件含有二进制内容，不是 CSV 文本文件";
        return NULL;
    }
    const char *text = NULL;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        if (!people_csv_utf8_valid(data + 3, len - 3)) {
            *err_zh = "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8 编码";
            return NULL;
        }
        text = arena_strndup(a, data + 3, len - 3);
        *out_len = len - 3;
        *encoding = "UTF-8 (BOM)";
    } else if (people_csv_utf8_valid(data, len)) {
        text = arena_strndup(a, data, len);
        *out_len = len;
        *encoding = "UTF-8";
    } else {
        text = from_gb18030(a, data, len, out_len);
        if (!text) {
            *err_zh = "无法识别文件编码：请保存为 UTF-8 或 GB18030（GBK）编码的 CSV 文件";
            return NULL;
        }
        /* GB18030 has its own byte-order mark; it converts to U+FEFF */
        if (*out_len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
            text += 3;
            *out_len -= 3;
        }
        *encoding = "GB18030";
    }
    return text;
}

struct parse_state {
    arena *a;
    const char **fields; /* the record being read (malloc'd, grows) */
    int nfields, capfields;
    struct csv_record *recs; /* malloc'd, copied to the arena at the end */
    int n, cap, max;
    int start_line; /* where the record being read started */
    bool ended;     /* a record ended during the current feed */
    bool too_many, oom;
};

/* Length of the space at p (ASCII or U+3000 ideographic), 0 if none. */
static size_t space_at(const char *p, const char *end)
{
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') return 1;
    if (end - p >= 3 && memcmp(p, "\xE3\x80\x80", 3) == 0) return 3;
    return 0;
}

static const char *trimmed(arena *a, const char *s, size_t len)
{
    const char *end = s + len;
    for (size_t k; s < end && (k = space_at(s, end)) != 0;) s += k;
    for (;;) {
        if (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
            end--;
        else if (end - s >= 3 && memcmp(end - 3, "\xE3\x80\x80", 3) == 0)
            end -= 3;
        else
            break;
    }
    return arena_strndup(a, s, (size_t)(end - s));
}

static void on_field(void *s, size_t len, void *data)
{
    struct parse_state *st = data;
    if (st->oom || st->too_many) return;
    if (st->nfields == st->capfields) {
        int cap = st->capfields ? st->capfields * 2 : 32;
        const char **f = realloc(st->fields, (size_t)cap * sizeof *f);
        if (!f) {
            st->oom = true;
            return;
        }
        st->fields = f;
        st->capfields = cap;
    }
    st->fields[st->nfields++] = trimmed(st->a, s ? s : "", s ? len : 0);
}

static void on_record(int c, void *data)
{
    (void)c;
    struct parse_state *st = data;
    st->ended = true;
    int nf = st->nfields;
    st->nfields = 0;
    if (st->oom || st->too_many) return;
    bool blank = true;
    for (int i = 0; i < nf && blank; i++)
        if (st->fields[i][0]) blank = false;
    if (blank) return; /* ",,,," lines that spreadsheets leave behind */
    if (st->n == st->max) {
        st->too_many = true;
        return;
    }
    if (st->n == st->cap) {
        int cap = st->cap ? st->cap * 2 : 256;
        struct csv_record *r = realloc(st->recs, (size_t)cap * sizeof *r);
        if (!r) {
            st->oom = true;
            return;
        }
        st->recs = r;
        st->cap = cap;
    }
    const char **f = arena_alloc(st->a, (size_t)nf * sizeof *f);
    memcpy(f, st->fields, (size_t)nf * sizeof *f);
    st->recs[st->n++] = (struct csv_record){.line = st->start_line, .nfields = nf, .fields = f};
}

static bool blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return false;
    return true;
}

/* Length of the physical line at s (with its terminator: LF, CRLF or a lone CR). */
static size_t line_len(const char *s, const char *end)
{
    const char *p = s;
    while (p < end && *p != '\n' && *p != '\r') p++;
    if (p < end) p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
    return (size_t)(p - s);
}

bool people_csv_parse(arena *a, const char *text, size_t len, int max_records,
                      struct csv_table *out, int *err_line, const char **err_zh)
{
    *err_line = 0;
    *err_zh = NULL;
    out->recs = NULL;
    out->n = 0;
    struct csv_parser p;
    /* strict: a stray quote is reported with its line rather than guessed at */
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        *err_zh = "内存不足";
        return false;
    }
    struct parse_state st = {.a = a, .max = max_records, .start_line = 1};
    const char *s = text, *end = text + len;
    bool between = true;
    bool ok = true;
    for (int line = 1; s < end && ok; line++) {
        size_t n = line_len(s, end);
        if (between) st.start_line = line;
        st.ended = false;
        if (csv_parse(&p, s, n, on_field, on_record, &st) != n) {
            ok = false;
            if (csv_error(&p) == CSV_EPARSE) {
                *err_line = line;
                *err_zh = "引号使用不正确：字段中的英文双引号要写成两个（\"\"），"
                          "含逗号或换行的字段要整个用英文双引号括起来";
            }
        }
        between = st.ended || (between && blank_line(s, n));
        s += n;
        if (st.too_many || st.oom) ok = false;
    }
    if (ok && csv_fini(&p, on_field, on_record, &st) != 0) {
        *err_line = st.start_line;
        *err_zh = "引号没有闭合（从这一行开始的字段缺少结束的英文双引号）";
        ok = false;
    }
    if (st.too_many || st.oom) ok = false; /* also from the last record, at csv_fini */
    if (!ok && !*err_zh) {
        if (st.too_many)
            *err_zh =
                arena_printf(a, "文件超过 %d 行数据的上限，请分成几个文件导入", max_records - 1);
        else
            *err_zh = "内存不足，无法读取文件";
    }
    csv_free(&p);
    free(st.fields);
    if (ok) {
        out->recs = arena_alloc(a, (size_t)(st.n ? st.n : 1) * sizeof *out->recs);
        if (st.n) memcpy(out->recs, st.recs, (size_t)st.n * sizeof *out->recs);
        out->n = st.n;
    }
    free(st.recs);
    return ok;
}
