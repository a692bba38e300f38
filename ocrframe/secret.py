"""Secrets (tokens, secret keys, passwords) that never show themselves and never travel in clear.

A :class:`Secret` gives ``'***'`` as its ``repr`` and ``str``; :meth:`Secret.reveal` gives the
value to the one place that needs it (a signature, a header). Pickling is where a secret
could leak (process pools and Dask workers receive the backend pickled), so:

- a secret read from the environment or a credentials file remembers where it came from
  and is pickled as that *source*: the worker re-reads it from its own environment or file;
- a secret given in code is not pickled at all (:class:`pickle.PicklingError` naming the
  ways out), unless it was created with ``share=True`` (an explicit opt-in: the value then
  crosses to the worker in clear, as pickles do).

Examples
--------
>>> s = Secret("hunter2")
>>> s, f"{s}", s.reveal()
(Secret('***'), '***', 'hunter2')
>>> import pickle
>>> pickle.dumps(s)
Traceback (most recent call last):
...
_pickle.PicklingError: a secret given in code is not sent to another process in clear; give it through the environment or a credentials file (each worker re-reads it), or opt in with share_secrets=True
>>> pickle.loads(pickle.dumps(Secret("hunter2", share=True))).reveal()
'hunter2'
>>> import os; os.environ["OCRFRAME_DOCTEST_SECRET"] = "from-env"
>>> e = Secret.from_env("OCRFRAME_DOCTEST_SECRET")
>>> b"from-env" in pickle.dumps(e), pickle.loads(pickle.dumps(e)).reveal()
(False, 'from-env')
"""

from __future__ import annotations

import configparser
import os
import pickle
import re
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

__all__ = ["Secret", "read_credentials_file", "scrub", "strip_userinfo"]

_REFUSE = ("a secret given in code is not sent to another process in clear; give it through the environment "
           "or a credentials file (each worker re-reads it), or opt in with share_secrets=True")


class Secret:
    """A string that never shows itself; see the module docstring for how it pickles.

    Parameters
    ----------
    value : str
    share : bool, default False
        Allow pickling the value in clear (process pools, Dask workers).
    source : tuple, optional
        Where the value was read: ``("env", NAME)`` or ``("file", PATH, SECTION, KEY)``;
        a pickled secret carries only this, and the receiving process reads it again.
    """

    __slots__ = ("_value", "_share", "_source")

    def __init__(self, value: str, *, share: bool = False, source: tuple | None = None):
        self._value = None if value is None else str(value)
        self._share = bool(share)
        self._source = source

    @classmethod
    def from_env(cls, name: str, environ: Mapping[str, str] | None = None) -> "Secret | None":
        """The variable ``name`` as a secret that workers re-read (None when unset or empty)."""
        value = (os.environ if environ is None else environ).get(name)
        if not value:
            return None
        return cls(value, source=("env", name) if environ is None or environ is os.environ else None)

    @classmethod
    def from_file(cls, path: str, section: str, key: str) -> "Secret | None":
        """``key`` of ``[section]`` in an INI credentials file, as a secret workers re-read."""
        value = read_credentials_file(path, section).get(key)
        return cls(value, source=("file", os.path.abspath(path), section, key)) if value else None

    def reveal(self) -> str:
        """The value (for the one place that sends it)."""
        if self._value is None:
            self._value = _read_source(self._source)
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __bool__(self) -> bool:
        return bool(self._value) or self._source is not None

    def __eq__(self, other) -> bool:
        return isinstance(other, Secret) and other.reveal() == self.reveal()

    def __hash__(self) -> int:
        return hash(("Secret", self.reveal()))

    def __copy__(self) -> "Secret":
        return self

    def __deepcopy__(self, memo) -> "Secret":
        return self

    def __reduce__(self):
        if self._source is not None:
            return (_from_source, (self._source,))
        if self._share:
            return (_shared, (self._value,))
        raise pickle.PicklingError(_REFUSE)


def _shared(value: str) -> Secret:
    return Secret(value, share=True)


def _from_source(source: tuple) -> Secret:
    return Secret(None, source=source)  # read on first use, in the receiving process


def _read_source(source: tuple | None) -> str:
    if source is None:
        raise ValueError("this secret has no value")
    if source[0] == "env":
        value = os.environ.get(source[1])
        if not value:
            raise ValueError(f"the environment variable {source[1]} is not set in this process "
                             "(the secret is re-read by every worker)")
        return value
    if source[0] == "file":
        _, path, section, key = source
        value = read_credentials_file(path, section).get(key)
        if not value:
            raise ValueError(f"{key} is missing from [{section}] of {path} in this process")
        return value
    raise ValueError(f"unknown secret source {source[0]!r}")


def read_credentials_file(path: str, section: str) -> dict[str, Any]:
    """The keys of ``[section]`` in an INI file (the official SDK's credentials file format:
    ``[basic]`` with ``ak``, ``sk``, ``project_id``, ``security_token``...)."""
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(path, encoding="utf-8"):
        raise ValueError(f"credentials file {path} does not exist or cannot be read")
    if not parser.has_section(section):
        raise ValueError(f"credentials file {path} has no [{section}] section")
    return dict(parser.items(section))


# --------------------------------------------------------------------------- in messages and URLs

_USERINFO = re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+@")


def scrub(text: str, secrets: Iterable[Any]) -> str:
    """``text`` with every secret value (of 4+ characters) and URL password replaced by ``***``.

    Examples
    --------
    >>> scrub("ProxyError: http://bob:pa55@proxy:3128 refused hunter2-long", ["hunter2-long"])
    'ProxyError: http://***@proxy:3128 refused ***'
    """
    text = _USERINFO.sub("***@", text)
    for s in secrets:
        try:
            v = s.reveal() if isinstance(s, Secret) else s
        except ValueError:  # a sourced secret not available in this process: nothing to scrub
            continue
        if v and len(v) >= 4:
            text = text.replace(v, "***")
    return text


def strip_userinfo(url: str) -> str:
    """The URL without ``user:password@`` (for identities, reprs and messages)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
