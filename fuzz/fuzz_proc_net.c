/*
 * fuzz_proc_net.c - the /proc parsers of the process and listener
 * collectors: socket table lines and whole tables (collect_net.h), and the
 * status Uid, cmdline, passwd and usr-merge helpers (collect_proc.h).
 *
 * The first input byte picks the table ("tcp", "tcp6", "udp", "udp6"); the
 * rest is parsed as a whole table into a fresh inventory, then line by line
 * with the checks below, then as a status file, a command line and passwd
 * lines.  Properties: a parsed socket has a port in 0..65535 and an address
 * that inet_pton() reads back; every failure has a message; a formatted
 * command line is bounded, NUL-terminated, valid UTF-8 without control
 * bytes; the usr-merge form is a suffix of its input.
 */
#include <arpa/inet.h>
#include <string.h>

#include "agent/collect_net.h"
#include "agent/collect_proc.h"
#include "agent/inventory.h"
#include "fuzz_common.h"

static const char *const protos[] = {"tcp", "tcp6", "udp", "udp6"};

/* Whether @s (NUL-terminated) is valid UTF-8 without C0 control bytes or DEL. */
static int
clean_utf8(const unsigned char *s)
{
	while (*s) {
		size_t n = *s < 0x80 ? 1 : *s >= 0xF0 ? 4 : *s >= 0xE0 ? 3 : 2;

		if (*s < 0x20 || *s == 0x7F || (*s >= 0x80 && *s < 0xC2) || *s > 0xF4)
			return 0;
		for (size_t i = 1; i < n; i++)
			if ((s[i] & 0xC0) != 0x80)
				return 0;
		s += n;
	}
	return 1;
}

/* The loopback rule, restated independently of the parser. */
static bool
is_loopback(const unsigned char *a, bool ipv6)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

	if (!ipv6)
		return a[0] == 127;
	for (int i = 0; i < 15; i++)
		if (a[i] != 0)
			return memcmp(a, mapped, 12) == 0 && a[12] == 127;
	return a[15] == 1;
}

static void
check_line(struct vg_str line, bool ipv6)
{
	struct vg_net_socket s;
	struct vg_err err;
	unsigned char addr[16];

	if (vg_net_parse_line(line, ipv6, &s, &err) == VG_OK) {
		fuzz_require(s.port >= 0 && s.port <= 65535, "port out of range");
		fuzz_require(inet_pton(ipv6 ? AF_INET6 : AF_INET, s.address, addr) == 1,
			     "address does not read back");
		fuzz_require(s.loopback == is_loopback(addr, ipv6), "loopback misjudged");
		(void)vg_net_is_listener(&s, false);
		(void)vg_net_is_listener(&s, true);
	} else {
		fuzz_require(err.msg[0] != '\0', "error without a message");
	}
}

static void
check_proc_helpers(struct vg_str in)
{
	char out[VG_PROC_CMDLINE_MAX + 1], small[8];
	struct vg_str name, merged;
	struct vg_err err;
	int uid = -1;
	size_t n;

	if (vg_proc_parse_status_uid(in, &uid, &err) == VG_OK)
		fuzz_require(uid >= 0, "negative uid");
	else
		fuzz_require(err.msg[0] != '\0', "error without a message");
	n = vg_proc_format_cmdline(in, out, sizeof(out));
	fuzz_require(n < sizeof(out) && out[n] == '\0' && strlen(out) == n, "cmdline unbounded");
	fuzz_require(clean_utf8((const unsigned char *)out), "cmdline not clean UTF-8");
	n = vg_proc_format_cmdline(in, small, sizeof(small));
	fuzz_require(n < sizeof(small) && clean_utf8((const unsigned char *)small),
		     "small cmdline");
	if (vg_proc_parse_passwd_line(in, &name, &uid) == VG_OK)
		fuzz_require(name.len > 0 && name.p == in.p && uid >= 0, "passwd line");
	merged = vg_proc_usrmerge(in);
	fuzz_require(merged.len <= in.len && merged.p + merged.len == in.p + in.len,
		     "usr-merge form is no suffix");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_net_inodes inodes = {0};
	struct vg_inventory inv;
	struct vg_str text;
	const char *proto;
	size_t i = 0;

	if (size == 0)
		return 0;
	proto = protos[data[0] % 4];
	text = vg_str_n((const char *)data + 1, size - 1);
	vg_inventory_init(&inv, "/nonexistent");
	fuzz_require(vg_net_parse_table(&inv, proto, text, "proc/net/x", &inodes) == VG_OK,
		     "known protocol refused");
	fuzz_require(inodes.n == inv.nlisteners, "inodes not parallel to listeners");
	for (size_t k = 0; k < inv.nlisteners; k++)
		fuzz_require(inv.listeners[k].address != NULL &&
				     strcmp(inv.listeners[k].proto, proto) == 0 &&
				     inv.listeners[k].port > 0 && inv.listeners[k].port <= 65535,
			     "bad listener");
	vg_net_inodes_release(&inodes);
	vg_inventory_release(&inv);
	while (i < text.len) {
		const char *nl = memchr(text.p + i, '\n', text.len - i);
		size_t end = nl ? (size_t)(nl - text.p) : text.len;

		check_line(vg_str_n(text.p + i, end - i), data[0] & 1);
		check_proc_helpers(vg_str_n(text.p + i, end - i));
		i = end + 1;
	}
	check_proc_helpers(text);
	return 0;
}
