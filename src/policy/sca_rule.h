/* sca_rule.h - placeholder: being written (issue 6). */
#ifndef VG_POLICY_SCA_RULE_H
#define VG_POLICY_SCA_RULE_H
#endif
