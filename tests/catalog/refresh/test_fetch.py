"""--fetch against a local HTTP server standing in for the providers' endpoints (no real network)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from infrafit.catalog.refresh import fetch, refresh
from infrafit.errors import InputError

from .conftest import FIXTURES

KEY = "test-key-123"


class Server:
    """Serves ``routes`` (path -> body, or a list of bodies for pages by pageToken); counts requests."""

    def __init__(self, routes: dict[str, Any], fail_first: set[str] | None = None) -> None:
        self.routes = routes
        self.fail_first = set(fail_first or ())
        self.seen: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                outer.seen.append(self.path)
                if parts.path in outer.fail_first:
                    outer.fail_first.discard(parts.path)
                    self.send_response(503)
                    self.end_headers()
                    return
                body = outer.routes.get(parts.path)
                query = urllib.parse.parse_qs(parts.query)
                if isinstance(body, list):  # paged: pageToken "" -> 0, "p1" -> 1 ...
                    if query.get("key") != [KEY]:
                        body = None
                    else:
                        token = query.get("pageToken", [""])[0]
                        body = body[int(token[1:]) if token else 0]
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(fetch, "BACKOFF", 0.0)
    monkeypatch.setattr(fetch, "TIMEOUT", 5.0)
    yield


def aws_routes() -> dict[str, Any]:
    aws = FIXTURES / "aws"
    routes: dict[str, Any] = {
        "/offers/v1.0/aws/index.json": (aws / "index.json").read_bytes(),
        "/offers/v1.0/aws/AmazonEC2/current/region_index.json": (aws / "AmazonEC2-region_index.json").read_bytes(),
    }
    for region in ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-2"):
        routes[f"/offers/v1.0/aws/AmazonEC2/20261101000000/{region}/index.json"] = (
            aws / f"AmazonEC2-{region}.json"
        ).read_bytes()
    return routes


def test_fetch_aws_follows_the_indexes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    offer = "/offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.json"
    with Server(aws_routes(), fail_first={offer}) as server:
        monkeypatch.setenv("INFRAFIT_AWS_PRICING_URL", server.url)
        result = refresh("aws", [], fetch=True, out=tmp_path)
        assert server.seen.count(offer) == 2  # a 503, retried
    doc = yaml.safe_load((tmp_path / "aws.yaml").read_text())
    small = doc["services"]["ec2"]["types"]["t3.small"]
    assert small["hourly"]["us-east-1"] == "0.021"
    # the source is the list's public address, version-pinned, whatever mirror served it
    assert small["source"] == f"https://pricing.us-east-1.amazonaws.com{offer}"
    # the offer index lists only AmazonEC2 here: the other offers' rules had no input
    assert "s3.storage.standard" in result.not_covered
    assert not list(tmp_path.rglob("*.part"))


def test_fetch_offline_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Server({}) as server:
        url = server.url
    monkeypatch.setenv("INFRAFIT_AWS_PRICING_URL", url)  # the server is gone: connection refused
    with pytest.raises(InputError) as caught:
        refresh("aws", [], fetch=True, out=tmp_path)
    message = str(caught.value)
    assert message.startswith(f"cannot download {url}/offers/v1.0/aws/index.json (")
    assert "--from" in message and "\n" not in message
    assert not (tmp_path / "aws.yaml").exists()


def gcp_routes() -> dict[str, Any]:
    import ijson

    gcp = FIXTURES / "gcp"
    pages: dict[str, list[Any]] = {}
    for path in sorted(gcp.glob("*.json")):
        with path.open("rb") as fh:
            for page in ijson.items(fh, "", multiple_values=True, use_float=True):
                service = page["skus"][0]["name"].split("/")[1]
                pages.setdefault(service, []).append(page)
    routes: dict[str, Any] = {}
    for service, listing in pages.items():
        for i, page in enumerate(listing):
            page["nextPageToken"] = f"p{i + 1}" if i + 1 < len(listing) else ""
        routes[f"/v1/services/{service}/skus"] = listing
    return routes


def test_fetch_gcp_reads_every_page_with_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Server(gcp_routes()) as server:
        monkeypatch.setenv("INFRAFIT_GCP_BILLING_URL", server.url)
        monkeypatch.setenv("INFRAFIT_GCP_API_KEY", KEY)
        result = refresh("gcp", [], fetch=True, out=tmp_path)
        pages = [p for p in server.seen if "6F81-5844-456A" in p]
    assert len(pages) == 2 and "pageToken=p1" in pages[1] and "currencyCode=USD" in pages[0]
    assert result.count("changed") == 11 and result.unmatched == ["firestore.deletes.us-central1"]
    written = (tmp_path / "gcp.yaml").read_text() + (tmp_path / "overlay.yaml").read_text()
    assert KEY not in written  # the key never reaches a source
    assert "https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus" in written


def test_fetch_gcp_needs_a_key(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="INFRAFIT_GCP_API_KEY"):
        refresh("gcp", [], fetch=True, out=tmp_path)
