/**
 * Define-by-run reverse-mode automatic differentiation over {@link dev.frelon.core.Tensor}s.
 *
 * <p>A {@link dev.frelon.autodiff.Variable} holds a tensor, its gradient and, unless it is a leaf, the graph
 * node that made it; its methods (arithmetic, shapes, reductions, {@code matmul}...) and
 * {@link dev.frelon.autodiff.NeuralOps} (linear, convolution, pooling, cross-entropy, dropout) are the entry
 * points. Each operation is a {@link dev.frelon.autodiff.Function}: {@code forward} computes the value and saves
 * what the gradient needs in its {@link dev.frelon.autodiff.Context} (which detects saved tensors modified in
 * place), {@code backward} maps the output's gradient to the inputs'. A new op is one more subclass, outside
 * this package if need be. {@link dev.frelon.autodiff.Variable#backward()} walks the recorded graph without
 * recursion, sums gradients back to each input's shape and accumulates them into the leaves;
 * {@link dev.frelon.autodiff.Grad#noGrad()} turns recording off for a scope, and
 * {@link dev.frelon.autodiff.GradCheck} compares analytic gradients with finite differences.
 *
 * <p>Layering: autodiff builds on {@code dev.frelon.core} and its kernels, which know nothing of graphs; it in
 * turn knows nothing of layers, modules or optimizers, which live in {@code dev.frelon.nn} and
 * {@code dev.frelon.optim} and depend on it.
 */
package dev.frelon.autodiff;
