/* odata.h - placeholder, being written. */
#ifndef VG_SERVER_ODATA_H
#define VG_SERVER_ODATA_H
#endif
