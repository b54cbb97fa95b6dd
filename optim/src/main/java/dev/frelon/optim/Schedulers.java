package dev.frelon.optim;

import java.util.Arrays;

/** The learning-rate schedules, as PyTorch's {@code torch.optim.lr_scheduler} (closed forms). */
public final class Schedulers {
    private Schedulers() {
    }

    private static double check(String name, String what, double v, boolean positive) {
        if (!(positive ? v > 0 : v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + ": " + what + " must be " + (positive ? "> 0" : ">= 0") + ", got " + v);
        }
        return v;
    }

    /** {@code lr = lr0·γ^⌊t/stepSize⌋}. */
    public static final class StepLR extends LRScheduler {
        private final int stepSize;
        private final double gamma;

        /**
         * Creates a step decay: the rate is multiplied by {@code gamma} every {@code stepSize} steps; sets the
         * rates for t = 0 at once.
         *
         * @param opt the optimizer
         * @param stepSize epochs between decays, &gt; 0
         * @param gamma decay factor, at least 0
         * @throws IllegalArgumentException when {@code stepSize} or {@code gamma} is out of range
         */
        public StepLR(Optimizer<?> opt, int stepSize, double gamma) {
            super(opt);
            this.stepSize = (int) check("StepLR", "stepSize", stepSize, true);
            this.gamma = check("StepLR", "gamma", gamma, false);
            start();
        }

        @Override
        protected double lrAt(double lr0, int t) {
            return lr0 * Math.pow(gamma, t / stepSize);
        }
    }

    /** {@code lr = lr0·γ^(number of milestones ≤ t)}. */
    public static final class MultiStepLR extends LRScheduler {
        private final int[] milestones;
        private final double gamma;

        /**
         * Creates a milestone decay: the rate is multiplied by {@code gamma} on reaching each milestone; sets the
         * rates for t = 0 at once.
         *
         * @param opt the optimizer
         * @param milestones strictly increasing epochs at which to decay (copied)
         * @param gamma decay factor, at least 0
         * @throws IllegalArgumentException when the milestones do not increase or {@code gamma} is out of range
         */
        public MultiStepLR(Optimizer<?> opt, int[] milestones, double gamma) {
            super(opt);
            for (int i = 1; i < milestones.length; i++) {
                if (milestones[i] <= milestones[i - 1]) {
                    throw new IllegalArgumentException("MultiStepLR: milestones must increase, got " + Arrays.toString(milestones));
                }
            }
            this.milestones = milestones.clone();
            this.gamma = check("MultiStepLR", "gamma", gamma, false);
            start();
        }

        @Override
        protected double lrAt(double lr0, int t) {
            int passed = 0;
            for (int m : milestones) {
                if (m <= t) {
                    passed++;
                }
            }
            return lr0 * Math.pow(gamma, passed);
        }
    }

    /** {@code lr = lr0·γ^t}. */
    public static final class ExponentialLR extends LRScheduler {
        private final double gamma;

        /**
         * Creates an exponential decay: the rate is multiplied by {@code gamma} at every step; sets the rates for
         * t = 0 at once.
         *
         * @param opt the optimizer
         * @param gamma decay per epoch, at least 0
         * @throws IllegalArgumentException when {@code gamma} is negative, infinite or NaN
         */
        public ExponentialLR(Optimizer<?> opt, double gamma) {
            super(opt);
            this.gamma = check("ExponentialLR", "gamma", gamma, false);
            start();
        }

        @Override
        protected double lrAt(double lr0, int t) {
            return lr0 * Math.pow(gamma, t);
        }
    }

    /** {@code lr = ηmin + (lr0 − ηmin)·(1 + cos(π·t/T))/2}. */
    public static final class CosineAnnealingLR extends LRScheduler {
        private final int tMax;
        private final double etaMin;

        /**
         * Creates a cosine annealing from each group's initial rate down to {@code etaMin} at t = T; the closed
         * form continues past T, rising back towards the initial rate as PyTorch's does.
         *
         * @param opt the optimizer
         * @param tMax half period T, &gt; 0
         * @param etaMin the lowest rate, at least 0
         * @throws IllegalArgumentException when {@code tMax} or {@code etaMin} is out of range
         */
        public CosineAnnealingLR(Optimizer<?> opt, int tMax, double etaMin) {
            super(opt);
            this.tMax = (int) check("CosineAnnealingLR", "tMax", tMax, true);
            this.etaMin = check("CosineAnnealingLR", "etaMin", etaMin, false);
            start();
        }

