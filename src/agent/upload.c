/* upload.c - placeholder, being written. */
#include <stddef.h>
