# gen -> sim on the operators that move data rather than compute, exported by PyTorch:
#  - tests/data/torch_upsample_skip_op13, a U-Net step (an encoder conv, MaxPool, a conv at half
#    resolution, nn.Upsample 2x nearest (Resize), Concat with the skip, a 1x1 conv, then
#    F.interpolate by (1, 3)): the Upsamples are 1x1 MAXPOOL RUNs whose window moves every UP_H
#    rows and UP_W columns; resident at 4 mm2 and in several groups with reloads at 0.8 mm2;
#  - tests/data/torch_conv_transpose_op13 (ConvTranspose2d kernel 3 stride 2 output_padding 1
#    with BN+ReLU, kernel 2 stride 2, grouped and dilated stride 1): ZeroInsert RUNs (a MAXPOOL
#    with FLAGS[3]) before Convs with the flipped kernels, in several groups at 0.8 mm2;
#  - tests/data/torch_channel_split_op13 (YOLOv8's C2f: chunk into halves, Concat, then
#    x[:, 2:6]): ChannelGather COPY RUNs reading from IN_C_FIRST;
#  - tests/data/torch_channel_shuffle_op13 (ShuffleNetV2's units with torchvision's channel
#    shuffle, Reshape/Transpose/Reshape, then x[:, [5, 0, 3]]): COPY RUNs with FLAGS[4], whose
#    lanes read the channels listed in the data ROM;
#  - tests/data/torch_focus_crop_op13 (YOLOv5's Focus, x[..., ::2, ::2] and neighbours, and a
#    crop x[:, :, 1:3, 1:] with every other channel): 1x1 MAXPOOL RUNs with stride 2 and
#    negative pads (the slice's start), and a COPY with FLAGS[4];
#  - tests/data/torch_bilinear_head_op13 (F.interpolate bilinear by 3 and by 4, a segmentation
#    head): one RESAMPLE RUN each (2x2 windows at the rows and columns of the data ROM);
#  - tests/data/torch_reflect_pad_op13 (the fast neural style network as PyTorch's examples write
#    it: ReflectionPad2d before every Conv, a ReplicationPad2d, padding_mode="reflect"): BorderPad
#    RUNs, 1x1 MAXPOOLs whose taps past the border fold back (FLAGS[7:6] 1 reflect, 2 edge);
#  - tests/data/torch_zero_pad_readers_op13 (zero pads no Conv absorbs: Keras' ZeroPadding2D
#    before MaxPooling2D, an Add of two zero-padded maps, a pad before an AvgPool with
#    ceil_mode): a MAXPOOL whose pads read zeros and zero BorderPads (FLAGS[7:6] 3);
#  - tests/data/torch_constant_pad_op13 (pads of 0.5 before a Conv, -inf before a MaxPool, -1
#    before a padded Conv and an Add): an ADD RUN of -0.5 before the Conv whose bias holds the
#    rest, a MAXPOOL whose pads are skipped, a zero BorderPad between ADD RUNs of +1 and -1;
#  - tests/data/torch_super_resolution_op13 (ESPCN: nn.PixelShuffle(3), exported as
#    DepthToSpace, and PixelUnshuffle(2) + PixelShuffle(2)): Upsample RUNs whose lanes read the
#    channels of their block phase (a MAXPOOL with UP 3 and FLAGS[4]); strided slices;
#  - tests/data/torch_bicubic_skip_op13 (F.interpolate bicubic by 2 of the input beside a
#    PixelShuffle, then by (3, 1)): an edge BorderPad (FLAGS[7:6] 2), a grouped Conv of the
#    phases on the arrays and an Upsample interleaving them (UP_H 3, UP_W 1, FLAGS[4]);
#  - tests/data/torch_pyramid_op13 (F.interpolate by 1/2 nearest and bilinear, 1/3 and 1/4
#    bilinear): strided 1x1 MAXPOOLs and 2-tap AVGPOOLs with stride 2 and 4, the latter with
#    negative pads (its window starts inside the map);
#  - tests/data/torch_circular_pad_op13 (circular padding, torch.roll and a Concat of rows: maps
#    joined along H and W): zero BorderPads placing each piece and ADD RUNs of the pieces.
#  - tests/data/torch_coord_conv_op11 (CoordConv: coordinate maps from Range, Expand and folded
#    shape arithmetic, concatenated to the features): each constant block is a COPY of channel 0,
#    an AFFINE RUN times 0 and an ADD of the constant per element, then the Concat;
#  - tests/data/torch_constant_masks_op13 (a map times a mask per pixel, over a scale per element,
#    times a weight per row): the constant made a map the same way, then a MUL;
#  - tests/data/torch_resize_any_op13 (bilinear align_corners=True by 2, to 11x6, nearest to
#    5x13): RESAMPLE RUNs, a 2x2 (or 1x1) window per output pixel at the rows and columns of the
#    data ROM, weighted by its fixed-point weights;
#  - tests/data/torch_flip_op13 (torch.flip of the columns, then of the channels and rows):
#    RESAMPLE RUNs of 1x1 windows at the rows and columns listed backwards.
# PASS bit for bit with the cycles the cost model estimates.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rtl_lib.bash"
upsample="$src/tests/data/torch_upsample_skip_op13/model.onnx"
transpose="$src/tests/data/torch_conv_transpose_op13/model.onnx"

