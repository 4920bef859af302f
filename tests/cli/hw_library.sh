# pimhls hw: the built-in library, overlays, and one-line validation errors.
source "$(dirname "$0")/lib.sh"

# --dump prints the built-in TOML exactly, comments included.
if "$pimhls" hw --dump | cmp -s - "$src/generator/hw/builtin_library.toml"; then
  echo "ok   hw --dump is builtin_library.toml"
else
  echo "FAIL hw --dump differs from generator/hw/builtin_library.toml"; failures=$((failures + 1))
fi
expect_output "summary lists both technologies" "\[tile\.rram\].*" "$pimhls" hw
expect_output "summary marks the SRAM calibration point" "128x128 +16 +[0-9.]+ +1\.04[0-9] .*baseline" "$pimhls" hw
expect_output "configuration count" "^39 tile configurations" "$pimhls" hw
expect_output "fefet added in TOML only" "\[tile\.fefet\]" "$pimhls" hw --hw "$src/examples/hw/fefet.toml"
expect_output "RRAM ADC overridden" "readout +adc_6b \(adc, 6 bits, 580 um2" "$pimhls" hw --hw "$src/examples/hw/rram_adc6.toml"

# The merged library dumped as TOML stands alone again (base = "none").
{ echo 'base = "none"'; "$pimhls" hw --hw "$src/examples/hw/rram_adc6.toml" --dump; } >"$work/merged.toml"
expect_output "merged dump reloads on its own" "readout +adc_6b" "$pimhls" hw --hw "$work/merged.toml"

printf '[tile.rram]\nadcs_per_aray = [4, 8]\n' >"$work/typo.toml"
expect_error "misspelt key" "typo\.toml:2: tile\.rram\.adcs_per_aray: unknown key; did you mean 'adcs_per_array'\?" \
  "$pimhls" hw --hw "$work/typo.toml"
printf '[tile.sram]\narray_sizes = [64, 0]\n' >"$work/zero.toml"
expect_error "zero array size" "zero\.toml:2: tile\.sram\.array_sizes: every entry must be > 0, got 0" \
  "$pimhls" hw --hw "$work/zero.toml"
printf '[tile.sram]\narray_sizes = [64, 96]\n' >"$work/npot.toml"
expect_error "non-power-of-two array size" "npot\.toml:2: .*power of two, got 96" "$pimhls" hw --hw "$work/npot.toml"
printf '[chip]\nclock_ghz = -1.0\n' >"$work/negative.toml"
expect_error "negative clock" "negative\.toml:2: chip\.clock_ghz: must be > 0" "$pimhls" hw --hw "$work/negative.toml"
printf 'base = "none"\n[arithmetic]\nweight_bits = 8\nactivation_bits = 8\nactivation_encoding = "unsigned"\naccumulator_bits = 32\n' >"$work/partial.toml"
expect_error "missing section" "partial\.toml: missing section \[chip\]" "$pimhls" hw --hw "$work/partial.toml"
printf '[tile.rram]\nreadout = "adc_7b"\n' >"$work/name.toml"
expect_error "unknown readout" "name\.toml:2: tile\.rram\.readout: unknown name 'adc_7b'; did you mean" \
  "$pimhls" hw --hw "$work/name.toml"
printf '[chip\nclock_ghz = 1\n' >"$work/syntax.toml"
expect_error "TOML syntax" "syntax\.toml:1: TOML syntax error" "$pimhls" hw --hw "$work/syntax.toml"
expect_error "missing file" "nope\.toml: no such file" "$pimhls" hw --hw "$work/nope.toml"
finish
