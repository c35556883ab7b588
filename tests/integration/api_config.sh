#!/usr/bin/env bash
# api_config.sh - placeholder, being written for issue 6.
exit 77
