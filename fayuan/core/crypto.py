"""Field encryption and keyed lookup hashes for protected personal data.

Encryption is Fernet (AES-128-CBC + HMAC-SHA256, random IV) under MultiFernet, so keys can rotate: the first key in
FIELD_ENCRYPTION_KEYS encrypts, every listed key decrypts. Equal plaintexts give different ciphertexts, so exact
lookup uses a separate HMAC-SHA256 keyed with FIELD_HASH_KEY.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS 中有无效的 Fernet 密钥（应为 32 字节的 urlsafe base64）。"
        ) from exc


def encrypt_text(plaintext: str) -> str:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(plaintext.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("无法解密受保护字段：密钥不匹配或数据已损坏。") from exc


def lookup_hash(value: str) -> str:
    """Keyed hash for exact-match lookup; normalised so that case and spacing do not matter."""
    normalised = value.strip().upper()
    return hmac.new(settings.FIELD_HASH_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()
