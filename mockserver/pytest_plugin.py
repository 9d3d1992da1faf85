"""pytest plugin (entry point ``pytest11``): fixtures for users' own test suites."""
