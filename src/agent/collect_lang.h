/*
 * collect_lang.h - language packages: Python distributions (core metadata
 * in *.dist-info/METADATA, *.egg-info/PKG-INFO or an *.egg-info file,
 * *.egg/EGG-INFO/PKG-INFO) and npm packages (node_modules/<name>/package.json
 * and node_modules/@scope/<name>/package.json): the buffer-level parsers
 * behind vg_collect_lang() (inventory.h).
 *
 * Where it looks, under the root:
 *   Python  usr/lib, usr/lib64, usr/local/lib, usr/local/lib64: each
 *           python<digit>* directory's site-packages and dist-packages
 *           (usr/lib/python3/dist-packages is one of them); a directory
 *           reached twice through a symlink is scanned once
 *   npm     usr/lib/node_modules and usr/local/lib/node_modules (global)
 *   each inv->app_dirs entry D: D itself when it is a node_modules,
 *           site-packages or dist-packages directory; else D/node_modules
 *           and the site-packages of the virtualenvs D, D/.venv and D/venv
 *           (D/lib/python<digit>.../site-packages).  Other virtualenvs and
 *           opt/ are not searched (that would mean walking the tree).
 *
 * Depth: a node_modules directory is level 1; the node_modules of a
 * package in it is level 2 (npm's bundled and conflicting dependencies)
 * and so on, down to VG_LANG_NPM_MAX_DEPTH levels.  Deeper copies exist
 * only when versions conflict three times over; the bound keeps the walk
 * finite whatever the tree (symlinked packages are read, never descended).
 *
 * Cost: one readdir per directory, entries sorted so that the output does
 * not depend on the file system's order; a METADATA file is read only up to
 * the blank line ending its header; one buffer is reused for every file.
 * Within one site directory a distribution seen twice (a .dist-info and an
 * .egg-info of the same name and version) is listed once, the .dist-info
 * winning.
 *
 * Package fields: name, version (as written), license (Python:
 * License-Expression, else the first line of License unless "UNKNOWN";
 * npm: "license", a legacy {"type": ...} object or a "licenses" array
 * joined with " OR "), path (the .dist-info / .egg-info path or the package
 * directory, absolute inside the root).  Ownership: strings land in the
 * inventory's arena.  One inventory per thread.
 */
#ifndef VG_AGENT_COLLECT_LANG_H
#define VG_AGENT_COLLECT_LANG_H

#include "agent/inventory.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"

/* Largest package.json read (bigger ones are skipped with a warning). */
#define VG_LANG_MAX_PACKAGE_JSON    (1024 * 1024)
/* Most bytes of a METADATA / PKG-INFO file read while looking for the end of its header. */
#define VG_LANG_MAX_METADATA_HEADER (256 * 1024)
/* Longest name or version accepted, and longest license kept, in bytes. */
#define VG_LANG_MAX_FIELD           512
/* node_modules levels walked (see above). */
#define VG_LANG_NPM_MAX_DEPTH       3

/* Fields of a Python core-metadata header; slices borrow from the parsed text. */
struct vg_pymeta {
	struct vg_str name;
	struct vg_str version;
	struct vg_str license; /* empty when absent */
};

/**
 * Parse the header of a Python core-metadata file (METADATA, PKG-INFO;
 * RFC 822 style as Python's email parser reads it: "Field: value" lines
 * with case-insensitive names, the first occurrence winning, continuation
 * lines starting with a blank, the header ending at a blank line or at the
 * first line that is not a header).  Returns VG_OK, or VG_EINVAL with a
 * message when Name or Version is missing, empty, longer than
 * VG_LANG_MAX_FIELD or holds control characters (Version also blanks).
 */
int vg_pymeta_parse(struct vg_str text, struct vg_pymeta *out /* OUT */,
		    struct vg_err *err) VG_MUST_CHECK;

/**
 * Parse @text with vg_pymeta_parse() and add a VG_PKG_PYTHON package whose
 * path is @dir, or record a warning (collector "python", file @file).
 * Returns VG_OK when a package was added, else VG_EINVAL.
 */
int vg_lang_add_python(struct vg_inventory *inv, struct vg_str text, const char *dir,
		       const char *file);

/**
 * Parse the package.json @text (jansson; at most VG_LANG_MAX_PACKAGE_JSON
 * bytes) and add a VG_PKG_NPM package whose path is @dir, or record a
 * warning (collector "npm", file @file) when it is not valid JSON, not an
 * object, or lacks a usable "name" or "version" string.  Returns VG_OK when
 * a package was added, else VG_EINVAL or VG_ETOOBIG.
 */
int vg_lang_add_npm(struct vg_inventory *inv, struct vg_str text, const char *dir,
		    const char *file);

#endif /* VG_AGENT_COLLECT_LANG_H */
