/* Importers behind `linli import` (argv[0] is "divisions" / "people"). */
#ifndef LINLI_IO_IMPORT_H
#define LINLI_IO_IMPORT_H

int import_divisions_main(int argc, char **argv); /* src/io/division_import.c */
int import_people_main(int argc, char **argv);    /* src/io/people_import.c */

#endif
