#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
sound-vm.py - boot a kernel in QEMU with an ES1370 sound card, record what
the guest plays, and plug/unplug the card when the guest asks.

    sound-vm.py --kernel VMLINUZ --initrd INITRD --log LOG --wav WAV
                [--marks MARKS] [--timeout SEC] [--append "..."]
                [--machine pc|q35-iommu] [--memory MB] [--icount] [--progress]

The machines and --icount are edu-vm.py's; the card sits where edu-vm.py
puts the edu device (slot 5 of pc's root bus, or behind q35's hot-pluggable
root port, its DMA translated by the intel-iommu).

The card plays into QEMU's "none" audio backend, which paces playback and
capture in real time and captures silence; HMP's wavcapture records
everything played into WAV (44100 Hz, 16 bit, stereo), across unplugs.

The guest talks to the host over the serial console, as for edu-vm.py:

    @@UNPLUG      QMP device_del of the card; when QEMU reports
                  DEVICE_DELETED, the time it took goes to LOG
                  ("sound-vm: unplug took S s"); more than 120 s fails
    @@REPLUG      QMP device_add of the card (same place), once the
                  unplug is done
    @@MARK NAME   append "NAME BYTES" to MARKS: how many bytes of audio
                  data WAV holds at this point
    @@END         the run is over (the guest then powers off)

Exit status: 0 when the guest reached @@END, 1 on timeout or a failed QMP
command, 2 on a QEMU error.
"""
import argparse
import importlib.util
import os
import re
import select
import subprocess
import sys
import tempfile
import time

# The QMP client of edu-vm.py, which drives the edu device the same way.
_spec = importlib.util.spec_from_file_location(
    "edu_vm", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "edu-vm.py"))
edu_vm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(edu_vm)

CARD_ID = "snd1"


def captured_bytes(qmp):
    """Audio bytes wavcapture has written so far."""
    out = qmp.cmd("human-monitor-command", **{"command-line": "info capture"})
    m = re.search(r"(\d+) bytes", out or "")
    return int(m.group(1)) if m else -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--wav", required=True)
    ap.add_argument("--marks")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--append", default="")
    ap.add_argument("--machine", choices=sorted(edu_vm.MACHINES),
                    default="pc")
    ap.add_argument("--memory", type=int, default=512)
    ap.add_argument("--icount", action="store_true",
                    help="guest clocks count instructions, not host time")
    ap.add_argument("--progress", action="store_true",
                    help="echo the guest's @@/demo lines to stderr")
    args = ap.parse_args()
    machine = edu_vm.MACHINES[args.machine]
    # Where edu-vm.py plugs its device: the card goes there.
    place = machine["edu"]

    tmp = tempfile.mkdtemp(prefix="safe-qmp-")
    qsock = os.path.join(tmp, "qmp.sock")
    append = " ".join(filter(None, ["console=ttyS0 panic=-1 loglevel=4",
                                    "rcupdate.rcu_cpu_stall_timeout=60",
                                    machine.get("append"), args.append]))
    cmd = ["qemu-system-x86_64", *machine["args"], "-m", str(args.memory),
           "-smp", "2", "-accel", "tcg", "-cpu", "max", "-display", "none",
           "-serial", "stdio", "-monitor", "none", "-no-reboot",
           "-kernel", args.kernel, "-initrd", args.initrd,
           "-append", append,
           "-audiodev", "none,id=snd0",
           "-device", f"ES1370,audiodev=snd0,id={CARD_ID}," +
           ",".join(f"{k}={v}" for k, v in place.items()),
           "-qmp", f"unix:{qsock},server=on,wait=off"]
    if args.icount:
        cmd += ["-icount", "shift=auto"]
    deadline = time.time() + args.timeout
    log = open(args.log, "w")
    marks = open(args.marks, "w") if args.marks else None
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    status = 1
    notes = []                  # the host's lines for LOG
    try:
        qmp = edu_vm.QMP(qsock, deadline)
        qmp.cmd("human-monitor-command",
                **{"command-line": f"wavcapture {args.wav} snd0 44100 16 2"})
        pending = b""
        qmp_open = True
        unplug_t0 = None        # device_del sent, DEVICE_DELETED not seen
        replug_wanted = False
        while time.time() < deadline:
            # The console is read while an unplug runs: a guest that
            # cannot print would stall (the host waits on no event).
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
                    qmp.cmd("device_del", id=CARD_ID)
                    unplug_t0 = time.time()
                elif text.endswith("@@REPLUG"):
                    replug_wanted = True
                elif "@@MARK " in text and marks:
                    name = text[text.find("@@MARK ") + 7:].split()[0]
                    marks.write(f"{name} {captured_bytes(qmp)}\n")
                    marks.flush()
                elif text.endswith("@@END"):
                    status = 0
            if qmp_open:
                qmp_open = qmp.poll_events()
            if unplug_t0 is not None and qmp.take_event("DEVICE_DELETED",
                                                        CARD_ID):
                notes.append("sound-vm: unplug took %.2f s\n"
                             % (time.time() - unplug_t0))
                unplug_t0 = None
            # Between the guest's lines, not inside one.
            if notes and not pending:
                log.write("".join(notes))
                log.flush()
                notes = []
            if unplug_t0 is not None and time.time() - unplug_t0 > 120:
                raise TimeoutError(f"device_del {CARD_ID} never completed")
            if replug_wanted and unplug_t0 is None:
                qmp.cmd("device_add", driver="ES1370", id=CARD_ID,
                        audiodev="snd0", **place)
                replug_wanted = False
        else:
            print("sound-vm: timed out", file=sys.stderr)
    except (RuntimeError, TimeoutError, OSError) as e:
        print(f"sound-vm: {e}", file=sys.stderr)
        status = 1
    finally:
        try:
            proc.wait(timeout=30 if status == 0 else 1)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.write("".join(notes))
        rest = proc.stdout.read()
        if rest:
            log.write(rest.decode(errors="replace"))
        log.close()
        if marks:
            marks.close()
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
