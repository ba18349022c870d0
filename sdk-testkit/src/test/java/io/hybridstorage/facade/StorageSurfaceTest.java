package io.hybridstorage.facade;

import static io.hybridstorage.facade.World.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.api.gax.paging.Page;
import com.google.cloud.PageImpl;
import com.google.cloud.Policy;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Acl;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobAppendableUploadConfig;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.HmacKey;
import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.PostPolicyV4;
import com.google.cloud.storage.ServiceAccount;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls every method of {@code Storage} (found by reflection, so a new one in a client upgrade is
 * covered or fails here) on the facade with plausible arguments. Each must either work — returning
 * a real value where GCS returns one — or throw {@code StorageException} 501 naming the method;
 * and exactly the GCS-only control-plane methods may do the latter.
 */
class StorageSurfaceTest {

  /** The methods that answer 501 over an in-memory site with no native GCS client. */
  private static final Set<String> CONTROL_PLANE = Set.of("lockRetentionPolicy", "generateSignedPostPolicyV4",
      "getAcl", "deleteAcl", "createAcl", "updateAcl", "listAcls", "getDefaultAcl", "deleteDefaultAcl",
      "createDefaultAcl", "updateDefaultAcl", "listDefaultAcls", "createHmacKey", "listHmacKeys", "getHmacKey",
      "deleteHmacKey", "updateHmacKeyState", "getIamPolicy", "setIamPolicy", "testIamPermissions",
      "getServiceAccount", "createNotification", "getNotification", "listNotifications", "deleteNotification");
  /** 501 for other reasons: gRPC-only APIs, and InMemoryStore has no signed URLs. */
  private static final Set<String> OTHER_501 = Set.of("blobReadSession", "blobAppendableUpload", "signUrl");
  /**
   * 403: a signed-URL upload goes only to a configured site's or allowed endpoint, and a bare
   * facade has none (storage.googleapis.com included).
   */
  private static final Set<String> REFUSED_403 = Set.of("writer(URL)");

  @TempDir Path temp;

  static List<Method> storageMethods() {
    return Arrays.stream(Storage.class.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getDeclaringClass() != Object.class)
        .filter(m -> !(m.getName().equals("close") && m.getDeclaringClass() == AutoCloseable.class))
        .sorted(Comparator.comparing(Method::toGenericString))
        .collect(Collectors.toList());
  }

