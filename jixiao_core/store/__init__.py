"""The write side: `ingest` (one function per user action: init, import a file), `write` (a report stored as a
project-year revision), `read` (it back as facts), `corrections` (edits with history), `dataset` (the bundled
data) and `demo` (generated data, always flagged)."""
