#!/usr/bin/env python3
"""Exports small seeded PyTorch models to ONNX as importer/golden-model test fixtures.

usage: scripts/make_torch_fixtures.py [OUTDIR]   (default: tests/data next to this script)

Writes OUTDIR/torch_<model>_op<opset>/model.onnx and test_data_set_0/{input_0,output_0}.pb
(the layout of ONNX's own node tests; output_0 is PyTorch's output for input_0) for opsets 11, 13
and 17. Opset 11 is the hard variant: a dynamic batch axis (input dim_param "batch"),
do_constant_folding=False and TrainingMode.PRESERVE, so unfolded Shape/Gather/Unsqueeze/Concat/
Reshape chains and separate BatchNormalization nodes appear. Opsets 13 and 17 use the exporter's
defaults: static shapes, constant folding, BatchNormalization fused into Conv.

Needs python3-torch 1.13 (Debian 12). The output is committed, so CI does not need torch.
"""

import io
import sys
from pathlib import Path

import onnx
import torch
from onnx import numpy_helper
from torch import nn

OPSETS = (11, 13, 17)


def conv_bn_relu6(c_in, c_out, kernel=3, stride=1, groups=1):
    return [nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(c_out), nn.ReLU6()]


class SmallCnn(nn.Module):
    """Conv+BN+ReLU6, MaxPool, x.view(x.size(0), -1) (a Shape chain at opset 11), Dropout."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(*conv_bn_relu6(3, 8), nn.MaxPool2d(2),
                                      *conv_bn_relu6(8, 16), nn.MaxPool2d(2))
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(16 * 3 * 3, 10)

    def forward(self, x):
        x = self.features(x)
        return self.fc(self.dropout(x.view(x.size(0), -1)))


class ResidualBlock(nn.Module):
    """A ResNet BasicBlock with a 1x1 stride-2 downsample, then AdaptiveAvgPool2d(1) and Linear."""

    def __init__(self, c_in=8, c_out=16):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.downsample = nn.Sequential(nn.Conv2d(c_in, c_out, 1, 2, bias=False),
                                        nn.BatchNorm2d(c_out))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c_out, 10)

    def forward(self, x):
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        y = torch.relu(y + self.downsample(x))
        return self.fc(torch.flatten(self.pool(y), 1))


def mobilenet_block():
    """Depthwise 3x3 (groups=channels) + pointwise 1x1 (MobileNet), then a conv with groups=2."""
    return nn.Sequential(*conv_bn_relu6(3, 8), *conv_bn_relu6(8, 8, groups=8),
                         *conv_bn_relu6(8, 16, kernel=1),
                         *conv_bn_relu6(16, 16, stride=2, groups=2))


class TwoBranchMlp(nn.Module):
    """Two Linear+ReLU branches joined by torch.cat; the branch without bias exports as MatMul."""

    def __init__(self):
        super().__init__()
        self.branch_a = nn.Sequential(nn.Linear(32, 24), nn.ReLU())
        self.branch_b = nn.Sequential(nn.Linear(32, 8, bias=False), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 10))

    def forward(self, x):
        return self.head(torch.cat([self.branch_a(x), self.branch_b(x)], dim=1))


def pooling_variants():
    """AvgPool with ceil_mode (on 10x10 its last window runs past the padding) and
    count_include_pad=False, then a padded MaxPool."""
    return nn.Sequential(nn.Conv2d(4, 8, 1), nn.ReLU(),
                         nn.AvgPool2d(3, 2, padding=1, ceil_mode=True, count_include_pad=False),
                         nn.MaxPool2d(3, 2, padding=1, dilation=1))


class UpsampleSkip(nn.Module):
    """A U-Net step: an encoder conv, MaxPool, a conv at half resolution, nn.Upsample(2x,
    nearest: Resize, or at opset 11 Resize with the scales computed by a Shape chain), Concat
    with the skip, then a 1x1 conv and F.interpolate by (1, 3)."""

    def __init__(self):
        super().__init__()
        self.encode = nn.Sequential(*conv_bn_relu6(3, 8))
        self.down = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU())
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.head = nn.Conv2d(24, 4, 1)

    def forward(self, x):
        skip = self.encode(x)
        y = self.head(torch.cat([skip, self.up(self.down(skip))], dim=1))
        return nn.functional.interpolate(y, scale_factor=(1, 3), mode="nearest")


class ResizeAny(nn.Module):
    """Resizes that are no whole-factor repetition: a U-Net up step as milesial's Pytorch-UNet
    writes it (nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True), Concat with
    the skip), F.interpolate to sizes of other ratios (bilinear 8x8 to 11x6, a row down and
    columns up; nearest to 5x13) and DeepLab's bilinear back to the input size."""

    def __init__(self):
        super().__init__()
        self.encode = nn.Sequential(*conv_bn_relu6(3, 8))
        self.down = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU())
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        self.fuse = nn.Sequential(nn.Conv2d(16, 8, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        skip = self.encode(x)
        y = self.fuse(torch.cat([skip, self.up(self.down(skip))], dim=1))
        y = nn.functional.interpolate(y, size=(11, 6), mode="bilinear", align_corners=False)
        y = nn.functional.interpolate(self.head(y), size=(5, 13), mode="nearest")
        return nn.functional.interpolate(y, size=x.shape[2:], mode="bilinear", align_corners=True)


class Flip(nn.Module):
    """torch.flip as test-time augmentation uses it: features plus their mirror image (a Slice
    of the columns with step -1), the channels and rows flipped together (steps -1 on both),
    then a head whose output keeps every other row."""

    def __init__(self):
        super().__init__()
        self.encode = nn.Sequential(*conv_bn_relu6(3, 8))
        self.head = nn.Conv2d(8, 4, 3, padding=1)

    def forward(self, x):
        y = self.encode(x)
        y = y + torch.flip(y, dims=[3])
        return self.head(torch.flip(y, dims=[1, 2]))[:, :, ::2, :]


class BilinearHead(nn.Module):
    """A segmentation head as torchvision's FCN and DeepLabV3 write it: an encoder down to 1/12
    resolution, F.interpolate(mode="bilinear", align_corners=False) by 3 (odd) added to a skip,
    then to the input size (by 4, even: Resize with sizes), and a 1x1 classifier."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn_relu6(3, 8, stride=2), *conv_bn_relu6(8, 8, stride=2))
        self.down = nn.Sequential(nn.Conv2d(8, 8, 3, 3), nn.ReLU())
        self.classifier = nn.Conv2d(8, 5, 1)

    def forward(self, x):
        skip = self.stem(x)
        y = nn.functional.interpolate(self.down(skip), scale_factor=3, mode="bilinear",
                                      align_corners=False)
        y = nn.functional.interpolate(y + skip, size=x.shape[-2:], mode="bilinear",
                                      align_corners=False)
        return self.classifier(y)


class LayerNorm2d(nn.Module):
    """LayerNorm over the channels of an NCHW map as ConvNeXt's official code writes it
    (channels_first): the mean and variance over axis 1, (x - u) / sqrt(s + eps), then a weight
    and bias per channel."""

    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(1.0 + 0.5 * torch.randn(channels))
        self.bias = nn.Parameter(0.1 * torch.randn(channels))
        self.eps = eps

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        x = (x - u) / torch.sqrt(s + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


class ConvNextChannelsFirst(nn.Module):
    """A small ConvNeXt with channels_first LayerNorms: a 4x4 stride-4 stem + LN, a block
    (depthwise 7x7, LN, 1x1 to 4C, GELU, 1x1 back, layer scale, residual), LN + 2x2 stride-2
    downsampling, global average pool, Linear."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 4, 4), LayerNorm2d(8))
        self.block = nn.Sequential(nn.Conv2d(8, 8, 7, padding=3, groups=8), LayerNorm2d(8),
                                   nn.Conv2d(8, 32, 1), nn.GELU(), nn.Conv2d(32, 8, 1))
        self.gamma = nn.Parameter(0.5 * torch.ones(8, 1, 1))
        self.down = nn.Sequential(LayerNorm2d(8), nn.Conv2d(8, 16, 2, 2))
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        x = self.stem(x)
        x = x + self.gamma * self.block(x)
        return self.fc(self.down(x).mean((2, 3)))


def randomize_instance_norms(model):
    # Non-trivial affine terms (PyTorch's defaults are 1 and 0).
    for norm in model.modules():
        if isinstance(norm, nn.InstanceNorm2d):
            nn.init.normal_(norm.weight, 1.0, 0.3)
            nn.init.normal_(norm.bias, 0.0, 0.1)


class StyleTransfer(nn.Module):
    """The fast neural style network's pattern (the ONNX model zoo's style transfer models,
    CycleGAN generators): Conv + InstanceNorm2d(affine) + ReLU, a stride-2 Conv + InstanceNorm,
    a residual block with InstanceNorms, nearest upsampling, a Conv to 3 channels."""

    def __init__(self):
        super().__init__()

        def conv_in(c_in, c_out, kernel, stride=1):
            return [nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2),
                    nn.InstanceNorm2d(c_out, affine=True)]

        self.encode = nn.Sequential(*conv_in(3, 8, 5), nn.ReLU(), *conv_in(8, 16, 3, 2), nn.ReLU())
        self.residual = nn.Sequential(*conv_in(16, 16, 3), nn.ReLU(), *conv_in(16, 16, 3))
        self.decode = nn.Sequential(nn.Upsample(scale_factor=2), *conv_in(16, 8, 3), nn.ReLU(),
                                    nn.Conv2d(8, 3, 5, padding=2))
        randomize_instance_norms(self)

    def forward(self, x):
        y = self.encode(x)
        return self.decode(y + self.residual(y))


class ReflectPadStyleTransfer(nn.Module):
    """The fast neural style network as PyTorch's examples write it (TransformerNet; CycleGAN's
    and pix2pixHD's ResnetBlock): ReflectionPad2d before every Conv (ONNX Pad, mode reflect),
    InstanceNorm2d, a stride-2 ConvLayer, a residual block, nearest upsampling, then a
    ReplicationPad2d (mode edge) and a Conv with padding_mode="reflect"."""

    def __init__(self):
        super().__init__()

        def conv_layer(c_in, c_out, kernel, stride=1):
            return [nn.ReflectionPad2d(kernel // 2), nn.Conv2d(c_in, c_out, kernel, stride),
                    nn.InstanceNorm2d(c_out, affine=True)]

        self.encode = nn.Sequential(*conv_layer(3, 8, 5), nn.ReLU(), *conv_layer(8, 16, 3, 2),
                                    nn.ReLU())
        self.residual = nn.Sequential(*conv_layer(16, 16, 3), nn.ReLU(), *conv_layer(16, 16, 3))
        self.decode = nn.Sequential(nn.Upsample(scale_factor=2), nn.ReplicationPad2d((2, 1, 1, 2)),
                                    nn.Conv2d(16, 8, 4), nn.InstanceNorm2d(8, affine=True),
                                    nn.ReLU(), nn.Conv2d(8, 3, 3, padding=1, padding_mode="reflect"))
        randomize_instance_norms(self)

    def forward(self, x):
        y = self.encode(x)
        return self.decode(y + self.residual(y))


class ZeroPadReaders(nn.Module):
    """Zero pads no Conv absorbs: Keras' ZeroPadding2D before MaxPooling2D (ResNet50's and
    DenseNet's pool1_pad, exported as Pad then MaxPool), an Add of two zero-padded maps, and a
    zero pad before an AvgPool2d with ceil_mode. The first Conv has no ReLU, so the zeros win
    maxima."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(3, 2)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.average = nn.AvgPool2d(2, ceil_mode=True)
        self.head = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        y = self.pool(nn.functional.pad(self.conv(x), (1, 1, 1, 1)))
        z = nn.functional.pad(self.conv2(y), (0, 1, 0, 1)) + nn.functional.pad(y, (1, 0, 1, 0))
        return self.head(self.average(nn.functional.pad(z, (1, 0, 0, 0))))


class ConstantPad(nn.Module):
    """Pads of constants other than zero: F.pad(value=0.5) before a Conv without padding (its
    input less 0.5 padded with zeros, the rest in its bias), value=-inf before a MaxPool (the
    pool's own pads), value=-1 before a Conv with padding of its own and an Add (a zero
    BorderPad plus the constant)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.pool = nn.MaxPool2d(3, 2)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.head = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        y = self.conv(nn.functional.pad(x, (1, 1, 1, 1), value=0.5))
        y = self.pool(nn.functional.pad(y, (1, 1, 1, 1), value=float("-inf")))
        z = nn.functional.pad(y, (1, 0, 1, 0), value=-1.0)
        return self.head(self.conv2(z) + z)


class MlpLayerNorm(nn.Module):
    """LayerNorm over the features of [N, D] vectors: a classifier head's after global pooling
    (timm's head norm) and an MLP's between Linears (nn.LayerNorm: LayerNormalization at opset
    17, ReduceMean, Sub, Pow, Sqrt and Div before)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.head_norm = nn.LayerNorm(16)
        self.hidden = nn.Linear(16, 24)
        self.norm = nn.LayerNorm(24)
        self.out = nn.Linear(24, 5)
        for norm in (self.head_norm, self.norm):
            nn.init.uniform_(norm.weight, 0.5, 1.5)
            nn.init.uniform_(norm.bias, -0.2, 0.2)

    def forward(self, x):
        features = torch.flatten(nn.functional.adaptive_avg_pool2d(torch.relu(self.conv(x)), 1), 1)
        return self.out(torch.relu(self.norm(self.hidden(self.head_norm(features)))))


class AxisPools(nn.Module):
    """Reductions over one spatial axis: the height collapsed by a mean (a text recognizer's
    features, then a Conv1d along the width), gated per channel by a squeeze of the rows: the
    width's max (then a 1x1 Conv per row) and the mean of that over the height."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.sequence = nn.Conv1d(8, 6, 3, padding=1)
        self.rows = nn.Conv2d(8, 6, 1)

    def forward(self, x):
        features = torch.relu(self.conv(x))
        width = torch.relu(self.sequence(features.mean(dim=2)))
        rows = self.rows(features.amax(dim=3, keepdim=True))
        return width * torch.sigmoid(rows.mean(dim=2))


class SuperResolution(nn.Module):
    """ESPCN (sub-pixel convolution, PyTorch's super-resolution example): Convs with Tanh at low
    resolution, a Conv to 3 * r^2 channels and nn.PixelShuffle(r) (ONNX DepthToSpace, CRD) for
    r = 3, then nn.PixelUnshuffle(2) and a 1x1 Conv (a space-to-depth written as Reshape,
    Transpose, Reshape) with a second PixelShuffle(2)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 5, padding=2), nn.Tanh(),
                                      nn.Conv2d(16, 8, 3, padding=1), nn.Tanh(),
                                      nn.Conv2d(8, 27, 3, padding=1), nn.PixelShuffle(3))
        self.refine = nn.Sequential(nn.PixelUnshuffle(2), nn.Conv2d(12, 12, 1), nn.PixelShuffle(2))

    def forward(self, x):
        return self.refine(self.features(x))


class BicubicSkip(nn.Module):
    """Super-resolution with a bicubic skip (VDSR, RCAN-style residual learning): Conv2d + ReLU,
    Conv2d to 3 * 4 channels and nn.PixelShuffle(2), plus F.interpolate(x, scale_factor=2,
    mode='bicubic') of the input; then a bicubic upsampling by (3, 1) of the sum (phases of one
    and four taps) and a 3x3 Conv."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(8, 12, 3, padding=1), nn.PixelShuffle(2))
        self.tail = nn.Conv2d(3, 3, 3, padding=1)

    def forward(self, x):
        bicubic = nn.functional.interpolate(x, scale_factor=2, mode="bicubic", align_corners=False)
        y = self.body(x) + bicubic
        return self.tail(nn.functional.interpolate(y, scale_factor=(3, 1), mode="bicubic"))


class Pyramid(nn.Module):
    """Image pyramid levels by F.interpolate with scale factors below 1 on a 13x13 map (sizes
    floor to 6): nearest by 1/2 (every other pixel: a strided slice), bilinear by 1/2 (the mean
    of each 2x2 block), then bilinear by 1/3 of their Concat (the centre pixel of each 3x3
    block) and a 1x1 Conv, plus bilinear by 1/4 (the mean of the 2x2 pixels at the centre of
    each 4x4 block: a window starting inside the map) and a 2x2 Conv."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.mid = nn.Conv2d(8, 8, 3, padding=1)
        self.head = nn.Conv2d(16, 8, 1)
        self.quarter = nn.Conv2d(8, 8, 2)

    def forward(self, x):
        resize = nn.functional.interpolate
        x = torch.relu(self.stem(x))
        nearest = torch.relu(self.mid(resize(x, scale_factor=0.5, mode="nearest")))
        linear = resize(x, scale_factor=0.5, mode="bilinear")
        both = torch.cat([nearest, linear], 1)
        quarter = self.quarter(resize(x, scale_factor=0.25, mode="bilinear"))
        return self.head(resize(both, scale_factor=1 / 3, mode="bilinear")) + quarter


class CircularPad(nn.Module):
    """Maps joined along H and W: circular padding (panoramas, periodic grids) written as slices
    and their Concat, torch.roll along the columns (two slices, concatenated), and a Concat of
    a map with its first two rows. (PyTorch 1.13 exports Conv2d(padding_mode="circular") with
    the wrong rows, pytorch/pytorch#86690, fixed in 2.0; its slices and Concats are these.)"""

    def __init__(self):
        super().__init__()
        self.wrap = nn.Conv2d(3, 8, 3)
        self.head = nn.Conv2d(8, 4, 3)

    def forward(self, x):
        x = torch.cat([x[:, :, -1:], x, x[:, :, :1]], 2)
        x = torch.cat([x[..., -1:], x, x[..., :1]], 3)
        y = torch.relu(self.wrap(x))
        z = torch.roll(y, 2, 3)
        return self.head(torch.cat([z, z[:, :, :2]], 2))


class ConvNextChannelsLast(nn.Module):
    """torchvision's ConvNeXt as it writes its blocks: channels-last in mid-network. A 4x4
    stride-4 stem and torchvision's LayerNorm2d (permute to NHWC, nn.LayerNorm, permute back), a
    CNBlock (depthwise 7x7, permute, nn.LayerNorm, Linear to 4C, GELU, Linear back, permute,
    layer scale, residual), LayerNorm2d + 2x2 stride-2 downsampling, global average pool,
    Linear. nn.LayerNorm exports as ReduceMean/Sub/Pow/Sqrt/Div before opset 17, as
    LayerNormalization from 17."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 4, 4)
        self.stem_norm = nn.LayerNorm(8, eps=1e-6)
        self.dwconv = nn.Conv2d(8, 8, 7, padding=3, groups=8)
        self.norm = nn.LayerNorm(8, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(8, 32), nn.GELU(), nn.Linear(32, 8))
        self.gamma = nn.Parameter(0.5 * torch.ones(8, 1, 1))
        self.down_norm = nn.LayerNorm(8, eps=1e-6)
        self.down = nn.Conv2d(8, 16, 2, 2)
        self.fc = nn.Linear(16, 5)
        for norm in (self.stem_norm, self.norm, self.down_norm):
            nn.init.normal_(norm.weight, 1.0, 0.3)
            nn.init.normal_(norm.bias, 0.0, 0.1)

    @staticmethod
    def norm2d(norm, x):
        return norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)

    def forward(self, x):
        x = self.norm2d(self.stem_norm, self.stem(x))
        y = self.mlp(self.norm(self.dwconv(x).permute(0, 2, 3, 1))).permute(0, 3, 1, 2)
        x = x + self.gamma * y
        x = self.down(self.norm2d(self.down_norm, x))
        return self.fc(x.mean((2, 3)))


class GroupNormHead(nn.Module):
    """A detection head as torchvision's FCOS and RetinaNet v2 write it: 3x3 Conv + GroupNorm +
    ReLU twice (nn.GroupNorm exports as Reshape to [N, G, C/G*H*W], InstanceNormalization,
    Reshape back, Mul and Add), then a 3x3 Conv to the classes."""

    def __init__(self):
        super().__init__()
        self.tower = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.GroupNorm(2, 8), nn.ReLU(),
                                   nn.Conv2d(8, 8, 3, padding=1), nn.GroupNorm(4, 8), nn.ReLU())
        self.classes = nn.Conv2d(8, 4, 3, padding=1)
        for norm in self.tower:
            if isinstance(norm, nn.GroupNorm):
                nn.init.normal_(norm.weight, 1.0, 0.3)
                nn.init.normal_(norm.bias, 0.0, 0.1)

    def forward(self, x):
        return self.classes(self.tower(x))


class Decoder(nn.Module):
    """ConvTranspose2d as decoders use it: kernel 3, stride 2, padding 1, output_padding 1
    (+BN+ReLU), the U-Net up-convolution (kernel 2, stride 2), and a grouped, dilated one."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.Sequential(
            nn.ConvTranspose2d(4, 8, 3, stride=2, padding=1, output_padding=1, bias=False),
            nn.BatchNorm2d(8), nn.ReLU())
        self.up2 = nn.ConvTranspose2d(8, 6, 2, stride=2)
        self.mix = nn.ConvTranspose2d(6, 4, 3, padding=2, dilation=2, groups=2)

    def forward(self, x):
        return self.mix(torch.relu(self.up2(self.up1(x))))


class CroppingDecoder(nn.Module):
    """ConvTranspose2d whose padding exceeds the dilated kernel's reach: the output is cropped
    past what the zero-inserted input's padding covers (+BN+ReLU), on both axes and unevenly."""

    def __init__(self):
        super().__init__()
        self.up = nn.Sequential(nn.ConvTranspose2d(4, 6, 3, stride=2, padding=3),
                                nn.BatchNorm2d(6), nn.ReLU())
        self.crop = nn.ConvTranspose2d(6, 3, 2, padding=(2, 1))

    def forward(self, x):
        return self.crop(self.up(x))


class ContextAdd(nn.Module):
    """GCNet's context block, simplified: a 1x1 bottleneck of the global average added to every
    pixel (Add of [N, C, 1, 1] and [N, C, H, W], the broadcast operand first)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.context = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(8, 4, 1), nn.ReLU(),
                                     nn.Conv2d(4, 8, 1))
        self.head = nn.Conv2d(8, 6, 3, padding=1)

    def forward(self, x):
        y = self.conv(x)
        return self.head(self.context(y) + y)


class C2f(nn.Module):
    """YOLOv8's C2f block: a 1x1 conv, chunk into halves (Split), a bottleneck on the second
    half, Concat of the three, a 1x1 conv; then x[:, 2:6] (Slice of the channels)."""

    def __init__(self):
        super().__init__()
        self.cv1 = nn.Sequential(nn.Conv2d(4, 8, 1), nn.SiLU())
        self.m = nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.SiLU())
        self.cv2 = nn.Conv2d(12, 8, 1)

    def forward(self, x):
        a, b = self.cv1(x).chunk(2, 1)
        return self.cv2(torch.cat([a, b, self.m(b)], 1))[:, 2:6]


def channel_shuffle(x, groups):
    # torchvision's shufflenetv2.channel_shuffle: view as groups, transpose, flatten back
    batch, channels, height, width = x.size()
    x = x.view(batch, groups, channels // groups, height, width)
    return torch.transpose(x, 1, 2).contiguous().view(batch, -1, height, width)


class ShuffleUnits(nn.Module):
    """ShuffleNetV2's units as torchvision writes them: a stride-2 unit (two branches, Concat,
    channel shuffle), a stride-1 unit (chunk, one branch, Concat, channel shuffle), then
    x[:, [5, 0, 3]] (Gather of channels)."""

    def __init__(self, c_in=8, c_out=16):
        super().__init__()
        half = c_out // 2

        def bn(c):
            return nn.BatchNorm2d(c)

        def pointwise(c_a, c_b):
            return [nn.Conv2d(c_a, c_b, 1, bias=False), bn(c_b), nn.ReLU()]

        def depthwise(c, stride):
            return [nn.Conv2d(c, c, 3, stride, 1, groups=c, bias=False), bn(c)]

        self.down1 = nn.Sequential(*depthwise(c_in, 2), *pointwise(c_in, half))
        self.down2 = nn.Sequential(*pointwise(c_in, half), *depthwise(half, 2),
                                   *pointwise(half, half))
        self.unit2 = nn.Sequential(*pointwise(half, half), *depthwise(half, 1),
                                   *pointwise(half, half))

    def forward(self, x):
        x = channel_shuffle(torch.cat((self.down1(x), self.down2(x)), 1), 2)
        a, b = x.chunk(2, dim=1)
        x = channel_shuffle(torch.cat((a, self.unit2(b)), 1), 2)
        return x[:, [5, 0, 3]]


class FocusCrop(nn.Module):
    """YOLOv5's Focus (space to depth: x[..., ::2, ::2] and its three neighbours, Slices with
    step 2, concatenated), a 3x3 conv, then a crop of rows and columns (x[:, :, 1:3, 1:]) and
    every other channel (x[:, ::2]), a 1x1 conv."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(12, 8, 3, padding=1), nn.ReLU())
        self.mix = nn.Conv2d(4, 4, 1)

    def forward(self, x):
        x = torch.cat([x[..., ::2, ::2], x[..., 1::2, ::2], x[..., ::2, 1::2], x[..., 1::2, 1::2]],
                      1)
        return self.mix(self.conv(x)[:, :, 1:3, 1:][:, ::2])


