package dev.frelon.spark;

import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.util.List;

/**
 * Splits an RDD of samples into the workers' shards: samples are numbered in the RDD's order, example i goes to
 * partition i mod N, each partition is sorted by number and packed into one {@link Shard}.
 */
final class Shards {

    private Shards() {
    }

    /** The shards as an RDD of N partitions holding one {@link Shard} each (not yet cached or computed). */
    static JavaRDD<Shard> of(JavaRDD<Sample> samples, ShardPlan plan) {
        return samples.zipWithIndex()
                .mapToPair(t -> new Tuple2<>((Long) t._2(), t._1()))
                .repartitionAndSortWithinPartitions(new ModuloPartitioner(plan.workers()))
                .mapPartitionsWithIndex((w, it) -> List.of(Shard.pack(w, plan, it)).iterator(), true);
    }

    /** Sends example i to partition i mod N. */
    static final class ModuloPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ModuloPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) ((Long) key % partitions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ModuloPartitioner m && m.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
