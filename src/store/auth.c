/* auth.c - placeholder, being written. */
#include "store/auth.h"
