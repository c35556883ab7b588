/* probe.c - placeholder: being written (issue 6). */
#include "policy/probe.h"
