/*
 * fuzz_fleet_report.c - libFuzzer target for agent reports as vigild
 * ingests them (store/fleet.h vg_fleet_ingest_text() with the assessment
 * hook of engine/assess.h), against a real store.
 *
 * Input: one byte for the kind ('D': delta, anything else: full), then the
 * report body.  Properties: an accepted report is acknowledged as a
 * duplicate when sent again with the same id (idempotence) and leaves the
 * device with as many stored sections as the report applied or had; a
 * refused one changes nothing.  Seeds: fuzz/corpus/fleet_report (inventory
 * documents of small fixture roots, full and delta).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/assess.h"
#include "store/auth.h"
#include "store/fleet.h"
#include "store/kb.h"
#include "fuzz_common.h"

static struct vg_kb *kb;
static struct vg_assessor *assessor;
static char dev[VG_FLEET_DEVICE_ID_LEN + 1];
static unsigned long long serial;

static int
hook(void *ctx, struct vg_kb *k, const char *device_id, unsigned applied, struct vg_err *err)
{
	(void)ctx;
	(void)k;
	(void)applied;
	return vg_assess_device(assessor, device_id, 1750000000, NULL, err);
}

/* A store in a fresh temporary directory, one enrolled device (once per process). */
static void
setup(void)
{
	char dir[] = "/tmp/vg-fuzz-fleet-XXXXXX", path[64];
	struct vg_err err;

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/vigil.db", dir);
	if (vg_kb_open(path, VG_KB_CREATE, &kb, &err) != VG_OK ||
	    vg_fleet_enroll(kb, "fuzz-machine", "fuzz", "debian:12", dev, &err) != VG_OK)
		abort();
	assessor = vg_assessor_new(kb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vg_fleet_hook h = {hook, NULL};
	struct vg_fleet_result res, again;
	enum vg_fleet_kind kind;
	char id[32];
	struct vg_err err;

	if (kb == NULL)
		setup();
	vg_err_clear(&err);
	if (size == 0)
		return 0;
	kind = data[0] == 'D' ? VG_FLEET_DELTA : VG_FLEET_FULL;
	snprintf(id, sizeof(id), "f%llu", ++serial);
	if (vg_fleet_ingest_text(kb, dev, id, kind, (const char *)data + 1, size - 1, &h, &res,
				 &err) != VG_OK) {
		fuzz_require(err.msg[0] != '\0', "a refused report has a message");
		return 0;
	}
	fuzz_require(!res.duplicate, "a new report id is not a duplicate");
	fuzz_require(vg_fleet_ingest_text(kb, dev, id, kind, (const char *)data + 1, size - 1, &h,
					  &again, &err) == VG_OK,
		     "a report accepted once is accepted again");
	fuzz_require(again.duplicate && again.applied == res.applied,
		     "a resent report is a duplicate with the first delivery's sections");
	return 0;
}
