"""One gateway node against three on one PostgreSQL (issue 20), from outside, speaking only the
documented protocols. For each topology and each number of live sessions it prints:
  1. join -> Waiting on the technician's console (p50/p99): the customer joins through the next
     node round the ring, the technician's console is on another one;
  2. queue update across nodes (p50/p99): from the applet's welcome (the serving node changed the
     session) to the console on another node showing it Waiting;
  3. chat console -> applet (p50/p99) with every session chatting once a second, the console on
     another node than the one serving the session;
then, on three nodes, failover over `--kills` runs: `kill -9` of the node serving a session whose
applet reconnects at once to the next node; the time from the kill until a chat line the console
sent after it reaches the applet. The killed node is started again each time (same data folder,
so the same node id) and takes nothing back.
"""

import argparse
import asyncio
import json
import os
import shutil
import signal
import time

from load import CUSTOMER, Console, Gateway, chat_every_second, describe, fresh_database, join_applet, percentile


class Node(Gateway):
    """A gateway node of a cluster: the shared database, its own data folder and address, and the
    first node's identity key (docs/operations.md, adding a node)."""

    def __init__(self, binary, database_url, identity_from=None):
        super().__init__(binary, None)
        self.database = database_url
        self.identity_from = identity_from

    async def __aenter__(self):
        if self.identity_from:
            shutil.copy(os.path.join(self.identity_from.folder, "gateway-identity.key"), self.folder)
        os.environ["LIFELINE_NODE_ADDRESS"] = f"http://127.0.0.1:{self.port}"
        try:
            return await super().__aenter__()
        finally:
            del os.environ["LIFELINE_NODE_ADDRESS"]

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    async def restart(self):
        self.log.close()
        await self.http.close()
        await self.__aenter__()


async def start_cluster(binary, server, count):
    database = fresh_database(server)
    first = await Node(binary, database).__aenter__()
    nodes = [first] + [await Node(binary, database, identity_from=first).__aenter__() for _ in range(count - 1)]
    await asyncio.sleep(3)  # a heartbeat or two: every node knows the others
    return nodes


async def stop_cluster(nodes):
    for node in nodes:
        await node.__aexit__(None, None, None)


