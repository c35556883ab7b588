/*
 * eval.h - evaluating configuration policies on a device (issue 6).
 *
 * A check is evaluated against a root directory (through the read-only
 * probes of probe.h) and the device's inventory (packages, processes,
 * listeners, accounts: agent/inventory.h).  Nothing is written; commands
 * (Wazuh c: rules) run only when the caller enables them (see
 * struct vg_eval_opts), without a shell, with a timeout and an output cap.
 *
 * Results, per check:
 *   passed         the condition over the rules holds
 *   failed         it does not
 *   notApplicable  the check's `applies` does not hold, the policy's
 *                  requirements do not hold, or a rule cannot be evaluated
 *                  here (a c: rule with commands disabled, a registry rule,
 *                  a command rule on a root that is not "/")
 *   error          a rule could not be evaluated because of an I/O or
 *                  permission error, or a command that timed out
 *
 * Combining rules (as Wazuh SCA does): ALL fails as soon as one rule is
 * false; otherwise a rule that could not be evaluated makes it
 * notApplicable (or error); otherwise passed.  ANY passes as soon as one
 * rule is true; NONE fails as soon as one is true.  docs/policy-format.md
 * gives the table.
 *
 * Each result carries a `reason` (one line, for people: which rule decided
 * and why) and an `evidence` (where the deciding value was found:
 * "/etc/ssh/sshd_config:12: PermitRootLogin yes"), each at most
 * VG_EVAL_MAX_TEXT bytes, either may be NULL.
 *
 * Regexes: Vigil-format policies use PCRE2; Wazuh policies use OS_Regex,
 * translated to PCRE2 by vg_osregex_to_pcre2() (docs/internals/sca-eval.md).
 *
 * Ownership: results and their strings live in the evaluator's arena until
 * vg_eval_release().  Thread-safety: one evaluator per thread; policies may
 * be shared.
 */
#ifndef VG_POLICY_EVAL_H
#define VG_POLICY_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/inventory.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "policy/policy.h"
#include "policy/probe.h"

#define VG_EVAL_MAX_TEXT       512
/* Defaults for command rules (vg_eval_opts). */
#define VG_EVAL_CMD_TIMEOUT_MS 5000
#define VG_EVAL_CMD_MAX_OUTPUT (1024 * 1024)

enum vg_result {
	VG_RESULT_PASSED,
	VG_RESULT_FAILED,
	VG_RESULT_NA,
	VG_RESULT_ERROR,
};

/** "passed", "failed", "notApplicable", "error". */
const char *vg_result_name(enum vg_result r);
/** Parse those names; false when unknown. */
bool vg_result_parse(const char *s, enum vg_result *out /* OUT */);

struct vg_eval_opts {
	bool commands;             /* run c: rules (default false: they are notApplicable) */
	int command_timeout_ms;    /* per command; 0 = VG_EVAL_CMD_TIMEOUT_MS */
	size_t command_max_output; /* stdout+stderr bytes kept; 0 = VG_EVAL_CMD_MAX_OUTPUT */
};

struct vg_check_result {
	const struct vg_policy *policy; /* borrowed */
	const struct vg_check *check;   /* borrowed */
	enum vg_result result;
	const char *reason;   /* may be NULL */
	const char *evidence; /* may be NULL */
};

struct vg_evaluator {
	struct vg_probe probe;          /* root-relative readers */
	const struct vg_inventory *inv; /* borrowed; packages, processes, listeners, accounts, os */
	struct vg_eval_opts opts;
	struct vg_arena arena;      /* results, reasons, evidence */
	void *regex_cache;          /* compiled PCRE2 patterns, private */
	unsigned long commands_run; /* statistics */
};

/**
 * Prepare @ev for the root @root (borrowed; NULL means "/") and inventory
 * @inv (borrowed; must outlive @ev; may be NULL: package, port, process and
 * account rules are then notApplicable).  @opts may be NULL (defaults).
 */
void vg_eval_init(struct vg_evaluator *ev, const char *root, const struct vg_inventory *inv,
		  const struct vg_eval_opts *opts);

/** Free everything @ev owns, including every result it returned. */
void vg_eval_release(struct vg_evaluator *ev);

/** Evaluate one check of @policy.  Never fails: problems become NA / error results. */
struct vg_check_result vg_eval_check(struct vg_evaluator *ev, const struct vg_policy *policy,
				     const struct vg_check *check);

/**
 * Evaluate every check of @policy (requirements first: when they do not
 * hold every check is notApplicable with that reason) into @out, an array
 * of policy->nchecks results in the policy's order, allocated from @ev's
 * arena.  VG_ENOMEM only.
 */
int vg_eval_policy(struct vg_evaluator *ev, const struct vg_policy *policy,
		   struct vg_check_result **out /* OUT */, size_t *n /* OUT */) VG_MUST_CHECK;

/**
 * Evaluate every policy of @set on the root @root (NULL: "/") with the
 * inventory @inv, and append one configuration item per check to @inv
 * (its "configuration" section: agent/inventory.h), with has_config set
 * even when @set is empty; then put @inv back in canonical order.  Checks
 * whose policy or check id is empty or longer than VG_CONFIG_ID_MAX are
 * left out with a warning in @inv.  Strings are copied into @inv.
 * VG_ENOMEM only.
 */
int vg_eval_into_inventory(const struct vg_policy_set *set, const char *root,
			   struct vg_inventory *inv, const struct vg_eval_opts *opts) VG_MUST_CHECK;

/*
 * Secure Score of one device (ARCHITECTURE.md §Scores with N = 1): for each
 * scored check (impact > 0) that is applicable (passed, failed or error),
 * max += impact and, when passed, points += impact.  Per category too
 * (indexed by enum vg_check_category; [VG_CAT_NONE] stays 0).
 */
struct vg_secure_score {
	double points, max;
	double cat_points[VG_NCATEGORIES], cat_max[VG_NCATEGORIES];
	size_t passed, failed, na, error; /* counts over every check, scored or not */
};

void vg_secure_score_device(const struct vg_check_result *results, size_t n,
			    struct vg_secure_score *out /* OUT */);

/** 100 * points / max, or 0 when max is 0. */
double vg_secure_score_percent(double points, double max);

/**
 * Paths under the root whose change can change a result of @policy (files,
 * directories and their parents, sshd Include targets are not expanded),
 * appended to @out as NUL-terminated strings separated by NUL, each once,
 * for the agent's inotify watches.  VG_ETOOBIG when @out's cap is reached.
 */
int vg_policy_watch_paths(const struct vg_policy *policy, struct vg_buf *out) VG_MUST_CHECK;

/**
 * Translate an OS_Regex pattern (Wazuh's default dialect) into PCRE2 syntax,
 * appended to @out.  VG_EINVAL for a pattern OS_Regex would refuse.
 */
int vg_osregex_to_pcre2(const char *pattern, struct vg_buf *out, struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_POLICY_EVAL_H */
