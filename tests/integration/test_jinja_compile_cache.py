# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The memo in front of Jinja's compilation (tests/jinja_compile_cache.py) answers only the same compilation.

On plain Jinja environments with a counted compilation: a template is compiled once and its kept code renders as
the compiled one; other settings, another ansible-core compile context, a filter that resolves differently and a
file cut short are compiled anew; what is not a pure compilation is never kept. Then on ansible-playbook runs of the
harness: a second run compiles nothing, and renders what the first did.
"""

from __future__ import annotations

import marshal
import os

import pytest
from jinja2 import pass_context
from jinja2.sandbox import SandboxedEnvironment

from jinja_compile_cache import remembering_compile  # tests/, on sys.path through tests/conftest.py
from playbook_runner import payload_cache, run_playbook

SOURCE = "{{ name | shout }} has {{ items | length }} item{{ 's' if items | length != 1 }}"


def shout(value):
    return str(value).upper() + "!"


@pass_context
def shout_with_context(context, value):
    return "%s! (%s)" % (str(value).upper(), context.get("where", "nowhere"))


def environment(**settings):
    env = SandboxedEnvironment(**settings)
    env.optimized = False  # as ansible-core's (the memo stands aside for an optimizing environment)
    env.filters["shout"] = shout
    return env


@pytest.fixture
def counted(tmp_path):
    """(compile, calls): the memo over Jinja's own compilation, in a directory of the test's; calls lists the sources
    that were really compiled."""
    from jinja2.environment import Environment

    calls = []

    def compile_(env, source, name=None, filename=None, raw=False, defer_init=False):
        calls.append(source if isinstance(source, str) else "<parsed>")
        return Environment.compile(env, source, name, filename, raw, defer_init)

    flags = {"escape": False}
    memo = remembering_compile(compile_, str(tmp_path / "code"), context=lambda env: (flags["escape"],))
    os.makedirs(str(tmp_path / "code"))
    return memo, calls, flags


def render(env, code, **variables):
    return env.template_class.from_code(env, code, env.make_globals(None), None).render(**variables)


def test_a_template_is_compiled_once_and_its_kept_code_renders_as_the_compiled_one(counted):
    memo, calls, _flags = counted
    first = memo(environment(), SOURCE)
    again = memo(environment(), SOURCE)  # another environment of the same settings: another worker's
    assert calls == [SOURCE]
    assert marshal.dumps(again) == marshal.dumps(first)
    assert render(environment(), again, name="bucket", items=[1, 2]) == "BUCKET! has 2 items"
    assert render(environment(), again, name="policy", items=[1]) == environment().from_string(SOURCE).render(
        name="policy", items=[1]) == "POLICY! has 1 item"
    memo(environment(), SOURCE + ".")
    assert calls == [SOURCE, SOURCE + "."]


def test_other_settings_and_another_compile_context_are_compiled_anew(counted):
    memo, calls, flags = counted
    memo(environment(), SOURCE)
    memo(environment(trim_blocks=True), SOURCE)
    memo(environment(variable_start_string="[[", variable_end_string="]]"), SOURCE)
    memo(environment(), SOURCE, name="other.j2")
    flags["escape"] = True  # ansible-core's escape_backslashes: the lexer reads string constants otherwise
    memo(environment(), SOURCE)
    assert len(calls) == 5
    memo(environment(variable_start_string="[[", variable_end_string="]]"), SOURCE)
    assert len(calls) == 6  # the compile context is part of the key as well
    flags["escape"] = False
    memo(environment(variable_start_string="[[", variable_end_string="]]"), SOURCE)
    assert len(calls) == 6


def test_a_filter_that_resolves_differently_is_compiled_anew(counted):
    memo, calls, _flags = counted
    # a filter inside a condition may be missing at compile time: Jinja then compiles a call that fails at run time
    guarded = "{% if name %}{{ name | shout }}{% endif %}"
    without = environment()
    del without.filters["shout"]
    memo(without, guarded)
    code = memo(environment(), guarded)
    assert len(calls) == 2 and render(environment(), code, name="x") == "X!"
    # what a filter is passed is decided at compile time too
    with_context = environment()
    with_context.filters["shout"] = shout_with_context
    code = memo(with_context, guarded)
    assert len(calls) == 3 and render(with_context, code, name="x", where="here") == "X! (here)"
    memo(with_context, guarded)
    assert len(calls) == 3


def test_a_kept_file_cut_short_is_compiled_anew(counted, tmp_path):
    memo, calls, _flags = counted
    memo(environment(), SOURCE)
    (kept,) = (tmp_path / "code").iterdir()
    kept.write_bytes(kept.read_bytes()[:20])
    code = memo(environment(), SOURCE)
    assert len(calls) == 2 and render(environment(), code, name="a", items=[]) == "A! has 0 items"
    memo(environment(), SOURCE)
    assert len(calls) == 2


def test_what_is_not_a_pure_compilation_is_never_kept(counted, tmp_path):
    memo, calls, _flags = counted
    optimizing = environment()
    optimizing.optimized = True  # constant folding calls filters while compiling
    memo(optimizing, SOURCE)
    memo(optimizing, SOURCE)
    memo(environment(), SOURCE, raw=True)
    memo(environment(), environment().parse(SOURCE))
    assert calls == [SOURCE, SOURCE, SOURCE, "<parsed>"]
    assert not list((tmp_path / "code").iterdir())
    with pytest.raises(Exception, match="expected token"):
        memo(environment(), "{{ name | }}")
    with pytest.raises(Exception, match="expected token"):
        memo(environment(), "{{ name | }}")  # compiled, and refused, each time
    assert not list((tmp_path / "code").iterdir())


def kept_files(directory):
    """Each kept compilation's file -> when it was written."""
    if not os.path.isdir(directory):
        return {}
    return {path: os.stat(os.path.join(directory, path)).st_mtime_ns for path in os.listdir(directory)}


def test_a_second_ansible_playbook_run_compiles_nothing_and_renders_the_same(tmp_path):
    # a comment of this test's own makes the templates new to this test process's earlier runs
    template = "{{ word | upper }} {{ [1, 2, 3] | sum }}{# %s #}" % tmp_path.name
    playbook = tmp_path / "templates.yml"
    playbook.write_text("""
- hosts: all
  gather_facts: false
  vars:
    word: cached
  tasks:
    - name: First
      ansible.builtin.debug:
        msg: "%s"
    - name: Second, the same template in another worker
      ansible.builtin.debug:
        msg: "%s"
      when: word is string
""" % (template, template))
    code = os.path.join(payload_cache(), "jinja-code")
    before = kept_files(code)
    first = run_playbook(str(playbook))
    kept = kept_files(code)
    assert set(kept) - set(before), "the run kept no compiled template of its own"
    second = run_playbook(str(playbook))
    assert kept_files(code) == kept  # nothing compiled, nothing written again
    assert first.messages("localhost") == second.messages("localhost") == ["CACHED 6", "CACHED 6"]
