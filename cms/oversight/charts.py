"""STAND-IN for H3's charts module (same name and signatures); H3's version replaces this file
at merge. Only fmt="png" is drawn here, for the PDF report."""

import io


def _png(paint, height=3.0):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, height), layout="constrained")
    paint(fig.add_subplot())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()


def plan_vs_actual(categories, plan, actual, title, *, plan_label="Plan", actual_label="Actual", fmt="svg"):
    def paint(ax):
        y = range(len(categories))
        ax.barh([i + 0.2 for i in y], plan, 0.4, label=plan_label)
        ax.barh([i - 0.2 for i in y], actual, 0.4, label=actual_label)
        ax.set_yticks(list(y), categories)
        ax.set_title(title)
        ax.legend()

    return _png(paint, 1 + 0.4 * len(categories))


def stars_series(labels, series_by_stars, title, *, fmt="svg"):
    def paint(ax):
        for stars, values in series_by_stars.items():
            ax.plot(labels, values, marker="o", label=f"{stars}★")
        ax.set_title(title)
        ax.legend()

    return _png(paint)


def shares(items, title, *, threshold_label="Target", fmt="svg"):
    def paint(ax):
        ax.barh([label for label, _, _ in items], [actual for _, actual, _ in items])
        ax.set_title(title)

    return _png(paint, 1 + 0.4 * len(items))


def counts(items, title, *, fmt="svg"):
    def paint(ax):
        ax.barh([label for label, _ in items], [n for _, n in items])
        ax.set_title(title)

    return _png(paint, 1 + 0.4 * len(items))
