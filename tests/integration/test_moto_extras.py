"""The stand-in's Query reads its partition (infra/local/moto_extras.py, `partition_queries`) and
answers exactly what moto's whole-table path answers: the same items in the same order, the
same pages, for the table and for an index, forwards and backwards, with key conditions and
filters; and an index Query, read from the index kept beside the table, still does after every
kind of write (put, update in place, delete, transaction, batch, a cancelled transaction)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import boto3
import pytest

from tests.deadlines import SLACK_SECONDS

T = TypeVar("T")


@pytest.fixture
def table(aws: dict[str, str]) -> Iterator[str]:
    """The tests' table with 3 partitions of 7 items; GSI1 on some of them, across partitions."""
    db = boto3.client("dynamodb")
    name = aws["LOKET_TABLE"]
    for p in ("A", "B", "C"):
        for n in range(7):
            item: dict[str, Any] = {"PK": {"S": f"UJI#{p}"}, "SK": {"S": f"ITEM#{n:02d}"}, "n": {"N": str(n)}}
            if n % 2 == 0:
                item.update(GSI1PK={"S": f"ANTRE#{n % 4}"}, GSI1SK={"S": f"{p}{6 - n}"})
            db.put_item(TableName=name, Item=item)
    yield name


QUERIES: list[dict[str, Any]] = [
    {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": {"S": "UJI#B"}}},
    {
        "KeyConditionExpression": "PK = :p AND begins_with(SK, :s)",
        "ExpressionAttributeValues": {":p": {"S": "UJI#A"}, ":s": {"S": "ITEM#0"}},
        "ScanIndexForward": False,
    },
    {
        "KeyConditionExpression": "PK = :p AND SK BETWEEN :a AND :b",
        "ExpressionAttributeValues": {":p": {"S": "UJI#C"}, ":a": {"S": "ITEM#02"}, ":b": {"S": "ITEM#05"}},
        "FilterExpression": "n > :two",
        "ExpressionAttributeValues_extra": {":two": {"N": "2"}},
    },
    {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": {"S": "UJI#nobody"}}},
    {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :q",
        "ExpressionAttributeValues": {":q": {"S": "ANTRE#0"}},
    },
    {
        "IndexName": "GSI1",
        "KeyConditionExpression": "GSI1PK = :q AND GSI1SK > :s",
        "ExpressionAttributeValues": {":q": {"S": "ANTRE#2"}, ":s": {"S": "B"}},
        "ScanIndexForward": False,
    },
]


def _pages(name: str, query: dict[str, Any], limit: int | None) -> list[list[dict[str, Any]]]:
    db = boto3.client("dynamodb")
    query = dict(query)
    extra = query.pop("ExpressionAttributeValues_extra", {})
    query["ExpressionAttributeValues"] = {**query["ExpressionAttributeValues"], **extra}
    pages, start = [], None
    while True:
        asked = {
            **query,
            **({"Limit": limit} if limit else {}),
            **({"ExclusiveStartKey": start} if start else {}),
        }
        answer = db.query(TableName=name, **asked)
        pages.append(answer["Items"])
        start = answer.get("LastEvaluatedKey")
        if not start:
            return pages


@pytest.mark.parametrize("limit", [None, 2])
@pytest.mark.parametrize(
    "query", QUERIES, ids=lambda q: q.get("IndexName", "table") + ":" + q["KeyConditionExpression"]
)
def test_a_query_answers_as_the_whole_table_path(
    table: str, query: dict[str, Any], limit: int | None
) -> None:
    patched = _pages(table, query, limit)
    assert patched == _whole_table(lambda: _pages(table, query, limit))
    if "nobody" not in str(query):
        assert any(patched), "each query but the empty partition's finds items"


def _whole_table(ask: Callable[[], T]) -> T:
    """`ask()` answered by moto's own Query over moto's own all_items (the functions the patch
    wraps), not by the partition or the kept index."""
    from moto.dynamodb.models.table import Table

    saved_query, saved_all = Table.query, Table.all_items
    try:
        Table.query = _original(saved_query, "original_query")  # type: ignore[method-assign]
        Table.all_items = _original(saved_all, "whole_table")  # type: ignore[method-assign]
        return ask()
    finally:
        Table.query, Table.all_items = saved_query, saved_all  # type: ignore[method-assign]


def _original(wrapper: Any, name: str) -> Any:
    """The function `wrapper` closes over under `name` (moto's own, kept by the patch)."""
    names = wrapper.__code__.co_freevars
    return wrapper.__closure__[names.index(name)].cell_contents


def test_queries_in_two_threads_keep_their_own_scope(table: str) -> None:
    """The scope is the thread's: two threads querying different partitions at once each get
    their own items."""
    answers: dict[str, list[str]] = {}

    def ask(partition: str) -> None:
        db = boto3.client("dynamodb")
        got: list[str] = []
        for _ in range(20):
            items = db.query(
                TableName=table,
                KeyConditionExpression="PK = :p",
                ExpressionAttributeValues={":p": {"S": f"UJI#{partition}"}},
            )["Items"]
            got.extend({i["PK"]["S"] for i in items})
        answers[partition] = sorted(set(got))

    threads = [threading.Thread(target=ask, args=(p,)) for p in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SLACK_SECONDS)
    assert not any(t.is_alive() for t in threads)
    assert answers == {"A": ["UJI#A"], "B": ["UJI#B"]}


def _index_answers(name: str) -> dict[str, list[list[dict[str, Any]]]]:
    """Every GSI1 partition the writes below touch, paged by 2."""
    return {
        q: _pages(
            name,
            {
                "IndexName": "GSI1",
                "KeyConditionExpression": "GSI1PK = :q",
                "ExpressionAttributeValues": {":q": {"S": q}},
            },
            2,
        )
        for q in ("ANTRE#0", "ANTRE#2", "ANTRE#9")
    }


def _whole_table_answers(name: str) -> dict[str, list[list[dict[str, Any]]]]:
    return _whole_table(lambda: _index_answers(name))


def _key(p: str, n: int) -> dict[str, Any]:
    return {"PK": {"S": f"UJI#{p}"}, "SK": {"S": f"ITEM#{n:02d}"}}


WRITES: list[tuple[str, Any]] = [
    # an update that moves an item to another index partition (moto changes the item in place)
    (
        "update moves",
        lambda db, t: db.update_item(
            TableName=t,
            Key=_key("A", 0),
            UpdateExpression="SET GSI1PK = :q",
            ExpressionAttributeValues={":q": {"S": "ANTRE#9"}},
        ),
    ),
    # an update that takes an item out of the index, one that puts an item into it
    (
        "update removes",
        lambda db, t: db.update_item(TableName=t, Key=_key("B", 2), UpdateExpression="REMOVE GSI1PK"),
    ),
    (
        "update adds",
        lambda db, t: db.update_item(
            TableName=t,
            Key=_key("C", 1),
            UpdateExpression="SET GSI1PK = :q, GSI1SK = :s",
            ExpressionAttributeValues={":q": {"S": "ANTRE#0"}, ":s": {"S": "Z"}},
        ),
    ),
    # an update that creates the item
    (
        "update creates",
        lambda db, t: db.update_item(
            TableName=t,
            Key=_key("D", 0),
            UpdateExpression="SET GSI1PK = :q, GSI1SK = :s",
            ExpressionAttributeValues={":q": {"S": "ANTRE#2"}, ":s": {"S": "D"}},
        ),
    ),
    (
        "put replaces",
        lambda db, t: db.put_item(
            TableName=t, Item={**_key("A", 4), "GSI1PK": {"S": "ANTRE#9"}, "GSI1SK": {"S": "A"}}
        ),
    ),
    ("delete", lambda db, t: db.delete_item(TableName=t, Key=_key("C", 0))),
    (
        "transaction",
        lambda db, t: db.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": t,
                        "Key": _key("B", 4),
                        "UpdateExpression": "SET GSI1PK = :q",
                        "ExpressionAttributeValues": {":q": {"S": "ANTRE#9"}},
                    }
                },
                {"Delete": {"TableName": t, "Key": _key("B", 6)}},
            ]
        ),
    ),
    (
        "batch",
        lambda db, t: db.batch_write_item(
            RequestItems={
                t: [
                    {
                        "PutRequest": {
                            "Item": {**_key("E", 1), "GSI1PK": {"S": "ANTRE#0"}, "GSI1SK": {"S": "E"}}
                        }
                    },
                    {"DeleteRequest": {"Key": _key("A", 2)}},
                ]
            }
        ),
    ),
    # moto stores a map where an index key goes (DynamoDB would refuse it): in no index partition
    (
        "put a map as the index key",
        lambda db, t: db.put_item(
            TableName=t, Item={**_key("A", 1), "GSI1PK": {"M": {"a": {"S": "ANTRE#0"}}}}
        ),
    ),
]


