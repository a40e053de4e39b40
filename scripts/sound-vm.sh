# SPDX-License-Identifier: GPL-2.0
#
# The sound card VMs: the ALSA modules of the kernel booted, and one run of
# a guest scenario with an ES1370 whose playback is recorded
# (scripts/sound-vm.py).  Source after lib.sh, qemu-lib.sh and vm.sh: the
# kernels are vm.sh's (a Debian series, or "debug-SERIES").

# sound_stack NAME core|ens1370: the modules, in load order, that the ALSA
# core and Debian's snd-ens1370 need on VM kernel NAME.  The debug kernel
# has the core built in (tests/vm/debug.config).
sound_stack() {
	case $1:$2 in
	debug-*:core) ;;
	debug-*:ens1370) echo snd-rawmidi snd-ens1370 ;;
	*:core) echo soundcore snd snd-timer snd-pcm ;;
	*:ens1370) echo snd-seq-device snd-rawmidi gameport snd-ens1370 ;;
	esac
}

# sound_modules NAME: the directory with the modules sound_stack names for
# VM kernel NAME, uncompressed: those of Debian's image package (unpacked
# once), or of the debug kernel's build.
sound_modules() {
	local name=$1 kdir rel out deb= src= f m
	case $name in
	debug-*)
		vm_kernel "$name" || return 1
		src=$vm_kdir
		out=$SAFE_CACHE/sound-modules/$name
		;;
	*)
		kdir=$(headers_dir "$name") || return 1
		rel=$(basename "$kdir")
		rel=${rel#linux-headers-}
		out=$SAFE_CACHE/sound-modules/$rel
		if [ -f "$out/.done" ]; then
			echo "$out"
			return 0
		fi
		rm -rf "$out"
		mkdir -p "$out/x"
		if [ "$(kernel_image "$name")" = "/boot/vmlinuz-$rel" ] &&
		   [ -d "/lib/modules/$rel/kernel/sound" ]; then
			src=/lib/modules/$rel/kernel
		elif [ "$(kernel_suite "$name")" = host ]; then
			deb=$(ls "$SAFE_CACHE"/deb/linux-image-"$rel"-unsigned_*.deb 2>/dev/null |
				sort -V | tail -n1)
		else
			# Newer Debian kernels ship their modules apart.
			deb=$(bash "$SAFE_ROOT/scripts/debian-pkg.sh" \
				"$(kernel_suite "$name")" download "linux-modules-$rel") || deb=
		fi
		if [ -z "$src" ]; then
			[ -n "$deb" ] || return 1
			dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$out/x" \
				--wildcards '*/kernel/sound/*' \
				'*/kernel/drivers/input/gameport/*' || return 1
			src=$out/x
		fi
		;;
	esac
	mkdir -p "$out"
	for m in $(sound_stack "$name" core) $(sound_stack "$name" ens1370); do
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
	case $name in debug-*) ;; *) touch "$out/.done" ;; esac
	echo "$out"
}

# sound_vm_run NAME BUILD LOG WAV MARKS SCENARIO "ARGS" MODULE... : boot VM
# kernel NAME (vm_kernel's machine, an ES1370 in place of edu) and run
# SCENARIO (vm_initramfs).  A MODULE is a path relative to BUILD/src, or
# the name of one of sound_stack's modules.
sound_vm_run() {
	local name=$1 build=$2 log=$3 wav=$4 marks=$5 scenario=$6 args=$7
	local mods m initrd t
	shift 7
	mods=$(sound_modules "$name") || { say "no sound modules for $name"; return 1; }
	vm_kernel "$name" || { say "no kernel image for $name"; return 1; }
	initrd=$(mktemp)
	vm_initramfs "$build" "$initrd" "$scenario" "$args" \
		$(for m in "$@"; do
			case $m in *.ko) echo "$m" ;; *) echo "$mods/$m.ko" ;; esac
		done) || { rm -f "$initrd"; return 1; }
	vm_boot_retry "$log" python3 "$SAFE_ROOT/scripts/sound-vm.py" \
		--kernel "$vm_image" \
		--initrd "$initrd" --log "$log" --wav "$wav" \
		--marks "$marks" --timeout "${SAFE_VM_TIMEOUT:-1800}" \
		"${vm_qemu[@]}" ${SAFE_VM_PROGRESS:+--progress}
	t=$?
	rm -f "$initrd"
	return $t
}
