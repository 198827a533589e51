"""A colleague's console reduced to its socket, for the several-viewers benchmark's diagnostic run
(issue 21): it signs in, keeps /ws/console open (so the technician is Online and may be invited),
and acknowledges every screen update as soon as it arrives, drawing nothing. With it the lead's
latency shows what the gateway's fan-out costs, without the other browsers' decoding on the
same cores.

usage: ack-viewer.py GATEWAY_URL EMAIL PASSWORD
Prints SIGNED_IN once the socket is open, READY at the first screen update; runs until killed.
"""
import json
import sys
import urllib.request

import websocket

url, email, password = sys.argv[1:4]
login = urllib.request.Request(f"{url}/api/v1/auth/login", data=json.dumps({"email": email, "password": password}).encode(),
                               headers={"Content-Type": "application/json"})
token = json.load(urllib.request.urlopen(login))["token"]
socket = websocket.create_connection(url.replace("http", "ws", 1) + "/ws/console", header=[f"Authorization: Bearer {token}"])
print("SIGNED_IN", flush=True)
ready = False
while True:
    opcode, data = socket.recv_data()
    if opcode != websocket.ABNF.OPCODE_BINARY:
        continue
    length = data[0]
    session_id, frame = data[1:1 + length].decode(), data[1 + length:]
    # A screen update ("L", version, kind 1): acknowledge its sequence; pointer frames need none.
    if len(frame) >= 8 and frame[0] == 0x4C and frame[2] == 1:
        sequence = int.from_bytes(frame[4:8], "big")
        socket.send(json.dumps({"type": "frame_ack", "sessionId": session_id, "sequence": sequence}))
        if not ready:
            print("READY", flush=True)
            ready = True
