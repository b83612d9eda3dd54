"""The deck pushed straight into a running Anki, through AnkiConnect (JSON over HTTP, 127.0.0.1:8765).

What AnkiConnect cannot do is done the way the .apkg does it: AnkiConnect cannot set a note type's
or a deck's id, nor a note's GUID, so new notes go in as a package of only those notes
(`importPackage`), with vocab's note type id, templates and GUIDs: a later .apkg import, or push,
finds them again. Notes vocab made before (imported from an .apkg or pushed) are found by their
note type and identified by their Word and Reading fields, the two things their GUID is made
of; only their fields are changed (`updateNoteFields`, in `multi` batches), never their cards, so
the learner's scheduling stays as it is. Notes of other note types are never read or changed.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vocab.errors import VocabError
from vocab.output.cards import FIELDS, Card
from vocab.output.deck import MODEL_NAME

DEFAULT_URL = "http://127.0.0.1:8765"
API_VERSION = 6
BATCH = 500                     # notes per request: one request for a whole big deck can take minutes
TIMEOUT = 120.0                 # seconds: importing a big package takes Anki a while
MAX_RESPONSE_BYTES = 512 * 2**20
INSTALL_HINT = ("start Anki with the AnkiConnect add-on (in Anki: Tools → Add-ons → Get Add-ons…, "
                "code 2055492159, then restart Anki)")


class AnkiConnectUnreachable(VocabError):
    """Nothing answers AnkiConnect's protocol at the address."""


