# The README's main command: VGG-8 at 16 mm2, generated and simulated (label `slow`).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
model="$src/examples/vgg8.onnx"
if [ ! -f "$model" ]; then
  echo "FAIL $model missing (scripts/setup.sh makes the examples)"; exit 1
fi
gen_and_sim "VGG-8 at 16 mm2" "$work/vgg8" "$model" --area 16mm2 &&
  echo "     $(design_shape "$work/vgg8")"
finish
