#!/usr/bin/env python3
"""tests/integration/fake_aisstream.py - a local stand-in for aisstream.io.

  convert IN.jsonl OUT.jsonl   orbat decode --format jsonl output (unscaled
                               AIS fields) -> aisstream JSON messages, the
                               field names and scaling of
                               shared/testdata/archives/aisstream/aisstream_type-definition.yaml
  serve PORTFILE LOG MSGS KEY BOXES PLAN DONE
                               a websocket server on 127.0.0.1 (RFC 6455,
                               standard library only). Each connection reads
                               the subscription, checks APIKey and
                               BoundingBoxes (BOXES: JSON), logs one line to
                               LOG, and does PLAN[i] (comma list; the last
                               entry repeats): ok (stream MSGS: text and
                               binary frames, one fragmented, plus a
                               malformed and an unsupported message, then
                               write DONE and hold), close (drop the TCP
                               connection), garbage (send a frame with a
                               reserved opcode). A wrong key gets aisstream's
                               {"error": ...} and a close. Exits after 120 s.
"""
import base64, hashlib, json, os, socket, struct, sys, threading, time

def go_time(ms):
    t = time.gmtime(ms // 1000)
    return time.strftime("%Y-%m-%d %H:%M:%S", t) + ".%06d +0000 UTC" % ((ms % 1000) * 1000)

def convert(src, dst):
    out = open(dst, "w")
    for line in open(src):
        d = json.loads(line)
        t = d["type"]
        base = {"MessageID": t, "RepeatIndicator": d["repeat"], "UserID": d["mmsi"], "Valid": True}
        dims = lambda: {"A": d["to_bow"], "B": d["to_stern"], "C": d["to_port"], "D": d["to_starboard"]}
        if t in (1, 2, 3):
            typ = "PositionReport"
            base.update(NavigationalStatus=d["status"], RateOfTurn=d["turn"], Sog=d["speed"] / 10,
                        PositionAccuracy=d["accuracy"], Longitude=d["lon"] / 600000,
                        Latitude=d["lat"] / 600000, Cog=d["course"] / 10, TrueHeading=d["heading"],
                        Timestamp=d["second"], SpecialManoeuvreIndicator=d["maneuver"], Spare=0,
                        Raim=d["raim"], CommunicationState=d["radio"])
        elif t == 5:
            typ = "ShipStaticData"
            eta = d["eta"]  # "MM-DDTHH:MMZ"
            base.update(AisVersion=d["ais_version"], ImoNumber=d["imo"], CallSign=d["callsign"],
                        Name=d["shipname"], Type=d["shiptype"], Dimension=dims(), FixType=d["epfd"],
                        Eta={"Month": int(eta[0:2]), "Day": int(eta[3:5]), "Hour": int(eta[6:8]),
                             "Minute": int(eta[9:11])},
                        MaximumStaticDraught=d["draught"] / 10, Destination=d["destination"],
                        Dte=bool(d["dte"]), Spare=False)
        elif t == 18:
            typ = "StandardClassBPositionReport"
            base.update(Sog=d["speed"] / 10, PositionAccuracy=d["accuracy"],
                        Longitude=d["lon"] / 600000, Latitude=d["lat"] / 600000,
                        Cog=d["course"] / 10, TrueHeading=d["heading"], Timestamp=d["second"],
                        ClassBUnit=d["cs"], ClassBDisplay=d["display"], ClassBDsc=d["dsc"],
                        ClassBBand=d["band"], AssignedMode=d.get("assigned", False),
                        Raim=d["raim"], CommunicationStateIsItdma=bool(d["radio"] >> 19),
                        CommunicationState=d["radio"] & 0x7FFFF)
        elif t == 24:
            typ = "StaticDataReport"
            if d["part"] == "A":
                base.update(Reserved=0, PartNumber=False, ReportA={"Valid": True, "Name": d["shipname"]},
                            ReportB={"Valid": False})
            else:
                base.update(Reserved=0, PartNumber=True, ReportA={"Valid": False},
                            ReportB={"Valid": True, "ShipType": d["shiptype"],
                                     "VendorIDName": d["vendorid"], "VenderIDModel": d["model"],
                                     "VenderIDSerial": d["serial"], "CallSign": d["callsign"],
                                     "Dimension": dims(), "FixType": 0, "Spare": 0})
        else:
            continue
        msg = {"Message": {typ: base}, "MessageType": typ,
               "MetaData": {"MMSI": d["mmsi"], "MMSI_String": d["mmsi"], "ShipName": "",
                            "latitude": 0, "longitude": 0, "time_utc": go_time(d["time_ms"])}}
        out.write(json.dumps(msg) + "\n")

def recv_exact(c, n):
    b = b""
    while len(b) < n:
        k = c.recv(n - len(b))
        if not k:
            raise EOFError
        b += k
    return b

def read_frame(c):
    h = recv_exact(c, 2)
    op, n = h[0] & 15, h[1] & 127
    if n == 126:
        n = struct.unpack(">H", recv_exact(c, 2))[0]
    elif n == 127:
        n = struct.unpack(">Q", recv_exact(c, 8))[0]
    mask = recv_exact(c, 4) if h[1] & 128 else b"\0\0\0\0"
    p = recv_exact(c, n)
    return op, bytes(b ^ mask[i % 4] for i, b in enumerate(p))

def frame(op, payload, fin=True):
    n = len(payload)
    h = bytes([(128 if fin else 0) | op])
    if n < 126:
        h += bytes([n])
    elif n < 65536:
        h += bytes([126]) + struct.pack(">H", n)
    else:
        h += bytes([127]) + struct.pack(">Q", n)
    return h + payload

def handle(c, i, args):
    port_file, log, msgs, key, boxes, plan, done = args
    mode = plan[min(i, len(plan) - 1)]
    req = b""
    while b"\r\n\r\n" not in req:
        k = c.recv(4096)
        if not k:
            return
        req += k
    wskey = [l.split(b":", 1)[1].strip() for l in req.split(b"\r\n") if l.lower().startswith(b"sec-websocket-key:")][0]
    acc = base64.b64encode(hashlib.sha1(wskey + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
    c.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Accept: " + acc + b"\r\n\r\n")
    c.settimeout(3)  # aisstream wants the subscription within 3 s
    op, p = read_frame(c)
    sub = json.loads(p)
    key_ok = sub.get("APIKey") == key
    box_ok = boxes == "any" or sub.get("BoundingBoxes") == json.loads(boxes)
    with open(log, "a") as f:
        f.write("conn %d mode %s key_ok %s box_ok %s op %d filters %s boxes %s\n" % (
            i, mode, key_ok, box_ok, op,
            json.dumps({k: v for k, v in sub.items() if k.startswith("Filter")}, sort_keys=True),
            json.dumps(sub.get("BoundingBoxes"))))
    c.settimeout(None)
    if not key_ok:
        c.sendall(frame(1, b'{"error": "Api Key Is Not Valid"}'))
        c.sendall(frame(8, struct.pack(">H", 1008)))
        time.sleep(0.2)
        return
    if mode == "close":
        return
    if mode == "garbage":
        c.sendall(bytes([0x83, 5]) + b"\x00\x01\x02\x03\x04")  # opcode 3 is reserved
        time.sleep(2)
        return
    lines = open(msgs, "rb").read().splitlines()
    for j, m in enumerate(lines):
        if j == 3:  # a message in three fragments
            a, b = len(m) // 3, 2 * len(m) // 3
            c.sendall(frame(2, m[:a], False) + frame(0, m[a:b], False) + frame(0, m[b:]))
        else:
            c.sendall(frame(2 if j % 2 else 1, m))
        if j == 5:
            c.sendall(frame(1, b'{"MessageType": "PositionReport", "Message": {'))  # malformed
            c.sendall(frame(1, json.dumps({"MessageType": "UnknownMessage", "MetaData": {},
                                           "Message": {"UnknownMessage": {}}}).encode()))
        if j % 200 == 0:
            time.sleep(0.01)
    with open(done, "w") as f:
        f.write("%d\n" % len(lines))
    time.sleep(120)

def serve(args):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    with open(args[0] + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(args[0] + ".tmp", args[0])
    args[5] = args[5].split(",")
    i = 0
    while True:
        c, _ = s.accept()
        def run(c=c, i=i):
            try:
                handle(c, i, args)
            except (EOFError, OSError, ValueError, IndexError):
                pass
            finally:
                c.close()
        threading.Thread(target=run, daemon=True).start()
        i += 1

if __name__ == "__main__":
    threading.Timer(120, lambda: os._exit(0)).start()
    if sys.argv[1] == "convert":
        convert(sys.argv[2], sys.argv[3])
        os._exit(0)
    serve(sys.argv[2:])
