package dev.frelon.train.fit;

/**
 * Loss and accuracy of a model over a data set.
 *
 * @param loss mean loss per sample
 * @param accuracy fraction classified correctly (NaN when not classification)
 * @param samples number of samples seen
 */
public record Evaluation(double loss, double accuracy, long samples) {
}
