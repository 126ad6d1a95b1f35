from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_no_axe_violations(page) -> None:
    """Run every axe-core rule (WCAG 2.x A/AA and best practice) on the page as it is now."""
    results = _axe.run(page)
    violations = results.response["violations"]
    if violations:
        lines = [f"{page.url}: {len(violations)} axe violations"]
        for v in violations:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} at {targets}")
        raise AssertionError("\n".join(lines))
