/*
 * fuzz_policy_load.c - libFuzzer target for the policy loader (policy.h):
 * the whole input is one policy file, in either format.
 *
 * A policy that loads must be well formed: an id and a name, every check
 * with an id, a title and at least one rule, Vigil checks with an impact
 * of 1 to 10 and a category, Wazuh checks unscored or scored with both, and
 * rule lines inside the file.  A policy that fails must say why: VG_EINVAL
 * or VG_ETOOBIG, a message naming the input, and the policy zeroed.
 */
#include <string.h>

#include "fuzz_common.h"
#include "policy/policy.h"

static void
check_rules(const struct vg_rule *rules, size_t n, int nlines)
{
	for (size_t i = 0; i < n; i++) {
		fuzz_require(rules[i].line >= 1 && rules[i].line <= nlines, "rule line outside");
		if (rules[i].kind == VG_RULE_SCA)
			fuzz_require(rules[i].u.sca.ntargets >= 1, "sca rule without target");
	}
}

static void
check_policy(const struct vg_policy *p, int nlines)
{
	fuzz_require(p->id && p->id[0] && p->name && p->name[0], "policy without id or name");
	fuzz_require(p->nchecks >= 1 && p->nchecks <= VG_POLICY_MAX_CHECKS, "check count");
	check_rules(p->req_rules, p->nreq_rules, nlines);
	for (size_t i = 0; i < p->nchecks; i++) {
		const struct vg_check *c = &p->checks[i];

		fuzz_require(c->id && c->id[0] && c->title && c->title[0],
			     "check without id/title");
		fuzz_require(c->nrules >= 1 && c->nrules <= VG_POLICY_MAX_RULES, "rule count");
		fuzz_require(vg_policy_find(p, c->id) == c, "check ids are not unique");
		if (p->format == VG_POLICY_VIGIL)
			fuzz_require(c->impact >= 1 && c->impact <= 10 &&
					     c->category != VG_CAT_NONE && c->rationale &&
					     c->remediation && c->nreferences >= 1,
				     "vigil check incomplete");
		else
			fuzz_require((c->impact == 0) == (c->category == VG_CAT_NONE) &&
					     c->impact >= 0 && c->impact <= 10,
				     "wazuh check score");
		check_rules(c->rules, c->nrules, nlines);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_policy p;
	struct vg_err err;
	int nlines = 1, rc;

	for (size_t i = 0; i < size; i++)
		/* an upper bound: libyaml also breaks lines at NEL, LS and PS */
		nlines += data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 ||
			  data[i] == 0xa8 || data[i] == 0xa9;
	vg_err_clear(&err);
	rc = vg_policy_load_mem(vg_str_n((const char *)data, size), "fuzz.yml", &p, &err);
	if (rc == VG_OK) {
		fuzz_require(strcmp(p.path, "fuzz.yml") == 0, "path");
		check_policy(&p, nlines);
		vg_policy_release(&p);
		fuzz_require(p.checks == NULL && p.nchecks == 0, "release does not zero");
		return 0;
	}
	fuzz_require(rc == VG_EINVAL || rc == VG_ETOOBIG, "unexpected error code");
	fuzz_require(err.code == rc && strncmp(err.msg, "fuzz.yml:", 9) == 0 && err.msg[9],
		     "error without a message");
	fuzz_require(err.line >= 0 && err.line <= nlines + 1, "error line outside the input");
	fuzz_require(p.checks == NULL && p.id == NULL, "failed load left a policy");
	return 0;
}
