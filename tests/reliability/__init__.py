"""Helpers of the reliability suite: servers in subprocesses, writers to kill, HTTP clients over loopback."""
