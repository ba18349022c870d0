package io.hybridstorage.api;

import com.google.cloud.Policy;
import com.google.cloud.storage.ServiceAccount;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.spi.NativeStorageAware;
import io.hybridstorage.api.spi.StoreProvider;
import io.hybridstorage.memory.InMemoryStore;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only kind {@code native-memory}: an {@link InMemoryStore} that also claims a native GCS
 * client ({@link NativeStorageAware}), a recording stand-in answering {@code getIamPolicy} and
 * {@code getServiceAccount}. Registered in this module's test resources.
 */
public final class NativeAwareTestProvider implements StoreProvider {

  static final String KIND = "native-memory";
  /** "site:method:firstArgument" for every call the native stand-ins received. */
  static final List<String> CALLS = new CopyOnWriteArrayList<>();
  /**
   * The class of the client a plain {@code StorageOptions…getService()} returned inside {@link
   * #open}, as a GCS backend builds its client: must be the GCS client even while the
   * StorageFactory swap is on.
   */
  static final List<String> CLIENTS_BUILT_WHILE_OPENING = new CopyOnWriteArrayList<>();

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ObjectStore open(SiteConfig site, HybridStorageOptions options) {
    InMemoryStore memory = new InMemoryStore(site.name());
    try (Storage plain = com.google.cloud.storage.StorageOptions.http().setProjectId("p")
        .setCredentials(com.google.cloud.NoCredentials.getInstance()).build().getService()) {
      CLIENTS_BUILT_WHILE_OPENING.add(plain.getClass().getName());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Storage nativeClient = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
        new Class<?>[] {Storage.class}, (proxy, method, args) -> {
          CALLS.add(site.name() + ":" + method.getName() + ":" + (args == null ? "" : args[0]));
          return switch (method.getName()) {
            case "getIamPolicy" -> Policy.newBuilder().setEtag("etag-of-" + site.name()).build();
            case "getServiceAccount" -> ServiceAccount.of(site.name() + "@example.iam.gserviceaccount.com");
            case "toString" -> "native stand-in of " + site.name();
            default -> throw new UnsupportedOperationException(method.getName());
          };
        });
    return new NativeAwareStore(memory, nativeClient);
  }

  private static final class NativeAwareStore extends ForwardingObjectStore implements NativeStorageAware {
    private final Storage nativeClient;

    NativeAwareStore(ObjectStore delegate, Storage nativeClient) {
      super(delegate);
      this.nativeClient = nativeClient;
    }

    @Override
    public Storage nativeStorage() {
      return nativeClient;
    }
  }
}