gen_and_sim "U-Net step with Upsample, 4 mm2" "$work/resident" "$upsample" --area 4mm2 &&
  echo "     $(design_shape "$work/resident")"
gen_and_sim "U-Net step with Upsample, 0.8 mm2 (several groups)" "$work/groups" "$upsample" \
  --area 0.8mm2 && echo "     $(design_shape "$work/groups")"
expect_output "an Upsample is a 1x1 max pool moving every 1 row and 3 columns" \
  "SET UP_H, 1 .* SET UP_W, 3" bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f" |
    grep UP_ | tr "\n" " "; echo; done' "$pimhls" "$work/groups"
gen_and_sim "ConvTranspose2d decoder, 0.8 mm2 (several groups)" "$work/transpose" "$transpose" \
  --area 0.8mm2 && echo "     $(design_shape "$work/transpose")"
expect_output "a ZeroInsert is a 1x1 max pool with FLAGS[3]" "SET FLAGS, 8" \
  bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f"; done' "$pimhls" \
  "$work/transpose"
gen_and_sim "C2f: chunk and channel slices, 4 mm2" "$work/slices" \
  "$src/tests/data/torch_channel_split_op13/model.onnx" --area 4mm2 &&
  echo "     $(design_shape "$work/slices")"
expect_output "a slice of channels is a COPY from IN_C_FIRST" "SET IN_C_FIRST, 4" \
  bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f"; done' "$pimhls" \
  "$work/slices"
gen_and_sim "ShuffleNetV2 units: channel shuffles and a Gather, 8 mm2 (two groups)" "$work/shuffle" \
  "$src/tests/data/torch_channel_shuffle_op13/model.onnx" --area 8mm2 &&
  echo "     $(design_shape "$work/shuffle")"
expect_output "a channel shuffle is a COPY with FLAGS[4]" "SET FLAGS, 16" \
  bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f"; done' "$pimhls" \
  "$work/shuffle"
gen_and_sim "YOLOv5 Focus and a crop: Slices of rows and columns, 4 mm2" "$work/focus" \
  "$src/tests/data/torch_focus_crop_op13/model.onnx" --area 4mm2 &&
  echo "     $(design_shape "$work/focus")"
expect_output "a Slice of rows from row 1 is a 1x1 max pool with PAD_T -1" "SET PAD_T, -1" \
  bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f"; done' "$pimhls" \
  "$work/focus"
gen_and_sim "bilinear upsampling by 3 and 4, 2 mm2" "$work/bilinear" \
  "$src/tests/data/torch_bilinear_head_op13/model.onnx" --area 2mm2 &&
  echo "     $(design_shape "$work/bilinear")"
expect_output "bilinear by 3 and by 4 are a RESAMPLE of 2x2 windows each" \
  "RESAMPLE .*SET KH, 2 .*SET KW, 2 .*RESAMPLE .*SET KH, 2 .*SET KW, 2" \
  bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f" | grep -E "RESAMPLE|K[HW]," |
    tr -s " " | cut -d" " -f4- | tr "\n" " "; done' "$pimhls" "$work/bilinear"
gen_and_sim "style transfer with reflect and edge Pads, 2 mm2" "$work/reflect" \
  "$src/tests/data/torch_reflect_pad_op13/model.onnx" --area 2mm2 &&
  echo "     $(design_shape "$work/reflect")"
expect_output "reflect and edge Pads are 1x1 max pools with FLAGS 64 and 128" \
  "SET FLAGS, 128.*SET FLAGS, 64|SET FLAGS, 64.*SET FLAGS, 128" \
  bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f" | grep "FLAGS, [16]" | tr "\n" " "; done' \
  "$pimhls" "$work/reflect"
