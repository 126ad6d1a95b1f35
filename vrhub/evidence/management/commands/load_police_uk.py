from vrhub.evidence.loaders import LoadSummary
from vrhub.evidence.loaders.police_uk import load_police_uk
from vrhub.evidence.management.commands._loader import LoaderCommand


class Command(LoaderCommand):
    help = (
        "Load data.police.uk street-level CSVs (files, or folders in the monthly archive layout). --synthetic for "
        "files that are not real crimes (generate_police_uk's, whose names say synthetic, always are)."
    )
    loader = staticmethod(load_police_uk)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--synthetic",
            action="store_true",
            help="The files are SYNTHETIC (not real crimes): recorded so on the load",
        )

    def load(self, options) -> LoadSummary:
        options["loader_kwargs"] = {"synthetic": options["synthetic"]}
        summary = super().load(options)
        if summary.synthetic and not options["json"]:
            self.stdout.write(
                f"SYNTHETIC data: {summary.synthetic} of the crimes loaded are synthetic, not real crimes"
            )
        return summary
