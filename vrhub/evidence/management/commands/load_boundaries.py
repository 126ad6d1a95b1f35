from vrhub.evidence.loaders.boundaries import load_boundaries
from vrhub.evidence.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = "Load boundaries (GeoJSON/TopoJSON) and derive the LSOA-to-ward best-fit lookup."
    loader = staticmethod(load_boundaries)
