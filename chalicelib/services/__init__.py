"""Use cases: what the API, the staff pages and the worker ask Loket to do.

Handlers parse and shape; these functions decide; adapters do the I/O.
"""
