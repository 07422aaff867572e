# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request-body validation with Django REST framework's rules and words.

Fields are checked in declaration order and every failing field is reported at once, keyed by
field name, which is what DRF does (``{"name": [...], "client_id": [...]}``). Unknown keys are
dropped silently. Uniqueness checks are field validators, as DRF's UniqueValidator is.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from .web import validation_error

REQUIRED = "This field is required."
NULL = "This field may not be null."
BLANK = "This field may not be blank."

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


class FieldError(Exception):
    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail if isinstance(detail, (list, dict)) else [detail]


class Field:
    """One writable serializer field. ``clean(value, ctx)`` returns the internal value or raises FieldError."""

    def __init__(self, required=False, allow_null=False, default=None, unique=None):
        self.required = required
        self.allow_null = allow_null
        self.default = default  # a callable giving the value on create when absent
        self.unique = unique  # callable(value, ctx) -> error message or None

    def clean(self, value, ctx):
        return value

    def run(self, value, ctx):
        if value is None:
            if not self.allow_null:
                raise FieldError(NULL)
            return None
        value = self.clean(value, ctx)
        if self.unique is not None:
            message = self.unique(value, ctx)
            if message:
                raise FieldError(message)
        return value


class Str(Field):
    def __init__(self, max_length=None, allow_blank=False, trim=True, **kw):
        super().__init__(**kw)
        self.max_length = max_length
        self.allow_blank = allow_blank
        self.trim = trim

    def clean(self, value, ctx):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise FieldError("Not a valid string.")
        value = str(value)
        if self.trim:
            value = value.strip()
        if value == "" and not self.allow_blank:
            raise FieldError(BLANK)
        if self.max_length is not None and len(value) > self.max_length:
            raise FieldError("Ensure this field has no more than %d characters." % self.max_length)
        return value


class Slug(Str):
    def clean(self, value, ctx):
        value = super().clean(value, ctx)
        if not _SLUG.match(value):
            raise FieldError("Enter a valid \u201cslug\u201d consisting of letters, numbers, underscores or hyphens.")
        return value


class Bool(Field):
    # DRF's BooleanField values; 1/0 also match True/False (equal hashes)
    TRUE = {"t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1", 1}
    FALSE = {"f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0", 0}

    def clean(self, value, ctx):
        try:
            if value in self.TRUE:
                return True
            if value in self.FALSE:
                return False
        except TypeError:  # unhashable (list, dict)
            pass
        raise FieldError("Must be a valid boolean.")


class Int(Field):
    def __init__(self, minimum=None, maximum=None, **kw):
        super().__init__(**kw)
        self.minimum = minimum
        self.maximum = maximum

    def clean(self, value, ctx):
        if isinstance(value, bool):
            raise FieldError("A valid integer is required.")
        try:
            if isinstance(value, float) and value != int(value):
                raise ValueError
            number = int(str(value).strip()) if not isinstance(value, float) else int(value)
        except (TypeError, ValueError):
            raise FieldError("A valid integer is required.") from None
        if self.minimum is not None and number < self.minimum:
            raise FieldError("Ensure this value is greater than or equal to %d." % self.minimum)
        if self.maximum is not None and number > self.maximum:
            raise FieldError("Ensure this value is less than or equal to %d." % self.maximum)
        return number


class Choice(Field):
    def __init__(self, choices, **kw):
        super().__init__(**kw)
        self.choices = list(choices)

    def clean(self, value, ctx):
        if isinstance(value, (list, dict)) or str(value) not in self.choices:
            raise FieldError("\"%s\" is not a valid choice." % (value,))
        return str(value)


class JSONDict(Field):
    def clean(self, value, ctx):
        if not isinstance(value, dict):
            raise FieldError("Expected a dictionary of items but got type \"%s\"." % type(value).__name__)
        return value


def _pk_error(value):
    return FieldError("Invalid pk \"%s\" - object does not exist." % (value,))


