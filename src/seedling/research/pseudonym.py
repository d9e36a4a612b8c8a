"""Pseudonymous IDs (假名编号) of research exports. Pure functions.

    research key = HMAC-SHA256(SECRET_KEY, "seedling.research.pseudonym.v1:" + project salt)
    pseudonym    = first 24 hex digits of HMAC-SHA256(research key, "child:<child id>")
                   (a response without a child: "response:<response uuid>")

- Same project, same child: same pseudonym in every export, so a researcher can follow a child across
  screening rounds without knowing who the child is.
- Another project has another random salt, so another key: its pseudonyms cannot be matched with
  this project's (HMAC outputs under unrelated keys are unrelated).
- Not reversible: without the key, a pseudonym says nothing about the id behind it, and trying every
  id needs the key, which exists only on the server (SECRET_KEY never leaves it; the salt is not
  exported). Whoever holds both SECRET_KEY and the database could recompute pseudonyms: that is the
  operator, not the researcher. Rotating SECRET_KEY changes every pseudonym of every project.
- An export without a project gets a fresh salt of its own: its pseudonyms link rows within that file
  only. The label prefixes separate children from anonymous responses, and "v1" lets the scheme change.
- 24 hex digits = 96 bits: no collision among any realistic number of children.
"""

import hashlib
import hmac

from django.conf import settings

_KEY_LABEL = b"seedling.research.pseudonym.v1:"
LENGTH = 24


def research_key(salt: str, secret_key: str | None = None) -> bytes:
    """The HMAC key of a project (or of one export) from the server's secret key and the salt."""
    secret = (secret_key if secret_key is not None else settings.SECRET_KEY).encode()
    return hmac.new(secret, _KEY_LABEL + salt.encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, *, child_id: int | None = None, response_uuid=None) -> str:
    """The pseudonym of a child (or, for a response without a child, of the response itself)."""
    if child_id is not None:
        message = f"child:{child_id}"
    elif response_uuid is not None:
        message = f"response:{response_uuid}"
    else:
        raise ValueError("a pseudonym needs a child id or a response uuid")
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:LENGTH]
