/* router.h - placeholder, being written. */
#ifndef VG_SERVER_ROUTER_H
#define VG_SERVER_ROUTER_H
#endif
