"""Load on one gateway, from outside, speaking only the documented protocols (docs/openapi.yaml,
docs/protocol.md): no code of the gateway's is used.

It starts a fresh `lifeline-server` for each phase and prints:
  1. PIN join -> the technician's console shows Waiting: p50/p99 as the waiting applets grow to N,
     and the gateway's memory per idle connected applet;
  2. chat line console -> applet: p50/p99 with M active sessions, each chatting once a second;
  3. screen-frame relay: frames/s and MB/s from one applet through the gateway to its console;
with the gateway's RSS and CPU for each phase.
"""

import argparse
import asyncio
import json
import os
import random
import struct
import subprocess
import tempfile
import time

import aiohttp
import websockets

ADMIN_EMAIL = "load@lifeline.test"
ADMIN_PASSWORD = "a long load-test password"
PERMISSIONS = ["start_private_sessions", "connect_by_pin", "chat", "hold_sessions", "remote_control", "desktop_view"]
CUSTOMER = {"hostname": "load-pc", "user": "load", "platform": "Linux x86_64", "privileged": False}


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def describe(values):
    return f"p50 {percentile(values, 0.5) * 1000:.1f} ms, p99 {percentile(values, 0.99) * 1000:.1f} ms (n={len(values)})"


def fresh_database(server):
    """A new, empty database on the PostgreSQL server `server` names (psql from Debian's
    postgresql-client; libpq reads the same URL, `?host=/socket/dir` included)."""
    name = f"load_{os.getpid()}_{random.randint(0, 10**9)}"
    subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {name}"], check=True)
    head, _, query = server.partition("?")
    return head.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


