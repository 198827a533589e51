"""A small HTTP proxy on loopback for the Calling Card's proxy setting (G3): CONNECT tunnels and
plain forwarding (absolute-form requests), Basic credentials required, every request recorded.
It targets 127.0.0.1 only and stops with the test."""
import base64
import select
import socket
import socketserver
import threading
from urllib.parse import urlsplit


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        proxy = self.server.proxy
        client = self.request
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
            if len(head) > 65536:
                return
        head, rest = head.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ", 2)
        headers = [line for line in lines[1:] if line]
        credentials = next((line.split(":", 1)[1].strip() for line in headers if line.lower().startswith("proxy-authorization:")), None)
        if credentials != proxy.expected:
            proxy.record(method, target, authorised=False)
            client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                           b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            return
        proxy.record(method, target, authorised=True)
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)), timeout=10)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
        else:
            url = urlsplit(target)
            upstream = socket.create_connection((url.hostname, url.port or 80), timeout=10)
            path = url.path or "/"
            if url.query:
                path += "?" + url.query
            kept = [line for line in headers if not line.lower().startswith(("proxy-", "connection:"))]
            upstream.sendall(f"{method} {path} {version}\r\n".encode("latin-1")
                             + "".join(f"{line}\r\n" for line in kept + ["Connection: close"]).encode("latin-1")
                             + b"\r\n" + rest)
        _relay(client, upstream, proxy)


def _relay(a, b, proxy):
    """Copies both ways until either side closes; counts what came down from the upstream."""
    sockets = [a, b]
    try:
        while True:
            readable, _, _ = select.select(sockets, [], [], 30)
            if not readable:
                return
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                (b if source is a else a).sendall(data)
                if source is b:
                    proxy.count_down(len(data))
    except OSError:
        return
    finally:
        b.close()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class HTTPProxy:
    """`with HTTPProxy("ann", "secret") as proxy:` — proxy.url, proxy.requests (method, target, authorised),
    proxy.bytes_down (relayed from the servers to the client)."""

    def __init__(self, username, password):
        self.expected = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        self.requests = []
        self.bytes_down = 0
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self.port = self._server.server_address[1]
        self.url = f"http://{username}:{password}@127.0.0.1:{self.port}"

    def record(self, method, target, authorised):
        with self._lock:
            self.requests.append((method, target, authorised))

    def count_down(self, count):
        with self._lock:
            self.bytes_down += count

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
