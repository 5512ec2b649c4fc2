"""Tests of dashboard.security and the upload limit: 413 on the server, messages, login (session
cookie, throttle, constant cost, password policy), host names and origins, security headers."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

import dashboard.security as security
from dashboard import ids
from dashboard.app import create_app
from dashboard.uploads import check_upload
from dashboard.pages import upload
from dashboard.pages.upload import COLUMNS, check_contents
from dashboard.security import (
    MIN_PASSWORD_LENGTH,
    Account,
    LoginError,
    Throttle,
    check_password,
    check_password_policy,
    hash_password,
    is_loopback,
    parse_accounts,
    parse_users,
    read_auth_file,
    request_limit,
    require_login,
    upload_limit,
)
from tests.dash_requests import callback_body, find_callback

ANN, BO = "pw-ann-long-enough", "pw-bo-long-enough"

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


def test_passwords_keep_their_spaces():
    """Spaces around a clear-text password are part of it (never trimmed); a hash's are layout."""
    hashed = generate_password_hash("x", method="pbkdf2:sha256:1000")
    users = parse_users(f"  ann:  two words and spaces  \nbo: {hashed}  \n")
    assert users == {"ann": "  two words and spaces  ", "bo": hashed}


def test_parse_users_rejects_malformed_lines():
    """Missing password, missing colon and duplicate users name the file and line."""
    for text, line in (("ann:\n", 1), ("# x\nann\n", 2), ("ann:a\nann:b\n", 2), (":pw\n", 1)):
        with pytest.raises(LoginError, match=f"users.txt:{line}:"):
            parse_users(text, "users.txt")


def test_auth_file_lines_may_name_a_role():
    """user:password:role with analyst or viewer (any case); no role: None (the default applies);
    a clear password with ':' keeps them when a role follows; a hash takes a role after its digest."""
    hashed = generate_password_hash("x", method="pbkdf2:sha256:1000")
    accounts = parse_accounts(f"ann:two words :Analyst\nbo:{hashed}:viewer\ncid:{hashed}\n"
                              "dan:pass:word:viewer\neva:plain password\n")  # fmt: skip
    assert accounts == {"ann": Account("two words ", "analyst"), "bo": Account(hashed, "viewer"),
                        "cid": Account(hashed, None), "dan": Account("pass:word", "viewer"),
                        "eva": Account("plain password", None)}  # fmt: skip


@pytest.mark.parametrize("line", ["bo:correct horse battery:admin", "bo:pass:word", "bo:scrypt:1:2:3$s$h:root",
                                  "bo:correct horse battery:"])  # fmt: skip
def test_unknown_role_names_the_file_and_line_not_the_text(line):
    """An unknown role stops the start naming file, line and user; the text after the last ':'
    is not repeated (it may be the end of a password)."""
    with pytest.raises(LoginError) as caught:
        parse_accounts(f"# staff\nann:correct horse battery:analyst\n{line}\n", "users.txt")
    message = str(caught.value)
    assert message.startswith("users.txt:3: user 'bo': the text after the last ':' is not a role")
    assert "analyst" in message and "viewer" in message
    assert "admin" not in message and "root" not in message


def test_login_roles_are_checked_and_kept_on_the_server(tmp_path):
    """A role the login does not know stops it; the role of each user is the server's, never the cookie's."""
    import flask

    with pytest.raises(LoginError, match="role of user 'bo'"):
        require_login(flask.Flask("x"), {"bo": ANN}, roles={"bo": "admin"})
    login = security.Login({"ann": ANN, "bo": ANN}, roles={"ann": "analyst"})
    assert (login.floor_of("ann"), login.floor_of("bo"), login.floor_of("eve"), login.floor_of(None)) == (
        "names", "pseudonyms", "aggregate", "aggregate")


