/*
 * probe_int.h - helpers shared by probe.c, probe_conf.c and probe_sys.c
 * (not part of the probe API).  Strings returned live in the probe's arena.
 */
#ifndef VG_POLICY_PROBE_INT_H
#define VG_POLICY_PROBE_INT_H

#include <stddef.h>

#include "core/str.h"
#include "policy/probe.h"

/** Copy @s into the probe's arena. */
const char *vg_probe_strs(struct vg_probe *p, struct vg_str s);

/** Fill @v with copies of @value and @file and @line. */
void vg_probe_set(struct vg_probe *p, struct vg_probe_value *v, struct vg_str value,
		  const char *file, int line);

/**
 * Names (not paths) in directory @dir under the root ending with @suffix,
 * not starting with '.', sorted bytewise; at most VG_PROBE_MAX_DIRENTS.
 * Errors as vg_probe_resolve() and opendir().
 */
int vg_probe_list(struct vg_probe *p, const char *dir, const char *suffix,
		  const char ***names /* OUT */, size_t *n /* OUT */) VG_MUST_CHECK;

/**
 * The "*.conf" files of the directories @dirs (NULL-terminated, highest
 * priority first) as systemd and kmod merge them: a name in a directory
 * of higher priority masks the same name below; the result is sorted by
 * file name.  Returns the count; *@files are "DIR/NAME" paths.
 */
size_t vg_probe_conf_files(struct vg_probe *p, const char *const *dirs,
			   const char ***files /* OUT */);

#endif /* VG_POLICY_PROBE_INT_H */
