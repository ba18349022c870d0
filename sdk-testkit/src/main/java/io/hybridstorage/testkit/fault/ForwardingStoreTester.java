package io.hybridstorage.testkit.fault;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * Proves that an {@link ObjectStore} decorator forwards faithfully, the way Guava's {@code
 * ForwardingWrapperTester} does for plain interfaces: for <em>every</em> method of {@code
 * ObjectStore} (default methods included, so a decorator that inherits {@code write(request,
 * stream)} instead of forwarding it fails), the wrapper must call the same method of its delegate
 * exactly once with equal arguments, return the delegate's result, and let the delegate's {@link
 * HybridStorageException} through as the same instance.
 *
 * <p>Unlike Guava's tester it accepts the wrapping that decorators need: a returned {@link
 * ObjectContent} or {@link ObjectWriter}, and an {@link InputStream} argument, may be wrapped if
 * they forward every byte, {@code info()}, {@code commit()} and {@code close()}. Calls to the
 * delegate's {@code site()} and {@code capabilities()} on the side are allowed.
 *
 * <pre>{@code
 * ForwardingStoreTester.testForwarding(store -> FaultInjectingStore.builder(store).seed(1).build());
 * }</pre>
 *
 * <p>A new {@code ObjectStore} method with a parameter type this tester cannot make fails with a
 * message naming the type: extend {@code Values.generate}.
 */
public final class ForwardingStoreTester {

  static final String SITE = "forwarding-tester-site";

  private ForwardingStoreTester() {}

  /**
   * Runs the checks on a fresh wrapper (from {@code wrapperFunction}) per method and per check.
   *
   * @throws AssertionError naming the first method not forwarded faithfully
   */
  public static void testForwarding(Function<? super ObjectStore, ? extends ObjectStore> wrapperFunction) {
    for (Method method : storeMethods()) {
      testResultForwarded(method, wrapperFunction);
      if (!isLocalGetter(method)) {
        testExceptionForwarded(method, wrapperFunction);
      }
    }
  }

  /** Every public instance method of {@code ObjectStore}, once per signature, in name order. */
  static List<Method> storeMethods() {
    Map<String, Method> bySignature = new LinkedHashMap<>();
    for (Method method : ObjectStore.class.getMethods()) {
      if (!Modifier.isStatic(method.getModifiers())) {
        bySignature.putIfAbsent(signature(method), method);
      }
    }
    List<Method> methods = new ArrayList<>(bySignature.values());
    methods.sort(Comparator.comparing(ForwardingStoreTester::signature));
    return methods;
  }

