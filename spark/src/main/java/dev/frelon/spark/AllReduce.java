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
     * The sum, where the exchange finds it cheapest to leave it: in {@code values} (summed in place), or in an array
     * the exchange owns, which every worker reads and which stays unchanged until this worker's next call. The caller
     * reads the result before its next call and does not write to it; {@code values} may be left as it was.
     *
     * @param values this worker's vector (it may be modified)
     * @return an array whose first {@code values.length} elements are the sum over the workers
     */
    default float[] sumShared(float[] values) {
        sumInPlace(values);
        return values;
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
