"""Plots recall@k (x) against queries per second (y, log) from npyw-bench.jar ann's results.

  /usr/bin/python3 plot_ann.py ann-results.json ann-recall-qps.png

One panel per data set; one line per library and configuration. Solid lines: one thread,
one query per call; dashed: all threads, one query per call each. Exact searches are single
markers at recall 1. The x axis starts at 0.85. Needs matplotlib (Debian: python3-matplotlib).
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"ours": "tab:red", "lucene": "tab:blue", "hnswlib": "tab:green", "faiss": "tab:purple"}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot_ann.py RESULTS.json OUT.png")
    with open(sys.argv[1]) as f:
        results = json.load(f)
    points = results["points"]
    context = results.get("context", {})
    datasets = list(dict.fromkeys(p["dataset"] for p in points))
    if not datasets:
        sys.exit("no points in " + sys.argv[1])
    fig, axes = plt.subplots(1, len(datasets), figsize=(7.5 * len(datasets), 5.5), squeeze=False)
    for ax, ds in zip(axes[0], datasets):
        curves = {}
        for p in points:
            if p["dataset"] == ds:
                curves.setdefault((p["library"], p["variant"], p["threads"]), []).append(p)
        markers = {}
        for (lib, variant, threads), pts in curves.items():
            pts = sorted(pts, key=lambda p: p["recall"])
            key = (lib, variant)
            marker = markers.setdefault(key, "os^vDP*Xh"[len(markers) % 9])
            label = "%s %s%s" % (lib, variant, "" if threads == 1 else " (%d threads)" % threads)
            ax.plot([p["recall"] for p in pts], [p["qps"] for p in pts],
                    linestyle="-" if threads == 1 else "--", marker=marker, markersize=4,
                    color=COLORS.get(lib, "tab:gray"), label=label, alpha=0.9 if threads == 1 else 0.6)
        ax.set_yscale("log")
        # The interesting part is high recall; points below 0.85 (IVF at 1-2 probes) are cut off.
        if any(p["recall"] >= 0.85 for p in points if p["dataset"] == ds):
            ax.set_xlim(0.85, 1.003)
        ax.set_xlabel("recall@%s" % context.get("k", 10))
        ax.set_ylabel("queries per second (log)")
        ax.set_title(ds)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="lower left")
    fig.suptitle("npyWrapper ANN benchmark: one query per call; %s, %s processors, Java %s, Lucene %s"
                 % (context.get("cpu", "?"), context.get("processors", "?"),
                    context.get("java", "?"), context.get("lucene", "?")), fontsize=9)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
