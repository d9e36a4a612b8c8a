"""The fillable form of an instrument: each item a required single choice, in Chinese and English.

Instruments use the same fill page and server check as XLSForm questionnaires; this builds the form
spec (see xlsform.py for its shape) from a checked instrument definition. Pure functions.
"""

ITEM_PREFIX = "item_"
LANGUAGES = [
    {"key": "zh", "code": "zh", "label": "中文"},
    {"key": "en", "code": "en", "label": "English"},
]


def item_field(item_id: str) -> str:
    """The form field of an item (XML names cannot start with a digit)."""
    return f"{ITEM_PREFIX}{item_id}"


def instrument_spec(definition: dict) -> dict:
    """The form spec of an instrument definition."""
    choices = {
        set_id: [{"name": str(o["value"]), "label": dict(o["label"]), "data": {}} for o in options]
        for set_id, options in definition["option_sets"].items()
    }
    children: list[dict] = []
    if definition.get("instructions"):
        children.append(
            {
                "kind": "field",
                "type": "note",
                "name": "instructions",
                "label": dict(definition["instructions"]),
            }
        )
    for number, item in enumerate(definition["items"], start=1):
        children.append(
            {
                "kind": "field",
                "type": "select_one",
                "name": item_field(item["id"]),
                "label": {lang: f"{number}. {text}" for lang, text in item["text"].items()},
                "list": item["options"],
                "required": item.get("scored", True) is not False,
                "appearance": "likert",
            }
        )
    return {
        "title": dict(definition["name"]),
        "languages": LANGUAGES,
        "default_language": "zh",
        "choices": choices,
        "children": children,
    }


def instrument_answers(answers: dict) -> dict:
    """Item id -> option value from the answers stored for the instrument's form."""
    return {
        key[len(ITEM_PREFIX) :]: value
        for key, value in answers.items()
        if key.startswith(ITEM_PREFIX) and value not in (None, "")
    }
