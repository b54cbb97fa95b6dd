package dev.frelon.train.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A scatter plot written as SVG: groups of points, class-coloured points, fitted curves and, for 2-D
 * classification, a background showing the decision regions of a classifier.
 * <pre>{@code
 * new ScatterPlot("Two moons").classes(x, y, labels)
 *         .decisionRegions((a, b) -> model.predict(a, b), 120)
 *         .write(Path.of("moons.svg"));
 * }</pre>
 *
 * <p>Points are {@code <circle class="point">} elements (points with a non-finite coordinate are skipped),
 * curves are {@code <polyline class="curve">} elements (split at non-finite values), and the decision regions
 * are {@code <rect class="region">} elements: the plot area is cut into a grid of cells, the classifier is
 * asked for the class at each cell centre, and runs of equal cells along a row are merged into one rectangle.
 * Class {@code k} is drawn in colour {@code k} of the palette (the regions lighter); named point groups and
 * curves take the colours after the classes. Not thread-safe.
 */
public final class ScatterPlot {

    /** A 2-D classifier for the decision-region background. */
    @FunctionalInterface
    public interface DecisionFunction {
        /**
         * Predicts the class at one point of the plane; called once per grid cell, at the cell's centre.
         *
         * @param x the x coordinate
         * @param y the y coordinate
         * @return the class predicted at {@code (x, y)}, 0 or more; a negative value leaves the cell blank
         */
        int classify(double x, double y);
    }

    private record Group(String name, double[] x, double[] y) {
    }

    private record Curve(String name, double[] x, double[] y, DoubleUnaryOperator f, int samples) {
    }

    private final String title;
    private final List<Group> groups = new ArrayList<>();
    private final List<Curve> curves = new ArrayList<>();
    private double[] classX;
    private double[] classY;
    private int[] classLabels;
    private String[] classNames;
    private DecisionFunction regions;
    private int resolution;
    private String xLabel;
    private String yLabel;
    private double[] xRange;
    private double[] yRange;
    private int width = 640;
    private int height = 480;
    private double radius = 3;

    /**
     * Creates an empty 640 × 480 plot with points of radius 3 pixels.
     *
     * @param title the title shown above the plot, or null for none
     */
    public ScatterPlot(String title) {
        this.title = title;
    }