class Gateway:
    """A fresh gateway process on a free port, with its own data folder (and database)."""

    def __init__(self, binary, database):
        self.binary = binary
        self.database = fresh_database(database) if database else None
        self.folder = tempfile.mkdtemp(prefix="lifeline-load-")
        self.port = random.randint(20000, 40000)
        self.process = None

    async def __aenter__(self):
        environment = dict(os.environ, LIFELINE_ADMIN_EMAIL=ADMIN_EMAIL, LIFELINE_ADMIN_PASSWORD=ADMIN_PASSWORD,
                           LIFELINE_LOG_LEVEL="error")
        # Every simulated customer connects from 127.0.0.1: lift the per-address cap for the run.
        arguments = [self.binary, "--port", str(self.port), "--data-dir", self.folder, "--max-connections-per-address", "100000"]
        if self.database:
            arguments += ["--database", self.database]
        self.log = open(os.path.join(self.folder, "gateway.log"), "w")
        self.process = subprocess.Popen(arguments, env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        self.http = aiohttp.ClientSession(base_url=f"http://127.0.0.1:{self.port}",
                                          connector=aiohttp.TCPConnector(limit=64))
        for _ in range(300):
            try:
                async with self.http.get("/api/v1/health") as reply:
                    if reply.status == 200:
                        return self
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError("the gateway did not start; see " + self.log.name)

    async def __aexit__(self, *exc):
        await self.http.close()
        began = time.monotonic()
        self.process.terminate()
        try:
            await asyncio.to_thread(self.process.wait, 120)
            print(f"  gateway stopped {time.monotonic() - began:.1f} s after SIGTERM")
        except subprocess.TimeoutExpired:
            self.process.kill()
            print("  gateway still running 120 s after SIGTERM: killed")
        self.log.close()

    def rss_kb(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def call(self, method, path, token=None, body=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self.http.request(method, path, json=body, headers=headers) as reply:
            text = await reply.text()
            if reply.status >= 300:
                raise RuntimeError(f"{method} {path}: {reply.status} {text[:200]}")
            return json.loads(text) if text else None

    async def login(self, email, password):
        return (await self.call("POST", "/api/v1/auth/login", body={"email": email, "password": password}))["token"]

    async def technicians(self, count):
        """`count` technicians in one group with the permissions the load needs; their tokens."""
        admin = await self.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        group = await self.call("POST", "/api/v1/admin/groups", admin, {"name": "Load", "permissions": PERMISSIONS})
        tokens = []
        for index in range(count):
            email = f"tech{index}@load.test"
            await self.call("POST", "/api/v1/admin/technicians", admin, {
                "email": email, "name": f"Tech {index}", "password": ADMIN_PASSWORD, "groupId": group["id"]})
            tokens.append(await self.login(email, ADMIN_PASSWORD))
        return tokens

    def socket(self, path, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else None
        return websockets.connect(f"ws://127.0.0.1:{self.port}{path}", additional_headers=headers,
                                  max_size=8 * 1024 * 1024, ping_interval=None, open_timeout=30)


class Console:
    """A technician's console socket; wakes waiters when a session reaches a state."""

    def __init__(self, socket):
        self.socket = socket
        self.waiters = {}
        self.frames = 0
        self.frame_bytes = 0
        self.task = asyncio.create_task(self.read())

    def expect(self, session_id, state):
        future = asyncio.get_running_loop().create_future()
        self.waiters[(session_id, state)] = future
        return future

    async def read(self):
        async for frame in self.socket:
            if isinstance(frame, bytes):
                self.frames += 1
                self.frame_bytes += len(frame)
                continue
            message = json.loads(frame)
            if message.get("type") == "session":
                session = message["session"]
                future = self.waiters.pop((session["id"], session["state"]), None)
                if future and not future.done():
                    future.set_result(time.monotonic())

    async def send(self, message):
        await self.socket.send(json.dumps(dict(message, v=1)))


async def join_applet(gateway, pin, on_chat=None):
    """The customer's side: join with the PIN, open the applet socket, say hello."""
    joined = await gateway.call("POST", "/api/v1/customer/join", body={"pin": pin})
    socket = await gateway.socket("/ws/applet").__aenter__()
    await socket.send(json.dumps({"v": 1, "type": "hello", "token": joined["appletToken"], "appletVersion": "load",
                                  "customer": CUSTOMER}))
    welcome = json.loads(await socket.recv())
    if welcome.get("type") != "welcome":
        raise RuntimeError(f"no welcome: {welcome}")

    async def read():
        async for frame in socket:
            if on_chat and isinstance(frame, str):
                message = json.loads(frame)
                if message.get("type") == "chat":
                    on_chat(message["entry"]["text"])

    return socket, asyncio.create_task(read()), joined["sessionId"]


async def waiting_phase(binary, database, count, concurrency, probes=200):
    """Fills the gateway with waiting applets (`concurrency` joins at a time) and, each time another
    quarter is held, times `probes` joins made one at a time: the latency a customer sees then."""
    print(f"\n== Phase 1: {count} customers join by PIN and wait ({'PostgreSQL' if database else 'SQLite'})")
    async with Gateway(binary, database) as gateway:
        [token] = await gateway.technicians(1)
        console = Console(await gateway.socket("/ws/console", token).__aenter__())
        semaphore = asyncio.Semaphore(concurrency)
        milestones = sorted({max(1, count * quarter // 4) for quarter in range(1, 5)})
        total = count + probes * len(milestones)

        async def create():
            async with semaphore:
                created = await gateway.call("POST", "/api/v1/sessions", token, {"name": "Load", "method": "pin"})
                return created["id"], created["pin"]

        sessions = list(await asyncio.gather(*(create() for _ in range(total))))
        rss_before, cpu_before = gateway.rss_kb(), gateway.cpu_seconds()
        applets, held, all_probes = [], 0, []

        async def join(session_id, pin):
            shown = console.expect(session_id, "waiting")
            started = time.monotonic()
            socket, task, _ = await join_applet(gateway, pin)
            applets.append((socket, task))
            return await asyncio.wait_for(shown, 30) - started

        async def limited(session):
            async with semaphore:
                return await join(*session)

        began = time.monotonic()
        for milestone in milestones:
            batch = [sessions.pop() for _ in range(milestone - held)]
            filled = time.monotonic()
            await asyncio.gather(*(limited(session) for session in batch))
            rate = len(batch) / (time.monotonic() - filled)
            held = milestone
            waiting = len(applets)
            timed = [await join(*sessions.pop()) for _ in range(probes)]
            all_probes += timed
            print(f"  {waiting:>6} waiting (filled at {rate:.0f} joins/s): join -> Waiting on the console, one at a time: {describe(timed)}")
        elapsed = time.monotonic() - began
        await asyncio.sleep(2)
        rss_after = gateway.rss_kb()
        cpu = gateway.cpu_seconds() - cpu_before
        connected = len(applets)
        print(f"  gateway: RSS {rss_before / 1024:.0f} -> {rss_after / 1024:.0f} MB with {connected} applets, "
              f"{(rss_after - rss_before) / connected:.1f} KB per idle connected applet; CPU {cpu:.1f} s over {elapsed:.0f} s")
        # The gateway stops with every applet still connected (a deploy on a busy day).
        for _, task in applets:
            task.cancel()
        return all_probes


async def chat_every_second(console, session_id, offset, seconds, sent):
    """One chat line a second from the console for `seconds`, after `offset`; each line's send time in `sent`."""
    await asyncio.sleep(offset)
    for line in range(seconds):
        text = f"line {line} of {session_id}"
        sent[text] = time.monotonic()
        await console.send({"type": "chat", "sessionId": session_id, "text": text})
        await asyncio.sleep(1)


async def chat_phase(binary, database, active, seconds):
    print(f"\n== Phase 2: {active} active sessions, each chatting once a second for {seconds} s ({'PostgreSQL' if database else 'SQLite'})")
    async with Gateway(binary, database) as gateway:
        per_technician = 10
        tokens = await gateway.technicians((active + per_technician - 1) // per_technician)
        consoles = [Console(await gateway.socket("/ws/console", token).__aenter__()) for token in tokens]
        sent = {}
        latencies = []

        def received(text):
            started = sent.pop(text, None)
            if started is not None:
                latencies.append(time.monotonic() - started)

        sessions = []
        for index in range(active):
            console, token = consoles[index // per_technician], tokens[index // per_technician]
            created = await gateway.call("POST", "/api/v1/sessions", token, {"name": f"Chat {index}", "method": "pin"})
            socket, task, session_id = await join_applet(gateway, created["pin"], received)
            shown = console.expect(session_id, "active")
            await console.send({"type": "command", "sessionId": session_id, "command": "start"})
            await asyncio.wait_for(shown, 30)
            sessions.append((console, session_id, socket, task))
        rss_before, cpu_before = gateway.rss_kb(), gateway.cpu_seconds()

        began = time.monotonic()
        await asyncio.gather(*(chat_every_second(console, session_id, index / active, seconds, sent)
                               for index, (console, session_id, _, _) in enumerate(sessions)))
        await asyncio.sleep(2)
        elapsed = time.monotonic() - began
        cpu = gateway.cpu_seconds() - cpu_before
        print(f"  chat console -> applet: {describe(latencies)}; lost {len(sent)}")
        print(f"  gateway: RSS {gateway.rss_kb() / 1024:.0f} MB (was {rss_before / 1024:.0f}), CPU {cpu / elapsed * 100:.0f} % of a core")
        for _, _, socket, task in sessions:
            task.cancel()
            await socket.close()
        return latencies


def screen_frame(sequence, size):
    """A screen update as docs/protocol.md draws it: one JPEG-encoded tile of `size` bytes."""
    tile = struct.pack(">HHHHBI", 0, 0, 64, 64, 1, size) + os.urandom(size)
    return bytes([0x4C, 0x01, 0x01, 0x00]) + struct.pack(">IHHH", sequence, 1920, 1080, 1) + tile


async def relay_phase(binary, database, seconds, frame_size):
    print(f"\n== Phase 3: screen frames of {frame_size // 1024} KB from one applet to its console for {seconds} s")
    async with Gateway(binary, database) as gateway:
        [token] = await gateway.technicians(1)
        console = Console(await gateway.socket("/ws/console", token).__aenter__())
        created = await gateway.call("POST", "/api/v1/sessions", token, {"name": "Screen", "method": "pin"})
        socket, task, session_id = await join_applet(gateway, created["pin"])
        task.cancel()
        shown = console.expect(session_id, "active")
        await console.send({"type": "command", "sessionId": session_id, "command": "start"})
        await asyncio.wait_for(shown, 30)
        await console.send({"type": "remote_request", "sessionId": session_id, "mode": "control"})
        while True:
            message = json.loads(await socket.recv())
            if message.get("type") == "remote_request":
                break
        await socket.send(json.dumps({"v": 1, "type": "remote_answer", "accepted": True}))
        await asyncio.sleep(0.5)
        frame = screen_frame(1, frame_size)
        cpu_before = gateway.cpu_seconds()
        began = time.monotonic()
        sent = 0
        while time.monotonic() - began < seconds:
            await socket.send(frame)
            sent += 1
        await asyncio.sleep(1)
        elapsed = time.monotonic() - began
        cpu = gateway.cpu_seconds() - cpu_before
        print(f"  sent {sent / elapsed:.0f} frames/s; delivered {console.frames / elapsed:.0f} frames/s, "
              f"{console.frame_bytes / elapsed / 1e6:.1f} MB/s; gateway CPU {cpu / elapsed * 100:.0f} % of a core")
        await socket.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="lifeline-server to load (a release build)")
    parser.add_argument("--database", help="postgres://… for PostgreSQL; default the data folder's SQLite file")
    parser.add_argument("--waiting", type=int, default=8000)
    parser.add_argument("--active", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--frame-kb", type=int, default=100)
    parser.add_argument("--phases", default="1,2,3")
    arguments = parser.parse_args()
    phases = arguments.phases.split(",")
    if "1" in phases:
        await waiting_phase(arguments.binary, arguments.database, arguments.waiting, arguments.concurrency)
    if "2" in phases:
        await chat_phase(arguments.binary, arguments.database, arguments.active, arguments.seconds)
    if "3" in phases:
        await relay_phase(arguments.binary, arguments.database, min(arguments.seconds, 10), arguments.frame_kb * 1024)


if __name__ == "__main__":
    asyncio.run(main())
