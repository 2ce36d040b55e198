"""Inline correction under an answer: the editor, the proposal to approve, the notice.

Thumbs-down opens a :class:`CorrectionEditor` (the right answer, the subject it is
about); while KGT runs it shows progress; then either a :class:`ProposalReview`
("ask before saving") or a :class:`LearnedNotice` says what changed, with Undo.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.api import AppliedCorrection, Fact, Stage, one_line

from .fact_text import sentence, triple_text

STAGE_TEXT = {
    Stage.SUBJECT: "Finding what the question is about…",
    Stage.RELATIONS: "Naming how the subject and the answer relate…",
    Stage.SCORING: "Scoring candidate facts with the model…",
    Stage.PLANNING: "Choosing which facts to add and remove…",
    Stage.SAVING: "Saving…",
}


NO_SUBJECT_HINT = (
    "Nothing in the question says who or what it is about: type it in About "
    "(a name, “my sister”, “me”), or the model will try to find it."
)


def _primary(text: str) -> QPushButton:
    button = QPushButton(text, objectName="Primary")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


class CorrectionEditor(QFrame):
    """ "What is the right answer?" with the subject prefilled; progress while learning."""

    submitted = Signal(str, str)  # subject, right answer
    cancelled = Signal()
    stop_requested = Signal()

    def __init__(self, subject: str | None, parent=None):
        super().__init__(parent, objectName="CorrectionEditor")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(QLabel("<b>What is the right answer?</b> I will remember it."))
        self.answer = QLineEdit(placeholderText="The right answer, e.g. vegetables")
        self.answer.returnPressed.connect(self._submit)
        self.subject = QLineEdit(subject or "", placeholderText="Who or what is it about?")
        self.subject.returnPressed.connect(self._submit)
        layout.addWidget(self.answer)
        about = QHBoxLayout()
        about.addWidget(QLabel("About:", objectName="Muted"))
        about.addWidget(self.subject, 1)
        layout.addLayout(about)
        # Nothing in the question names a subject (no name, no "my ...", no "I"): say so
        # now, so the user fills it in rather than learn it from a failed correction.
        self.no_subject = QLabel(NO_SUBJECT_HINT, objectName="Muted", wordWrap=True)
        self.no_subject.setVisible(not subject)
        self.subject.textChanged.connect(lambda text: self.no_subject.setVisible(not text.strip()))
        layout.addWidget(self.no_subject)
        layout.addWidget(self._buttons())
        self.progress_row = self._progress_row()
        layout.addWidget(self.progress_row)
        self.error = QLabel(objectName="Removed", wordWrap=True)
        self.error.hide()
        layout.addWidget(self.error)

    def _buttons(self) -> QWidget:
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        self.teach = _primary("Teach")
        self.teach.clicked.connect(self._submit)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self.cancelled.emit)
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.teach)
        return self.buttons

    def _progress_row(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.stage = QLabel(objectName="Muted")
        self.progress = QProgressBar(textVisible=False, maximum=100)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        self.stop = QPushButton("Stop")
        self.stop.clicked.connect(self.stop_requested.emit)
        row.addWidget(self.stop)
        column.addWidget(self.stage)
        column.addLayout(row)
        box.hide()
        return box

    def _submit(self) -> None:
        answer = one_line(self.answer.text())
        if not answer:
            self.show_error("Type the right answer first.")
            return
        self.submitted.emit(one_line(self.subject.text()), answer)

    def set_running(self, running: bool) -> None:
        self.answer.setReadOnly(running)
        self.subject.setReadOnly(running)
        self.buttons.setVisible(not running)
        self.progress_row.setVisible(running)
        if running:
            self.error.hide()
            self.set_progress(Stage.SUBJECT, 0.0)

    def set_progress(self, stage: str, fraction: float) -> None:
        self.stage.setText(STAGE_TEXT.get(stage, stage))
        self.progress.setValue(round(fraction * 100))

    def show_error(self, message: str) -> None:
        self.set_running(False)
        self.error.setText(message)
        self.error.show()


def _fact_line(sign: str, fact: Fact | tuple[str, str, str], name: str) -> QLabel:
    """The fact as a sentence; its triple, which reads as the graph's own notation
    ("(Freya, is associated with, Mrs. Whitlock)"), is at hand in the tooltip."""
    text = QLabel(f"{sign}  {sentence(fact)}", objectName=name, wordWrap=True)
    text.setToolTip(triple_text(fact))
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return text


def _fact_lines(layout: QVBoxLayout, added, removed, because: dict[int, str] | None = None) -> None:
    """The facts added, then those removed, each removed one with why: the fact that
    replaced it and the question both answer."""
    for fact in added:
        layout.addWidget(_fact_line("+", fact, "Added"))
    for fact in removed:
        layout.addWidget(_fact_line("−", fact, "Removed"))
        question = (because or {}).get(fact.id)
        if question:
            by = f" by “{sentence(added[0])}”" if added else ""
            text = f"replaced{by}: both answer “{question}”"
            layout.addWidget(QLabel(text, objectName="Reason", wordWrap=True))


class ProposalReview(QFrame):
    """The planned edit, shown before anything is saved ("ask before saving")."""

    approved = Signal()
    rejected = Signal()

    def __init__(
        self,
        subject: str,
        added: list[tuple[str, str, str]],
        removed: list[Fact],
        parent=None,
        because: dict[int, str] | None = None,
    ):
        super().__init__(parent, objectName="Proposal")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(QLabel(f"<b>Learn this about {subject}?</b> Nothing is saved yet."))
        if not added and not removed:
            layout.addWidget(
                QLabel("No change is needed: the answer already follows.", objectName="Muted")
            )
        _fact_lines(layout, added, removed, because)
        row = QHBoxLayout()
        row.addStretch(1)
        self.reject = QPushButton("Reject")
        self.approve = _primary("Approve")
        self.reject.clicked.connect(self.rejected.emit)
        self.approve.clicked.connect(self.approved.emit)
        row.addWidget(self.reject)
        row.addWidget(self.approve)
        layout.addLayout(row)

    def set_decided(self, text: str) -> None:
        self.approve.setEnabled(False)
        self.reject.setEnabled(False)
        self.approve.setText(text)


class LearnedNotice(QFrame):
    """What a correction changed, as sentences and triples, with Undo."""

    undo_requested = Signal(int)  # correction id

    def __init__(self, applied: AppliedCorrection, parent=None):
        super().__init__(parent, objectName="Notice")
        self.correction_id = applied.correction_id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        header = QHBoxLayout()
        changed = bool(applied.added or applied.removed)
        title = (
            f"Learned about {applied.subject}"
            if changed
            else f"Nothing to change about {applied.subject}: it already fits"
        )
        self.title = QLabel(f"<b>{title}</b>")
        header.addWidget(self.title, 1)
        self.undo = QPushButton("Undo")
        self.undo.setToolTip("Put the knowledge back exactly as it was")
        self.undo.clicked.connect(lambda: self.undo_requested.emit(self.correction_id))
        self.undo.setVisible(changed)
        header.addWidget(self.undo)
        layout.addLayout(header)
        _fact_lines(layout, applied.added, applied.removed, applied.because)

    def mark_undone(self) -> None:
        self.title.setText("<b>Undone</b>: the knowledge is back as it was before.")
        self.undo.setEnabled(False)
        self.undo.setText("Undone")
        for label in self.findChildren(QLabel):
            if label.objectName() in ("Added", "Removed", "Reason"):
                font = label.font()
                font.setStrikeOut(True)
                label.setFont(font)