gen_and_sim "zero pads read by a MaxPool, an Add and a ceil_mode AvgPool, 1 mm2" "$work/zeros" \
  "$src/tests/data/torch_zero_pad_readers_op13/model.onnx" --area 1mm2 &&
  echo "     $(design_shape "$work/zeros")"
expect_output "the MaxPool and three zero BorderPads read zeros in their pads (FLAGS 192)" \
  "^4$" bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f"; done |
    grep -c "SET FLAGS, 192"' "$pimhls" "$work/zeros"
gen_and_sim "pads of 0.5, -inf and -1 before a Conv, a MaxPool and an Add, 1 mm2" "$work/constant" \
  "$src/tests/data/torch_constant_pad_op13/model.onnx" --area 1mm2 &&
  echo "     $(design_shape "$work/constant")"
gen_and_sim "super-resolution with PixelShuffle and PixelUnshuffle, 1 mm2" "$work/shuffle_pixels" \
  "$src/tests/data/torch_super_resolution_op13/model.onnx" --area 1mm2 &&
  echo "     $(design_shape "$work/shuffle_pixels")"
expect_output "PixelShuffle(3) is a 1x1 max pool by 3 gathering channels per phase" \
  "SET UP_H, 3 .* SET FLAGS, 16" bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f" |
    grep -E "UP_H|FLAGS" | tr "\n" " "; done' "$pimhls" "$work/shuffle_pixels"
gen_and_sim_fixture "bicubic skip: Resize cubic by 2 and by (3, 1), 1 mm2" "$work/bicubic" \
  "$src/tests/data/torch_bicubic_skip_op13" --area 1mm2 && echo "     $(design_shape "$work/bicubic")"
expect_output "cubic by (3, 1): an edge BorderPad, then an Upsample by 3 rows reading the phases" \
  "SET FLAGS, 128 .*SET UP_H, 3 SET UP_W, 1 .*SET FLAGS, 16" \
  bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f" |
    grep -E "SET (UP_H|UP_W|FLAGS)," | tr -s " " | cut -d" " -f4- | tr "\n" " "; done' \
  "$pimhls" "$work/bicubic"
gen_and_sim "pyramid: downsampling by 1/2, 1/3 and 1/4, 1 mm2" "$work/pyramid" \
  "$src/tests/data/torch_pyramid_op13/model.onnx" --area 1mm2 &&
  echo "     $(design_shape "$work/pyramid")"
expect_output "linear by 1/4 is a 2x2 AVGPOOL with stride 4 starting at row and column 1" \
  "SET KH, 2 .*SET STRIDE_H, 4 .*SET PAD_T, -1 " bash -c 'for f in "$1"/rom/ve*[0-9].hex; do
    "$0" disasm "$f" | grep -E "SET (KH|STRIDE_H|PAD_T)," | tr -s " " | cut -d" " -f4- | tr "\n" " "; done' \
  "$pimhls" "$work/pyramid"
gen_and_sim "circular padding and torch.roll: Concat along H and W, 1 mm2" "$work/circular" \
  "$src/tests/data/torch_circular_pad_op13/model.onnx" --area 1mm2 &&
  echo "     $(design_shape "$work/circular")"
gen_and_sim "CoordConv: a Concat of features and constant maps, opset 11, 1 mm2" \
  "$work/coord_conv" "$src/tests/data/torch_coord_conv_op11/model.onnx" --area 1mm2
gen_and_sim "constant masks per pixel, element and row, 1 mm2" "$work/masks" \
  "$src/tests/data/torch_constant_masks_op13/model.onnx" --area 1mm2
gen_and_sim_fixture "resizes by other sizes (RESAMPLE), 1 mm2" "$work/resize_any" \
  "$src/tests/data/torch_resize_any_op13" --area 1mm2 && echo "     $(design_shape "$work/resize_any")"
expect_output "align_corners by 2 is a RESAMPLE of 2x2 windows" "OP, 11 .*SET KH, 2 .*SET KW, 2" \
  bash -c 'for f in "$1"/rom/ve*[0-9].hex; do "$0" disasm "$f" | tr "\n" " "; echo; done' \
  "$pimhls" "$work/resize_any"
gen_and_sim_fixture "torch.flip: slices backwards (RESAMPLE), 1 mm2" "$work/flip" \
  "$src/tests/data/torch_flip_op13" --area 1mm2
expect_output "a flip of the columns lists them backwards" \
  "RESAMPLE: column 0: input column 9 .*RESAMPLE: column 9: input column 0" \
  bash -c 'for f in "$1"/rom/ve*_data.hex; do "$0" disasm "$f" | tr "\n" " "; echo; done' \
  "$pimhls" "$work/flip"
finish
