"""Which accelerator this llama.cpp build can offload to, its memory, how many layers to offload.

Everything is asked of the llama.cpp library that will run the model (not of the operating
system): a CUDA machine with a CPU-only build cannot offload, and a CUDA build on a machine
without a GPU registers no GPU device. ``llama_cpp`` is imported inside the functions only,
so importing this module stays cheap and works where llama.cpp is missing.

The devices come from ggml's backend registry, reached through ctypes on the ``libggml``
that llama-cpp-python loads (the Python bindings do not wrap these functions); the
system-info string is the fallback where the registry cannot be read.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from enum import StrEnum

from assistant.errors import InputError

#: ggml backend registry names -> the names the app uses; other GPU backends are lowercased.
_BACKEND_ALIASES = {"cuda": "cuda", "metal": "metal", "mtl": "metal", "vulkan": "vulkan"}


class DeviceKind(StrEnum):
    CPU = "cpu"
    GPU = "gpu"
    IGPU = "igpu"  # integrated: shares the system's memory
    ACCEL = "accel"
    META = "meta"
    UNKNOWN = "unknown"  # a type newer than this code


#: ``enum ggml_backend_dev_type`` in ggml-backend.h, in order.
_DEVICE_KINDS = (DeviceKind.CPU, DeviceKind.GPU, DeviceKind.IGPU, DeviceKind.ACCEL, DeviceKind.META)


@dataclass(frozen=True)
class Device:
    name: str  # e.g. "CUDA0"
    description: str  # e.g. "NVIDIA H100 80GB HBM3"
    kind: DeviceKind
    backend: str  # the ggml registry's name: "CPU", "CUDA", "Metal", "Vulkan", ...
    free_bytes: int
    total_bytes: int

    @property
    def is_gpu(self) -> bool:
        """A device llama.cpp can offload layers to, discrete or integrated."""
        return self.kind in (DeviceKind.GPU, DeviceKind.IGPU)


def gpu_offload_supported() -> bool:
    """True when this llama.cpp build found a device it can offload layers to."""
    try:
        import llama_cpp
    except ImportError:
        return False
    return bool(llama_cpp.llama_supports_gpu_offload())


def detect_backend() -> str:
    """ "cuda", "metal", "vulkan" or "cpu" (another GPU backend: its ggml name, lowercased)."""
    return backend_from(list_devices(), _system_info(), gpu_offload_supported())


def backend_from(devices: list[Device], system_info: str, offload_supported: bool) -> str:
    """The backend name from what llama.cpp reports; pure, so it is testable without a GPU."""
    if not offload_supported:
        return "cpu"
    for device in devices:
        if device.is_gpu:
            return _alias(device.backend)
    # Registry unreadable: the system-info line names each compiled-in backend ("CUDA : ...").
    for token in system_info.replace("|", " ").split():
        if token.lower() in _BACKEND_ALIASES:
            return _BACKEND_ALIASES[token.lower()]
    return "gpu"


def vram_bytes() -> int | None:
    """Total memory of the GPU devices llama.cpp sees, or None when there is none (or unknown)."""
    gpus = [device for device in list_devices() if device.is_gpu]
    return sum(device.total_bytes for device in gpus) if gpus else None


def auto_gpu_layers(setting: int | str) -> int:
    """Layers to offload for ``n_gpu_layers``: "auto" -> all (-1) when possible, else 0."""
    if isinstance(setting, bool):  # bool is an int subclass: True would silently mean 1 layer
        raise InputError(f"n_gpu_layers must be 'auto' or a number of layers, not {setting!r}")
    if isinstance(setting, int):
        return setting
    text = str(setting).strip().lower()
    if text == "auto":
        return -1 if gpu_offload_supported() else 0
    try:
        return int(text)
    except ValueError:
        raise InputError(
            f"n_gpu_layers must be 'auto' or a number of layers, not {setting!r}"
        ) from None


def list_devices() -> list[Device]:
    """Every device in ggml's registry; empty when llama.cpp or the registry is unavailable."""
    library = _ggml_library()
    if library is None:
        return []
    return [
        _device(library, library.ggml_backend_dev_get(index))
        for index in range(library.ggml_backend_dev_count())
    ]


def _alias(backend: str) -> str:
    return _BACKEND_ALIASES.get(backend.lower(), backend.lower())


def _system_info() -> str:
    try:
        import llama_cpp
    except ImportError:
        return ""
    return llama_cpp.llama_print_system_info().decode("utf-8", "replace")


def _device(library, handle) -> Device:
    free, total = ctypes.c_size_t(), ctypes.c_size_t()
    library.ggml_backend_dev_memory(handle, ctypes.byref(free), ctypes.byref(total))
    kind = library.ggml_backend_dev_type(handle)
    return Device(
        name=library.ggml_backend_dev_name(handle).decode("utf-8", "replace"),
        description=library.ggml_backend_dev_description(handle).decode("utf-8", "replace"),
        kind=_DEVICE_KINDS[kind] if 0 <= kind < len(_DEVICE_KINDS) else DeviceKind.UNKNOWN,
        backend=library.ggml_backend_reg_name(library.ggml_backend_dev_backend_reg(handle)).decode(
            "utf-8", "replace"
        ),
        free_bytes=free.value,
        total_bytes=total.value,
    )


def _ggml_library():
    """libggml with the registry functions typed, or None where it cannot be loaded."""
    try:
        from llama_cpp._ggml import libggml
    except (ImportError, OSError, RuntimeError):
        return None
    try:
        _declare_registry_functions(libggml)
    except AttributeError:  # a libggml from before the device registry
        return None
    return libggml


def _declare_registry_functions(library) -> None:
    handle, text, size = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
    signatures = {
        "ggml_backend_dev_count": ([], size),
        "ggml_backend_dev_get": ([size], handle),
        "ggml_backend_dev_name": ([handle], text),
        "ggml_backend_dev_description": ([handle], text),
        "ggml_backend_dev_type": ([handle], ctypes.c_int),
        "ggml_backend_dev_backend_reg": ([handle], handle),
        "ggml_backend_reg_name": ([handle], text),
        "ggml_backend_dev_memory": ([handle, ctypes.POINTER(size), ctypes.POINTER(size)], None),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(library, name)
        function.argtypes, function.restype = argtypes, restype