class SpatialGate(nn.Module):
    """Attention U-Net's gate, simplified: a 1x1 bottleneck of the map down to one channel,
    BN, Sigmoid (a value per pixel, [N, 1, H, W]) that scales every channel of the map (Mul,
    the gate first) and is added to every channel of the head's output (Add, the gate first)."""

    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.psi = nn.Sequential(nn.Conv2d(8, 4, 1), nn.ReLU(), nn.Conv2d(4, 1, 1),
                                 nn.BatchNorm2d(1), nn.Sigmoid())
        self.head = nn.Conv2d(8, 6, 3, padding=1)

    def forward(self, x):
        y = self.feat(x)
        a = self.psi(y)
        return a + self.head(a * y)


class ScalarGate(nn.Module):
    """One value for the whole map ([N, 1, 1, 1]): a Sigmoid of the mean of a 1x1 Conv to one
    channel scales every element of the map (Mul, the map first), and the map's mean over H, W
    and the channels is added to every element of the head's input (Add, the scalar first)."""

    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.score = nn.Conv2d(8, 1, 1)
        self.head = nn.Conv2d(8, 6, 3, padding=1)

    def forward(self, x):
        y = self.feat(x)
        gate = torch.sigmoid(self.score(y).mean(dim=(2, 3), keepdim=True))
        level = y.mean(dim=(2, 3), keepdim=True).mean(dim=1, keepdim=True)
        return self.head(level + y * gate)


