#!/usr/bin/env bash
# config_scan.sh - placeholder, being written for issue 6.
exit 77
