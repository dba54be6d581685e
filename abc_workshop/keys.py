"""Random codes and the facilitator key's hash.

Join codes and facilitator keys are typed by hand, often from a projector across the room, so they use
one alphabet without look-alikes (no 0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, U/V) and are read case-insensitively,
ignoring spaces and dashes. Facilitator keys are random, shown once and kept only as a salted scrypt hash,
so a copied database gives none away.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from .i18n import _

JOIN_CODE_ALPHABET = "ACEFGHKMNPRTWXY34679"
JOIN_CODE_LENGTH = 6  # 20**6: 64 million codes
KEY_GROUPS, KEY_GROUP_LENGTH = 4, 4  # 20**16: about 2**69 keys
_LETTERS = " ".join(c for c in JOIN_CODE_ALPHABET if c.isalpha())
_DIGITS = " ".join(c for c in JOIN_CODE_ALPHABET if c.isdigit())


def code_characters() -> str:
    """Said next to every box where a join code is typed, in the run's language."""
    return _("Join codes use only the letters {letters} and the digits {digits}; small or capital letters both work.").format(
        letters=_LETTERS, digits=_DIGITS
    )


def key_characters() -> str:
    """Said next to every box where a facilitator key is typed, in the run's language."""
    return _(
        "Facilitator keys use only the letters {letters} and the digits {digits}; small or capital letters, spaces and "
        "dashes all work."
    ).format(letters=_LETTERS, digits=_DIGITS)


# The English sentences, for code that has not moved to the functions above (they follow the run's language).
CODE_CHARACTERS = f"Join codes use only the letters {_LETTERS} and the digits {_DIGITS}; small or capital letters both work."
KEY_CHARACTERS = (
    f"Facilitator keys use only the letters {_LETTERS} and the digits {_DIGITS}; small or capital letters, spaces and dashes "
    "all work."
)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """What people type ('abc 123', 'abc-123') compared the way codes are stored."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def new_facilitator_key() -> str:
    groups = ["".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(KEY_GROUP_LENGTH)) for _ in range(KEY_GROUPS)]
    return "-".join(groups)


def normalise_key(typed: str) -> str:
    """A facilitator key as it was generated, from what was typed ('acef ghkm-nprt wxy3' or 'ACEFGHKMNPRTWXY3').

    Keys made by an earlier version had three groups of four from a larger alphabet; those are regrouped the
    same way. Anything else (a server key chosen by an administrator) is compared exactly, only trimmed.
    """
    trimmed = typed.strip()
    letters = "".join(ch for ch in trimmed.upper() if ch.isalnum())
    if len(letters) in (12, 16) and all(ch.isascii() and (ch.isalnum() or ch in " -") for ch in trimmed):
        return "-".join(letters[i : i + KEY_GROUP_LENGTH] for i in range(0, len(letters), KEY_GROUP_LENGTH))
    return trimmed


def new_participant_token() -> str:
    return secrets.token_urlsafe(16)


def key_hint(key: str) -> str:
    """32 bits of the key's SHA-256: enough to find the one workshop a typed key may belong to, far too few to learn
    the key from (about 2**37 keys share each hint, and each must still pass the scrypt check)."""
    return hashlib.sha256(normalise_key(key).encode()).hexdigest()[:8]


def hash_key(key: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(normalise_key(key).encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def key_matches(key: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(normalise_key(key).encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


# A server key unlocks every workshop, the compare page and imports, so a guessable one is refused at start.
MIN_SERVER_KEY = 12
_COMMON_WORDS = {
    "password",
    "passwort",
    "wachtwoord",
    "letmein",
    "welcome",
    "admin",
    "administrator",
    "secret",
    "changeme",
    "default",
    "qwerty",
    "azerty",
    "qwertz",
    "abc",
    "abcdef",
    "workshop",
    "facilitator",
    "facilitate",
    "iloveyou",
    "monkey",
    "dragon",
    "master",
    "login",
    "test",
    "guest",
    "root",
    "key",
    "serverkey",
    "trustno",
    "sunshine",
    "football",
    "princess",
}


def server_key_problem(key: str) -> str | None:
    """Why a server key is too weak to guard a shared server, as a sentence; None when it will do.

    Weak: shorter than MIN_SERVER_KEY characters, fewer than 6 different characters, or, once digits, spaces and
    punctuation are taken out, nothing but a common word said once or over again ("Password2026!", "letmeinletmein")."""
    key = key.strip()
    if len(key) < MIN_SERVER_KEY:
        return _("it has {length} characters; a server key needs at least {least}").format(length=len(key), least=MIN_SERVER_KEY)
    if len(set(key.lower())) < 6:
        return _("it repeats too few different characters")
    letters = "".join(ch for ch in key.lower() if ch.isalpha())
    if not letters:
        return _("it has no letters, and numbers alone are among the first guesses")
    for word in _COMMON_WORDS:
        if letters == word * (len(letters) // len(word)):
            return _("it is a common word with digits or punctuation around it, which is among the first guesses")
    return None