class SegmentationSoftmax(nn.Module):
    """A segmentation head's class probabilities: a Softmax over the channels of the map. Before
    opset 13 PyTorch exports it as Transpose (perm 0,3,2,1), Softmax over the last axis and the
    same Transpose back."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.classes = nn.Conv2d(8, 5, 1)

    def forward(self, x):
        return torch.softmax(self.classes(self.features(x)), dim=1)


class CoordAttention(nn.Module):
    """Coordinate attention (Hou et al. 2021) as its reference code writes it, for a 6x8 map: the
    mean of every row and of every column, the columns' permuted to [N, C, W, 1] (a Transpose
    of a size-1 axis), both concatenated along H, a 1x1 Conv, BN, h_swish, split along H, the
    columns' permuted back, 1x1 Convs and Sigmoids: a gate per row and channel and one per
    column and channel scaling the map (Mul by [N, C, 1, W] and [N, C, H, 1]). Then the max of
    every row as a sequence ([N, C, H]) into a Conv1d."""

    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.squeeze = nn.Sequential(nn.Conv2d(8, 4, 1), nn.BatchNorm2d(4), nn.Hardswish())
        self.conv_h, self.conv_w = nn.Conv2d(4, 8, 1), nn.Conv2d(4, 8, 1)
        self.sequence = nn.Conv1d(8, 5, 3, padding=1)

    def forward(self, x):
        x = self.feat(x)
        rows = x.mean(dim=3, keepdim=True)
        columns = x.mean(dim=2, keepdim=True).permute(0, 1, 3, 2)
        y = self.squeeze(torch.cat([rows, columns], dim=2))
        rows, columns = torch.split(y, [6, 8], dim=2)
        gate_w = self.conv_w(columns.permute(0, 1, 3, 2)).sigmoid()
        gate_h = self.conv_h(rows).sigmoid()
        return self.sequence((x * gate_w * gate_h).amax(dim=3))


class BroadcastPair(nn.Module):
    """Element-wise operands that both broadcast: a gate per row and channel ([N, C, H, 1]) plus
    one per column of one channel ([N, 1, 1, W]), the map times both, and the per-channel mean
    times a one-channel map ([N, C, 1, 1] * [N, 1, H, W])."""

    def __init__(self):
        super().__init__()
        self.feat = nn.Conv2d(3, 8, 3, padding=1)
        self.rows = nn.Conv2d(8, 8, 1)
        self.columns = nn.Conv2d(8, 1, 1)
        self.head = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        x = torch.relu(self.feat(x))
        rows = torch.sigmoid(self.rows(x.mean(dim=3, keepdim=True)))
        columns = torch.tanh(self.columns(x.amax(dim=2, keepdim=True)))
        spread = x.mean(dim=(2, 3), keepdim=True) * torch.sigmoid(self.columns(x))
        return self.head(x * rows * columns + (rows + columns) + spread)


class Cbam(nn.Module):
    """CBAM (Woo et al. 2018): channel attention from the average and the max pool
    (AdaptiveAvgPool2d(1), AdaptiveMaxPool2d(1): GlobalAveragePool, GlobalMaxPool) through one
    shared MLP, their sum through a Sigmoid scaling every channel; spatial attention from the
    mean and the max over the channels (ReduceMean, ReduceMax over axis 1) concatenated, a 7x7
    conv, BN and a Sigmoid scaling every pixel. Head: the mean of a conv over H and W and a
    Linear of the max over H and W (ReduceMean, ReduceMax, keepdims=0), concatenated."""

    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.mlp = nn.Sequential(nn.Conv2d(8, 2, 1), nn.ReLU(), nn.Conv2d(2, 8, 1))
        self.spatial = nn.Sequential(nn.Conv2d(2, 1, 7, padding=3, bias=False), nn.BatchNorm2d(1),
                                     nn.Sigmoid())
        self.head = nn.Conv2d(8, 6, 3, padding=1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        y = self.feat(x)
        a = self.mlp(nn.functional.adaptive_avg_pool2d(y, 1)) + self.mlp(
            nn.functional.adaptive_max_pool2d(y, 1))
        y = y * torch.sigmoid(a)
        s = torch.cat([y.mean(1, keepdim=True), y.amax(1, keepdim=True)], 1)
        y = y * self.spatial(s)
        return torch.cat([self.head(y).mean((2, 3)), self.fc(y.amax((2, 3)))], 1)


class OnnxLrn(torch.autograd.Function):
    """nn.LocalResponseNorm exported as one ONNX LRN node, as Caffe2-converted models (the ONNX
    model zoo's AlexNet, CaffeNet, GoogLeNet) have it: PyTorch 1.13 exports it as a 5-D Pad and
    AveragePool instead. Odd sizes only (for even ones PyTorch's band is one channel lower)."""

    @staticmethod
    def forward(ctx, x, size, alpha, beta, k):
        return nn.functional.local_response_norm(x, size, alpha, beta, k)

    @staticmethod
    def symbolic(g, x, size, alpha, beta, k):
        return g.op("LRN", x, size_i=size, alpha_f=alpha, beta_f=beta, bias_f=k)


class LrnNet(nn.Module):
    """AlexNet's first stages: conv, ReLU, LRN (size 5, alpha 1e-4, beta 0.75, k 2: AlexNet's,
    nearly a constant scale here), max pool, conv, ReLU, LRN (size 3, alpha 0.5, beta 0.75, k 1:
    strongly nonlinear on these activations), global average pool, Linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 12, 3, padding=1)
        self.fc = nn.Linear(12, 5)

    def forward(self, x):
        x = OnnxLrn.apply(torch.relu(self.conv1(x)), 5, 1e-4, 0.75, 2.0)
        x = OnnxLrn.apply(torch.relu(self.conv2(nn.functional.max_pool2d(x, 2))), 3, 0.5, 0.75, 1.0)
        return self.fc(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1))


class TorchLrn(nn.Module):
    """nn.LocalResponseNorm as PyTorch exports it (no ONNX LRN: the square viewed as
    [N, 1, C, H, W], zeros padded on the channels, AveragePool over (size, 1, 1), an If that
    squeezes, then the scale, power and division written out): AlexNet's (size 5, k 2) after the
    first conv, and an even size (4: two channels before, one after) strongly nonlinear after the
    second."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.norm1 = nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)
        self.conv2 = nn.Conv2d(8, 12, 3, padding=1)
        self.norm2 = nn.LocalResponseNorm(4, alpha=0.5, beta=0.75, k=1.0)
        self.fc = nn.Linear(12, 5)

    def forward(self, x):
        x = self.norm1(torch.relu(self.conv1(x)))
        x = self.norm2(torch.relu(self.conv2(nn.functional.max_pool2d(x, 2))))
        return self.fc(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1))


class LrnSequence(nn.Module):
    """nn.LocalResponseNorm over [N, C, L] (Conv1d features): viewed as [N, 1, C, L] and pooled
    over (size, 1)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(6, 10, 3, padding=1)
        self.norm = nn.LocalResponseNorm(3, alpha=0.3, beta=0.75, k=1.0)
        self.conv2 = nn.Conv1d(10, 4, 3, padding=1)

    def forward(self, x):
        return self.conv2(self.norm(torch.relu(self.conv1(x))))


class GrayImage(nn.Module):
    """An MNIST-style classifier whose input is the image [N, H, W] without its channel axis:
    x.unsqueeze(1) into Conv2d, max pool, an average over row pairs (avg_pool2d((2, 1))), Conv2d,
    global average, Linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 8, 3, padding=1)
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        y = nn.functional.max_pool2d(torch.relu(self.conv1(x.unsqueeze(1))), 2)
        y = torch.relu(self.conv2(nn.functional.avg_pool2d(y, (2, 1))))
        return self.fc(nn.functional.adaptive_avg_pool2d(y, 1).flatten(1))