async def live_phase(nodes, live, seconds):
    n = len(nodes)
    print(f"\n== {n} node{'s' if n > 1 else ''}, {live} live sessions")
    per_technician = 10
    tokens = await nodes[0].technicians((live + per_technician - 1) // per_technician)
    consoles = []
    for index, token in enumerate(tokens):
        consoles.append(Console(await nodes[index % n].socket("/ws/console", token).__aenter__()))
    joins, updates, sessions = [], [], []
    semaphore = asyncio.Semaphore(16)
    sent, latencies = {}, []

    def received(text):
        started = sent.pop(text, None)
        if started is not None:
            latencies.append(time.monotonic() - started)

    async def one(index):
        technician = index // per_technician
        console_node, applet_node = nodes[technician % n], nodes[(technician + 1) % n]
        async with semaphore:
            created = await console_node.call("POST", "/api/v1/sessions", tokens[technician], {"name": f"Live {index}", "method": "pin"})
            shown = consoles[technician].expect(created["id"], "waiting")
            began = time.monotonic()
            socket, task, session_id = await join_applet(applet_node, created["pin"], received)
            welcomed = time.monotonic()
            seen = await asyncio.wait_for(shown, 30)
            joins.append(seen - began)
            updates.append(max(0.0, seen - welcomed))
            active = consoles[technician].expect(session_id, "active")
            await consoles[technician].send({"type": "command", "sessionId": session_id, "command": "start"})
            await asyncio.wait_for(active, 30)
            sessions.append((consoles[technician], session_id, socket, task))

    await asyncio.gather(*(one(index) for index in range(live)))
    print(f"  join -> Waiting on a console elsewhere: {describe(joins)}")
    print(f"  queue update, serving node -> another node's console: {describe(updates)}")
    cpu_before = sum(node.cpu_seconds() for node in nodes)

    began = time.monotonic()
    await asyncio.gather(*(chat_every_second(console, session_id, index / live, seconds, sent)
                           for index, (console, session_id, _, _) in enumerate(sessions)))
    await asyncio.sleep(2)
    elapsed = time.monotonic() - began
    cpu = sum(node.cpu_seconds() for node in nodes) - cpu_before
    print(f"  chat console -> applet: {describe(latencies)}; lost {len(sent)}; CPU of all nodes {cpu / elapsed * 100:.0f} % of a core")
    for _, _, socket, task in sessions:
        task.cancel()
        await socket.close()
    for console in consoles:
        console.task.cancel()
        await console.socket.close()


class ReconnectingApplet:
    """The customer's applet, reconnecting with its token the moment its socket drops, each time
    to the next node round the ring (as a load balancer that skips a dead node would)."""

    def __init__(self, nodes, token, start):
        self.nodes, self.token, self.next = nodes, token, start
        self.lines = asyncio.Queue()
        self.task = asyncio.create_task(self.run())

    async def run(self):
        while True:
            node = self.nodes[self.next % len(self.nodes)]
            self.next += 1
            try:
                async with node.socket("/ws/applet") as socket:
                    await socket.send(json.dumps({"v": 1, "type": "hello", "token": self.token, "appletVersion": "load",
                                                  "customer": CUSTOMER}))
                    async for frame in socket:
                        if isinstance(frame, str):
                            message = json.loads(frame)
                            if message.get("type") == "chat":
                                self.lines.put_nowait((message["entry"]["text"], time.monotonic()))
            except Exception:  # a dead node refuses, a live one closes a moved session: try the next one
                await asyncio.sleep(0.2)


async def failover_phase(nodes, kills):
    print(f"\n== Failover on {len(nodes)} nodes: kill -9 of the serving node, {kills} times")
    [token] = await nodes[0].technicians(1)
    times = []
    for run in range(kills):
        victim = run % len(nodes)
        console_node = nodes[(victim + 1) % len(nodes)]
        console = Console(await console_node.socket("/ws/console", token).__aenter__())
        created = await console_node.call("POST", "/api/v1/sessions", token, {"name": f"Failover {run}", "method": "pin"})
        joined = await nodes[victim].call("POST", "/api/v1/customer/join", body={"pin": created["pin"]})
        applet = ReconnectingApplet(nodes, joined["appletToken"], victim)
        await asyncio.wait_for(console.expect(created["id"], "waiting"), 30)
        active = console.expect(created["id"], "active")
        await console.send({"type": "command", "sessionId": created["id"], "command": "start"})
        await asyncio.wait_for(active, 30)
        await asyncio.sleep(1)
        killed_at = time.monotonic()
        nodes[victim].kill()
        sequence = 0
        delivered = None
        while delivered is None and time.monotonic() - killed_at < 60:
            text = f"after the kill {run}.{sequence}"
            sequence += 1
            await console.send({"type": "chat", "sessionId": created["id"], "text": text})
            try:
                while True:
                    line, at = await asyncio.wait_for(applet.lines.get(), 0.2)
                    if line.startswith(f"after the kill {run}."):
                        delivered = at
                        break
            except asyncio.TimeoutError:
                pass
        times.append((delivered or float("inf")) - killed_at)
        print(f"  run {run + 1}: chat reached the applet again {times[-1]:.1f} s after the kill")
        applet.task.cancel()
        console.task.cancel()
        await console.socket.close()
        await nodes[victim].restart()
        await asyncio.sleep(3)
    print(f"  failover, kill -9 -> chat delivered again: p50 {percentile(times, 0.5):.1f} s, max {max(times):.1f} s (n={len(times)})")


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="lifeline-server to load (a release build)")
    parser.add_argument("--database", required=True, help="postgres://… of a PostgreSQL server (a fresh database is made)")
    parser.add_argument("--live", default="500,1500", help="live sessions for each run, comma-separated")
    parser.add_argument("--seconds", type=int, default=20, help="how long every session chats")
    parser.add_argument("--kills", type=int, default=10, help="failovers to time (0: none)")
    parser.add_argument("--nodes", default="1,3", help="topologies for the live runs, comma-separated")
    arguments = parser.parse_args()
    for count in [int(value) for value in arguments.nodes.split(",")]:
        for live in [int(value) for value in arguments.live.split(",")]:
            nodes = await start_cluster(arguments.binary, arguments.database, count)
            try:
                await live_phase(nodes, live, arguments.seconds)
            finally:
                await stop_cluster(nodes)
    if arguments.kills == 0:
        return
    nodes = await start_cluster(arguments.binary, arguments.database, 3)
    try:
        await failover_phase(nodes, arguments.kills)
    finally:
        await stop_cluster(nodes)


if __name__ == "__main__":
    asyncio.run(main())
