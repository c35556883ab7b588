/*
 * sca_rule.h - parser for Wazuh SCA rule expressions (issue 6).
 *
 * One entry of a check's `rules:` list, e.g.
 *
 *   not f:/etc/shadow -> !r:^# && n:^[\w@-]+:\S*:(\d+) compare <= 45
 *
 * is parsed into a struct vg_sca_rule.  Only the syntax is handled here: no
 * YAML, no variable expansion, no evaluation, no regex compilation.
 *
 * Grammar (byte-exact; see docs/internals/sca-rules.md for the reasons):
 *
 *   rule     = [ "not " ] TYPE ":" TARGETS [ " -> " REST ]
 *   TYPE     = "f" | "d" | "p" | "c" | "r"      (file, directory, process,
 *                                                command, Windows registry)
 *   TARGETS  = f:, d: a ","-separated list of non-empty targets;
 *              p:, c:, r: one non-empty target (commands keep spaces, commas)
 *   REST     = f:, c:  CHAIN                     (everything after the first
 *                                                 " -> ", which may contain
 *                                                 more " -> ", as in Wazuh)
 *              d:, r:  NAME [ " -> " CHAIN ]     (NAME: file name / registry
 *                                                 value, itself a CHAIN)
 *              p:      not allowed (processes: existence only)
 *   CHAIN    = COND { " && " COND }              (split at each " && ")
 *   COND     = [ "!" ] ( "r:" PATTERN            (regex on one line)
 *                      | "n:" PATTERN " compare " OP " " INTEGER
 *                      | LITERAL )                (whole-line exact match)
 *   OP       = "<" | "<=" | "==" | "!=" | ">=" | ">"
 *
 * The separators " -> ", " && " and " compare " need their spaces (Wazuh's
 * documentation makes them mandatory).  "compare" is the last one in the
 * condition; INTEGER is an optional "-" and 1 to 18 digits.  c: rules need
 * content (Wazuh checks command output only).  Patterns are kept raw, in the
 * dialect named by the rule (Wazuh's OS_Regex unless the caller says PCRE2):
 * "\s", "\d", "\w", "\t" are pattern escapes, not characters.  Targets keep
 * "$variables" unexpanded.  NUL, CR and LF bytes are rejected.
 *
 * The canonical form written by vg_sca_rule_print() is the same grammar with
 * the integer in plain decimal, so parse(print(parse(x))) == parse(x).
 */
#ifndef VG_POLICY_SCA_RULE_H
#define VG_POLICY_SCA_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"

/* Longest rule string accepted (bytes); the real policies' longest is 322. */
#define VG_SCA_RULE_MAX_LEN 4096
/* Most conditions in one chain, and most targets in one f:/d: list. */
#define VG_SCA_MAX_CONDS    64
#define VG_SCA_MAX_TARGETS  64

enum vg_sca_type {
	VG_SCA_FILE,
	VG_SCA_DIR,
	VG_SCA_PROCESS,
	VG_SCA_COMMAND,
	VG_SCA_REGISTRY, /* parsed, but has no meaning on Linux */
};

enum vg_sca_cond_kind {
	VG_SCA_COND_LITERAL, /* the whole line equals `pattern` */
	VG_SCA_COND_REGEX,   /* r: the line matches `pattern` */
	VG_SCA_COND_NUMERIC, /* n: `pattern`'s first capture, as an integer, OP `value` */
};

enum vg_sca_op {
	VG_SCA_OP_LT,
	VG_SCA_OP_LE,
	VG_SCA_OP_EQ,
	VG_SCA_OP_NE,
	VG_SCA_OP_GE,
	VG_SCA_OP_GT,
};

/* Which regex dialect the raw patterns are written in. */
enum vg_sca_dialect {
	VG_SCA_OSREGEX, /* Wazuh's default (OS_Regex): used by both shipped policies */
	VG_SCA_PCRE2,   /* a policy or check that says `regex_type: pcre2` */
};

enum vg_sca_parse_flags {
	VG_SCA_PARSE_PCRE2 = 1 << 0, /* set `dialect` to VG_SCA_PCRE2 */
};

struct vg_sca_cond {
	enum vg_sca_cond_kind kind;
	bool negated;        /* written with a leading "!" */
	const char *pattern; /* arena; NUL-terminated, non-empty, raw */
	enum vg_sca_op op;   /* numeric only */
	long long value;     /* numeric only */
};

struct vg_sca_chain {
	struct vg_sca_cond *conds; /* arena; n >= 1 when the chain is present */
	size_t n;
};

struct vg_sca_rule {
	enum vg_sca_type type;
	bool negated; /* "not " prefix */
	enum vg_sca_dialect dialect;
	const char **targets; /* arena; ntargets >= 1, each NUL-terminated and non-empty */
	size_t ntargets;
	bool has_name;            /* d:/r: only: a file-name / registry-value chain */
	struct vg_sca_chain name; /* valid when has_name */
	bool has_content;
	struct vg_sca_chain content; /* valid when has_content */
};

/**
 * Parse the rule string @s into @out, allocating every string and array from
 * @arena (borrowed; @out is valid until the arena is released).  @s is
 * borrowed and need not be NUL-terminated.  @flags is a set of
 * enum vg_sca_parse_flags.  Returns VG_OK; VG_EINVAL for a malformed rule,
 * with a message "rule column N: ..." and err->column = N (1-based byte);
 * VG_ETOOBIG when @s exceeds VG_SCA_RULE_MAX_LEN or a chain/list exceeds its
 * cap.  On error @out is zeroed and the arena may hold unused allocations.
 * @err may be NULL.  Thread-safe with distinct arenas.
 */
int vg_sca_rule_parse(struct vg_arena *arena, struct vg_str s, unsigned flags,
		      struct vg_sca_rule *out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/**
 * Append the canonical form of @rule (borrowed) to @out.  Returns VG_OK, or
 * VG_ETOOBIG when @out's cap is reached (its contents are then partial).
 */
int vg_sca_rule_print(const struct vg_sca_rule *rule, struct vg_buf *out) VG_MUST_CHECK;

/** The operator's spelling ("<=", ...); "?" for an out-of-range value. */
const char *vg_sca_op_name(enum vg_sca_op op);

/** Whether @a @op @b holds ("<=" etc.); shared by Wazuh n: rules and Vigil's `compare:` tests. */
bool vg_sca_op_holds(long long a, enum vg_sca_op op, long long b);

/** Whether Vigil can evaluate rules of type @type on Linux (false for registry). */
bool vg_sca_type_supported(enum vg_sca_type type);

#endif /* VG_POLICY_SCA_RULE_H */
