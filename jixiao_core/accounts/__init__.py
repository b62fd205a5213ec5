"""Accounts: who is acting (actor), passwords, sign-in sessions, account management (users), the per-unit scope
every read passes through (scope), and the append-only log of who did what (log)."""
