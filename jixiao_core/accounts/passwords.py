"""Passwords: argon2id hashes (argon2-cffi's RFC 9106 low-memory profile), the length rule, random initial ones."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from jixiao_core.errors import InputError

MIN_LENGTH = 10
MAX_LENGTH = 200  # longer input is refused before hashing, so a huge body cannot buy CPU time
HASHER = PasswordHasher()  # t=3, m=64 MiB, p=4; ~0.2 s a hash on the 2-core CI box
_dummy: dict[PasswordHasher, str] = {}


def checked(password: str) -> str:
    """Return `password` when it may be set; InputError in Chinese otherwise."""
    if len(password) < MIN_LENGTH:
        raise InputError("密码", f"至少需要 {MIN_LENGTH} 个字符（现为 {len(password)} 个）")
    if len(password) > MAX_LENGTH:
        raise InputError("密码", f"不能超过 {MAX_LENGTH} 个字符")
    if any(ch in password for ch in "\r\n\x00"):
        raise InputError("密码", "不能含有换行或控制字符")
    return password


def hashed(password: str) -> str:
    """Return the argon2id hash of an allowed password."""
    return HASHER.hash(checked(password))


def matches(stored: str | None, password: str) -> bool:
    """Return whether `password` matches the stored hash; with no hash, spend the same time and say no."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        # a name without a hash still costs one verification, so the answer's timing says nothing about it
        return HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def stale(stored: str) -> bool:
    """Return whether a hash was made with other parameters than today's (rehash it at the next sign-in)."""
    return HASHER.check_needs_rehash(stored)


def _dummy_hash() -> str:
    if HASHER not in _dummy:
        _dummy[HASHER] = HASHER.hash(secrets.token_urlsafe(16))
    return _dummy[HASHER]


def random_password() -> str:
    """Return a random 16-character password (printed once when an account is made or reset)."""
    return secrets.token_urlsafe(12)