def test_the_kept_index_follows_every_write(table: str) -> None:
    """After the index is built (the first index Query), each kind of write leaves the index
    Query answering exactly as moto's whole-table path."""
    db = boto3.client("dynamodb")
    assert _index_answers(table) == _whole_table_answers(table)
    for name, write in WRITES:
        write(db, table)
        assert _index_answers(table) == _whole_table_answers(table), name


def test_a_cancelled_transaction_leaves_the_index_as_it_was(table: str) -> None:
    """A transaction cancelled by its condition puts its items back (light_transactions); the
    index follows them back."""
    db = boto3.client("dynamodb")
    before = _index_answers(table)
    with pytest.raises(db.exceptions.TransactionCanceledException):
        db.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": _key("A", 0),
                        "UpdateExpression": "SET GSI1PK = :q",
                        "ExpressionAttributeValues": {":q": {"S": "ANTRE#9"}},
                    }
                },
                {
                    "Put": {
                        "TableName": table,
                        "Item": {**_key("A", 6), "GSI1PK": {"S": "ANTRE#9"}},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )
    assert _index_answers(table) == before == _whole_table_answers(table)
    assert before["ANTRE#9"] == [[]]


def _random_write(db: Any, table: str, rnd: random.Random) -> str:
    """One write of a random kind on a random item of a small key space (3 partitions x 4 items),
    moving it among three index partitions or out of the index."""
    key = _key(rnd.choice("ABC"), rnd.randrange(4))
    queue = rnd.choice(["ANTRE#0", "ANTRE#2", "ANTRE#9", None])
    kind = rnd.choice(["put", "set", "remove", "delete", "transaction", "batch", "cancelled"])
    indexed = {"GSI1PK": {"S": queue}, "GSI1SK": {"S": f"{rnd.randrange(100):02d}"}} if queue else {}
    if kind == "put":
        db.put_item(TableName=table, Item={**key, **indexed})
    elif kind == "set" and queue:
        db.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET GSI1PK = :q, GSI1SK = :s",
            ExpressionAttributeValues={":q": indexed["GSI1PK"], ":s": indexed["GSI1SK"]},
        )
    elif kind in ("set", "remove"):
        db.update_item(TableName=table, Key=key, UpdateExpression="REMOVE GSI1PK")
    elif kind == "delete":
        db.delete_item(TableName=table, Key=key)
    elif kind == "transaction":
        other = _key(rnd.choice("ABC"), rnd.randrange(4))
        if other == key:
            return "transaction (same item twice: skipped)"
        db.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {**key, **indexed}}},
                {"Delete": {"TableName": table, "Key": other}},
            ]
        )
    elif kind == "batch":
        db.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": {**key, **indexed}}}]})
    else:
        with pytest.raises(db.exceptions.TransactionCanceledException):
            db.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": table, "Item": {**key, **indexed}}},
                    {
                        "ConditionCheck": {
                            "TableName": table,
                            "Key": _key("Z", 0),
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                ]
            )
    return f"{kind} {key['PK']['S']} {key['SK']['S']} -> {queue}"


