package dev.frelon.train.fit;

import dev.frelon.train.plot.LinePlot;
import dev.frelon.train.report.ComputeReport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link Trainer#fit}: per-epoch statistics, the best epoch (lowest validation loss, or
 * training loss without validation), whether early stopping ended the run, and the compute report.
 *
 * @param epochs statistics of each epoch run, in order
 * @param bestEpoch 1-based number of the best epoch
 * @param stoppedEarly true when early stopping ended training before the planned epochs
 * @param report samples/s, time, FLOPs and energy of the whole run
 */
public record History(List<EpochStats> epochs, int bestEpoch, boolean stoppedEarly, ComputeReport report) {

    /**
     * The statistics of the final epoch run, which is not necessarily the {@linkplain #bestEpoch() best} one.
     *
     * @return the last epoch's statistics
     * @throws IndexOutOfBoundsException when no epoch was run
     */
    public EpochStats last() {
        return epochs.get(epochs.size() - 1);
    }

    /**
     * Writes the training curves as SVG: loss per epoch (train and validation), and a second file with
     * accuracy when the task is classification ({@code name-accuracy.svg} beside it).
     *
     * @param lossFile destination of the loss plot
     * @throws IOException when writing fails
     */
    public void writeCurves(Path lossFile) throws IOException {
        int n = epochs.size();
        double[] x = new double[n], tl = new double[n], vl = new double[n], ta = new double[n], va = new double[n];
        boolean hasVal = false, hasAcc = false;
        for (int i = 0; i < n; i++) {
            EpochStats e = epochs.get(i);
            x[i] = e.epoch();
            tl[i] = e.trainLoss();
            vl[i] = e.validationLoss();
            ta[i] = e.trainAccuracy();
            va[i] = e.validationAccuracy();
            hasVal |= !Double.isNaN(e.validationLoss());
            hasAcc |= !Double.isNaN(e.trainAccuracy());
        }
        LinePlot loss = new LinePlot("Loss per epoch").xLabel("epoch").yLabel("loss").markers(true).add("train", x, tl);
        if (hasVal) {
            loss.add("validation", x, vl);
        }
        loss.write(lossFile);
        if (hasAcc) {
            LinePlot acc = new LinePlot("Accuracy per epoch").xLabel("epoch").yLabel("accuracy").markers(true)
                    .add("train", x, ta);
            if (hasVal) {
                acc.add("validation", x, va);
            }
            String name = lossFile.getFileName().toString();
            String base = name.endsWith(".svg") ? name.substring(0, name.length() - 4) : name;
            acc.write(lossFile.resolveSibling(base + "-accuracy.svg"));
        }
    }
}
