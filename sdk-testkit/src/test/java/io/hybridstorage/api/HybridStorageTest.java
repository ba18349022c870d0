package io.hybridstorage.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.memory.InMemoryStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link HybridStorage}: the supported {@code Storage} over a store of one's own. */
class HybridStorageTest {

  @Test
  void aStorageOverAStoreTranslatesCallsToIt() throws Exception {
    InMemoryStore memory = new InMemoryStore("dc1");
    Storage storage = HybridStorage.over(memory);
    storage.create(BucketInfo.of("bkt"));
    storage.create(BlobInfo.newBuilder("bkt", "o").build(), "payload".getBytes(UTF_8));
    assertThat(new String(storage.readAllBytes(BlobId.of("bkt", "o")), UTF_8)).isEqualTo("payload");
    assertThat(memory.head(ObjectId.of("bkt", "o"), Conditions.none())).as("in the store").isPresent();
    assertThat(storage.getOptions().getProjectId()).isEqualTo(HybridStorage.DEFAULT_PROJECT_ID);
    assertThat(HybridStorage.over(memory, "retail-lake").getOptions().getProjectId()).isEqualTo("retail-lake");
  }

  @Test
  void gcsOnlyControlPlaneCallsAre501AndCloseClosesTheStore() throws Exception {
    AtomicInteger closed = new AtomicInteger();
    ObjectStore store = new ForwardingObjectStore(new InMemoryStore("dc1")) {
      @Override
      public void close() {
        closed.incrementAndGet();
        super.close();
      }
    };
    Storage storage = HybridStorage.over(store);
    assertThatThrownBy(() -> storage.getServiceAccount("p"))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(501));
    storage.close();
    assertThat(closed).hasValue(1);
  }

  @Test
  void nullsAreRefusedByName() {
    assertThatThrownBy(() -> HybridStorage.over(null)).hasMessageContaining("store");
    assertThatThrownBy(() -> HybridStorage.over(new InMemoryStore("dc1"), null)).hasMessageContaining("projectId");
  }
}
