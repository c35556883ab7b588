/* api_config.c - placeholder, being written for issue 6. */
typedef int vg_placeholder_api_config;
