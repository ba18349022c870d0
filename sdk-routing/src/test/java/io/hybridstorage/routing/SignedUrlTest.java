package io.hybridstorage.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.spi.StoreDecorator;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Storage.signUrl} through {@code getService()}: the store of the object's authority signs
 * (README, "Signed URLs"). A GCS authority gives a GCS V4 URL, a VAST authority a presigned S3 URL
 * for its endpoint with the same method, lifetime and signed headers (VastStore's own signing is
 * tested against S3Mock in sdk-vast); an in-memory authority, as in the embedded world, has no
 * endpoint and answers 501 naming the operation and the backend.
 */
class SignedUrlTest {

  @TempDir Path dir;

  @Test
  void theEmbeddedWorldAnswers501NamingTheOperationAndTheBackend() throws Exception {
    try (Storage storage = HybridStorageOptions.inMemoryThreeSites().journalDirectory(dir).build().getService()) {
      storage.create(BucketInfo.of("bkt"));
      StorageException e = catchThrowableOfType(StorageException.class,
          () -> storage.signUrl(BlobInfo.newBuilder("bkt", "o").build(), 5, TimeUnit.MINUTES));
      assertThat(e.getCode()).isEqualTo(501);
      assertThat(e.isRetryable()).isFalse();
      assertThat(e.getMessage()).contains("signUrl gs://bkt/o").contains("at gcp")
          .contains("in-memory backend (site kind memory)").contains("gcs site").contains("vast site");
    }
  }

  /** A site store that signs as a VAST site's does: a URL for its own endpoint, recording what it was asked. */
  static final class SigningSite extends ForwardingObjectStore {
    final List<SignUrlRequest> asked = new CopyOnWriteArrayList<>();

    SigningSite(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public Set<Capability> capabilities() {
      Set<Capability> caps = EnumSet.copyOf(delegate().capabilities());
      caps.add(Capability.SIGNED_URLS);
      return caps;
    }

    @Override
    public URL signUrl(SignUrlRequest request) {
      asked.add(request);
      try {
        return new URL("https://" + site() + ".example.com/" + request.bucket() + "/" + request.name()
            + "?X-Amz-Expires=" + request.ttl().toSeconds());
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void aBucketWhoseAuthorityCanSignGetsTheAuthoritysUrlWithTheSameMethodLifetimeAndHeaders() throws Exception {
    Map<String, SigningSite> signing = new java.util.concurrent.ConcurrentHashMap<>();
    StoreDecorator signers = new StoreDecorator() {
      @Override
      public ObjectStore site(SiteConfig site, ObjectStore store) {
        SigningSite s = new SigningSite(store);
        signing.put(site.name(), s);
        return s;
      }
    };
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().journalDirectory(dir)
        .placement(Placement.builder("onprem").replicas(HybridStorageOptions.DC1, HybridStorageOptions.DC2)
            .authority(HybridStorageOptions.DC2).write(WritePolicy.DUAL_WRITE_SYNC)
            .read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG).build())
        .storeDecorator(signers).build();
    try (Storage storage = options.getService()) {
      storage.create(BucketInfo.of("onprem"));
      URL url = storage.signUrl(BlobInfo.newBuilder("onprem", "d/o.csv").setContentType("text/csv").build(), 15,
          TimeUnit.MINUTES, SignUrlOption.httpMethod(HttpMethod.PUT), SignUrlOption.withContentType(),
          SignUrlOption.withV4Signature());

      assertThat(url.getHost()).as("the authority's, not the nearest replica's (dc1)").isEqualTo("dc2.example.com");
      assertThat(signing.get(HybridStorageOptions.DC1).asked).isEmpty();
      SignUrlRequest asked = signing.get(HybridStorageOptions.DC2).asked.get(0);
      assertThat(asked.method()).isEqualTo("PUT");
      assertThat(asked.ttl()).isEqualTo(Duration.ofMinutes(15));
      assertThat(asked.headers()).containsEntry("Content-Type", "text/csv");

      assertThatThrownBy(() -> storage.signUrl(BlobInfo.newBuilder("onprem", "o").build(), 8, TimeUnit.DAYS,
          SignUrlOption.withV4Signature()))
          .as("the client's own V4 limit").isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("7 days");
      assertThat(signing.get(HybridStorageOptions.DC2).asked).hasSize(1);
      assertThat(storage.signUrl(BlobInfo.newBuilder("onprem", "o").build(), 7, TimeUnit.DAYS).getQuery())
          .isEqualTo("X-Amz-Expires=604800");
    }
  }
}
