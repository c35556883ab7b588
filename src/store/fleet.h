/* fleet.h - placeholder, being written. */
#ifndef VG_STORE_FLEET_H
#define VG_STORE_FLEET_H
#endif
