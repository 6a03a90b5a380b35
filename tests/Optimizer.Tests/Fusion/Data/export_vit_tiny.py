#!/usr/bin/env python3
"""Exports the tiny torchvision ViT used by ViTExportTests (random weights, seed 0) at opsets 13 and 17.

Run with Debian's python3-torch 1.13 / python3-torchvision 0.14 from this folder:
    /usr/bin/python3 export_vit_tiny.py
nn.MultiheadAttention exports its attention with merged batch and heads ([B*H, S, D]); opset 13 decomposes
LayerNormalization. Both files are small enough to commit.
"""
import torch
from torchvision.models.vision_transformer import VisionTransformer

torch.manual_seed(0)
model = VisionTransformer(image_size=8, patch_size=4, num_layers=1, num_heads=2, hidden_dim=8, mlp_dim=16, num_classes=3).eval()
x = torch.randn(1, 3, 8, 8)
for opset in (13, 17):
    torch.onnx.export(model, x, f"vit_tiny_op{opset}.onnx", opset_version=opset, input_names=["x"], output_names=["y"], do_constant_folding=True)
