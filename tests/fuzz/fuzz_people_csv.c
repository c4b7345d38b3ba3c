/* fuzz_people_csv: an uploaded people ledger as the import reads it, before any
 * domain rule: people_csv_to_utf8() (UTF-8 with or without BOM, GB18030 through
 * iconv, the refusals of .xlsx, UTF-16 and binary files) and then
 * people_csv_parse() (libcsv fed line by line, trimmed fields, the line each
 * record starts on, the row limit).
 *
 * The input is the file's bytes. Beyond "no crash", the target checks:
 *   - the text handed on is NUL-terminated UTF-8 of the length reported, and
 *     well-formed UTF-8 without a BOM comes back unchanged as "UTF-8";
 *   - records start on increasing lines within the text, no record is blank,
 *     and every field is trimmed of ASCII space and U+3000;
 *   - the row limit is exact: a table read under no practical limit is read
 *     identically under a limit of its own size, and refused under one less. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/people_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (ok) return;
    fprintf(stderr, "fuzz_people_csv: %s\n", what);
    abort();
}

static bool is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int count_lines(const char *s, size_t len)
{
    int n = 1;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))) n++;
    return n;
}

static void check_table(const struct csv_table *t, int lines)
{
    int last = 0;
    for (int i = 0; i < t->n; i++) {
        const struct csv_record *rec = &t->recs[i];
        check(rec->line > last && rec->line <= lines, "record lines out of order");
        last = rec->line;
        check(rec->nfields > 0, "a record without fields");
        bool blank = true;
        for (int k = 0; k < rec->nfields; k++) {
            const char *f = rec->fields[k];
            check(f != NULL, "a NULL field");
            size_t n = strlen(f);
            if (n) blank = false;
            check(!n || (!is_space_byte(f[0]) && !is_space_byte(f[n - 1])), "untrimmed field");
            check(strncmp(f, "\xE3\x80\x80", 3) != 0, "field starts with U+3000");
            check(n < 3 || memcmp(f + n - 3, "\xE3\x80\x80", 3) != 0, "field ends with U+3000");
        }
        check(!blank, "a blank record was kept");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    const char *in = (const char *)data;
    size_t len = 0;
    const char *enc = NULL, *err = NULL;
    const char *text = people_csv_to_utf8(a, in, size, PEOPLE_CSV_MAX_BYTES, &len, &enc, &err);
    if (!text) {
        check(err && *err, "refused without a reason");
        arena_free(a);
        return 0;
    }
    check(enc && (!strcmp(enc, "UTF-8") || !strcmp(enc, "UTF-8 (BOM)") || !strcmp(enc, "GB18030")),
          "unknown encoding name");
    check(text[len] == '\0' && strlen(text) == len, "text length or NUL wrong");
    check(people_csv_utf8_valid(text, len), "text is not UTF-8");
    if (!strcmp(enc, "UTF-8")) check(len == size && !memcmp(text, in, size), "UTF-8 was changed");
    if (size >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) check(!strcmp(enc, "UTF-8 (BOM)"), "BOM lost");

    struct csv_table t;
    int eline = 0;
    const char *ezh = NULL;
    bool ok = people_csv_parse(a, text, len, PEOPLE_CSV_MAX_ROWS + 1, &t, &eline, &ezh);
    int lines = count_lines(text, len);
    if (!ok) {
        check(ezh && *ezh && eline >= 0 && eline <= lines, "failure without a reason or line");
    } else {
        check(t.n >= 0 && (t.n == 0 || t.recs), "bad table");
        check_table(&t, lines);
        if (t.n > 0) {
            /* The limit counts records: exactly n fits, n - 1 does not. */
            struct csv_table t2;
            check(people_csv_parse(a, text, len, t.n, &t2, &eline, &ezh) && t2.n == t.n,
                  "a table refused under a limit of its own size");
            for (int i = 0; i < t.n; i++) {
                check(t2.recs[i].line == t.recs[i].line && t2.recs[i].nfields == t.recs[i].nfields,
                      "a second read differs");
                for (int k = 0; k < t.recs[i].nfields; k++)
                    check(!strcmp(t2.recs[i].fields[k], t.recs[i].fields[k]),
                          "a second read differs in a field");
            }
            check(!people_csv_parse(a, text, len, t.n - 1, &t2, &eline, &ezh) && ezh,
                  "a limit of n - 1 records let n through");
        }
    }
    arena_free(a);
    return 0;
}
