"""Tests of dashboard.security and the upload limit: 413 on the server, messages, login, local addresses."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from dashboard import ids
from dashboard.app import create_app
from dashboard.data import check_upload
from dashboard.pages import upload
from dashboard.pages.upload import COLUMNS, check_contents
from dashboard.security import (
    LoginError,
    check_password,
    is_loopback,
    parse_users,
    read_auth_file,
    request_limit,
    require_login,
    upload_limit,
)
from tests.dash_requests import callback_body, find_callback

LIMIT_MB = 1


def _csv_of_size(size: int) -> bytes:
    """A valid roster CSV of about ``size`` bytes."""
    row = 23  # bytes of one row below
    rows = (f"P{n % 50:02d},person-{n:08d},U{n % 7}\n" for n in range(size // row + 1))
    return b"project,person,unit\n" + "".join(rows).encode()


def _data_url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    """The dashboard with a 1 MB upload limit on a fresh data folder."""
    return create_app(data_dir=tmp_path_factory.mktemp("limit") / "data", max_upload_mb=LIMIT_MB)


def _upload_body(app, contents: str, lang: str = "en") -> dict:
    client = app.server.test_client()
    dependency = find_callback(client.get("/_dash-dependencies").get_json(), ids.Upload.REPORT)
    maps = [ids.column_map(c) for c in COLUMNS]
    values = {(ids.Upload.FILE, "contents"): contents, (ids.Upload.FILE, "filename"): "big.csv",
              (ids.App.LANG, "data"): lang}  # fmt: skip
    return callback_body(dependency, lambda i, p: values.get((i, p)) if isinstance(i, str) else None,
                         changed=[f"{ids.Upload.FILE}.contents"], wildcards={maps[0]["type"]: maps})  # fmt: skip


def test_oversized_request_gets_413_with_a_clear_message(small_app):
    """A callback request above the server's limit is refused with 413 before Dash reads it."""
    body = _upload_body(small_app, _data_url(_csv_of_size(3 * 2**20)))
    response = small_app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 413
    assert "files up to 1 MB" in response.get_data(as_text=True)
    assert small_app.server.config["MAX_CONTENT_LENGTH"] == request_limit(LIMIT_MB * 2**20)


def test_file_just_over_the_limit_gets_the_friendly_message_through_http(small_app):
    """A file over the limit whose request still fits is answered by the upload check, in words."""
    body = _upload_body(small_app, _data_url(_csv_of_size(int(1.2 * 2**20))), lang="sv")
    response = small_app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "tar emot filer upp till 1 MB" in text and "--max-file-mb" not in text
    assert response.get_json()["response"][ids.Upload.ACCEPT]["disabled"] is True


def test_file_under_the_limit_passes(small_app):
    """A file under the limit is checked as usual."""
    body = _upload_body(small_app, _data_url(_csv_of_size(200_000)))
    response = small_app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert response.get_json()["response"][ids.Upload.ACCEPT]["disabled"] is False


def test_upload_callback_refuses_decoded_size_in_the_users_words():
    """check_contents with an over-size payload: error shown, accept disabled, no CLI option named."""
    data = _csv_of_size(5000)
    report, _style, _options, _values, _name, disabled, state = check_contents(_data_url(data), "r.csv", None, "en",
                                                                                max_bytes=4096)  # fmt: skip
    assert disabled is True and state["ok"] is False
    text = str(report)
    assert f"The file is {len(data) / 2**20:.2g} MB; this dashboard accepts files up to 0.0039 MB" in text
    assert "--max-file-mb" not in text


def test_check_upload_uses_the_given_limit():
    """The limit is a parameter; at the limit the file is accepted, one byte more is refused."""
    data = _csv_of_size(3000)
    assert check_upload(data, "r.csv", max_bytes=len(data))[0].ok
    check, roster = check_upload(data, "r.csv", max_bytes=len(data) - 1)
    assert roster is None and "accepts files up to" in check.errors[0].message


