/* fleet.c - placeholder, being written. */
#include "store/fleet.h"
