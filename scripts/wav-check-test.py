#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
wav-check-test.py - wav-check.py against WAV files made to pass and to fail.

Each case writes a WAV (44100 Hz, 16-bit stereo, as QEMU's wavcapture)
and, for some, a marks file, runs wav-check.py and compares its exit
status with the expected one.  Prints one line per case and
"N passed, N failed"; exits 1 if any case failed.
"""
import math
import os
import struct
import subprocess
import sys
import tempfile

RATE = 44100
HERE = os.path.dirname(os.path.abspath(__file__))


def tone(seconds, left=1000.0, right=1500.0, amp=0.5, start=0):
    out = []
    for n in range(start, start + int(seconds * RATE)):
        for f in (left, right):
            out.append(int(round(amp * 32767 * math.sin(2 * math.pi * f *
                                                          (n % RATE) / RATE))))
    return out


def write_wav(path, samples, bogus_sizes=False):
    data = struct.pack(f"<{len(samples)}h", *samples)
    size = 0 if bogus_sizes else len(data)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36 + size) + b"WAVE")
        f.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, 2, RATE,
                                      RATE * 4, 4, 16))
        f.write(b"data" + struct.pack("<I", size) + data)


def skip_every(samples, period, skip):
    """Drop `skip` frames after every `period` frames: a wrong offset."""
    out = []
    frames = len(samples) // 2
    n = 0
    while n < frames:
        out += samples[2 * n:2 * min(frames, n + period)]
        n += period + skip
    return out


def main():
    silence = [0] * (2 * RATE // 2)
    t3 = tone(3)
    cases = [
        ("good tone", t3, [], 0),
        ("good tone, header sizes not yet written", t3, ["bogus"], 0),
        ("tone between marks", silence + t3 + tone(1, 440, 440),
         ["marks", len(silence) * 2, (len(silence) + len(t3)) * 2], 0),
        ("other tone outside the marks is seen without them",
         silence + t3 + tone(1, 440, 440), [], 1),
        ("one underrun: the tone restarts", tone(1.3712) + tone(1.6288), [], 0),
        ("frequency 1 % high", tone(3, 1010, 1515), [], 1),
        ("level 3 dB low", tone(3, amp=0.354), [], 1),
        ("channels swapped", tone(3, 1500, 1000), [], 1),
        ("a piece lost every period", skip_every(t3, 1024, 100), [], 1),
        ("silence", [0] * (2 * 3 * RATE), [], 1),
        ("too short", tone(0.5), [], 1),
    ]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "t.wav")
        marks = os.path.join(tmp, "t.marks")
        for name, samples, extra, want in cases:
            write_wav(wav, samples, bogus_sizes="bogus" in extra)
            cmd = [sys.executable, os.path.join(HERE, "wav-check.py"), wav,
                   "--min-seconds", "2.5", "--label", name]
            if "marks" in extra:
                with open(marks, "w") as f:
                    f.write(f"start {extra[1]}\nend {extra[2]}\n")
                cmd += ["--marks", marks, "--start", "start", "--end", "end"]
            r = subprocess.run(cmd, capture_output=True, text=True)
            ok = (r.returncode == 0) == (want == 0) and r.returncode != 2
            passed += ok
            failed += not ok
            print(("ok    " if ok else "FAIL  ") + r.stdout.strip())
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
