"""Logging for the service: a refusal is the service working, not a fault."""

import logging
from http import HTTPStatus

# Answers a policy or a selector gives on purpose: 403 (not yours to do) and 404 (not yours
# to know about). Django logs them with the exception's traceback, which buries real faults.
EXPECTED = {HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND}


class ExpectedRefusals(logging.Filter):
    """Log an expected refusal as one line, with its reason and without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in EXPECTED and record.exc_info:
            reason = str(record.exc_info[1] or "").replace("%", "%%")
            if reason and "\n" not in reason:
                record.msg = f"{record.msg} ({reason})"
            record.exc_info = record.exc_text = None
        return True
