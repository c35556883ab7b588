/*
 * eval_int.h - private interface between the evaluator's files (eval.c,
 * eval_rules.c, eval_sca.c, command.c).  Not installed, not API.
 */
#ifndef VG_POLICY_EVAL_INT_H
#define VG_POLICY_EVAL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compiler.h"
#include "policy/eval.h"

/* Truth of one rule (before the check's condition combines them). */
enum vg_tri {
	VG_TRI_FALSE,
	VG_TRI_TRUE,
	VG_TRI_NA,
	VG_TRI_ERROR,
};

/*
 * Outcome of one rule.  `found` says what was found ("PermitRootLogin is
 * 'yes' (/etc/ssh/sshd_config:32)"), `want` what the rule asks ("'no'"),
 * without any `not` (the combiner adds it); for NA / ERROR `found` is the
 * whole reason and `want` is NULL.  `evidence` is "FILE:LINE: text" or
 * another short location, may be NULL.  All strings in the evaluator's arena.
 */
struct vg_outcome {
	enum vg_tri v;
	const char *found;
	const char *want;
	const char *want_not; /* what `not` asks, when "not " + want reads badly; may be NULL */
	const char *evidence;
};

/* Regex flags for vg_eval_regex(). */
enum vg_eval_re_flags {
	VG_RE_CASELESS = 1 << 0,
	VG_RE_OSREGEX = 1 << 1, /* the pattern is OS_Regex: translate it first */
};

/** printf into the evaluator's arena. */
const char *vg_eval_fmt(struct vg_evaluator *ev, const char *fmt, ...) VG_PRINTF(2, 3);

/** An NA / ERROR outcome with a formatted reason. */
struct vg_outcome vg_eval_na(struct vg_evaluator *ev, const char *fmt, ...) VG_PRINTF(2, 3);
struct vg_outcome vg_eval_err(struct vg_evaluator *ev, const char *fmt, ...) VG_PRINTF(2, 3);

/** An outcome for a probe error code on @what (ENOTFOUND is not handled here). */
struct vg_outcome vg_eval_io(struct vg_evaluator *ev, int code, const char *what);

/**
 * Match @pattern (cached compiled per pattern and flags) against
 * @s[0..@len).  Returns 1 on a match, 0 on none, VG_EINVAL when the pattern
 * does not compile, VG_EIO when a match limit was hit.  When @cap is not
 * NULL it receives the first capture group that took part in the match
 * (pointing into @s; len 0 and p NULL when none).  @errmsg (may be NULL)
 * receives a static-ish description on failure, valid until the next call.
 */
int vg_eval_regex(struct vg_evaluator *ev, const char *pattern, unsigned flags, const char *s,
		  size_t len, struct vg_str *cap /* OUT */, const char **errmsg /* OUT */);

/**
 * "FILE:LINE: text" for the line @line of the file @file under the root
 * (read again), the text trimmed; "FILE:LINE" when the file cannot be read.
 */
const char *vg_eval_line_evidence(struct vg_evaluator *ev, const char *file, int line);

/** "FILE:LINE: text" from a known line. */
const char *vg_eval_evidence(struct vg_evaluator *ev, const char *file, int line,
			     struct vg_str text);

/** Whether the root has a proc/sys directory (the runtime sysctl part is judged). */
bool vg_eval_has_proc_sys(struct vg_evaluator *ev);

/** Base name of a path ("/usr/sbin/sshd (deleted)" -> "sshd"), in the arena. */
const char *vg_eval_basename(struct vg_evaluator *ev, const char *path);

/** Whether an OS package named @name is installed (deb, rpm, apk); its version or NULL. */
bool vg_eval_pkg_installed(const struct vg_inventory *inv, const char *name,
			   const char **version /* OUT, may be NULL */);

/** Evaluate a Vigil-format rule (eval_rules.c). */
struct vg_outcome vg_eval_vigil_rule(struct vg_evaluator *ev, const struct vg_rule *r);

/** Evaluate a Wazuh SCA rule (eval_sca.c). */
struct vg_outcome vg_eval_sca_rule(struct vg_evaluator *ev, const struct vg_rule *r);

/**
 * Sorted names of the entries of the directory @rel under the root
 * (at most VG_PROBE_MAX_DIRENTS), in the arena.  VG_ENOTFOUND, VG_EIO,
 * VG_EPERM (ENOTDIR is VG_EINVAL).
 */
int vg_eval_list_dir(struct vg_evaluator *ev, const char *rel, const char ***names /* OUT */,
		     size_t *n /* OUT */);

#endif /* VG_POLICY_EVAL_INT_H */
