package dev.frelon.train.fit;

import java.util.Locale;

/**
 * What one epoch measured. Accuracies are NaN when the task is not classification; validation values are
 * NaN when no validation data was given.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch's batches (weighted by batch size)
 * @param trainAccuracy fraction of training samples classified correctly during the epoch
 * @param validationLoss mean validation loss after the epoch
 * @param validationAccuracy validation accuracy after the epoch
 * @param learningRate learning rate of the first parameter group during the epoch
 * @param seconds wall time of the epoch, evaluation included
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, double learningRate, double seconds) {

    /**
     * The epoch's line as the trainers print it, e.g.
     * {@code epoch 3: loss 0.4012, accuracy 85.51% | validation loss 0.4210, accuracy 84.90% | lr 0.05 | 12.3 s}.
     *
     * @return one line, without a line break
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d: loss %.4f", epoch, trainLoss));
        if (!Double.isNaN(trainAccuracy)) {
            sb.append(String.format(Locale.ROOT, ", accuracy %.2f%%", 100 * trainAccuracy));
        }
        if (!Double.isNaN(validationLoss)) {
            sb.append(String.format(Locale.ROOT, " | validation loss %.4f", validationLoss));
        }
        if (!Double.isNaN(validationAccuracy)) {
            sb.append(String.format(Locale.ROOT, ", accuracy %.2f%%", 100 * validationAccuracy));
        }
        return sb.append(String.format(Locale.ROOT, " | lr %.4g | %.1f s", learningRate, seconds)).toString();
    }

    /**
     * A progress bar's status during an epoch: the running mean loss so far (what the epoch line will report once
     * the epoch ends), and the running accuracy for classification.
     *
     * @param meanLoss the mean loss over the examples seen so far
     * @param accuracy the fraction classified correctly so far, or NaN when the task is not classification
     * @return e.g. {@code loss 0.5000  acc 75.0%}
     */
    public static String running(double meanLoss, double accuracy) {
        return Double.isNaN(accuracy) ? String.format(Locale.ROOT, "loss %.4f", meanLoss)
                : String.format(Locale.ROOT, "loss %.4f  acc %.1f%%", meanLoss, 100 * accuracy);
    }
}
