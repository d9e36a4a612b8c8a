"""Field encryption (AES-256-GCM) and keyed hashes (blind index) for sensitive values.

Identity numbers are stored only as ciphertext plus an HMAC for exact lookup; nobody can search
by a partial number through the hash, which is the point.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_VERSION = "v1"


@cache
def _aead() -> AESGCM:
    return AESGCM(bytes.fromhex(settings.SEEDLING_FIELD_KEY))


def encrypt_text(plain: str, *, context: str) -> str:
    """Encrypt `plain`; `context` (e.g. "child.id_number") is bound in, so a value cannot be moved."""
    nonce = os.urandom(12)
    sealed = _aead().encrypt(nonce, plain.encode(), context.encode())
    return f"{_VERSION}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt_text(token: str, *, context: str) -> str:
    version, _, payload = token.partition(":")
    if version != _VERSION:
        raise ValueError("unknown ciphertext version")
    raw = base64.urlsafe_b64decode(payload)
    return _aead().decrypt(raw[:12], raw[12:], context.encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash for exact-match lookup without storing the plaintext."""
    key = bytes.fromhex(settings.SEEDLING_BLIND_INDEX_KEY)
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
