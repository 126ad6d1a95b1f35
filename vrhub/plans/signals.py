"""Signals the plans app sends, for apps above it in the layers (see ``.importlinter``).

``plan_content_changed`` is sent, inside the transaction of the change, every time a plan's
content changes, with ``plan``, ``user`` (None for the system) and ``reason``. vrhub.cycle
listens to void the plan's signatures: it depends on plans, so plans cannot call it directly.
A receiver that raises rolls the change back.
"""

from django.dispatch import Signal

plan_content_changed = Signal()
