/* The data-scope predicate, pasted into store queries at compile time so the
 * SQL stays a static literal. It is true when the account holds, through some
 * grant, the capability over a place subtree containing the given code column.
 * It takes two parameters, in order: account id, capability.
 * Subtree test: codes are materialised paths (140930 ⊃ 140930100 ⊃ …), and ':'
 * sorts right after '9', so [lo, lo || ':') is exactly the subtree. */
#ifndef LINLI_SCOPE_H
#define LINLI_SCOPE_H

#define SCOPE_COVERS(col)                                                                          \
    " EXISTS (SELECT 1 FROM scope_ranges s JOIN role_caps rc ON rc.role = s.role"                  \
    " WHERE s.account_id = ? AND rc.cap = ? AND " col " >= s.lo AND " col " < s.lo || ':') "

#endif