def test_hash_password_command_prints_the_role(monkeypatch, capsys):
    """`python -m dashboard.security USER ROLE` ends the line with the role; an unknown one exits 2."""
    answers = iter([ANN, ANN])
    monkeypatch.setattr(security.getpass, "getpass", lambda prompt="": next(answers))
    assert security.main(["ann", "analyst"]) == 0
    line = capsys.readouterr().out.strip()
    assert parse_accounts(line)["ann"].role == "analyst" and check_password(parse_users(line)["ann"], ANN)
    assert security.main(["ann", "admin"]) == 2 and "not a role" in capsys.readouterr().err


def test_read_auth_file_needs_a_user(tmp_path):
    """An empty or missing login file is an error, not an open door."""
    empty = tmp_path / "empty.txt"
    empty.write_text("# nobody\n")
    with pytest.raises(LoginError, match="no user"):
        read_auth_file(empty)
    with pytest.raises(LoginError, match="cannot read"):
        read_auth_file(tmp_path / "missing.txt")


def test_short_passwords_are_refused_where_they_are_set():
    """Under 12 characters: no hash is made, no login starts; a hash cannot be measured, so it passes."""
    with pytest.raises(LoginError, match="at least 12"):
        hash_password("x" * (MIN_PASSWORD_LENGTH - 1))
    assert check_password(hash_password("x" * MIN_PASSWORD_LENGTH), "x" * MIN_PASSWORD_LENGTH)
    with pytest.raises(LoginError, match="'bo' has 5 characters"):
        check_password_policy({"ann": ANN, "bo": "short"})
    check_password_policy({"ann": generate_password_hash("short", method="pbkdf2:sha256:1000")})
    import flask

    with pytest.raises(LoginError, match="'bo'"):
        require_login(flask.Flask("x"), {"bo": "short"})


def test_hash_password_command_prints_an_auth_file_line(monkeypatch, capsys):
    """`python -m dashboard.security USER` asks twice and prints USER:<scrypt hash>; short ones exit 2."""
    answers = iter([ANN, ANN, "short", "short"])
    monkeypatch.setattr(security.getpass, "getpass", lambda prompt="": next(answers))
    assert security.main(["ann"]) == 0
    user, _, hashed = capsys.readouterr().out.strip().partition(":")
    assert user == "ann" and hashed.startswith("scrypt:") and check_password(hashed, ANN)
    assert security.main(["ann"]) == 2 and "at least 12" in capsys.readouterr().err
    assert security.main([]) == 2


def test_check_password_plain_and_hashed():
    """Plain passwords and werkzeug hashes both verify; wrong ones do not."""
    hashed = generate_password_hash("s3cret", method="pbkdf2:sha256:1000")
    assert check_password(hashed, "s3cret") and not check_password(hashed, "s3cre")
    assert check_password("pw:with:colons", "pw:with:colons") and not check_password("pw", "PW")


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture
def locked_app(tmp_path_factory):
    """The dashboard with a login for ann (plain) and bo (hashed); a fresh throttle each test."""
    app = create_app(data_dir=tmp_path_factory.mktemp("login") / "data")
    require_login(app.server, {"ann": ANN, "bo": generate_password_hash(BO, method="pbkdf2:sha256:1000")})
    return app


@pytest.mark.parametrize("path", ["/", "/overview", "/_dash-layout", "/_dash-dependencies", "/assets/style.css"])
def test_every_route_needs_the_login(locked_app, path):
    """Without credentials every route answers 401 with a basic-auth challenge."""
    response = locked_app.server.test_client().get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic ")


def test_wrong_login_is_refused_and_right_ones_pass(locked_app):
    """Wrong password, unknown user: 401; plain and hashed passwords of listed users: served."""
    client = locked_app.server.test_client(use_cookies=False)
    assert client.get("/overview", headers=_basic("ann", "nope")).status_code == 401
    assert client.get("/overview", headers=_basic("eve", ANN)).status_code == 401
    assert client.get("/overview", headers=_basic("ann", ANN.strip("pw-"))).status_code == 401
    assert client.get("/overview", headers=_basic("ann", ANN)).status_code == 200
    assert client.get("/overview", headers=_basic("bo", BO)).status_code == 200
    assert client.get("/_dash-dependencies", headers=_basic("bo", BO)).status_code == 200