@pytest.mark.parametrize("seed", [16, 1604])
def test_the_kept_index_answers_as_the_whole_table_after_random_writes(table: str, seed: int) -> None:
    """Thirty random writes of every kind (seeded, so a failure repeats): after each, the index
    Query answers exactly as moto's whole-table path."""
    db = boto3.client("dynamodb")
    rnd = random.Random(seed)
    assert _index_answers(table) == _whole_table_answers(table)
    done = []
    for _ in range(30):
        done.append(_random_write(db, table, rnd))
        assert _index_answers(table) == _whole_table_answers(table), done


def test_an_update_by_table_arn_moves_the_item_in_the_index(table: str) -> None:
    """moto takes a table's ARN wherever it takes its name (UpdateItem, a transaction's Update)."""
    db = boto3.client("dynamodb")
    arn = db.describe_table(TableName=table)["Table"]["TableArn"]
    assert _index_answers(table) == _whole_table_answers(table)
    db.update_item(
        TableName=arn,
        Key=_key("A", 0),
        UpdateExpression="SET GSI1PK = :q",
        ExpressionAttributeValues={":q": {"S": "ANTRE#9"}},
    )
    db.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": arn,
                    "Key": _key("B", 0),
                    "UpdateExpression": "SET GSI1PK = :q",
                    "ExpressionAttributeValues": {":q": {"S": "ANTRE#9"}},
                }
            }
        ]
    )
    answers = _index_answers(table)
    assert answers == _whole_table_answers(table)
    assert len(answers["ANTRE#9"][0]) == 2


