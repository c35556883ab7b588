/*
 * document.h - the inventory document: versioned JSON with section hashes.
 *
 * One JSON object per device (docs/inventory.md, schema in
 * docs/schemas/inventory.schema.json): "device", "packages", "processes",
 * "listeners" and "accounts" sections, the optional "configuration" section
 * (only when inv->has_config: configuration assessment results), a
 * "sections" object giving each present section's SHA-256 and item count,
 * and the collection's "warnings".  A
 * section's hash is taken over its canonical compact serialisation (items
 * sorted, see vg_inventory_sort()), so an agent can tell which sections
 * changed since its last report without diffing them, and the server can
 * skip unchanged ones.
 */
#ifndef VG_AGENT_DOCUMENT_H
#define VG_AGENT_DOCUMENT_H

#include <stdbool.h>

#include "agent/inventory.h"
#include "core/buf.h"
#include "core/compiler.h"

enum vg_section {
	VG_SECTION_DEVICE,
	VG_SECTION_PACKAGES,
	VG_SECTION_PROCESSES,
	VG_SECTION_LISTENERS,
	VG_SECTION_ACCOUNTS,
	VG_SECTION_CONFIGURATION, /* optional: see vg_inventory_has_section() */
};
#define VG_NSECTIONS 6

/* "sha256:" + 64 hex digits + NUL */
#define VG_SECTION_HASH_LEN 72

enum vg_doc_flags {
	VG_DOC_PRETTY = 1 << 0, /* indented output for people */
};

/** Name of a section as it appears in the document ("device", "packages", ...). */
const char *vg_section_name(enum vg_section s);

/**
 * Whether section @s is in @inv's document: always, except "configuration",
 * present only when inv->has_config (an agent without policies omits it,
 * which keeps its document byte-identical to one written before the section
 * existed).
 */
bool vg_inventory_has_section(const struct vg_inventory *inv, enum vg_section s);

/**
 * Put the items of every section in canonical order (packages by type,
 * name, architecture, version; processes by pid; configuration items by
 * policy then check id, bytewise; ...).  vg_inventory_finish()
 * calls it; hashes depend on it.
 */
void vg_inventory_sort(struct vg_inventory *inv);

/**
 * "sha256:<hex>" of section @s into @hash (of its canonical form, also for
 * an absent configuration section: "[]").  VG_EIO when libsodium cannot
 * start.
 */
int vg_inventory_section_hash(const struct vg_inventory *inv, enum vg_section s,
			      char hash[VG_SECTION_HASH_LEN]) VG_MUST_CHECK;

/**
 * Append the whole document to @out.  @collected_at is an RFC 3339 UTC
 * timestamp (borrowed) or NULL for "now".  VG_ETOOBIG if @out's cap is
 * reached.
 */
int vg_inventory_write_json(const struct vg_inventory *inv, struct vg_buf *out, unsigned flags,
			    const char *collected_at) VG_MUST_CHECK;

/** Current time as RFC 3339 UTC ("2026-11-23T12:00:00Z") into @out (at least 32 bytes). */
void vg_rfc3339_now(char *out, size_t cap);

#endif /* VG_AGENT_DOCUMENT_H */
