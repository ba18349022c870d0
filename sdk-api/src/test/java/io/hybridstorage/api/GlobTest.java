package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void starStaysWithinOneLevel() {
    Glob glob = Glob.compile("a/*.txt");
    assertThat(glob.matches("a/b.txt")).isTrue();
    assertThat(glob.matches("a/.txt")).isTrue();
    assertThat(glob.matches("a/b/c.txt")).isFalse();
    assertThat(glob.matches("a/b.txt2")).isFalse();
  }

  @Test
  void doubleStarCrossesLevels() {
    assertThat(Glob.compile("a/**").matches("a/b/c")).isTrue();
    assertThat(Glob.compile("a**z").matches("a/b/z")).isTrue();
    Glob segment = Glob.compile("a/**/z");
    assertThat(segment.matches("a/z")).isTrue();
    assertThat(segment.matches("a/b/z")).isTrue();
    assertThat(segment.matches("a/b/c/z")).isTrue();
    assertThat(segment.matches("a/bz")).isFalse();
    Glob leading = Glob.compile("**/z.txt");
    assertThat(leading.matches("z.txt")).isTrue();
    assertThat(leading.matches("x/y/z.txt")).isTrue();
  }

  @Test
  void questionMarkAndClasses() {
    assertThat(Glob.compile("f?.txt").matches("f1.txt")).isTrue();
    assertThat(Glob.compile("f?.txt").matches("f/.txt")).isFalse();
    assertThat(Glob.compile("f?.txt").matches("f\uD83D\uDE00.txt")).as("one code point").isTrue();
    assertThat(Glob.compile("[a-c]x").matches("bx")).isTrue();
    assertThat(Glob.compile("[a-c]x").matches("dx")).isFalse();
    assertThat(Glob.compile("[!a-c]x").matches("dx")).isTrue();
    assertThat(Glob.compile("[^a-c]x").matches("ax")).isFalse();
    assertThat(Glob.compile("[]]").matches("]")).isTrue();
    assertThat(Glob.compile("[.-]").matches("-")).isTrue();
    assertThat(Glob.compile("a[!x]b").matches("a/b")).as("a class never matches '/'").isFalse();
    assertThat(Glob.compile("a[/x]b").matches("a/b")).isFalse();
    assertThat(Glob.compile("a[/x]b").matches("axb")).isTrue();
  }

  @Test
  void bracesAndEscapes() {
    Glob glob = Glob.compile("logs/{2023,202[45]}/*.{gz,txt}");
    assertThat(glob.matches("logs/2023/a.gz")).isTrue();
    assertThat(glob.matches("logs/2025/a.txt")).isTrue();
    assertThat(glob.matches("logs/2022/a.txt")).isFalse();
    assertThat(Glob.compile("a{b,{c,d}e}").matches("ade")).isTrue();
    assertThat(Glob.compile("a\\*b").matches("a*b")).isTrue();
    assertThat(Glob.compile("a\\*b").matches("axb")).isFalse();
    assertThat(Glob.compile("a,b}").matches("a,b}")).as("outside braces , and } are literal").isTrue();
    assertThat(Glob.compile("(a)+.$").matches("(a)+.$")).as("regex metacharacters are literal").isTrue();
  }

  @Test
  void malformedPatternsNameTheProblem() {
    assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile("a[bc")).withMessageContaining("unclosed '['");
    assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile("a{b,c")).withMessageContaining("unclosed '{'");
    assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile("ab\\")).withMessageContaining("escape");
    assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile("[z-a]")).withMessageContaining("empty range");
  }

  /**
   * GCS evaluates {@code matchGlob} in time linear in the name; a backtracking regex takes time
   * exponential in the number of stars on a name that almost matches. This pattern on 60 {@code a}s
   * takes {@code java.util.regex} about C(60,10) ≈ 7.5e10 backtracking steps (hours; the 40-character
   * case of issue 12 took 16 s); the linear matcher needs microseconds. The bound is deliberately
   * generous (10 s on a loaded machine), so only an exponential matcher can miss it.
   */
  @Test
  void pathologicalPatternsAreMatchedQuickly() {
    Glob glob = Glob.compile("*a*a*a*a*a*a*a*a*a*a*b");
    String name = "a".repeat(60);
    boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> glob.matches(name),
        "an exponential matcher: " + glob + " on " + name.length() + " characters");
    assertThat(matched).isFalse();
    assertThat(glob.matches(name + "b")).isTrue();
    Glob nested = Glob.compile("{*,**}{*a,a*}{*,**}{*a,a*}{*,**}{*a,a*}{*,**}{*a,a*}{*,**}{*a,a*}b");
    assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> nested.matches("a/".repeat(30) + "a"),
        "an exponential matcher: " + nested)).isFalse();
  }

  /**
   * The matcher's work, counted in steps (a state of the compiled pattern visited at a position of
   * the name), is at most (code points + 1) × states, and grows linearly with the name: no
   * backtracking, whatever the pattern.
   */
  @Test
  void matchingTakesStepsLinearInTheName() {
    Glob glob = Glob.compile("*a*a*a*a*a*a*a*a*a*a*b");
    long steps40 = glob.steps("a".repeat(40));
    long steps80 = glob.steps("a".repeat(80));
    assertThat(steps40).isPositive().isLessThanOrEqualTo(41L * glob.states());
    assertThat(steps80).isLessThanOrEqualTo(81L * glob.states());
    assertThat((double) steps80 / steps40).as("80 characters cost about twice 40").isBetween(1.5, 2.5);
    Glob alternatives = Glob.compile("{a*,*a,{b,a}*}**/{*a,a*}?*");
    String name = "a/".repeat(200);
    assertThat(alternatives.steps(name)).isLessThanOrEqualTo((name.length() + 1L) * alternatives.states());
  }
}
