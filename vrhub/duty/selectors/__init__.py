"""Reads of the Serious Violence Duty, one module per part: ``access`` (who sees and changes what: the one
fetch-and-authorise rule), ``readiness``, and the parts' own reads."""
