from vrhub.evidence.loaders.population import load_population
from vrhub.evidence.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = "Load Census 2021 usual residents by 2021 LSOA (the denominator of rates per 1,000 residents)."
    loader = staticmethod(load_population)
