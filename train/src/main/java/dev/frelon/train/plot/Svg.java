package dev.frelon.train.plot;

import java.util.Locale;

/** String helpers for SVG: escaping, number formatting, the palette, tick placement. */
final class Svg {
    private Svg() {
    }

    /** Matplotlib's "tab10" colours. */
    static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf"};

    static String color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        if (c != 0xFFFE && c != 0xFFFF) {
                            sb.append(c);
                        }
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A pixel coordinate with at most two decimals. */
    static String px(double v) {
        long r = Math.round(v * 100);
        if (r % 100 == 0) {
            return Long.toString(r / 100);
        }
        String s = String.format(Locale.ROOT, "%.2f", r / 100.0);
        return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
    }

    /** Estimated width in pixels of text at the 12 px font size. */
    static double textWidth(String s) {
        return 7.0 * s.length();
    }

    /**
     * "Nice" axis ticks (Heckbert's labelling): a step of 1, 2 or 5 times a power of ten, and bounds that are
     * multiples of it covering {@code [min, max]}.
     *
     * @return {niceMin, niceMax, step}
     */
    static double[] niceRange(double min, double max, int target) {
        if (!(max > min)) {
            double pad = min == 0 ? 0.5 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        double step = niceNum((max - min) / Math.max(1, target - 1), true);
        double lo = Math.floor(min / step + 1e-9) * step;
        double hi = Math.ceil(max / step - 1e-9) * step;
        return new double[] {lo, hi, step};
    }

    static double niceNum(double x, boolean round) {
        double exp = Math.floor(Math.log10(x));
        double f = x / Math.pow(10, exp);
        double nf;
        if (round) {
            nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        } else {
            nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        }
        return nf * Math.pow(10, exp);
    }

    /** Formats a tick value with as many decimals as the step needs. */
    static String tick(double v, double step) {
        if (Math.abs(v) < step * 1e-6) {
            v = 0;
        }
        double mag = Math.max(Math.abs(v), step);
        if (mag >= 1e6 || step < 1e-4) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
