package io.hybridstorage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.cli.CliHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ls, stat, cat, cp, rm and mb through the hybrid Storage of a configured three-site world. */
class ObjectCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private CliHarness cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(dir);
    assertThat(cli.run("mb", "gs://sales").exit()).isZero();
  }

  @AfterEach
  void tearDown() throws Exception {
    cli.close();
  }

  private Path localFile(String name, String content) throws Exception {
    Path file = dir.resolve("local").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  @Test
  void cpUploadsToEverySiteOfThePlacement() throws Exception {
    Path file = localFile("a.csv", "id,amount\n1,10\n");

    Result cp = cli.run("cp", file.toString(), "gs://sales/2024/01/a.csv");

    assertThat(cp.exit()).as(cp.err()).isZero();
    assertThat(cp.out()).contains("Copying file://" + file.toAbsolutePath() + " to gs://sales/2024/01/a.csv")
        .contains("Copied 1 object, " + Files.size(file) + " bytes");
    for (String site : new String[] {"gcp", "dc1", "dc2"}) {
      assertThat(cli.raw(site).head(ObjectId.of("sales", "2024/01/a.csv"), io.hybridstorage.api.Conditions.none()))
          .as(site).isPresent();
    }
  }

  @Test
  void lsListsOneLevelLikeGcloudAndRecursesWithR() throws Exception {
    cli.run("cp", localFile("a.csv", "aa").toString(), "gs://sales/2024/01/a.csv");
    cli.run("cp", localFile("b.csv", "bbb").toString(), "gs://sales/2024/02/b.csv");
    cli.run("cp", localFile("top.txt", "t").toString(), "gs://sales/top.txt");

    Result top = cli.run("ls", "gs://sales");
    assertThat(top.exit()).isZero();
    assertThat(top.out().lines()).containsExactly("gs://sales/2024/", "gs://sales/top.txt");

    Result folder = cli.run("ls", "gs://sales/2024"); // no trailing slash: the folder's contents
    assertThat(folder.out().lines()).containsExactly("gs://sales/2024/01/", "gs://sales/2024/02/");

    Result recursive = cli.run("ls", "-r", "gs://sales/2024/");
    assertThat(recursive.out().lines()).containsExactly("gs://sales/2024/01/a.csv", "gs://sales/2024/02/b.csv");

    Result exact = cli.run("ls", "gs://sales/top.txt");
    assertThat(exact.out().lines()).containsExactly("gs://sales/top.txt");

    Result buckets = cli.run("ls");
    assertThat(buckets.out().lines()).containsExactly("gs://sales/");

    Result longFormat = cli.run("ls", "-l", "-r", "gs://sales");
    assertThat(longFormat.out()).contains("TOTAL: 3 objects, 6 bytes");
    assertThat(longFormat.out().lines().filter(l -> l.endsWith("gs://sales/2024/02/b.csv")).findFirst().orElseThrow())
        .matches("\\s+3\\s+\\S+\\s+gs://sales/2024/02/b.csv");
  }

  @Test
  void lsJsonParsesBack() throws Exception {
    cli.run("cp", localFile("a.csv", "12345").toString(), "gs://sales/d/a.csv");

    Result ls = cli.run("ls", "--json", "-r", "gs://sales");

    JsonNode entries = JSON.readTree(ls.out());
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get("url").asText()).isEqualTo("gs://sales/d/a.csv");
    assertThat(entries.get(0).get("size").asLong()).isEqualTo(5);
    Blob blob = cli.world().storage().get(BlobId.of("sales", "d/a.csv"));
    assertThat(entries.get(0).get("generation").asLong()).isEqualTo(blob.getGeneration());
  }

  @Test
  void lsOfNothingExitsOne() {
    Result ls = cli.run("ls", "gs://sales/nothing-here");
    assertThat(ls.exit()).isEqualTo(Exits.DIFFERENCES);
    assertThat(ls.err()).contains("gs://sales/nothing-here").contains("matched no objects");

    Result noBucket = cli.run("ls", "gs://no-such-bucket");
    assertThat(noBucket.exit()).isEqualTo(Exits.DIFFERENCES);
    assertThat(noBucket.err()).contains("no-such-bucket");
  }

  @Test
  void statShowsTheObjectAndParsesBackAsJson() throws Exception {
    cli.run("cp", localFile("a.csv", "id\n1\n").toString(), "gs://sales/a.csv");
    Blob blob = cli.world().storage().get(BlobId.of("sales", "a.csv"));

    Result text = cli.run("stat", "gs://sales/a.csv");
    assertThat(text.exit()).isZero();
    assertThat(text.out()).contains("url: gs://sales/a.csv", "size: 5", "generation: " + blob.getGeneration(),
        "crc32c: " + blob.getCrc32c());

    Result json = cli.run("stat", "--json", "gs://sales/a.csv");
    JsonNode node = JSON.readTree(json.out()).get(0);
    assertThat(node.get("size").asLong()).isEqualTo(5);
    assertThat(node.get("generation").asLong()).isEqualTo(blob.getGeneration());
    assertThat(node.get("crc32c").asText()).isEqualTo(blob.getCrc32c());
    assertThat(node.get("metageneration").asLong()).isEqualTo(1);
  }

  @Test
  void statOfAMissingObjectExitsOneNamingIt() {
    Result stat = cli.run("stat", "gs://sales/missing.csv");
    assertThat(stat.exit()).isEqualTo(Exits.DIFFERENCES);
    assertThat(stat.err()).contains("gs://sales/missing.csv");
    assertThat(stat.out()).isEmpty();
  }

  @Test
  void catWritesTheBytesUnchanged() throws Exception {
    byte[] bytes = new byte[70_000];
    new java.util.Random(7).nextBytes(bytes);
    Path file = dir.resolve("blob.bin");
    Files.write(file, bytes);
    cli.run("cp", file.toString(), "gs://sales/blob.bin");
    cli.run("cp", localFile("x.txt", "tail").toString(), "gs://sales/x.txt");

    Result cat = cli.run("cat", "gs://sales/blob.bin", "gs://sales/x.txt");

    assertThat(cat.exit()).as(cat.err()).isZero();
    byte[] expected = new byte[bytes.length + 4];
    System.arraycopy(bytes, 0, expected, 0, bytes.length);
    System.arraycopy("tail".getBytes(StandardCharsets.UTF_8), 0, expected, bytes.length, 4);
    assertThat(cat.outBytes()).isEqualTo(expected);

    assertThat(cli.run("cat", "gs://sales/nope").exit()).isEqualTo(Exits.DIFFERENCES);
  }

  @Test
  void cpRecursiveRoundTripAndServerSideCopy() throws Exception {
    localFile("part/a.csv", "a");
    localFile("part/sub/b.csv", "bb");
    Path source = dir.resolve("local/part");

    Result up = cli.run("cp", "-r", source.toString(), "gs://sales/in/");
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(cli.run("ls", "-r", "gs://sales/in/").out().lines())
        .containsExactly("gs://sales/in/part/a.csv", "gs://sales/in/part/sub/b.csv");

    Path target = dir.resolve("download");
    Files.createDirectories(target);
    Result down = cli.run("cp", "-r", "gs://sales/in/part", target.toString());
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(Files.readString(target.resolve("part/a.csv"))).isEqualTo("a");
    assertThat(Files.readString(target.resolve("part/sub/b.csv"))).isEqualTo("bb");

    Result copy = cli.run("cp", "gs://sales/in/part/a.csv", "gs://sales/copy/a2.csv");
    assertThat(copy.exit()).as(copy.err()).isZero();
    assertThat(cli.run("cat", "gs://sales/copy/a2.csv").out()).isEqualTo("a");

    Path single = dir.resolve("single.csv");
    assertThat(cli.run("cp", "gs://sales/in/part/sub/b.csv", single.toString()).exit()).isZero();
    assertThat(Files.readString(single)).isEqualTo("bb");
  }

  @Test
  void cpOfADirectoryWithoutRIsAUsageError() throws Exception {
    localFile("d/a.csv", "a");
    Result cp = cli.run("cp", dir.resolve("local/d").toString(), "gs://sales/");
    assertThat(cp.exit()).isEqualTo(Exits.USAGE);
    assertThat(cp.err()).contains("is a directory: copy it with -r").contains("Usage:");
  }

  @Test
  void rmDeletesAndRecursiveRmEmptiesAFolder() throws Exception {
    cli.run("cp", localFile("a.csv", "a").toString(), "gs://sales/x/a.csv");
    cli.run("cp", localFile("b.csv", "b").toString(), "gs://sales/x/y/b.csv");
    cli.run("cp", localFile("c.csv", "c").toString(), "gs://sales/keep.csv");

    Result one = cli.run("rm", "gs://sales/keep.csv");
    assertThat(one.exit()).isZero();
    assertThat(one.out()).contains("Removing gs://sales/keep.csv", "Removed 1 object");
    assertThat(cli.world().storage().get(BlobId.of("sales", "keep.csv"))).isNull();

    Result again = cli.run("rm", "gs://sales/keep.csv");
    assertThat(again.exit()).isEqualTo(Exits.DIFFERENCES);
    assertThat(again.err()).contains("gs://sales/keep.csv");

    Result folder = cli.run("rm", "-r", "gs://sales/x");
    assertThat(folder.exit()).as(folder.err()).isZero();
    assertThat(folder.out()).contains("Removed 2 objects");
    assertThat(cli.run("ls", "-r", "gs://sales").out()).isEmpty();
    for (String site : new String[] {"gcp", "dc1", "dc2"}) {
      assertThat(cli.raw(site).head(ObjectId.of("sales", "x/y/b.csv"), io.hybridstorage.api.Conditions.none()))
          .as(site).isEmpty();
    }
  }

  @Test
  void mbOfAnExistingBucketExitsOne() {
    Result mb = cli.run("mb", "gs://sales");
    assertThat(mb.exit()).isEqualTo(Exits.DIFFERENCES);
    assertThat(mb.err()).contains("sales");
  }

  @Test
  void aWriteThatCannotReachTheAuthorityExitsThree() throws Exception {
    Path file = localFile("a.csv", "a");
    cli.faults.get("gcp").partition();

    Result cp = cli.run("cp", file.toString(), "gs://sales/a.csv");

    assertThat(cp.exit()).as(cp.out() + cp.err()).isEqualTo(Exits.UNREACHABLE);
    assertThat(cp.err()).contains("gcp");
  }
}
