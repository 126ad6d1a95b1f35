from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = (
        "Load the MPS London Datastore files: recorded crime by LSOA, ward, borough; the crime dashboard; "
        "homicide (people proceeded against); VAWG offences."
    )
    loader = staticmethod(load_mps)
