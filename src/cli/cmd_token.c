/* cmd_token.c - placeholder, being written. */
#include "cli/cli.h"
