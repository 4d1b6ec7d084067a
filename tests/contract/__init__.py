"""One contract suite per port (chalicelib/adapters/ports.py): what every implementation must do.

Each module holds a base class of tests written once against the port's Protocol; it is not
collected itself (no `Test` prefix). tests/unit/test_contracts.py runs each against its
in-memory fake (tests/fakes/, in `make unit`), tests/integration/test_contracts.py against the
AWS adapter on moto: a subclass only says which implementation `subject` is, and, for the
storage and mail ports, how a test reaches what AWS keeps (a link followed, the mail sent). This
is chalice's todo sample (`TestTodoDB`, run against the in-memory and the DynamoDB store) with
the Protocols of ADR 0010.
"""