class SumPoolHead(nn.Module):
    """Sum pooling (x.sum((2, 3)): ReduceSum over H and W, keepdims 0) into a Linear, next to
    the sum over the channels of a 1x1 conv (keepdim: a map of one channel) pooled the same way."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, padding=1)
        self.fc = nn.Linear(6, 4)

    def forward(self, x):
        y = torch.relu(self.conv(x))
        return torch.cat([self.fc(y.sum((2, 3))), y.sum(1, keepdim=True).sum((2, 3))], 1)


class FunnelRelu(nn.Module):
    """FReLU (Funnel activation, Ma et al. 2020): torch.max(x, BN(depthwise 3x3 Conv(x))) after
    a Conv, then torch.minimum of two Convs' outputs and torch.maximum of three maps with a
    scalar (ONNX Max/Min of activations)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.funnel = nn.Conv2d(8, 8, 3, padding=1, groups=8, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.conv3 = nn.Conv2d(8, 8, 1)

    def forward(self, x):
        y = self.conv1(x)
        y = torch.max(y, self.bn(self.funnel(y)))
        z = torch.minimum(self.conv2(y), self.conv3(y))
        return torch.maximum(torch.maximum(z, y), torch.full_like(z, -0.25)).clamp(max=1.5)


class ElementwiseMath(nn.Module):
    """Element-wise functions of one activation (tables on codes): abs, exp, log, sqrt,
    reciprocal, neg, x ** 2 (Pow by a constant) and GELU as Hugging Face's NewGELUActivation
    writes it (torch.pow(x, 3.0) inside the tanh), between convs."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 8, 1)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        y = self.conv1(x)
        a = torch.sqrt(torch.abs(y)) + torch.log(torch.abs(y) + 1.0) - torch.exp(-y.pow(2))
        b = torch.reciprocal(torch.abs(y) + 0.5) + (-y)
        gelu = 0.5 * y * (1.0 + torch.tanh(0.7978845608028654 * (y + 0.044715 * torch.pow(y, 3.0))))
        z = self.conv2(a + b + gelu)
        return self.fc(nn.functional.adaptive_avg_pool2d(z, 1).flatten(1))


class KeywordSpotter(nn.Module):
    """A 1-D network over [N, C, L] (TC-ResNet-like keyword spotting): Conv1d stride 2 + BN1d +
    ReLU, MaxPool1d, a residual block of a depthwise and a dilated Conv1d, an SE gate
    (AdaptiveAvgPool1d, 1x1 Conv1d, Sigmoid, Mul), AvgPool1d with padding, ConvTranspose1d,
    Concat, AdaptiveAvgPool1d(1), Flatten, Linear."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(6, 12, 5, stride=2, padding=2, bias=False),
                                  nn.BatchNorm1d(12), nn.ReLU(), nn.MaxPool1d(3, 2, padding=1))
        self.block = nn.Sequential(nn.Conv1d(12, 12, 3, padding=1, groups=12), nn.BatchNorm1d(12),
                                   nn.ReLU(), nn.Conv1d(12, 12, 3, padding=2, dilation=2))
        self.gate = nn.Sequential(nn.AdaptiveAvgPool1d(1), nn.Conv1d(12, 12, 1), nn.Sigmoid())
        self.pool = nn.AvgPool1d(3, 2, padding=1)
        self.up = nn.ConvTranspose1d(12, 4, 4, stride=2, padding=1)
        self.head = nn.Sequential(nn.Conv1d(16, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                                  nn.Flatten(), nn.Linear(8, 5))

    def forward(self, x):
        y = self.stem(x)
        y = torch.relu(y + self.block(y))
        y = self.pool(y * self.gate(y))
        return self.head(torch.cat([y, self.up(y)[:, :, ::2]], 1))


class TemporalBlock(nn.Module):
    """A TCN step over [N, C, L] with a per-step output [N, K, L]: causal dilated Conv1d (F.pad
    on the left only: Pad), ReLU, a second causal conv, a 1x1 residual Conv1d, Add, ReLU."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 8, 3, dilation=1)
        self.conv2 = nn.Conv1d(8, 8, 3, dilation=2)
        self.residual = nn.Conv1d(4, 8, 1)

    def forward(self, x):
        y = torch.relu(self.conv1(nn.functional.pad(x, (2, 0))))
        y = self.conv2(nn.functional.pad(y, (4, 0)))
        return torch.relu(y + self.residual(x))


class PReluChannels(nn.Module):
    """nn.PReLU with one slope per channel (ENet, MobileFaceNet, SRGAN's generator) after a Conv
    + BN and after a depthwise Conv, and one per feature after a Linear; the slopes spread over
    both signs (PyTorch's are 0.25 until trained)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.PReLU(8))
        self.depthwise = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.PReLU(8))
        self.fc = nn.Sequential(nn.Linear(8, 6), nn.PReLU(6))
        with torch.no_grad():
            for module in self.modules():
                if isinstance(module, nn.PReLU):
                    module.weight.copy_(torch.linspace(-0.3, 0.6, module.num_parameters))

    def forward(self, x):
        y = self.depthwise(self.conv(x))
        return self.fc(y.mean(dim=(2, 3)))


class ExpandGates(nn.Module):
    """Gates written with expand_as (senet.pytorch's `x * y.expand_as(x)`, CBAM's
    `sigmoid(...).expand_as(x)`): read by Mul they stay a value per channel or pixel; a mean per
    channel expanded to the map and concatenated, and a one-channel map expanded to 8 channels
    into a Conv, are materialized (Upsample, ChannelGather). Then a normalization by x.std over H
    and W (its element count is ReduceProd of a Shape's slice, folded)."""

    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.fc = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 8), nn.Sigmoid())
        self.spatial = nn.Conv2d(8, 1, 1)
        self.mix = nn.Conv2d(16, 8, 1)
        self.head = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x):
        y = self.feat(x)
        b, c, _, _ = y.size()
        z = self.fc(y.mean(dim=(2, 3))).view(b, c, 1, 1)
        y = y * z.expand_as(y)
        y = y * torch.sigmoid(self.spatial(y)).expand_as(y)
        m = y.mean(dim=(2, 3), keepdim=True).expand_as(y)
        y = self.mix(torch.cat([y, m], 1)) + self.head(self.spatial(y).expand(-1, 8, -1, -1))
        return y / (y.std(dim=(2, 3), keepdim=True) + 1e-3)


