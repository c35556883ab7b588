/* http.c - placeholder, being written. */
#include "server/http.h"