class AnkiConnect:
    """A client of AnkiConnect's API version 6."""

    def __init__(self, url: str | None = None, timeout: float = TIMEOUT) -> None:
        # VOCAB_ANKICONNECT_URL: AnkiConnect moved to another port (its webBindPort setting).
        self.url = url or os.environ.get("VOCAB_ANKICONNECT_URL") or DEFAULT_URL
        self.timeout = timeout

    def call(self, action: str, **params: object) -> object:
        """The result of one action; AnkiConnect's error is a VocabError naming the action."""
        reply = self._post(action, {"action": action, "version": API_VERSION, "params": params})
        if not isinstance(reply, dict) or "result" not in reply or "error" not in reply:
            raise AnkiConnectUnreachable(f"{self.url}: answers, but not as AnkiConnect does; {INSTALL_HINT}")
        if reply["error"] is not None:
            raise VocabError(f"AnkiConnect at {self.url}: {action} failed: {reply['error']}")
        return reply["result"]

    def multi(self, actions: Sequence[tuple[str, Mapping[str, object]]]) -> list[object]:
        """The results of several actions sent in one request (AnkiConnect's `multi`)."""
        replies = self.call("multi", actions=[{"action": a, "params": dict(p)} for a, p in actions])
        results = []
        for (action, _), reply in zip(actions, replies):  # type: ignore[call-overload]
            if isinstance(reply, dict) and reply.get("error") is not None:
                raise VocabError(f"AnkiConnect at {self.url}: {action} failed: {reply['error']}")
            results.append(reply.get("result") if isinstance(reply, dict) else reply)
        return results

    def _post(self, action: str, payload: dict[str, object]) -> object:
        import urllib.error
        import urllib.request

        # The JSON Content-Type: the add-on does not need it, headless implementations do.
        request = urllib.request.Request(self.url, json.dumps(payload).encode("utf-8"),
                                         {"Content-Type": "application/json"})
        # No proxy: AnkiConnect is on this machine, and an http_proxy setting must not divert it.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as exc:
            if action != "version" and exc.code >= 500:  # it answered before: this action failed in Anki
                raise VocabError(f"AnkiConnect at {self.url}: {action} failed (HTTP {exc.code}); "
                                 "see Anki's error message, then push again") from None
            raise AnkiConnectUnreachable(f"{self.url}: answered HTTP {exc.code}, not as AnkiConnect; {INSTALL_HINT}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise AnkiConnectUnreachable(f"AnkiConnect is not reachable at {self.url} ({reason}): {INSTALL_HINT}") from None
        try:
            return json.loads(body)
        except ValueError:
            raise AnkiConnectUnreachable(f"{self.url}: answers, but not with JSON; {INSTALL_HINT}") from None


@dataclass(frozen=True, slots=True)
class PushReport:
    """What a push did, note by note."""

    added: int
    updated: int
    unchanged: int


Identity = tuple[str, str]


def identity(fields: Mapping[str, str]) -> Identity:
    """A vocab note's identity: its Word and Reading as text (what its GUID is made of)."""
    return html.unescape(fields.get("Word", "")).strip(), html.unescape(fields.get("Reading", "")).strip()


def push(cards: Sequence[Card], client: AnkiConnect, *, timestamp: float) -> PushReport:
    """Send `cards` to the Anki behind `client`: add the new ones, update the fields of the ones
    vocab made before, leave the rest (and every card's scheduling) alone.

    Everything is checked before anything is sent (AnkiConnect reachable, vocab's note type as
    this vocab writes it); then new notes go in as one package, and changed ones in batches."""
    client.call("version")  # reachable at all: else nothing is sent
    existing = vocab_notes(client)
    new: list[Card] = []
    changed: list[tuple[int, dict[str, str]]] = []
    unchanged = 0
    for card in cards:
        fields = dict(zip(FIELDS, card.fields))
        found = existing.get(identity(fields))
        if found is None:
            new.append(card)
        elif found[1] != fields:
            changed.append((found[0], fields))
        else:
            unchanged += 1
    if new:
        _import_new(client, new, timestamp)
    for batch in _batches(changed):
        client.multi([("updateNoteFields", {"note": {"id": nid, "fields": fields}}) for nid, fields in batch])
    return PushReport(len(new), len(changed), unchanged)


def vocab_notes(client: AnkiConnect) -> dict[Identity, tuple[int, dict[str, str]]]:
    """Identity → (note id, fields) of every note of vocab's note type; the oldest note wins
    where two share an identity. Checks the note type has vocab's fields (VocabError if not)."""
    if MODEL_NAME not in client.call("modelNames"):  # type: ignore[operator]
        return {}
    names = client.call("modelFieldNames", modelName=MODEL_NAME)
    missing = [name for name in FIELDS if name not in names]  # type: ignore[operator]
    if missing:
        raise VocabError(f"AnkiConnect at {client.url}: the note type {MODEL_NAME!r} in Anki lacks the fields "
                         f"{', '.join(missing)}: rename it in Anki (Tools → Manage Note Types), then push again")
    note_ids = sorted(client.call("findNotes", query=f'"note:{MODEL_NAME}"'))  # type: ignore[arg-type]
    found: dict[Identity, tuple[int, dict[str, str]]] = {}
    for batch in _batches(note_ids):
        for info in client.call("notesInfo", notes=list(batch)):  # type: ignore[union-attr]
            if not info or info.get("modelName") != MODEL_NAME:
                continue
            fields = {name: value["value"] for name, value in info["fields"].items()}
            found.setdefault(identity(fields), (info["noteId"], fields))
    return found


def _import_new(client: AnkiConnect, cards: Sequence[Card], timestamp: float) -> None:
    """Import `cards` into Anki as an .apkg of only them: vocab's note type and deck ids, its
    templates and the notes' GUIDs, as a downloaded deck would bring them."""
    from vocab.output.deck import build_deck
    from vocab.output.export import write_apkg

    try:
        folder = tempfile.TemporaryDirectory(prefix="vocab-push-")
    except OSError as exc:
        raise VocabError(f"no usable temporary folder to stage the push ({exc.strerror or exc}); "
                         "set TMPDIR to a writable folder") from None
    with folder as name:
        package = Path(name) / "vocab-push.apkg"
        write_apkg(build_deck(cards), package, timestamp=timestamp)
        # AnkiConnect reads the file itself: an absolute path, on this machine.
        client.call("importPackage", path=str(package.resolve()))


def _batches(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
