/*
 * fuzz_cpe.c - libFuzzer target for CPE parsing, binding and matching.
 * Input: a name, optionally followed by a newline and a second name.
 * A name that parses must bind to a formatted string that parses back to
 * the same name (binding it again gives the same bytes), and must bind to
 * a URI that parses again.
 */
#include "core/cpe.h"
#include "fuzz_common.h"

static void
round_trip(const struct vg_cpe *cpe)
{
	struct vg_buf out, out2;
	struct vg_cpe again;
	struct vg_err err;

	vg_buf_init(&out, 64 * 1024);
	vg_buf_init(&out2, 64 * 1024);
	vg_cpe_init(&again);
	fuzz_require(vg_cpe_bind_fs(cpe, &out) == 0, "bind_fs failed");
	fuzz_require(vg_cpe_parse(vg_buf_str(&out), &again, &err) == 0, "bound fs does not parse");
	fuzz_require(vg_cpe_bind_fs(&again, &out2) == 0, "bind_fs of the re-parsed name failed");
	fuzz_require(vg_str_eq(vg_buf_str(&out), vg_buf_str(&out2)),
		     "fs round trip changed the name");
	vg_cpe_release(&again);
	vg_buf_release(&out2);
	vg_buf_reset(&out);
	fuzz_require(vg_cpe_bind_uri(cpe, &out) == 0, "bind_uri failed");
	fuzz_require(vg_cpe_parse(vg_buf_str(&out), &again, &err) == 0, "bound uri does not parse");
	vg_cpe_release(&again);
	vg_buf_release(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_cpe a, b;
	struct vg_str sa, sb;
	struct vg_err err;
	int ra, rb;

	fuzz_split(data, size, &sa, &sb);
	vg_cpe_init(&a);
	vg_cpe_init(&b);
	ra = vg_cpe_parse(sa, &a, &err);
	rb = vg_cpe_parse(sb, &b, &err);
	if (ra == 0)
		round_trip(&a);
	if (ra == 0 && rb == 0) {
		enum vg_cpe_name_rel ab = vg_cpe_compare(&a, &b, NULL);

		fuzz_require(ab != VG_CPE_NAME_INVALID, "parsed names compared INVALID");
		fuzz_require(vg_cpe_matches(&a, &b) ==
				     (ab == VG_CPE_NAME_EQUAL || ab == VG_CPE_NAME_SUPERSET),
			     "matches() disagrees with compare()");
	}
	vg_cpe_release(&a);
	vg_cpe_release(&b);
	return 0;
}
