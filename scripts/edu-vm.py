#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
edu-vm.py - boot a kernel in QEMU with an edu device and plug/unplug it
when the guest asks.

    edu-vm.py --kernel VMLINUZ --initrd INITRD --log LOG [--timeout SEC]
              [--append "..."] [--machine pc|q35-iommu] [--memory MB]
              [--icount]

Machines:

    pc          QEMU's pc machine, edu in slot 5 of the root bus (ACPI
                hotplug); no IOMMU.
    q35-iommu   q35 with an intel-iommu (DMA remapping on for every
                device), edu behind a PCIe root port in slot 5 (ACPI
                hotplug), so the port is a parent the guest can remove.

--icount makes the guest's clocks count the instructions it ran (QEMU's
-icount shift=auto, one host thread for both vCPUs).  With host time, a
vCPU starved by a busy host (load average 15 on 2 cores) calibrated a
debug kernel's TSC at 430 MHz instead of 2.6 GHz, and its soft-lockup,
hung-task and RCU-stall detectors then fired on time that had not passed.
Debian's 6.1 boots badly so (secondary CPU bring-up takes 280 s), hence
an option.

The guest drives the test and talks to the host over the serial console:

    @@UNPLUG    host: QMP device_del edu0; the guest's side of the unplug
                runs on its own, and the host logs "unplug done in N s"
                when QEMU reports DEVICE_DELETED
    @@REPLUG    host: QMP device_add edu (same slot) once the unplug is
                done; an unplug not done in --unplug-timeout fails the run
    @@END       host: the run is over (the guest then powers off)

Everything the guest prints goes to LOG, with the host's lines
"@@HOST T: ...", T the seconds since QEMU started.
Exit status: 0 when the guest reached @@END, 1 on timeout or a failed QMP
command, 2 on a QEMU error.
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
                self.fill()
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise RuntimeError("QMP socket closed")
        self.buf += chunk

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

    def poll_events(self):
        """Read what the socket has without blocking; queue the events.
        False once QEMU has closed it (it is exiting)."""
        while True:
            r, _, _ = select.select([self.sock], [], [], 0)
            if not r:
                break
            chunk = self.sock.recv(65536)
            if not chunk:
                return False
            self.buf += chunk
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            msg = json.loads(line)
            if "event" in msg:
                self.events.append(msg)
        return True

    def take_event(self, name, device=None):
        for i, ev in enumerate(self.events):
            if ev["event"] == name and (
                    device is None or
                    ev.get("data", {}).get("device") == device):
                del self.events[i]
                return ev
        return None


MACHINES = {
    "pc": {
        "args": ["-machine", "pc"],
        "edu": {"addr": "0x5"},
    },
    "q35-iommu": {
        "args": ["-machine", "q35",
                 "-device", "intel-iommu,intremap=off",
                 "-device", "pcie-root-port,id=rp0,chassis=1,addr=0x5"],
        "edu": {"bus": "rp0"},
        "append": "intel_iommu=on iommu.strict=1",
    },
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--unplug-timeout", type=float, default=120)
    ap.add_argument("--append", default="")
    ap.add_argument("--machine", choices=sorted(MACHINES), default="pc")
    ap.add_argument("--memory", type=int, default=512)
    ap.add_argument("--icount", action="store_true",
                    help="guest clocks count instructions, not host time")
    ap.add_argument("--progress", action="store_true",
                    help="echo the guest's @@/demo lines to stderr")
    args = ap.parse_args()
    machine = MACHINES[args.machine]
    edu = machine["edu"]

    tmp = tempfile.mkdtemp(prefix="safe-qmp-")
    qsock = os.path.join(tmp, "qmp.sock")
    # Without --icount, TCG on a busy host can starve a vCPU for tens of
    # seconds: RCU's stall warning waits 60 s, not 21, before it calls
    # that a stall (a CPU really stuck stays stuck).
    append = " ".join(filter(None, ["console=ttyS0 panic=-1 loglevel=4",
                                    "rcupdate.rcu_cpu_stall_timeout=60",
                                    machine.get("append"), args.append]))
    cmd = ["qemu-system-x86_64", *machine["args"], "-m", str(args.memory),
           "-smp", "2", "-accel", "tcg", "-cpu", "max", "-display", "none",
           "-serial", "stdio", "-monitor", "none", "-no-reboot",
           "-kernel", args.kernel, "-initrd", args.initrd,
           "-append", append,
           "-device", "edu,id=edu0," +
           ",".join(f"{k}={v}" for k, v in edu.items()),
           "-qmp", f"unix:{qsock},server=on,wait=off"]
    if args.icount:
        cmd += ["-icount", "shift=auto"]
    deadline = time.time() + args.timeout
    log = open(args.log, "w")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    status = 1
    unplug_t0 = None            # device_del sent, DEVICE_DELETED not seen
    replug_wanted = False

    start = time.time()

    def host(msg):
        log.write(f"@@HOST {time.time() - start:.1f}: {msg}\n")
        log.flush()
        if args.progress:
            print(f"      @@HOST {time.time() - start:.1f}: {msg}", file=sys.stderr,
              flush=True)

    try:
        qmp = QMP(qsock, deadline)
        pending = b""
        qmp_open = True
        while time.time() < deadline:
            r, _, _ = select.select([proc.stdout] + ([qmp.sock] if qmp_open
                                                     else []), [], [], 1.0)
            if proc.stdout in r:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                log.write(chunk.decode(errors="replace"))
                log.flush()
                pending += chunk
            elif proc.poll() is not None:
                break
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                text = line.decode(errors="replace").strip()
                if args.progress and ("@@" in text or "demo:" in text):
                    print("      " + text[text.find("@@") if "@@" in text
                                            else text.find("demo:"):],
                          file=sys.stderr, flush=True)
                if text.endswith("@@UNPLUG"):
                    qmp.cmd("device_del", id="edu0")
                    unplug_t0 = time.time()
                    host("unplug")
                elif text.endswith("@@REPLUG"):
                    replug_wanted = True
                elif text.endswith("@@END"):
                    host("end")
                    status = 0
            if qmp_open:
                qmp_open = qmp.poll_events()
            if unplug_t0 is not None and qmp.take_event("DEVICE_DELETED",
                                                        "edu0"):
                host(f"unplug done in {time.time() - unplug_t0:.2f} s")
                unplug_t0 = None
            if unplug_t0 is not None and \
                    time.time() - unplug_t0 > args.unplug_timeout:
                host(f"unplug not done after {args.unplug_timeout:.0f} s")
                raise TimeoutError("device_del edu0 never completed")
            if replug_wanted and unplug_t0 is None:
                qmp.cmd("device_add", driver="edu", id="edu0", **edu)
                replug_wanted = False
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