class L2NormHead(nn.Module):
    """SSD's L2Norm on conv4_3 (F.normalize over the channels, times a learned weight per
    channel) and a face-embedding head (F.normalize of a Linear's output): ReduceL2 (squares, a
    channel sum, a root), Clip, Expand, Div."""

    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8))
        self.scale = nn.Parameter(torch.linspace(5.0, 20.0, 8).view(1, 8, 1, 1))
        self.head = nn.Conv2d(8, 8, 3, padding=1)
        self.embed = nn.Linear(8, 6)

    def forward(self, x):
        y = nn.functional.normalize(self.feat(x), dim=1) * self.scale
        return nn.functional.normalize(self.embed(self.head(y).mean(dim=(2, 3))), dim=1)


class CoordConv(nn.Module):
    """CoordConv (SOLO's mask branch): coordinate maps in [-1, 1] (torch.linspace, expanded to
    the map's size) concatenated to the features before a Conv; after folding, a Concat of an
    activation and constants."""

    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.conv = nn.Conv2d(10, 8, 3, padding=1)

    def forward(self, x):
        y = self.feat(x)
        n, _, h, w = y.shape
        ys = torch.linspace(-1, 1, h).view(1, 1, h, 1).expand(n, 1, h, w)
        xs = torch.linspace(-1, 1, w).view(1, 1, 1, w).expand(n, 1, h, w)
        return self.conv(torch.cat([y, xs, ys], dim=1))


