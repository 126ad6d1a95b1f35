"""How much of the machine a benchmark used, and how much other work used beside it (Linux /proc).

    cpu.py snap OUT.json PID...      the machine's busy CPU time and each PID's (with its children)
    cpu.py diff A.json B.json        CPU seconds between two snapshots: ours (the PIDs) and everyone else's

A PID counts its own time, its live children's and its reaped children's (cutime), so a gunicorn
master covers its workers (recycled ones too) and the postmaster every backend it has had.
"""

import json
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().rsplit(")", 1)[1].split()


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def tree_ticks(pid: int) -> int:
    try:
        f = _stat(pid)
    except OSError:
        return 0
    # after the command: state=0 ... utime=11 stime=12 cutime=13 cstime=14
    own = int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])
    return own + sum(tree_ticks(c) for c in _children(pid))


def busy_ticks() -> tuple[int, int]:
    with open("/proc/stat") as fh:
        v = [int(x) for x in fh.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (v + [0] * 8)[:8]
    return user + nice + system + irq + softirq + steal, sum(v[:8])


def main() -> None:
    cmd, *args = sys.argv[1:]
    if cmd == "snap":
        busy, total = busy_ticks()
        pids = [int(p) for p in args[1:] if p]
        with open(args[0], "w") as fh:
            json.dump({"busy": busy, "total": total, "ours": sum(tree_ticks(p) for p in pids)}, fh)
    elif cmd == "diff":
        a, b = (json.load(open(p)) for p in args[:2])  # noqa: SIM115
        cpus = os.cpu_count() or 1
        wall = (b["total"] - a["total"]) / TICK / cpus
        busy = (b["busy"] - a["busy"]) / TICK
        ours = (b["ours"] - a["ours"]) / TICK
        print(
            f"CPU over {wall:.0f} s on {cpus} cores ({wall * cpus:.0f} CPU-s available): "
            f"machine busy {busy:.0f} CPU-s, "
            f"of which this benchmark (gunicorn, PostgreSQL, locust) {min(ours, busy):.0f} CPU-s and other work "
            f"on the machine {max(busy - ours, 0):.0f} CPU-s."
        )


if __name__ == "__main__":
    main()
