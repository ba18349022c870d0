package io.hybridstorage.testkit.fault;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Test support: text objects written whole, streamed through a writer, and read back. */
public final class StoreOps {

  private StoreOps() {}

  /** {@code write(request, stream)}. */
  public static ObjectInfo put(ObjectStore store, String bucket, String name, String value, Conditions conditions) {
    return store.write(WriteRequest.of(bucket, name).withConditions(conditions),
        new ByteArrayInputStream(value.getBytes(UTF_8)));
  }

  /** {@code openWrite}, {@code write(buffer)} until done, {@code commit}. */
  public static ObjectInfo putStreaming(ObjectStore store, String bucket, String name, String value,
      Conditions conditions) throws IOException {
    try (ObjectWriter writer = store.openWrite(WriteRequest.of(bucket, name).withConditions(conditions))) {
      ByteBuffer data = ByteBuffer.wrap(value.getBytes(UTF_8));
      while (data.hasRemaining()) {
        writer.write(data);
      }
      return writer.commit();
    }
  }

  /** The live version's content as text. */
  public static String read(ObjectStore store, String bucket, String name) throws IOException {
    try (ObjectContent content = store.read(ReadRequest.of(ObjectId.of(bucket, name)))) {
      return new String(content.stream().readAllBytes(), UTF_8);
    }
  }
}
