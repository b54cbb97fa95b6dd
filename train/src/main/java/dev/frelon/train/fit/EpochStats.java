package dev.frelon.train.fit;

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
}
