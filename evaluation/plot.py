"""The plot of every method's scores against accumulated facts (the paper's Figure 4).

matplotlib is an optional dependency (``pip install 'kgt-assistant[eval]'``); it is
used through its object API with the Agg canvas, so no GUI toolkit is touched.
"""

from __future__ import annotations

from pathlib import Path

from assistant.api import AssistantError

from .runner import EvaluationResult

METRICS = (
    ("efficacy", "Efficacy"),
    ("paraphrase", "Paraphrase"),
    ("neighborhood", "Neighbourhood"),
)


class PlotUnavailableError(AssistantError):
    """matplotlib is not installed."""


def save_plot(result: EvaluationResult, path: str | Path, title: str) -> None:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise PlotUnavailableError(
            "--plot needs matplotlib: pip install 'kgt-assistant[eval]'"
        ) from None
    figure = Figure(figsize=(11, 3.6), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, len(METRICS), sharey=True)
    for ax, (key, label) in zip(axes, METRICS):
        for name, run in result.runs.items():
            points = sorted(run.curve)
            ax.plot(points, [getattr(run.curve[n], key) for n in points], marker="o", label=name)
        ax.set_xscale("log")
        ax.set_xticks(points, [str(n) for n in points])  # the N measured, not powers of ten
        ax.minorticks_off()
        ax.set_xlabel("accumulated facts N")
        ax.set_title(label)
        ax.set_ylim(0, 100)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("score (%)")
    axes[-1].legend(loc="lower left")
    figure.suptitle(title)
    try:
        figure.savefig(str(path), dpi=110)
    except OSError as error:
        raise AssistantError(f"cannot write the plot {path}: {error}") from None
