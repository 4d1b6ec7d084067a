"""Fixtures of the integration tests beyond the shared ones in tests/conftest.py (none today:
moto's DynamoDB is made thread-safe for every test by tests/isolation.serialise_dynamodb)."""
