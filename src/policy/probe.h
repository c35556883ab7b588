/* probe.h - placeholder: being written (issue 6). */
#ifndef VG_POLICY_PROBE_H
#define VG_POLICY_PROBE_H
#endif
