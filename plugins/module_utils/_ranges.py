# -*- coding: utf-8 -*-
# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FOR INTERNAL COLLECTION USE ONLY: refuse numbers that make no sense, before any call.

Each function returns ``None`` or a message that names the option, the value and the allowed range;
the module fails with it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math


def _number(value):
    try:
        return not isinstance(value, bool) and not math.isnan(value) and not math.isinf(value)
    except TypeError:
        return False


def greater_than_zero(name, value, unit="seconds"):
    """A timeout: a finite number greater than 0."""
    if _number(value) and value > 0:
        return None
    return "%s must be greater than 0 %s, got %s" % (name, unit, value)


def at_least(name, value, minimum, unit, meaning=""):
    """``minimum`` or more; ``meaning`` says what ``minimum`` itself means, for example ``0 (never expires)``."""
    if _number(value) and value >= minimum:
        return None
    return "%s must be %s or more %s, got %s" % (name, meaning or minimum, unit, value)


def between(name, value, minimum, maximum, unit, whose=""):
    """``minimum`` to ``maximum`` inclusive; ``whose`` names who sets the range, for example ``MinIO's``."""
    if _number(value) and minimum <= value <= maximum:
        return None
    range_of = " (%s range)" % whose if whose else ""
    return "%s must be between %s and %s %s%s, got %s" % (name, minimum, maximum, unit, range_of, value)
