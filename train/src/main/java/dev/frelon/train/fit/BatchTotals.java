package dev.frelon.train.fit;

import dev.frelon.core.Tensor;

import java.io.Serializable;

/**
 * The running totals of a pass over batches: examples seen, the loss summed over them, and correct
 * classifications. Training loops add each batch; totals from several workers add up with {@link #add(BatchTotals)}.
 * Accuracy is reported only when every batch had the shapes of classification ({@link Accuracy#countCorrect}).
 */
public final class BatchTotals implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Examples seen. */
    private long seen;
    /** Sum over batches of the batch's mean loss times its size. */
    private double lossSum;
    /** Correct argmax predictions. */
    private long correct;
    /** Whether every batch so far had the shapes of classification. */
    private boolean classification = true;

    /** Creates empty totals. */
    public BatchTotals() {
    }

    /**
     * Adds one batch.
     *
     * @param meanLoss the batch's mean loss
     * @param n the batch's size
     * @param output the model's outputs for the batch
     * @param target the batch's targets
     */
    public void add(double meanLoss, int n, Tensor output, Tensor target) {
        seen += n;
        lossSum += meanLoss * n;
        long c = Accuracy.countCorrect(output, target);
        if (c < 0) {
            classification = false;
        } else {
            correct += c;
        }
    }

    /**
     * Adds another pass's totals, e.g. another worker's.
     *
     * @param other the totals to add (not modified)
     */
    public void add(BatchTotals other) {
        seen += other.seen;
        lossSum += other.lossSum;
        correct += other.correct;
        classification &= other.classification;
    }

    /**
     * The number of examples seen.
     *
     * @return examples added so far
     */
    public long seen() {
        return seen;
    }

    /**
     * The mean loss per example.
     *
     * @return the loss summed over the examples divided by their number, NaN when none was seen
     */
    public double meanLoss() {
        return seen == 0 ? Double.NaN : lossSum / seen;
    }

    /**
     * The fraction of examples classified correctly.
     *
     * @return the accuracy, NaN when nothing was seen or some batch was not classification
     */
    public double accuracy() {
        return classification && seen > 0 ? (double) correct / seen : Double.NaN;
    }
}
