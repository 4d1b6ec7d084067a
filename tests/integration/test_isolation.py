"""The shared moto stack (tests/isolation.py) is as good as a fresh one for the next test: what a
test leaves running is stopped and cut off from AWS, and every resource is emptied but kept."""

from __future__ import annotations

import threading

import boto3
import pytest
from chalice.test import Client

from app import app
from chalicelib.adapters.models import Case, WorkItem
from tests import isolation
from tests.conftest import wait_for
from tests.helpers import OFFICE, SLICE, Applicant, body

REGION = "ap-southeast-3"


def test_a_thread_a_test_left_behind_cannot_reach_aws_after_it(aws: dict[str, str]) -> None:
    """Nor can a thread it makes later, as an execution does for each Task state."""
    go, done = threading.Event(), threading.Event()
    outcome: dict[str, list[str]] = {"sent": [], "refused": []}
    url = aws["LOKET_WORKER_QUEUE_URL"]

    def send(who: str) -> None:
        try:
            boto3.client("sqs", region_name=REGION).send_message(QueueUrl=url, MessageBody=who)
            outcome["sent"].append(who)
        except isolation.StaleExecutionCall:
            outcome["refused"].append(who)

    def straggler() -> None:  # as a Step Functions execution thread that wakes up late
        go.wait()
        send("straggler")
        child = threading.Thread(target=send, args=("its child",))
        child.start()
        child.join()
        done.set()

    threading.Thread(target=straggler, name="straggler", daemon=True).start()
    isolation.end_test()  # what the aws fixture does after a test
    go.set()
    assert done.wait(30)
    assert outcome == {"sent": [], "refused": ["straggler", "its child"]}
    sqs = boto3.client("sqs", region_name=REGION)
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "0"
    # The test's own thread, and the threads the next test makes, still work.
    sqs.send_message(QueueUrl=url, MessageBody="mine")
    fresh = threading.Thread(target=send, args=("next test's",))
    fresh.start()
    fresh.join()
    assert outcome["sent"] == ["next test's"]


def test_the_next_test_waits_for_a_call_in_flight() -> None:
    gate = isolation.GATE  # the threads made here are numbered by it
    inside, leave, counted = threading.Event(), threading.Event(), threading.Event()

    def caller() -> None:
        with gate.call():
            inside.set()
            leave.wait(30)

    thread = threading.Thread(target=caller, daemon=True)
    thread.start()
    assert inside.wait(30)
    threading.Thread(target=lambda: (gate.next_test(), counted.set()), daemon=True).start()
    assert not counted.wait(0.2)  # the call in flight is finished before the test is counted
    leave.set()
    assert counted.wait(30)
    thread.join(30)
    with gate.call():  # the main thread belongs to no test: it passes
        pass