def test_upload_page_tells_the_browser_the_limit(small_app):
    """dcc.Upload gets max_size = the app's limit, and the page states it."""
    with small_app.server.app_context():
        assert upload_limit() == LIMIT_MB * 2**20
        page = upload.layout("en")
    drop = next(c for c in page.children if getattr(c, "id", None) == ids.Upload.FILE)
    hint = next(c for c in page.children if getattr(c, "id", None) == ids.Upload.LIMIT)
    assert drop.max_size == LIMIT_MB * 2**20
    assert "1 MB" in hint.children


def test_default_limit_is_50_mb(tmp_path):
    """Without a setting the server allows a 50 MB file (base64 plus JSON overhead) and no more."""
    app = create_app(data_dir=tmp_path / "data")
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    assert 50 * 2**20 * 4 / 3 + 100_000 < limit < 80 * 2**20


# -- addresses and login ------------------------------------------------------------------


@pytest.mark.parametrize(("host", "local"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("10.0.0.5", False), ("myhost.example.org", False),
])  # fmt: skip
def test_is_loopback(host, local):
    """Only addresses of this machine count as local; 0.0.0.0 and host names do not."""
    assert is_loopback(host) is local


def test_parse_users_rejects_malformed_lines():
    """Missing password, missing colon and duplicate users name the file and line."""
    for text, line in (("ann:\n", 1), ("# x\nann\n", 2), ("ann:a\nann:b\n", 2), (":pw\n", 1)):
        with pytest.raises(LoginError, match=f"users.txt:{line}:"):
            parse_users(text, "users.txt")


def test_read_auth_file_needs_a_user(tmp_path):
    """An empty or missing login file is an error, not an open door."""
    empty = tmp_path / "empty.txt"
    empty.write_text("# nobody\n")
    with pytest.raises(LoginError, match="no user"):
        read_auth_file(empty)
    with pytest.raises(LoginError, match="cannot read"):
        read_auth_file(tmp_path / "missing.txt")


def test_check_password_plain_and_hashed():
    """Plain passwords and werkzeug hashes both verify; wrong ones do not."""
    hashed = generate_password_hash("s3cret", method="pbkdf2:sha256:1000")
    assert check_password(hashed, "s3cret") and not check_password(hashed, "s3cre")
    assert check_password("pw:with:colons", "pw:with:colons") and not check_password("pw", "PW")


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture(scope="module")
def locked_app(tmp_path_factory):
    """The dashboard with a login for ann (plain) and bo (hashed)."""
    app = create_app(data_dir=tmp_path_factory.mktemp("login") / "data")
    require_login(app.server, {"ann": "pw-ann", "bo": generate_password_hash("pw-bo", method="pbkdf2:sha256:1000")})
    return app


@pytest.mark.parametrize("path", ["/", "/overview", "/_dash-layout", "/_dash-dependencies", "/assets/style.css"])
def test_every_route_needs_the_login(locked_app, path):
    """Without credentials every route answers 401 with a basic-auth challenge."""
    response = locked_app.server.test_client().get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic ")


def test_wrong_login_is_refused_and_right_ones_pass(locked_app):
    """Wrong password, unknown user: 401; plain and hashed passwords of listed users: served."""
    client = locked_app.server.test_client()
    assert client.get("/overview", headers=_basic("ann", "nope")).status_code == 401
    assert client.get("/overview", headers=_basic("eve", "pw-ann")).status_code == 401
    assert client.get("/overview", headers=_basic("ann", "pw-ann")).status_code == 200
    assert client.get("/overview", headers=_basic("bo", "pw-bo")).status_code == 200
    assert client.get("/_dash-dependencies", headers=_basic("bo", "pw-bo")).status_code == 200


def test_require_login_needs_users(tmp_path):
    """An empty user list is refused (it would lock everyone out silently)."""
    import flask

    with pytest.raises(LoginError):
        require_login(flask.Flask("x"), {})


def test_assets_file_exists_for_the_route_test():
    """The asset the login test requests exists, so 401 is not a 404 in disguise."""
    from dashboard.app import ASSETS

    assert any(Path(ASSETS).glob("*.css"))