  @Test
  void everyMethodWorksOrAnswers501NamingIt() throws Exception {
    List<Method> methods = storageMethods();
    assertThat(methods.stream().filter(m -> Modifier.isAbstract(m.getModifiers())).count())
        .as("abstract methods of Storage 2.63 (an upgrade that adds one must extend this test)").isEqualTo(81);
    Set<String> answered501 = new TreeSet<>();
    Set<String> answered403 = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    for (Method method : methods) {
      World world = new World();
      Object[] args = arguments(method, world);
      String name = label(method);
      try {
        Object result = method.invoke(world.storage, args);
        String problem = checkResult(method, result, world);
        if (problem != null) {
          problems.add(method.toGenericString() + ": " + problem);
        }
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof StorageException && ((StorageException) cause).getCode() == 501
            && cause.getMessage().contains(name.replace("(URL)", ""))
            && cause.getMessage().contains("mem")) {
          answered501.add(name);
        } else if (cause instanceof StorageException && ((StorageException) cause).getCode() == 403
            && cause.getMessage().startsWith(name + ": ")) {
          answered403.add(name);
        } else {
          problems.add(method.toGenericString() + " threw " + cause);
        }
      }
    }
    assertThat(problems).isEmpty();
    Set<String> expected = new TreeSet<>(CONTROL_PLANE);
    expected.addAll(OTHER_501);
    assertThat(answered501).as("exactly the GCS-only methods answer 501").isEqualTo(expected);
    assertThat(answered403).isEqualTo(REFUSED_403);
  }

  /**
   * With a native GCS client configured, every control-plane call reaches it unchanged; {@code
   * writer(URL)} does not (the native client would send our credentials with the upload).
   */
  @Test
  void controlPlaneCallsPassThroughToTheNativeClient() throws Exception {
    List<String> calls = new ArrayList<>();
    Storage nativeClient = recordingNative(calls);
    for (Method method : storageMethods()) {
      String name = label(method);
      if (REFUSED_403.contains(name)) {
        World world = new World(nativeClient);
        calls.clear();
        Object[] args = arguments(method, world);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> method.invoke(world.storage, args)))
            .cause().isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThat(calls).as(name + " never reaches the native client").isEmpty();
        continue;
      }
      if (!CONTROL_PLANE.contains(name)) {
        continue;
      }
      World world = new World(nativeClient);
      Object[] args = arguments(method, world);
      calls.clear();
      Object result = method.invoke(world.storage, args);
      assertThat(calls).as(method.toGenericString()).containsExactly(method.getName() + Arrays.deepToString(args));
      if (result instanceof Bucket) {
        assertThat(((Bucket) result).getStorage()).as("rebound to the facade").isSameAs(world.storage);
      } else if (method.getReturnType() != void.class && method.getReturnType() != com.google.cloud.storage
          .Notification.class) {
        assertThat(result).as(method.toGenericString()).isNotNull();
      }
    }
  }

  private static String label(Method method) {
    return method.getName().equals("writer") && method.getParameterTypes()[0] == URL.class
        ? "writer(URL)" : method.getName();
  }

  private Object[] arguments(Method method, World world) throws Exception {
    Class<?>[] types = method.getParameterTypes();
    Type[] generic = method.getGenericParameterTypes();
    Object[] args = new Object[types.length];
    String name = method.getName();
    int strings = 0;
    int ints = 0;
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      if (t == String.class) {
        args[i] = string(name, types, strings++);
      } else if (t.isArray() && com.google.cloud.storage.Option.class.isAssignableFrom(t.getComponentType())
          || t.isArray() && t.getComponentType().getSimpleName().endsWith("Option")) {
        args[i] = java.lang.reflect.Array.newInstance(t.getComponentType(), 0);
      } else if (t == BlobId.class) {
        args[i] = name.equals("restore") ? world.oldVersion.getBlobId() : BlobId.of(BUCKET, "obj");
      } else if (t == BlobId[].class) {
        args[i] = new BlobId[] {BlobId.of(BUCKET, "obj")};
      } else if (t == BlobInfo.class) {
        args[i] = blobInfo(name);
      } else if (t == BlobInfo[].class) {
        args[i] = new BlobInfo[] {blobInfo("update")};
      } else if (t == Iterable.class) {
        Type arg = ((ParameterizedType) generic[i]).getActualTypeArguments()[0];
        args[i] = arg == BlobId.class ? List.of(BlobId.of(BUCKET, "obj")) : List.of(blobInfo("update"));
      } else if (t == BucketInfo.class) {
        args[i] = name.equals("create") ? BucketInfo.of("new-bkt")
            : name.equals("update") ? BucketInfo.newBuilder(BUCKET).setLabels(Map.of("team", "a")).build()
            : BucketInfo.of(BUCKET);
      } else if (t == byte[].class) {
        args[i] = World.bytes("data");
      } else if (t == int.class) {
        args[i] = name.equals("create") ? (ints++ == 0 ? 0 : 4) : 8192;
      } else if (t == long.class) {
        args[i] = 1L;
      } else if (t == TimeUnit.class) {
        args[i] = TimeUnit.HOURS;
      } else if (t == InputStream.class) {
        args[i] = new ByteArrayInputStream(World.bytes("streamed"));
      } else if (t == OutputStream.class) {
        args[i] = new ByteArrayOutputStream();
      } else if (t == Path.class) {
        Path file = Files.createTempFile(temp, "f", ".bin");
        Files.write(file, World.bytes("from a file"));
        args[i] = file;
      } else if (t == URL.class) {
        args[i] = new URL("https://storage.googleapis.com/upload/storage/v1/b/bkt/o?upload_id=x");
      } else if (t == Storage.ComposeRequest.class) {
        args[i] = Storage.ComposeRequest.newBuilder().addSource("obj", "obj2")
            .setTarget(BlobInfo.newBuilder(BUCKET, "composed").build()).build();
      } else if (t == Storage.CopyRequest.class) {
        args[i] = Storage.CopyRequest.of(BUCKET, "obj", BlobId.of(BUCKET, "copied"));
      } else if (t == Storage.MoveBlobRequest.class) {
        args[i] = Storage.MoveBlobRequest.newBuilder().setSource(BlobId.of(BUCKET, "obj"))
            .setTarget(BlobId.of(BUCKET, "moved")).build();
      } else if (t == Acl.Entity.class) {
        args[i] = Acl.User.ofAllUsers();
      } else if (t == Acl.class) {
        args[i] = Acl.of(Acl.User.ofAllUsers(), Acl.Role.READER);
      } else if (t == ServiceAccount.class) {
        args[i] = ServiceAccount.of("sa@proj.iam.gserviceaccount.com");
      } else if (t == HmacKey.HmacKeyMetadata.class) {
        args[i] = HmacKey.HmacKeyMetadata.newBuilder(ServiceAccount.of("sa@proj.iam.gserviceaccount.com"))
            .setAccessId("GOOG1").setProjectId("proj").build();
      } else if (t == HmacKey.HmacKeyState.class) {
        args[i] = HmacKey.HmacKeyState.INACTIVE;
      } else if (t == Policy.class) {
        args[i] = Policy.newBuilder().build();
      } else if (t == List.class) {
        args[i] = List.of("storage.objects.get");
      } else if (t == NotificationInfo.class) {
        args[i] = NotificationInfo.of("projects/proj/topics/t");
      } else if (t == PostPolicyV4.PostFieldsV4.class) {
        args[i] = PostPolicyV4.PostFieldsV4.newBuilder().build();
      } else if (t == PostPolicyV4.PostConditionsV4.class) {
        args[i] = PostPolicyV4.PostConditionsV4.newBuilder().build();
      } else if (t == BlobAppendableUploadConfig.class) {
        args[i] = BlobAppendableUploadConfig.of();
      } else {
        fail("no plausible argument of type " + t + " for " + method.toGenericString());
      }
    }
    return args;
  }

  private static String string(String method, Class<?>[] types, int index) {
    if (index == 0) {
      switch (method) {
        case "getHmacKey":
          return "GOOG1";
        case "getServiceAccount":
          return "proj";
        case "delete":
          return types.length == 2 && types[1] == Storage.BucketSourceOption[].class ? World.EMPTY_BUCKET : BUCKET;
        default:
          return BUCKET;
      }
    }
    return method.contains("Notification") ? "1" : "obj";
  }

  private static BlobInfo blobInfo(String method) {
    switch (method) {
      case "update":
        return BlobInfo.newBuilder(BUCKET, "obj").setContentType("text/x-updated").build();
      case "signUrl":
      case "generateSignedPostPolicyV4":
        return BlobInfo.newBuilder(BUCKET, "obj").build();
      default:
        return BlobInfo.newBuilder(BUCKET, "new-obj").build();
    }
  }

  /** Null when {@code result} is what GCS would give for these arguments; else what is wrong. */
  private static String checkResult(Method method, Object result, World world) throws Exception {
    Class<?> type = method.getReturnType();
    if (type == void.class) {
      return null;
    }
    if (result == null) {
      return "returned null";
    }
    if (result instanceof Boolean && !(Boolean) result) {
      return "returned false";
    }
    if (result instanceof Blob && ((Blob) result).getStorage() != world.storage) {
      return "returned a blob not bound to the facade";
    }
    if (result instanceof Bucket && ((Bucket) result).getStorage() != world.storage) {
      return "returned a bucket not bound to the facade";
    }
    if (result instanceof List) {
      List<?> list = (List<?>) result;
      if (list.isEmpty() || list.contains(null) || list.contains(Boolean.FALSE)) {
        return "returned " + list;
      }
    }
    if (result instanceof Page && !((Page<?>) result).getValues().iterator().hasNext()) {
      return "returned an empty page";
    }
    if (result instanceof byte[] && ((byte[]) result).length == 0) {
      return "read nothing";
    }
    if (result instanceof ReadChannel) {
      try (ReadChannel reader = (ReadChannel) result) {
        if (reader.read(ByteBuffer.allocate(16)) <= 0) {
          return "reader read nothing";
        }
      }
    }
    if (result instanceof WriteChannel) {
      try (WriteChannel writer = (WriteChannel) result) {
        writer.write(ByteBuffer.wrap(World.bytes("written")));
      }
      if (world.storage.get(BUCKET, "new-obj") == null) {
        return "writer created nothing";
      }
    }
    if (result instanceof CopyWriter && ((CopyWriter) result).getResult() == null) {
      return "copy has no result";
    }
    if (result instanceof StorageBatch) {
      StorageBatch batch = (StorageBatch) result;
      var deleted = batch.delete(BUCKET, "obj");
      batch.submit();
      if (!deleted.get()) {
        return "batch delete did not delete";
      }
    }
    if (result instanceof BlobWriteSession) {
      BlobWriteSession session = (BlobWriteSession) result;
      try (WritableByteChannel channel = session.open()) {
        channel.write(ByteBuffer.wrap(World.bytes("session")));
      }
      if (session.getResult().get() == null) {
        return "write session has no result";
      }
    }
    return null;
  }

  /** A native client that records each call and answers with a plausible value. */
  private static Storage recordingNative(List<String> calls) {
    Storage[] self = new Storage[1];
    self[0] = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "hashCode":
              return 1;
            case "equals":
              return proxy == args[0];
            case "toString":
              return "native";
            case "getOptions":
              return null;
            default:
              break;
          }
          calls.add(method.getName() + Arrays.deepToString(args == null ? new Object[0] : args));
          Class<?> type = method.getReturnType();
          if (type == boolean.class) {
            return true;
          } else if (type == Acl.class) {
            return Acl.of(Acl.User.ofAllUsers(), Acl.Role.READER);
          } else if (type == List.class) {
            return List.of();
          } else if (type == Policy.class) {
            return Policy.newBuilder().build();
          } else if (type == ServiceAccount.class) {
            return ServiceAccount.of("sa@proj.iam.gserviceaccount.com");
          } else if (type == PostPolicyV4.class) {
            return PostPolicyV4.of("https://storage.googleapis.com/bkt", Map.of());
          } else if (type == HmacKey.HmacKeyMetadata.class) {
            return HmacKey.HmacKeyMetadata.newBuilder(ServiceAccount.of("sa@p")).build();
          } else if (type == HmacKey.class) {
            return HmacKey.newBuilder("secret")
                .setMetadata(HmacKey.HmacKeyMetadata.newBuilder(ServiceAccount.of("sa@p")).build()).build();
          } else if (type == Page.class) {
            return new PageImpl<>(null, null, List.of());
          } else if (type == Bucket.class) {
            return HybridBridge.bind(self[0], BucketInfo.of(BUCKET));
          } else if (type == WriteChannel.class) {
            return Proxy.newProxyInstance(WriteChannel.class.getClassLoader(), new Class<?>[] {WriteChannel.class},
                (p, m, a) -> m.getName().equals("isOpen") ? (Object) true : null);
          }
          return null;
        });
    return self[0];
  }
}
