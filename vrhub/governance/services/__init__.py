"""Writes of partnership governance, one module per part: every change audited (``vrhub.core.audit``)."""
