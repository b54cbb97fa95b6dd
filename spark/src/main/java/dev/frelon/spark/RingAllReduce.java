package dev.frelon.spark;

/**
 * The ring all-reduce (reduce-scatter, then all-gather): the vector is cut into N chunks; in N − 1 rounds each
 * worker passes a partial sum of one chunk to the next worker, which adds its own, until every chunk's total sits on
 * one worker; in N − 1 more rounds the totals travel around the ring. Each worker sends and receives
 * {@code 2(N − 1)/N} times the vector, whatever N, which is why large-scale data-parallel training uses it.
 *
 * <p>The order of additions is fixed by N alone (chunk c is summed from worker c's values onward, around the ring), and
 * every worker receives the same totals, so the result has the same bits on every worker and in every run.
 */
final class RingAllReduce implements AllReduce {

    private final int worker;
    private final int workers;
    private final RingLink link;
    /** The largest chunk, received into; kept from call to call, as every call has the same length. */
    private float[] incoming = new float[0];

    RingAllReduce(int worker, int workers, RingLink link) {
        this.worker = worker;
        this.workers = workers;
        this.link = link;
    }

    @Override
    public void sumInPlace(float[] acc) {
        if (workers == 1) {
            return;
        }
        int largest = (acc.length + workers - 1) / workers;
        if (incoming.length < largest) {
            incoming = new float[largest];
        }
        for (int round = 0; round < workers - 1; round++) {
            int out = Math.floorMod(worker - round, workers), in = Math.floorMod(worker - round - 1, workers);
            link.send(acc, chunkStart(out, acc.length), chunkEnd(out, acc.length));
            int lo = chunkStart(in, acc.length), hi = chunkEnd(in, acc.length);
            link.receive(incoming, 0, hi - lo);
            for (int i = lo; i < hi; i++) {
                acc[i] = incoming[i - lo] + acc[i];
            }
        }
        // Worker w now holds the total of chunk w + 1; pass the totals around.
        for (int round = 0; round < workers - 1; round++) {
            int out = Math.floorMod(worker + 1 - round, workers), in = Math.floorMod(worker - round, workers);
            link.send(acc, chunkStart(out, acc.length), chunkEnd(out, acc.length));
            link.receive(acc, chunkStart(in, acc.length), chunkEnd(in, acc.length));
        }
    }

    /** One worker's vector is the sum as it is: it is not gathered into one array to be sent nowhere. */
    @Override
    public void sumInPlace(SplitVector values) {
        if (workers > 1) {
            AllReduce.super.sumInPlace(values);
        }
    }

    private int chunkStart(int chunk, int length) {
        return (int) ((long) length * chunk / workers);
    }

    private int chunkEnd(int chunk, int length) {
        return (int) ((long) length * (chunk + 1) / workers);
    }
}
