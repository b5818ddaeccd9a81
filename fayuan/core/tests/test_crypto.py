import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from fayuan.core import crypto


def test_encrypts_with_random_iv_and_decrypts():
    a, b = crypto.encrypt_text("11010519491231002X"), crypto.encrypt_text("11010519491231002X")
    assert a != b
    assert "11010519491231002X" not in a
    assert crypto.decrypt_text(a) == "11010519491231002X"


def test_rotated_keys_still_decrypt_old_ciphertext(settings):
    old = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = crypto.encrypt_text("secret")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    assert crypto.decrypt_text(token) == "secret"


def test_wrong_key_fails_loudly(settings):
    token = crypto.encrypt_text("secret")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt_text(token)


def test_lookup_hash_is_keyed_and_normalised(settings):
    h = crypto.lookup_hash("11010519491231002x ")
    assert h == crypto.lookup_hash("11010519491231002X")
    settings.FIELD_HASH_KEY = "another-key"
    assert crypto.lookup_hash("11010519491231002X") != h
