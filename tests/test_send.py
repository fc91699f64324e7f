"""Reminders that reach people: one message per unit, split by a chat's limit, sent to a group
robot (a local server started here, never a real endpoint), and the settings they use."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from xixin_cli.errors import ExitCode
from xixin_cli.messages import Message, Section, short_title, size, split
from xixin_cli.send import masked, target

from conftest import Runner

AS_OF = ("--as-of", "2022-12-05")


class Posted(NamedTuple):
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class Hook:
    """A webhook receiver on 127.0.0.1: records every POST, answers with `status`."""

    def __init__(self) -> None:
        self.posts: list[Posted] = []
        self.status = 200
        self.answer = b'{"errcode":0,"errmsg":"ok","code":0}'
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                hook.posts.append(Posted(self.path, dict(self.headers.items()), body))
                self.send_response(hook.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(hook.answer)))
                self.end_headers()
                self.wfile.write(hook.answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hook]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    found = Hook()
    found.thread.start()
    try:
        yield found
    finally:
        found.server.shutdown()
        found.server.server_close()


# -- the message --------------------------------------------------------------------------------


def test_the_units_message_names_each_item_with_its_title(xixin: Runner) -> None:
    result = xixin("remind", "--plain", "--office", "乡民政办", *AS_OF)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "【督办提醒】乡民政办"
    assert "逾期 9 项，7 天内到期 0 项，受阻 0 项" in lines
    assert "· 4.3.1 深入践行以人民为中心的发展思想：逾期 5 天（2022-11-30 到期）" in lines
    assert "5.3.1 开展自检自查" in result.out
    assert "乡党群办" not in result.out  # that unit's parts are in its own message
    assert max(size(line) for line in lines) < 200  # a phone's lines, no table


def test_blocked_and_extended_parts_are_said_so(xixin: Runner) -> None:
    assert (
        xixin("block", "4.3.5", "--office", "民政办", "-n", "经费未到", "--on", "2022-12-01").code
        == 0
    )
    extend = ("extend", "4.3.2", "--office", "民政办", "--to", "2022-12-02", "-r", "同意")
    assert xixin(*extend, "--on", "2022-12-01").code == 0
    out = xixin("remind", "--plain", "--office", "民政办", *AS_OF).out
    assert "受阻 1 项" in out
    assert (
        "· 4.3.2 强力推进“五项管理”和“双减政策”：逾期 3 天（已延期至 2022-12-02，原定 2022-11-30）"
        in out
    )
    blocked = out.split("\n受阻\n", 1)[1].splitlines()
    assert blocked[0] == "· 4.3.5 健全政府激励创新创业、社会支持创新创业…：经费未到，已逾期 5 天"


def test_the_message_reads_in_english_too(xixin: Runner) -> None:
    out = xixin("--lang", "en", "remind", "--plain", "--office", "minzheng", *AS_OF).out
    assert out.startswith("[Reminder] 乡民政办\n")
    assert "· 4.3.1 深入践行以人民为中心的发展思想: 5 days overdue (due 2022-11-30)" in out


def test_split_by_office_writes_one_message_per_unit(xixin: Runner, tmp_path: Path) -> None:
    folder = tmp_path / "提醒"
    result = xixin("remind", "--plain", "--split-by", "office", "-o", str(folder), *AS_OF)
    assert result.code == 0, result.err
    assert result.out == ""
    names = sorted(path.name for path in folder.iterdir())
    assert "乡民政办-提醒.txt" in names and "各村-提醒.txt" in names
    assert len(names) == 9
    text = (folder / "乡农服中心-提醒.txt").read_text(encoding="utf-8")
    parts = [part for part in text.split("\n\n【") if part]
    assert text.startswith("【督办提醒】乡农服中心（1/2）\n")
    assert "【督办提醒】乡农服中心（2/2）\n" in text
    for part in text.split("\n【督办提醒】"):
        assert size("【督办提醒】" + part) <= 2048
    assert len(parts) == 2


def test_a_long_message_is_cut_in_order_with_each_part_numbered() -> None:
    lines = tuple(f"· 4.{n}.1 事项第{n}项：逾期 {n} 天" for n in range(1, 200))
    whole = Message(
        ("【督办提醒】某单位", "洗府发〔2022〕145号 截至 2022-12-05"), (Section("🔴 逾期", lines),)
    )
    parts = split(whole, 1000, "zh")
    assert len(parts) > 3
    for number, part in enumerate(parts, 1):
        assert size(part) <= 1000
        assert part.startswith(f"【督办提醒】某单位（{number}/{len(parts)}）\n")
    assert parts[1].splitlines()[1] == "🔴 逾期（续）"
    carried = [line for part in parts for line in part.splitlines() if line.startswith("· ")]
    assert carried == list(lines)  # every line once, in order
    assert split(whole._replace(sections=()), 1000, "zh") == [
        "【督办提醒】某单位\n洗府发〔2022〕145号 截至 2022-12-05\n"
    ]


def test_a_line_longer_than_a_part_is_cut_between_characters() -> None:
    line = "· 1.1 " + "长" * 600
    parts = split(Message(("标题",), (Section("节", (line,)),)), 500, "zh")
    assert all(size(part) <= 500 for part in parts)
    rebuilt = "".join(part.split("\n", 1)[1].replace("节（续）\n", "") for part in parts)
    assert rebuilt.replace("\n", "").replace("节", "", 1) == line


def test_short_titles() -> None:
    assert (
        short_title("深入践行以人民为中心的发展思想，提高社会建设水平")
        == "深入践行以人民为中心的发展思想"
    )
    assert short_title("严格落实“四个不摘”要求") == "严格落实“四个不摘”要求"
    assert (
        short_title("一二三四五六七八九十一二三四五六七八九十一二")
        == "一二三四五六七八九十一二三四五六七八九…"
    )
    assert short_title("甲，乙") == "甲，乙"  # a first clause too short to say anything


# -- webhook addresses ----------------------------------------------------------------------------


def test_webhook_addresses_map_to_their_robot() -> None:
    wecom = target("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx")
    assert (wecom.kind, wecom.url, wecom.limit) == ("wecom", "wecombot://693a91f6-7xxx", 2048)
    ding = target("https://oapi.dingtalk.com/robot/send?access_token=abc123&secret=SECdef456")
    assert (ding.kind, ding.url) == ("dingtalk", "dingtalk://SECdef456@abc123/")
    assert target("https://oapi.dingtalk.com/robot/send?access_token=abc123").url == (
        "dingtalk://abc123/"
    )
    feishu = target("https://open.feishu.cn/open-apis/bot/v2/hook/0f1e-2d3c")
    assert (feishu.kind, feishu.url) == ("feishu", "feishu://0f1e-2d3c")
    assert target("wecombot://KEY").kind == "wecom"
    assert target("dingtalk://SEC@TOKEN/").kind == "dingtalk"
    plain = target("http://127.0.0.1:8080/hook")
    assert (plain.kind, plain.url) == ("json", "http://127.0.0.1:8080/hook")


@pytest.mark.parametrize(
    "url", ["ftp://x/y", "qyapi.weixin.qq.com", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"]
)
def test_an_address_that_names_no_target_is_refused(xixin: Runner, url: str) -> None:
    result = xixin("remind", "--send", url, *AS_OF)
    assert result.code == ExitCode.USAGE
    assert result.out == ""
    assert "--send" in result.err and result.err[-1] == "\n" and result.err.count("\n") == 1


def test_keys_are_shown_masked() -> None:
    shown = masked("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4")
    assert shown == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…"
    assert "SECdef" not in masked("dingtalk://SECdef456@abc123456/")
    hook = masked("https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c-aaaa-bbbb-cccc")
    assert hook == "https://open.feishu.cn/open-apis/bot/v2/hook/0f1e…"


# -- sending --------------------------------------------------------------------------------------


def test_remind_send_delivers_the_text_to_a_local_server(xixin: Runner, hook: Hook) -> None:
    result = xixin("remind", "--plain", "--send", f"{hook.base}/hook", *AS_OF)
    assert result.code == 0, result.err
    assert [post.path for post in hook.posts] == ["/hook"] * len(hook.posts)
    bodies = [post.json() for post in hook.posts]
    assert [body["part"] for body in bodies] == list(range(1, len(bodies) + 1))
    assert {body["parts"] for body in bodies} == {len(bodies)}
    text = "".join(body["text"] for body in bodies)
    assert result.out == "\n".join(body["text"] for body in bodies)  # printed as sent
    assert text.startswith(f"【督办提醒】各单位（1/{len(bodies)}）")
    assert "■ 乡民政办：逾期 9 项" in text
    assert "· 4.3.1 深入践行以人民为中心的发展思想：逾期 5 天（2022-11-30 到期）" in text
    assert all(size(body["text"]) <= 2048 for body in bodies)
    assert hook.posts[0].headers["Content-Type"].startswith("application/json")
    assert f"已发送到 {hook.base}/hook（{len(bodies)} 条）" in result.err


def test_send_with_office_sends_only_that_units_message(xixin: Runner, hook: Hook) -> None:
    result = xixin("remind", "--plain", "--office", "民政办", "--send", f"{hook.base}/a", *AS_OF)
    assert result.code == 0, result.err
    assert len(hook.posts) == 1
    text = hook.posts[0].json()["text"]
    assert text == result.out  # what is printed is what is sent
    assert text.startswith("【督办提醒】乡民政办\n") and "乡党群办" not in text


def test_a_refusing_server_gives_the_send_code_and_the_reminder_is_printed(
    xixin: Runner, hook: Hook
) -> None:
    hook.status = 503
    result = xixin("remind", "--plain", "--office", "民政办", "--send", f"{hook.base}/x", *AS_OF)
    assert result.code == int(ExitCode.SEND) == 8
    assert "· 4.3.1 深入践行以人民为中心的发展思想" in result.out
    assert f"发送到 {hook.base}/x 失败：HTTP 503" in result.err


def test_a_server_that_is_not_there_names_the_target(xixin: Runner, hook: Hook) -> None:
    hook.server.shutdown()
    hook.server.server_close()
    url = f"{hook.base}/gone"
    result = xixin("--lang", "en", "remind", "--send", url, "--send", url, *AS_OF)
    assert result.code == ExitCode.SEND
    assert "Overdue" in result.out or "overdue" in result.out  # the table, as remind shows it
    assert result.err.count(f"sending to {url} failed:") == 1  # one target, named once


def test_overdue_code_stays_when_sending_works(xixin: Runner, hook: Hook) -> None:
    result = xixin("remind", "--plain", "--fail-on-overdue", "--send", hook.base + "/", *AS_OF)
    assert result.code == ExitCode.OVERDUE
    assert hook.posts


def test_send_default_uses_the_configured_targets(
    xixin: Runner, hook: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    none = xixin("remind", "--send", "default", *AS_OF)
    assert none.code == ExitCode.USAGE and "xixin config set send" in none.err
    assert xixin("config", "set", "send", f"{hook.base}/cfg").code == 0
    assert xixin("remind", "--plain", "--send", "默认", *AS_OF).code == 0
    assert {post.path for post in hook.posts} == {"/cfg"}
    monkeypatch.setenv("XIXIN_SEND", f"{hook.base}/env1 {hook.base}/env2")
    hook.posts.clear()
    assert xixin("remind", "--office", "民政办", "--send", "default", *AS_OF).code == 0
    assert [post.path for post in hook.posts] == ["/env1", "/env2"]


# -- the robots, through apprise, posting to the local server --------------------------------------


@pytest.fixture
def robots(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> Hook:
    """apprise's WeCom, DingTalk and Feishu plugins pointed at the local server: what they
    post is what the robots would get."""
    from apprise.plugins.dingtalk import NotifyDingTalk
    from apprise.plugins.feishu import NotifyFeishu
    from apprise.plugins.wecombot import NotifyWeComBot

    monkeypatch.setattr(NotifyWeComBot, "notify_url", hook.base + "/wecom?key={key}")
    monkeypatch.setattr(NotifyDingTalk, "notify_url", hook.base + "/ding?access_token={token}")
    monkeypatch.setattr(NotifyFeishu, "notify_url", hook.base + "/feishu/{token}/")
    return hook


def test_wecom_gets_its_text_message(xixin: Runner, robots: Hook) -> None:
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"
    result = xixin("remind", "--plain", "--office", "民政办", "--send", url, *AS_OF)
    assert result.code == 0, result.err
    (post,) = robots.posts
    assert post.path == "/wecom?key=693a91f6-7xxx"
    assert post.json() == {"msgtype": "text", "text": {"content": result.out.rstrip()}}
    assert "key=693a…" in result.err and "693a91f6" not in result.err


def test_dingtalk_gets_a_signed_text_message(xixin: Runner, robots: Hook) -> None:
    secret = "SEC0123456789abcdef"
    url = f"https://oapi.dingtalk.com/robot/send?access_token=tok123&secret={secret}"
    result = xixin("remind", "--plain", "--office", "民政办", "--send", url, *AS_OF)
    assert result.code == 0, result.err
    (post,) = robots.posts
    query = parse_qs(urlsplit(post.path).query)
    assert query["access_token"] == ["tok123"]
    # DingTalk's documented signature: base64(HMAC-SHA256(secret, "timestamp\nsecret")).
    stamp = query["timestamp"][0]
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert unquote(query["sign"][0]) == base64.b64encode(digest).decode()
    body = post.json()
    assert body["msgtype"] == "text" and body["text"]["content"] == result.out.rstrip()


def test_feishu_gets_a_text_message(xixin: Runner, robots: Hook) -> None:
    url = "https://open.feishu.cn/open-apis/bot/v2/hook/0f1e-2d3c"
    result = xixin("remind", "--plain", "--office", "民政办", "--send", url, *AS_OF)
    assert result.code == 0, result.err
    (post,) = robots.posts
    assert post.path == "/feishu/0f1e-2d3c/"
    assert post.json() == {"msg_type": "text", "content": {"text": result.out.rstrip()}}


def test_a_robot_that_refuses_gives_the_send_code(xixin: Runner, robots: Hook) -> None:
    robots.status = 400
    url = "wecombot://693a91f6"
    result = xixin("remind", "--plain", "--office", "民政办", "--send", url, *AS_OF)
    assert result.code == ExitCode.SEND
    assert "【督办提醒】乡民政办" in result.out
    assert "发送到 wecombot://693a… 失败：" in result.err


def test_without_apprise_the_robot_send_says_what_to_install(
    xixin: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "apprise", None)  # import apprise raises ImportError
    result = xixin("remind", "--plain", "--office", "民政办", "--send", "feishu://tok", *AS_OF)
    assert result.code == ExitCode.SEND
    assert "【督办提醒】乡民政办" in result.out
    assert 'pip install "xixin[send]"' in result.err


# -- settings --------------------------------------------------------------------------------------


def test_config_by_names_the_recorder(xixin: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    assert xixin("config", "set", "by", "张三").code == 0
    assert xixin("config", "get", "by").out == "张三\n"
    assert xixin("done", "5.1.2").code == 0
    record = json.loads(xixin("history", "5.1.2", "--json").out)[0]
    assert record["by"] == "张三"
    monkeypatch.setenv("XIXIN_BY", "李四")  # the variable comes first
    assert xixin("start", "5.1.1").code == 0
    assert json.loads(xixin("history", "5.1.1", "--json").out)[0]["by"] == "李四"
    assert "XIXIN_BY" in xixin("config", "list").out
    monkeypatch.delenv("XIXIN_BY")
    assert xixin("config", "unset", "by").code == 0
    assert xixin("config", "get", "by").out == ""


def test_config_send_lives_in_the_working_folder(
    xixin: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = xixin("config", "set", "send", "http://127.0.0.1:9/user")
    assert outside.code == 0 and "config.json" in outside.err
    assert xixin("init", str(tmp_path / "ws")).code == 0
    monkeypatch.chdir(tmp_path / "ws")
    inside = xixin("config", "set", "send", "http://127.0.0.1:9/office")
    assert inside.code == 0, inside.err
    stored = json.loads((tmp_path / "ws" / "xixin-config.json").read_text(encoding="utf-8"))
    assert stored == {"send": ["http://127.0.0.1:9/office"]}
    listed = xixin("config", "list").out
    assert "send = http://127.0.0.1:9/office" in listed and "xixin-config.json" in listed
    assert xixin("config", "set", "send", "ftp://nope").code == ExitCode.USAGE
    assert xixin("config", "set", "colour", "red").code == ExitCode.USAGE


def test_a_broken_settings_file_is_named_and_left_alone(xixin: Runner) -> None:
    import os

    path = Path(os.environ["XDG_CONFIG_HOME"]) / "xixin" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{by: 张三", encoding="utf-8")
    result = xixin("config", "set", "by", "王五")
    assert result.code == ExitCode.USAGE
    assert str(path) in result.err and "第 1 行" in result.err
    assert path.read_text(encoding="utf-8") == "{by: 张三"
    assert xixin("done", "5.1.2").code == ExitCode.USAGE  # not recorded under a guessed name


def test_as_of_is_the_day_the_message_says(xixin: Runner) -> None:
    out = xixin("remind", "--plain", "--office", "民政办", "--as-of", "2022-11-28").out
    assert f"截至 {date(2022, 11, 28).isoformat()}" in out
    assert "2022-11-30 到期，还剩 2 天" in out


def test_output_without_split_is_refused(xixin: Runner, tmp_path: Path) -> None:
    result = xixin("remind", "--plain", "-o", str(tmp_path / "x"), *AS_OF)
    assert result.code == ExitCode.USAGE
    assert "--split-by office" in result.err
    assert not (tmp_path / "x").exists()


def test_each_village_gets_its_own_message(xixin: Runner, tmp_path: Path) -> None:
    from xixin_cli.paths import bundled_plan

    text = bundled_plan().read_text(encoding="utf-8")
    line = "  cun: {name: 各村, group: true}"
    path = tmp_path / "plan.yaml"
    path.write_text(
        text.replace(line, "  cun: {name: 各村, group: true, members: [龙塘村, 双河村]}"),
        encoding="utf-8",
    )
    plan = ("--plan", str(path))
    assert xixin(*plan, "done", "4.3.8", "--office", "龙塘村", "--on", "2022-11-25").code == 0
    out = xixin(*plan, "remind", "--plain", "--office", "各村", *AS_OF).out
    titles = [line for line in out.splitlines() if line.startswith("【督办提醒】")]
    names = list(dict.fromkeys(title.split("（")[0] for title in titles))
    # The one with more overdue first; 各村 itself has no message of its own.
    assert names == ["【督办提醒】双河村", "【督办提醒】龙塘村"]
    longtang = out.split("【督办提醒】龙塘村", 1)[1]
    assert "· 4.3.8 " not in longtang  # done there
    assert "· 4.3.8 大力开展群众性文化活动" in out.split("【督办提醒】龙塘村", 1)[0]


def test_a_heading_never_ends_a_part() -> None:
    first = Section("🔴 逾期", tuple(f"· 4.{n}.1 事项：逾期 {n} 天" for n in range(1, 30)))
    second = Section("受阻", tuple(f"· 5.{n}.1 事项：未写原因" for n in range(1, 30)))
    for limit in range(300, 1400, 7):  # wherever the cut falls
        parts = split(Message(("标题", "日期"), (first, second)), limit, "zh")
        for part in parts:
            lines = part.rstrip("\n").splitlines()
            assert lines[-1].startswith("· "), (limit, part)
            assert size(part) <= limit


def test_a_closed_pipe_does_not_stop_the_send(hook: Hook, process_env: dict[str, str]) -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "xixin_cli", "remind", "--plain", "--send", hook.base + "/p"]
    with subprocess.Popen(
        [*command, *AS_OF], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=process_env
    ) as process:
        assert process.stdout is not None
        process.stdout.close()  # the reader went away before anything was printed
        process.wait(timeout=60)
    assert process.returncode == 0
    assert len(hook.posts) > 1  # every part still went to the group
