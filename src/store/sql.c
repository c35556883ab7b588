/* sql.c - the connection accessor of sql.h. */
#include "store/kb_int.h"
#include "store/sql.h"

sqlite3 *
vg_kb_db(struct vg_kb *kb)
{
	return kb->db;
}
