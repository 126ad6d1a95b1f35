from vrhub.evidence.loaders.police_uk import load_police_uk
from vrhub.evidence.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = "Load data.police.uk street-level CSVs (files, or folders in the monthly archive layout)."
    loader = staticmethod(load_police_uk)
