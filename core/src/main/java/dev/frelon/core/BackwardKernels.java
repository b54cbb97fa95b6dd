package dev.frelon.core;

import dev.frelon.core.kernel.BinaryOp;

/**
 * Gradient computations that exist for autodiff's backward rules ({@code dev.frelon.autodiff}) and have no use as
 * tensor operations of their own: each fuses what would otherwise take several passes and temporary tensors. They
 * live here, not on {@link Tensor}, so that Tensor's API holds only operations a model would call.
 */
public final class BackwardKernels {

    private BackwardKernels() {
    }

    /**
     * The gradient of a ReLU in one pass: {@code grad} where the ReLU's output is positive, 0 where it is 0 (a NaN
     * output passes the gradient, as PyTorch's threshold backward does).
     *
     * @param grad the gradient with respect to the ReLU's output
     * @param output the ReLU's output, broadcast against {@code grad}
     * @return {@code output <= 0 ? 0 : grad}, a new dense tensor of the broadcast shape
     * @throws IllegalArgumentException if the shapes cannot be broadcast
     */
    public static Tensor reluBackward(Tensor grad, Tensor output) {
        return Elementwise.binary("reluBackward", BinaryOp.RELU_BACKWARD, grad, output);
    }
}
