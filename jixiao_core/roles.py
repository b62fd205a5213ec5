"""Roles and what each may do, as a table the core checks (never by hiding widgets)."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "clerk", "admin")  # 领导/评审 read; 党政综合办 clerks import and correct; admins manage
ROLE_LABELS = {"viewer": "查看", "clerk": "经办人", "admin": "管理员"}


@dataclass(frozen=True)
class Permission:
    """An action that writes, the roles that may take it, and how the refusal names it."""

    action: str
    roles: frozenset[str]
    label: str


PERMISSIONS = {
    p.action: p
    for p in (
        Permission("init", frozenset({"clerk", "admin"}), "初始化数据库"),
        Permission("import", frozenset({"clerk", "admin"}), "导入数据"),
        Permission("replace", frozenset({"clerk", "admin"}), "替换已导入的版本"),
        Permission("correct", frozenset({"clerk", "admin"}), "更正数据"),
        Permission("demo", frozenset({"clerk", "admin"}), "生成演示数据"),
        Permission("items", frozenset({"clerk", "admin"}), "编辑整改事项"),
        Permission("accounts", frozenset({"admin"}), "管理账号"),
    )
}
EDIT_ROLES = ("clerk", "admin")  # who sees the editing widgets; the core checks PERMISSIONS again


def may(role: str | None, action: str) -> bool:
    """Return whether `role` may take `action` (a key of PERMISSIONS)."""
    return role in PERMISSIONS[action].roles