        @Override
        protected double lrAt(double lr0, int t) {
            return etaMin + (lr0 - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
        }
    }

    /**
     * Linear warm-up (PyTorch's {@code LinearLR}): the factor goes linearly from {@code start} to {@code end}
     * over {@code iters} steps, then stays: {@code lr = lr0·(start + (end − start)·min(t, iters)/iters)}.
     */
    public static final class LinearLR extends LRScheduler {
        private final double startFactor, endFactor;
        private final int iters;

        /**
         * Creates a linear ramp of the factor applied to each group's initial rate; sets the rates for t = 0 at
         * once.
         *
         * @param opt the optimizer
         * @param startFactor factor at t = 0, in (0, 1]
         * @param endFactor factor from t = iters on, in [0, 1]
         * @param iters warm-up length, &gt; 0
         * @throws IllegalArgumentException when a factor or {@code iters} is out of range
         */
        public LinearLR(Optimizer<?> opt, double startFactor, double endFactor, int iters) {
            super(opt);
            if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1)) {
                throw new IllegalArgumentException("LinearLR: need 0 < startFactor <= 1 and 0 <= endFactor <= 1, got "
                        + startFactor + " and " + endFactor);
            }
            this.startFactor = startFactor;
            this.endFactor = endFactor;
            this.iters = (int) check("LinearLR", "iters", iters, true);
            start();
        }