    /**
     * Sets the size of the SVG image (640 × 480 by default).
     *
     * @param width the image width in pixels, at least 100
     * @param height the image height in pixels, at least 100
     * @return this plot
     * @throws IllegalArgumentException when a side is below 100 pixels
     */
    public ScatterPlot size(int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("ScatterPlot.size: width and height must be at least 100 pixels, "
                    + "got " + width + "x" + height);
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
    public ScatterPlot xLabel(String label) {
        this.xLabel = label;
        return this;
    }

    /**
     * Sets the label written beside the y axis.
     *
     * @param label the y-axis label, or null for none
     * @return this plot
     */
    public ScatterPlot yLabel(String label) {
        this.yLabel = label;
        return this;
    }

    /**
     * Fixes the x-axis range instead of fitting the points.
     *
     * @param min the left end, finite
     * @param max the right end, finite and greater than {@code min}
     * @return this plot
     */
    public ScatterPlot xRange(double min, double max) {
        this.xRange = LinePlot.checkRange("ScatterPlot.xRange", min, max);
        return this;
    }

    /**
     * Fixes the y-axis range instead of fitting the points.
     *
     * @param min the bottom end, finite
     * @param max the top end, finite and greater than {@code min}
     * @return this plot
     */
    public ScatterPlot yRange(double min, double max) {
        this.yRange = LinePlot.checkRange("ScatterPlot.yRange", min, max);
        return this;
    }

    /**
     * Sets the radius of every point's circle (3 pixels by default).
     *
     * @param radius the point radius in pixels, positive
     * @return this plot
     * @throws IllegalArgumentException when {@code radius} is not positive and finite
     */
    public ScatterPlot pointRadius(double radius) {
        if (!(radius > 0) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("ScatterPlot.pointRadius: radius must be positive, got " + radius);
        }
        this.radius = radius;
        return this;
    }

    /**
     * Adds a group of points drawn in one colour.
     *
     * @param name the legend label
     * @param x the x coordinates
     * @param y the y coordinates, as many as {@code x}
     * @return this plot
     */
    public ScatterPlot points(String name, double[] x, double[] y) {
        Objects.requireNonNull(name, "ScatterPlot.points: name is null");
        checkLengths("ScatterPlot.points", name, x, y);
        groups.add(new Group(name, x.clone(), y.clone()));
        return this;
    }

    /**
     * Sets the class-coloured points (replacing earlier ones).
     *
     * @param x the x coordinates
     * @param y the y coordinates
     * @param labels the class of each point, 0 or more
     * @return this plot
     */
    public ScatterPlot classes(double[] x, double[] y, int[] labels) {
        checkLengths("ScatterPlot.classes", "classes", x, y);
        if (labels.length != x.length) {
            throw new IllegalArgumentException("ScatterPlot.classes: " + x.length + " points but " + labels.length
                    + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("ScatterPlot.classes: label " + labels[i] + " of point " + i
                        + " is negative; expected a class index 0 or more");
            }
        }
        classX = x.clone();
        classY = y.clone();
        classLabels = labels.clone();
        return this;
    }

    /**
     * Names the classes in the legend (replacing earlier names); naming more classes than the labels use adds
     * legend entries for them too.
     *
     * @param names legend labels of classes 0, 1, ...; classes without a name are shown as "class k"
     * @return this plot
     */
    public ScatterPlot classNames(String... names) {
        this.classNames = names.clone();
        return this;
    }

    /**
     * Adds a curve through given points (in the given order), for example a fitted regression line.
     *
     * @param name the legend label
     * @param x the x values
     * @param y the y values, as many as {@code x}
     * @return this plot
     */
    public ScatterPlot curve(String name, double[] x, double[] y) {
        Objects.requireNonNull(name, "ScatterPlot.curve: name is null");
        checkLengths("ScatterPlot.curve", name, x, y);
        curves.add(new Curve(name, x.clone(), y.clone(), null, 0));
        return this;
    }

    /**
     * Adds the curve of a function, sampled at {@code samples} evenly spaced x values across the final x
     * range (the points and array curves decide the x range; the function's values widen the y range).
     *
     * @param name the legend label
     * @param f the function, for example a fitted model
     * @param samples the number of samples, at least 2
     * @return this plot
     */
    public ScatterPlot curve(String name, DoubleUnaryOperator f, int samples) {
        Objects.requireNonNull(name, "ScatterPlot.curve: name is null");
        Objects.requireNonNull(f, "ScatterPlot.curve: function is null");
        if (samples < 2) {
            throw new IllegalArgumentException("ScatterPlot.curve: need at least 2 samples, got " + samples);
        }
        curves.add(new Curve(name, null, null, f, samples));
        return this;
    }

    /**
     * Shades the background by the class a classifier predicts.
     *
     * @param f the classifier
     * @param resolution the number of grid cells along each axis, 2 to 1000
     * @return this plot
     */
    public ScatterPlot decisionRegions(DecisionFunction f, int resolution) {
        Objects.requireNonNull(f, "ScatterPlot.decisionRegions: function is null");
        if (resolution < 2 || resolution > 1000) {
            throw new IllegalArgumentException("ScatterPlot.decisionRegions: resolution must be in [2, 1000], got "
                    + resolution);
        }
        this.regions = f;
        this.resolution = resolution;
        return this;
    }

    private static void checkLengths(String op, String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(op + ": '" + name + "' has " + x.length + " x values but " + y.length
                    + " y values");
        }
    }

