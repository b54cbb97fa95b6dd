/**
 * Tensors and the numerical operations on them, with no notion of gradients: the bottom layer of Frelon,
 * which every other module builds on.
 *
 * <p>{@link dev.frelon.core.Tensor} is an array of any rank and of one {@link dev.frelon.core.DType} (float32 by
 * default; float64, int64, int32, bool): a shape, strides and an offset over a heap array of that type. Views (reshape, transpose, slice, expand...) share storage with a version counter that every
 * in-place write bumps; operations return new dense tensors, broadcast with NumPy's rules, and run on the
 * kernels of {@link dev.frelon.core.kernel}. Beside it sit the larger operations, as static methods:
 * {@link dev.frelon.core.Convolution} (2-d convolution by im2col and GEMM, with both gradients, shaped by a
 * {@link dev.frelon.core.Conv2dSpec}), {@link dev.frelon.core.Pooling} (max, average and adaptive average
 * pooling over {@code [N, C, H, W]}) and {@link dev.frelon.core.CrossEntropy} (log-softmax, loss and gradient
 * fused in one pass). {@link dev.frelon.core.Rng} is the seeded generator behind every random draw, giving
 * the same numbers on every machine. {@link dev.frelon.core.TensorStorage} is the low-level door to a tensor's
 * backing array for kernels, optimizers and file writers, and {@link dev.frelon.core.BackwardKernels} holds the
 * fused gradients that autodiff's backward rules use; neither belongs on {@code Tensor}'s own API.
 *
 * <p>Layering: this package knows nothing of graphs, layers or optimizers. Gradients are plain functions
 * here ({@link dev.frelon.core.Convolution#conv2dBackwardInput} takes {@code dY}); recording and ordering them is
 * the job of {@code dev.frelon.autodiff}, which depends on this module and never the other way round.
 */
package dev.frelon.core;
