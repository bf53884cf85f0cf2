"""The fleet page for operators: ``/fleet`` (server-rendered HTML, no JavaScript).

``GET /fleet/login`` shows the form, tied to a short anonymous server-side session whose CSRF
token the form carries; ``POST /fleet/login`` checks that token, then the password
(:mod:`sync.server.operators`: Argon2id, lock-out), and on success replaces the anonymous
session with a new logged-in one. The cookie is HttpOnly, SameSite=Strict, Path=/fleet, and
Secure when the page is served over TLS. Every form (login, logout, acknowledge a staff call)
carries the session's synchronizer token; a missing or forged token is 403, as is a POST with
a forged, ended or expired cookie; a GET with one goes to the login form.

The page reads :func:`sync.server.fleet_status.fleet` (the same rows ``/metrics`` counts), the
open staff calls and the ratings. These paths are exempt from the kiosk signature gate (no
kiosk signs them); the operator session is their credential.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from sync.server.audit import DEFAULT_GRACE_SECONDS, AuditStatus, every_kiosk
from sync.server.calls import CallError, acknowledge_by_operator, list_calls
from sync.server.fleet_status import DEFAULT_OVERDUE_AFTER, KioskStatus, fleet
from sync.server.operators import LoginRefused, OperatorDesk, Session, csrf_matches
from sync.server.ratings import summary

FLEET_PATH = "/fleet"
LOGIN_PATH = "/fleet/login"
LOGOUT_PATH = "/fleet/logout"
ACK_PATH = "/fleet/ack"
FLEET_PATHS = (FLEET_PATH, LOGIN_PATH, LOGOUT_PATH, ACK_PATH)
COOKIE = "fleet_session"
MAX_FORM_BYTES = 4096

_STYLE = """
body{font-family:"Noto Sans CJK SC",sans-serif;margin:1.5em;color:#111}
table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #999;padding:.3em .6em}
th{background:#eee}tr.overdue td{background:#fdd;font-weight:bold}.problem{color:#a00}
.error{color:#a00;font-weight:bold}.notice{color:#060}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>")


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "从未 never"
    s = int(seconds)
    if s < 120:
        return f"{s} 秒前 s ago"
    if s < 7200:
        return f"{s // 60} 分钟前 min ago"
    if s < 172800:
        return f"{s // 3600} 小时前 h ago"
    return f"{s // 86400} 天前 days ago"


def _health(k: KioskStatus, now: float, overdue_after: float, audit_broken: bool = False) -> str:
    if k.revoked:
        return "已吊销 revoked"
    if k.overdue(now, overdue_after):
        return "心跳逾期 heartbeat overdue"
    if k.problems or k.quarantined or audit_broken:
        return "需要处理 needs attention"
    return "正常 ok"


def _audit_cell(status: AuditStatus | None) -> str:
    """The kiosk's audit chain as the platform checks it (docs/audit.md)."""
    if status is None:
        return "—"
    if status.intact:
        return f'<span class="audit-intact">完整 intact (#{status.last_seq or 0})</span>'
    kinds = ", ".join(sorted({f.kind for f in status.flags}))
    words = "; ".join(f.words for f in status.flags[:3])
    return f'<span class="problem" title="{_e(words)}">审计链异常 audit broken: {_e(kinds)}</span>'


def _form(action: str, csrf: str, fields: str, button: str) -> str:
    return (f'<form method="post" action="{_e(action)}">'
            f'<input type="hidden" name="csrf" value="{_e(csrf)}">{fields}'
            f"<button type=\"submit\">{_e(button)}</button></form>")


def fleet_router(
    engine: Engine, *, clock: Callable[[], float] = time.time,
    overdue_after: float = DEFAULT_OVERDUE_AFTER,
    audit_grace: float = DEFAULT_GRACE_SECONDS,
) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    desk = OperatorDesk(engine, clock=clock)

    def set_cookie(request: Request, response: Response, token: str, session: Session) -> None:
        response.set_cookie(
            COOKIE, token, max_age=max(1, int(session.expires_at - clock())), path=FLEET_PATH,
            httponly=True, samesite="strict", secure=request.url.scheme == "https")

    async def form_of(request: Request) -> dict[str, str] | None:
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return None
        try:
            parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=8)
        except (UnicodeDecodeError, ValueError):
            return None
        return {k: v[0] for k, v in parsed.items()}

    def refused(why: str) -> HTMLResponse:
        return HTMLResponse(_page("拒绝 Refused", f'<p class="error">{_e(why)}</p>'
                                  f'<p><a href="{LOGIN_PATH}">登录 Log in</a></p>'),
                            status_code=403)

    def login_form(request: Request, message: str = "", status: int = 200) -> HTMLResponse:
        token, session = desk.open_session(None)
        fields = ('<p><label>用户名 Name <input name="name" autocomplete="username" required>'
                  "</label></p><p><label>密码 Password <input name=\"password\" type=\"password\""
                  ' autocomplete="current-password" required></label></p>')
        error = f'<p class="error" id="message">{_e(message)}</p>' if message else ""
        body = (f"<h1>运维登录 Operator login</h1>{error}"
                + _form(LOGIN_PATH, session.csrf, fields, "登录 Log in"))
        response = HTMLResponse(_page("运维登录 Operator login", body), status_code=status)
        set_cookie(request, response, token, session)
        return response

    @router.get(LOGIN_PATH)
    def login_page(request: Request) -> Response:
        session = desk.session(request.cookies.get(COOKIE))
        if session is not None and session.operator is not None:
            return RedirectResponse(FLEET_PATH, status_code=303)
        return login_form(request)

    @router.post(LOGIN_PATH)
    async def login(request: Request) -> Response:
        token = request.cookies.get(COOKIE)
        session = desk.session(token)
        form = await form_of(request)
        if session is None or form is None or not csrf_matches(session, form.get("csrf")):
            return refused("表单已失效或被伪造 The form is expired or forged; log in again.")
        try:
            name = desk.authenticate(form.get("name", ""), form.get("password", ""))
        except LoginRefused as exc:
            desk.end_session(token)
            if exc.locked_until is not None:
                minutes = int(exc.locked_until - clock()) // 60 + 1
                text = (f"多次失败，账户已锁定 {minutes} 分钟。 Account locked after repeated "
                        f"failures; try again in {minutes} min.")
            else:
                text = "用户名或密码错误。 Wrong name or password."
            return login_form(request, text, status=401)
        desk.end_session(token)
        new_token, new_session = desk.open_session(name)
        response = RedirectResponse(FLEET_PATH, status_code=303)
        set_cookie(request, response, new_token, new_session)
        return response

    @router.post(LOGOUT_PATH)
    async def logout(request: Request) -> Response:
        token = request.cookies.get(COOKIE)
        session = desk.session(token)
        form = await form_of(request)
        if session is None or form is None or not csrf_matches(session, form.get("csrf")):
            return refused("会话无效 Not a valid session or form.")
        desk.end_session(token)
        response = RedirectResponse(LOGIN_PATH, status_code=303)
        response.delete_cookie(COOKIE, path=FLEET_PATH)
        return response

    @router.post(ACK_PATH)
    async def ack(request: Request) -> Response:
        session = desk.session(request.cookies.get(COOKIE))
        form = await form_of(request)
        if (session is None or session.operator is None or form is None
                or not csrf_matches(session, form.get("csrf"))):
            return refused("会话无效或表单被伪造 Not a valid session, or a forged form.")
        try:
            acknowledge_by_operator(engine, form.get("call_id", ""), session.operator, clock())
        except CallError as exc:
            return HTMLResponse(render(session, f"未能确认 Not acknowledged: {exc}"),
                                status_code=409)
        return RedirectResponse(FLEET_PATH, status_code=303)

    @router.get(FLEET_PATH)
    def page(request: Request) -> Response:
        session = desk.session(request.cookies.get(COOKIE))
        if session is None or session.operator is None:
            return RedirectResponse(LOGIN_PATH, status_code=303)
        return HTMLResponse(render(session))

    def render(session: Session, message: str = "") -> str:
        now = clock()
        kiosks = fleet(engine)
        audits = {a.kiosk_id: a for a in every_kiosk(engine, audit_grace)}
        rows = []
        for k in kiosks:
            overdue = k.overdue(now, overdue_after)
            audit = audits.get(k.kiosk_id)
            problems = "<br>".join(
                f'<span class="problem">{_e(d)}: {_e(s)}{" — " + _e(x) if x else ""}</span>'
                for d, s, x in k.problems) or "—"
            oldest = "—" if k.oldest_pending_age is None else _ago(k.oldest_pending_age)
            rows.append(
                f'<tr class="{"overdue" if overdue else "fine"}" data-kiosk="{_e(k.kiosk_id)}">'
                f"<td>{_e(k.kiosk_id)}</td><td class=\"health\">"
                f"{_e(_health(k, now, overdue_after, not audit.intact if audit else False))}"
                "</td>"
                f"<td>{_e(_ago(k.seen_ago(now)))}</td><td>{k.backlog}</td><td>{_e(oldest)}</td>"
                f"<td>{k.quarantined}</td><td>{problems}</td><td>{k.open_calls}</td>"
                f"<td>{_e(k.version or '—')}</td>"
                f'<td class="audit">{_audit_cell(audit)}</td></tr>')
        overdue_n = sum(k.overdue(now, overdue_after) for k in kiosks)
        kiosk_table = (
            "<table id=\"kiosks\"><tr><th>终端 Kiosk</th><th>状态 Health</th>"
            "<th>最后心跳 Last seen</th><th>待上传 Backlog</th><th>最早待传 Oldest</th>"
            "<th>隔离 Quarantined</th><th>设备问题 Device problems</th>"
            "<th>呼叫 Calls</th><th>版本 Version</th><th>审计 Audit</th></tr>"
            + "".join(rows) + "</table>"
            if rows else "<p>尚无终端注册。 No kiosk enrolled yet.</p>")
        call_rows = []
        for c in list_calls(engine):
            action = (_form(ACK_PATH, session.csrf,
                            f'<input type="hidden" name="call_id" value="{_e(c.call_id)}">',
                            "确认 Acknowledge")
                      if c.state == "raised" else f"已确认 acknowledged ({_e(c.acknowledged_by)})")
            call_rows.append(
                f'<tr data-call="{_e(c.call_id)}"><td>{_e(c.kiosk_id)}</td>'
                f"<td>{_e(c.raised_at)}</td><td>{_e(c.service_code or '—')}</td>"
                f"<td>{_e(c.step or '—')}</td><td class=\"state\">{_e(c.state)}</td>"
                f"<td>{action}</td></tr>")
        calls_table = (
            "<table id=\"calls\"><tr><th>终端 Kiosk</th><th>呼叫时间 Raised (UTC)</th>"
            "<th>事项 Service</th><th>步骤 Step</th><th>状态 State</th><th></th></tr>"
            + "".join(call_rows) + "</table>" if call_rows
            else "<p id=\"no-calls\">没有待处理的呼叫。 No open staff calls.</p>")
        ratings = summary(engine)
        by_service: dict[str, list[int]] = {}
        by_kiosk: dict[str, list[int]] = {}
        for r in ratings:
            for key, table in ((r.service_code, by_service), (r.kiosk_id, by_kiosk)):
                cell = table.setdefault(key, [0, 0, 0])  # count, level sum, satisfied
                cell[0] += r.count
                cell[1] += sum(level * n for level, n in r.by_level.items())
                cell[2] += sum(n for level, n in r.by_level.items() if level >= 3)

        def rating_table(title: str, table_id: str, cells: dict[str, list[int]]) -> str:
            if not cells:
                return ""
            body = "".join(
                f"<tr><td>{_e(key)}</td><td>{n}</td><td>{total / n:.2f}</td>"
                f"<td>{100 * good / n:.0f}%</td></tr>"
                for key, (n, total, good) in sorted(cells.items()))
            return (f"<h3>{_e(title)}</h3><table id=\"{table_id}\"><tr><th></th>"
                    "<th>评价数 Ratings</th><th>平均 Average (1–5)</th>"
                    f"<th>满意率 Satisfied</th></tr>{body}</table>")

        rating_html = (rating_table("按事项 Per service", "ratings-service", by_service)
                       + rating_table("按终端 Per kiosk", "ratings-kiosk", by_kiosk)
                       ) or "<p>尚无评价。 No ratings yet.</p>"
        stamp = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        notice = f'<p class="error" id="message">{_e(message)}</p>' if message else ""
        body = (
            f"<h1>终端运行状况 Fleet</h1><p>{_e(session.operator)} · {_e(stamp)} · "
            f"心跳逾期阈值 overdue after {overdue_after:g} s · "
            f"<strong id=\"overdue-count\">{overdue_n}</strong> 台逾期 overdue</p>"
            + _form(LOGOUT_PATH, session.csrf, "", "退出 Log out") + notice
            + "<h2>终端 Kiosks</h2>" + kiosk_table
            + "<h2>工作人员呼叫 Staff calls</h2>" + calls_table
            + "<h2>好差评 Ratings</h2>" + rating_html)
        return _page("终端运行状况 Fleet", body)

    return router
