from django.core.management.base import CommandError

from vrhub.evidence import store
from vrhub.evidence.loaders import LoadSummary
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.management.commands._loader import LoaderCommand
from vrhub.organisations.models import Organisation


def istv_owner(*, code: str | None) -> str:
    """The VRU a command line ISTV load is for: ``--vru`` (a VRU on this service), else the only VRU there
    is (London's if there is none yet, as before VRUs were told apart); with several VRUs, --vru is required."""
    vrus = list(Organisation.objects.filter(kind=Organisation.Kind.VRU).order_by("code").values_list("code", flat=True))
    if code:
        if vrus and code not in vrus:
            raise CommandError(f"--vru: {code!r} is not a VRU on this service (VRUs: {', '.join(vrus)})")
        return code
    if len(vrus) > 1:
        raise CommandError(
            f"--vru is required: this service has {len(vrus)} VRUs ({', '.join(vrus)}) and an ISTV extract is "
            "one VRU's own data"
        )
    return vrus[0] if vrus else store.LONDON_VRU


class Command(LoaderCommand):
    help = (
        "Load ISTV A&E extracts (ISB 1594 minimum dataset, CSV): assault attendances by site and borough, as one "
        "VRU's own data (--vru; required when the service has several VRUs). Synthetic extracts (from "
        "generate_istv) are loaded flagged SYNTHETIC."
    )
    loader = staticmethod(load_istv)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--vru", help="Code of the VRU whose extracts these are (e.g. VRU-WMD); only that VRU sees them"
        )

    def load(self, options) -> LoadSummary:
        options["loader_kwargs"] = {"vru": istv_owner(code=options.get("vru"))}
        summary = super().load(options)
        if summary.synthetic and not options["json"]:
            self.stdout.write(
                f"SYNTHETIC data: {summary.synthetic} of the rows loaded are synthetic, not real attendances"
            )
        return summary
