# Bad inputs give exit code 1 and one line naming the file and what is wrong.
source "$(dirname "$0")/lib.sh"

expect_error "missing file" "nope\.onnx: no such file" "$pimhls" inspect "$work/nope.onnx"
printf 'this is not a protobuf at all\n' >"$work/text.onnx"
expect_error "not ONNX" "text\.onnx: .*(not an ONNX|invalid)" "$pimhls" inspect "$work/text.onnx"
head -c 2000 "$src/examples/tiny_cnn.onnx" >"$work/truncated.onnx"
expect_error "truncated" "truncated\.onnx: " "$pimhls" inspect "$work/truncated.onnx"
: >"$work/empty.onnx"
expect_error "empty file" "empty\.onnx: " "$pimhls" inspect "$work/empty.onnx"
expect_error "directory" "no such file" "$pimhls" inspect "$work"
expect_error "run: input of the wrong shape" "input .* shape" \
  "$pimhls" run "$src/examples/tiny_cnn.onnx" --input "$src/examples/vgg8_input.pb"
# A model exported with a dynamic batch: taken as 1 with a note; --input-shape gives another.
dynamic="$src/tests/data/torch_keyword_spotter_op11/model.onnx"
expect_output "dynamic batch without --input-shape" \
  "note: input 'input' of shape \?x6x40: its dynamic batch dimension \('batch'\) is taken as 1 \(--input-shape sets another\)" \
  "$pimhls" inspect "$dynamic"
expect_output "dynamic batch: gen writes the RTL of batch 1" "wrote .*design\.json, .*rom/" \
  "$pimhls" gen "$dynamic" --area 1mm2 --no-verify -o "$work/gen_dynamic"
expect_error "gen: a batch of 2 has no RTL" \
  "model\.onnx: value 'input': tensor of shape 2x6x40: the RTL infers one sample per run; .* or estimate batch 2 with gen --no-rtl" \
  "$pimhls" gen "$dynamic" --area 1mm2 --input-shape 2x6x40 -o "$work/gen_batch2"
expect_output "gen --no-rtl estimates a batch of 2" "wrote .*design\.json, report\.json and report\.html" \
  "$pimhls" gen "$dynamic" --area 1mm2 --input-shape 2x6x40 --no-rtl -o "$work/gen_batch2"
expect_output "--input-shape of the only input, unnamed" "^total .*1,653 " \
  "$pimhls" inspect "$dynamic" --input-shape 1x6x40
expect_output "--input-shape by name, batch 2" "/head/head.4/Gemm +Gemm +2x8 +2x5 " \
  "$pimhls" inspect "$dynamic" --input-shape input=2x6x40
expect_error "--input-shape that is not a shape" \
  "--input-shape '1x6xa': expected \[NAME=\]DIMS with positive dimensions" \
  "$pimhls" inspect "$dynamic" --input-shape 1x6xa
expect_error "--input-shape of another input" "model\.onnx: input shape for 'x', which is not a graph input" \
  "$pimhls" estimate "$dynamic" --input-shape x=1x6x40
expect_error "--input-shape against a fixed dimension" \
  "model\.onnx: input shape 1x6x41 for 'input' does not fit its declared shape" \
  "$pimhls" run "$dynamic" --input-shape 1x6x41
expect_output "run: a dynamic input takes its --input file's shape" "^wrote .*out_dynamic\.pb" \
  "$pimhls" run "$dynamic" --input "$src/tests/data/torch_keyword_spotter_op11/test_data_set_0/input_0.pb" \
  --output "$work/out_dynamic.pb"
expect_error "run: an --input file that does not fit a dynamic input" \
  "tiny_cnn_input\.pb: tensor of shape 1x3x16x16, but input 'input' has shape \?x6x40" \
  "$pimhls" run "$dynamic" --input "$src/examples/tiny_cnn_input.pb"
expect_error "--input-shape twice" "--input-shape 'input=2x6x40': input 'input' is given twice" \
  "$pimhls" gen "$dynamic" --area 1mm2 --input-shape input=1x6x40 --input-shape input=2x6x40
finish
