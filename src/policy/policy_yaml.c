/* policy_yaml.c - placeholder, being written for issue 6. */
typedef int vg_placeholder_policy_yaml;
