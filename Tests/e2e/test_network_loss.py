"""The applet process loses its network: a TCP relay between applet and gateway is cut, then restored."""
import socket
import threading
import time

from conftest import free_port


class Relay:
    """Forwards 127.0.0.1:port to the gateway; `cut()` drops every connection and refuses new ones."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self.open = True
        self.connections = []
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pump(source, destination):
        try:
            while data := source.recv(65536):
                destination.sendall(data)
        except OSError:
            pass
        for end in (source, destination):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        self.open = False
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.connections = []

    def restore(self):
        self.open = True

    def close(self):
        self.cut()
        self.listener.close()


def test_network_loss_shows_reconnecting_and_the_session_comes_back(gateway, applets):
    relay = Relay(gateway.port)
    try:
        token = gateway.login()
        session = gateway.api("POST", "sessions", {"name": "Kim", "method": "pin"}, token=token, expect=201)[1]
        applet = applets(f"http://127.0.0.1:{relay.port}", "--pin", session["pin"], max_backoff=1)
        applet.expect("WELCOME", "state=waiting")
        gateway.api("POST", f"sessions/{session['id']}/start", token=token, expect=200)
        gateway.api("POST", f"sessions/{session['id']}/hold", token=token, expect=200)
        applet.expect("STATUS", "on_hold")

        relay.cut()
        gateway.wait_for_state(session["id"], "reconnecting", token)
        applet.expect("RECONNECTING")
        time.sleep(1.5)
        relay.restore()
        applet.expect("WELCOME", "state=on_hold", timeout=20)
        gateway.wait_for_state(session["id"], "on_hold", token)
        states = [e["state"] for e in gateway.api("GET", f"sessions/{session['id']}/log", token=token)[1] if e.get("state")]
        assert states[-2:] == ["reconnecting", "on_hold"], "back to the state it came from"
    finally:
        relay.close()
