"""Store URLs: what each part means, and that a bad URL fails at start-up without leaking the secret."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from learning_api.storage import LocalStore, open_store


def test_a_relative_file_url_is_resolved_against_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    store = open_store("file://var/objects")

    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "var" / "objects"


def test_an_absolute_file_url(tmp_path: Path) -> None:
    store = open_store(f"file://{tmp_path}/objects")

    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "objects"


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("s3://k:s@s3.example.com/bucket", "https"),
        ("s3://k:s@s3.example.com:9000/bucket?secure=false", "http"),
        ("s3://k:s@127.0.0.1:9000/bucket", "http"),
        ("s3://k:s@localhost:9000/bucket?secure=true", "https"),
    ],
)
def test_tls_is_on_unless_the_host_is_loopback_or_it_is_switched_off(url: str, scheme: str) -> None:
    presigned = open_store(url).presigned_get_url("media/a.mp3", timedelta(minutes=1))

    host = url.split("@")[1].split("/")[0]
    assert presigned.startswith(f"{scheme}://{host}/bucket/media/a.mp3?")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("s3://s3.example.com/bucket", "credentials"),
        ("s3://k:TOPSECRET@s3.example.com", "one bucket"),
        ("s3://k:TOPSECRET@s3.example.com/a/b", "one bucket"),
        ("s3://k:TOPSECRET@s3.example.com/bucket?secure=maybe", "secure must be"),
        ("s3://k:TOPSECRET@s3.example.com/bucket?sekure=false", "unknown S3 store option"),
        ("s3://k:TOPSECRET@s3.example.com/bucket?public_url=https://cdn.example.com/path", "bare http"),
        ("minio://k:TOPSECRET@s3.example.com/bucket", "file:// or s3://"),
        ("file://var/objects?x=1", "no options"),
    ],
)
def test_bad_urls_are_refused_without_echoing_the_secret(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        open_store(url)

    assert "TOPSECRET" not in str(caught.value)