def _incorrect_type(value):
    return FieldError("Incorrect type. Expected pk value, received %s." % type(value).__name__)


class UUIDRef(Field):
    """A PrimaryKeyRelatedField to an object with a UUID pk; ``lookup(uuid_str, ctx)`` finds it."""

    def __init__(self, lookup, **kw):
        super().__init__(**kw)
        self.lookup = lookup

    def clean(self, value, ctx):
        if isinstance(value, (bool, list, dict, float)):
            raise _incorrect_type(value)
        try:
            key = str(uuid.UUID(str(value)))
        except ValueError:
            raise FieldError("\u201c%s\u201d is not a valid UUID." % (value,)) from None
        if self.lookup(key, ctx) is None:
            raise _pk_error(value)
        return key


class IntRef(Field):
    def __init__(self, lookup, **kw):
        super().__init__(**kw)
        self.lookup = lookup

    def clean(self, value, ctx):
        if isinstance(value, (bool, list, dict)):
            raise _incorrect_type(value)
        try:
            key = int(str(value))
        except ValueError:
            raise _incorrect_type(value) from None
        if self.lookup(key, ctx) is None:
            raise _pk_error(value)
        return key


class RefList(Field):
    """ManyRelatedField: a list of pks; the first bad item is reported."""

    def __init__(self, child, **kw):
        super().__init__(**kw)
        self.child = child

    def clean(self, value, ctx):
        if isinstance(value, (str, dict)) or not hasattr(value, "__iter__"):
            raise FieldError("Expected a list of items but got type \"%s\"." % type(value).__name__)
        out = []
        for item in value:
            if item is None:
                raise FieldError(NULL)
            cleaned = self.child.clean(item, ctx)
            if cleaned not in out:
                out.append(cleaned)
        return out


class ChoiceList(Field):
    def __init__(self, choices, allow_empty=True, **kw):
        super().__init__(**kw)
        self.choices = list(choices)
        self.allow_empty = allow_empty

    def clean(self, value, ctx):
        if isinstance(value, (str, dict)) or not hasattr(value, "__iter__"):
            raise FieldError("Expected a list of items but got type \"%s\"." % type(value).__name__)
        value = list(value)
        if not value and not self.allow_empty:
            raise FieldError("This list may not be empty.")
        errors = {}
        for index, item in enumerate(value):
            if isinstance(item, (list, dict)) or str(item) not in self.choices:
                errors[str(index)] = ["\"%s\" is not a valid choice." % (item,)]
        if errors:
            raise FieldError(errors)
        return [str(item) for item in value]


DURATION_KEYS = ("weeks", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds")


def parse_duration(text):
    """authentik's timedelta_string: ``hours=1;minutes=2`` -> timedelta (ValueError if malformed)."""
    kwargs = {}
    for part in str(text).split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in DURATION_KEYS:
            raise ValueError(text)
        kwargs[key] = float(value.strip())
    if not kwargs:
        raise ValueError(text)
    return timedelta(**kwargs)


class Duration(Str):
    def clean(self, value, ctx):
        value = super().clean(value, ctx)
        try:
            parse_duration(value)
        except (ValueError, OverflowError):
            raise FieldError("%s is not in the correct format of 'hours=3;minutes=1'." % value) from None
        return value


def validate(fields, data, ctx, partial=False):
    """Clean ``data`` against ``fields`` (an ordered dict name -> Field). Raises ApiError(400)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise validation_error({"non_field_errors": [
            "Invalid data. Expected a dictionary, but got %s." % type(data).__name__]})
    errors = {}
    clean = {}
    for name, field in fields.items():
        if name not in data:
            if partial:
                continue
            if field.required:
                errors[name] = [REQUIRED]
            elif field.default is not None:
                clean[name] = field.default()
            continue
        try:
            clean[name] = field.run(data[name], ctx)
        except FieldError as exc:
            errors[name] = exc.detail
    if errors:
        raise validation_error(errors)
    return clean
