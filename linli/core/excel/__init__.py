"""Spreadsheets in and out, shared by every app: `read` (tables with header detection and the generic cell
normalisers), `limits` (size limits of an upload), `download` (.xlsx responses and formula-safe workbooks) and
`exports` (the export log: `record_export`, the only writer of its rows, and the registry of export kinds)."""
