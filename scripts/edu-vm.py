#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
edu-vm.py - boot a kernel in QEMU with an edu device and plug/unplug it
when the guest asks.

    edu-vm.py --kernel VMLINUZ --initrd INITRD --log LOG [--timeout SEC]
              [--append "..."]

The guest drives the test and talks to the host over the serial console:

    @@UNPLUG    host: QMP device_del edu0, wait for DEVICE_DELETED
    @@REPLUG    host: QMP device_add edu (same slot)
    @@END       host: the run is over (the guest then powers off)

Everything the guest prints goes to LOG.  Exit status: 0 when the guest
reached @@END, 1 on timeout or a failed QMP command, 2 on a QEMU error.
"""
import argparse
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time


class QMP:
    def __init__(self, path, deadline):
        self.sock = None
        while time.time() < deadline:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                self.sock = s
                break
            except OSError:
                time.sleep(0.1)
        if self.sock is None:
            raise RuntimeError("QMP socket never came up")
        self.buf = b""
        self.events = []
        self.recv()                     # greeting
        self.cmd("qmp_capabilities")

    def recv(self, timeout=30):
        end = time.time() + timeout
        while b"\n" not in self.buf:
            left = end - time.time()
            if left <= 0:
                raise TimeoutError("QMP reply timed out")
            r, _, _ = select.select([self.sock], [], [], left)
            if r:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise RuntimeError("QMP socket closed")
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self.recv()
            if "event" in reply:
                self.events.append(reply)
                continue
            if "error" in reply:
                raise RuntimeError(f"{name}: {reply['error']}")
            return reply.get("return")

    def wait_event(self, name, timeout):
        end = time.time() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev["event"] == name:
                    del self.events[i]
                    return ev
            reply = self.recv(max(0.1, end - time.time()))
            if "event" in reply:
                self.events.append(reply)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--append", default="")
    ap.add_argument("--progress", action="store_true",
                    help="echo the guest's @@/demo lines to stderr")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="safe-qmp-")
    qsock = os.path.join(tmp, "qmp.sock")
    slot = "addr=0x5"
    cmd = ["qemu-system-x86_64", "-machine", "pc", "-m", "512", "-smp", "2",
           "-accel", "tcg", "-cpu", "max", "-display", "none",
           "-serial", "stdio", "-monitor", "none", "-no-reboot",
           "-kernel", args.kernel, "-initrd", args.initrd,
           "-append", "console=ttyS0 panic=-1 loglevel=4 " + args.append,
           "-device", "edu,id=edu0," + slot,
           "-qmp", f"unix:{qsock},server=on,wait=off"]
    deadline = time.time() + args.timeout
    log = open(args.log, "w")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    status = 1
    try:
        qmp = QMP(qsock, deadline)
        pending = b""
        while time.time() < deadline:
            r, _, _ = select.select([proc.stdout], [], [], 1.0)
            if not r:
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            log.write(chunk.decode(errors="replace"))
            log.flush()
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                text = line.decode(errors="replace").strip()
                if args.progress and ("@@" in text or "demo:" in text):
                    print("      " + text[text.find("@@") if "@@" in text
                                            else text.find("demo:"):],
                          file=sys.stderr, flush=True)
                if text.endswith("@@UNPLUG"):
                    qmp.cmd("device_del", id="edu0")
                    qmp.wait_event("DEVICE_DELETED", 60)
                elif text.endswith("@@REPLUG"):
                    qmp.cmd("device_add", driver="edu", id="edu0",
                            addr=slot.split("=")[1])
                elif text.endswith("@@END"):
                    status = 0
        else:
            print("edu-vm: timed out", file=sys.stderr)
    except (RuntimeError, TimeoutError, OSError) as e:
        print(f"edu-vm: {e}", file=sys.stderr)
        status = 1
    finally:
        try:
            proc.wait(timeout=30 if status == 0 else 1)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        rest = proc.stdout.read()
        if rest:
            log.write(rest.decode(errors="replace"))
        log.close()
        try:
            os.unlink(qsock)
            os.rmdir(tmp)
        except OSError:
            pass
    if proc.returncode not in (0, None) and status == 0:
        status = 2
    return status


if __name__ == "__main__":
    sys.exit(main())
