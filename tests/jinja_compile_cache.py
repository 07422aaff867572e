# Copyright: (c) 2026, sso.authentik_minio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Python code Jinja compiled from a template, kept for the later processes of the same test session.

ansible-core compiles a template each time it renders one, in the process that renders it: the controller, or the
worker it forks for each task and host. A worker lives for one task, so what it compiled goes with it, and the next
task's worker compiles the same expressions again (the role's module_defaults, its variables and their defaults, the
task's arguments). A role run compiles about 240 templates this way; with ansible-core 2.19 that is about half of its
workers' Python time and a fifth of the CPU of a whole role run (profiled in docs/performance.md).

Jinja's compilation is a function of the template's text and of the environment's settings: its delimiters and
whitespace rules, its extensions, code generator, finalize and autoescape, and whether each filter and test the
template names exists (and what it is passed). ``remembering_compile`` puts a memo in front of
``jinja2.Environment.compile``: it keeps the code object of a compiled template in a file named by a hash of the text
and those settings, with the filters' and tests' resolution at compile time; a later process that asks for the same
compilation, with the same filters and tests resolving the same way, reads the code back instead. Rendering is
unchanged: the code object is the one the compilation made, and Jinja builds the template from it as it always does.

It stands aside (the environment compiles as usual) for what is not a pure compilation of a text: an environment
with Jinja's optimizer on (constant folding calls filters at compile time), an already parsed template, a request
for the generated Python source, ansible-core's template debugging, and a template that does not compile (its error
is raised anew each time). tests/ansible_playbook_cached.py installs it for the test suite's ansible-playbook runs,
on the ansible-core releases whose templating it knows (``install``); the demo and the real ``ansible-playbook``
compile every template.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys

FORMAT = 1  # of a kept file, part of its key: (the filters' and tests' resolution, the code object), marshalled
# the environment settings Jinja's lexer and code generator read, besides the ones compared by value below
LEXER_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string", "comment_start_string",
    "comment_end_string", "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline",
)

_installed = []


def _kind(obj):
    return None if obj is None else "%s.%s" % (type(obj).__module__, type(obj).__qualname__)


def environment_settings(env):
    """What of ``env`` Jinja's compilation reads, besides the filters and tests a template names."""
    from jinja2 import __version__ as jinja_version  # pylint: disable=import-outside-toplevel
    from jinja2.utils import _PassArg  # pylint: disable=import-outside-toplevel

    finalize = getattr(env, "finalize", None)
    return (
        FORMAT, jinja_version, sys.version, _kind(env), repr(env.code_generator_class), _kind(env.lexer),
        tuple(getattr(env, name) for name in LEXER_SETTINGS), tuple(sorted(env.extensions)), env.is_async,
        finalize is not None, finalize is not None and str(_PassArg.from_obj(finalize)),
        callable(env.autoescape) or bool(env.autoescape), getattr(env, "sandboxed", False),
    )


def resolution(env, names):
    """How each (kind, name) of a template's filters and tests resolves in ``env``: what Jinja's code generator asks
    of each (whether it exists, and what it is passed)."""
    from jinja2.utils import _PassArg  # pylint: disable=import-outside-toplevel

    found = []
    for kind, name in names:
        plugins = env.filters if kind == "filter" else env.tests
        try:
            func = plugins.get(name)
        except Exception:  # pylint: disable=broad-exception-caught
            func = None  # the compilation does not find it either
        found.append((kind, name, func is not None, func is not None and str(_PassArg.from_obj(func))))
    return tuple(found)


def named_plugins(env, source, name, filename):
    """The (kind, name) of every filter and test the template names (it compiled, so it parses)."""
    from jinja2 import nodes  # pylint: disable=import-outside-toplevel

    tree = env._parse(source, name, filename)  # pylint: disable=protected-access
    return tuple(sorted({("filter", node.name) for node in tree.find_all(nodes.Filter)}
                        | {("test", node.name) for node in tree.find_all(nodes.Test)}))


def remembering_compile(compile_, directory, context=lambda env: (), stand_aside=lambda env: False):
    """``compile_`` (``jinja2.Environment.compile``) with a memo in ``directory``. ``context(env)`` adds what else
    the compilation depends on (ansible-core's compile-time settings); ``stand_aside(env)`` true compiles as usual."""
    from module_server import write_whole  # pylint: disable=import-outside-toplevel

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # pylint: disable=redefined-builtin
        if raw or not isinstance(source, str) or self.optimized or stand_aside(self):
            return compile_(self, source, name, filename, raw, defer_init)
        text = str(source)
        key = repr((environment_settings(self), context(self), text, name, filename, defer_init))
        kept = os.path.join(directory, "jinja-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest())
        try:
            with open(kept, "rb") as handle:
                found, code = marshal.loads(handle.read())
            if resolution(self, tuple(entry[:2] for entry in found)) == found:
                return code
        except (OSError, EOFError, ValueError, TypeError):
            pass  # none kept yet, or a file cut short: compile
        code = compile_(self, source, name, filename, raw, defer_init)
        found = resolution(self, named_plugins(self, text, name, filename))
        write_whole(kept, marshal.dumps((found, code)))
        return code

    return compile


def install(directory):
    """Put the memo in front of Jinja's compilation for this process and the workers it forks (once), on an
    ansible-core whose templating this file knows (2.19 and later); True when installed."""
    if _installed:
        return True
    try:
        from ansible._internal._templating import _jinja_bits  # pylint: disable=import-outside-toplevel
    except ImportError:  # ansible-core 2.18 and older template differently: their runs compile every template
        return False
    if not all(hasattr(_jinja_bits, name) for name in ("_TemplateCompileContext", "_TemplateConfig")):
        return False  # a release whose compile-time settings this file does not know
    from jinja2 import environment  # pylint: disable=import-outside-toplevel

    def context(_env):
        # escape_backslashes changes how the lexer reads string constants; allow_embedded_templates how constants
        # that look like templates are compiled
        compiling = _jinja_bits._TemplateCompileContext.current(optional=True)  # pylint: disable=protected-access
        settings = _jinja_bits._TemplateConfig  # pylint: disable=protected-access
        return compiling is not None and compiling.escape_backslashes, getattr(settings, "allow_embedded_templates", None)

    def stand_aside(env):
        return getattr(env, "_debuggable_template_source", False)

    os.makedirs(directory, mode=0o700, exist_ok=True)
    _installed.append(environment.Environment.compile)
    environment.Environment.compile = remembering_compile(environment.Environment.compile, directory, context, stand_aside)
    return True
