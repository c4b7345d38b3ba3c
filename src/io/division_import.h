/* The division import (`linli import divisions`, src/cli/cmd_import.c), and
 * its checks on files held in memory, without a database: what the tests and
 * the fuzzer drive. */
#ifndef LINLI_IO_DIVISION_IMPORT_H
#define LINLI_IO_DIVISION_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "store/store_places_write.h"

/* provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv, in this order. */
#define DIVISION_FILES 5

/* Reads and checks the five files exactly as the import does (the same
 * parser, rules and messages), except that a parent must be in an earlier
 * file since there is no database. Lists the errors on err ("file:line: …",
 * at most 50; NULL lists none), fills rows[] (may be NULL) with the rows
 * accepted per file, and returns the number of errors. Writes nothing. */
long division_check(const char *const data[DIVISION_FILES], const size_t len[DIVISION_FILES],
                    const char *province, FILE *err, long rows[DIVISION_FILES]);

/* The Chinese name of file i's level ("省" … "村社区"). */
const char *division_level_zh(int file);
/* A --province filter: two digits. */
bool division_province_valid(const char *province);

struct division_result {
    long rows[DIVISION_FILES]; /* rows taken per file */
    long errors, shown;        /* errors found, and listed on err (at most 50) */
    struct places_counts counts;
};
enum { DIVISION_OK, DIVISION_INVALID, DIVISION_BUSY, DIVISION_WRITE_FAILED };

/* Imports dir's five files into places, all or nothing, in one transaction
 * with one audit entry. Errors are listed on err. DIVISION_INVALID: bad rows,
 * nothing imported; DIVISION_BUSY: no transaction could begin;
 * DIVISION_WRITE_FAILED: the database refused the writes (db_errmsg). */
int division_import(db *d, arena *a, const char *dir, const char *province, FILE *err,
                    struct division_result *out);

#endif
