# SPDX-License-Identifier: GPL-2.0
# Kernel labs (docs/labs/): boot the test VM for one lab.
#   make lab N=3          lab 3's program, then a shell with the module loaded
#   make lab N=3 AUTO=1   run lab 3's steps non-interactively and check them
#   make lab-3, make lab-3-auto   the same, as targets
#   make lab-pictures     labs 2, 3 and 5 --auto: their pictures into docs/labs/images

.PHONY: lab lab-pictures

lab-pictures:
	scripts/lab-pictures --build-dir $(BUILD_DIR)

lab:
	@case "$(N)" in [1-7]) ;; *) echo "usage: make lab N=1..7 [AUTO=1] (see docs/labs/README.md)" >&2; exit 2 ;; esac
	scripts/deps.sh
	tests/vm/run --build-dir $(BUILD_DIR) --lab $(N) $(if $(AUTO),--auto)

lab-%-auto:
	$(MAKE) lab N=$* AUTO=1

lab-%:
	$(MAKE) lab N=$*
