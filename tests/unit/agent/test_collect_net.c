/*
 * test_collect_net.c - the listener collector (src/agent/collect_net.c):
 * the /proc/net line and table parsers, the fixture root procfs-fixture
 * and sockets opened by the test itself on this host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "agent/collect_net.h"
#include "agent/inventory.h"
#include "core/alloc.h"
#include "core/err.h"
#include "vgtest.h"

#define TAIL " 00000000:00000000 00:00000000 00000000     0        0 "

/* ---- vg_net_parse_line ---- */

struct line_case {
	const char *line;
	bool ipv6;
	int rc;
	const char *address;
	int port;
	int state;
	bool remote_any;
	bool loopback;
	uint64_t inode;
};

static void
parse_line_cases(void **state)
{
	static const struct line_case cases[] = {
		{"   0: 0100007F:0CEA 00000000:0000 0A" TAIL
		 "28167 1 0000000000000000 100 0 0 10 0",
		 false, VG_OK, "127.0.0.1", 3306, 0x0A, true, true, 28167},
		{"   1: 00000000:0016 00000000:0000 0A" TAIL "1001 1 0000000000000000 100 0 0 10 0",
		 false, VG_OK, "0.0.0.0", 22, 0x0A, true, false, 1001},
		{"   2: 0F02000A:A3C2 08080808:0035 01" TAIL "9002 2 0000000000000000 0", false,
		 VG_OK, "10.0.2.15", 41922, 0x01, false, false, 9002},
		{"  7: 0100007E:0001 00000000:0000 07" TAIL "5", false, VG_OK, "126.0.0.1", 1, 0x07,
		 true, false, 5},
		{"0: FFFFFF7F:FFFF 00000000:0000 07" TAIL "18446744073709551615", false, VG_OK,
		 "127.255.255.255", 65535, 0x07, true, true, UINT64_MAX},
		{"\t0:\t0100007f:0cea\t00000000:0000\t0a" TAIL "1", false, VG_OK, "127.0.0.1", 3306,
		 0x0A, true, true, 1},
		{"   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 "
		 "0A" TAIL "2001 1 0000000000000000 100 0 0 10 0",
		 true, VG_OK, "::", 22, 0x0A, true, false, 2001},
		{"   1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 "
		 "0A" TAIL "8001 1",
		 true, VG_OK, "::1", 631, 0x0A, true, true, 8001},
		{"   2: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 "
		 "0A" TAIL "6001 1",
		 true, VG_OK, "::ffff:127.0.0.1", 8080, 0x0A, true, true, 6001},
		{"   3: 0000000000000000FFFF00000F02000A:1F90 00000000000000000000000000000000:0000 "
		 "0A" TAIL "6002 1",
		 true, VG_OK, "::ffff:10.0.2.15", 8080, 0x0A, true, false, 6002},
		/* fe80::1 and 2001:db8::1: each 32-bit word is byte-reversed. */
		{"   4: 000080FE000000000000000001000000:0035 00000000000000000000000000000000:0000 "
		 "07" TAIL "77",
		 true, VG_OK, "fe80::1", 53, 0x07, true, false, 77},
		{"   5: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 "
		 "0A" TAIL "78",
		 true, VG_OK, "2001:db8::1", 443, 0x0A, true, false, 78},
		{"   6: 00000000000000000000000002000000:0016 00000000000000000000000000000000:0000 "
		 "0A" TAIL "79",
		 true, VG_OK, "::2", 22, 0x0A, true, false, 79},
		{"   7: 00000000000000000000000000000000:0016 B80D0120000000000000000001000000:D431 "
		 "01" TAIL "0",
		 true, VG_OK, "::", 22, 0x01, false, false, 0},
		/* Malformed lines. */
		{"", false, VG_EINVAL, NULL, 0, 0, false, false, 0},
		{"   4: this is not a socket line at all", false, VG_EINVAL, NULL, 0, 0, false,
		 false, 0},
		{"   4: 0000:0016", true, VG_EINVAL, NULL, 0, 0, false, false, 0},
		{"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
		 "timeout inode",
		 false, VG_EINVAL, NULL, 0, 0, false, false, 0},
		{"   0: 0100007F:0CEA 00000000:0000 0A" TAIL "28167 1", true, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 "
		 "0A" TAIL "1",
		 false, VG_EINVAL, NULL, 0, 0, false, false, 0},
		{"   0: 0100007G:0CEA 00000000:0000 0A" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F:CEA 00000000:0000 0A" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F:0CEA0 00000000:0000 0A" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F-0CEA 00000000:0000 0A" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F:0CEA 00000000:000 0A" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F:0CEA 00000000:0000 A" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F:0CEA 00000000:0000 0Z" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F:0CEA 00000000:0000 0A" TAIL "18446744073709551616", false,
		 VG_EINVAL, NULL, 0, 0, false, false, 0},
		{"   0: 0100007F:0CEA 00000000:0000 0A" TAIL "99999999999999999999999", false,
		 VG_EINVAL, NULL, 0, 0, false, false, 0},
		{"   0: 0100007F:0CEA 00000000:0000 0A" TAIL "-1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F:0CEA 00000000:0000 0A" TAIL "12a", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     x "
		 "       0 1",
		 false, VG_EINVAL, NULL, 0, 0, false, false, 0},
		{"   x: 0100007F:0CEA 00000000:0000 0A" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0 0100007F:0CEA 00000000:0000 0A" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   : 0100007F:0CEA 00000000:0000 0A" TAIL "1", false, VG_EINVAL, NULL, 0, 0,
		 false, false, 0},
		{"   0: 0100007F:0CEA 00000000:0000 0A", false, VG_EINVAL, NULL, 0, 0, false, false,
		 0},
	};
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		const struct line_case *c = &cases[i];
		struct vg_net_socket s;
		struct vg_err err = {0};
		int rc;

		memset(&s, 0x5A, sizeof(s));
		rc = vg_net_parse_line(vg_str_c(c->line), c->ipv6, &s, &err);
		if (rc != c->rc) {
			print_message("case %zu: rc %d want %d (%s): '%s'\n", i, rc, c->rc, err.msg,
				      c->line);
			failed++;
			continue;
		}
		if (rc != VG_OK) {
			if (err.msg[0] == '\0') {
				print_message("case %zu: no error message\n", i);
				failed++;
			}
			continue;
		}
		if (strcmp(s.address, c->address) != 0 || s.port != c->port ||
		    s.state != c->state || s.remote_any != c->remote_any ||
		    s.loopback != c->loopback || s.inode != c->inode) {
			print_message("case %zu: got %s port %d st %02X any %d lo %d inode %llu\n",
				      i, s.address, s.port, s.state, s.remote_any, s.loopback,
				      (unsigned long long)s.inode);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
parse_line_bounds(void **state)
{
	char *line = vg_xmalloc(VG_NET_LINE_MAX + 2);
	struct vg_net_socket s;
	struct vg_err err;
	static const char nul[] = "   0: 0100007F:0CEA 00000000:0000 0A\0" TAIL "1";

	(void)state;
	memset(line, ' ', VG_NET_LINE_MAX + 1);
	memcpy(line, "0: 0100007F:0CEA 00000000:0000 0A" TAIL "1", 34);
	assert_int_equal(vg_net_parse_line(vg_str_n(line, VG_NET_LINE_MAX + 1), false, &s, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "longer"));
	/* A NUL byte is just another non-blank byte: the state field becomes invalid. */
	assert_int_equal(vg_net_parse_line(vg_str_n(nul, sizeof(nul) - 1), false, &s, &err),
			 VG_EINVAL);
	assert_int_equal(vg_net_parse_line(VG_STR_LIT("x"), false, &s, NULL), VG_EINVAL);
	free(line);
}

static void
listener_rules(void **state)
{
	struct vg_net_socket s = {.port = 53, .remote_any = true};

	(void)state;
	s.state = VG_NET_TCP_LISTEN;
	assert_true(vg_net_is_listener(&s, false));
	assert_false(vg_net_is_listener(&s, true)); /* 0A is not a UDP state */
	s.state = VG_NET_TCP_CLOSE;
	assert_false(vg_net_is_listener(&s, false));
	assert_true(vg_net_is_listener(&s, true));
	s.remote_any = false; /* a connected UDP socket */
	assert_false(vg_net_is_listener(&s, true));
	s.remote_any = true;
	s.port = 0; /* not bound */
	assert_false(vg_net_is_listener(&s, true));
	s.port = 53;
	s.state = 0x01; /* established */
	assert_false(vg_net_is_listener(&s, true));
	assert_false(vg_net_is_listener(&s, false));
	assert_true(vg_net_is_header(VG_STR_LIT("  sl  local_address rem_address   st")));
	assert_true(vg_net_is_header(VG_STR_LIT("sl local_address")));
	assert_false(vg_net_is_header(VG_STR_LIT("sl")));
	assert_false(vg_net_is_header(VG_STR_LIT("   0: 0100007F:0CEA")));
}

/* ---- vg_net_parse_table ---- */

static void
parse_table_buffer(void **state)
{
	static const char table[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
		"timeout inode\n"
		"   0: 00000000:0016 00000000:0000 0A" TAIL "1001 1 0000000000000000 100 0 0 10 0\n"
		"   1: 0100007F:0016 0100007F:A1B2 01" TAIL
		"7002 1 0000000000000000 20 4 30 10 -1\n"
		"\n"
		"   2: garbage\n"
		"   3: 0100007F:0CEA 00000000:0000 0A" TAIL "7001 1 0000000000000000 100 0 0 10 0";
	struct vg_net_inodes in = {0};
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent");
	assert_int_equal(vg_net_parse_table(&inv, "tcp", vg_str_n(table, sizeof(table) - 1),
					    "proc/net/tcp", &in),
			 VG_OK);
	assert_int_equal(inv.nlisteners, 2);
	assert_int_equal(in.n, 2);
	assert_string_equal(inv.listeners[0].proto, "tcp");
	assert_string_equal(inv.listeners[0].address, "0.0.0.0");
	assert_int_equal(inv.listeners[0].port, 22);
	assert_false(inv.listeners[0].loopback);
	assert_int_equal(inv.listeners[0].pid, 0);
	assert_true(in.v[0] == 1001);
	assert_string_equal(inv.listeners[1].address, "127.0.0.1");
	assert_int_equal(inv.listeners[1].port, 3306);
	assert_true(inv.listeners[1].loopback);
	assert_true(in.v[1] == 7001);
	assert_int_equal(inv.nwarnings, 1);
	assert_string_equal(inv.warnings[0].collector, "net");
	assert_string_equal(inv.warnings[0].path, "proc/net/tcp");
	assert_int_equal(inv.warnings[0].line, 5);
	/* The same text read as UDP has no listener: 0A is no UDP state, 01 is connected. */
	assert_int_equal(vg_net_parse_table(&inv, "udp", vg_str_n(table, sizeof(table) - 1),
					    "proc/net/udp", NULL),
			 VG_OK);
	assert_int_equal(inv.nlisteners, 2);
	assert_int_equal(vg_net_parse_table(&inv, "raw", vg_str_n(table, 10), "x", NULL),
			 VG_EINVAL);
	assert_int_equal(vg_net_parse_table(&inv, NULL, vg_str_n(table, 10), "x", NULL), VG_EINVAL);
	assert_int_equal(vg_net_parse_table(&inv, "tcp6", vg_str_n(NULL, 0), "x", NULL), VG_OK);
	vg_net_inodes_release(&in);
	vg_inventory_release(&inv);
}

/* ---- The fixture root ---- */

struct want_listener {
	const char *proto;
	const char *address;
	int port;
	bool loopback;
	int pid;
	const char *process;
	const char *package;
};

static void
fixture_listeners(void **state)
{
	static const struct want_listener want[] = {
		/* sshd's socket is shared by 100 and 101: the parent (lowest pid) owns it. */
		{"tcp", "0.0.0.0", 22, false, 100, "/usr/sbin/sshd", "openssh-server"},
		{"tcp", "0.0.0.0", 80, false, 700, "/usr/sbin/nginx", "nginx-core"},
		{"tcp", "127.0.0.1", 3306, true, 0, NULL, NULL},
		{"tcp6", "::", 22, false, 100, "/usr/sbin/sshd", "openssh-server"},
		{"tcp6", "::1", 631, true, 0, NULL, NULL},
		{"tcp6", "::", 8000, false, 500, "/opt/app/server (deleted)", "app"},
		{"tcp6", "::ffff:127.0.0.1", 8080, true, 700, "/usr/sbin/nginx", "nginx-core"},
		{"udp", "0.0.0.0", 68, false, 0, NULL, NULL},
		{"udp", "127.0.0.1", 5353, true, 300, "/usr/bin/python3.11", "python3.11-minimal"},
		{"udp6", "::", 5353, false, 300, "/usr/bin/python3.11", "python3.11-minimal"},
	};
	static const struct {
		const char *path;
		int line;
	} warnings[] = {{"proc/net/tcp", 6}, {"proc/net/tcp6", 6}, {"proc/net/udp", 5}};
	char *root = vgt_test_data_path("roots/procfs-fixture");
	struct vg_inventory inv;
	size_t nproc_warnings;

	(void)state;
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	nproc_warnings = inv.nwarnings;
	assert_int_equal(vg_collect_listeners(&inv), VG_OK);
	for (size_t i = 0; i < inv.nlisteners; i++) {
		const struct vg_listener *l = &inv.listeners[i];

		print_message("%s %s %d lo=%d pid=%d %s %s\n", l->proto, l->address, l->port,
			      l->loopback, l->pid, l->process ? l->process : "-",
			      l->package ? l->package : "-");
	}
	assert_int_equal(inv.nlisteners, VG_ARRAY_LEN(want));
	for (size_t i = 0; i < VG_ARRAY_LEN(want); i++) {
		const struct vg_listener *l = &inv.listeners[i];

		assert_string_equal(l->proto, want[i].proto);
		assert_string_equal(l->address, want[i].address);
		assert_int_equal(l->port, want[i].port);
		assert_int_equal(l->loopback, want[i].loopback);
		assert_int_equal(l->pid, want[i].pid);
		if (want[i].process)
			assert_string_equal(l->process, want[i].process);
		else
			assert_null(l->process);
		if (want[i].package)
			assert_string_equal(l->package, want[i].package);
		else
			assert_null(l->package);
	}
	assert_true(inv.network_exposed);
	assert_int_equal(inv.nwarnings - nproc_warnings, VG_ARRAY_LEN(warnings));
	for (size_t i = 0; i < VG_ARRAY_LEN(warnings); i++) {
		const struct vg_inv_warning *w = &inv.warnings[nproc_warnings + i];

		print_message("warning %s:%d %s\n", w->path, w->line, w->message);
		assert_string_equal(w->collector, "net");
		assert_string_equal(w->path, warnings[i].path);
		assert_int_equal(w->line, warnings[i].line);
	}
	vg_inventory_release(&inv);
	free(root);
}

static void
no_proc_no_listeners(void **state)
{
	char *root = vgt_test_data_path("roots/procfs-apk");
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_listeners(&inv), VG_OK);
	assert_int_equal(inv.nlisteners, 0);
	assert_int_equal(inv.nwarnings, 0);
	assert_false(inv.network_exposed);
	vg_inventory_release(&inv);
	free(root);
}

/* ---- This host: sockets the test opens itself ---- */

static int
bound_socket(int type, int *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static const struct vg_listener *
find_listener(const struct vg_inventory *inv, const char *proto, int port)
{
	for (size_t i = 0; i < inv->nlisteners; i++)
		if (strcmp(inv->listeners[i].proto, proto) == 0 && inv->listeners[i].port == port)
			return &inv->listeners[i];
	return NULL;
}

static void
live_own_sockets(void **state)
{
	int tport, uport, tfd = bound_socket(SOCK_STREAM, &tport);
	int ufd = bound_socket(SOCK_DGRAM, &uport);
	const struct vg_listener *t, *u;
	struct vg_inventory inv;
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	(void)state;
	assert_true(n > 0);
	exe[n] = '\0';
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	assert_int_equal(vg_collect_listeners(&inv), VG_OK);
	t = find_listener(&inv, "tcp", tport);
	u = find_listener(&inv, "udp", uport);
	assert_non_null(t);
	assert_non_null(u);
	assert_string_equal(t->address, "127.0.0.1");
	assert_true(t->loopback);
	assert_int_equal(t->pid, getpid());
	assert_string_equal(t->process, exe);
	assert_string_equal(u->address, "127.0.0.1");
	assert_true(u->loopback);
	assert_int_equal(u->pid, getpid());
	vg_inventory_release(&inv);
	/* Closed sockets are gone from the next scan. */
	close(tfd);
	close(ufd);
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	assert_int_equal(vg_collect_listeners(&inv), VG_OK);
	assert_null(find_listener(&inv, "tcp", tport));
	vg_inventory_release(&inv);
}

/* An IPv6 wildcard listener is network-exposed (skipped when the host has no IPv6). */
static void
live_ipv6_any(void **state)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT};
	socklen_t len = sizeof(sa);
	const struct vg_listener *l;
	struct vg_inventory inv;
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	(void)state;
	if (fd < 0)
		skip();
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 1) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		close(fd);
		skip();
	}
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_collect_processes(&inv), VG_OK);
	assert_int_equal(vg_collect_listeners(&inv), VG_OK);
	l = find_listener(&inv, "tcp6", ntohs(sa.sin6_port));
	assert_non_null(l);
	assert_string_equal(l->address, "::");
	assert_false(l->loopback);
	assert_int_equal(l->pid, getpid());
	assert_true(inv.network_exposed);
	vg_inventory_release(&inv);
	close(fd);
}

