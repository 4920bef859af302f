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
finish
