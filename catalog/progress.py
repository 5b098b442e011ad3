"""The progress display of the long-running management commands (places, demo data)."""

WIDTH = 30


def write(stdout, label, done, total, every_quarter=False):
    """A bar redrawn in place on a terminal; elsewhere (logs, CI) one line per step, or only
    every quarter with `every_quarter`."""
    filled = WIDTH * done // total if total else WIDTH
    bar = f"  {label:<14} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}"
    if stdout.isatty():
        stdout.write("\r" + bar, ending="\n" if done == total else "")
        stdout.flush()
    elif not every_quarter or done == total or done % max(1, total // 4) == 0:
        stdout.write(bar)
