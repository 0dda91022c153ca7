"""One resident's answers, and which question comes next.

The path is computed from the answers, never from the clicks (like docassemble's "ask the
first relevant unanswered question" and the UK checker's step list): a question is on the path
when its `ask_if` holds for the answers before it. Changing an earlier answer drops every answer
that is no longer on the path, so nothing stale reaches the result. Back is the previous
question on the current path. The object lives only in `Session.features["eligibility"]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.eligibility import conditions
from kiosk.eligibility.engine import Context, Result, coerce, evaluate
from kiosk.eligibility.rules import Question, RuleSet

UNSURE = None  # the answer 不确定: answered, but unknown to the engine


@dataclass
class Walkthrough:
    ruleset: RuleSet
    answers: dict[str, Any] = field(default_factory=dict)
    # While editing from the review screen, finishing goes back to the review.
    editing: bool = False
    # (outcome, rule) pairs already counted for statistics in this session.
    counted: set[tuple[str, str]] = field(default_factory=set)

    def _relevant(self, question: Question, earlier: dict[str, Any], day: date) -> bool:
        if question.ask_if is None:
            return True
        return conditions.holds(question.ask_if, Context(self.ruleset, earlier, day))

    def path(self, day: date) -> list[Question]:
        """The questions on the current path, up to and including the first unanswered one."""
        earlier: dict[str, Any] = {}
        found = []
        for question in self.ruleset.questions:
            if not self._relevant(question, earlier, day):
                continue
            found.append(question)
            if question.id not in self.answers:
                break
            earlier[question.id] = self.answers[question.id]
        return found

    def current(self, day: date) -> Question | None:
        """The first relevant question not answered yet; None when the path is complete."""
        path = self.path(day)
        if path and path[-1].id not in self.answers:
            return path[-1]
        return None

    def answered(self, day: date) -> list[Question]:
        return [q for q in self.path(day) if q.id in self.answers]

    def answer(self, question_id: str, value: Any, day: date) -> None:
        """Record an answer (None = 不确定) and drop answers no longer on the path."""
        question = self.ruleset.question(question_id)
        if question is None:
            raise KeyError(question_id)
        if value is UNSURE and not question.unsure:
            raise ValueError(f"{question_id} has no 不确定 answer")
        self.answers[question_id] = UNSURE if value is UNSURE else coerce(question, value)
        self.prune(day)

    def prune(self, day: date) -> list[str]:
        """Forget answers to questions that are no longer asked; returns their ids."""
        earlier: dict[str, Any] = {}
        dropped = []
        for question in self.ruleset.questions:
            if self._relevant(question, earlier, day):
                if question.id in self.answers:
                    earlier[question.id] = self.answers[question.id]
            elif question.id in self.answers:
                del self.answers[question.id]
                dropped.append(question.id)
        return dropped

    def previous(self, question_id: str | None, day: date) -> Question | None:
        """The question before `question_id` on the current path (None: the last answered)."""
        path = self.answered(day)
        if question_id is None:
            return path[-1] if path else None
        ids = [q.id for q in self.path(day)]
        if question_id not in ids:
            return path[-1] if path else None
        index = ids.index(question_id)
        return self.path(day)[index - 1] if index > 0 else None

    def position(self, question_id: str, day: date) -> int:
        """1-based number of the question on the current path."""
        ids = [q.id for q in self.path(day)]
        return ids.index(question_id) + 1 if question_id in ids else len(ids) + 1

    def wording(self, question: Question, day: date) -> str:
        return question.wording(Context(self.ruleset, dict(self.answers), day))

    def facts(self) -> dict[str, Any]:
        return {q.id: self.answers.get(q.id) for q in self.ruleset.questions}

    def complete(self, day: date) -> bool:
        return self.current(day) is None

    def result(self, day: date, pack: Any = None, site_id: str = "") -> Result:
        return evaluate(self.ruleset, self.facts(), day, pack, site_id)

    def answer_text(self, question: Question) -> str:
        """How an answer reads on the review screen."""
        value = self.answers.get(question.id)
        if value is UNSURE:
            return question.unsure or "不确定"
        if question.type == "yesno":
            return "是" if value else "否"
        if question.type == "number":
            from kiosk.eligibility.rules import money

            return f"{money(value)} {question.unit}".strip()
        option = question.option(value)
        return option.label if option else str(value)
