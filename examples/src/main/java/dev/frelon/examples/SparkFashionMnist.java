package dev.frelon.examples;

import dev.frelon.core.Rng;
import dev.frelon.core.kernel.Kernels;
import dev.frelon.nn.Losses;
import dev.frelon.nn.Models;
import dev.frelon.nn.Module;
import dev.frelon.optim.SGD;
import dev.frelon.optim.Schedulers;
import dev.frelon.spark.Sample;
import dev.frelon.spark.SparkData;
import dev.frelon.spark.SparkJvmOptions;
import dev.frelon.spark.SparkTrainer;
import dev.frelon.train.data.DataLoader;
import dev.frelon.train.data.IdxReader;
import dev.frelon.train.data.TensorDataset;
import dev.frelon.train.fit.Evaluation;
import dev.frelon.train.fit.Trainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The main job's LeNet-5 (or an MLP) trained on Fashion-MNIST data-parallel on Apache Spark: synchronous
 * gradient all-reduce by default, parameter averaging with {@code --average K}.
 *
 * <pre>
 * bin/frelon run SparkFashionMnist --workers 2 --epochs 2          # local[2]: two workers in this JVM
 * bin/frelon run SparkFashionMnist --model mlp --average 8         # an MLP, parameters averaged every 8 steps
 * spark-submit --class dev.frelon.examples.SparkFashionMnist --master spark://HOST:7077 \
 *     examples/target/frelon-examples-0.1.0-SNAPSHOT-spark-app.jar --workers 8   # a cluster (docs/distributed.md)
 * </pre>
 *
 * <p>Options: {@code --workers N} (2), {@code --batch B} examples per worker per step (32), {@code --epochs E} (2),
 * {@code --lr} (0.05), {@code --model lenet|mlp}, {@code --average K} (0: synchronous), {@code --threads T} per worker
 * (1), {@code --checkpoint-every S} steps per checkpoint interval (an epoch), {@code --limit N} training images (all),
 * {@code --seed}, {@code --data DIR}, {@code --master URL} when not started by spark-submit ({@code local[N]}).
 * The driver reads the data, ships it to the workers, and writes {@code runs/spark-<model>/model.safetensors}.
 */
public final class SparkFashionMnist {

    private SparkFashionMnist() {
    }

    /**
     * Trains and reports test accuracy, throughput, where the time went and the cluster's compute.
     *
     * @param argv options, see the class comment
     * @throws Exception when the data cannot be read or the model written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int workers = args.integer("workers", 2), batch = args.integer("batch", 32), epochs = args.integer("epochs", 2);
        int average = args.integer("average", 0), threads = args.integer("threads", 1);
        double lr = args.number("lr", 0.05);
        long seed = args.integer("seed", 1);
        String model = args.string("model", "lenet");
        if (!model.equals("lenet") && !model.equals("mlp")) {
            throw new IllegalArgumentException("--model must be lenet or mlp, got " + model);
        }
        Path out = args.outDir("spark-" + model);
        SparkJvmOptions.check();

        IdxReader.Mnist data = FashionData.load(args, model.equals("lenet"));
        TensorDataset all = data.train();
        int limit = Math.min(all.size(), args.integer("limit", all.size()));
        SparkConf conf = new SparkConf().setAppName("frelon-fashion-mnist")
                .setIfMissing("spark.master", args.string("master", "local[" + workers + ",4]"))   // 4 attempts: retries
                .setIfMissing("spark.ui.enabled", "false");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            sc.setLogLevel("WARN");
            System.out.printf("spark %s, master %s; kernels: %s; %d worker(s) x %d thread(s), %d examples each per step%n",
                    spark.version(), sc.master(), Kernels.description(), workers, threads, batch);
            JavaRDD<Sample> samples = SparkData.fromDataset(sc,
                    all.subset(IntStream.range(0, limit).toArray()), Math.max(workers, sc.defaultParallelism()));

            SparkTrainer.ModelFactory factory = model.equals("lenet") ? () -> Models.lenet5(new Rng(seed))
                    : () -> Models.mlp(new Rng(seed), 784, 256, 128, 10);
            SparkTrainer.Builder b = SparkTrainer.builder(factory,
                            params -> new SGD(params, lr, SGD.momentum(0.9).withWeightDecay(5e-4)), Losses::crossEntropy)
                    .workers(workers).batchPerWorker(batch).epochs(epochs).seed(seed).threadsPerWorker(threads)
                    .scheduler(opt -> new Schedulers.CosineAnnealingLR(opt, epochs, lr / 50));
            if (average > 0) {
                b.averageEvery(average);
            }
            if (args.integer("checkpoint-every", 0) > 0) {
                b.checkpointEvery(args.integer("checkpoint-every", 0));
            }
            SparkTrainer.Result r = b.build().fit(samples);

            Module trained = r.model();
            DataLoader test = DataLoader.builder(data.test()).batchSize(1000).noShuffle().build();
            Evaluation eval = Trainer.builder(trained, new SGD(trained.parameters(), 0), Losses::crossEntropy).out(null)
                    .build().evaluate(test);
            var t = r.timings();
            System.out.printf(Locale.ROOT, "%ntest accuracy %.2f%% (loss %.4f) after %d epochs, %s%n", 100 * eval.accuracy(),
                    eval.loss(), epochs, average > 0 ? "parameters averaged every " + average + " steps" : "synchronous");
            System.out.printf(Locale.ROOT, "training: %.0f samples/s; per step: %.2f ms compute, %.2f ms all-reduce;"
                            + " %d stage(s), started in %.0f ms; %d checkpoint intervals, %.1f ms overhead each%n",
                    r.history().report().samplesPerSecond(), t.computeMillisPerStep(), t.allReduceMillisPerStep(),
                    t.stages(), t.startMillis(), t.intervals(), t.intervalOverheadMillis());
            System.out.println(r.history().report());
            trained.save(out.resolve("model.safetensors"));
            r.history().writeCurves(out.resolve("loss.svg"));
            System.out.println("wrote " + out.resolve("model.safetensors") + " and " + out.resolve("loss.svg"));
        } finally {
            spark.stop();
        }
    }
}