static int
cmp_listener(const void *a, const void *b)
{
	const struct vg_listener *x = a, *y = b;
	int c = strcmp(x->proto, y->proto);

	if (c == 0)
		c = (x->port > y->port) - (x->port < y->port);
	if (c == 0)
		c = strcmp(x->address, y->address);
	return c;
}

/* The listeners of this host read from /proc/net with the buffer parser. */
static void
procfs_listeners(struct vg_inventory *inv)
{
	static const char *const protos[] = {"tcp", "tcp6", "udp", "udp6"};

	for (size_t i = 0; i < VG_ARRAY_LEN(protos); i++) {
		char path[64], *data = NULL;
		size_t len = 0;

		snprintf(path, sizeof(path), "/proc/net/%s", protos[i]);
		if (vg_inv_read_file(path, 1 << 26, &data, &len) != VG_OK)
			continue;
		assert_int_equal(
			vg_net_parse_table(inv, protos[i], vg_str_n(data, len), path, NULL), VG_OK);
		free(data);
	}
	qsort(inv->listeners, inv->nlisteners, sizeof(*inv->listeners), cmp_listener);
}

static bool
same_listeners(const struct vg_inventory *a, const struct vg_inventory *b)
{
	if (a->nlisteners != b->nlisteners)
		return false;
	for (size_t i = 0; i < a->nlisteners; i++)
		if (cmp_listener(&a->listeners[i], &b->listeners[i]) != 0 ||
		    a->listeners[i].loopback != b->listeners[i].loopback)
			return false;
	return true;
}

