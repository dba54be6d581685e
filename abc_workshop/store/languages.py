"""Which language a workshop's room reads, and which one each participant chose for their own phone."""

from __future__ import annotations

from ..domain import InvalidInput, Participant, Workshop
from ..i18n import DEFAULT as DEFAULT_LANGUAGE
from ..i18n import LANGUAGES, N_, _
from .base import StoreBase

__all__ = ["DEFAULT_LANGUAGE", "LanguagesMixin", "check_language"]


def check_language(code: str | None) -> str:
    """A language code the app has a catalogue for ('de'), or InvalidInput naming the ones it has."""
    if code not in LANGUAGES:
        raise InvalidInput(
            _("The app does not speak '{code}'; choose one of {languages}.").format(
                code=str(code)[:20], languages=", ".join(LANGUAGES)
            )
        )
    return code


class LanguagesMixin(StoreBase):
    def set_workshop_language(self, workshop_id: int, key: str, language: str) -> Workshop:
        """The facilitator sets the room's language: the projector and the report follow it at once, and so does
        every phone whose participant has not chosen a language of their own."""
        self._require_key(workshop_id, key)
        self._require_live(workshop_id)
        language = check_language(language)
        with self._write() as db:
            db.execute("UPDATE workshops SET language = ? WHERE id = ?", (language, workshop_id))
            self._changed(
                db,
                workshop_id,
                "language",
                # Translators: {language} is the language's own name (Deutsch, English, Nederlands).
                N_("The workshop's language is now {language}"),
                language=LANGUAGES[language],
            )
        return self.workshop(workshop_id)

    def set_participant_language(self, workshop_id: int, token: str, language: str | None) -> Participant:
        """A participant's own choice for their phone (None: follow the browser and the room again). It concerns
        that phone only, so no other page is told."""
        if language is not None:
            language = check_language(language)
        with self._write() as db:
            updated = db.execute(
                "UPDATE participants SET language = ? WHERE workshop_id = ? AND token = ?", (language, workshop_id, token)
            ).rowcount
        participant = self.participant(workshop_id, token) if updated else None
        if participant is None:
            raise InvalidInput(_("This link belongs to nobody in this workshop; please join again."))
        return participant
