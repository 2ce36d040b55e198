"""What every command needs: the home, settings, the graph store and a lazy model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..llm import LanguageModel
from ..paths import database_path, default_home, ensure_private_dir
from ..settings import Settings, load_settings
from ..store.database import open_database
from ..store.graph_store import GraphStore

#: (settings, explicit model path or None) -> a loaded model.
ModelLoader = Callable[[Settings, "str | None"], LanguageModel]


@dataclass
class CommandContext:
    home: Path
    json: bool
    model_path: str | None
    model_loader: ModelLoader | None
    settings: Settings = field(init=False)
    _store: GraphStore | None = field(default=None, init=False)
    _model: LanguageModel | None = field(default=None, init=False)

    def __post_init__(self):
        ensure_private_dir(self.home)
        self.settings = load_settings(self.home)

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = GraphStore(open_database(database_path(self.home)))
        return self._store

    @property
    def model(self) -> LanguageModel:
        if self._model is None:
            if self.model_loader is None:
                raise RuntimeError("this CLI was started without a model loader")
            self._model = self.model_loader(self.settings, self.model_path)
        return self._model

    def close(self) -> None:
        if self._model is not None:
            self._model.close()


def resolve_home(value: str | None) -> Path:
    return Path(value).expanduser() if value else default_home()
