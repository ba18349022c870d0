package io.hybridstorage.testkit.fault;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tester must pass a faithful decorator and catch each way of not forwarding. */
class ForwardingStoreTesterTest {

  @Test
  void passesAFaithfulDecorator() {
    assertThatCode(() -> ForwardingStoreTester.testForwarding(store -> new ForwardingObjectStore(store) {})).doesNotThrowAnyException();
  }

  @Test
  void catchesADecoratorThatInheritsADefaultMethodInsteadOfForwardingIt() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(ForwardingStoreTesterTest::inheritingWrite))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("write(WriteRequest, InputStream) is not forwarded faithfully")
        .hasMessageContaining("openWrite");
  }

  @Test
  void catchesAChangedArgument() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(store -> new ForwardingObjectStore(store) {
      @Override
      public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
        return super.head(id, Conditions.none());
      }
    })).isInstanceOf(AssertionError.class).hasMessageContaining("head(ObjectId, Conditions)")
        .hasMessageContaining("argument 1");
  }

  @Test
  void catchesASwallowedException() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(store -> new ForwardingObjectStore(store) {
      @Override
      public boolean delete(ObjectId id, Conditions conditions) {
        try {
          return super.delete(id, conditions);
        } catch (RuntimeException e) {
          return false;
        }
      }
    })).isInstanceOf(AssertionError.class).hasMessageContaining("delete(ObjectId, Conditions)")
        .hasMessageContaining("swallowed");
  }

  @Test
  void catchesAWrappedContentThatDropsClose() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(store -> new ForwardingObjectStore(store) {
      @Override
      public ObjectContent read(ReadRequest request) {
        ObjectContent content = super.read(request);
        return ObjectContent.of(content.info(), content.stream()); // closes the stream, not the content
      }
    })).isInstanceOf(AssertionError.class).hasMessageContaining("content close() not forwarded");
  }

  @Test
  void catchesADoubleCall() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(store -> new ForwardingObjectStore(store) {
      @Override
      public ListPage<ObjectInfo> list(ListRequest request) {
        super.list(request);
        return super.list(request);
      }
    })).isInstanceOf(AssertionError.class).hasMessageContaining("exactly one call");
  }

  /**
   * A decorator that forwards every method except the default {@code write(request, stream)}, which
   * it inherits: run on the decorator, the default turns into {@code openWrite} calls (the mistake
   * {@link ForwardingObjectStore} exists to prevent). A proxy, because a subclass of {@code
   * ForwardingObjectStore} cannot get the default back.
   */
  private static ObjectStore inheritingWrite(ObjectStore delegate) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getName().equals("write")) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      try {
        return method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(),
        new Class<?>[] {ObjectStore.class}, handler);
  }
}
