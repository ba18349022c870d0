package io.hybridstorage.testkit.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Suppresses one TCK test for a backend with a known deviation, like guava-testlib's
 * suppressions. Put it on the backend's test class, once per test:
 *
 * <pre>{@code
 * @Suppress(test = "matchGlobBracesListAnyAlternative",
 *     reason = "VAST lists without server-side globs yet; tracked in issue 12")
 * class VastStoreTckTest implements ObjectStoreTck { ... }
 * }</pre>
 *
 * The test is reported as skipped with "Suppressed by &lt;class&gt;: &lt;reason&gt;". A
 * suppression whose {@code test} names no TCK test, or whose reason is blank, fails the whole
 * class: a typo must not silently suppress nothing, and every deviation must say why.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Suppress.List.class)
public @interface Suppress {

  /** The test method's name, e.g. {@code "composeOf33SourcesIs400"}. */
  String test();

  /** Why the backend deviates (and where it is tracked). Mandatory, not blank. */
  String reason();

  /** The container of repeated {@link Suppress} annotations. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface List {
    Suppress[] value();
  }
}
