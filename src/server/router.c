/* router.c - placeholder, being written. */
#include "server/router.h"
