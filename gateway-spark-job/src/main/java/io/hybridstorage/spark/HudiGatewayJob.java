package io.hybridstorage.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A local Spark job ({@code local[2]}) that writes a Hudi copy-on-write table through the Hadoop
 * GCS connector pointed at a gateway, upserts into it, and reads it back with a SQL query.
 *
 * <p>Arguments: the gateway's endpoint ({@code http://127.0.0.1:port}), the table's path ({@code
 * gs://bucket/table}), a scratch directory (Spark's local files) and the file the query's rows are
 * written to, one {@code id,name,price,region,ts} line each, ordered by id. The exit status is 0
 * only when every step succeeded; a failure's stack trace goes to standard error. The job ends
 * when its standard input does (the test's JVM died).
 *
 * <p>The connector gets no credentials ({@code fs.gs.auth.type=UNAUTHENTICATED}): the gateway
 * serves anonymous calls. Everything Spark and Hudi listen on is bound to 127.0.0.1, and Hudi's
 * embedded timeline server is off (it would bind to this machine's host name).
 */
public final class HudiGatewayJob {

  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("name", DataTypes.StringType, false)
      .add("price", DataTypes.DoubleType, false)
      .add("region", DataTypes.StringType, false)
      .add("ts", DataTypes.LongType, false);

  private HudiGatewayJob() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: HudiGatewayJob ENDPOINT gs://BUCKET/TABLE SCRATCH_DIR RESULT_FILE");
    }
    exitWhenStdinEnds();
    String endpoint = args[0];
    String table = args[1];
    Path scratch = Path.of(args[2]);
    Path result = Path.of(args[3]);
    SparkSession spark = SparkSession.builder()
        .master("local[2]")
        .appName("hudi-through-the-gateway")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.local.dir", scratch.resolve("spark-local").toString())
        .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toString())
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "org.apache.spark.HoodieSparkKryoRegistrar")
        .config("spark.sql.extensions", "org.apache.spark.sql.hudi.HoodieSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.hudi.catalog.HoodieCatalog")
        // the Hadoop GCS connector, at the gateway, without credentials
        .config("spark.hadoop.fs.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem")
        .config("spark.hadoop.fs.AbstractFileSystem.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS")
        .config("spark.hadoop.fs.gs.storage.root.url", endpoint)
        .config("spark.hadoop.fs.gs.auth.type", "UNAUTHENTICATED")
        .config("spark.hadoop.fs.gs.project.id", "hybrid-storage")
        .getOrCreate();
    try {
      run(spark, table, result);
    } finally {
      spark.stop();
    }
  }

  /**
   * The test that started this process holds its standard input open; when that test's JVM ends,
   * however it ends, the input ends and so does this job, leaving no Spark behind.
   */
  private static void exitWhenStdinEnds() {
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // nothing is sent; only the end matters
        }
      } catch (IOException e) {
        // the same: the parent is gone
      }
      System.err.println("HudiGatewayJob: standard input ended (the test JVM is gone); exiting");
      Runtime.getRuntime().halt(3);
    }, "exit-when-stdin-ends");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  static void run(SparkSession spark, String table, Path result) throws IOException {
    Dataset<Row> first = spark.createDataFrame(List.of(
        RowFactory.create("t1", "alpha", 10.0, "eu", 1L),
        RowFactory.create("t2", "beta", 20.0, "eu", 1L),
        RowFactory.create("t3", "gamma", 30.0, "us", 1L),
        RowFactory.create("t4", "delta", 40.0, "us", 1L)), SCHEMA);
    first.write().format("hudi").options(hudiOptions("insert")).mode(SaveMode.Overwrite).save(table);
    System.out.println("HudiGatewayJob: inserted 4 rows into " + table);

    // t2 and t3 change (a later ts wins), t5 is new
    Dataset<Row> changes = spark.createDataFrame(List.of(
        RowFactory.create("t2", "beta", 25.0, "eu", 2L),
        RowFactory.create("t3", "gamma-2", 33.0, "us", 2L),
        RowFactory.create("t5", "epsilon", 50.0, "us", 2L)), SCHEMA);
    changes.write().format("hudi").options(hudiOptions("upsert")).mode(SaveMode.Append).save(table);
    System.out.println("HudiGatewayJob: upserted 3 rows into " + table);

    spark.read().format("hudi").load(table).createOrReplaceTempView("trips");
    List<Row> rows = spark.sql("SELECT id, name, price, region, ts FROM trips ORDER BY id").collectAsList();
    List<String> lines = new ArrayList<>();
    for (Row row : rows) {
      lines.add(row.getString(0) + "," + row.getString(1) + "," + row.getDouble(2) + "," + row.getString(3)
          + "," + row.getLong(4));
    }
    Files.write(result, lines, StandardCharsets.UTF_8);
    System.out.println("HudiGatewayJob: read " + rows.size() + " rows back from " + table);
  }

  private static Map<String, String> hudiOptions(String operation) {
    return Map.ofEntries(
        Map.entry("hoodie.table.name", "trips"),
        Map.entry("hoodie.datasource.write.table.type", "COPY_ON_WRITE"),
        Map.entry("hoodie.datasource.write.operation", operation),
        Map.entry("hoodie.datasource.write.recordkey.field", "id"),
        Map.entry("hoodie.datasource.write.precombine.field", "ts"),
        Map.entry("hoodie.datasource.write.partitionpath.field", "region"),
        Map.entry("hoodie.datasource.write.hive_style_partitioning", "true"),
        // the embedded timeline server binds to the host name, not loopback: markers go to storage
        Map.entry("hoodie.embed.timeline.server", "false"),
        Map.entry("hoodie.write.markers.type", "DIRECT"),
        Map.entry("hoodie.insert.shuffle.parallelism", "2"),
        Map.entry("hoodie.upsert.shuffle.parallelism", "2"));
  }
}
