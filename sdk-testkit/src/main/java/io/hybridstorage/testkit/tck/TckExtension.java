package io.hybridstorage.testkit.tck;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Conditions;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCK's JUnit glue: disables tests that are {@link Suppress suppressed} or {@link Requires
 * require} a capability the store lacks (the reason shows in the report), validates suppressions
 * once per class, and deletes the buckets a test created.
 */
final class TckExtension implements ExecutionCondition, AfterEachCallback {

  private static final Logger LOG = LoggerFactory.getLogger(TckExtension.class);
  /** Buckets to delete after the test, per test instance. */
  private static final Map<Object, List<String>> CREATED = Collections.synchronizedMap(new IdentityHashMap<>());

  static void track(Object testInstance, String bucket) {
    CREATED.computeIfAbsent(testInstance, k -> new CopyOnWriteArrayList<>()).add(bucket);
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Class<?> testClass = context.getTestClass().orElse(null);
    if (testClass == null) {
      return ConditionEvaluationResult.enabled("not a test class");
    }
    List<Suppress> suppressions = AnnotationSupport.findRepeatableAnnotations(testClass, Suppress.class);
    Method method = context.getTestMethod().orElse(null);
    if (method == null) {
      validate(testClass, suppressions);
      return ConditionEvaluationResult.enabled(suppressions.size() + " valid suppression(s)");
    }
    for (Suppress suppression : suppressions) {
      if (suppression.test().equals(method.getName())) {
        return ConditionEvaluationResult.disabled(
            "Suppressed by " + testClass.getSimpleName() + ": " + suppression.reason());
      }
    }
    Set<Capability> required = EnumSet.noneOf(Capability.class);
    AnnotationSupport.findAnnotation(method, Requires.class).ifPresent(r -> required.addAll(List.of(r.value())));
    AnnotationSupport.findAnnotation(method.getDeclaringClass(), Requires.class)
        .ifPresent(r -> required.addAll(List.of(r.value())));
    Object instance = context.getTestInstance().orElse(null);
    if (required.isEmpty() || !(instance instanceof StoreTester tester)) {
      return ConditionEvaluationResult.enabled("no capability required");
    }
    ObjectStore store = tester.store();
    Set<Capability> missing = EnumSet.copyOf(required);
    missing.removeAll(store.capabilities());
    if (!missing.isEmpty()) {
      return ConditionEvaluationResult.disabled("Requires " + missing + ", which " + store.getClass().getSimpleName()
          + " of site " + store.site() + " lacks (it has " + store.capabilities() + ")");
    }
    return ConditionEvaluationResult.enabled("store has " + required);
  }

  private static void validate(Class<?> testClass, List<Suppress> suppressions) {
    Set<String> tests = new TreeSet<>();
    ReflectionSupport.findMethods(testClass, m -> AnnotationSupport.isAnnotated(m, Test.class),
        HierarchyTraversalMode.TOP_DOWN).forEach(m -> tests.add(m.getName()));
    List<String> problems = new ArrayList<>();
    for (Suppress suppression : suppressions) {
      if (suppression.reason().isBlank()) {
        problems.add("@Suppress(test = \"" + suppression.test() + "\") has no reason");
      }
      if (!tests.contains(suppression.test())) {
        problems.add("@Suppress(test = \"" + suppression.test() + "\") names no test of " + testClass.getSimpleName());
      }
    }
    if (!problems.isEmpty()) {
      throw new ExtensionConfigurationException(String.join("; ", problems));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Object instance = context.getTestInstance().orElse(null);
    List<String> buckets = instance == null ? null : CREATED.remove(instance);
    if (buckets == null || !(instance instanceof StoreTester tester)) {
      return;
    }
    ObjectStore store = tester.store();
    for (String bucket : buckets) {
      try {
        deleteBucketAndContents(store, bucket);
      } catch (RuntimeException e) {
        LOG.warn("TCK cleanup of bucket {} on site {} failed: {}", bucket, store.site(), e.toString());
      }
    }
  }

  private static void deleteBucketAndContents(ObjectStore store, String bucket) {
    if (store.getBucket(bucket).isEmpty()) {
      return;
    }
    boolean versions = store.capabilities().contains(Capability.OBJECT_VERSIONING);
    String token = null;
    do {
      ListPage<ObjectInfo> page = store.list(ListRequest.of(bucket).withVersions(versions).withPageToken(token));
      for (ObjectInfo info : page.items()) {
        store.delete(ObjectId.of(bucket, info.name(), versions ? info.generation() : 0), Conditions.none());
      }
      token = page.nextPageToken();
    } while (token != null);
    store.deleteBucket(bucket);
  }
}
