package dev.frelon.train.fit;

import dev.frelon.core.Tensor;

/** Counting correct classifications, as the training loops report them. */
public final class Accuracy {

    private Accuracy() {
    }

    /**
     * Counts the rows whose argmax equals the target class, when the shapes are those of classification:
     * outputs {@code [N, C]} with C at least 2 and integer-valued targets {@code [N]}.
     *
     * @param output the model's outputs
     * @param target the targets
     * @return the number of correct predictions, or -1 when the shapes or values are not those of classification
     */
    public static long countCorrect(Tensor output, Tensor target) {
        if (output.dim() != 2 || target.dim() != 1 || output.size(0) != target.size(0) || output.size(1) < 2) {
            return -1;
        }
        float[] pred = output.argmax(1, false).toArray();
        float[] y = target.toArray();
        long c = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] != Math.rint(y[i])) {
                return -1;
            }
            if (pred[i] == y[i]) {
                c++;
            }
        }
        return c;
    }
}
