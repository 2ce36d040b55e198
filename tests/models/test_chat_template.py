"""The chat template comes from the GGUF's own metadata (Llama 3's for Llama 3)."""

import pytest

from assistant.llm import ChatMessage


@pytest.mark.real_model
def test_the_models_own_template_formats_the_chat(real_model):
    llm = real_model._llm
    assert "tokenizer.chat_template" in llm.metadata
    # llama-cpp-python names the handler it built from the GGUF's template this way.
    assert llm.chat_format == "chat_template.default"
    reply = "".join(
        real_model.chat([ChatMessage("user", "Say hello.")], max_tokens=8, temperature=0.0)
    )
    assert reply.strip()
    assert "<|im_start|>" not in reply and "<|im_end|>" not in reply
