/*
 * fuzz_osregex.c - libFuzzer target for the two translators of policy text
 * the evaluator runs: Wazuh OS_Regex -> PCRE2 (osregex.c) and the splitting
 * of c: rule commands into argv (command.c).
 *
 * Input: the first byte picks the translator (low bit set: OS_Regex), the
 * rest is the pattern or the command (NUL-terminated copy).  Properties:
 *  - an OS_Regex pattern the translator accepts is valid PCRE2, and matching
 *    it against the input itself (with the evaluator's match limit) ends;
 *  - a refused pattern has a message;
 *  - an accepted command has at least one word and a NULL-terminated argv,
 *    and its first word is never a shell (those are refused).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "fuzz_common.h"
#include "policy/command.h"
#include "policy/eval.h"

static void
check_osregex(const char *s)
{
	struct vg_buf out;
	struct vg_err err;
	int ec;
	PCRE2_SIZE eo;

	vg_buf_init(&out, 1 << 20);
	vg_err_clear(&err);
	if (vg_osregex_to_pcre2(s, &out, &err) == VG_OK) {
		pcre2_code *code =
			pcre2_compile((PCRE2_SPTR)out.p, out.len, PCRE2_CASELESS, &ec, &eo, NULL);
		pcre2_match_data *md;
		pcre2_match_context *mc;

		fuzz_require(code != NULL, "an accepted OS_Regex does not compile as PCRE2");
		md = pcre2_match_data_create_from_pattern(code, NULL);
		mc = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(mc, 100000);
		pcre2_set_depth_limit(mc, 1000);
		(void)pcre2_match(code, (PCRE2_SPTR)s, strlen(s), 0, 0, md, mc);
		pcre2_match_context_free(mc);
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	} else {
		fuzz_require(err.msg[0] != '\0', "refused pattern without a message");
	}
	vg_buf_release(&out);
}

static void
check_command(const char *s)
{
	static const char *const shells[] = {"sh",  "bash", "dash", "zsh",  "ksh",
					     "ash", "csh",  "tcsh", "fish", "busybox"};
	struct vg_arena arena;
	char **argv;
	size_t argc;

	vg_arena_init(&arena);
	if (vg_cmd_split(&arena, s, &argv, &argc, NULL) == VG_OK) {
		const char *base;

		fuzz_require(argc >= 1 && argv[0] != NULL && argv[argc] == NULL, "bad argv");
		base = strrchr(argv[0], '/');
		base = base ? base + 1 : argv[0];
		for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
			fuzz_require(strcmp(base, shells[i]) != 0, "a shell was accepted");
	}
	vg_arena_release(&arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1 || size > 4096)
		return 0;
	s = vg_xmemdupz(data + 1, size - 1);
	if (memchr(data + 1, '\0', size - 1) == NULL) {
		if (data[0] & 1)
			check_osregex(s);
		else
			check_command(s);
	}
	free(s);
	return 0;
}
