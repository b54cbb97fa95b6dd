package dev.frelon.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The Spark side of a training run on the driver: the barrier stage that holds the whole run, submitted on a thread
 * of its own while the driver's training thread steers it through a {@link Steering}.
 *
 * <p>Spark retries a failed barrier stage as a whole, and gives up after {@code spark.stage.maxConsecutiveAttempts}
 * attempts (4 by default) in one job. Since the whole run is one stage, a long run on a flaky cluster could spend
 * those on failures hours apart; so when Spark gives up on a stage (a stage abort) that completed at least one
 * interval, the run goes on in a new stage, from the driver's checkpoint. A stage that fails before completing any interval ends the run
 * with its failure, as Spark reports it, and so does a cancelled job (from the Spark UI, {@code cancelAllJobs}, or
 * the context stopping).
 *
 * <p>The job carries a tag of its own, so that {@link #cancel} stops it, and keeps the caller's job group, so that
 * whoever cancels that group stops the training too.
 */
final class TrainingJob {

    private final JavaRDD<Shard> shards;
    private final Steering steering;
    private final IntFunction<TrainingTask> taskForStage;
    private final String jobTag = "frelon-training-" + UUID.randomUUID();
    private int stage = -1;
    private int intervalsInStage;
    private Thread waiter;
    /** Set by {@link #cancel}; a stage thread that has not submitted its job yet then does not. */
    private volatile boolean cancelled;

    /**
     * @param shards the cached shards, one partition per worker
     * @param steering the driver's server the tasks register with
     * @param taskForStage the task of stage number n
     */
    TrainingJob(JavaRDD<Shard> shards, Steering steering, IntFunction<TrainingTask> taskForStage) {
        this.shards = shards;
        this.steering = steering;
        this.taskForStage = taskForStage;
        submitNextStage();
    }

    /**
     * Runs one checkpoint interval on every worker, in a new stage if Spark gives up on the current one after it
     * made progress.
     *
     * @param first worker 0's order
     * @param others the other workers' order
     * @return the workers' results, indexed by worker
     */
    List<SegmentResult> run(SegmentOrder first, SegmentOrder others) {
        while (true) {
            try {
                List<SegmentResult> results = steering.run(first, others);
                intervalsInStage++;
                return results;
            } catch (Steering.StageFailed f) {
                awaitWaiter();
                if (intervalsInStage == 0 || !isStageAbort(f.getCause())) {
                    throw rethrow(f.getCause());
                }
                submitNextStage();
            }
        }
    }

    /** Stage attempts whose tasks all registered, retries included. */
    long stagesRun() {
        return steering.attempts();
    }

    /** Tells the workers the training is over and waits for the stage to end. */
    void finish() {
        try {
            steering.finish();
        } catch (Steering.StageFailed f) {
            throw rethrow(f.getCause());
        } finally {
            awaitWaiter();
        }
    }

    /**
     * Cancels the stage after a failure on the driver, so that Spark does not retry it, and waits for its end.
     * Called while that failure propagates, it reports its own problems as suppressed exceptions of it.
     *
     * @param failure the driver's failure
     */
    void cancel(Throwable failure) {
        cancelled = true;
        try {
            shards.context().cancelJobsWithTag(jobTag);
        } catch (RuntimeException e) {   // the context stopped already, for one
            failure.addSuppressed(e);
        }
        steering.close();   // tasks waiting for an order fail at once, and retries cannot register
        boolean interrupted = Thread.interrupted();
        try {
            waiter.join(SocketRing.TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void submitNextStage() {
        stage++;
        intervalsInStage = 0;
        steering.expectStage(stage);
        TrainingTask task = taskForStage.apply(stage);
        SparkContext sc = shards.context();
        int number = stage;
        waiter = Thread.ofPlatform().daemon().name("frelon-stage-" + number).start(() -> {
            Throwable failure = null;
            try {
                if (cancelled) {
                    throw new java.util.concurrent.CancellationException("the driver failed before the stage started");
                }
                sc.addJobTag(jobTag);
                runStage(task);
            } catch (Throwable t) {
                failure = t;
            } finally {
                try {
                    sc.removeJobTag(jobTag);
                } catch (RuntimeException ignored) {
                    // a stopped context: the stage's end below is what matters
                }
                steering.stageEnded(number, failure);
            }
        });
    }

    /** Whether Spark gave up on the stage after its attempts (not a cancelled job, nor a stopped context). */
    private static boolean isStageAbort(Throwable t) {
        return t instanceof org.apache.spark.SparkException
                && String.valueOf(t.getMessage()).startsWith("Job aborted due to stage failure");
    }

    private void runStage(TrainingTask task) {
        ClassTag<SegmentResult> tag = ClassTag$.MODULE$.apply(SegmentResult.class);
        // The shuffle after the barrier stage makes it a map stage, which Spark retries as a whole when a task
        // fails; a failed barrier result stage (a collect straight from it) would end the job instead.
        JavaRDD.fromRDD(shards.rdd().barrier().mapPartitions(task, false, tag), tag).repartition(1).collect();
    }

    private void awaitWaiter() {
        try {
            waiter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("SparkTrainer: interrupted while the training stage ended", e);
        }
    }

    /**
     * Throws a stage's failure as it came: Spark's {@code SparkException}, which Scala code throws without declaring
     * it, is what callers of {@link SparkTrainer#fit} catch.
     */
    private static RuntimeException rethrow(Throwable t) {
        return TrainingJob.<RuntimeException>sneaky(t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
