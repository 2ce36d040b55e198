"""The thumbs-down flow under one answer: editor -> KGT in the model thread -> notice.

Knows which correction request belongs to which answer card, shows progress, the
proposal to approve ("ask before saving") and the learned-facts notice, and undoes a
correction from its notice. Undo is a quick database transaction, done right here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from assistant.api import (
    AppliedCorrection,
    AssistantError,
    GraphStore,
    Settings,
    asks_for_link,
    correction_subject,
    correction_target,
    link_to_correct,
    stated_fact,
)

from .correction_widgets import CorrectionEditor, LearnedNotice, ProposalReview
from .engine import Engine
from .errors import Problem, ProblemKind
from .message_widgets import AnswerCard
from .worker import CorrectionRequest, WarmUpRequest


class CorrectionFlow(QObject):
    learned = Signal(object)  # AppliedCorrection
    undone = Signal(int)  # correction id
    problem = Signal(object)  # ui.errors.Problem worth a banner

    def __init__(
        self, engine: Engine, store: GraphStore, settings: Callable[[], Settings], parent=None
    ):
        super().__init__(parent)
        self.engine = engine
        self.store = store
        self.settings = settings
        self._requests: dict[int, tuple[AnswerCard, object]] = {}
        self._editors: dict[AnswerCard, CorrectionEditor] = {}
        self._notices: dict[int, LearnedNotice] = {}  # by correction id
        worker = engine.worker
        worker.correction_progress.connect(self._on_progress)
        worker.correction_proposed.connect(self._on_proposed)
        worker.correction_applied.connect(self._on_applied)
        worker.correction_cancelled.connect(self._on_cancelled)
        worker.failed.connect(self._on_failed)

    def owns(self, request_id: int) -> bool:
        return request_id in self._requests

    def busy(self) -> bool:
        """A correction (or a statement's) is still being learned or saved."""
        return bool(self._requests)

    # ----- editor ---------------------------------------------------------------

    def open_editor(self, card: AnswerCard) -> CorrectionEditor:
        """Thumbs-down: the editor under the answer, its subject prefilled when found."""
        if card in self._editors:
            self._editors[card].answer.setFocus()
            return self._editors[card]
        subject = self.guess_subject(card)
        editor = CorrectionEditor(subject)
        self._editors[card] = editor
        settings = self.settings()
        if not settings.incognito:  # the model starts while the user types the answer
            self.engine.warm_up(WarmUpRequest(card.question, subject, settings))
        editor.submitted.connect(lambda subj, answer: self.teach(card, subj, answer))
        editor.cancelled.connect(lambda: self._close_editor(card, keep_thumb=False))
        card.attach(editor)
        editor.answer.setFocus()
        return editor

    def guess_subject(self, card: AnswerCard) -> str | None:
        """The subject to prefill, without the model (the UI thread must not wait):
        the subject whose facts the answer used, else what the question's own words
        name (a known entity, a name, "my dentist", "I"). Left empty, the model finds
        it during learning."""
        if card.path and asks_for_link(self.store, card.question, card.path):
            # A chained answer to a question that asks for its last link: that link.
            return link_to_correct(self.store, card.question, card.path)[1]
        if card.subject and card.facts:
            return card.subject
        return correction_subject(card.question, "", self.store, None)

    def _close_editor(self, card: AnswerCard, keep_thumb: bool = True) -> None:
        editor = self._editors.pop(card, None)
        if editor is not None:
            editor.hide()
            editor.deleteLater()
        if not keep_thumb:
            card.thumbs_down.setChecked(False)

    def teach(self, card: AnswerCard, subject: str, answer: str) -> int:
        settings = self.settings()
        # A chained answer's link is corrected, asked as the question it was learned
        # from ("Where does Dr. Moreau work?"), unless the user named another subject.
        question, subject = correction_target(self.store, card.question, card.path, subject)
        request = CorrectionRequest(
            question=question,
            model_answer=card.text,
            user_answer=answer,
            subject=subject or None,
            message_id=str(card.message_id) if card.message_id is not None else None,
            settings=settings,
            ask_first=settings.ask_before_saving,
        )
        request_id = self.engine.correct(request)
        editor = self._editors[card]
        self._requests[request_id] = (card, editor)
        editor.set_running(True)
        editor.stop_requested.connect(lambda: self.engine.stop(request_id))
        return request_id

    def learn_statement(self, card: AnswerCard) -> int | None:
        """The message above ``card`` states a fact ("My sister Anna moved to Porto."):
        learn it through the same KGT path, with the same notice and Undo, or the same
        review first when the user asked to approve what is saved. None when the
        message states nothing (a question, small talk)."""
        stated = stated_fact(card.question, self.store)
        if stated is None:
            return None
        settings = self.settings()
        request = CorrectionRequest(
            question=card.question,
            model_answer=card.text,
            user_answer="",
            subject=None,
            message_id=str(card.message_id) if card.message_id is not None else None,
            settings=settings,
            ask_first=settings.ask_before_saving,
            stated=stated,
        )
        request_id = self.engine.correct(request)
        self._requests[request_id] = (card, None)
        return request_id

    # ----- results from the model thread ----------------------------------------

    def _on_progress(self, request_id: int, stage: str, fraction: float) -> None:
        card, widget = self._requests.get(request_id, (None, None))
        if isinstance(widget, CorrectionEditor) and isValid(widget):
            widget.set_progress(stage, fraction)

    def _on_proposed(self, request_id: int, proposal) -> None:
        card, _editor = self._requests.pop(request_id)
        if not isValid(card):
            return  # the user left that conversation: nothing was saved, nothing to ask
        self._close_editor(card)
        added, removed = proposal.planned_triples()
        review = ProposalReview(
            proposal.correction.subject, added, removed, because=proposal.planned_reasons()
        )
        review.approved.connect(lambda: self._approve(card, review, proposal))
        review.rejected.connect(lambda: self._reject(card, review))
        card.attach(review)

    def _approve(self, card: AnswerCard, review: ProposalReview, proposal) -> None:
        review.set_decided("Saving…")
        self._requests[self.engine.apply(proposal)] = (card, review)

    def _reject(self, card: AnswerCard, review: ProposalReview) -> None:
        review.set_decided("Rejected")
        card.thumbs_down.setChecked(False)

    def _on_applied(self, request_id: int, applied: AppliedCorrection) -> None:
        card, widget = self._requests.pop(request_id)
        self.learned.emit(applied)
        if not isValid(card):
            return  # shown when that conversation is opened again
        if isinstance(widget, ProposalReview):
            widget.hide()
        else:
            self._close_editor(card)
        self.show_notice(card, applied)

    def show_notice(self, card: AnswerCard, applied: AppliedCorrection) -> LearnedNotice:
        notice = LearnedNotice(applied)
        notice.undo_requested.connect(lambda correction_id: self.undo(notice, correction_id))
        card.attach(notice)
        self._notices[applied.correction_id] = notice
        return notice

    def mark_undone(self, correction_id: int) -> None:
        """A correction was undone elsewhere (the knowledge panel): say so under its answer."""
        notice = self._notices.pop(correction_id, None)
        if notice is not None and isValid(notice):
            notice.mark_undone()

    def _on_cancelled(self, request_id: int) -> None:
        _card, editor = self._requests.pop(request_id)
        if editor is not None and isValid(editor):
            editor.show_error("Stopped: nothing was learned.")

    def _on_failed(self, request_id: int, problem: Problem) -> None:
        if request_id not in self._requests:
            return
        _card, widget = self._requests.pop(request_id)
        if widget is None or not isValid(widget):
            pass
        elif isinstance(widget, CorrectionEditor):
            widget.show_error(problem.message)
        else:
            widget.set_decided("Failed")
        if problem.kind in (ProblemKind.MODEL, ProblemKind.MEMORY, ProblemKind.BUG):
            self.problem.emit(problem)

    # ----- undo -----------------------------------------------------------------

    def undo(self, notice: LearnedNotice, correction_id: int) -> bool:
        try:
            self.store.undo(correction_id)
        except AssistantError as error:
            self.problem.emit(Problem(ProblemKind.INPUT, f"Cannot undo: {error}."))
            return False
        notice.mark_undone()
        self.undone.emit(correction_id)
        return True
