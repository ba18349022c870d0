package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipe of a streamed PUT, with a real writer thread and a real reader thread. */
class ChunkPipeTest {

  private static final java.time.Duration PATIENCE = java.time.Duration.ofMinutes(5);

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void everyByteArrivesInOrderThroughFewChunksWhateverTheWriteSizes() throws Exception {
    byte[] data = random(5 * 1024 * 1024 + 17, 1);
    ChunkPipe pipe = new ChunkPipe(64 * 1024, 3, PATIENCE);
    Future<byte[]> read = threads.submit(() -> pipe.source().readAllBytes());
    Random sizes = new Random(2);
    int position = 0;
    while (position < data.length) {
      int n = Math.min(data.length - position, 1 + sizes.nextInt(200_000));
      pipe.write(ByteBuffer.wrap(data, position, n));
      position += n;
    }
    pipe.finish();
    assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(data);
  }

  @Test
  void theReaderCannotReachTheEndBeforeFinishBecauseTheLastChunkIsHeldBack() throws Exception {
    ChunkPipe pipe = new ChunkPipe(1024, 4, PATIENCE);
    byte[] data = random(3000, 3);
    pipe.write(ByteBuffer.wrap(data));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    CountDownLatch twoChunksRead = new CountDownLatch(1);
    Future<Integer> reader = threads.submit(() -> {
      InputStream in = pipe.source();
      byte[] buffer = new byte[512];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        got.write(buffer, 0, n);
        if (got.size() == 2048) {
          twoChunksRead.countDown();
        }
      }
      return got.size();
    });
    assertThat(twoChunksRead.await(10, TimeUnit.SECONDS)).isTrue();
    // the reader has the two full chunks and now waits: the partial third is held back
    assertThatThrownBy(() -> reader.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(got.size()).isEqualTo(2048);
    pipe.finish();
    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(3000);
    assertThat(got.toByteArray()).isEqualTo(data);
  }

  @Test
  void failingTheWriterSideTearsTheBodyBeforeItsEnd() throws Exception {
    ChunkPipe pipe = new ChunkPipe(1024, 4, PATIENCE);
    pipe.write(ByteBuffer.wrap(random(4000, 4)));
    Future<byte[]> read = threads.submit(() -> pipe.source().readAllBytes());
    // whenever the failure lands (before or after the reader took the full chunks), the body never ends
    pipe.fail(new IOException("abandoned"));
    assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("abandoned");
    assertThatThrownBy(pipe::finish).isInstanceOf(IOException.class).hasMessageContaining("abandoned");
  }

  @Test
  void aWriterBlockedOnAFullPipeWakesWhenTheReaderSideFails() throws Exception {
    ChunkPipe pipe = new ChunkPipe(1024, 2, PATIENCE);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        pipe.write(ByteBuffer.wrap(random(10_000, 5))); // more than two chunks, nobody reads
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, threads);
    assertThatThrownBy(() -> writer.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    pipe.fail(new IOException("the PUT failed: SlowDown"));
    assertThatThrownBy(() -> writer.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class)
        .hasMessageContaining("SlowDown");
  }

  @Test
  void anInterruptedBlockedWriterGetsAnInterruptedIoException() throws Exception {
    ChunkPipe pipe = new ChunkPipe(1024, 2, PATIENCE);
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Thread writer = new Thread(() -> {
      try {
        pipe.write(ByteBuffer.wrap(random(10_000, 6))); // blocks: nobody reads
      } catch (Throwable t) {
        thrown.set(t);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    writer.start();
    // if the writer ends instead of blocking (a regression), the assertions below fail: never spin forever
    while (writer.isAlive() && writer.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    writer.interrupt();
    writer.join(10_000);
    assertThat(thrown.get()).isInstanceOf(java.io.InterruptedIOException.class);
    assertThat(stillInterrupted).isTrue();
  }

  @Test
  void readStartedTellsWhetherTheBodyCanStillBeSentAgain() throws Exception {
    ChunkPipe pipe = new ChunkPipe(1024, 2, PATIENCE);
    assertThat(pipe.readStarted()).isFalse();
    pipe.write(ByteBuffer.wrap(random(2000, 7)));
    assertThat(pipe.readStarted()).isFalse();
    assertThat(pipe.source().read(new byte[10])).isEqualTo(10);
    assertThat(pipe.readStarted()).isTrue();
  }

  @Test
  void aReaderLeftWithoutBytesGivesUpAfterItsPatienceAndTheWriterLearnsIt() throws Exception {
    ChunkPipe pipe = new ChunkPipe(1024, 2, java.time.Duration.ofMillis(50));
    pipe.write(ByteBuffer.wrap(random(1500, 8))); // one chunk for the reader, the rest held back
    // the writer goes silent without fail() or finish(): the reader must not wait forever
    Future<byte[]> read = threads.submit(() -> pipe.source().readAllBytes());
    assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("no bytes from the writer for PT0.05S");
    assertThatThrownBy(pipe::finish).isInstanceOf(IOException.class).hasMessageContaining("no bytes from the writer");
  }

  @Test
  void anEmptyBodyEndsAtFinish() throws Exception {
    ChunkPipe pipe = new ChunkPipe(1024, 2, PATIENCE);
    pipe.finish();
    assertThat(pipe.source().read()).isEqualTo(-1);
  }
}
