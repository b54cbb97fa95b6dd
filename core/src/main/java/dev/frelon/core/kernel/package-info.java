/**
 * The compute kernels under {@link dev.frelon.core.Tensor}: loops over dense strips of {@code float[]} (and, for
 * float64, {@code double[]}) with explicit offsets and strides, and the machinery that picks which implementation
 * runs.
 *
 * <p>Each family is an interface with a plain-Java and a Vector API (SIMD) implementation of the same
 * signature, the plain one serving as the oracle in tests: {@link dev.frelon.core.kernel.ElementwiseKernels},
 * {@link dev.frelon.core.kernel.ReductionKernels}, {@link dev.frelon.core.kernel.GemmKernel},
 * {@link dev.frelon.core.kernel.SoftmaxKernels}, {@link dev.frelon.core.kernel.PoolingKernels} and
 * {@link dev.frelon.core.kernel.ConvolutionKernels}, and {@link dev.frelon.core.kernel.Float64Kernels} for float64
 * (elementwise, sums, matrix product). {@link dev.frelon.core.kernel.Kernels} decides once per JVM
 * whether the Vector API can run and at which width, and each family keeps its choice in a {@code CHOSEN}
 * constant, with a rule over {@link dev.frelon.core.kernel.Isa} for where its vector kernels win.
 * {@link dev.frelon.core.kernel.Gemm} is the entry point for matrix products (single, batched, and split over
 * {@link dev.frelon.core.kernel.Parallel}'s shared worker pool); {@link dev.frelon.core.kernel.FlopCounter}
 * counts GEMM work for compute reports
 * and {@link dev.frelon.core.kernel.Calibration} measures the machine's FMA peak and bandwidth.
 *
 * <p>Only this package imports {@code jdk.incubator.vector}; its vector classes are loaded reflectively, so
 * the library runs, on the plain kernels, without the module. Kernels know nothing of tensors' shapes beyond
 * the strides they are handed, and nothing of graphs or layers.
 */
package dev.frelon.core.kernel;
