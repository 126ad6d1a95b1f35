from vrhub.evidence.loaders import LoadSummary
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = (
        "Load ISTV A&E extracts (ISB 1594 minimum dataset, CSV): assault attendances by site and borough. "
        "Synthetic extracts (from generate_istv) are loaded flagged SYNTHETIC."
    )
    loader = staticmethod(load_istv)

    def load(self, options) -> LoadSummary:
        summary = super().load(options)
        if summary.synthetic and not options["json"]:
            self.stdout.write(
                f"SYNTHETIC data: {summary.synthetic} of the rows loaded are synthetic, not real attendances"
            )
        return summary
