package dev.frelon.spark;

/**
 * Worker 0's vector to every worker, along the ring: worker 0 sends it to worker 1, which passes it on to worker 2,
 * and so on to worker N − 1, in chunks, so that every link carries the vector once and the chunks travel down the
 * ring one behind the other. It is how the driver's checkpoint reaches the workers: the driver sends it to worker 0
 * alone, instead of one copy per worker over its own link.
 */
final class RingBroadcast {

    /** Floats per message: large enough for few messages, small enough that the next hop starts early. */
    static final int CHUNK = 1 << 18;

    private RingBroadcast() {
    }

    /**
     * Every worker of the ring must call this at the same point, with vectors of one length.
     *
     * @param link this worker's neighbours
     * @param worker this worker's number
     * @param workers the number of workers
     * @param values worker 0's vector (read), the others' buffer for it (overwritten)
     */
    static void fromWorker0(RingLink link, int worker, int workers, float[] values) {
        for (int from = 0; from < values.length; from += CHUNK) {
            int to = Math.min(values.length, from + CHUNK);
            if (worker != 0) {
                link.receive(values, from, to);
            }
            if (worker != workers - 1) {
                link.send(values, from, to);
            }
        }
    }
}
