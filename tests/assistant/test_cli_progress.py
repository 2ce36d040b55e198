"""The CLI's progress bars: the bar itself and the line redrawn in place."""

import io

from assistant.cli.progress import BAR_WIDTH, RedrawnLine, bar


def test_the_bar_fills_in_proportion():
    assert bar(0, 10) == "[" + "." * BAR_WIDTH + "]"
    assert bar(5, 10, width=10) == "[#####.....]"
    assert bar(1, 3, width=30).count("#") == 10  # integer arithmetic: no 9.999… cut to 9
    assert bar(10, 10, width=4) == bar(0, 0, width=4) == bar(15, 10, width=4) == "[####]"


def test_lines_sooner_than_the_interval_are_skipped_but_never_the_last():
    stream = io.StringIO()
    line = RedrawnLine(stream, min_interval_s=3600)
    line.draw("first")
    line.draw("too soon")
    assert stream.getvalue() == "\rfirst" and line.drawn
    line.draw("done", last=True)
    assert stream.getvalue() == "\rfirst\rdone"
