/* The checks of `linli import divisions` (src/io/division_import.c) on files
 * held in memory, without a database: what the tests and the fuzzer drive. */
#ifndef LINLI_IO_DIVISION_IMPORT_H
#define LINLI_IO_DIVISION_IMPORT_H
#include <stddef.h>
#include <stdio.h>

/* provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv, in this order. */
#define DIVISION_FILES 5

/* Reads and checks the five files exactly as the import does (the same
 * parser, rules and messages), except that a parent must be in an earlier
 * file since there is no database. Lists the errors on err ("file:line: …",
 * at most 50; NULL lists none), fills rows[] (may be NULL) with the rows
 * accepted per file, and returns the number of errors. Writes nothing. */
long division_check(const char *const data[DIVISION_FILES], const size_t len[DIVISION_FILES],
                    const char *province, FILE *err, long rows[DIVISION_FILES]);

#endif
