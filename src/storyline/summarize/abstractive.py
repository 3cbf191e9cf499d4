"""Optional abstractive rewrite of an event's cited sentences through any OpenAI-compatible endpoint.

Off by default and never needed: the extractive summary is the product's
summary. When ``[summarize] abstractive_url`` names an endpoint (for
example a local llama.cpp or vLLM server, ``http://localhost:8080/v1``),
the build asks it to rewrite the extractive sentences into a short
paragraph that keeps the ``[n]`` citation markers, and stores the answer
beside the summary. The API key, if any, is read from the environment
variable named by ``api_key_env`` so it never sits in a config file.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence

from ..errors import ConfigError, DependencyError, StorylineError
from ..records import SummarySentence

PROMPT = ("Rewrite these numbered news sentences about one event as one short neutral paragraph. "
          "Use only facts stated in them, and keep each fact's citation as [n] after it.\n\n{sentences}")


class AbstractiveSummarizer:
    """Chat-completions client for an OpenAI-compatible endpoint (POST {url}/chat/completions)."""

    def __init__(self, url: str, model: str = "default", api_key_env: str = "OPENAI_API_KEY",
                 timeout: float = 60.0, max_tokens: int = 300) -> None:
        if not re.match(r"https?://", url or ""):
            raise ConfigError(f"[summarize] abstractive_url must be an http(s) URL, got {url!r}")
        if timeout <= 0:
            raise ConfigError(f"[summarize] abstractive_timeout must be > 0, got {timeout}")
        self.url = url.rstrip("/")
        self.model = model
        self.api_key_env = api_key_env
        self.timeout = timeout
        self.max_tokens = max_tokens

    def rewrite(self, sentences: Sequence[SummarySentence]) -> str:
        """One paragraph from the cited sentences; raises StorylineError if the endpoint fails."""
        try:
            import httpx
        except ImportError as exc:
            raise DependencyError("the abstractive summarizer needs httpx: pip install httpx") from exc
        numbered = "\n".join(f"[{i}] {s.text}" for i, s in enumerate(sentences, 1))
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        body = {"model": self.model, "max_tokens": self.max_tokens, "temperature": 0,
                "messages": [{"role": "user", "content": PROMPT.format(sentences=numbered)}]}
        try:
            response = httpx.post(f"{self.url}/chat/completions", json=body, headers=headers, timeout=self.timeout)
            response.raise_for_status()
            return str(response.json()["choices"][0]["message"]["content"]).strip()
        except (httpx.HTTPError, KeyError, IndexError, ValueError) as exc:
            raise StorylineError(f"abstractive summarizer at {self.url} failed: {exc}") from exc
