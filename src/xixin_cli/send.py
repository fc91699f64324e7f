"""Sending the reminder to a group: which robot a URL names, and posting to it.

WeCom (企业微信), DingTalk (钉钉, with its signing secret) and Feishu (飞书) group robots are
posted to through apprise (the optional extra `xixin[send]`), imported only when sending; any
other http(s) URL gets a plain JSON POST from the standard library. A robot's webhook can be
given as its settings page shows it (the https URL) or in apprise's form (`wecombot://KEY`,
`dingtalk://SECRET@TOKEN`, `feishu://TOKEN`). The URL holds the robot's key: it is shown only
masked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qs, urlsplit

from xixin_cli.errors import UsageError
from xixin_cli.messages import CHAT_LIMIT
from xixin_cli.tuples import NamedTuple

#: What one message may hold, in UTF-8 bytes, for each kind of target: WeCom's documented
#: 2,048 bytes of text; DingTalk's and Feishu's 20,000-byte messages less room for the JSON
#: around the text; a plain JSON receiver gets chat-sized messages.
LIMITS = {"wecom": 2048, "dingtalk": 19000, "feishu": 18000, "json": CHAT_LIMIT}

#: Seconds to wait for a plain JSON receiver.
TIMEOUT = 15

#: The word `--send` takes for the configured targets.
DEFAULT_WORDS = ("default", "默认")

_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")


class Target(NamedTuple):
    """Where a reminder goes: the URL as given, its kind, and the URL that is posted to
    (apprise's for a robot, the given one for plain JSON)."""

    given: str
    kind: str  # wecom | dingtalk | feishu | json
    url: str

    @property
    def limit(self) -> int:
        return LIMITS[self.kind]

    @property
    def shown(self) -> str:
        return masked(self.given)


class Failure(NamedTuple):
    """A target that did not take a message: which, the message code saying why, and what the
    other side or the library said."""

    target: Target
    code: str  # send.failed | send.needs_apprise | send.apprise_refused
    reason: str = ""


def target(given: str) -> Target:
    """The target a URL names; UsageError for one that names none (exit 2, nothing sent)."""
    url = given.strip()
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    query = parse_qs(parts.query)

    def one(name: str) -> str:
        values = query.get(name, [])
        return values[0] if values and _TOKEN.match(values[0]) else ""

    if scheme in ("wecombot", "dingtalk", "feishu"):
        kind = {"wecombot": "wecom"}.get(scheme, scheme)
        if not parts.netloc:
            raise UsageError("send.bad_url", url=masked(url))
        return Target(url, kind, url)
    if scheme not in ("http", "https") or not host:
        raise UsageError("send.bad_url", url=masked(url))
    if host == "qyapi.weixin.qq.com" and parts.path.rstrip("/") == "/cgi-bin/webhook/send":
        key = one("key")
        if not key:
            raise UsageError("send.no_key", url=masked(url), name="key")
        return Target(url, "wecom", f"wecombot://{key}")
    if host == "oapi.dingtalk.com" and parts.path.rstrip("/") == "/robot/send":
        token, secret = one("access_token"), one("secret")
        if not token:
            raise UsageError("send.no_key", url=masked(url), name="access_token")
        return Target(
            url, "dingtalk", f"dingtalk://{secret}@{token}/" if secret else f"dingtalk://{token}/"
        )
    if host == "open.feishu.cn" and parts.path.startswith("/open-apis/bot/v2/hook/"):
        token = parts.path.removeprefix("/open-apis/bot/v2/hook/").strip("/")
        if not _TOKEN.match(token):
            raise UsageError("send.no_key", url=masked(url), name="hook")
        return Target(url, "feishu", f"feishu://{token}")
    return Target(url, "json", url)


def masked(url: str) -> str:
    """The URL with its keys hidden: each query value, password and long path segment kept to
    its first 4 characters (a robot's key is all it takes to post to the group)."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    if "@" in netloc:  # dingtalk://SECRET@TOKEN, https://user:password@host
        user, host = netloc.rsplit("@", 1)
        netloc = f"{_hide(user)}@{host}"
    if parts.scheme.lower() in ("wecombot", "dingtalk", "feishu"):
        netloc = "@".join(_hide(piece) for piece in netloc.split("@"))
    path = "/".join(
        _hide(segment) if len(segment) > 16 else segment for segment in parts.path.split("/")
    )
    query = "&".join(
        f"{name}={_hide(value)}" if value else name
        for name, _, value in (pair.partition("=") for pair in parts.query.split("&") if pair)
    )
    return f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def _hide(text: str) -> str:
    return text if len(text) <= 4 else text[:4] + "…"


def targets(given: Sequence[str]) -> list[Target]:
    """The targets `--send` names, each once; `default` (默认) stands for the configured ones
    (XIXIN_SEND, else `xixin config set send URL…`)."""
    from xixin_cli.config import lookup

    found: dict[str, Target] = {}
    for value in given:
        if value.strip() in DEFAULT_WORDS:
            configured = lookup("send")
            if configured is None:
                raise UsageError("send.none_configured")
            urls: Sequence[str] = configured.values
        else:
            urls = (value,)
        for url in urls:
            to = target(url)
            found.setdefault(to.url, to)
    return list(found.values())


def deliver(to: Target, texts: Sequence[str]) -> Failure | None:
    """Post each text, in order, to the target; stops at the first that fails."""
    for number, text in enumerate(texts, 1):
        if to.kind == "json":
            payload = {"text": text, "part": number, "parts": len(texts)}
            reason: str | Failure | None = _post_json(to.url, payload)
        else:
            reason = _post_robot(to, text)
        if reason is not None:
            return reason if isinstance(reason, Failure) else Failure(to, "send.failed", reason)
    return None


def _post_json(url: str, payload: dict[str, object]) -> str | None:
    """POST the payload as JSON; the reason it failed, or None."""
    import json
    import urllib.error
    import urllib.request

    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            answer.read(65536)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        return str(exc.reason)
    except (OSError, ValueError) as exc:  # a timeout, a reset connection, a malformed URL
        return str(exc) or type(exc).__name__
    return None


def _post_robot(to: Target, text: str) -> str | Failure | None:
    """Send through apprise; why it failed (apprise's own words), or None."""
    try:
        import apprise
    except ImportError:
        return Failure(to, "send.needs_apprise")
    notifier = apprise.Apprise()
    if not notifier.add(to.url):
        return Failure(to, "send.apprise_refused")
    capture = apprise.LogCapture(level=apprise.logging.WARNING, fmt="%(message)s")  # type: ignore[no-untyped-call]
    with capture as log:
        sent = notifier.notify(body=text, body_format=apprise.NotifyFormat.TEXT)
        said = str(log.getvalue())
    if sent:
        return None
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    return "; ".join(dict.fromkeys(lines[-3:])) or "apprise"
