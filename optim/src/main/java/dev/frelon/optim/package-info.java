/**
 * Optimizers, gradient clipping and learning-rate schedules, as PyTorch's {@code torch.optim}.
 *
 * <p>An {@link dev.frelon.optim.Optimizer} holds {@link dev.frelon.optim.ParamGroup}s (parameters, a mutable
 * learning rate and typed settings) and a {@link dev.frelon.optim.ParamState} per parameter (named buffers and
 * a step count). {@link dev.frelon.optim.Optimizer#step()} calls the subclass's one method, {@code update}, for
 * every parameter that has a gradient; {@link dev.frelon.optim.Optimizer#stateDict()} saves learning rates,
 * step counts and buffers exactly, so that a resumed run is bit-identical. The optimizers are
 * {@link dev.frelon.optim.SGD}, {@link dev.frelon.optim.Adam}, {@link dev.frelon.optim.AdamW},
 * {@link dev.frelon.optim.RMSprop} and {@link dev.frelon.optim.Adagrad}; {@link dev.frelon.optim.GradClip}
 * clips gradients by norm or value. {@link dev.frelon.optim.Schedulers} holds the schedules: closed forms of
 * the step count built on {@link dev.frelon.optim.LRScheduler}, and
 * {@link dev.frelon.optim.Schedulers.ReduceLROnPlateau}, driven by a metric.
 *
 * <p>Layering: this package depends on {@code dev.frelon.autodiff} only. An optimizer updates any list of
 * {@link dev.frelon.autodiff.Variable}s and needs no layer, just as autodiff knows nothing of layers and the
 * kernels nothing of graphs.
 */
package dev.frelon.optim;
