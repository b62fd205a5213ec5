"""Roles and what each may do, checked in the core (never by hiding widgets). Accounts come later; roles now."""

from __future__ import annotations

from jixiao_core.errors import InputError

ROLES = ("viewer", "clerk", "admin")  # 领导/评审 read; 党政综合办 clerks import and correct; admins manage
EDIT_ROLES = ("clerk", "admin")


def require_edit(role: str, who: str | None) -> None:
    """Raise InputError unless `role` may import or correct data."""
    if role not in EDIT_ROLES:
        raise InputError(who or role, "权限不足：只有经办人（clerk）或管理员（admin）可以导入或更正数据")
