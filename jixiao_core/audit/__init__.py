"""The auditor: a report's own arithmetic and claims checked against the rules table (DOMAIN §9)."""

from jixiao_core.audit.checks import audit

__all__ = ["audit"]