/* On the live root the collector asks netlink: it must see what /proc/net shows. */
static void
live_netlink_matches_procfs(void **state)
{
	int tport, uport, tfd = bound_socket(SOCK_STREAM, &tport);
	int ufd = bound_socket(SOCK_DGRAM, &uport);
	bool same = false;

	(void)state;
	/* Sockets of other processes may come and go between the two reads: retry. */
	for (int attempt = 0; attempt < 5 && !same; attempt++) {
		struct vg_inventory live, text;

		vg_inventory_init(&live, "/");
		vg_inventory_init(&text, "/");
		assert_int_equal(vg_collect_listeners(&live), VG_OK);
		procfs_listeners(&text);
		same = same_listeners(&live, &text);
		for (size_t i = 0; !same && i < live.nlisteners; i++)
			print_message("netlink %s %s %d\n", live.listeners[i].proto,
				      live.listeners[i].address, live.listeners[i].port);
		for (size_t i = 0; !same && i < text.nlisteners; i++)
			print_message("procfs  %s %s %d\n", text.listeners[i].proto,
				      text.listeners[i].address, text.listeners[i].port);
		assert_non_null(find_listener(&text, "tcp", tport));
		assert_non_null(find_listener(&text, "udp", uport));
		vg_inventory_release(&live);
		vg_inventory_release(&text);
	}
	close(tfd);
	close(ufd);
	assert_true(same);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
live_timing(void **state)
{
	double best = 1e9;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 5; i++) {
		struct vg_inventory inv;
		double t0, t;

		vg_inventory_init(&inv, "/");
		assert_int_equal(vg_collect_processes(&inv), VG_OK);
		t0 = now_ms();
		assert_int_equal(vg_collect_listeners(&inv), VG_OK);
		t = now_ms() - t0;
		best = t < best ? t : best;
		n = inv.nlisteners;
		vg_inventory_release(&inv);
	}
	print_message("vg_collect_listeners: %zu listeners in %.2f ms (best of 5, this build)\n", n,
		      best);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_line_cases),
		cmocka_unit_test(parse_line_bounds),
		cmocka_unit_test(listener_rules),
		cmocka_unit_test(parse_table_buffer),
		cmocka_unit_test(fixture_listeners),
		cmocka_unit_test(no_proc_no_listeners),
		cmocka_unit_test(live_own_sockets),
		cmocka_unit_test(live_ipv6_any),
		cmocka_unit_test(live_netlink_matches_procfs),
		cmocka_unit_test(live_timing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
