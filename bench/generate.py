"""Write a synthetic catalog in the bundled format, at any size, for benchmarks only.

The real records are kept; synthetic organizations, providers, benchmarks, models, offerings
and scores are added until the requested size is reached. Every synthetic name says
"Synthetic" and every synthetic source is on example.com, so the file can never be mistaken
for data. Deterministic for a given size and seed.

    python bench/generate.py --models 3000 --out /tmp/catalog-3000.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent.parent / "models_catalog" / "catalog" / "catalog.json"
SOURCE = "https://example.com/synthetic"
CAPABILITIES = (
    "vision",
    "multimodal",
    "reasoning",
    "function_calling",
    "tool_use",
    "structured_outputs",
    "code_execution",
)
KINDS = ("first-party", "inference", "cloud", "aggregator", "batch")


def generate(
    models: int,
    providers: int = 60,
    offerings_per_model: float = 10.4,
    scores_per_model: float = 13.8,
    benchmarks: int = 20,
    seed: int = 10,
) -> dict:
    rng = random.Random(seed)
    catalog = json.loads(BUNDLED.read_text())
    orgs = catalog["organizations"]
    for n in range(max(0, models // 50 - len(orgs))):
        orgs.append({"slug": f"synthetic-org-{n}", "name": f"Synthetic Org {n}", "website": SOURCE})
    hosts = catalog["providers"]
    for n in range(max(0, providers - len(hosts))):
        hosts.append(
            {
                "slug": f"synthetic-host-{n}",
                "name": f"Synthetic Host {n}",
                "website": SOURCE,
                "kind": KINDS[n % len(KINDS)],
            }
        )
    tests = catalog["benchmarks"]
    for n in range(max(0, benchmarks - len(tests))):
        tests.append(
            {
                "slug": f"synthetic-bench-{n}",
                "name": f"Synthetic Bench {n}",
                "description": "A synthetic benchmark for load tests.",
                "unit": "percent",
                "higher_is_better": True,
                "url": SOURCE,
            }
        )
    offerings = catalog["offerings"]
    scores = catalog["scores"]
    real = len(catalog["models"])
    for n in range(max(0, models - real)):
        slug = f"synthetic-model-{n:05d}"
        open_weights = rng.random() < 0.4
        released = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(1000))
        catalog["models"].append(
            {
                "slug": slug,
                "name": f"Synthetic Model {n:05d}",
                "organization": rng.choice(orgs)["slug"],
                "family": f"Synthetic Family {n // 5}",
                "released": released.isoformat(),
                "knowledge_cutoff": None,
                "context_window": rng.choice((8192, 32768, 128000, 200000, 1000000)),
                "max_output_tokens": rng.choice((4096, 8192, 16384, None)),
                "parameters": None,
                "architecture": None,
                "license": "Apache-2.0" if open_weights else "Proprietary",
                "open_weights": open_weights,
                "input_modalities": ["text"],
                "output_modalities": ["text"],
                "capabilities": {name: rng.choice((True, False, None)) for name in CAPABILITIES},
                "sources": [f"{SOURCE}/{slug}"],
            }
        )
        for host in rng.sample(hosts, min(len(hosts), round(rng.gauss(offerings_per_model, 2)))):
            price = round(rng.lognormvariate(0, 1.5), 4)
            offerings.append(
                {
                    "model": slug,
                    "provider": host["slug"],
                    "input_per_mtok": price,
                    "output_per_mtok": round(price * rng.choice((2, 3, 4, 5)), 4),
                    "cached_input_per_mtok": None,
                    "context_window": None,
                    # As in the bundled catalog, about half the offerings cite their host's
                    # price page and the rest a page of their own.
                    "source_url": f"{SOURCE}/{host['slug']}/pricing"
                    if rng.random() < 0.5
                    else f"{SOURCE}/{host['slug']}/{slug}",
                }
            )
        for test in rng.sample(tests, min(len(tests), round(rng.gauss(scores_per_model, 2)))):
            scores.append(
                {
                    "model": slug,
                    "benchmark": test["slug"],
                    "score": round(rng.uniform(5, 95), 1),
                    # Most scores cite their model's card (about a quarter of the bundled
                    # catalog's score sources are distinct), the others a page of their own.
                    "source_url": f"{SOURCE}/{slug}/card"
                    if rng.random() < 0.8
                    else f"{SOURCE}/{slug}/{test['slug']}",
                    "note": "",
                    "provenance": "independent",
                }
            )
    return catalog


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=3000)
    parser.add_argument("--providers", type=int, default=60)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    catalog = generate(args.models, providers=args.providers, seed=args.seed)
    args.out.write_text(json.dumps(catalog, indent=1))
    print(
        f"{args.out}: {len(catalog['models'])} models, {len(catalog['providers'])} providers, "
        f"{len(catalog['offerings'])} offerings, {len(catalog['scores'])} scores"
    )


if __name__ == "__main__":
    main()