class ConstantMasks(nn.Module):
    """Maps scaled by constants that vary along H and W: a fixed mask per pixel (a vignette),
    a learned scale per element and a weight per row; after folding, Mul and Div of an
    activation and a constant of the map's size."""

    def __init__(self):
        super().__init__()
        self.feat = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        ys, xs = torch.meshgrid(torch.linspace(-1, 1, 6), torch.linspace(-1, 1, 8), indexing="ij")
        self.register_buffer("vignette", (1 - 0.5 * (xs ** 2 + ys ** 2)).view(1, 1, 6, 8))
        scale = 0.5 + torch.rand(1, 8, 6, 8, generator=torch.Generator().manual_seed(3))
        self.scale = nn.Parameter(scale)
        self.register_buffer("rows", torch.linspace(0.5, 2.0, 6).view(6, 1))
        self.head = nn.Conv2d(8, 4, 3, padding=1)

    def forward(self, x):
        y = self.feat(x) * self.vignette
        return self.head(y / self.scale) * self.rows


class SegmentationArgmax(nn.Module):
    """A segmentation network exported with its class map: ArgMax over the channels of the
    logits (keepdims 0), which the host applies to the accelerator's output, as Softmax."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.classifier = nn.Conv2d(8, 5, 1)

    def forward(self, x):
        return self.classifier(self.features(x)).argmax(dim=1)


class TokenMlp(nn.Module):
    """SegFormer's Mix-FFN on the tokens of a map: x.flatten(2).transpose(1, 2), LayerNorm,
    Linear, GELU, back to the map by t.transpose(1, 2).reshape(n, c, h, w), a depthwise 3x3,
    tokens again, Linear, back by t.reshape(n, h, w, c).permute(0, 3, 1, 2), a residual, then
    the mean over the tokens of a last Linear (a global average pool)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, 2, 1)
        self.norm = nn.LayerNorm(8)
        self.fc1 = nn.Linear(8, 16)
        self.dwconv = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.fc2 = nn.Linear(16, 8)
        self.head = nn.Linear(8, 5)
        nn.init.normal_(self.norm.weight, 1.0, 0.3)
        nn.init.normal_(self.norm.bias, 0.0, 0.1)

    def forward(self, x):
        x = torch.relu(self.stem(x))
        n, c, h, w = x.shape
        t = nn.functional.gelu(self.fc1(self.norm(x.flatten(2).transpose(1, 2))))
        y = self.dwconv(t.transpose(1, 2).reshape(n, 16, h, w))
        t = self.fc2(y.flatten(2).transpose(1, 2))
        x = x + t.reshape(n, h, w, c).permute(0, 3, 1, 2)
        return self.head(x.flatten(2).transpose(1, 2)).mean(1)


