"""Random codes and the facilitator key's hash.

Join codes are short and typed by hand, so they avoid look-alike characters. Facilitator keys
are random, shown once and kept only as a salted scrypt hash, so a copied database gives none away.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """What people type ('abc 123', 'abc-123') compared the way codes are stored."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def new_facilitator_key() -> str:
    groups = ["".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def new_participant_token() -> str:
    return secrets.token_urlsafe(16)


def hash_key(key: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(key.strip().encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def key_matches(key: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(key.strip().encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)