def test_session_cookie_spares_the_password_hash(locked_app, monkeypatch):
    """After one basic login the signed cookie lets requests through without hashing again;
    a forged or foreign cookie does not."""
    client = locked_app.server.test_client()
    first = client.get("/overview", headers=_basic("ann", ANN))
    assert first.status_code == 200
    cookie = first.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    monkeypatch.setattr(security, "check_password_hash", lambda *a: pytest.fail("hashed again"))
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/_dash-dependencies", headers=_basic("ann", ANN)).status_code == 200
    name = cookie.split("=", 1)[0]
    other = locked_app.server.test_client()
    other.set_cookie(name, "ImFubiI.forged.signature")
    monkeypatch.undo()
    assert other.get("/_dash-layout").status_code == 401


def test_failed_logins_are_throttled_per_address(locked_app):
    """Five wrong passwords, then 429 with Retry-After without checking (even the right password);
    another address still logs in."""
    client = locked_app.server.test_client(use_cookies=False)
    attacker = {"REMOTE_ADDR": "10.0.0.66"}
    for _ in range(security.FREE_FAILURES):
        assert client.get("/overview", headers=_basic("ann", "guess-guess-guess"), environ_base=attacker).status_code == 401
    refused = client.get("/overview", headers=_basic("ann", ANN), environ_base=attacker)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert client.get("/overview", headers=_basic("ann", ANN), environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 200


def test_throttle_backs_off_exponentially_and_forgives_after_success():
    """Each failure past the free ones doubles the wait; a success clears the address."""
    now = [0.0]
    throttle = Throttle(free=2, clock=lambda: now[0])
    waits = []
    for _ in range(6):
        wait = throttle.begin("a")
        waits.append(wait)
        now[0] += wait  # the client waits as told, then tries and fails
        if wait:
            assert throttle.begin("a") == 0.0
        throttle.end("a", False)
    assert waits == [0.0, 0.0, 1.0, 2.0, 4.0, 8.0]
    assert throttle.begin("a") == 16.0
    now[0] += 16
    assert throttle.begin("a") == 0.0
    throttle.end("a", True)
    assert [throttle.begin("a"), throttle.begin("a")] == [0.0, 0.0]


def test_unknown_users_cost_the_same_hash_as_known_ones(locked_app, monkeypatch):
    """An unknown user name is checked against a dummy hash made like the real ones, and clear
    passwords are hashed at start: every failed login costs one hash of the same kind."""
    checked: list[str] = []
    real = security.check_password_hash
    monkeypatch.setattr(security, "check_password_hash", lambda stored, given: checked.append(stored) or real(stored, given))
    client = locked_app.server.test_client(use_cookies=False)
    for user in ("ann", "bo", "nobody"):
        assert client.get("/overview", headers=_basic(user, "wrong-password-x")).status_code == 401
    assert len(checked) == 3
    methods = [h.split("$", 1)[0] for h in checked]
    assert methods[0].startswith("scrypt") and methods[1] == "pbkdf2:sha256:1000"
    assert methods[2] in methods[:2]


def test_concurrent_password_checks_are_capped(tmp_path, monkeypatch):
    """However many logins arrive at once (from many addresses), only HASH_SLOTS hashes run
    together; the others get 503 at once instead of holding a server thread."""
    import flask

    running, peak, lock = [0], [0], threading.Lock()

    def slow_check(stored, given):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return False

    server = flask.Flask("x")
    server.get("/")(lambda: "ok")
    require_login(server, {"ann": ANN}, hash_slots=2)
    monkeypatch.setattr(security, "check_password_hash", slow_check)

    statuses: list[int] = []

    def attempt(n: int) -> None:
        response = server.test_client().get("/", headers=_basic("ann", f"wrong-{n}"),
                                            environ_base={"REMOTE_ADDR": f"10.1.0.{n}"})  # fmt: skip
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert peak[0] == 2
    assert set(statuses) == {401, 503} and statuses.count(401) >= 2


def test_parallel_requests_of_one_browser_share_one_check(locked_app, monkeypatch):
    """A browser's burst of requests with the same login (after a restart, before it has the
    cookie) costs one hash and none is throttled."""
    calls: list[int] = []
    real = security.check_password_hash

    def slow(stored, given):
        calls.append(1)
        time.sleep(0.2)
        return real(stored, given)

    monkeypatch.setattr(security, "check_password_hash", slow)
    statuses: list[int] = []

    def fetch() -> None:
        client = locked_app.server.test_client(use_cookies=False)
        statuses.append(client.get("/_dash-layout", headers=_basic("ann", ANN)).status_code)

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200] * 8 and len(calls) == 1
    fetch()  # remembered: no hash even without the cookie
    assert len(calls) == 1


