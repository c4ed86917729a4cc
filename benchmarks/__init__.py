"""Speed and memory benchmarks: scripts that print figures (run with `make bench`)."""
