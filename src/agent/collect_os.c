/* Placeholder: being written (issue 3). */
#include "agent/inventory.h"
int
vg_collect_os(struct vg_inventory *inv)
{
	(void)inv;
	return 0;
}
int
vg_collect_kernel(struct vg_inventory *inv)
{
	(void)inv;
	return 0;
}
