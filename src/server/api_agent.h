/* api_agent.h - placeholder, being written. */
#ifndef VG_SERVER_API_AGENT_H
#define VG_SERVER_API_AGENT_H
#endif
