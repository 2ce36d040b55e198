"""Drive the real app with the real embedded model and save screenshots of it.

Run it under a virtual display, as a user's desktop would show the window:

    xvfb-run -s "-screen 0 1400x900x24" python scripts/screenshots.py

It opens the app on a fresh, temporary home (your own data is never touched), loads
the embedded SmolLM2 model with llama.cpp, chats, teaches two facts with thumbs-down,
and saves into docs/screenshots/: the knowledge panel before anything is learned, the
main window, the inline correction editor and its learned-facts notice, the honest
reply to a question never taught with its thumbs-down editor open, the knowledge panel
(facts, history, graph), the same chat in the dark theme, a two-hop answer with its
path shown on the graph, and the settings dialog. SmolLM2
(135M) rambles, so its chat replies are cut after two sentences here
(``TwoSentences``); everything else is the model's own output.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from assistant.llm import LanguageModel  # noqa: E402
from assistant.settings import update_settings  # noqa: E402
from models.loader import load_model  # noqa: E402
from ui.app import application, create_window  # noqa: E402
from ui.correction_widgets import CorrectionEditor, LearnedNotice  # noqa: E402
from ui.settings_dialog import SettingsDialog  # noqa: E402
from ui.theme import force_scheme  # noqa: E402

SENTENCE_END = re.compile(r"[.!?](\s|$)")
TIMEOUT_S = 600


class TwoSentences(LanguageModel):
    """The real model, with chat replies ended after two sentences (for tidy pictures)."""

    def __init__(self, model: LanguageModel):
        self.model = model
        self.name = model.name
        self.context_length = model.context_length

    def tokenize(self, text):
        return self.model.tokenize(text)

    def score(self, requests):
        return self.model.score(requests)

    def complete(self, prompt, **options):
        return self.model.complete(prompt, **options)

    def prefill(self, prompts):
        self.model.prefill(prompts)  # the thumbs-down warm-up, as in the app

    def forget_cache(self):
        self.model.forget_cache()

    def chat(self, messages, **options) -> Iterator[str]:
        text = ""
        stream = self.model.chat(messages, **options)
        try:
            for piece in stream:
                text += piece
                yield piece
                if len(SENTENCE_END.findall(text)) >= 2:
                    return
        finally:
            stream.close()

    def close(self):
        self.model.close()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        QApplication.processEvents()
        time.sleep(0.01)
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")


def settle(seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def ask(window, question: str):
    window.composer.input.setPlainText(question)
    window.composer.input.submitted.emit()
    wait_until(lambda: window.active_request is None, f"the answer to {question!r}")
    return window.chat.answers()[-1]


def open_editor(window, card, answer: str) -> CorrectionEditor:
    card.thumbs_down.click()
    editor = [e for e in card.findChildren(CorrectionEditor) if not e.isHidden()][0]
    editor.answer.setText(answer)
    return editor


def teach(window, card, answer: str) -> LearnedNotice:
    editor = open_editor(window, card, answer)
    editor.teach.click()
    wait_until(lambda: bool(card.findChildren(LearnedNotice)), f"learning {answer!r}")
    return card.findChildren(LearnedNotice)[0]


def save(widget, out: Path, name: str) -> None:
    settle()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--model", help="GGUF file (default: the embedded model)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="assistant-screens-"))
    update_settings(home, temperature=0.0, context_length=2048)
    app = application("light")
    factory = lambda settings: TwoSentences(load_model(settings, args.model))  # noqa: E731
    window = create_window(home, factory)
    window.resize(1360, 860)
    window.show()
    wait_until(lambda: window.model_name is not None, "the model to load")
    shoot(window, out)
    window.close()
    app.processEvents()
    return 0


def shoot(window, out: Path) -> None:
    window.show_knowledge()  # nothing learned yet: the table says how facts get there
    save(window, out, "knowledge-empty")
    window.show_knowledge(False)
    ask(window, "Write a haiku about the sea.")
    window.new_chat()
    ask(window, "Where does my sister Anna work?")
    teach(window, window.chat.answers()[-1], "Google")
    ask(window, "Where does Anna work now?")
    teach(window, window.chat.answers()[-1], "Microsoft")  # replaces Google: see History
    window.new_chat()
    card = ask(window, "What does my dog Bruno eat?")
    editor = open_editor(window, card, "vegetables")
    editor.answer.setFocus()
    editor.answer.deselect()
    save(window, out, "correction-editor")
    editor.teach.click()
    wait_until(lambda: bool(card.findChildren(LearnedNotice)), "learning 'vegetables'")
    save(window, out, "correction-notice")
    second = ask(window, "Which food should I buy for Bruno?")
    second.facts_toggle.setChecked(True)
    window.chat.ensureWidgetVisible(second)
    save(window, out, "main-window")
    force_scheme(Qt.ColorScheme.Dark)  # what the system's dark mode switch triggers
    save(window, out, "main-window-dark")
    force_scheme(Qt.ColorScheme.Light)
    unknown = ask(window, "What is Bruno's favourite toy?")  # never taught: said so
    if "don't know" not in unknown.text:
        raise SystemExit(f"an untaught question was answered: {unknown.text!r}")
    editor = open_editor(window, unknown, "the squeaky duck")
    editor.answer.deselect()
    window.chat.ensureWidgetVisible(editor)
    save(window, out, "honest-reply")
    editor.cancel.click()
    third = ask(window, "What is the name of my sister Anna's dog?")
    teach(window, third, "Bruno")  # links Anna to Bruno: see Graph
    window.show_knowledge()
    window.knowledge.facts.refresh()
    save(window, out, "knowledge-panel")
    window.knowledge.tabs.setCurrentWidget(window.knowledge.history)
    save(window, out, "knowledge-history")
    window.knowledge.tabs.setCurrentWidget(window.knowledge.graph)
    window.knowledge.graph.show_entity("Bruno")
    save(window, out, "knowledge-graph")
    chained = ask(window, "What does Anna's dog eat?")  # Anna -> Bruno -> vegetables
    if not chained.path:
        raise SystemExit("the two-hop question was answered without a path")
    chained.path_line.linkActivated.emit("path")  # what clicking "via ..." does
    window.chat.ensureWidgetVisible(chained)
    save(window, out, "answer-path")
    dialog = SettingsDialog(window.home, window.settings, window)
    dialog.show()
    save(dialog, out, "settings")
    dialog.reject()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
