"""The old home of the notice of decision, kept as an import path only.

The notice moved to the decisions it notifies: rendering in caseworks.eligibility.letters,
`notices_generate` in caseworks.eligibility.services; the letters' date format to
caseworks.core.text.letter_date_text. documents is storage only (uploads, downloads, storage
backends). `_date_text` stays here for payments' letters until they import
caseworks.core.text.letter_date_text (wt-pay's files).
"""

from caseworks.core.text import letter_date_text as _date_text

__all__ = ["_date_text"]
