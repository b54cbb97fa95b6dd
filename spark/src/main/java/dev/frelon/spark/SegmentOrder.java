package dev.frelon.spark;

import java.io.Serializable;

/**
 * What the driver asks of every worker for one checkpoint interval: run steps {@code [from, to)} of an epoch,
 * starting from the driver's checkpoint.
 *
 * @param epoch the epoch, from 0
 * @param from the first step, within the epoch
 * @param to one past the last step
 * @param start the state every replica starts the interval from (and restarts it from after a failure)
 */
record SegmentOrder(int epoch, int from, int to, TrainingState start) implements Serializable {
}
