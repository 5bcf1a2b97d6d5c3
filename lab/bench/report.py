"""Build the bench's one table from the measured runs and write it as JSON and Markdown.

    python lab/bench/report.py RUN_DIR RESULTS_DIR

RUN_DIR holds what lab/bench.sh measured (meta.json, <run>.json from measure.py, census.json, latency.json);
RESULTS_DIR gets bench-<stamp>.json, bench-<stamp>.md and bench-latest.md. The table goes to stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from critical_path import describe_chain, longest_chain
from requests_summary import own_calls

TARGET_NOOP_SECONDS = 30.0
TARGET_CALLS_PER_RESOURCE = 1.2
TARGET_FLEET_GROWTH = 1.5
TARGET_CRITICAL_PATH = 1.1


def _ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or not floor:
        return None
    return value / floor


def verdict(value: float | None, target: float | None, *, exact: bool = False) -> str:
    """'met', 'MISSED by ...' (how far over the target) or '' when there is nothing to judge."""
    if value is None:
        return "not measured"
    if target is None:
        return ""
    if value <= target:
        return "met"
    if exact or target == 0:
        return f"MISSED by {value - target:g}"
    return f"MISSED by {value - target:.2f} ({(value / target - 1) * 100:.0f} % over)"


def row(metric: str, value: float | None, unit: str = "", target: str = "", ratio: float | None = None, judged: str = "") -> dict[str, Any]:  # noqa: PLR0917
    return {"metric": metric, "value": value, "unit": unit, "target": target, "ratio_to_floor": None if ratio is None else round(ratio, 2), "verdict": judged}


def _run_ok(run: dict[str, Any] | None) -> bool:
    return run is not None and run.get("exit_code") == 0


def _tasks(run: dict[str, Any]) -> dict[str, Any]:
    return run.get("tasks") or {}


def build_rows(runs: dict[str, dict[str, Any]], census: dict[str, Any] | None, latency: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The table's rows from the runs (name -> measure.py record), the census and the latency run's profile."""
    rows: list[dict[str, Any]] = []
    floor = runs.get("floor")
    floor_wall = floor["wall_seconds"] if _run_ok(floor) else None
    floor_calls = own_calls(floor["aws"])[0] if _run_ok(floor) else None
    if floor is not None:
        count = _tasks(floor).get("results_run")
        rows.append(
            row(
                f"floor: {count} plain ec2_vpc_net_info tasks, wall",
                floor["wall_seconds"],
                "s",
                "",
                1.0 if floor_wall else None,
                "" if _run_ok(floor) else "FAILED run",
            )
        )

    def time_row(name: str, label: str, target: float | None = None) -> None:
        run = runs.get(name)
        if run is None:
            return
        wall = run["wall_seconds"]
        judged = verdict(wall, target) if _run_ok(run) else f"FAILED run (exit {run.get('exit_code')})"
        rows.append(row(f"{label}: wall", wall, "s", f"<= {target:g} s" if target else "", _ratio(wall, floor_wall), judged))

    def count_rows(name: str, label: str, zero_mutating: bool) -> None:
        run = runs.get(name)
        if run is None:
            return
        tasks = _tasks(run)
        rows.append(row(f"{label}: task results run (AWS tasks)", tasks.get("results_run"), f"({tasks.get('aws_results_run')})"))
        calls, mutating, background = own_calls(run["aws"])
        rows.append(row(f"{label}: AWS API calls", calls, f"(+{background} from the lab hosts and appliance)", "", _ratio(calls, floor_calls)))
        rows.append(
            row(f"{label}: mutating AWS calls", mutating, "", "0" if zero_mutating else "", None, verdict(mutating, 0, exact=True) if zero_mutating else "")
        )
        changed = (tasks.get("results") or {}).get("changed")
        if name == "check":  # what check mode predicts would change on the converged lab: reported, no target set
            rows.append(row(f"{label}: changed task results (predicted)", changed))
        elif zero_mutating:
            rows.append(row(f"{label}: changed task results", changed, "", "0", None, verdict(changed, 0, exact=True)))

    time_row("converge", "converge from an empty lab")
    count_rows("converge", "converge from an empty lab", zero_mutating=False)
    time_row("noop", "no-op rerun", TARGET_NOOP_SECONDS)
    count_rows("noop", "no-op rerun", zero_mutating=True)
    time_row("check", "--check on the converged lab")
    count_rows("check", "--check on the converged lab", zero_mutating=True)

    noop = runs.get("noop")
    if census is not None and noop is not None:
        resources = census.get("total") or 0
        rows.append(row("managed resources (census after the runs)", resources, f"in {len(census.get('counts', {}))} types"))
        per_resource = own_calls(noop["aws"])[0] / resources if resources else None
        rows.append(
            row(
                "no-op: AWS calls per managed resource",
                None if per_resource is None else round(per_resource, 2),
                "",
                f"<= {TARGET_CALLS_PER_RESOURCE:g}",
                None,
                verdict(per_resource, TARGET_CALLS_PER_RESOURCE),
            )
        )

    fleet = sorted({int(name.split("-")[1]) for name in runs if name.startswith("fleet-")})
    for kind in ("first", "noop"):
        for size in fleet:
            time_row(f"fleet-{size}-{kind}", f"on-prem layer, {size} host(s), {'first run on fresh hosts' if kind == 'first' else 'no-op'}")
        if len(fleet) >= 2:
            smallest, largest = runs.get(f"fleet-{fleet[0]}-{kind}"), runs.get(f"fleet-{fleet[-1]}-{kind}")
            if _run_ok(smallest) and _run_ok(largest):
                growth = largest["wall_seconds"] / smallest["wall_seconds"]
                rows.append(
                    row(
                        f"on-prem layer {kind}: {fleet[-1]} hosts / {fleet[0]} host(s)",
                        round(growth, 2),
                        "x",
                        f"<= {TARGET_FLEET_GROWTH:g} x",
                        None,
                        verdict(growth, TARGET_FLEET_GROWTH),
                    )
                )

    run = runs.get("latency-converge")
    if run is not None and latency is not None:
        delays = {key: float(entry["lab_seconds"]) for key, entry in latency["resources"].items()}
        path, chain = longest_chain(delays)
        rows.append(
            row(
                f"latency profile x{latency['scale']:g}: converge from an empty lab, wall",
                run["wall_seconds"],
                "s",
                "",
                _ratio(run["wall_seconds"], floor_wall),
                "" if _run_ok(run) else f"FAILED run (exit {run.get('exit_code')})",
            )
        )
        rows.append(row(f"critical path: {describe_chain(chain, delays)}", round(path, 2), "s"))
        if path and _run_ok(run):
            ratio = run["wall_seconds"] / path
            rows.append(
                row("latency converge wall / critical path", round(ratio, 2), "x", f"<= {TARGET_CRITICAL_PATH:g} x", None, verdict(ratio, TARGET_CRITICAL_PATH))
            )
            plain = runs.get("converge")
            if _run_ok(plain):
                added = run["wall_seconds"] - plain["wall_seconds"]
                rows.append(
                    row(
                        "  wait the profile added (latency wall - plain converge wall) / critical path",
                        round(added / path, 2),
                        "x",
                        "",
                        None,
                        f"{added:.1f} s added",
                    )
                )
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def table_lines(rows: list[dict[str, Any]]) -> list[str]:
    header = ["metric", "value", "target", "ratio to floor", "verdict"]
    body = [[r["metric"], f"{_cell(r['value'])} {r['unit']}".strip(), r["target"], _cell(r["ratio_to_floor"]), r["verdict"]] for r in rows]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |" for cells in body]
    return lines


