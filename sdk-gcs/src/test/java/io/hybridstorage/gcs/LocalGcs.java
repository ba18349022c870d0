package io.hybridstorage.gcs;

import com.google.api.client.util.Data;
import com.google.api.client.util.DateTime;
import com.google.api.services.storage.model.Bucket;
import com.google.api.services.storage.model.StorageObject;
import com.google.cloud.Tuple;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import com.google.cloud.storage.spi.v1.StorageRpc;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * google-cloud-nio's {@link LocalStorageHelper} (an independent in-memory GCS, used to compare
 * behaviour with) with the two things it lacks and without which no object case can even start:
 *
 * <ul>
 *   <li>buckets: its {@code FakeStorageRpc} answers every bucket call with "Not implemented yet"
 *       (create, list, delete) or null (get). A table of buckets is kept here, and object calls
 *       on a bucket not in it (create, open, patch, list, rewrite) fail with 404 as GCS's do. Object semantics stay LocalStorageHelper's.
 *   <li>thread safety: {@code FakeStorageRpc} is {@code @NotThreadSafe}; every call is serialized
 *       here.
 * </ul>
 *
 * <p>{@link LocalStorageHelper#getOptions()} resets ONE static store: only one test class may use
 * this at a time (Surefire runs classes one after another here).
 */
final class LocalGcs {

  /** LocalStorageHelper's RPC builds an API client per upload, each warning "Application name is not set". */
  private static final java.util.logging.Logger QUIET =
      java.util.logging.Logger.getLogger("com.google.api.client.googleapis.services.AbstractGoogleClient");

  static {
    QUIET.setLevel(java.util.logging.Level.SEVERE);
  }

  private LocalGcs() {}

  /** A fresh (reset) local GCS. */
  static Storage storage() {
    StorageOptions base = LocalStorageHelper.getOptions();
    StorageRpc fake = (StorageRpc) base.getRpc();
    StorageRpc withBuckets = withBuckets(fake);
    return base.toBuilder()
        .setServiceFactory(new HttpStorageOptions.HttpStorageFactory()) // never the hybrid swap
        .setServiceRpcFactory(options -> withBuckets)
        .build()
        .getService();
  }

  private static StorageRpc withBuckets(StorageRpc fake) {
    Map<String, Bucket> buckets = new TreeMap<>();
    Object lock = new Object();
    return (StorageRpc) Proxy.newProxyInstance(LocalGcs.class.getClassLoader(), new Class<?>[] {StorageRpc.class},
        (proxy, method, args) -> {
          synchronized (lock) {
            Class<?>[] types = method.getParameterTypes();
            if (types.length > 0 && types[0] == Bucket.class) {
              return bucketCall(fake, buckets, method, (Bucket) args[0]);
            }
            if (method.getName().equals("list") && types.length == 1) {
              return listBuckets(buckets, (Map<?, ?>) args[0]);
            }
            String bucket = null;
            if (types.length > 0 && types[0] == StorageObject.class
                && (method.getName().equals("create") || method.getName().equals("open")
                    || method.getName().equals("patch"))) {
              bucket = ((StorageObject) args[0]).getBucket();
            } else if (method.getName().equals("list") && types.length == 2) {
              bucket = (String) args[0];
            } else if (method.getName().equals("openRewrite")) {
              StorageRpc.RewriteRequest rewrite = (StorageRpc.RewriteRequest) args[0];
              bucket = buckets.containsKey(rewrite.source.getBucket()) ? rewrite.target.getBucket()
                  : rewrite.source.getBucket();
            }
            if (bucket != null && !buckets.containsKey(bucket)) {
              throw new StorageException(404, "The specified bucket does not exist.");
            }
            try {
              return method.invoke(fake, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }
        });
  }

  /** Buckets in name order, with GCS's prefix, maxResults and pageToken (the last name returned). */
  private static Tuple<String, Iterable<Bucket>> listBuckets(Map<String, Bucket> buckets, Map<?, ?> options) {
    String prefix = (String) options.get(StorageRpc.Option.PREFIX);
    String token = (String) options.get(StorageRpc.Option.PAGE_TOKEN);
    Long max = (Long) options.get(StorageRpc.Option.MAX_RESULTS);
    List<Bucket> page = new ArrayList<>();
    String next = null;
    for (Bucket b : buckets.values()) {
      if ((prefix != null && !b.getName().startsWith(prefix)) || (token != null && b.getName().compareTo(token) <= 0)) {
        continue;
      }
      if (max != null && page.size() == max) {
        next = page.get(page.size() - 1).getName();
        break;
      }
      page.add(b.clone());
    }
    return Tuple.of(next, page);
  }

  private static Object bucketCall(StorageRpc fake, Map<String, Bucket> buckets, Method method, Bucket bucket) {
    String name = bucket.getName();
    Bucket current = buckets.get(name);
    switch (method.getName()) {
      case "create" -> {
        if (current != null) {
          throw new StorageException(409, "Your previous request to create the named bucket succeeded and you already own it.");
        }
        Bucket created = bucket.clone();
        DateTime now = new DateTime(System.currentTimeMillis());
        created.setMetageneration(1L).setTimeCreated(now).setUpdated(now);
        if (created.getLocation() == null) {
          created.setLocation("US");
        }
        if (created.getStorageClass() == null) {
          created.setStorageClass("STANDARD");
        }
        buckets.put(name, created);
        return created.clone();
      }
      case "get" -> {
        return current == null ? null : current.clone();
      }
      case "patch" -> {
        if (current == null) {
          throw new StorageException(404, "The specified bucket does not exist.");
        }
        Bucket patched = current.clone();
        if (bucket.getVersioning() != null) {
          patched.setVersioning(bucket.getVersioning());
        }
        if (bucket.getLabels() != null) {
          Map<String, String> labels = new HashMap<>(patched.getLabels() == null ? Map.of() : patched.getLabels());
          bucket.getLabels().forEach((k, v) -> {
            if (v == null || Data.isNull(v)) {
              labels.remove(k);
            } else {
              labels.put(k, v);
            }
          });
          patched.setLabels(labels);
        }
        patched.setMetageneration(current.getMetageneration() + 1).setUpdated(new DateTime(System.currentTimeMillis()));
        buckets.put(name, patched);
        return patched.clone();
      }
      case "delete" -> {
        if (current != null && fake.list(name, Map.of()).y().iterator().hasNext()) {
          throw new StorageException(409, "The bucket you tried to delete is not empty.");
        }
        return buckets.remove(name) != null;
      }
      default -> throw new UnsupportedOperationException("LocalGcs: bucket call " + method.getName());
    }
  }
}