    /**
     * Renders the plot as it stands: decision regions (when set) behind the points, groups and curves, then the
     * axes and the legend.
     *
     * @return the plot as an SVG document
     */
    public String toSvg() {
        Frame.Extent xs = new Frame.Extent();
        Frame.Extent ys = new Frame.Extent();
        int numClasses = 0;
        if (classX != null) {
            extend(xs, ys, classX, classY);
            for (int c : classLabels) {
                numClasses = Math.max(numClasses, c + 1);
            }
        }
        if (classNames != null) {
            numClasses = Math.max(numClasses, classNames.length);
        }
        for (Group g : groups) {
            extend(xs, ys, g.x, g.y);
        }
        for (Curve c : curves) {
            if (c.x != null) {
                extend(xs, ys, c.x, c.y);
            }
        }
        // Function curves widen the y-axis too (unless it is fixed), sampled across the x extent the points
        // and array curves set.
        double fx0 = xRange != null ? xRange[0] : xs.min, fx1 = xRange != null ? xRange[1] : xs.max;
        if (fx0 <= fx1) {
            for (Curve c : curves) {
                if (c.f != null) {
                    for (int i = 0; i < c.samples; i++) {
                        ys.add(c.f.applyAsDouble(fx0 + (fx1 - fx0) * i / (c.samples - 1)));
                    }
                }
            }
        }
        List<Frame.Entry> legend = new ArrayList<>();
        boolean[] used = new boolean[numClasses];
        if (classLabels != null) {
            for (int c : classLabels) {
                used[c] = true;
            }
        }
        for (int k = 0; k < numClasses; k++) {
            if (used[k] || (classNames != null && k < classNames.length)) {
                legend.add(new Frame.Entry(className(k), Svg.color(k), false));
            }
        }
        int nextColor = numClasses;
        String[] groupColors = new String[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            groupColors[g] = Svg.color(nextColor++);
            legend.add(new Frame.Entry(groups.get(g).name, groupColors[g], false));
        }
        String[] curveColors = new String[curves.size()];
        for (int c = 0; c < curves.size(); c++) {
            curveColors[c] = Svg.color(nextColor++);
            legend.add(new Frame.Entry(curves.get(c).name, curveColors[c], true));
        }
        Frame f = new Frame(width, height, xs, ys, xRange, yRange, title != null, xLabel != null, yLabel != null,
                legend);
        StringBuilder sb = new StringBuilder(8192);
        f.open(sb, title);
        sb.append("<g class=\"data\" clip-path=\"url(#plot-area)\">\n");
        if (regions != null) {
            drawRegions(sb, f);
        }
        if (classX != null) {
            sb.append("<g class=\"class-points\" stroke=\"white\" stroke-width=\"0.5\">\n");
            for (int i = 0; i < classX.length; i++) {
                point(sb, f, classX[i], classY[i], Svg.color(classLabels[i]));
            }
            sb.append("</g>\n");
        }
        for (int g = 0; g < groups.size(); g++) {
            Group gr = groups.get(g);
            sb.append("<g class=\"point-group\" data-name=\"").append(Svg.esc(gr.name)).append("\">\n");
            for (int i = 0; i < gr.x.length; i++) {
                point(sb, f, gr.x[i], gr.y[i], groupColors[g]);
            }
            sb.append("</g>\n");
        }
        for (int c = 0; c < curves.size(); c++) {
            Curve cu = curves.get(c);
            double[] cx = cu.x;
            double[] cy = cu.y;
            if (cu.f != null) {
                cx = new double[cu.samples];
                cy = new double[cu.samples];
                for (int i = 0; i < cu.samples; i++) {
                    cx[i] = f.xMin + (f.xMax - f.xMin) * i / (cu.samples - 1);
                    cy[i] = cu.f.applyAsDouble(cx[i]);
                }
            }
            LinePlot.drawSeries(sb, f, cu.name, cx, cy, curveColors[c], false, "curve");
        }
        sb.append("</g>\n");
        f.axes(sb, xLabel, yLabel);
        f.legend(sb, legend);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private String className(int k) {
        return classNames != null && k < classNames.length && classNames[k] != null ? classNames[k] : "class " + k;
    }

    private static void extend(Frame.Extent xs, Frame.Extent ys, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
    }

    private void point(StringBuilder sb, Frame f, double x, double y, String color) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            return;
        }
        sb.append("<circle class=\"point\" cx=\"").append(Svg.px(f.px(x))).append("\" cy=\"")
                .append(Svg.px(f.py(y))).append("\" r=\"").append(Svg.px(radius)).append("\" fill=\"").append(color)
                .append("\"/>\n");
    }

    private void drawRegions(StringBuilder sb, Frame f) {
        int n = resolution;
        double cw = (f.right - f.left) / n;
        double ch = (f.bottom - f.top) / n;
        int[] row = new int[n];
        // Opacity on the group, not on each cell: the slightly overlapping cells must not add up to seams.
        sb.append("<g class=\"regions\" opacity=\"0.25\" shape-rendering=\"crispEdges\">\n");
        for (int r = 0; r < n; r++) {
            double y = f.yMax - (r + 0.5) * (f.yMax - f.yMin) / n;
            for (int c = 0; c < n; c++) {
                double x = f.xMin + (c + 0.5) * (f.xMax - f.xMin) / n;
                row[c] = regions.classify(x, y);
            }
            int c = 0;
            while (c < n) {
                int k = row[c];
                int start = c;
                while (c < n && row[c] == k) {
                    c++;
                }
                if (k >= 0) {
                    // Cells overlap by a hair so no seams show between rows.
                    sb.append("<rect class=\"region\" x=\"").append(Svg.px(f.left + start * cw)).append("\" y=\"")
                            .append(Svg.px(f.top + r * ch)).append("\" width=\"").append(Svg.px((c - start) * cw))
                            .append("\" height=\"").append(Svg.px(ch + 0.5)).append("\" fill=\"")
                            .append(Svg.color(k)).append("\" data-class=\"").append(k).append("\"/>\n");
                }
            }
        }
        sb.append("</g>\n");
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

    @Override
    public String toString() {
        return "ScatterPlot[" + (title == null ? "" : title) + ", " + groups.size() + " groups, "
                + (classLabels == null ? 0 : classLabels.length) + " class points, " + curves.size() + " curves"
                + (regions != null ? ", regions " + resolution + "x" + resolution : "") + "; classes "
                + (classNames == null ? "unnamed" : Arrays.toString(classNames)) + "]";
    }
}
