/*
 * time.c - ISO 8601 date-times as Unix seconds (time.h).
 */
#include <ctype.h>
#include <stdbool.h>
#include <time.h>

#include "core/err.h"
#include "core/time.h"

/* @n digits at *@p into *@v, advancing *@p. */
static bool
digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return false;
		*v = *v * 10 + (**p - '0');
	}
	return true;
}

/* "hh:mm[:ss[.fff]]" after the date; *@p is past it. */
static bool
clock_part(const char **p, struct tm *tm)
{
	if (!digits(p, 2, &tm->tm_hour) || *(*p)++ != ':' || !digits(p, 2, &tm->tm_min))
		return false;
	if (**p == ':') {
		(*p)++;
		if (!digits(p, 2, &tm->tm_sec))
			return false;
		if (**p == '.' || **p == ',') {
			(*p)++;
			if (!isdigit((unsigned char)**p))
				return false;
			while (isdigit((unsigned char)**p))
				(*p)++;
		}
	}
	return tm->tm_hour < 24 && tm->tm_min < 60 && tm->tm_sec < 61;
}

/* "Z", "+hh:mm", "-hh:mm" or nothing: the offset east of UTC in seconds. */
static bool
zone(const char *p, int64_t *off)
{
	int h, m, sign;

	*off = 0;
	if (*p == '\0' || (p[0] == 'Z' && p[1] == '\0'))
		return true;
	if (*p != '+' && *p != '-')
		return false;
	sign = *p++ == '-' ? -1 : 1;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &m) || *p != '\0' || h > 23 ||
	    m > 59)
		return false;
	*off = sign * (int64_t)(h * 3600 + m * 60);
	return true;
}

int
vg_time_parse_iso(const char *s, int64_t *out)
{
	struct tm tm = {0};
	const char *p = s;
	int64_t off;

	if (s == NULL || !digits(&p, 4, &tm.tm_year) || *p++ != '-' || !digits(&p, 2, &tm.tm_mon) ||
	    *p++ != '-' || !digits(&p, 2, &tm.tm_mday))
		return VG_EINVAL;
	if ((*p == 'T' || *p == ' ') && p[1] != '\0') {
		p++;
		if (!clock_part(&p, &tm))
			return VG_EINVAL;
	}
	if (!zone(p, &off) || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31)
		return VG_EINVAL;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (int64_t)timegm(&tm) - off;
	return VG_OK;
}
