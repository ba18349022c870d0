package io.hybridstorage.testkit.tck;

import io.hybridstorage.api.Capability;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The capabilities a TCK test needs. When {@code store().capabilities()} lacks any of them, the
 * test is disabled (reported as skipped) with a reason naming the missing capabilities, the store
 * and its site: a store is not blamed for what it does not claim to do.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Requires {
  Capability[] value();
}
