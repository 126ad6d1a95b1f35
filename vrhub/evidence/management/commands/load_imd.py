from vrhub.evidence.loaders.imd import load_imd
from vrhub.evidence.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = "Load the English Indices of Deprivation (2025 by 2021 LSOA; 2019 by 2011 LSOA)."
    loader = staticmethod(load_imd)