class Conv1dLayerNorm(nn.Module):
    """wav2vec2's feature encoder layers (conv_feature_layers with layer_norm): Conv1d, then
    LayerNorm over the channels between two transposes, GELU; a Linear on every step of the
    last map as [N, L, C] and the mean over the steps."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv1d(1, 8, 5, 2), nn.Conv1d(8, 8, 3, 2)])
        self.norms = nn.ModuleList([nn.LayerNorm(8), nn.LayerNorm(8)])
        self.fc = nn.Linear(8, 4)
        for norm in self.norms:
            nn.init.normal_(norm.weight, 1.0, 0.3)
            nn.init.normal_(norm.bias, 0.0, 0.1)

    def forward(self, x):
        for conv, norm in zip(self.convs, self.norms):
            x = nn.functional.gelu(norm(conv(x).transpose(-2, -1)).transpose(-2, -1))
        return self.fc(x.transpose(1, 2)).mean(1)


class FrameSequence(nn.Module):
    """A network on [N, T, F] frames (audio features, tf2onnx's Conv1D layout): x.transpose(1, 2)
    of the graph input into Conv1d + BN + ReLU, a strided Conv1d, the mean over time, Linear."""

    def __init__(self):
        super().__init__()
        self.convs = nn.Sequential(nn.Conv1d(6, 8, 3, padding=1), nn.BatchNorm1d(8), nn.ReLU(),
                                   nn.Conv1d(8, 8, 3, 2))
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc(self.convs(x.transpose(1, 2)).mean(-1))


class CtcDecoder(nn.Module):
    """A QuartzNet-like speech encoder (Conv1d + BN + ReLU with stride 2, a depthwise-separable
    Conv1d block) and NeMo's ConvASRDecoder: log_softmax(conv1x1(x).transpose(1, 2), dim=-1), the
    per-frame log-probabilities [N, T, V] as the output (a channels-last view of the map)."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv1d(8, 16, 5, 2, 2), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 16, 3, padding=1, groups=16), nn.Conv1d(16, 16, 1), nn.BatchNorm1d(16),
            nn.ReLU())
        self.decoder = nn.Conv1d(16, 6, 1)

    def forward(self, x):
        return nn.functional.log_softmax(self.decoder(self.encoder(x)).transpose(1, 2), dim=-1)


def gelu_variants():
    """nn.GELU() (exported as Div, Erf, Add, Mul, Mul) and nn.GELU(approximate="tanh") (a
    polynomial in x: Mul, Add, Tanh) between convolutions."""
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.GELU(), nn.Conv2d(8, 8, 1),
                         nn.GELU(approximate="tanh"), nn.Conv2d(8, 4, 1))


class PointMlp(nn.Module):
    """PointNet's classifier written with nn.Linear on [N, P, 3] points (the graph input read
    directly by a MatMul: a channels-last view, the IR's input [N, 3, P]): a shared MLP, the max
    over the points, a Linear head."""

    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 24), nn.ReLU())
        self.head = nn.Linear(24, 5)

    def forward(self, x):
        return self.head(self.mlp(x).max(dim=1)[0])


