# SPDX-License-Identifier: GPL-2.0
#
# The sound card VMs: Debian's ALSA modules from the same linux-image as
# the kernel, the static es1370-load, and one run of a guest scenario with
# an ES1370 whose playback is recorded (scripts/sound-vm.py).  Source after
# lib.sh, qemu-lib.sh and vm.sh.

# The modules a driver needs, in load order, from Debian's image package.
SOUND_CORE_MODULES="soundcore snd snd-timer snd-pcm"
SOUND_ENS1370_MODULES="snd-seq-device snd-rawmidi gameport snd-ens1370"

# sound_modules SERIES: unpack (once) and decompress Debian's sound
# modules for the kernel kernel_image() boots.  Prints the directory.
sound_modules() {
	local series=$1 kdir rel out deb src f
	kdir=$(headers_dir "$series") || return 1
	rel=$(basename "$kdir")
	rel=${rel#linux-headers-}
	out=$SAFE_CACHE/sound-modules/$rel
	if [ ! -f "$out/.done" ]; then
		rm -rf "$out"
		mkdir -p "$out/x"
		if [ "$(kernel_image "$series")" = "/boot/vmlinuz-$rel" ] &&
		   [ -d "/lib/modules/$rel/kernel/sound" ]; then
			src=/lib/modules/$rel/kernel
		else
			deb=$(ls "$SAFE_CACHE"/deb/linux-image-"$rel"-unsigned_*.deb 2>/dev/null |
				sort -V | tail -n1)
			[ -n "$deb" ] || return 1
			dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$out/x" \
				--wildcards './lib/modules/*/kernel/sound/*' \
				'./lib/modules/*/kernel/drivers/input/gameport/*' || return 1
			src=$out/x/lib/modules/$rel/kernel
		fi
		for m in $SOUND_CORE_MODULES $SOUND_ENS1370_MODULES; do
			f=$(find "$src" -name "$m.ko*" | head -n1)
			[ -n "$f" ] || { say "no $m.ko in $src"; return 1; }
			# busybox insmod wants them uncompressed.
			case $f in
			*.xz) python3 -c 'import lzma, sys
sys.stdout.buffer.write(lzma.open(sys.argv[1]).read())' "$f" > "$out/$m.ko" ;;
			*.zst) zstd -qdc "$f" > "$out/$m.ko" ;;
			*) cp "$f" "$out/$m.ko" ;;
			esac || return 1
		done
		rm -rf "$out/x"
		touch "$out/.done"
	fi
	echo "$out"
}

# sound_load_build BUILD: the static load generator, into BUILD.
sound_load_build() {
	gcc -O2 -Wall -Wextra -static -pthread -o "$1/es1370-load" \
		"$SAFE_ROOT/examples/es1370-load/es1370-load.c" >> "$1/build.log" 2>&1 ||
		{ tail -n 30 "$1/build.log" >&2; return 1; }
}

# sound_vm_run SERIES BUILD LOG WAV MARKS SCENARIO "ARGS" MODULE... :
# boot and run.  A MODULE is a path relative to BUILD/src, or the name of
# one of Debian's sound modules; they are loaded in the order given.
sound_vm_run() {
	local series=$1 build=$2 log=$3 wav=$4 marks=$5 scenario=$6 args=$7
	local root image m mods t
	shift 7
	mods=$(sound_modules "$series") || { say "no sound modules for $series"; return 1; }
	root=$(mktemp -d)
	mkdir -p "$root/files"
	cp "$SAFE_ROOT/tests/vm/lib.sh" "$root/files/lib.sh"
	cp "$SAFE_ROOT/tests/vm/$scenario" "$root/files/scenario"
	cp "$build/es1370-load" "$root/files/"
	echo "$args" > "$root/files/args"
	: > "$root/files/modules"
	for m in "$@"; do
		case $m in
		*.ko) cp "$build/src/$m" "$root/files/" ;;
		*) cp "$mods/$m.ko" "$root/files/"; m=$m.ko ;;
		esac
		basename "$m" >> "$root/files/modules"
	done
	make_initramfs "$root/initrd.gz" "$SAFE_ROOT/tests/vm/init" "$root"/files/*
	image=$(kernel_image "$series") || { say "no kernel image for $series"; rm -rf "$root"; return 1; }
	python3 "$SAFE_ROOT/scripts/sound-vm.py" --kernel "$image" \
		--initrd "$root/initrd.gz" --log "$log" --wav "$wav" \
		--marks "$marks" --timeout "${SAFE_VM_TIMEOUT:-1800}" \
		${SAFE_VM_PROGRESS:+--progress}
	t=$?
	rm -rf "$root"
	return $t
}
