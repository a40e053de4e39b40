#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
wav-check.py - check that a stretch of a WAV file holds es1370-load's tone.

    wav-check.py WAV [--marks MARKS --start NAME --end NAME]
                 [--left HZ] [--right HZ] [--amplitude A] [--min-seconds S]
                 [--freq-tol PERCENT] [--level-tol DB] [--label TEXT]

WAV is 16-bit PCM (QEMU's wavcapture writes 44100 Hz stereo).  MARKS holds
"NAME BYTES" lines (scripts/sound-vm.py): the stretch checked runs from
mark START to mark END; without marks, the whole file.  The header's sizes
are not trusted (QEMU fixes them only at exit): the data runs to the end
of the file.

The stretch is cut into 100 ms blocks.  A block whose RMS is below -40
dBFS on both channels is silence.  A block is broken when it holds a
glitch (a sample whose second difference exceeds three times what a sine
of that frequency and amplitude can reach: a jump in the waveform) or a
run of 32 or more zero samples.  QEMU records only while a voice plays,
so an underrun or a restart shows up as a jump, and so would a wrong
offset in the ring or a lost or repeated piece.  Broken blocks are
counted, not measured; the start and the end of the tone fall inside a
block and do not count.  In the clean blocks:

  frequency  from the first to the last rising zero crossing (linearly
             interpolated) of each channel; every clean block must be
             within --freq-tol (default 0.5 %) of --left (1000 Hz) and
             --right (1500 Hz);
  level      the RMS of each channel over the clean blocks, within
             --level-tol (default 0.5 dB) of a sine of --amplitude (0.5)
             of full scale (-9.03 dBFS);
  duration   the clean blocks must add up to --min-seconds (default 1.0):
             a driver that breaks the waveform in every period fails here.

Prints one line: the measured figures and "ok" or the reasons it failed.
Exit status: 0 ok, 1 failed, 2 usage or file error.  Python standard
library only.
"""
import argparse
import array
import math
import struct
import sys

BLOCK_SECONDS = 0.1
SILENCE_DBFS = -40.0
GAP_RUN = 32
FULL_SCALE = 32768.0


def read_wav(path):
    """(rate, channels, array of int16 samples, data offset in the file)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a WAV file")
    pos = 12
    rate = channels = bits = None
    while pos + 8 <= len(raw):
        cid, size = struct.unpack_from("<4sI", raw, pos)
        body = pos + 8
        if cid == b"fmt ":
            _, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH",
                                                               raw, body)
        elif cid == b"data":
            if bits != 16:
                raise ValueError(f"{path}: {bits}-bit data, want 16")
            data = raw[body:]
            data = data[:len(data) - len(data) % (2 * channels)]
            samples = array.array("h")
            samples.frombytes(data)
            if sys.byteorder != "little":
                samples.byteswap()
            return rate, channels, samples, body
        pos = body + size + (size & 1)
    raise ValueError(f"{path}: no data chunk")


def read_marks(path):
    marks = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                marks[parts[0]] = int(parts[1])
    return marks


def rising_crossings(x):
    """Interpolated sample positions where x goes from < 0 to >= 0."""
    out = []
    for i in range(1, len(x)):
        a, b = x[i - 1], x[i]
        if a < 0 <= b:
            out.append(i - 1 + a / (a - b))
    return out


def has_gap(x):
    run = 0
    for v in x:
        run = run + 1 if v == 0 else 0
        if run >= GAP_RUN:
            return True
    return False


def rms(x):
    return math.sqrt(sum(v * v for v in x) / len(x)) if x else 0.0


