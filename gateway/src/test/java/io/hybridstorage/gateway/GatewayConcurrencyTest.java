package io.hybridstorage.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.memory.InMemoryStore;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many clients at once, with real threads: every write reads back whole, and one session has one writer. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GatewayConcurrencyTest {

  @Test
  void sixteenClientsWriteAndReadTheirOwnAndEachOthersObjects() throws Exception {
    try (Gateway gateway = Gateway.builder(new InMemoryStore("dc1")).allowAnonymous().maxThreads(16)
        .stopTimeout(Duration.ofSeconds(1)).start();
        Storage setup = LoopbackGateway.of(gateway).clientOptions().build().getService()) {
      setup.create(BucketInfo.newBuilder("bkt").setVersioningEnabled(true).build()); // old generations stay readable
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          int thread = t;
          results.add(pool.submit((Callable<Integer>) () -> {
            try (Storage client = LoopbackGateway.of(gateway).clientOptions().build().getService()) {
              Random random = new Random(thread);
              int verified = 0;
              for (int i = 0; i < 20; i++) {
                byte[] data = new byte[random.nextInt(300_000)];
                random.nextBytes(data);
                String name = "t" + thread + "/o" + (i % 5); // overwrites: generations must order them
                Blob written = client.create(BlobInfo.newBuilder("bkt", name).build(), data);
                byte[] back = client.readAllBytes(BlobId.of("bkt", name, written.getGeneration()));
                assertThat(back).isEqualTo(data);
                verified++;
                // and someone else's latest, whatever it is, is whole: its size and CRC agree
                Blob other = client.get("bkt", "t" + ((thread + 1) % 16) + "/o0");
                if (other != null) {
                  byte[] theirs = client.readAllBytes(other.getBlobId());
                  assertThat((long) theirs.length).isEqualTo(other.getSize());
                }
              }
              return verified;
            }
          }));
        }
        int total = 0;
        for (Future<Integer> f : results) {
          total += f.get(150, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(16 * 20);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aSessionTakesOneWriterAtATime() throws Exception {
    InMemoryStore memory = new InMemoryStore("dc1");
    try (Gateway gateway = Gateway.builder(memory).allowAnonymous().stopTimeout(Duration.ofSeconds(1)).start()) {
      int port = gateway.port();
      RawHttp.send(port, "POST", "/storage/v1/b", Map.of("Content-Type", "application/json"),
          "{\"name\":\"bkt\"}".getBytes(StandardCharsets.UTF_8));
      RawHttp.Response started = RawHttp.send(port, "POST", "/upload/storage/v1/b/bkt/o?uploadType=resumable&name=one",
          Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
      String session = started.header("Location").substring(started.header("Location").indexOf("/upload/"));
      try (Socket first = RawHttp.connect(port, Duration.ofSeconds(30))) {
        OutputStream out = first.getOutputStream();
        out.write(RawHttp.head(port, "PUT", session, Map.of("Content-Range", "bytes 0-9/10"), 10)
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write("01234".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(200); // the first chunk holds the session, half sent
        RawHttp.Response second = RawHttp.send(port, "PUT", session, Map.of("Content-Range", "bytes 0-9/10"),
            "ABCDEFGHIJ".getBytes(StandardCharsets.UTF_8));
        assertThat(second.status()).as("a second writer of a busy session").isEqualTo(503);
        out.write("56789".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(RawHttp.read(first.getInputStream()).status()).isEqualTo(200);
      }
      try (var content = memory.read(io.hybridstorage.api.ReadRequest.of(io.hybridstorage.api.ObjectId.of("bkt", "one")))) {
        assertThat(new String(content.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("0123456789");
      }
    }
  }
}
