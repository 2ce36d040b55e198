"""GPU detection from what llama.cpp reports, and the n_gpu_layers setting."""

from __future__ import annotations

import os

import pytest

from assistant.errors import InputError
from models import gpu
from models.gpu import Device, auto_gpu_layers, backend_from

CPU = Device("CPU", "Intel Xeon", "cpu", "CPU", 8 << 30, 16 << 30)


def gpu_device(backend: str, kind: str = "gpu") -> Device:
    return Device(f"{backend}0", "some GPU", kind, backend, 20 << 30, 24 << 30)


@pytest.mark.parametrize(
    "backend, expected",
    [
        ("CUDA", "cuda"),
        ("Metal", "metal"),
        ("MTL", "metal"),
        ("Vulkan", "vulkan"),
        ("ROCm", "rocm"),
    ],
)
def test_backend_is_named_after_the_first_gpu_device(backend, expected):
    assert backend_from([CPU, gpu_device(backend)], "", offload_supported=True) == expected


def test_integrated_gpus_count_and_accelerators_do_not():
    assert backend_from([CPU, gpu_device("Vulkan", kind="igpu")], "", True) == "vulkan"
    blas = Device("BLAS", "OpenBLAS", "accel", "BLAS", 0, 0)
    assert backend_from([CPU, blas], "CPU : AVX2 = 1 | ", True) == "gpu"


def test_no_offload_means_cpu_whatever_is_compiled_in():
    assert backend_from([CPU, gpu_device("CUDA")], "CUDA : ARCHS = 890 | ", False) == "cpu"


def test_system_info_is_the_fallback_when_the_registry_is_unreadable():
    assert (
        backend_from([], "CPU : AVX2 = 1 | CUDA : ARCHS = 890 | USE_GRAPHS = 1 |", True) == "cuda"
    )
    assert backend_from([], "Metal : EMBED_LIBRARY = 1 |", True) == "metal"


def test_detect_backend_agrees_with_llama_cpp_on_this_machine():
    import llama_cpp

    backend = gpu.detect_backend()
    assert (backend == "cpu") == (not llama_cpp.llama_supports_gpu_offload())


def test_devices_come_from_the_llama_cpp_registry():
    devices = gpu.list_devices()
    cpus = [device for device in devices if device.kind == "cpu"]
    assert cpus and cpus[0].backend == "CPU" and cpus[0].total_bytes > 0
    gpus = [device for device in devices if device.kind in ("gpu", "igpu")]
    assert gpu.vram_bytes() == (sum(d.total_bytes for d in gpus) if gpus else None)


@pytest.mark.parametrize("setting, expected", [(0, 0), (20, 20), (-1, -1), ("12", 12), (" 0 ", 0)])
def test_explicit_layer_counts_pass_through(setting, expected):
    assert auto_gpu_layers(setting) == expected


@pytest.mark.parametrize("supported, expected", [(True, -1), (False, 0)])
def test_auto_offloads_everything_only_when_possible(monkeypatch, supported, expected):
    monkeypatch.setattr(gpu, "gpu_offload_supported", lambda: supported)
    assert auto_gpu_layers("auto") == expected
    assert auto_gpu_layers("AUTO") == expected


def test_auto_on_this_machine_matches_llama_cpp():
    import llama_cpp

    assert auto_gpu_layers("auto") == (-1 if llama_cpp.llama_supports_gpu_offload() else 0)


@pytest.mark.parametrize("setting", ["lots", "", True, 2.5])
def test_nonsense_settings_are_input_errors(setting):
    with pytest.raises(InputError, match="n_gpu_layers"):
        auto_gpu_layers(setting)


def test_threads_default_to_physical_cores_and_can_be_overridden(monkeypatch):
    from models.llama_backend import default_threads, physical_cores

    monkeypatch.delenv("ASSISTANT_THREADS", raising=False)
    assert 1 <= physical_cores() <= (os.cpu_count() or 1)
    assert default_threads() == physical_cores()
    monkeypatch.setenv("ASSISTANT_THREADS", "3")
    assert default_threads() == 3
    monkeypatch.setenv("ASSISTANT_THREADS", "lots")  # nonsense is ignored
    assert default_threads() == physical_cores()
