package io.hybridstorage.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives every test of the class a fresh default hybrid world (three in-memory sites, see {@link
 * HybridStorageExtension#threeSites()}), injected by parameter:
 *
 * <pre>{@code
 * @HybridStorageTest
 * class SalesJobTest {
 *   @Test
 *   void writesEverywhere(Storage storage, HybridWorld world) {
 *     new SalesJob(storage).run();
 *     world.assertThat("dc2").has("sales", "2030/01/01.csv");
 *   }
 * }
 * }</pre>
 *
 * For other placements, per-class worlds or the field accessors, register a configured {@link
 * HybridStorageExtension} with {@code @RegisterExtension} instead (not both: two resolvers of
 * {@code Storage} would compete).
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(HybridStorageExtension.class)
public @interface HybridStorageTest {}