@pytest.mark.parametrize("value", [{"BOOL": True}, {"L": [{"S": "x"}]}, {"SS": ["x"]}])
def test_a_query_on_a_value_no_key_can_hold_answers_as_moto(table: str, value: dict[str, Any]) -> None:
    """moto stores a bool, a list or a set where an index key goes and takes a Query on it."""
    db = boto3.client("dynamodb")
    db.put_item(TableName=table, Item={**_key("A", 1), "GSI1PK": value})
    _index_answers(table)  # the index of GSI1PK is built

    def ask() -> list[dict[str, Any]]:
        return db.query(
            TableName=table,
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :q",
            ExpressionAttributeValues={":q": value},
        )["Items"]

    assert ask() == _whole_table(ask)


def test_a_number_moto_cannot_hash_is_no_index_key() -> None:
    """moto's UpdateItem stores N "sNaN" in an attribute an N-typed index has as its key
    (DynamoDB refuses it; the tests' table types its index keys S, so moto refuses it there):
    such a value is in no kept partition, and hashing it never fails a write."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    from infra.local.moto_extras import _keyable

    assert not _keyable(DynamoType({"N": "sNaN"}))
    assert not _keyable(DynamoType({"BOOL": True}))
    assert not _keyable(None)
    assert _keyable(DynamoType({"N": "1.0"})) and _keyable(DynamoType({"S": "ANTRE#0"}))


def test_items_and_messages_are_not_kept_for_moto_s_dashboard(table: str, aws: dict[str, str]) -> None:
    """Every item written, every copy an UpdateItem makes and every message sent used to stay in
    moto's dashboard list for the life of the process (`untracked_items`); the table and the queue
    still keep what they hold, and SES's mail is still on the dashboard."""
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import Table
    from moto.sqs.models import Message

    db, sqs = boto3.client("dynamodb"), boto3.client("sqs")
    for n in range(5):
        db.update_item(
            TableName=table,
            Key=_key("A", n),
            UpdateExpression="SET n = :n",
            ExpressionAttributeValues={":n": {"N": "9"}},
        )
    sqs.send_message(QueueUrl=aws["LOKET_WORKER_QUEUE_URL"], MessageBody="{}")
    db.transact_write_items(TransactItems=[{"Delete": {"TableName": table, "Key": _key("B", 0)}}])
    tracked = (Item.instances_tracked, Table.instances_tracked, Message.instances_tracked)  # type: ignore[attr-defined]
    assert tracked == ([], [], [])
    assert db.get_item(TableName=table, Key=_key("A", 4))["Item"]["n"] == {"N": "9"}
    got = sqs.receive_message(QueueUrl=aws["LOKET_WORKER_QUEUE_URL"], MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["{}"]
