package dev.frelon.spark;

/**
 * The collective step of data-parallel training: every worker offers a vector and gets back the element-wise sum
 * over all workers. All workers must call it the same number of times, with vectors of one length.
 */
interface AllReduce {

    /**
     * Blocks until every worker has offered its vector, then overwrites it with the sum; every worker gets the same
     * bits, and so does every run with the same number of workers.
     *
     * @param values this worker's vector, replaced by the sum over the workers (modified)
     */
    void sumInPlace(float[] values);

    /**
     * {@link #sumInPlace(float[])} of a vector kept in pieces (a model's gradients where backward left them): every
     * piece is overwritten by its part of the sum. An exchange through shared memory sums the pieces where they lie;
     * one that sends bytes gathers them into one array first, and scatters the sum back.
     *
     * @param values this worker's vector, replaced by the sum over the workers (modified); every worker's pieces have
     *               the same lengths
     */
    default void sumInPlace(SplitVector values) {
        float[] flat = values.gather();
        sumInPlace(flat);
        values.scatter(flat);
    }

    /** The exchange of a worker that trains alone: the sum over one worker is its own vector, left as it is. */
    static AllReduce alone() {
        return new AllReduce() {
            @Override
            public void sumInPlace(float[] values) {
            }

            @Override
            public void sumInPlace(SplitVector values) {
            }
        };
    }

    /**
     * {@link #sumInPlace} into a copy.
     *
     * @param local this worker's vector (not modified)
     * @return a new vector, the sum over the workers
     */
    default float[] sum(float[] local) {
        float[] acc = local.clone();
        sumInPlace(acc);
        return acc;
    }
}
