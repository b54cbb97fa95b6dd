package dev.frelon.spark;

/**
 * The collective step of data-parallel training: every worker offers a vector and gets back the element-wise sum
 * over all workers. All workers must call it the same number of times, with vectors of one length.
 */
interface AllReduce {

    /**
     * Blocks until every worker has offered its vector, then returns the sum; every worker gets the same bits,
     * and so does every run with the same number of workers.
     *
     * @param local this worker's vector (not modified)
     * @return a new vector, the sum over the workers
     */
    float[] sum(float[] local);
}
