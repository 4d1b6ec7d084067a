"""`make bench`: Loket's performance figures, measured on this machine and written to
docs/performance.md (see `infra.bench.report`). Not part of `make test`: the figures depend on the
machine and its load, so each one is printed beside the command, the core count and the load average.
"""
