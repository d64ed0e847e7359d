"""Structured logging: one JSON object per line."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from hromada.core.middleware import current_request_context


class JsonFormatter(logging.Formatter):
    """Format a log record as a JSON line with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        ctx = current_request_context()
        if ctx is not None:
            entry["request_id"] = ctx.request_id
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
