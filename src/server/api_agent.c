/* api_agent.c - placeholder, being written. */
#include "server/api_agent.h"
