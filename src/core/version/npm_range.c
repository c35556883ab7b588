/* Placeholder: being written (issue 2). */
#include "core/version/version.h"
