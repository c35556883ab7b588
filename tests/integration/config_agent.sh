#!/usr/bin/env bash
# config_agent.sh - placeholder, being written for issue 6.
exit 77
