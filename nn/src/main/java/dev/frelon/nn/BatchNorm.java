package dev.frelon.nn;

import dev.frelon.autodiff.NeuralOps;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.DType;
import dev.frelon.core.Tensor;

import java.util.Arrays;

/**
 * Batch normalisation over dim 1 (channels), shared by {@link BatchNorm1d} and {@link BatchNorm2d}:
 *
 * <pre>
 *   training: y = (x − mean_B) / √(var_B + eps) · γ + β     (mean_B, var_B over every dim but 1; var biased)
 *             running = (1 − momentum)·running + momentum·batch   (running variance uses the unbiased var)
 *   eval:     y = (x − running_mean) / √(running_var + eps) · γ + β
 * </pre>
 * Parameters {@code weight} (γ, ones) and {@code bias} (β, zeros); buffers {@code running_mean} (zeros) and
 * {@code running_var} (ones) and {@code num_batches_tracked} (the training batches seen, an int64 scalar as in
 * PyTorch, saved as I64), named as in PyTorch, so PyTorch's state dicts load strictly and Frelon's files have
 * PyTorch's dtypes. The arithmetic is {@link NeuralOps#batchNorm}'s.
 */
public abstract class BatchNorm extends Module {
    private final String layer;
    private final int features;
    private final float eps, momentum;
    private final Variable weight, bias;
    private final Tensor runningMean, runningVar, numBatchesTracked;

    /**
     * Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1 for each of the
     * {@code features} channels. {@code eps} and {@code momentum} are checked by {@link NeuralOps#batchNorm}
     * when the layer runs, not here.
     *
     * @param layer the subclass name, for messages
     * @param features channels C, positive
     * @param eps added to the variance, &gt; 0
     * @param momentum weight of the newest batch in the running statistics, in [0, 1]
     * @throws IllegalArgumentException when {@code features} is not positive
     */
    protected BatchNorm(String layer, int features, float eps, float momentum) {
        this.layer = layer;
        this.features = Shapes.positive(layer, "features", features);
        this.eps = eps;
        this.momentum = momentum;
        this.weight = register("weight", Variable.parameter(Tensor.ones(features)));
        this.bias = register("bias", Variable.parameter(Tensor.zeros(features)));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(features));
        this.runningVar = registerBuffer("running_var", Tensor.ones(features));
        this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
    }

    /**
     * The learned scale γ that multiplies the normalised input, registered as parameter {@code "weight"}.
     *
     * @return γ, the learned per-channel scale {@code [C]} (the parameter {@code weight}, initially ones)
     */
    public Variable weight() {
        return weight;
    }

    /**
     * The learned shift β added after scaling, registered as parameter {@code "bias"}.
     *
     * @return β, the learned per-channel shift {@code [C]} (the parameter {@code bias}, initially zeros)
     */
    public Variable bias() {
        return bias;
    }

    /**
     * The number of training batches this layer has normalised, PyTorch's {@code num_batches_tracked}.
     *
     * @return the 0-d int64 buffer
     */
    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    /**
     * The per-channel mean used in evaluation, registered as buffer {@code "running_mean"}; each training
     * forward updates it in place to {@code (1 − momentum)·running + momentum·mean_B}.
     *
     * @return the running mean buffer {@code [C]}, the live tensor (initially zeros)
     */
    public Tensor runningMean() {
        return runningMean;
    }

    /**
     * The per-channel variance used in evaluation, registered as buffer {@code "running_var"}; each training
     * forward updates it in place with the batch's unbiased variance, weighted by {@code momentum}.
     *
     * @return the running variance buffer {@code [C]}, the live tensor (initially ones)
     */
    public Tensor runningVar() {
        return runningVar;
    }

    /** Checks the input's rank; subclasses accept different ranks. */
    abstract void checkInput(Variable x);

    @Override
    public Variable forward(Variable x) {
        checkInput(x);
        if (x.size(1) != features) {
            throw new IllegalArgumentException(layer + ": expected " + features + " channels in dim 1, got shape "
                    + Arrays.toString(x.shape()));
        }
        if (isTraining()) {
            numBatchesTracked.set(numBatchesTracked.itemLong() + 1);
        }
        return NeuralOps.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
    }

    @Override
    protected String extraRepr() {
        return features + ", eps=" + eps + ", momentum=" + momentum;
    }
}
