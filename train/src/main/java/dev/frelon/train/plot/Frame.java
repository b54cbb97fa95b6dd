package dev.frelon.train.plot;

import java.util.ArrayList;
import java.util.List;

/** The layout of one 2-D plot: margins, data-to-pixel mapping, axes, ticks, labels, title and legend. */
final class Frame {
    static final int TARGET_TICKS = 6;
    static final double LEGEND_ROW = 18;

    /** A legend entry. */
    record Entry(String label, String color, boolean line) {
    }

    /** Collects the finite extent of some values. */
    static final class Extent {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double v) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }

        boolean empty() {
            return min > max;
        }
    }

    final int width;
    final int height;
    final double left;
    final double right;
    final double top;
    final double bottom;
    final double xMin;
    final double xMax;
    final double yMin;
    final double yMax;
    final double[] xTicks;
    final double[] yTicks;
    final double xStep;
    final double yStep;

    /**
     * @param xFixed user bounds {min, max} or null to fit the data extent
     * @param yFixed likewise for y
     */
    Frame(int width, int height, Extent xs, Extent ys, double[] xFixed, double[] yFixed, boolean title,
          boolean xLabel, boolean yLabel, List<Entry> legend) {
        this.width = width;
        this.height = height;
        double[] xr = range(xs, xFixed);
        double[] yr = range(ys, yFixed);
        xMin = xr[0];
        xMax = xr[1];
        xStep = xr[2];
        yMin = yr[0];
        yMax = yr[1];
        yStep = yr[2];
        xTicks = ticks(xMin, xMax, xStep);
        yTicks = ticks(yMin, yMax, yStep);
        double yTickWidth = 0;
        for (double t : yTicks) {
            yTickWidth = Math.max(yTickWidth, Svg.textWidth(Svg.tick(t, yStep)));
        }
        double legendWidth = 0;
        for (Entry e : legend) {
            legendWidth = Math.max(legendWidth, 34 + Svg.textWidth(e.label()));
        }
        left = 14 + yTickWidth + (yLabel ? 22 : 0);
        right = width - 16 - (legend.isEmpty() ? 0 : legendWidth + 8);
        top = title ? 38 : 14;
        bottom = height - 26 - (xLabel ? 22 : 0);
        if (right - left < 20 || bottom - top < 20) {
            throw new IllegalArgumentException("plot: a " + width + "x" + height + " image leaves no room for "
                    + "the plot area after the labels and legend; make it larger");
        }
    }

    private static double[] range(Extent e, double[] fixed) {
        if (fixed != null) {
            double[] n = Svg.niceRange(fixed[0], fixed[1], TARGET_TICKS);
            return new double[] {fixed[0], fixed[1], n[2]};
        }
        if (e.empty()) {
            return new double[] {0, 1, 0.2};
        }
        return Svg.niceRange(e.min, e.max, TARGET_TICKS);
    }

    private static double[] ticks(double lo, double hi, double step) {
        List<Double> t = new ArrayList<>();
        double first = Math.ceil(lo / step - 1e-9) * step;
        for (int i = 0; i < 1000; i++) {
            double v = first + i * step;
            if (v > hi + step * 1e-9) {
                break;
            }
            t.add(v);
        }
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(i);
        }
        return out;
    }

    double px(double x) {
        return left + (x - xMin) / (xMax - xMin) * (right - left);
    }

    double py(double y) {
        return bottom - (y - yMin) / (yMax - yMin) * (bottom - top);
    }

    /** The SVG header, background, title, grid, axes, ticks and axis labels, and the clip path. */
    void open(StringBuilder sb, String title) {
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        if (title != null) {
            sb.append("<title>").append(Svg.esc(title)).append("</title>\n");
        }
        sb.append("<rect width=\"").append(width).append("\" height=\"").append(height)
                .append("\" fill=\"white\"/>\n");
        sb.append("<defs><clipPath id=\"plot-area\"><rect x=\"").append(Svg.px(left)).append("\" y=\"")
                .append(Svg.px(top)).append("\" width=\"").append(Svg.px(right - left)).append("\" height=\"")
                .append(Svg.px(bottom - top)).append("\"/></clipPath></defs>\n");
        if (title != null) {
            sb.append("<text class=\"title\" x=\"").append(Svg.px(width / 2.0)).append("\" y=\"24\" "
                    + "text-anchor=\"middle\" font-size=\"16\">").append(Svg.esc(title)).append("</text>\n");
        }
        sb.append("<g class=\"grid\" stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
        for (double t : xTicks) {
            sb.append("<line x1=\"").append(Svg.px(px(t))).append("\" y1=\"").append(Svg.px(top)).append("\" x2=\"")
                    .append(Svg.px(px(t))).append("\" y2=\"").append(Svg.px(bottom)).append("\"/>\n");
        }
        for (double t : yTicks) {
            sb.append("<line x1=\"").append(Svg.px(left)).append("\" y1=\"").append(Svg.px(py(t))).append("\" x2=\"")
                    .append(Svg.px(right)).append("\" y2=\"").append(Svg.px(py(t))).append("\"/>\n");
        }
        sb.append("</g>\n");
    }

    /** Axes drawn over the content so the data never hides them, then tick labels and axis labels. */
    void axes(StringBuilder sb, String xLabel, String yLabel) {
        sb.append("<g class=\"axes\" stroke=\"#333333\" stroke-width=\"1\" fill=\"none\">\n");
        sb.append("<rect x=\"").append(Svg.px(left)).append("\" y=\"").append(Svg.px(top)).append("\" width=\"")
                .append(Svg.px(right - left)).append("\" height=\"").append(Svg.px(bottom - top)).append("\"/>\n");
        for (double t : xTicks) {
            sb.append("<line x1=\"").append(Svg.px(px(t))).append("\" y1=\"").append(Svg.px(bottom))
                    .append("\" x2=\"").append(Svg.px(px(t))).append("\" y2=\"").append(Svg.px(bottom + 5))
                    .append("\"/>\n");
        }
        for (double t : yTicks) {
            sb.append("<line x1=\"").append(Svg.px(left - 5)).append("\" y1=\"").append(Svg.px(py(t)))
                    .append("\" x2=\"").append(Svg.px(left)).append("\" y2=\"").append(Svg.px(py(t)))
                    .append("\"/>\n");
        }
        sb.append("</g>\n<g class=\"tick-labels\" fill=\"#333333\">\n");
        for (double t : xTicks) {
            sb.append("<text x=\"").append(Svg.px(px(t))).append("\" y=\"").append(Svg.px(bottom + 18))
                    .append("\" text-anchor=\"middle\">").append(Svg.esc(Svg.tick(t, xStep))).append("</text>\n");
        }
        for (double t : yTicks) {
            sb.append("<text x=\"").append(Svg.px(left - 8)).append("\" y=\"").append(Svg.px(py(t) + 4))
                    .append("\" text-anchor=\"end\">").append(Svg.esc(Svg.tick(t, yStep))).append("</text>\n");
        }
        sb.append("</g>\n");
        if (xLabel != null) {
            sb.append("<text class=\"x-label\" x=\"").append(Svg.px((left + right) / 2)).append("\" y=\"")
                    .append(Svg.px(height - 10)).append("\" text-anchor=\"middle\">").append(Svg.esc(xLabel))
                    .append("</text>\n");
        }
        if (yLabel != null) {
            double cx = 16;
            double cy = (top + bottom) / 2;
            sb.append("<text class=\"y-label\" x=\"").append(Svg.px(cx)).append("\" y=\"").append(Svg.px(cy))
                    .append("\" text-anchor=\"middle\" transform=\"rotate(-90 ").append(Svg.px(cx)).append(' ')
                    .append(Svg.px(cy)).append(")\">").append(Svg.esc(yLabel)).append("</text>\n");
        }
    }

    /** The legend, right of the plot area. */
    void legend(StringBuilder sb, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        double x = right + 12;
        sb.append("<g class=\"legend\">\n");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            double y = top + 10 + i * LEGEND_ROW;
            if (e.line()) {
                sb.append("<line x1=\"").append(Svg.px(x)).append("\" y1=\"").append(Svg.px(y)).append("\" x2=\"")
                        .append(Svg.px(x + 20)).append("\" y2=\"").append(Svg.px(y)).append("\" stroke=\"")
                        .append(e.color()).append("\" stroke-width=\"2\"/>\n");
            } else {
                sb.append("<rect x=\"").append(Svg.px(x + 5)).append("\" y=\"").append(Svg.px(y - 5))
                        .append("\" width=\"10\" height=\"10\" fill=\"").append(e.color()).append("\"/>\n");
            }
            sb.append("<text x=\"").append(Svg.px(x + 26)).append("\" y=\"").append(Svg.px(y + 4)).append("\">")
                    .append(Svg.esc(e.label())).append("</text>\n");
        }
        sb.append("</g>\n");
    }
}
