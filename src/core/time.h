/*
 * time.h - ISO 8601 date-times from the feeds, as Unix seconds.
 */
#ifndef VG_CORE_TIME_H
#define VG_CORE_TIME_H

#include <stdint.h>

#include "core/compiler.h"

/**
 * Parse @s: "YYYY-MM-DD", optionally followed by "T" or " " and
 * "hh:mm[:ss[.fraction]]" and "Z" or "+hh:mm"/"-hh:mm" (no zone: UTC), as
 * the feeds write them; the fraction is dropped.  Stores Unix seconds in
 * *@out.  VG_EINVAL for anything else (NULL included) or out-of-range
 * fields.
 */
int vg_time_parse_iso(const char *s, int64_t *out /* OUT */) VG_MUST_CHECK;

#endif /* VG_CORE_TIME_H */
