/* http.h - placeholder, being written. */
#ifndef VG_SERVER_HTTP_H
#define VG_SERVER_HTTP_H
#endif
