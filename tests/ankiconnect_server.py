"""AnkiConnect's protocol (API version 6) over a real `anki` Collection, for tests.

The add-on needs the desktop app, so the tests speak to this instead: a real HTTP server on
127.0.0.1 whose actions do what the add-on's do (same names, parameters, replies and errors),
each through the real Anki library on a real collection file. Only the actions vocab uses are
here; any other answers with AnkiConnect's "unsupported action" error.
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from anki.collection import Collection

from anki_helpers import import_apkg


class AnkiConnectServer:
    """A running server on 127.0.0.1 (a free port) over the collection at `path`; a context
    manager that closes the collection (and so Anki's lock) on exit."""

    def __init__(self, path: str) -> None:
        self.col = Collection(path)
        # A running Anki has written to its collection (settings, the day's unburying): from the
        # first write on, it holds the file's exclusive lock.
        self.col.set_config("vocabTestServer", True)
        self.lock = threading.Lock()  # one action at a time, as the add-on runs them on Anki's main thread
        self.requests: list[dict] = []
        self.actions = None  # a file the served process logs each action to
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                if server.actions is not None:
                    server.actions.write(body["action"] + "\n")
                    server.actions.flush()
                with server.lock:
                    reply = server.handle(body)
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def __enter__(self) -> "AnkiConnectServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.col.close()

    def handle(self, body: dict) -> dict:
        """One request: {"result": …, "error": None} or {"result": None, "error": "…"}."""
        try:
            return {"result": self.act(body["action"], body.get("params", {})), "error": None}
        except Exception as exc:  # the add-on turns every exception into the error string
            return {"result": None, "error": str(exc)}

    def act(self, action: str, params: dict) -> object:
        col = self.col
        if action == "version":
            return 6
        if action == "multi":
            return [self.handle(a) for a in params["actions"]]
        if action == "modelNames":
            return [m.name for m in col.models.all_names_and_ids()]
        if action == "modelFieldNames":
            model = col.models.by_name(params["modelName"])
            if model is None:
                raise Exception(f"model was not found: {params['modelName']}")
            return [f["name"] for f in model["flds"]]
        if action == "findNotes":
            return list(col.find_notes(params["query"]))
        if action == "findCards":
            return list(col.find_cards(params["query"]))
        if action == "notesInfo":
            return [self.note_info(nid) for nid in params["notes"]]
        if action == "cardsInfo":
            return [self.card_info(cid) for cid in params["cards"]]
        if action == "updateNoteFields":
            note = col.get_note(params["note"]["id"])
            for name, value in params["note"]["fields"].items():
                if name in note:
                    note[name] = value
            col.update_note(note)
            return None
        if action == "importPackage":
            import_apkg(col, params["path"])  # Anki's importer, as the add-on runs it (this anki has no legacy one)
            return True
        raise Exception("unsupported action")

    def note_info(self, nid: int) -> dict:
        note = self.col.get_note(nid)
        model = note.note_type()
        return {"noteId": note.id, "modelName": model["name"], "tags": note.tags,
                "fields": {f["name"]: {"value": note.fields[f["ord"]], "order": f["ord"]} for f in model["flds"]},
                "cards": [c.id for c in note.cards()], "mod": note.mod}

    def card_info(self, cid: int) -> dict:
        card = self.col.get_card(cid)
        note = card.note()
        model = note.note_type()
        return {"cardId": card.id, "note": note.id, "modelName": model["name"], "ord": card.ord,
                "fields": {f["name"]: {"value": note.fields[f["ord"]], "order": f["ord"]} for f in model["flds"]},
                "interval": card.ivl, "type": int(card.type), "queue": int(card.queue), "due": card.due,
                "reps": card.reps, "lapses": card.lapses, "deckName": self.col.decks.name(card.did)}


@contextlib.contextmanager
def served(path: str | Path) -> Iterator[tuple[str, Path]]:
    """The server over the collection at `path` in another process, as Anki runs beside vocab
    (SQLite's locks only keep other processes out); yields its URL and the log of the actions
    it was sent, one a line. The collection is closed when the block ends."""
    log = Path(f"{path}.actions")
    process = subprocess.Popen([sys.executable, __file__, str(path), str(log)], stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), "the AnkiConnect test server did not start"
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _serve(path: str, log: str) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with AnkiConnectServer(path) as server, open(log, "a", encoding="utf-8") as actions:
        server.actions = actions
        print(server.url, flush=True)
        try:
            server.thread.join()
        finally:
            pass


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2])