        @Override
        protected double lrAt(double lr0, int t) {
            return lr0 * (startFactor + (endFactor - startFactor) * Math.min(t, iters) / iters);
        }
    }

    /**
     * The one-cycle policy (PyTorch's {@code OneCycleLR} with cosine annealing; momentum is not cycled): from
     * {@code maxLr/div} up to {@code maxLr} over the first {@code pctStart·total − 1} steps, then down to
     * {@code maxLr/(div·finalDiv)} at step {@code total − 1}; each phase {@code lr = b + (a − b)(1 + cos(π·p))/2}.
     * The groups' own learning rates are ignored.
     */
    public static final class OneCycleLR extends LRScheduler {
        private final double maxLr, initial, min;
        private final int total;
        private final double phaseEnd;

        /**
         * Creates a one-cycle schedule of {@code total} steps and sets every group to the initial rate
         * {@code maxLr/div}; stepping beyond {@code total − 1} throws {@link IllegalStateException}.
         *
         * @param opt the optimizer
         * @param maxLr peak rate, &gt; 0
         * @param total number of steps, &gt; 1
         * @param pctStart fraction of steps spent rising, in (0, 1)
         * @param div initial rate = maxLr/div, &gt; 0
         * @param finalDiv final rate = initial/finalDiv, &gt; 0
         * @throws IllegalArgumentException when an argument is out of range
         */
        public OneCycleLR(Optimizer<?> opt, double maxLr, int total, double pctStart, double div, double finalDiv) {
            super(opt);
            if (total < 2 || !(pctStart > 0 && pctStart < 1)) {
                throw new IllegalArgumentException("OneCycleLR: need total >= 2 and 0 < pctStart < 1, got " + total
                        + " and " + pctStart);
            }
            this.maxLr = check("OneCycleLR", "maxLr", maxLr, true);
            this.initial = maxLr / check("OneCycleLR", "div", div, true);
            this.min = initial / check("OneCycleLR", "finalDiv", finalDiv, true);
            this.total = total;
            this.phaseEnd = pctStart * total - 1;
            start();
        }

        /**
         * Creates a one-cycle schedule with PyTorch's defaults: 30% of the steps rising from {@code maxLr/25},
         * the rest falling to {@code maxLr/(25·1e4)}.
         *
         * @param opt the optimizer
         * @param maxLr peak rate, &gt; 0
         * @param total number of steps, &gt; 1
         * @return PyTorch's defaults: pctStart 0.3, div 25, finalDiv 1e4
         */
        public static OneCycleLR of(Optimizer<?> opt, double maxLr, int total) {
            return new OneCycleLR(opt, maxLr, total, 0.3, 25, 1e4);
        }

        private static double cos(double from, double to, double pct) {
            return to + (from - to) / 2 * (1 + Math.cos(Math.PI * pct));
        }

        @Override
        protected double lrAt(double lr0, int t) {
            if (t >= total) {
                throw new IllegalStateException("OneCycleLR: stepped " + t + " times, beyond the " + total + " steps planned");
            }
            if (t <= phaseEnd) {
                return cos(initial, maxLr, t / phaseEnd);
            }
            return cos(maxLr, min, (t - phaseEnd) / (total - 1 - phaseEnd));
        }
    }

    /**
     * Multiplies the rate by {@code factor} when a metric has not improved (relative threshold, mode min or
     * max) for more than {@code patience} steps, then waits {@code cooldown} steps; never below {@code minLr}.
     * Driven by {@link #step(double)} with the metric (it is not an {@link LRScheduler}).
     */
    public static final class ReduceLROnPlateau {
        private final Optimizer<?> opt;
        private final boolean maximize;
        private final double factor, threshold, minLr;
        private final int patience, cooldown;
        private double best;
        private int bad, cooldownLeft;

        /**
         * Creates the scheduler; the learning rates are left as they are until a reduction. The first metric
         * given to {@link #step(double)} always counts as an improvement.
         *
         * @param opt the optimizer
         * @param maximize true when a larger metric is better
         * @param factor multiplier in (0, 1)
         * @param patience steps without improvement tolerated
         * @param threshold relative improvement that counts (PyTorch's "rel" mode)
         * @param cooldown steps to wait after a reduction
         * @param minLr lower bound of the rate
         * @throws IllegalArgumentException when an argument is out of range
         */
        public ReduceLROnPlateau(Optimizer<?> opt, boolean maximize, double factor, int patience, double threshold,
                                 int cooldown, double minLr) {
            if (!(factor > 0 && factor < 1) || patience < 0 || cooldown < 0 || !(threshold >= 0) || !(minLr >= 0)) {
                throw new IllegalArgumentException("ReduceLROnPlateau: need 0 < factor < 1, patience >= 0, cooldown >= 0,"
                        + " threshold >= 0, minLr >= 0; got " + factor + ", " + patience + ", " + cooldown + ", "
                        + threshold + ", " + minLr);
            }
            this.opt = opt;
            this.maximize = maximize;
            this.factor = factor;
            this.patience = patience;
            this.threshold = threshold;
            this.cooldown = cooldown;
            this.minLr = minLr;
            this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }

        /**
         * Creates a scheduler for a metric to minimise (e.g. a validation loss) with PyTorch's defaults.
         *
         * @param opt the optimizer
         * @return PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4, no cooldown, minLr 0
         */
        public static ReduceLROnPlateau of(Optimizer<?> opt) {
            return new ReduceLROnPlateau(opt, false, 0.1, 10, 1e-4, 0, 0);
        }

        /**
         * Records one epoch's metric: it improves on the best so far when it beats it by the relative threshold
         * ({@code metric < best·(1 − threshold)} when minimising, for a positive best). After more than
         * {@code patience} epochs without improvement (none counted during a cooldown), every group's rate
         * becomes {@code max(lr·factor, minLr)} and the cooldown starts.
         *
         * @param metric this epoch's value of the monitored metric
         */
        public void step(double metric) {
            boolean better = maximize ? metric > best * (1 + Math.signum(best) * threshold)
                    : metric < best * (1 - Math.signum(best) * threshold);
            if (Double.isInfinite(best)) {
                better = true;
            }
            if (better) {
                best = metric;
                bad = 0;
            } else {
                bad++;
            }
            if (cooldownLeft > 0) {
                cooldownLeft--;
                bad = 0;
            }
            if (bad > patience) {
                for (ParamGroup<?> g : opt.paramGroups()) {
                    g.setLr(Math.max(g.lr() * factor, minLr));
                }
                cooldownLeft = cooldown;
                bad = 0;
            }
        }
    }
}
