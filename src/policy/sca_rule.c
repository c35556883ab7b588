/* sca_rule.c - placeholder: being written (issue 6). */
#include "policy/sca_rule.h"
