# pimhls inspect on the examples: parameter counts from the issue (VGG-8 12.98 M, ResNet-18 11.69 M).
source "$(dirname "$0")/lib.sh"

expect_output "VGG-8 parameters" "total \(.*8 with weights\).* 12,976,266 " "$pimhls" inspect "$src/examples/vgg8.onnx"
# First three layers 3.6 Mb, fourth 4.7 Mb at 8-bit weights (the paper's example).
expect_output "VGG-8 layer 4 weight bits" "conv4 .* 4\.719 *$" "$pimhls" inspect "$src/examples/vgg8.onnx"
expect_output "ResNet-18 parameters" "total .* 11,6[0-9]{2},[0-9]{3} " "$pimhls" inspect "$src/examples/resnet18.onnx"
expect_output "ResNet-18 BN folded" "21 with weights" "$pimhls" inspect "$src/examples/resnet18.onnx"
# The totals end where the header's columns do (the label spans the text columns).
expect_output "ResNet-18 totals under their headers" "^ok$" bash -c '"$0" inspect "$1" |
  awk "NR == 1 { header = index(\$0, \"params\") + 5 } /^total/ { n = index(\$0, \"11,6\") + 9 }
       END { print (header == n ? \"ok\" : \"params ends at \" header \", total at \" n) }"' \
  "$pimhls" "$src/examples/resnet18.onnx"
# Inputs and outputs in the model's layout, and the design's where it differs (channels-last views).
expect_output "an [N, P, 3] input read as [N, 3, P]" "^inputs: +input 1x64x3 \(read as 1x3x64\)$" \
  "$pimhls" inspect "$src/tests/data/torch_point_mlp_op13/model.onnx"
expect_output "an [N, T, K] output computed as its map" \
  "^outputs: output 1x20x4 \(computed as 1x4x1x20\)$" \
  "$pimhls" inspect "$src/tests/data/torch_frame_feed_forward_op13/model.onnx"
expect_output "inputs and outputs of the tiny CNN" "^outputs: fc 1x10$" \
  "$pimhls" inspect "$src/examples/tiny_cnn.onnx"
expect_output "tiny CNN as JSON" '"weight_layers": [0-9]+' "$pimhls" inspect --json "$src/examples/tiny_cnn.onnx"
"$pimhls" inspect --json "$src/examples/tiny_cnn.onnx" | python3 -m json.tool >/dev/null ||
  { echo "FAIL inspect --json is not valid JSON"; failures=$((failures + 1)); }
expect_output "help" "inspect" "$pimhls" --help
expect_output "version" "^pimhls [0-9]+\.[0-9]+\.[0-9]+" "$pimhls" --version
finish