def test_require_login_needs_users(tmp_path):
    """An empty user list is refused (it would lock everyone out silently)."""
    import flask

    with pytest.raises(LoginError):
        require_login(flask.Flask("x"), {})


def test_assets_file_exists_for_the_route_test():
    """The asset the login test requests exists, so 401 is not a 404 in disguise."""
    from dashboard.app import ASSETS

    assert any(Path(ASSETS).glob("*.css"))


# -- host names, origins, headers ------------------------------------------------------------------


def test_foreign_host_is_refused(small_app):
    """DNS rebinding: a request addressed to a name other than this machine's loopback names gets 400."""
    client = small_app.server.test_client()
    assert client.get("/overview", base_url="http://evil.example:8050").status_code == 400
    assert client.get("/_dash-layout", base_url="http://evil.example").status_code == 400
    for own in ("http://localhost", "http://127.0.0.1:8050", "http://[::1]:8050"):
        assert client.get("/_dash-layout", base_url=own).status_code == 200, own


def test_callback_from_another_site_is_refused(small_app):
    """A Dash callback POST whose Origin is another site (or "null") gets 403; the app's own, or none, passes."""
    body = _upload_body(small_app, _data_url(_csv_of_size(2000)))
    client = small_app.server.test_client()

    def post(origin: str | None) -> int:
        headers = {"Origin": origin} if origin is not None else {}
        return client.post("/_dash-update-component", json=body, headers=headers).status_code

    assert post("http://evil.example") == 403
    assert post("http://localhost:9999") == 403
    assert post("null") == 403
    assert post("http://localhost") == 200 and post(None) == 200


@pytest.mark.parametrize("path", ["/overview", "/_dash-layout", "/assets/dashboard.css", "/no-such-page"])
def test_security_headers_on_every_response(small_app, path):
    """CSP without eval or inline scripts, no framing, no sniffing, no referrer, no server banner."""
    with small_app.server.test_client().get(path) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-eval'" not in script_src and "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Server" not in headers


def test_refusals_carry_the_security_headers(locked_app, small_app):
    """401 and 400 answers are framed-proof too."""
    assert locked_app.server.test_client().get("/overview").headers["X-Frame-Options"] == "DENY"
    assert small_app.server.test_client().get("/", base_url="http://evil.example").headers["X-Frame-Options"] == "DENY"


def test_csp_allows_exactly_the_pages_inline_scripts(small_app):
    """Every inline script Dash puts in the page is allowed by its hash, so the page runs under the CSP."""
    response = small_app.server.test_client().get("/overview")
    page = response.get_data(as_text=True)
    inline = [m.group(2) for m in re.finditer(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", page, re.S)
              if "application/json" not in m.group(1) and "Internet Explorer" not in m.group(2)]  # fmt: skip
    assert len(inline) >= 2
    csp = response.headers["Content-Security-Policy"]
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp, script[:80]