def dbfs(v):
    return 20 * math.log10(v / FULL_SCALE) if v > 0 else -math.inf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wav")
    ap.add_argument("--marks")
    ap.add_argument("--start")
    ap.add_argument("--end")
    ap.add_argument("--left", type=float, default=1000.0)
    ap.add_argument("--right", type=float, default=1500.0)
    ap.add_argument("--amplitude", type=float, default=0.5)
    ap.add_argument("--min-seconds", type=float, default=1.0)
    ap.add_argument("--freq-tol", type=float, default=0.5,
                    help="percent")
    ap.add_argument("--level-tol", type=float, default=0.5,
                    help="dB")
    ap.add_argument("--label", default="tone")
    args = ap.parse_args()

    try:
        rate, nch, s, _ = read_wav(args.wav)
        first, last = 0, len(s) // nch
        if args.marks:
            marks = read_marks(args.marks)
            first = marks[args.start] // (2 * nch)
            last = min(last, marks[args.end] // (2 * nch))
    except (OSError, ValueError, KeyError) as e:
        print(f"wav-check: {args.label}: {e}")
        return 2
    if nch != 2:
        print(f"wav-check: {args.label}: {nch} channels, want 2")
        return 2

    freqs = (args.left, args.right)
    block = int(rate * BLOCK_SECONDS)
    peak = args.amplitude * 32767
    # A sine's second difference is at most A * (2 pi f / rate)^2.
    d2max = [3 * peak * (2 * math.pi * f / rate) ** 2 for f in freqs]
    def glitches_in(x, c):
        return sum(1 for i in range(1, len(x) - 1)
                   if abs(x[i + 1] - 2 * x[i] + x[i - 1]) > d2max[c])

    kinds = []      # per non-silent block: (b0, glitches, has a zero run)
    for b0 in range(first, last - block + 1, block):
        ch = [s[(b0 * 2 + c):((b0 + block) * 2):2] for c in range(2)]
        if max(dbfs(rms(ch[0])), dbfs(rms(ch[1]))) < SILENCE_DBFS:
            continue
        kinds.append((b0, glitches_in(ch[0], 0) + glitches_in(ch[1], 1),
                      has_gap(ch[0]) or has_gap(ch[1])))
    # The tone starts and stops somewhere inside a block: not a break.
    if kinds and (kinds[0][1] or kinds[0][2]):
        kinds.pop(0)
    if kinds and (kinds[-1][1] or kinds[-1][2]):
        kinds.pop()

    clean = broken = glitches = 0
    worst = [0.0, 0.0]
    per_block = [[], []]
    sq = [0.0, 0.0]
    n_clean = 0
    for b0, g, gap in kinds:
        if g or gap:
            broken += 1
            glitches += g
            continue
        ch = [s[(b0 * 2 + c):((b0 + block) * 2):2] for c in range(2)]
        clean += 1
        for c in range(2):
            x = ch[c]
            z = rising_crossings(x)
            if len(z) >= 2:
                f = (len(z) - 1) / (z[-1] - z[0]) * rate
                per_block[c].append(f)
                err = abs(f - freqs[c]) / freqs[c] * 100
                worst[c] = max(worst[c], err)
            else:
                worst[c] = math.inf
            sq[c] += sum(v * v for v in x)
        n_clean += block

    seconds = n_clean / rate
    want_db = dbfs(args.amplitude * 32767 / math.sqrt(2))
    fails = []
    parts = []
    for c, name in enumerate(("left", "right")):
        if not per_block[c]:
            parts.append(f"{name} no tone")
            continue
        med = sorted(per_block[c])[len(per_block[c]) // 2]
        level = dbfs(math.sqrt(sq[c] / n_clean))
        parts.append(f"{name} {med:.2f} Hz (worst block {worst[c]:.3f} %) "
                     f"{level:.2f} dBFS")
        if worst[c] > args.freq_tol:
            fails.append(f"{name} frequency off by up to {worst[c]:.3f} % "
                         f"(> {args.freq_tol} %)")
        if abs(level - want_db) > args.level_tol:
            fails.append(f"{name} level {level:.2f} dBFS, want "
                         f"{want_db:.2f} +- {args.level_tol} dB")
    if seconds < args.min_seconds:
        fails.append(f"only {seconds:.1f} s of clean tone (< {args.min_seconds})")
    print(f"wav-check: {args.label}: " + ", ".join(parts) +
          f"; {seconds:.1f} s clean in {clean} blocks, {broken} broken blocks "
          f"({glitches} glitches); want {args.left:g}/{args.right:g} Hz "
          f"+- {args.freq_tol} %, {want_db:.2f} dBFS +- {args.level_tol} dB: "
          + ("ok" if not fails else "FAILED: " + "; ".join(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
