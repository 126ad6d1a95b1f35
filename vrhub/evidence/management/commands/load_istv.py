from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = "Load ISTV A&E extracts (ISB 1594 minimum dataset, CSV): monthly assault attendances by site and borough."
    loader = staticmethod(load_istv)
