package io.hybridstorage.testkit.history;

import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.annotation.Nullable;

/** See {@link HistoryRecorder#record(ObjectStore)}: records register ops, forwards everything. */
final class RecordingStore extends ForwardingObjectStore {

  private final HistoryRecorder recorder;

  RecordingStore(ObjectStore delegate, HistoryRecorder recorder) {
    super(delegate);
    this.recorder = recorder;
  }

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    if (id.generation() != 0 || !conditions.isEmpty()) {
      return delegate().head(id, conditions);
    }
    Entry entry = recorder.invoke(site(), Op.Type.READ, key(id), null, Op.UNKNOWN);
    Optional<ObjectInfo> result;
    try {
      result = delegate().head(id, conditions);
    } catch (RuntimeException e) {
      throw failed(entry, e);
    }
    entry.value(result.map(RecordingStore::contentOf).orElse(null));
    recorder.complete(entry, Op.Outcome.OK, result.map(ObjectInfo::generation).orElse(null), null);
    return result;
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    ObjectId id = request.id();
    if (id.generation() != 0 || !request.conditions().isEmpty()) {
      return delegate().read(request);
    }
    Entry entry = recorder.invoke(site(), Op.Type.READ, key(id), null, Op.UNKNOWN);
    ObjectContent content;
    try {
      content = delegate().read(request);
    } catch (HybridStorageException e) {
      if (e.code() == 404 && e.object() != null) { // the object is absent: an observation
        entry.value(null);
        recorder.complete(entry, Op.Outcome.OK, null, null);
        throw e;
      }
      throw failed(entry, e);
    } catch (RuntimeException e) {
      throw failed(entry, e);
    }
    ObjectInfo info = content.info();
    entry.value(request.range().isAll() ? contentOf(info) : Op.UNKNOWN);
    recorder.complete(entry, Op.Outcome.OK, info.generation(), null);
    return content;
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    return new RecordingWriter(delegate().openWrite(request), request);
  }

  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    Entry entry = invokeWrite(request.bucket(), request.name(), request.conditions(), request.generation(),
        Op.UNKNOWN);
    FingerprintingStream body = new FingerprintingStream(data);
    ObjectInfo info;
    try {
      info = delegate().write(request, body);
    } catch (RuntimeException e) {
      if (!body.ended) {
        recorder.complete(entry, Op.Outcome.FAIL, null,
            "request body not sent to its end, so nothing could commit: " + e.getMessage());
        throw e;
      }
      entry.value(body.fingerprint.content());
      throw failed(entry, e);
    }
    entry.value(body.ended ? body.fingerprint.content() : contentOf(info));
    recorder.complete(entry, Op.Outcome.OK, info.generation(), null);
    return info;
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    if (id.generation() != 0) {
      return delegate().delete(id, conditions);
    }
    Long casGeneration = casGeneration(conditions, 0);
    Entry entry = casGeneration == null
        ? recorder.invoke(site(), Op.Type.DELETE, key(id), null, null)
        : recorder.invoke(site(), Op.Type.CAS, key(id), new HistoryRecorder.GenerationRef(casGeneration), null);
    boolean result;
    try {
      result = delegate().delete(id, conditions);
    } catch (RuntimeException e) {
      throw failed(entry, e);
    }
    recorder.complete(entry, Op.Outcome.OK, null, null);
    return result;
  }

  /**
   * Forwarded, not recorded: a delete replicated to a site (conditioned on the generation it
   * deletes), like a delete by generation, not an operation of a client on the register.
   */
  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    return delegate().deleteUpTo(bucket, name, generation);
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    Entry entry = invokeWrite(request.targetBucket(), request.targetName(), request.targetConditions(),
        request.generation(),
        Op.UNKNOWN);
    return completeWrite(entry, () -> delegate().copy(request));
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    Entry entry = invokeWrite(request.bucket(), request.targetName(), request.targetConditions(),
        request.generation(), Op.UNKNOWN);
    return completeWrite(entry, () -> delegate().compose(request));
  }

  // ------------------------------------------------------------------ internals

  private ObjectInfo completeWrite(Entry entry, java.util.function.Supplier<ObjectInfo> call) {
    ObjectInfo info;
    try {
      info = call.get();
    } catch (RuntimeException e) {
      throw failed(entry, e);
    }
    entry.value(contentOf(info));
    recorder.complete(entry, Op.Outcome.OK, info.generation(), null);
    return info;
  }

  private Entry invokeWrite(String bucket, String name, Conditions conditions, long assignedGeneration,
      Object value) {
    Long casGeneration = casGeneration(conditions, assignedGeneration);
    return casGeneration == null
        ? recorder.invoke(site(), Op.Type.WRITE, HistoryRecorder.key(bucket, name), null, value)
        : recorder.invoke(site(), Op.Type.CAS, HistoryRecorder.key(bucket, name),
            new HistoryRecorder.GenerationRef(casGeneration), value);
  }

  /** Records the failure's outcome and returns it for rethrowing. */
  private <E extends Exception> E failed(Entry entry, E error) {
    recorder.complete(entry, outcomeOf(error), null, String.valueOf(error.getMessage()));
    return error;
  }

  /** 4xx but 408 and 429: certainly not done. Anything else may have been done. */
  static Op.Outcome outcomeOf(Throwable error) {
    if (error instanceof HybridStorageException e) {
      int code = e.code();
      return code >= 400 && code < 500 && code != 408 && code != 429 ? Op.Outcome.FAIL : Op.Outcome.UNKNOWN;
    }
    return Op.Outcome.UNKNOWN;
  }

  /** The generation a write is conditional on, when {@code ifGenerationMatch} is its only condition. */
  @Nullable
  static Long casGeneration(Conditions conditions, long assignedGeneration) {
    if (assignedGeneration != 0 || conditions.ifGenerationMatch() == null) {
      return null;
    }
    return conditions.ifGenerationNotMatch() == null && conditions.ifMetagenerationMatch() == null
        && conditions.ifMetagenerationNotMatch() == null ? conditions.ifGenerationMatch() : null;
  }

  static Object contentOf(ObjectInfo info) {
    return info.crc32c() == null ? Op.UNKNOWN : new Content(info.crc32c(), info.size(), null);
  }

  private static String key(ObjectId id) {
    return HistoryRecorder.key(id.bucket(), id.name());
  }

  /** A write through a writer: one op, from {@code commit()} to its answer. */
  private final class RecordingWriter implements ObjectWriter {
    private final ObjectWriter out;
    private final WriteRequest request;
    private final Content.Fingerprint fingerprint = new Content.Fingerprint();

    RecordingWriter(ObjectWriter out, WriteRequest request) {
      this.out = out;
      this.request = request;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      ByteBuffer view = source.duplicate();
      int n = out.write(source);
      view.limit(view.position() + Math.max(n, 0));
      fingerprint.update(view);
      return n;
    }

    @Override
    public void precomputedChecksums(String crc32c, @javax.annotation.Nullable String md5) {
      out.precomputedChecksums(crc32c, md5);
    }

    @Override
    public ObjectInfo commit() throws IOException {
      Entry entry = invokeWrite(request.bucket(), request.name(), request.conditions(), request.generation(),
          fingerprint.content());
      ObjectInfo info;
      try {
        info = out.commit();
      } catch (IOException e) {
        throw failed(entry, e);
      } catch (RuntimeException e) {
        throw failed(entry, e);
      }
      recorder.complete(entry, Op.Outcome.OK, info.generation(), null);
      return info;
    }

    @Override
    public boolean isOpen() {
      return out.isOpen();
    }

    @Override
    public void close() {
      out.close();
    }
  }

  /** The caller's body on its way into {@code write(request, stream)}: fingerprinted, end noticed. */
  private static final class FingerprintingStream extends FilterInputStream {
    final Content.Fingerprint fingerprint = new Content.Fingerprint();
    boolean ended;

    FingerprintingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        ended = true;
      } else {
        fingerprint.update(new byte[] {(byte) b}, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n < 0) {
        ended = true;
      } else {
        fingerprint.update(buffer, offset, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes would be sent uncounted; read them instead.
      byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 0))];
      long skipped = 0;
      while (skipped < n) {
        int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
