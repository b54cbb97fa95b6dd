package dev.frelon.spark;

/**
 * A task's open ring, whatever carries it: TCP between JVMs ({@link SocketRing}) or memory between the tasks of one
 * JVM ({@link LocalRing}).
 */
interface Ring extends RingLink, AutoCloseable {

    /**
     * The all-reduce this ring carries for worker {@code worker} of {@code workers}: the ring algorithm over
     * {@link #send} and {@link #receive}, unless the ring has a faster way with the same bits.
     *
     * @param worker this task's worker number
     * @param workers the number of tasks
     * @return the exchange for this task
     */
    default AllReduce allReduce(int worker, int workers) {
        return new RingAllReduce(worker, workers, this);
    }

    /** Closes at once after a failure, so that the neighbours' waits fail instead of running into the timeout. */
    void abort();

    /**
     * {@link #abort()} after this task failed with {@code cause}; a ring whose neighbours share this JVM names the
     * cause in their errors, so that the job reports it whichever task's failure Spark reports last.
     *
     * @param cause the task's failure
     */
    default void abort(Throwable cause) {
        abort();
    }

    /** Waits for the last sends to leave, then releases the ring. */
    @Override
    void close();
}
