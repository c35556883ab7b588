/* auth.h - placeholder, being written. */
#ifndef VG_STORE_AUTH_H
#define VG_STORE_AUTH_H
#endif
