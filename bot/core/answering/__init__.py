"""Free text in, an answer out: which exercise, which topic, and the text to send."""

from bot.core.answering.answer import Answer, Answerer, AnswerTopic
from bot.core.answering.types import FollowUp

__all__ = ["Answer", "AnswerTopic", "Answerer", "FollowUp"]
