/*
 * fuzz_sca_rule.c - libFuzzer target for the Wazuh SCA rule parser.
 * Input: one rule string (the whole input; the first byte's low bit also
 * picks the regex dialect flag, which must not change the syntax).
 * A rule that parses must print, the print must parse, and printing that
 * again must give the same bytes (the canonical form is a fixed point).
 * A rule that fails must leave an error column inside the input (+1 for
 * "at the end").
 */
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "fuzz_common.h"
#include "policy/sca_rule.h"

static void
round_trip(struct vg_arena *arena, const struct vg_sca_rule *rule, unsigned flags)
{
	struct vg_buf out, out2;
	struct vg_sca_rule again;
	struct vg_err err;

	vg_buf_init(&out, 64 * 1024);
	vg_buf_init(&out2, 64 * 1024);
	fuzz_require(vg_sca_rule_print(rule, &out) == 0, "print failed");
	fuzz_require(vg_sca_rule_parse(arena, vg_buf_str(&out), flags, &again, &err) == 0,
		     "printed rule does not parse");
	fuzz_require(again.type == rule->type && again.negated == rule->negated &&
			     again.ntargets == rule->ntargets && again.has_name == rule->has_name &&
			     again.has_content == rule->has_content &&
			     again.dialect == rule->dialect,
		     "re-parsed rule differs");
	fuzz_require(vg_sca_rule_print(&again, &out2) == 0, "second print failed");
	fuzz_require(vg_str_eq(vg_buf_str(&out), vg_buf_str(&out2)), "print is not a fixed point");
	vg_buf_release(&out2);
	vg_buf_release(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_str s = vg_str_n((const char *)data, size);
	unsigned flags = size > 0 && (data[0] & 1) ? VG_SCA_PARSE_PCRE2 : 0;
	struct vg_arena arena;
	struct vg_sca_rule rule;
	struct vg_err err;
	int rc;

	vg_arena_init(&arena);
	vg_err_clear(&err);
	rc = vg_sca_rule_parse(&arena, s, flags, &rule, &err);
	if (rc == 0) {
		round_trip(&arena, &rule, flags);
	} else if (rc == VG_EINVAL) {
		fuzz_require(err.column >= 1 && (size_t)err.column <= size + 1,
			     "error column outside the input");
	} else {
		fuzz_require(rc == VG_ETOOBIG, "unexpected error code");
	}
	vg_arena_release(&arena);
	return 0;
}