def test_after_a_test_every_resource_is_empty_and_no_execution_runs(aws, applicant, staff) -> None:
    staff("petugas1", "kab-pasuruan.petugas_antar_kerja")
    with Client(app) as client:
        budi = Applicant(client, applicant("budi"))
        case_id = body(budi.open())["case_id"]
        assert budi.confirm(case_id, budi.upload(case_id)).status_code == 200
        assert budi.submit(case_id).status_code == 200
    # The execution waits for the officer's decision, with a task token.
    item = wait_for(lambda: [i for i in WorkItem.query(f"CASE#{case_id}") if isinstance(i, WorkItem)])[0]
    sfn = boto3.client("stepfunctions", region_name=REGION)
    arn = Case.get(*Case.key(case_id)).execution_arn
    s3 = boto3.client("s3", region_name=REGION)
    documents = aws["LOKET_DOCUMENTS_BUCKET"]
    for version in (b"1", b"2"):  # versioned: every version and delete marker must go
        s3.put_object(Bucket=documents, Key="sop/x.yaml", Body=version)
    s3.delete_object(Bucket=documents, Key="sop/x.yaml")
    boto3.client("sqs", region_name=REGION).send_message(
        QueueUrl=aws["LOKET_WORKER_QUEUE_URL"], MessageBody="{}"
    )
    boto3.client("ses", region_name=REGION).send_email(
        Source=aws["LOKET_MAIL_SENDER"],
        Destination={"ToAddresses": ["budi@contoh.id"]},
        Message={"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}},
    )

    # What the `aws` fixture does after every test:
    isolation.stop_executions()
    isolation.end_test()
    isolation.wipe()

    # A decision arriving late finds no execution waiting (moto keeps a stopped one RUNNING
    # until its thread wakes; the wipe forgets it, and its thread can no longer call AWS).
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.send_task_success(taskToken=item.task_token, output="{}")
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.describe_execution(executionArn=arn)

    assert boto3.client("dynamodb", region_name=REGION).scan(TableName=aws["LOKET_TABLE"])["Count"] == 0
    for bucket in (aws["LOKET_UPLOADS_BUCKET"], documents):
        listed = s3.list_object_versions(Bucket=bucket)
        assert not listed.get("Versions") and not listed.get("DeleteMarkers")
    sqs = boto3.client("sqs", region_name=REGION)
    for url in sqs.list_queues()["QueueUrls"]:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert (
            attributes["ApproximateNumberOfMessages"]
            == attributes["ApproximateNumberOfMessagesNotVisible"]
            == "0"
        )
    cognito = boto3.client("cognito-idp", region_name=REGION)
    for pool in (aws["LOKET_STAFF_POOL_ID"], aws["LOKET_APPLICANT_POOL_ID"]):
        assert cognito.list_users(UserPoolId=pool)["Users"] == []
        assert cognito.list_groups(UserPoolId=pool)["Groups"] == []
    machine = aws["LOKET_STATE_MACHINE_PREFIX"] + f"{OFFICE}-{SLICE}"
    assert sfn.list_executions(stateMachineArn=machine)["executions"] == []
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    assert ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages == []
    # The resources themselves are kept, with the settings the template gives them.
    assert s3.get_bucket_versioning(Bucket=documents)["Status"] == "Enabled"
    assert sfn.describe_state_machine(stateMachineArn=machine)["status"] == "ACTIVE"


@pytest.mark.parametrize("round_", [1, 2])
def test_every_test_starts_on_an_empty_stack(aws, applicant, round_: int) -> None:
    """Whichever test ran before on this worker (the other round, a walk), nothing of it is left:
    no item, no execution, no account, no mail; then this one files a case of its own."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sfn = boto3.client("stepfunctions", region_name=REGION)
    machine = aws["LOKET_STATE_MACHINE_PREFIX"] + f"{OFFICE}-{SLICE}"
    assert boto3.client("dynamodb", region_name=REGION).scan(TableName=aws["LOKET_TABLE"])["Count"] == 0
    assert sfn.list_executions(stateMachineArn=machine)["executions"] == []
    cognito = boto3.client("cognito-idp", region_name=REGION)
    assert cognito.list_users(UserPoolId=aws["LOKET_APPLICANT_POOL_ID"])["Users"] == []
    assert ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages == []
    with Client(app) as client:
        budi = Applicant(client, applicant("budi"))
        case_id = body(budi.open())["case_id"]
        assert budi.confirm(case_id, budi.upload(case_id)).status_code == 200
        assert budi.submit(case_id).status_code == 200
    assert [e["name"] for e in sfn.list_executions(stateMachineArn=machine)["executions"]] == [case_id]


def test_a_definition_is_parsed_once_and_shared_with_its_keys_drawn(aws: dict[str, str]) -> None:
    """infra/local/asl_cache.py: the same definition text gives the same program, whose components
    already hold their heap keys; another text is parsed on its own; a bad one still fails."""
    import json

    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    definition = json.dumps(
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
    )
    program, _ = AmazonStateLanguageParser.parse(definition)
    assert AmazonStateLanguageParser.parse(definition)[0] is program
    assert AmazonStateLanguageParser.parse(definition.replace('"B"', '"C"'))[0] is not program
    states = program.states.states.values()
    assert all(vars(s).get("_EvalComponent__heap_key") for s in states if isinstance(s, EvalComponent))
    with pytest.raises(Exception, match="ASL"):
        AmazonStateLanguageParser.parse('{"StartAt": "A", "States": {"A": {"Type": "Nope"}}}')


def test_dynamodb_item_answers_written_directly_are_what_motos_serializer_gives(aws: dict[str, str]) -> None:
    """infra/local/moto_json.py: for an item of every attribute type, each item operation botocore
    parses gives the same answer as through moto's own serializer; an error still is moto's."""
    from infra.local import moto_json

    db = boto3.client("dynamodb")
    table = aws["LOKET_TABLE"]
    key = {"PK": {"S": "UJI#serializer"}, "SK": {"S": "ITEM"}}
    item = {
        **key,
        "s": {"S": "Nguyễn Thị 🙂"},
        "n": {"N": "-12.50"},
        "b": {"B": b"\x00\xffbiner"},
        "ss": {"SS": ["a", "b"]},
        "ns": {"NS": ["1", "2.5"]},
        "bs": {"BS": [b"\x01", b"\x02"]},
        "m": {"M": {"l": {"L": [{"S": "x"}, {"N": "1"}, {"NULL": True}, {"BOOL": False}, {"M": {}}]}}},
        "empty": {"L": []},
    }
    get = {"TableName": table, "Key": key, "ConsistentRead": True}
    db.put_item(TableName=table, Item=item)  # each call below is made twice: the same answer
    calls = [
        ("put_item", {"TableName": table, "Item": item, "ReturnValues": "ALL_OLD"}),
        ("get_item", get),
        ("get_item", {**get, "Key": {"PK": {"S": "UJI#none"}, "SK": {"S": "ITEM"}}}),
        (
            "query",
            {
                "TableName": table,
                "KeyConditionExpression": "PK = :p",
                "ExpressionAttributeValues": {":p": key["PK"]},
            },
        ),
        ("scan", {"TableName": table, "Limit": 5}),
        ("batch_get_item", {"RequestItems": {table: {"Keys": [key]}}}),
        ("transact_get_items", {"TransactItems": [{"Get": {"TableName": table, "Key": key}}]}),
        (
            "update_item",
            {
                "TableName": table,
                "Key": key,
                "UpdateExpression": "SET n = :n",
                "ExpressionAttributeValues": {":n": {"N": "-12.50"}},
                "ReturnValues": "ALL_NEW",
            },
        ),
        ("transact_write_items", {"TransactItems": [{"Put": {"TableName": table, "Item": item}}]}),
    ]
    for name, kwargs in calls:
        fast = getattr(db, name)(**kwargs)
        with moto_json.moto_serializer():
            slow = getattr(db, name)(**kwargs)
        fast.pop("ResponseMetadata"), slow.pop("ResponseMetadata")
        assert fast == slow, name
    with pytest.raises(db.exceptions.ConditionalCheckFailedException):
        db.put_item(TableName=table, Item=item, ConditionExpression="attribute_not_exists(PK)")
    db.delete_item(TableName=table, Key=key)
