/* spool.c - placeholder, being written. */
#include "agent/spool.h"