def text_table(rows: list[dict[str, Any]]) -> str:
    header = ["metric", "value", "target", "ratio", "verdict"]
    body = [[r["metric"], f"{_cell(r['value'])} {r['unit']}".strip(), r["target"], _cell(r["ratio_to_floor"]), r["verdict"]] for r in rows]
    widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(len(header))]
    return "\n".join("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip() for line in [header, *body])


def markdown(meta: dict[str, Any], rows: list[dict[str, Any]], runs: dict[str, dict[str, Any]], census: dict[str, Any] | None) -> str:
    machine = meta.get("machine", {})
    lines = [
        f"# make bench, {meta.get('stamp')}",
        "",
        f"Machine: {machine.get('nproc')} cores ({machine.get('cpu', '?')}), {machine.get('mem_gib')} GiB RAM,"
        f" load average at start {machine.get('load_start')};"
        f" ansible-core {meta.get('ansible_core', '?')}; commit {meta.get('commit', '?')}.",
        "",
        *table_lines(rows),
        "",
    ]
    for note in meta.get("notes", []):
        lines.append(f"- {note}")
    lines += ["", "## Runs", "", "| run | exit | wall s | task results | load before | load after |", "| --- | --- | --- | --- | --- | --- |"]
    for name, run in runs.items():
        load = [" ".join(run.get(key) or ["-"]) for key in ("load_before", "load_after")]
        lines.append(f"| {name} | {run.get('exit_code')} | {run['wall_seconds']} | {_tasks(run).get('results_run', '-')} | {load[0]} | {load[1]} |")
    noop = runs.get("noop")
    if noop is not None:
        lines += ["", "## No-op run: AWS calls by operation", "", "| operation | calls |", "| --- | --- |"]
        lines += [f"| {op} | {n} |" for op, n in noop["aws"]["by_operation"].items()]
        lines += ["", "## No-op run: slowest tasks", "", "| task | seconds |", "| --- | --- |"]
        lines += [f"| {t['name']} | {t['seconds']} |" for t in _tasks(noop).get("slowest_tasks", [])]
    for name in ("noop", "check"):
        run = runs.get(name)
        if run is not None and run["aws"]["mutating"]:
            lines += ["", f"## Mutating calls in the {name} run", "", *[f"- {op}: {n}" for op, n in run["aws"]["mutating"].items()]]
    if census is not None:
        lines += ["", "## Census of managed resources", "", "| type | count |", "| --- | --- |"]
        lines += [f"| {name} | {count} |" for name, count in census.get("counts", {}).items()]
        lines += [f"| {name} | not countable: {error} |" for name, error in census.get("errors", {}).items()]
    return "\n".join(lines) + "\n"


def load(run_dir: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, Any] | None, dict[str, Any] | None]:
    meta = json.loads((run_dir / "meta.json").read_text())
    runs = {}
    for path in sorted(run_dir.glob("*.json")):
        if path.name.endswith(".tasks.json") or path.stem in ("meta", "machine", "census", "latency"):
            continue
        runs[path.stem] = json.loads(path.read_text())
    census = json.loads((run_dir / "census.json").read_text()) if (run_dir / "census.json").exists() else None
    latency = json.loads((run_dir / "latency.json").read_text()) if (run_dir / "latency.json").exists() else None
    return meta, runs, census, latency


def main(argv: list[str]) -> int:
    run_dir, results = Path(argv[0]), Path(argv[1])
    meta, runs, census, latency = load(run_dir)
    rows = build_rows(runs, census, latency)
    stamp = meta["stamp"]
    results.mkdir(parents=True, exist_ok=True)
    document = {"meta": meta, "rows": rows, "runs": runs, "census": census, "latency": latency}
    (results / f"bench-{stamp}.json").write_text(json.dumps(document, indent=1))
    text = markdown(meta, rows, runs, census)
    (results / f"bench-{stamp}.md").write_text(text)
    (results / "bench-latest.md").write_text(text)
    print(text_table(rows))
    for note in meta.get("notes", []):
        print(f"- {note}")
    print(f"\nwritten: {results / f'bench-{stamp}.json'}, {results / f'bench-{stamp}.md'}, {results / 'bench-latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
