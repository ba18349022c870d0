package io.hybridstorage.facade;

import io.hybridstorage.api.ObjectStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

/** Test decorators over an {@link ObjectStore}. */
final class Stores {

  private Stores() {}

  /** {@code store} with each call's method name appended to {@code calls}. */
  static ObjectStore recording(ObjectStore store, List<String> calls) {
    return (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(),
        new Class<?>[] {ObjectStore.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() != Object.class) {
            calls.add(method.getName());
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
