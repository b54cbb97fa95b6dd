package dev.frelon.train.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A line plot of named series of (x, y) points, written as SVG: axes with ticks, optional axis labels, a
 * title and a legend. Meant for training curves (loss or accuracy per epoch, training against validation):
 * <pre>{@code
 * new LinePlot("Loss").xLabel("epoch").yLabel("cross-entropy")
 *         .add("train", trainLoss).add("validation", valLoss)
 *         .write(Path.of("loss.svg"));
 * }</pre>
 *
 * <p>Each series is drawn as {@code <polyline class="series">} elements; a non-finite y (a diverged loss)
 * or x leaves a gap, splitting the series into several polylines, and an isolated finite point is drawn as a
 * small {@code <circle class="marker">}. Axis ranges fit the finite data, widened to "nice" tick values,
 * unless set with {@link #xRange}/{@link #yRange}; points outside are clipped. Not thread-safe.
 */
public final class LinePlot {
    private record Series(String name, double[] x, double[] y) {
    }

    private final String title;
    private final List<Series> series = new ArrayList<>();
    private String xLabel;
    private String yLabel;
    private double[] xRange;
    private double[] yRange;
    private int width = 640;
    private int height = 400;
    private boolean markers;

    /**
     * Creates an empty 640 × 400 plot without axis labels, fixed ranges or markers.
     *
     * @param title the title shown above the plot, or null for none
     */
    public LinePlot(String title) {
        this.title = title;
    }

    /**
     * Sets the size of the SVG image (640 × 400 by default).
     *
     * @param width the image width in pixels, at least 100
     * @param height the image height in pixels, at least 100
     * @return this plot
     * @throws IllegalArgumentException when a side is below 100 pixels
     */
    public LinePlot size(int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("LinePlot.size: width and height must be at least 100 pixels, got "
                    + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * Sets the label written under the x axis.
     *
     * @param label the x-axis label, or null for none
     * @return this plot
     */
    public LinePlot xLabel(String label) {
        this.xLabel = label;
        return this;
    }

    /**
     * Sets the label written beside the y axis.
     *
     * @param label the y-axis label, or null for none
     * @return this plot
     */
    public LinePlot yLabel(String label) {
        this.yLabel = label;
        return this;
    }

    /**
     * Fixes the x-axis range instead of fitting the data.
     *
     * @param min the left end, finite
     * @param max the right end, finite and greater than {@code min}
     * @return this plot
     */
    public LinePlot xRange(double min, double max) {
        this.xRange = checkRange("LinePlot.xRange", min, max);
        return this;
    }

    /**
     * Fixes the y-axis range instead of fitting the data (for example 0 to 1 for accuracy).
     *
     * @param min the bottom end, finite
     * @param max the top end, finite and greater than {@code min}
     * @return this plot
     */
    public LinePlot yRange(double min, double max) {
        this.yRange = checkRange("LinePlot.yRange", min, max);
        return this;
    }

    static double[] checkRange(String op, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
            throw new IllegalArgumentException(op + ": need finite min < max, got [" + min + ", " + max + "]");
        }
        return new double[] {min, max};
    }

    /**
     * Chooses whether every point is marked (off by default, when only isolated points get a circle).
     *
     * @param markers true to draw a small circle at every point as well as the lines
     * @return this plot
     */
    public LinePlot markers(boolean markers) {
        this.markers = markers;
        return this;
    }

    /**
     * Adds a series.
     *
     * @param name the legend label
     * @param x the x values
     * @param y the y values, as many as {@code x}
     * @return this plot
     */
    public LinePlot add(String name, double[] x, double[] y) {
        Objects.requireNonNull(name, "LinePlot.add: series name is null");
        if (x.length != y.length) {
            throw new IllegalArgumentException("LinePlot.add: series '" + name + "' has " + x.length
                    + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /**
     * Adds a series with x = 1, 2, ..., n (epochs counted from 1).
     *
     * @param name the legend label
     * @param y the y values
     * @return this plot
     */
    public LinePlot add(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return add(name, x, y);
    }

    /**
     * Adds a series with x = 1, 2, ..., n, from a list such as a training history.
     *
     * @param name the legend label
     * @param y the y values; nulls are not allowed
     * @return this plot
     */
    public LinePlot add(String name, List<? extends Number> y) {
        double[] v = new double[y.size()];
        for (int i = 0; i < v.length; i++) {
            Number n = y.get(i);
            if (n == null) {
                throw new IllegalArgumentException("LinePlot.add: series '" + name + "' has a null value at "
                        + "position " + i);
            }
            v[i] = n.doubleValue();
        }
        return add(name, v);
    }

    /**
     * How many series the plot holds, i.e. how many {@code add} calls were made.
     *
     * @return the number of series added
     */
    public int seriesCount() {
        return series.size();
    }

    /**
     * Renders the plot as it stands: the frame, the axes with ticks, every series in its own colour and the
     * legend.
     *
     * @return the plot as an SVG document
     */
    public String toSvg() {
        Frame.Extent xs = new Frame.Extent();
        Frame.Extent ys = new Frame.Extent();
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) {
                    xs.add(s.x[i]);
                    ys.add(s.y[i]);
                }
            }
        }
        List<Frame.Entry> legend = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            legend.add(new Frame.Entry(series.get(i).name, Svg.color(i), true));
        }
        Frame f = new Frame(width, height, xs, ys, xRange, yRange, title != null, xLabel != null, yLabel != null,
                legend);
        StringBuilder sb = new StringBuilder(4096);
        f.open(sb, title);
        sb.append("<g class=\"data\" clip-path=\"url(#plot-area)\">\n");
        for (int i = 0; i < series.size(); i++) {
            drawSeries(sb, f, series.get(i), Svg.color(i), markers);
        }
        sb.append("</g>\n");
        f.axes(sb, xLabel, yLabel);
        f.legend(sb, legend);
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** Draws one series as polylines split at non-finite points. */
    static void drawSeries(StringBuilder sb, Frame f, String name, double[] x, double[] y, String color,
                           boolean markers, String polylineClass) {
        sb.append("<g class=\"series-group\" data-name=\"").append(Svg.esc(name)).append("\">\n");
        int i = 0;
        int n = x.length;
        while (i < n) {
            while (i < n && !(Double.isFinite(x[i]) && Double.isFinite(y[i]))) {
                i++;
            }
            int start = i;
            while (i < n && Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                i++;
            }
            int len = i - start;
            if (len == 1 && !markers) {
                circle(sb, f, x[start], y[start], color, "marker");
            } else if (len > 1) {
                sb.append("<polyline class=\"").append(polylineClass).append("\" fill=\"none\" stroke=\"").append(color)
                        .append("\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"");
                for (int k = start; k < i; k++) {
                    sb.append(k == start ? "" : " ").append(Svg.px(f.px(x[k]))).append(',')
                            .append(Svg.px(f.py(y[k])));
                }
                sb.append("\"/>\n");
            }
            if (markers) {
                for (int k = start; k < i; k++) {
                    circle(sb, f, x[k], y[k], color, "marker");
                }
            }
        }
        sb.append("</g>\n");
    }

    private static void drawSeries(StringBuilder sb, Frame f, Series s, String color, boolean markers) {
        drawSeries(sb, f, s.name, s.x, s.y, color, markers, "series");
    }

    static void circle(StringBuilder sb, Frame f, double x, double y, String color, String cls) {
        sb.append("<circle class=\"").append(cls).append("\" cx=\"").append(Svg.px(f.px(x))).append("\" cy=\"")
                .append(Svg.px(f.py(y))).append("\" r=\"3\" fill=\"").append(color).append("\"/>\n");
    }

    /**
     * Writes the SVG atomically (through a temporary file in the same directory), creating missing parent
     * directories.
     *
     * @param file the target file, replaced if it exists
     * @throws IOException when writing fails
     */
    public void write(Path file) throws IOException {
        byte[] bytes = toSvg().getBytes(StandardCharsets.UTF_8);
        PlotFiles.writeAtomically(file, out -> out.write(bytes));
    }
}
