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


def reencrypt_text(token: str) -> str:
    """The same plaintext under the first (newest) key: key rotation re-encrypts every stored token with this, after
    which the old key can be dropped from FIELD_ENCRYPTION_KEYS."""
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise ImproperlyConfigured("无法解密受保护字段：密钥不匹配或数据已损坏。") from exc


def lookup_hash(value: str) -> str:
    """Keyed hash for exact-match lookup; normalised so that case and spacing do not matter."""
    normalised = value.strip().upper()
    return hmac.new(settings.FIELD_HASH_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


# --- Phone numbers ----------------------------------------------------------------------------------------------
# A phone number is personal data (PIPL art. 4) stored like an ID number: encrypted, with a keyed hash for exact
# lookup and dedupe, and a masked form (138****0001) for screens and tail searches, so lists never decrypt.

def phone_digits(raw: str) -> str:
    """The digits of a number as typed, without a +86/0086 country prefix: the form that is hashed."""
    digits = "".join(ch for ch in (raw or "") if "0" <= ch <= "9")
    if raw.strip().startswith(("+86", "0086")) or (len(digits) == 13 and digits.startswith("861")):
        digits = digits.removeprefix("00").removeprefix("86")
    return digits


def phone_lookup_hash(raw: str) -> str:
    """Keyed hash of a phone number; "" when there are no digits. The ``phone:`` prefix keeps phone hashes apart from
    ID-number hashes made with the same key (the portal's sign-in hash is the same value)."""
    digits = phone_digits(raw)
    return lookup_hash(f"phone:{digits}") if digits else ""


def phone_mask(raw: str) -> str:
    """138****0001: enough to recognise, not enough to call. Short numbers keep only their last two digits."""
    digits = phone_digits(raw)
    if not digits:
        return ""
    if len(digits) < 7:
        return "*" * (len(digits) - 2) + digits[-2:]
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def phone_protect(raw: str) -> tuple[str, str, str]:
    """(ciphertext, lookup hash, masked) of a number as typed; three empty strings for no number."""
    value = (raw or "").strip()
    if not value:
        return "", "", ""
    return encrypt_text(value), phone_lookup_hash(value), phone_mask(value)


class ProtectedPhone:
    """Model mixin: ``phone`` reads and writes the encrypted, hashed and masked columns together, so code that sets
    ``obj.phone = "..."`` can never store it in clear. Save ``PHONE_FIELDS`` when it changed."""

    PHONE_FIELDS = ("phone_encrypted", "phone_hash", "phone_masked")
    phone_encrypted: str
    phone_hash: str
    phone_masked: str

    @property
    def phone(self) -> str:
        return decrypt_text(self.phone_encrypted) if self.phone_encrypted else ""

    @phone.setter
    def phone(self, value: str) -> None:
        self.phone_encrypted, self.phone_hash, self.phone_masked = phone_protect(value)
