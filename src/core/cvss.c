/* Placeholder: being written (issue 2). */
#include "core/cvss.h"
