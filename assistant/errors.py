"""Errors the user can cause or fix, kept apart from bugs.

Everything raised as an :class:`AssistantError` is turned into one clear line at the
edge (CLI, UI); anything else is a bug and keeps its traceback.
"""


class AssistantError(Exception):
    """An environmental or input problem with a message fit for the user."""


class InputError(AssistantError):
    """The user's input cannot be used (empty question, malformed file, ...)."""


class NotFoundError(AssistantError):
    """A fact, correction or entity the user named does not exist."""


class ModelError(AssistantError):
    """The model file is missing, corrupt or unsupported, or the model failed."""


class ContextOverflowError(AssistantError):
    """A prompt does not fit in the model's context window."""


class ServerError(ModelError):
    """The inference server the model runs on failed, refused, or cannot be reached."""
