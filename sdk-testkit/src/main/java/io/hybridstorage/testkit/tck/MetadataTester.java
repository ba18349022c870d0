package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.bytes;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static io.hybridstorage.testkit.tck.Tck.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.WriteRequest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metadata PATCH semantics and metagenerations. */
public interface MetadataTester extends StoreTester {

  @Test
  default void updateMetadataBumpsTheMetagenerationOnly() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "o", "content");
    ObjectInfo updated = store().updateMetadata(ObjectId.of(bucket, "o"), MetadataPatch.ofContentType("text/x"),
        Conditions.none());
    assertThat(updated.generation()).isEqualTo(info.generation());
    assertThat(updated.metageneration()).isEqualTo(2);
    assertThat(updated.metadata().contentType()).isEqualTo("text/x");
    assertThat(updated.crc32c()).isEqualTo(info.crc32c());
    assertThat(read(store(), bucket, "o")).isEqualTo("content");
    ObjectInfo again = store().updateMetadata(ObjectId.of(bucket, "o"), MetadataPatch.ofContentType("text/y"),
        Conditions.none());
    assertThat(again.metageneration()).isEqualTo(3);
  }

  @Test
  default void patchLeavesNullFieldsAndClearsEmptyOnes() {
    String bucket = newBucket();
    ObjectMetadata original = new ObjectMetadata("text/plain", "gzip", "inline", "en", "max-age=60", Map.of());
    put(store(), WriteRequest.of(bucket, "o").withMetadata(original), bytes("x"));
    ObjectInfo updated = store().updateMetadata(ObjectId.of(bucket, "o"),
        new MetadataPatch(null, "", null, "de", null, null, false), Conditions.none());
    assertThat(updated.metadata()).isEqualTo(new ObjectMetadata("text/plain", null, "inline", "de", "max-age=60", Map.of()));
  }

  @Test
  default void customKeysAreSetAndRemovedIndividually() {
    String bucket = newBucket();
    put(store(), WriteRequest.of(bucket, "o").withMetadata(ObjectMetadata.empty().withCustom(Map.of("a", "1", "b", "2"))),
        bytes("x"));
    Map<String, String> patch = new HashMap<>();
    patch.put("a", null);
    patch.put("c", "3");
    ObjectInfo updated = store().updateMetadata(ObjectId.of(bucket, "o"), MetadataPatch.ofCustom(patch), Conditions.none());
    assertThat(updated.metadata().custom()).isEqualTo(Map.of("b", "2", "c", "3"));
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.metadata().custom()).isEqualTo(Map.of("b", "2", "c", "3")));
  }

  @Test
  default void clearCustomRemovesEveryCustomKey() {
    String bucket = newBucket();
    put(store(), WriteRequest.of(bucket, "o").withMetadata(ObjectMetadata.ofContentType("text/plain")
        .withCustom(Map.of("a", "1", "b", "2"))), bytes("x"));
    ObjectInfo updated = store().updateMetadata(ObjectId.of(bucket, "o"),
        new MetadataPatch(null, null, null, null, null, Map.of("z", "26"), true), Conditions.none());
    assertThat(updated.metadata().custom()).isEqualTo(Map.of("z", "26"));
    assertThat(updated.metadata().contentType()).isEqualTo("text/plain");
  }

  @Test
  default void updateMetadataOfAMissingObjectIs404() {
    String bucket = newBucket();
    HybridStorageException e = expect(404, () -> store().updateMetadata(ObjectId.of(bucket, "ghost"),
        MetadataPatch.ofContentType("a/b"), Conditions.none()));
    assertNames(e, store(), bucket, "ghost");
    assertThat(e.operation()).isEqualTo("updateMetadata");
  }

  @Test
  default void overwriteStartsTheMetagenerationAgainAtOne() {
    String bucket = newBucket();
    put(store(), bucket, "o", "1");
    store().updateMetadata(ObjectId.of(bucket, "o"), MetadataPatch.ofContentType("a/b"), Conditions.none());
    ObjectInfo overwritten = put(store(), bucket, "o", "2");
    assertThat(overwritten.metageneration()).isEqualTo(1);
    assertThat(overwritten.metadata().contentType()).as("a new version has only its own metadata").isNull();
  }
}
