"""Writes of the Serious Violence Duty, one module per part. Every write goes through a function here,
in one transaction that locks the partnership row it changes, and is audited (who, when, old → new)."""
