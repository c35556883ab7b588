/*
 * ids.h - shape checks of identifiers and dates that several importers
 * validate (private to src/feeds; header-only so that it needs no build
 * change).
 */
#ifndef VG_FEEDS_IDS_H
#define VG_FEEDS_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/str.h"

#define VG_CVE_ID_MAX 28 /* "CVE-" + 4 + "-" + 19 digits, the longest CVE id */

/** Is @s all ASCII digits (and not empty)? */
static inline bool
vg_id_digits(struct vg_str s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return true;
}

/** Is @s a CVE id, "CVE-YYYY-NNNN" with 4 to 19 digits after the year (the CVE schema's rule)? */
static inline bool
vg_id_is_cve(struct vg_str s)
{
	return s.len >= 13 && s.len <= VG_CVE_ID_MAX && memcmp(s.p, "CVE-", 4) == 0 &&
	       vg_id_digits(vg_str_n(s.p + 4, 4)) && s.p[8] == '-' &&
	       vg_id_digits(vg_str_n(s.p + 9, s.len - 9));
}

/** Is @s a calendar date "YYYY-MM-DD" (proleptic Gregorian, leap years checked)? */
static inline bool
vg_id_is_date(struct vg_str s)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-' || !vg_id_digits(vg_str_n(s.p, 4)) ||
	    !vg_id_digits(vg_str_n(s.p + 5, 2)) || !vg_id_digits(vg_str_n(s.p + 8, 2)))
		return false;
	y = (s.p[0] - '0') * 1000 + (s.p[1] - '0') * 100 + (s.p[2] - '0') * 10 + (s.p[3] - '0');
	m = (s.p[5] - '0') * 10 + (s.p[6] - '0');
	d = (s.p[8] - '0') * 10 + (s.p[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d != 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

#endif /* VG_FEEDS_IDS_H */