  private static void testResultForwarded(Method method,
      Function<? super ObjectStore, ? extends ObjectStore> wrapperFunction) {
    Values values = new Values();
    Recorder recorder = new Recorder(method);
    Object expected = method.getReturnType() == void.class ? null : recorder.prepareResult(values);
    ObjectStore wrapper = wrap(recorder, wrapperFunction);
    Object[] args = values.arguments(method);
    Object actual;
    try {
      actual = method.invoke(wrapper, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError(signature(method) + " threw instead of forwarding: " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
    if (isLocalGetter(method)) {
      check(Objects.equals(expected, actual), method, "returned " + actual + ", the delegate " + expected);
      return;
    }
    List<Recorder.Invocation> calls = recorder.forwarded();
    check(calls.size() == 1, method, "expected exactly one call of the delegate's " + method.getName()
        + ", got " + calls);
    Recorder.Invocation call = calls.get(0);
    check(call.signature().equals(signature(method)), method, "called the delegate's " + call.signature()
        + " instead");
    for (int i = 0; i < args.length; i++) {
      Object sent = args[i] instanceof Values.Body body ? body.bytes() : args[i];
      Object received = call.args()[i];
      boolean same = sent instanceof byte[] bytes && received instanceof byte[] got
          ? Arrays.equals(bytes, got)
          : Objects.equals(sent, received);
      check(same, method, "argument " + i + " reached the delegate as " + show(received) + ", not " + show(sent));
    }
    checkResult(method, expected, actual);
  }

  private static void testExceptionForwarded(Method method,
      Function<? super ObjectStore, ? extends ObjectStore> wrapperFunction) {
    Values values = new Values();
    Recorder recorder = new Recorder(method);
    HybridStorageException failure = new HybridStorageException(503, "backendError", method.getName(), "b", "o",
        SITE, "failure planted by ForwardingStoreTester", null);
    recorder.prepareFailure(failure);
    ObjectStore wrapper = wrap(recorder, wrapperFunction);
    try {
      method.invoke(wrapper, values.arguments(method));
    } catch (InvocationTargetException e) {
      check(e.getCause() == failure, method, "the delegate's exception came back as " + e.getCause());
      return;
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError(signature(method) + ": the delegate's exception was swallowed");
  }

  private static ObjectStore wrap(Recorder recorder,
      Function<? super ObjectStore, ? extends ObjectStore> wrapperFunction) {
    ObjectStore delegate = (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(),
        new Class<?>[] {ObjectStore.class}, recorder);
    ObjectStore wrapper = wrapperFunction.apply(delegate);
    recorder.arm(); // calls made while wrapping (e.g. site()) do not count
    return wrapper;
  }

  private static void checkResult(Method method, @Nullable Object expected, @Nullable Object actual) {
    if (expected == actual || method.getReturnType() == void.class) {
      return;
    }
    if (expected instanceof TestContent content && actual instanceof ObjectContent wrapped) {
      check(Objects.equals(wrapped.info(), content.info()), method, "content info() not forwarded");
      try (InputStream in = wrapped.stream()) {
        check(Arrays.equals(in.readAllBytes(), content.bytes), method, "content bytes not forwarded");
        wrapped.close();
      } catch (IOException e) {
        throw new AssertionError(signature(method) + ": reading forwarded content failed", e);
      }
      check(content.closed, method, "content close() not forwarded");
      return;
    }
    if (expected instanceof TestWriter writer && actual instanceof ObjectWriter wrapped) {
      byte[] bytes = "forwarded request body".getBytes(UTF_8);
      try {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          wrapped.write(buffer);
        }
        check(Arrays.equals(writer.received.toByteArray(), bytes), method, "writer bytes not forwarded");
        check(Objects.equals(wrapped.commit(), writer.result), method, "commit() result not forwarded");
        check(writer.commits == 1, method, "commit() reached the delegate " + writer.commits + " times");
        wrapped.close();
        check(writer.closed, method, "writer close() not forwarded");
      } catch (IOException e) {
        throw new AssertionError(signature(method) + ": writing through the forwarded writer failed", e);
      }
      return;
    }
    check(Objects.equals(expected, actual), method, "returned " + actual + ", the delegate " + expected);
  }

  private static boolean isLocalGetter(Method method) {
    return method.getParameterCount() == 0
        && (method.getName().equals("site") || method.getName().equals("capabilities"));
  }

  private static void check(boolean condition, Method method, String problem) {
    if (!condition) {
      throw new AssertionError(signature(method) + " is not forwarded faithfully: " + problem);
    }
  }

  static String signature(Method method) {
    return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()
        .toString().replace('[', '(').replace(']', ')');
  }

  private static String show(@Nullable Object value) {
    return value instanceof byte[] bytes ? new String(bytes, UTF_8) : String.valueOf(value);
  }

  /** The delegate: records calls, returns the planted result or throws the planted failure. */
  private static final class Recorder implements InvocationHandler {
    record Invocation(String signature, Object[] args) {
      @Override
      public String toString() {
        return signature + Arrays.toString(args);
      }
    }

    private final Method target;
    private final List<Invocation> invocations = new ArrayList<>();
    @Nullable private Object result;
    @Nullable private RuntimeException failure;
    private boolean armed;

    Recorder(Method target) {
      this.target = target;
    }

    Object prepareResult(Values values) {
      result = resultOf(target, values);
      return result;
    }

    /** What the delegate returns from {@code method}: fresh values, test content and writers. */
    static Object resultOf(Method method, Values values) {
      Class<?> type = method.getReturnType();
      if (type == ObjectContent.class) {
        return new TestContent((ObjectInfo) values.generate(ObjectInfo.class),
            ("content " + values.next()).getBytes(UTF_8));
      } else if (type == ObjectWriter.class) {
        return new TestWriter((ObjectInfo) values.generate(ObjectInfo.class));
      } else if (isLocalGetter(method)) {
        return method.getName().equals("site") ? SITE : Set.of();
      }
      return values.generate(method.getGenericReturnType());
    }

    void prepareFailure(RuntimeException value) {
      failure = value;
    }

    void arm() {
      armed = true;
    }

    synchronized List<Invocation> forwarded() {
      return invocations.stream()
          .filter(i -> !i.signature().equals("site()") && !i.signature().equals("capabilities()"))
          .toList();
    }

    @Override
    public synchronized Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "ForwardingStoreTester.delegate";
        };
      }
      Object[] recorded = args == null ? new Object[0] : args.clone();
      for (int i = 0; i < recorded.length; i++) {
        if (recorded[i] instanceof InputStream in) {
          recorded[i] = in.readAllBytes(); // consumes the (possibly wrapped) body as a store would
        }
      }
      boolean isTarget = signature(method).equals(signature(target));
      if (armed) {
        invocations.add(new Invocation(signature(method), recorded));
      }
      if (isTarget && armed && failure != null) {
        throw failure;
      }
      if (isTarget && armed) {
        return result;
      }
      return method.getReturnType() == void.class ? null : resultOf(method, new Values());
    }
  }

