/* The service positions section that other pages embed (a community's or a
 * compound's page lists the stations sitting in or serving it). */
#ifndef LINLI_PAGE_STATIONS_H
#define LINLI_PAGE_STATIONS_H
#include "http/http.h"

/* <h2>党群服务阵地</h2> and a short table; nothing when the viewer may not
 * read places there. */
void page_place_stations(req *r, const char *code);

#endif
