/* spool.h - placeholder, being written. */
#ifndef VG_AGENT_SPOOL_H
#define VG_AGENT_SPOOL_H
#endif
