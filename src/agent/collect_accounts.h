/*
 * collect_accounts.h - local accounts: the buffer-level parsers of
 * etc/passwd (passwd(5)), etc/shadow (shadow(5)) and etc/group (group(5))
 * behind vg_collect_accounts() (inventory.h).
 *
 * Secrets: from a password field only its state is kept (struct
 * vg_account.password): empty, locked ('!' or '*' first, so "!", "!!",
 * "*", "!$6$..." and "*LK*"), or set.  No byte of a hash is ever copied,
 * and warnings about shadow lines name only the line number, never a field.
 *
 * Where the state comes from (pam_unix's rule): a passwd password field of
 * "x" means "look in shadow"; any other passwd field is itself the password
 * (empty = no password).  An "x" account without a shadow entry, or with an
 * unreadable shadow (one warning), is VG_PW_UNKNOWN.
 *
 * Accounts: one per passwd line (glibc's files backend skips blank lines,
 * '#' comments and leading blanks; NIS "+"/"-" compat lines are skipped
 * too).  A line without exactly 7 fields, with an empty name or a
 * non-numeric uid/gid is skipped with a warning; a uid or gid above INT_MAX
 * is kept as -1 with a warning.  An empty shell means /bin/sh (a login
 * shell); nologin, false, true, sync, shutdown, halt and /dev/null are not
 * login shells.
 *
 * Admin groups: sudo, wheel, adm, admin and root, when the account is in
 * the group's member list or has the group's gid as its primary gid,
 * listed comma-separated in etc/group order.
 *
 * Ownership: strings land in the inventory's arena.  One inventory per thread.
 */
#ifndef VG_AGENT_COLLECT_ACCOUNTS_H
#define VG_AGENT_COLLECT_ACCOUNTS_H

#include "agent/inventory.h"
#include "core/str.h"

/* Largest passwd, shadow or group file read, in bytes. */
#define VG_ACCOUNTS_MAX_FILE  (16 * 1024 * 1024)
/* Longest name, home or shell field kept, in bytes (longer: the line is skipped). */
#define VG_ACCOUNTS_MAX_FIELD 4096

/**
 * Add one account per valid line of the passwd text @text.  Malformed
 * lines are warnings (collector "accounts", @path borrowed, line number).
 * The password state comes from the passwd field, or stays VG_PW_UNKNOWN
 * for "x" until vg_shadow_apply().  Returns VG_OK.
 */
int vg_passwd_parse(struct vg_inventory *inv, struct vg_str text, const char *path);

/**
 * Fill the password state and aging fields of the accounts whose passwd
 * field is "x" from the shadow text @text (empty aging fields are -1).
 * Malformed lines and numbers are warnings naming only the line.
 * Returns VG_OK.
 */
int vg_shadow_apply(struct vg_inventory *inv, struct vg_str text, const char *path);

/** Fill admin_groups of every account from the group text @text.  Returns VG_OK. */
int vg_group_apply(struct vg_inventory *inv, struct vg_str text, const char *path);

#endif /* VG_AGENT_COLLECT_ACCOUNTS_H */