  /** Content the delegate returns: records whether it was closed. */
  private static final class TestContent implements ObjectContent {
    private final ObjectInfo info;
    final byte[] bytes;
    private final InputStream stream;
    volatile boolean closed;

    TestContent(ObjectInfo info, byte[] bytes) {
      this.info = info;
      this.bytes = bytes;
      this.stream = new ByteArrayInputStream(bytes);
    }

    @Override
    public ObjectInfo info() {
      return info;
    }

    @Override
    public InputStream stream() {
      return stream;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A writer the delegate returns: records bytes, commits and closing. */
  private static final class TestWriter implements ObjectWriter {
    final ObjectInfo result;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    int commits;
    boolean closed;

    TestWriter(ObjectInfo result) {
      this.result = result;
    }

    @Override
    public int write(ByteBuffer source) {
      int n = source.remaining();
      byte[] chunk = new byte[n];
      source.get(chunk);
      received.write(chunk, 0, n);
      return n;
    }

    @Override
    public ObjectInfo commit() {
      commits++;
      return result;
    }

    @Override
    public boolean isOpen() {
      return !closed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Makes distinct values of the SPI's types: records through their canonical constructors. */
  static final class Values {
    /** An {@code InputStream} argument that remembers its bytes. */
    static final class Body extends ByteArrayInputStream {
      private final byte[] content;

      Body(byte[] content) {
        super(content);
        this.content = content;
      }

      byte[] bytes() {
        return content;
      }
    }

    private int counter;

    int next() {
      return ++counter;
    }

    Object[] arguments(Method method) {
      Type[] types = method.getGenericParameterTypes();
      Object[] args = new Object[types.length];
      for (int i = 0; i < types.length; i++) {
        args[i] = generate(types[i]);
      }
      return args;
    }

    Object generate(Type type) {
      Class<?> raw = raw(type);
      int n = next();
      if (raw == String.class) {
        return "s" + n;
      } else if (raw == long.class || raw == Long.class) {
        return (long) n;
      } else if (raw == int.class || raw == Integer.class) {
        return n;
      } else if (raw == boolean.class || raw == Boolean.class) {
        return n % 2 == 1;
      } else if (raw.isEnum()) {
        Object[] constants = raw.getEnumConstants();
        return constants[n % constants.length];
      } else if (raw == Duration.class) {
        return Duration.ofSeconds(n);
      } else if (raw == Instant.class) {
        return Instant.ofEpochSecond(1_900_000_000L + n);
      } else if (raw == URL.class) {
        try {
          return URI.create("https://forwarding.invalid/" + n).toURL();
        } catch (MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      } else if (raw == InputStream.class) {
        return new Body(("request body " + n).getBytes(UTF_8));
      } else if (raw == Optional.class) {
        return Optional.of(generate(typeArgument(type, 0)));
      } else if (raw == List.class) {
        return List.of(generate(typeArgument(type, 0)));
      } else if (raw == Set.class) {
        return Set.of(generate(typeArgument(type, 0)));
      } else if (raw == Map.class) {
        return Map.of(generate(typeArgument(type, 0)), generate(typeArgument(type, 1)));
      } else if (raw.isRecord()) {
        return record(raw, type);
      }
      throw new AssertionError("ForwardingStoreTester cannot make a " + type.getTypeName()
          + "; teach ForwardingStoreTester.Values.generate to");
    }

    /** A record through its canonical constructor; {@code generic} binds its type variables. */
    private Object record(Class<?> type, Type generic) {
      Map<TypeVariable<?>, Type> bindings = new HashMap<>();
      if (generic instanceof ParameterizedType p) {
        TypeVariable<?>[] variables = type.getTypeParameters();
        for (int i = 0; i < variables.length; i++) {
          bindings.put(variables[i], p.getActualTypeArguments()[i]);
        }
      }
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] rawTypes = new Class<?>[components.length];
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        rawTypes[i] = components[i].getType();
        values[i] = generate(bind(components[i].getGenericType(), bindings));
      }
      try {
        Constructor<?> constructor = type.getDeclaredConstructor(rawTypes);
        constructor.setAccessible(true);
        return constructor.newInstance(values);
      } catch (InvocationTargetException e) {
        throw new AssertionError("ForwardingStoreTester made an invalid " + type.getSimpleName() + " "
            + Arrays.toString(values) + ": " + e.getCause(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }

    /** {@code type} with the record's type variables replaced (one level deep: {@code List<T>}). */
    private static Type bind(Type type, Map<TypeVariable<?>, Type> bindings) {
      if (type instanceof TypeVariable<?> variable && bindings.containsKey(variable)) {
        return bindings.get(variable);
      }
      if (type instanceof ParameterizedType p) {
        Type[] arguments = p.getActualTypeArguments().clone();
        boolean changed = false;
        for (int i = 0; i < arguments.length; i++) {
          Type bound = bind(arguments[i], bindings);
          changed |= bound != arguments[i];
          arguments[i] = bound;
        }
        if (changed) {
          return new Parameterized((Class<?>) p.getRawType(), arguments);
        }
      }
      return type;
    }

    /** A parameterized type made here, after binding type variables. */
    private record Parameterized(Class<?> raw, Type[] arguments) implements ParameterizedType {
      @Override
      public Type[] getActualTypeArguments() {
        return arguments.clone();
      }

      @Override
      public Type getRawType() {
        return raw;
      }

      @Override
      public Type getOwnerType() {
        return null;
      }
    }

    private static Class<?> raw(Type type) {
      if (type instanceof Class<?> c) {
        return c;
      }
      if (type instanceof ParameterizedType p) {
        return (Class<?>) p.getRawType();
      }
      throw new AssertionError("ForwardingStoreTester cannot make a " + type.getTypeName());
    }

    private static Type typeArgument(Type type, int index) {
      if (type instanceof ParameterizedType p) {
        Type argument = p.getActualTypeArguments()[index];
        if (argument instanceof Class<?> || argument instanceof ParameterizedType) {
          return argument;
        }
      }
      throw new AssertionError("ForwardingStoreTester needs a concrete type argument in " + type.getTypeName());
    }
  }
}
