/**
 * Neural-network layers and models, in PyTorch's vocabulary, on top of {@code dev.frelon.autodiff}.
 *
 * <p>{@link dev.frelon.nn.Module} is the base of every layer and model: parameters, buffers and sub-modules
 * registered explicitly and in order, dotted parameter names, {@code stateDict()}/{@code loadStateDict},
 * training and evaluation modes, and {@code save}/{@code load} to safetensors files through
 * {@link dev.frelon.nn.io}. The layers are small classes over {@link dev.frelon.autodiff.NeuralOps} and
 * {@link dev.frelon.autodiff.Variable} operations: {@link dev.frelon.nn.Linear}, {@link dev.frelon.nn.Conv2d},
 * pooling ({@link dev.frelon.nn.MaxPool2d}, {@link dev.frelon.nn.AvgPool2d},
 * {@link dev.frelon.nn.AdaptiveAvgPool2d}), normalisation ({@link dev.frelon.nn.BatchNorm2d},
 * {@link dev.frelon.nn.LayerNorm}), activations, {@link dev.frelon.nn.Dropout}, {@link dev.frelon.nn.Embedding},
 * and the containers {@link dev.frelon.nn.Sequential} and {@link dev.frelon.nn.Residual}.
 * {@link dev.frelon.nn.Init} holds the weight initialisers, drawing from explicit
 * {@link dev.frelon.core.Rng}s; {@link dev.frelon.nn.Losses} the loss functions;
 * {@link dev.frelon.nn.Models} the reference architectures (LeNet-5, MLPs) that examples and benchmarks share.
 *
 * <p>Layering: layers know nothing of optimizers; {@code dev.frelon.optim} updates any list of
 * {@link dev.frelon.autodiff.Variable}s, such as {@link dev.frelon.nn.Module#parameters()}, without depending
 * on this package. Below, autodiff knows nothing of layers and the kernels nothing of graphs.
 */
package dev.frelon.nn;
