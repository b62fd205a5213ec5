"""The sign-in page the gate serves instead of the app: Chinese, no script, nothing of the app's data."""

from __future__ import annotations

import html

STYLE = (
    "body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;background:#f5f6f8;margin:0}"
    "main{max-width:360px;margin:12vh auto;background:#fff;padding:32px;border-radius:8px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.12)}h1{font-size:1.5rem;margin:0 0 20px}"
    "label{display:block;margin:14px 0 6px}input{width:100%;box-sizing:border-box;padding:8px;font-size:1rem}"
    "button{margin-top:20px;width:100%;padding:10px;font-size:1rem;background:#1f6feb;color:#fff;border:0;"
    "border-radius:4px}p.error{color:#b42318;background:#fef3f2;padding:8px;border-radius:4px}"
)


def page(message: str, *, form: bool, action: str = "", target: str = "", csrf: str = "") -> bytes:
    """Return the sign-in page (or a notice): Chinese, no script, nothing of the app's data."""
    error = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    fields = (
        f'<form method="post" action="{html.escape(action)}">'
        f'<input type="hidden" name="csrf" value="{html.escape(csrf)}">'
        f'<input type="hidden" name="next" value="{html.escape(target)}">'
        '<label for="name">账号</label><input id="name" name="name" autocomplete="username" required autofocus>'
        '<label for="password">密码</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password" required>'
        '<button type="submit">登录</button></form>'
        if form
        else ""
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1"><title>登录 · 绩效看板</title>'
        f"<style>{STYLE}</style></head><body><main><h1>绩效看板</h1>{error}{fields}</main></body></html>"
    ).encode()
