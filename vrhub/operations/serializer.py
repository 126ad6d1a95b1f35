"""Django's JSON serializer without its loss of precision: times keep their microseconds.

Django's ``DjangoJSONEncoder`` cuts datetimes to milliseconds, so a dump and load changes every
timestamp that had microseconds. Registered as the ``json`` format (``SERIALIZATION_MODULES``), so
``dumpdata``/``loaddata`` and backups round-trip exactly.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as DjangoJSONSerializer


class PreciseJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(DjangoJSONSerializer):
    def _init_options(self):
        self.options.setdefault("cls", PreciseJSONEncoder)
        super()._init_options()


__all__ = ["Deserializer", "Serializer"]
