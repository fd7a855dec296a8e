// The sizes of a convolution, fixed for a model and so override constants, shared by the
// operand fragments of the three passes (conv2d_forward.wgsl, conv2d_input_grad.wgsl,
// conv2d_weight_grad.wgsl; joined in src/ops/conv2d-kernels.ts). The batch size N is a
// uniform of each pass.
// x: [N, C, H, W], w: [O, C, K, K], y: [N, O, OH, OW]; stride S, padding P.
// provides: C, H, W, O, OH, OW, K, S, P
override C: u32;
override H: u32;
override W: u32;
override O: u32;
override OH: u32;
override OW: u32;
override K: u32;
override S: u32;
override P: u32;
