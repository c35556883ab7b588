/*
 * collect_net.h - the /proc/net socket table parser behind the listener
 * collector (collect_net.c), callable on memory buffers for tests and
 * fuzzing.
 *
 * The tables are the kernel's /proc/net/{tcp,tcp6,udp,udp6} (proc(5),
 * net/ipv4/tcp_ipv4.c get_tcp4_sock(), net/ipv4/udp.c udp4_format_sock()):
 * a header line, then one line per socket,
 *
 *   sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
 *   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 28167 1 ...
 *
 * Addresses are hex dumps of the in-memory (network order) address read as
 * host 32-bit words, which on the little-endian hosts we support means each
 * 32-bit word is byte-reversed: 0100007F is 127.0.0.1.  Ports are host-order
 * hex.  The tables of a big-endian kernel are not supported.
 */
#ifndef VG_AGENT_COLLECT_NET_H
#define VG_AGENT_COLLECT_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/inventory.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"

/* Longest socket line accepted (real lines are under 200 bytes). */
#define VG_NET_LINE_MAX      1024
/* Most listeners recorded from one table; the rest are skipped with a warning. */
#define VG_NET_LISTENERS_MAX 65536

/* Kernel socket states (include/net/tcp_states.h). */
#define VG_NET_TCP_LISTEN 0x0A
#define VG_NET_TCP_CLOSE  0x07

/* One parsed socket line. */
struct vg_net_socket {
	char address[46]; /* local address as inet_ntop() writes it (INET6_ADDRSTRLEN) */
	int port;         /* local port */
	int state;        /* kernel state, e.g. VG_NET_TCP_LISTEN */
	bool remote_any;  /* remote address and port are all zero */
	bool loopback;    /* local address is 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104 */
	uint64_t inode;   /* socket inode, matches the "socket:[N]" fd links; 0 if none */
};

/**
 * Parse one data line of a socket table.  @ipv6 selects 32-digit addresses
 * (tcp6, udp6) instead of 8-digit ones.  Only the first ten fields are
 * read; the ones after inode differ between tcp and udp and are ignored.
 *
 * @line: borrowed, without its newline; any bytes.
 * @out:  OUT, filled on VG_OK only.
 * Returns VG_OK, or VG_EINVAL with @err filled for a malformed line (the
 * header line too: callers skip it first with vg_net_is_header()).
 */
int vg_net_parse_line(struct vg_str line, bool ipv6, struct vg_net_socket *out /* OUT */,
		      struct vg_err *err) VG_MUST_CHECK;

/** Whether @line is the column header of a table ("  sl  local_address ..."). */
bool vg_net_is_header(struct vg_str line);

/**
 * Whether a parsed socket is a listener of its protocol: a TCP socket in
 * LISTEN state, or a UDP socket that is not connected (state CLOSE with an
 * all-zero remote end); either with a local port (non-zero).
 */
bool vg_net_is_listener(const struct vg_net_socket *s, bool udp);

/* Socket inodes of the listeners appended by vg_net_parse_table(). */
struct vg_net_inodes {
	uint64_t *v; /* owned; v[i] belongs to inv->listeners[first + i] */
	size_t n, cap;
};

/** Free @in's storage (the struct itself is the caller's). */
void vg_net_inodes_release(struct vg_net_inodes *in);

/**
 * Parse the text of one whole table and append a struct vg_listener to
 * @inv for each listener (pid 0, no process: see vg_collect_listeners()).
 * Malformed lines are skipped with a warning naming @path and the line.
 *
 * @proto:  "tcp", "tcp6", "udp" or "udp6".
 * @data:   borrowed; any bytes.
 * @path:   borrowed, for warnings, e.g. "proc/net/tcp".
 * @inodes: optional; when not NULL the inode of every appended listener
 *          is appended to it in the same order.
 * Returns VG_OK, or VG_EINVAL for an unknown @proto.
 */
int vg_net_parse_table(struct vg_inventory *inv, const char *proto, struct vg_str data,
		       const char *path, struct vg_net_inodes *inodes) VG_MUST_CHECK;

#endif /* VG_AGENT_COLLECT_NET_H */
