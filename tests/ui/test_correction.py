"""Teaching inline with the fake model: thumbs-down, the editor, progress, the notice,
undo, and "ask before saving" (approve / reject)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from assistant.settings import load_settings
from models.fake import FakeLanguageModel
from ui.correction_widgets import CorrectionEditor, LearnedNotice, ProposalReview

from .conftest import WAIT_MS, HeldCorrections, ask

QUESTION = "What does my dog Bruno eat?"


def attached(card, kind):
    return [w for w in card.findChildren(kind) if not w.isHidden()]


def thumbs_down_and_teach(qtbot, card, answer: str, subject: str | None = None):
    qtbot.mouseClick(card.thumbs_down, Qt.MouseButton.LeftButton)
    editor = attached(card, CorrectionEditor)[0]
    if subject is not None:
        editor.subject.setText(subject)
    qtbot.keyClicks(editor.answer, answer)
    qtbot.keyClick(editor.answer, Qt.Key.Key_Return)
    return editor


def labels(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def learn(qtbot, window, answer="vegetables"):
    card = ask(qtbot, window, QUESTION)
    thumbs_down_and_teach(qtbot, card, answer)
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=WAIT_MS)
    return card, attached(card, LearnedNotice)[0]


def test_thumbs_down_opens_an_editor_prefilled_with_the_subject(qtbot, open_window):
    window = open_window()
    card = ask(qtbot, window, QUESTION)
    qtbot.mouseClick(card.thumbs_down, Qt.MouseButton.LeftButton)
    editor = attached(card, CorrectionEditor)[0]
    assert editor.subject.text() == "Bruno"  # a proper noun of the question
    assert editor.answer.hasFocus() or editor.answer.isVisible()
    qtbot.mouseClick(editor.cancel, Qt.MouseButton.LeftButton)
    assert not attached(card, CorrectionEditor) and not card.thumbs_down.isChecked()


def test_teaching_shows_progress_then_a_notice_of_what_was_learned(qtbot, open_window):
    window = open_window(FakeLanguageModel())
    stages = []
    window.engine.worker.correction_progress.connect(lambda _id, stage, _f: stages.append(stage))
    card, notice = learn(qtbot, window)
    assert stages[:4] == ["subject", "relations", "scoring", "planning"]
    [fact] = window.store.facts("Bruno")  # one fact for one thing taught
    assert fact.object == "vegetables"
    texts = labels(notice)
    assert "<b>Learned about Bruno</b>" in texts
    assert "+  Your dog Bruno eats vegetables." in texts  # a sentence said to the user
    # The triple is the graph's notation: at hand in the tooltip, not in the notice.
    [line] = [label for label in notice.findChildren(QLabel) if "vegetables" in label.text()]
    assert line.toolTip() == f"(Bruno, {fact.relation}, vegetables)"
    # The correction records the answer's message, so the panel can go back to it.
    record = window.store.correction(notice.correction_id)
    assert record.message_id == str(card.message_id) and record.query == QUESTION
    assert record.model_answer == card.text.strip()


def test_the_next_answer_uses_what_was_learned(qtbot, open_window):
    window = open_window()
    learn(qtbot, window)
    card = ask(qtbot, window, "Which food should I buy for Bruno?")
    assert "vegetables" in card.text
    assert card.facts and card.facts_toggle.isVisible()
    assert card.facts_toggle.text().startswith("Used ")
    [used] = [label for label in card.facts_frame.findChildren(QLabel) if "Bruno" in label.text()]
    assert used.text() == "•  Your dog Bruno eats vegetables."
    assert used.toolTip().startswith("(Bruno, ")


def test_a_second_correction_lists_the_removed_facts(qtbot, open_window):
    window = open_window()
    learn(qtbot, window, "vegetables")
    card = ask(qtbot, window, QUESTION)
    thumbs_down_and_teach(qtbot, card, "fish")
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=WAIT_MS)
    texts = labels(attached(card, LearnedNotice)[0])
    assert "−  Your dog Bruno eats vegetables." in texts
    assert "+  Your dog Bruno eats fish." in texts
    # Under the removed fact, why: what replaced it and the question both answer.
    assert f"replaced by “Your dog Bruno eats fish.”: both answer “{QUESTION}”" in texts


def test_undo_puts_the_knowledge_back(qtbot, open_window):
    window = open_window()
    before = window.store.facts(include_invalid=True)
    _card, notice = learn(qtbot, window)
    assert window.store.facts("Bruno")
    qtbot.mouseClick(notice.undo, Qt.MouseButton.LeftButton)
    assert window.store.facts(include_invalid=True) == before
    assert window.store.correction(notice.correction_id).undone_at is not None
    assert not notice.undo.isEnabled() and "Undone" in notice.title.text()


def test_stopping_a_correction_learns_nothing(qtbot, open_window):
    model = HeldCorrections()
    window = open_window(model)
    card = ask(qtbot, window, QUESTION)
    editor = thumbs_down_and_teach(qtbot, card, "vegetables")
    qtbot.waitUntil(model.gate.reached.is_set, timeout=WAIT_MS)  # the model is naming relations
    assert editor.progress_row.isVisible()
    qtbot.mouseClick(editor.stop, Qt.MouseButton.LeftButton)
    model.gate.open()
    qtbot.waitUntil(lambda: editor.error.isVisible(), timeout=WAIT_MS)
    assert "nothing was learned" in editor.error.text()
    assert window.store.facts() == [] and window.store.corrections() == []


def propose(qtbot, window):
    """With "ask before saving" on, teach and wait for the proposal."""
    window.apply_settings(replace(window.settings, ask_before_saving=True))
    card = ask(qtbot, window, QUESTION)
    thumbs_down_and_teach(qtbot, card, "vegetables")
    qtbot.waitUntil(lambda: bool(attached(card, ProposalReview)), timeout=WAIT_MS)
    return card, attached(card, ProposalReview)[0]


def test_ask_before_saving_shows_the_proposal_and_saves_only_on_approval(qtbot, open_window):
    window = open_window()
    card, review = propose(qtbot, window)
    assert window.store.facts() == []  # nothing saved yet
    assert any("vegetables" in t for t in labels(review))
    qtbot.mouseClick(review.approve, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=WAIT_MS)
    assert {f.object for f in window.store.facts("Bruno")} == {"vegetables"}
    assert load_settings(window.home).ask_before_saving is True


def test_rejecting_a_proposal_saves_nothing(qtbot, open_window):
    window = open_window()
    _card, review = propose(qtbot, window)
    qtbot.mouseClick(review.reject, Qt.MouseButton.LeftButton)
    assert not review.approve.isEnabled() and review.approve.text() == "Rejected"
    assert window.store.facts() == [] and window.store.corrections() == []


def test_an_adjusted_subject_is_used(qtbot, open_window):
    window = open_window()
    card = ask(qtbot, window, "What does he eat?")
    thumbs_down_and_teach(qtbot, card, "bones", subject="Rex")
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=WAIT_MS)
    assert {f.subject for f in window.store.facts()} == {"Rex"}


def test_incognito_learns_and_stores_nothing(qtbot, open_window):
    window = open_window()
    window.apply_settings(replace(window.settings, incognito=True))
    card = ask(qtbot, window, QUESTION)
    assert card.text and not card.thumbs_down.isVisible()
    assert window.conversations.conversations() == []
    assert window.title.text().startswith("Incognito")
    window.apply_settings(replace(window.settings, incognito=False))
    assert window.chat.answers() == []  # the incognito chat is gone, not saved


def test_leaving_the_conversation_while_learning_is_safe(qtbot, open_window):
    model = HeldCorrections()
    window = open_window(model)
    card = ask(qtbot, window, QUESTION)
    conversation = window.conversation_id
    thumbs_down_and_teach(qtbot, card, "vegetables")
    learned = []
    window.flow.learned.connect(learned.append)
    qtbot.waitUntil(model.gate.reached.is_set, timeout=WAIT_MS)
    window.new_chat()  # the card is gone while KGT still runs
    model.gate.open()
    qtbot.waitUntil(lambda: bool(learned), timeout=WAIT_MS)
    assert {f.object for f in window.store.facts("Bruno")} == {"vegetables"}
    window.open_conversation(conversation)  # the notice is there when coming back
    assert window.chat.answers()[0].findChildren(LearnedNotice)


def test_thumbs_down_starts_the_model_on_the_correction_while_the_user_types(qtbot, open_window):
    model = FakeLanguageModel()
    window = open_window(model)
    card = ask(qtbot, window, QUESTION)
    assert model.prefilled == []
    qtbot.mouseClick(card.thumbs_down, Qt.MouseButton.LeftButton)
    # In the model thread, before anything is typed: the answer-independent prompts.
    qtbot.waitUntil(lambda: bool(model.prefilled), timeout=WAIT_MS)
    assert any(
        "<query>: What does my dog Bruno eat? <subject>: Bruno <answer>:" in p
        for p in model.prefilled[0]
    )
    editor = attached(card, CorrectionEditor)[0]
    qtbot.keyClicks(editor.answer, "vegetables")
    qtbot.keyClick(editor.answer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=WAIT_MS)
    assert len(model.prefilled) == 1


class BrokenPrefill(FakeLanguageModel):
    def prefill(self, prompts):
        raise RuntimeError("prefill failed")


def test_a_failing_warm_up_shows_nothing_and_the_correction_still_learns(qtbot, open_window):
    window = open_window(BrokenPrefill())
    failures = []
    window.engine.worker.failed.connect(lambda request_id, problem: failures.append(problem))
    card, notice = learn(qtbot, window)
    assert notice.isVisible() and failures == []


def test_the_editor_says_when_nothing_names_a_subject(qtbot, open_window):
    window = open_window()
    card = ask(qtbot, window, "how cold was it yesterday?")
    qtbot.mouseClick(card.thumbs_down, Qt.MouseButton.LeftButton)
    editor = attached(card, CorrectionEditor)[0]
    assert editor.subject.text() == "" and editor.no_subject.isVisible()
    editor.subject.setText("the weather")
    assert not editor.no_subject.isVisible()
    # A question that names its subject shows no such hint.
    card = ask(qtbot, window, QUESTION)
    qtbot.mouseClick(card.thumbs_down, Qt.MouseButton.LeftButton)
    assert not attached(card, CorrectionEditor)[0].no_subject.isVisible()


def test_the_honest_reply_is_shown_and_taught_with_thumbs_down(qtbot, open_window):
    window = open_window()
    learn(qtbot, window)  # Bruno's food is known, his breed is not
    card = ask(qtbot, window, "What breed is Bruno?")
    assert card.text == "I don't know Bruno's breed yet. If you tell me, I'll remember it."
    assert not card.facts  # no learned value stated in its place
    thumbs_down_and_teach(qtbot, card, "beagle")
    qtbot.waitUntil(lambda: bool(attached(card, LearnedNotice)), timeout=WAIT_MS)
    assert "beagle" in ask(qtbot, window, "What breed is Bruno?").text


def test_replies_from_memory_stay_out_of_the_models_history(qtbot, open_window):
    seen = []

    class Recording(FakeLanguageModel):
        def chat(self, messages, *, max_tokens, temperature=0.7):
            seen.append(" ".join(m.content for m in messages))
            return super().chat(messages, max_tokens=max_tokens, temperature=temperature)

    window = open_window(Recording())
    learn(qtbot, window)
    ask(qtbot, window, "Which food should I buy for Bruno?")  # the fact, said
    ask(qtbot, window, "What breed is Bruno?")  # not known
    ask(qtbot, window, "What is the capital of France?")
    assert "vegetables" not in seen[-1] and "don't know" not in seen[-1]
    # The same holds for a conversation read back from the database.
    window.open_conversation(window.conversation_id)
    ask(qtbot, window, "What is the capital of Italy?")
    assert "vegetables" not in seen[-1] and "don't know" not in seen[-1]
