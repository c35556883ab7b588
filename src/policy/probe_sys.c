/*
 * probe_sys.c - probes of the system's state as files show it (probe.h):
 * mounts, kernel modules and systemd units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/str.h"
#include "policy/probe.h"
#include "policy/probe_int.h"

/* ---- mounts (proc_pid_mounts(5) / fstab(5) format) ---- */

static bool
is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Decode the kernel's "\ooo" escapes of space, tab, newline and backslash into @out (NUL-ended). */
static void
unescape(struct vg_str s, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < s.len && n + 1 < cap; i++) {
		if (s.p[i] == '\\' && i + 3 < s.len && is_octal(s.p[i + 1]) &&
		    is_octal(s.p[i + 2]) && is_octal(s.p[i + 3])) {
			out[n++] = (char)(((s.p[i + 1] - '0') << 6) | ((s.p[i + 2] - '0') << 3) |
					  (s.p[i + 3] - '0'));
			i += 3;
		} else {
			out[n++] = s.p[i];
		}
	}
	out[n] = '\0';
}

static void
mount_lines(struct vg_probe *p, struct vg_str text, const char *file, const char *want,
	    struct vg_probe_mount *out)
{
	struct vg_str line;
	size_t pos = 0;
	int lineno = 0;

	while (vg_str_next_line(text, &pos, &line)) {
		char dev[VG_PROBE_PATH_MAX], dir[VG_PROBE_PATH_MAX];
		struct vg_str d, m, t, o;

		lineno++;
		d = vg_str_next_word(&line);
		m = vg_str_next_word(&line);
		t = vg_str_next_word(&line);
		o = vg_str_next_word(&line);
		if (!o.len)
			continue;
		unescape(m, dir, sizeof(dir));
		if (strcmp(dir, want) != 0)
			continue;
		/* Later lines are mounted on top of earlier ones. */
		unescape(d, dev, sizeof(dev));
		out->device = vg_arena_strdup(&p->inv.arena, dev);
		out->fstype = vg_probe_strs(p, t);
		out->options = vg_probe_strs(p, o);
		out->file = file;
		out->line = lineno;
	}
}

int
vg_probe_mount(struct vg_probe *p, const char *mountpoint, struct vg_probe_mount *out)
{
	const char *file = "/proc/mounts";
	char *data;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = vg_probe_read(p, file, &data, &len);
	if (rc == VG_ENOTFOUND) {
		file = "/proc/self/mounts";
		rc = vg_probe_read(p, file, &data, &len);
	}
	if (rc != VG_OK)
		return rc;
	mount_lines(p, vg_str_n(data, len), file, mountpoint, out);
	free(data);
	return out->line ? VG_OK : VG_ENOTFOUND;
}

bool
vg_probe_has_option(const char *options, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *s = options; s && *s;) {
		size_t len = strcspn(s, ",");

		if (len == n && memcmp(s, opt, n) == 0)
			return true;
		s += len;
		if (*s == ',')
			s++;
	}
	return false;
}

/* ---- kernel modules: proc/modules and modprobe.d(5) ---- */

/* Module names compare with '-' and '_' equivalent (kmod's underscores()). */
static bool
modname_eq(struct vg_str a, const char *b)
{
	size_t n = strlen(b);

	if (a.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char x = a.p[i] == '-' ? '_' : a.p[i], y = b[i] == '-' ? '_' : b[i];

		if (x != y)
			return false;
	}
	return true;
}

static bool
module_loaded(struct vg_probe *p, const char *name)
{
	struct vg_str text, line;
	bool found = false;
	size_t pos = 0, len;
	char *data;

	if (vg_probe_read(p, "/proc/modules", &data, &len) != VG_OK)
		return false;
	text = vg_str_n(data, len);
	while (!found && vg_str_next_line(text, &pos, &line))
		found = modname_eq(vg_str_next_word(&line), name);
	free(data);
	return found;
}

/* "/bin/false", "/usr/bin/true", "false": the commands that make loading a no-op. */
static bool
disabling_command(struct vg_str cmd)
{
	struct vg_str w = vg_str_next_word(&cmd);
	ptrdiff_t slash = vg_str_rchr(w, '/');

	if (slash >= 0)
		w = vg_str_sub(w, (size_t)slash + 1, w.len);
	return vg_str_eqc(w, "false") || vg_str_eqc(w, "true");
}

static void
modprobe_lines(struct vg_probe *p, struct vg_str text, const char *file, const char *name,
	       struct vg_probe_module *out)
{
	struct vg_str line;
	size_t pos = 0;
	int lineno = 0;