class FrameFeedForward(nn.Module):
    """A transformer's feed-forward block on [N, T, F] frames, without attention: x + Linear(GELU(
    Linear(LayerNorm(x)))), a second LayerNorm, per-frame logits [N, T, K] as the output."""

    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(12)
        self.ffn = nn.Sequential(nn.Linear(12, 32), nn.GELU(), nn.Linear(32, 12))
        self.out_norm = nn.LayerNorm(12)
        self.classify = nn.Linear(12, 4)

    def forward(self, x):
        return self.classify(self.out_norm(x + self.ffn(self.norm(x))))


MODELS = {  # name: (constructor, input shape)
    "small_cnn": (SmallCnn, (1, 3, 12, 12)),
    "residual_block": (ResidualBlock, (1, 8, 8, 8)),
    "mobilenet_block": (mobilenet_block, (1, 3, 8, 8)),
    "mlp_concat": (TwoBranchMlp, (1, 32)),
    "pooling": (pooling_variants, (1, 4, 10, 10)),
    "upsample_skip": (UpsampleSkip, (1, 3, 8, 8)),
    "resize_any": (ResizeAny, (1, 3, 8, 8)),
    "flip": (Flip, (1, 3, 8, 10)),
    "bilinear_head": (BilinearHead, (1, 3, 24, 24)),
    "layer_norm": (ConvNextChannelsFirst, (1, 3, 32, 32)),
    "instance_norm": (StyleTransfer, (1, 3, 12, 12)),
    "reflect_pad": (ReflectPadStyleTransfer, (1, 3, 12, 12)),
    "zero_pad_readers": (ZeroPadReaders, (1, 3, 12, 12)),
    "constant_pad": (ConstantPad, (1, 3, 12, 12)),
    "mlp_layer_norm": (MlpLayerNorm, (1, 3, 8, 8)),
    "axis_pools": (AxisPools, (1, 3, 6, 10)),
    "super_resolution": (SuperResolution, (1, 3, 4, 4)),
    "bicubic_skip": (BicubicSkip, (1, 3, 5, 5)),
    "pyramid": (Pyramid, (1, 3, 13, 13)),
    "circular_pad": (CircularPad, (1, 3, 6, 6)),
    "convnext_block": (ConvNextChannelsLast, (1, 3, 32, 32)),
    "group_norm": (GroupNormHead, (1, 3, 8, 8)),
    "conv_transpose": (Decoder, (1, 4, 3, 3)),
    "conv_transpose_crop": (CroppingDecoder, (1, 4, 6, 6)),
    "context_add": (ContextAdd, (1, 3, 8, 8)),
    "spatial_gate": (SpatialGate, (1, 3, 8, 8)),
    "scalar_gate": (ScalarGate, (1, 3, 8, 8)),
    "segmentation_softmax": (SegmentationSoftmax, (1, 3, 6, 8)),
    "coord_attention": (CoordAttention, (1, 3, 6, 8)),
    "broadcast_pair": (BroadcastPair, (1, 3, 5, 7)),
    "cbam": (Cbam, (1, 3, 8, 8)),
    "lrn": (LrnNet, (1, 3, 12, 12)),
    "local_response_norm": (TorchLrn, (1, 3, 12, 12)),
    "lrn_sequence": (LrnSequence, (1, 6, 20)),
    "gray_image": (GrayImage, (1, 12, 12)),
    "sum_pool": (SumPoolHead, (1, 3, 6, 6)),
    "elementwise_math": (ElementwiseMath, (1, 3, 6, 6)),
    "funnel_relu": (FunnelRelu, (1, 3, 8, 8)),
    "channel_split": (C2f, (1, 4, 6, 6)),
    "gelu": (gelu_variants, (1, 3, 6, 6)),
    "channel_shuffle": (ShuffleUnits, (1, 8, 6, 6)),
    "focus_crop": (FocusCrop, (1, 3, 8, 8)),
    "keyword_spotter": (KeywordSpotter, (1, 6, 40)),
    "temporal_block": (TemporalBlock, (1, 4, 16)),
    "prelu_channels": (PReluChannels, (1, 3, 8, 8)),
    "expand_gates": (ExpandGates, (1, 3, 8, 8)),
    "l2_norm": (L2NormHead, (1, 3, 8, 8)),
    "coord_conv": (CoordConv, (1, 3, 6, 8)),
    "constant_masks": (ConstantMasks, (1, 3, 6, 8)),
    "segmentation_argmax": (SegmentationArgmax, (1, 3, 6, 8)),
    "token_mlp": (TokenMlp, (1, 3, 16, 16)),
    "conv1d_layer_norm": (Conv1dLayerNorm, (1, 1, 64)),
    "frame_sequence": (FrameSequence, (1, 40, 6)),
    "ctc_decoder": (CtcDecoder, (1, 8, 32)),
    "point_mlp": (PointMlp, (1, 64, 3)),
    "frame_feed_forward": (FrameFeedForward, (1, 20, 12)),
}


def randomize_batchnorm(model, generator):
    # Non-trivial running statistics and affine terms (PyTorch's defaults are 0, 1, 1, 0).
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            channels = module.num_features
            module.running_mean.copy_(0.2 * torch.randn(channels, generator=generator))
            module.running_var.copy_(0.5 + 1.5 * torch.rand(channels, generator=generator))
            module.weight.data.copy_(0.5 + torch.rand(channels, generator=generator))
            module.bias.data.copy_(0.1 * torch.randn(channels, generator=generator))


def export(model, example, opset):
    hard = opset == 11  # see the module docstring
    options = dict(do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE,
                   dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}) if hard else {}
    buffer = io.BytesIO()
    torch.onnx.export(model, example, buffer, opset_version=opset, input_names=["input"],
                      output_names=["output"], **options)
    return onnx.load_from_string(buffer.getvalue())


def write(path, proto):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(proto.SerializeToString())


def main():
    default_dir = Path(__file__).resolve().parent.parent / "tests/data"
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default_dir
    for name, (constructor, input_shape) in MODELS.items():
        torch.manual_seed(0)
        model = constructor()
        with torch.no_grad():
            randomize_batchnorm(model, torch.Generator().manual_seed(1))
        model.eval()
        example = torch.randn(input_shape, generator=torch.Generator().manual_seed(2))
        with torch.no_grad():
            expected = model(example)
        for opset in OPSETS:
            onnx_model = export(model, example, opset)
            onnx.checker.check_model(onnx_model, full_check=True)
            case_dir = out_dir / f"torch_{name}_op{opset}"
            write(case_dir / "model.onnx", onnx_model)
            write(case_dir / "test_data_set_0/input_0.pb",
                  numpy_helper.from_array(example.numpy(), "input"))
            write(case_dir / "test_data_set_0/output_0.pb",
                  numpy_helper.from_array(expected.numpy(), "output"))
            ops = sorted({node.op_type for node in onnx_model.graph.node})
            print(f"wrote {case_dir} ({(case_dir / 'model.onnx').stat().st_size:,} bytes, "
                  f"output {list(expected.shape)}): {' '.join(ops)}")


if __name__ == "__main__":
    main()
