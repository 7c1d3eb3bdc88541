"""A local S3 emulator for tests: moto in server mode on 127.0.0.1 and a free port.

The `s3_bucket` fixture points the DOCUMENT_S3_* settings at a fresh bucket and switches
DOCUMENT_STORAGE to `s3`; it yields a boto3 client to look inside the bucket. Import it into
a test module (or a conftest) to use it.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

REGION = "ca-central-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(moto_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    # Never reach a real AWS account from a test, whatever the environment holds.
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    bucket = f"caseworks-test-{uuid.uuid4().hex[:12]}"
    settings.DOCUMENT_STORAGE = "s3"
    settings.DOCUMENT_S3_BUCKET = bucket
    settings.DOCUMENT_S3_ENDPOINT_URL = moto_endpoint
    settings.DOCUMENT_S3_REGION = REGION
    settings.DOCUMENT_S3_ACCESS_KEY_ID = "testing"
    settings.DOCUMENT_S3_SECRET_ACCESS_KEY = "testing"  # the emulator's
    settings.DOCUMENT_S3_SERVER_SIDE_ENCRYPTION = "AES256"
    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # the emulator's
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    client.bucket = bucket  # type: ignore[attr-defined]  # handy in assertions
    return client


def bucket_keys(client: Any) -> list[str]:
    listing = client.list_objects_v2(Bucket=client.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))
