#!/bin/bash
# Placeholder: the test is being written.
exit 77
