/* fuzz_division: the parsing and checks of `linli import divisions`, driven
 * from memory through division_check() (src/io/division_import.h): libcsv fed
 * line by line, the BOM, headers, code lengths and digits, ancestor columns,
 * names (UTF-8, length), duplicates and parents, the --province filter.
 *
 * Input: the five files provinces.csv … villages.csv one after another,
 * separated by a form feed (\f); missing ones are empty. An optional first
 * part "#NN" sets --province NN. Beyond "no crash", the target checks that
 * the province filter only ever narrows the import: under a filter no file
 * accepts more rows, and no more errors are found, than without it. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/division_import.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull; /* the error messages are formatted, then dropped */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull) abort();
    return 0;
}

static void check(bool ok, const char *what)
{
    if (ok) return;
    fprintf(stderr, "fuzz_division: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *end = s + size;
    char province[3] = "";
    if (size >= 4 && s[0] == '#' && s[3] == '\f') {
        /* the command line takes two digits only */
        if (s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9') memcpy(province, s + 1, 2);
        s += 4;
    }
    const char *part[DIVISION_FILES];
    size_t len[DIVISION_FILES];
    for (int i = 0; i < DIVISION_FILES; i++) {
        const char *ff = memchr(s, '\f', (size_t)(end - s));
        const char *stop = ff && i < DIVISION_FILES - 1 ? ff : end;
        part[i] = s;
        len[i] = (size_t)(stop - s);
        s = stop < end ? stop + 1 : end;
    }
    long rows[DIVISION_FILES], frows[DIVISION_FILES];
    long errors = division_check(part, len, NULL, devnull, rows);
    check(errors >= 0, "a negative error count");
    for (int i = 0; i < DIVISION_FILES; i++) {
        long lines = 0;
        for (size_t k = 0; k < len[i]; k++) lines += part[i][k] == '\n';
        check(rows[i] >= 0 && rows[i] <= lines + 1, "more rows than lines");
    }
    if (province[0]) {
        long ferrors = division_check(part, len, province, NULL, frows);
        check(ferrors <= errors, "the province filter found more errors");
        for (int i = 0; i < DIVISION_FILES; i++)
            check(frows[i] <= rows[i], "the province filter accepted more rows");
    }
    return 0;
}
