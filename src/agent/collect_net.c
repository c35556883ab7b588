/*
 * collect_net.c - listening sockets and the processes that own them
 * (issue 3, "listening sockets").
 *
 * The socket tables <root>/proc/net/{tcp,tcp6,udp,udp6} (format in
 * collect_net.h) give every listening TCP socket and every bound,
 * unconnected UDP socket with its local address, port and inode.  The owner
 * of a socket is the process holding a file descriptor that links to
 * "socket:[INODE]" (what ss -p and lsof do), searched only among the
 * processes vg_collect_processes() found; when a listening socket is shared
 * by several processes (a forking server), the lowest pid, normally the
 * parent, is reported.  A listener bound to anything but a loopback address
 * makes the device network-exposed.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/collect_net.h"
#include "core/alloc.h"

/* Read buffer for streaming one table; a longer line is skipped with a warning. */
#define CHUNK_SIZE (64 * 1024)

static const char *const protos[] = {"tcp", "tcp6", "udp", "udp6"};

/* ---- One line ---- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parse exactly @s.len (1..8) hex digits. */
static bool
parse_hex32(struct vg_str s, uint32_t *out)
{
	uint32_t v = 0;

	if (s.len == 0 || s.len > 8)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		int d = hexval(s.p[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

/*
 * "HEX:PORT" with 8 or 32 address digits; the address is written to @addr
 * in network order, undoing the kernel's host-order (little-endian) words.
 */
static bool
parse_endpoint(struct vg_str s, bool ipv6, unsigned char addr[16], int *port)
{
	size_t digits = ipv6 ? 32 : 8;
	uint32_t v;

	if (s.len != digits + 5 || s.p[digits] != ':')
		return false;
	for (size_t w = 0; w < digits / 8; w++) {
		if (!parse_hex32(vg_str_n(s.p + w * 8, 8), &v))
			return false;
		for (int b = 0; b < 4; b++)
			addr[w * 4 + (size_t)b] = (unsigned char)(v >> (8 * b));
	}
	if (!parse_hex32(vg_str_n(s.p + digits + 1, 4), &v))
		return false;
	*port = (int)v;
	return true;
}

static bool
parse_u64(struct vg_str s, uint64_t *out)
{
	uint64_t v = 0;

	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		if (v > (UINT64_MAX - (uint64_t)(s.p[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	*out = v;
	return true;
}

static bool
is_loopback(const unsigned char *a, bool ipv6)
{
	static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
	static const unsigned char one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

	if (!ipv6)
		return a[0] == 127;
	return memcmp(a, one, 16) == 0 || (memcmp(a, v4mapped, 12) == 0 && a[12] == 127);
}

/* Split @line at blanks into at most @max fields; returns the number of fields. */
static size_t
split_fields(struct vg_str line, struct vg_str *f, size_t max)
{
	size_t n = 0, i = 0;

	while (n < max) {
		while (i < line.len && (line.p[i] == ' ' || line.p[i] == '\t'))
			i++;
		if (i == line.len)
			break;
		size_t start = i;

		while (i < line.len && line.p[i] != ' ' && line.p[i] != '\t')
			i++;
		f[n++] = vg_str_n(line.p + start, i - start);
	}
	return n;
}

bool
vg_net_is_header(struct vg_str line)
{
	struct vg_str f[2];

	return split_fields(line, f, 2) == 2 && vg_str_eqc(f[0], "sl") &&
	       vg_str_eqc(f[1], "local_address");
}

static bool
all_digits(struct vg_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return s.len > 0;
}

int
vg_net_parse_line(struct vg_str line, bool ipv6, struct vg_net_socket *out, struct vg_err *err)
{
	unsigned char local[16] = {0}, remote[16] = {0};
	static const unsigned char zero[16];
	struct vg_str f[10];
	int rport;
	uint32_t st;

	if (line.len > VG_NET_LINE_MAX)
		return vg_error(err, VG_EINVAL, "socket line longer than %d bytes",
				VG_NET_LINE_MAX);
	if (split_fields(line, f, 10) < 10)
		return vg_error(err, VG_EINVAL, "too few fields in '%.*s'",
				(int)(line.len > 80 ? 80 : line.len), line.p);
	if (f[0].len < 2 || f[0].p[f[0].len - 1] != ':' ||
	    !all_digits(vg_str_sub(f[0], 0, f[0].len - 1)))
		return vg_error(err, VG_EINVAL, "invalid slot '%.*s'", (int)f[0].len, f[0].p);
	if (!parse_endpoint(f[1], ipv6, local, &out->port))
		return vg_error(err, VG_EINVAL, "invalid local address '%.*s'",
				(int)(f[1].len > 64 ? 64 : f[1].len), f[1].p);
	if (!parse_endpoint(f[2], ipv6, remote, &rport))
		return vg_error(err, VG_EINVAL, "invalid remote address '%.*s'",
				(int)(f[2].len > 64 ? 64 : f[2].len), f[2].p);
	if (f[3].len != 2 || !parse_hex32(f[3], &st))
		return vg_error(err, VG_EINVAL, "invalid state '%.*s'",
				(int)(f[3].len > 16 ? 16 : f[3].len), f[3].p);
	if (!all_digits(f[7]))
		return vg_error(err, VG_EINVAL, "invalid uid '%.*s'",
				(int)(f[7].len > 16 ? 16 : f[7].len), f[7].p);
	if (!parse_u64(f[9], &out->inode))
		return vg_error(err, VG_EINVAL, "invalid inode '%.*s'",
				(int)(f[9].len > 24 ? 24 : f[9].len), f[9].p);
	out->state = (int)st;
	out->remote_any = rport == 0 && memcmp(remote, zero, 16) == 0;
	out->loopback = is_loopback(local, ipv6);
	if (!inet_ntop(ipv6 ? AF_INET6 : AF_INET, local, out->address, sizeof(out->address)))
		out->address[0] = '\0';
	return VG_OK;
}

bool
vg_net_is_listener(const struct vg_net_socket *s, bool udp)
{
	if (s->port == 0)
		return false;
	if (!udp)
		return s->state == VG_NET_TCP_LISTEN;
	return s->state == VG_NET_TCP_CLOSE && s->remote_any;
}

/* ---- One table ---- */

void
vg_net_inodes_release(struct vg_net_inodes *in)
{
	free(in->v);
	memset(in, 0, sizeof(*in));
}

struct table {
	struct vg_inventory *inv;
	const char *proto; /* one of protos[] */
	bool ipv6, udp;
	const char *path;
	struct vg_net_inodes *inodes;
	int lineno;
	size_t nlisteners;
};

static void
add_listener(struct table *t, const struct vg_net_socket *s)
{
	struct vg_listener *l;

	if (t->nlisteners++ == VG_NET_LISTENERS_MAX) {
		vg_inv_warn(t->inv, "net", t->path, t->lineno,
			    "more than %d listeners: the rest skipped", VG_NET_LISTENERS_MAX);
		return;
	}
	if (t->nlisteners > VG_NET_LISTENERS_MAX)
		return;
	l = vg_inv_add_listener(t->inv);
	l->proto = t->proto;
	l->address = vg_inv_strc(t->inv, s->address);
	l->port = s->port;
	l->loopback = s->loopback;
	if (t->inodes) {
		struct vg_net_inodes *in = t->inodes;

		if (in->n == in->cap) {
			in->cap = in->cap ? in->cap * 2 : 32;
			in->v = vg_xreallocarray(in->v, in->cap, sizeof(*in->v));
		}
		in->v[in->n++] = s->inode;
	}
}

static void
table_line(struct table *t, struct vg_str line)
{
	struct vg_net_socket s;
	struct vg_err err;

	t->lineno++;
	if (vg_str_trim(line).len == 0 || vg_net_is_header(line))
		return;
	if (vg_net_parse_line(line, t->ipv6, &s, &err) != VG_OK) {
		vg_inv_warn(t->inv, "net", t->path, t->lineno, "%s", err.msg);
		return;
	}
	if (vg_net_is_listener(&s, t->udp))
		add_listener(t, &s);
}

static bool
table_init(struct table *t, struct vg_inventory *inv, const char *proto, const char *path,
	   struct vg_net_inodes *inodes)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < VG_ARRAY_LEN(protos); i++)
		if (proto && strcmp(proto, protos[i]) == 0)
			t->proto = protos[i];
	if (!t->proto)
		return false;
	t->inv = inv;
	t->ipv6 = t->proto[3] == '6';
	t->udp = t->proto[0] == 'u';
	t->path = path;
	t->inodes = inodes;
	return true;
}

int
vg_net_parse_table(struct vg_inventory *inv, const char *proto, struct vg_str data,
		   const char *path, struct vg_net_inodes *inodes)
{
	struct table t;
	size_t i = 0;

	if (!table_init(&t, inv, proto, path, inodes))
		return VG_EINVAL;
	while (i < data.len) {
		const char *nl = memchr(data.p + i, '\n', data.len - i);
		size_t end = nl ? (size_t)(nl - data.p) : data.len;

		table_line(&t, vg_str_n(data.p + i, end - i));
		i = end + 1;
	}
	return VG_OK;
}

/* Stream <root>/proc/net/@proto through table_line() with a fixed buffer. */
static void
read_table(struct vg_inventory *inv, const char *proto, char *buf, struct vg_net_inodes *inodes)
{
	char rel[32], path[PATH_MAX];
	size_t have = 0;
	bool skipping = false;
	struct table t;
	int fd;

	snprintf(rel, sizeof(rel), "proc/net/%s", proto);
	if (!table_init(&t, inv, proto, rel, inodes) || !vg_inv_path(inv, rel, path, sizeof(path)))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		/* A kernel without IPv6 has no tcp6; an image has no /proc at all. */
		if (errno != ENOENT && errno != ENOTDIR)
			vg_inv_warn(inv, "net", rel, 0, "cannot open: %s", strerror(errno));
		return;
	}
	for (;;) {
		ssize_t r = read(fd, buf + have, CHUNK_SIZE - have);
		size_t start = 0;
		const char *nl;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			vg_inv_warn(inv, "net", rel, 0, "cannot read: %s", strerror(errno));
			break;
		}
		if (r == 0) {
			if (have > 0 && !skipping)
				table_line(&t, vg_str_n(buf, have));
			break;
		}
		have += (size_t)r;
		while ((nl = memchr(buf + start, '\n', have - start))) {
			if (skipping)
				skipping = false;
			else
				table_line(&t, vg_str_n(buf + start, (size_t)(nl - buf) - start));
			start = (size_t)(nl - buf) + 1;
		}
		if (start == 0 && have == CHUNK_SIZE) {
			if (!skipping)
				vg_inv_warn(inv, "net", rel, ++t.lineno,
					    "line longer than %d bytes", CHUNK_SIZE);
			skipping = true;
			have = 0;
			continue;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	close(fd);
}

/* ---- The live host: sock_diag netlink, the fast path ---- */

/*
 * Reading /proc/net/tcp walks every bucket of the kernel's established
 * hash (milliseconds on a VM with a large hash), while a sock_diag dump
 * asking for LISTEN only walks the listening hash (tens of microseconds):
 * that is what ss(8) uses.  The answer is the same socket table, so on the
 * live root it is asked first and the /proc/net text is the fallback (no
 * udp_diag module, netlink refused) and the only source under other roots.
 */

struct sock_vec {
	struct vg_net_socket *v;
	size_t n, cap;
};

static bool
live_root(const struct vg_inventory *inv)
{
	char real[PATH_MAX];

	return realpath(inv->root, real) && strcmp(real, "/") == 0;
}

static void
push_diag(struct sock_vec *out, const struct inet_diag_msg *m, bool ipv6)
{
	static const unsigned char zero[16];
	unsigned char local[16] = {0}, remote[16] = {0};
	struct vg_net_socket *s;

	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 32;
		out->v = vg_xreallocarray(out->v, out->cap, sizeof(*out->v));
	}
	s = &out->v[out->n++];
	memcpy(local, m->id.idiag_src, ipv6 ? 16 : 4);
	memcpy(remote, m->id.idiag_dst, ipv6 ? 16 : 4);
	s->port = ntohs(m->id.idiag_sport);
	s->state = m->idiag_state;
	s->inode = m->idiag_inode;
	s->remote_any = m->id.idiag_dport == 0 && memcmp(remote, zero, 16) == 0;
	s->loopback = is_loopback(local, ipv6);
	if (!inet_ntop(ipv6 ? AF_INET6 : AF_INET, local, s->address, sizeof(s->address)))
		s->address[0] = '\0';
}

/* Dump the sockets of @t's protocol in listening states into @out. */
static int
diag_dump(int fd, const struct table *t, char *buf, struct sock_vec *out)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	int family = t->ipv6 ? AF_INET6 : AF_INET;

	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nlh.nlmsg_seq = 1;
	msg.req.sdiag_family = (uint8_t)family;
	msg.req.sdiag_protocol = t->udp ? IPPROTO_UDP : IPPROTO_TCP;
	msg.req.idiag_states = 1u << (t->udp ? VG_NET_TCP_CLOSE : VG_NET_TCP_LISTEN);
	if (send(fd, &msg, sizeof(msg), 0) != (ssize_t)sizeof(msg))
		return VG_EIO;
	for (;;) {
		ssize_t r = recv(fd, buf, CHUNK_SIZE, 0);
		size_t off = 0, len = r > 0 ? (size_t)r : 0;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return VG_EIO;
		while (len - off >= sizeof(struct nlmsghdr)) {
			struct nlmsghdr *h = (struct nlmsghdr *)(buf + off);
			const struct inet_diag_msg *m = NLMSG_DATA(h);

			if (h->nlmsg_len < sizeof(*h) || h->nlmsg_len > len - off)
				return VG_EIO;
			if (h->nlmsg_type == NLMSG_DONE)
				return VG_OK;
			if (h->nlmsg_type == NLMSG_ERROR)
				return VG_EIO;
			if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
			    h->nlmsg_len >= NLMSG_LENGTH(sizeof(*m)) && m->idiag_family == family)
				push_diag(out, m, t->ipv6);
			off += NLMSG_ALIGN(h->nlmsg_len);
		}
	}
}

/* The listeners of @proto through netlink; VG_EIO (nothing added) when it cannot answer. */
static int
read_diag(struct vg_inventory *inv, const char *proto, char *buf, struct vg_net_inodes *inodes)
{
	struct timeval tv = {1, 0};
	struct sock_vec v = {0};
	struct table t;
	int fd, rc;

	if (!table_init(&t, inv, proto, "netlink", inodes))
		return VG_EINVAL;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return VG_EIO;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	rc = diag_dump(fd, &t, buf, &v);
	close(fd);
	/* All or nothing, so that a failed dump can be redone from /proc/net. */
	for (size_t i = 0; rc == VG_OK && i < v.n; i++)
		if (vg_net_is_listener(&v.v[i], t.udp))
			add_listener(&t, &v.v[i]);
	free(v.v);
	return rc;
}

/* ---- Owners: fd links "socket:[INODE]" of the known processes ---- */

struct inode_ref {
	uint64_t inode;
	size_t listener; /* index in inv->listeners */
};

static int
cmp_inode(const void *a, const void *b)
{
	uint64_t x = ((const struct inode_ref *)a)->inode, y = ((const struct inode_ref *)b)->inode;

	return (x > y) - (x < y);
}

struct owners {
	struct vg_inventory *inv;
	struct inode_ref *refs;
	size_t nrefs;
	size_t unowned;    /* listeners with a non-zero inode and no owner yet */
	size_t unreadable; /* fd directories we were not allowed to read */
};

/* The inode of an fd link text "socket:[12345]", or 0. */
static uint64_t
socket_inode(const char *link, size_t n)
{
	uint64_t v;

	if (n < 10 || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']')
		return 0;
	return parse_u64(vg_str_n(link + 8, n - 9), &v) ? v : 0;
}

static void
claim(struct owners *o, uint64_t inode, const struct vg_process *p)
{
	struct inode_ref key = {inode, 0}, *hit;

	hit = bsearch(&key, o->refs, o->nrefs, sizeof(*o->refs), cmp_inode);
	if (!hit)
		return;
	while (hit > o->refs && hit[-1].inode == inode)
		hit--;
	for (; hit < o->refs + o->nrefs && hit->inode == inode; hit++) {
		struct vg_listener *l = &o->inv->listeners[hit->listener];

		if (l->pid != 0 && l->pid <= p->pid)
			continue;
		if (l->pid == 0)
			o->unowned--;
		l->pid = p->pid;
		l->process = p->exe;
		l->package = p->package;
	}
}

static void
scan_fds(struct owners *o, const struct vg_process *p)
{
	char rel[48], path[PATH_MAX], link[64];
	struct dirent *de;
	DIR *dir;

	snprintf(rel, sizeof(rel), "proc/%d/fd", p->pid);
	if (!vg_inv_path(o->inv, rel, path, sizeof(path)))
		return;
	dir = opendir(path);
	if (!dir) {
		if (errno == EACCES || errno == EPERM)
			o->unreadable++;
		return;
	}
	while ((de = readdir(dir))) {
		ssize_t n;

		if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
			continue;
		n = readlinkat(dirfd(dir), de->d_name, link, sizeof(link));
		if (n < 0 && (errno == EACCES || errno == EPERM)) {
			/* The check is per process (ptrace access mode): the other fds fail too. */
			o->unreadable++;
			break;
		}
		if (n > 0 && (size_t)n < sizeof(link)) {
			uint64_t inode = socket_inode(link, (size_t)n);

			if (inode)
				claim(o, inode, p);
		}
	}
	closedir(dir);
}

static bool
pids_ascending(const struct vg_inventory *inv)
{
	for (size_t i = 1; i < inv->nprocesses; i++)
		if (inv->processes[i - 1].pid >= inv->processes[i].pid)
			return false;
	return true;
}

static void
find_owners(struct vg_inventory *inv, size_t first, const struct vg_net_inodes *in)
{
	struct owners o = {.inv = inv};
	bool ascending = pids_ascending(inv);

	o.refs = vg_xcalloc(in->n ? in->n : 1, sizeof(*o.refs));
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i] != 0) {
			o.refs[o.nrefs].inode = in->v[i];
			o.refs[o.nrefs++].listener = first + i;
		}
	o.unowned = o.nrefs;
	qsort(o.refs, o.nrefs, sizeof(*o.refs), cmp_inode);
	/* In pid order the first claim is the lowest pid, so we can stop once all are owned. */
	for (size_t i = 0; i < inv->nprocesses && (o.unowned > 0 || !ascending); i++)
		if (inv->processes[i].pid > 0)
			scan_fds(&o, &inv->processes[i]);
	if (o.unowned > 0 && o.unreadable > 0)
		vg_inv_warn(inv, "net", "proc", 0,
			    "the open files of %zu processes are not readable (not permitted): "
			    "the owners of %zu listeners are unknown",
			    o.unreadable, o.unowned);
	free(o.refs);
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
	if (c == 0)
		c = (x->pid > y->pid) - (x->pid < y->pid);
	return c;
}

int
vg_collect_listeners(struct vg_inventory *inv)
{
	struct vg_net_inodes in = {0};
	size_t first = inv->nlisteners;
	char *buf = vg_xmalloc(CHUNK_SIZE);

	bool live = live_root(inv);

	for (size_t i = 0; i < VG_ARRAY_LEN(protos); i++)
		if (!live || read_diag(inv, protos[i], buf, &in) != VG_OK)
			read_table(inv, protos[i], buf, &in);
	free(buf);
	if (inv->nlisteners > first)
		find_owners(inv, first, &in);
	vg_net_inodes_release(&in);
	/* A stable order keeps the section hash stable across scans. */
	if (inv->nlisteners > first)
		qsort(inv->listeners + first, inv->nlisteners - first, sizeof(*inv->listeners),
		      cmp_listener);
	for (size_t i = 0; i < inv->nlisteners; i++)
		if (!inv->listeners[i].loopback)
			inv->network_exposed = true;
	return VG_OK;
}
