package dev.frelon.optim;

/**
 * Sets the learning rate of every group of an optimizer from a closed-form schedule of the epoch (or step)
 * count: {@code lr = f(initialLr, t)}. Construction applies t = 0; each {@link #step()} advances t by one.
 * Call {@code optimizer.step()} before {@code scheduler.step()}, as in PyTorch.
 */
public abstract class LRScheduler {
    private final Optimizer<?> optimizer;
    private int epoch;

    /**
     * Binds the schedule to an optimizer; the subclass's constructor ends with {@link #start()} to set the
     * learning rates for t = 0.
     *
     * @param optimizer whose groups' learning rates this schedules
     */
    protected LRScheduler(Optimizer<?> optimizer) {
        this.optimizer = optimizer;
    }

    /** Applies the schedule at t = 0; subclasses call it at the end of their constructor. */
    protected final void start() {
        apply();
    }

    /**
     * The schedule itself: the learning rate of a group that started at {@code initialLr}, after {@code t}
     * calls of {@link #step()}. Called for every group at construction and at each step.
     *
     * @param initialLr the group's starting learning rate
     * @param t epochs (or steps) done
     * @return the learning rate for step t
     */
    protected abstract double lrAt(double initialLr, int t);

    /** Advances the schedule by one and sets the new learning rates. */
    public void step() {
        epoch++;
        apply();
    }

    private void apply() {
        for (ParamGroup<?> g : optimizer.paramGroups()) {
            g.setLr(lrAt(g.initialLr(), epoch));
        }
    }

    /**
     * The schedule's position t, the argument last given to {@link #lrAt}.
     *
     * @return how many times {@link #step()} was called
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The current learning rate of the optimizer's first parameter group, e.g. for logging.
     *
     * @return the learning rate of the first group
     */
    public double lr() {
        return optimizer.paramGroups().get(0).lr();
    }
}