	while (vg_str_next_line(text, &pos, &line)) {
		struct vg_str cmd, mod;

		lineno++;
		line = vg_str_trim(line);
		if (!line.len || line.p[0] == '#')
			continue;
		cmd = vg_str_next_word(&line);
		mod = vg_str_next_word(&line);
		if (!modname_eq(mod, name))
			continue;
		if (vg_str_eqc(cmd, "blacklist") && !out->blacklisted) {
			out->blacklisted = true;
			vg_probe_set(p, &out->blacklist, vg_str_c("blacklist"), file, lineno);
		} else if (vg_str_eqc(cmd, "install") && !out->install.value && line.len) {
			/* kmod uses the first install command read. */
			vg_probe_set(p, &out->install, line, file, lineno);
			out->install_disabled = disabling_command(line);
		}
	}
}

int
vg_probe_module(struct vg_probe *p, const char *name, struct vg_probe_module *out)
{
	static const char *const dirs[] = {"/etc/modprobe.d",           "/run/modprobe.d",
					   "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d",
					   "/lib/modprobe.d",           NULL};
	const char **files;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!name[0])
		return VG_EINVAL;
	out->loaded = module_loaded(p, name);
	n = vg_probe_conf_files(p, dirs, &files);
	for (size_t i = 0; i < n; i++) {
		char *data;
		size_t len;

		if (vg_probe_read(p, files[i], &data, &len) != VG_OK)
			continue;
		modprobe_lines(p, vg_str_n(data, len), files[i], name, out);
		free(data);
	}
	return VG_OK;
}

/* ---- systemd units (systemd.unit(5)) ---- */

static const char *const unit_dirs[] = {"/etc/systemd/system",           "/run/systemd/system",
					"/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
					"/lib/systemd/system",           NULL};

/* Is @rel a symlink whose text is "/dev/null"? */
static bool
is_mask(const struct vg_probe *p, const char *rel)
{
	char host[VG_PROBE_PATH_MAX], lnk[64];
	ssize_t n;

	if (vg_probe_resolve(p, rel, VG_PROBE_NOFOLLOW, host, sizeof(host)) != VG_OK)
		return false;
	n = readlink(host, lnk, sizeof(lnk) - 1);
	if (n < 0)
		return false;
	lnk[n] = '\0';
	return strcmp(lnk, "/dev/null") == 0;
}

static bool
exists_nofollow(const struct vg_probe *p, const char *rel)
{
	char host[VG_PROBE_PATH_MAX];
	struct stat st;

	return vg_probe_resolve(p, rel, VG_PROBE_NOFOLLOW, host, sizeof(host)) == VG_OK &&
	       lstat(host, &st) == 0;
}

static bool
is_file(const struct vg_probe *p, const char *rel)
{
	char host[VG_PROBE_PATH_MAX];
	struct stat st;

	return vg_probe_resolve(p, rel, 0, host, sizeof(host)) == VG_OK && stat(host, &st) == 0 &&
	       S_ISREG(st.st_mode);
}

static void
unit_file(struct vg_probe *p, const char *unit, struct vg_probe_unit *out)
{
	for (size_t d = 0; unit_dirs[d]; d++) {
		char *rel = vg_arena_printf(&p->inv.arena, "%s/%s", unit_dirs[d], unit);

		if (d < 2 && !out->masked && is_mask(p, rel)) {
			out->masked = true;
			out->mask = rel;
		} else if (!out->path && is_file(p, rel)) {
			out->path = rel;
		}
	}
}

static void
unit_links(struct vg_probe *p, const char *unit, struct vg_probe_unit *out)
{
	const char *const kinds[] = {".wants", ".requires"};
	const char **names;
	size_t n;

	if (vg_probe_list(p, "/etc/systemd/system", "", &names, &n) != VG_OK)
		return;
	for (size_t i = 0; i < n && !out->enabled; i++) {
		for (size_t k = 0; k < 2; k++) {
			size_t nl = strlen(names[i]), kl = strlen(kinds[k]);
			char *rel;

			if (nl <= kl || strcmp(names[i] + nl - kl, kinds[k]) != 0)
				continue;
			rel = vg_arena_printf(&p->inv.arena, "/etc/systemd/system/%s/%s", names[i],
					      unit);
			if (exists_nofollow(p, rel)) {
				out->enabled = true;
				out->enabled_by = rel;
			}
		}
	}
}

int
vg_probe_unit(struct vg_probe *p, const char *unit, struct vg_probe_unit *out)
{
	memset(out, 0, sizeof(*out));
	if (!unit[0] || strchr(unit, '/'))
		return VG_EINVAL;
	unit_file(p, unit, out);
	unit_links(p, unit, out);
	return out->path || out->masked || out->enabled ? VG_OK : VG_ENOTFOUND;
}
