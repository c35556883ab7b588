/* odata.c - placeholder, being written. */
#include "server/odata.h"
